"""Garbled OCR, flagged and kept: ``<unclear reason="garbled">`` at clause granularity.

What counts as garbage is what no writer produces (Do no harm: rare but real wording,
rhetorical parallelism and long quotations are not garbage):

* repetition loops: a stretch that repeats itself back to back (a unit four times or more),
  or a clause sequence the document repeats three times or more that also repeats itself
  inside (the loops of OCR and OCR post-correction models: "蘇聯與蘇聯，以及由這些蘇聯…");
* self-coordination: a word joined to itself by a conjunction ("蘇聯與蘇聯");
* symbol soup: a run of mixed symbols;
* Latin noise in Chinese text: letters that do not form words (no vowels, long consonant runs);
* rare-character noise in Chinese text: a run of characters that running Chinese hardly ever
  uses (outside the first level of both national standards: CJK radicals and strokes, 丨丶丿,
  bopomofo, Suzhou numerals 〡〢, box drawing). They are Unicode letters, so a test of
  categories misses them; their frequency does not;
* noisy loops: a clause repeated back to back three times or more with a stray or variant
  character changed in some copies ("X與X，X与X").
"""

from __future__ import annotations

import functools
import re
from array import array
from collections import Counter
from difflib import SequenceMatcher
from itertools import accumulate, chain

from pipeline.edits import add_edits
from pipeline.ingest.plausibility import common_han
from pipeline.model import Document, Edit
from pipeline.stages.script import opencc_table

# A unit repeated four times or more back to back. Units start where a clause or word starts
# (after punctuation or a space, or at the start of the block): a loop repeats a phrase, and
# trying every position would make this the slowest stage. Copies stand at most four
# separators apart, so each copy's first two characters stand within 44 characters of the
# last copy's: the lookahead tests that first (across line breaks, which may separate the
# copies), in one cheap scan, before the unit lengths are tried. The gaps are greedy: a
# lookahead only asks whether some chain of copies exists, whatever order the gaps are tried
# in, and a greedy gap takes its 42 characters at once before it backs off.
UNIT_SEPARATORS = r"\s，,、；;。.：:"
LOOP_AHEAD = r"(?=(\S.)(?s:.{0,42})\1(?s:.{0,42})\1(?s:.{0,42})\1)"
UNIT_COPIES = r"(?P<unit>\S.{1,39}?)(?:[，,、；;\s]{0,4}(?P=unit)){3,}"
BACK_TO_BACK = re.compile(f"(?:^|(?<=[{UNIT_SEPARATORS}])){LOOP_AHEAD}{UNIT_COPIES}")
# A loop after a separator, found by one search in C: the regex engine skips from separator to
# separator (a lookbehind it would try at every position) and tries the unit lengths only where
# the lookahead holds (0.11 → 0.06 s over the seed-sized documents, against a scan for starts
# and a match tried at each).
LOOP_AFTER_SEPARATOR = re.compile(f"[{UNIT_SEPARATORS}]{LOOP_AHEAD}{UNIT_COPIES}")


def _back_to_back(text: str) -> list[tuple[int, int, str]]:
    """BACK_TO_BACK.finditer(text): (start, end, unit) of each of its matches."""
    found = []
    if first := BACK_TO_BACK.match(text):
        found.append((0, first.end(), first.group("unit")))
    position = found[-1][1] - 1 if found else 0  # a separator ending the last loop may precede the next
    while match := LOOP_AFTER_SEPARATOR.search(text, position):
        found.append((match.start("unit"), match.end(), match.group("unit")))
        position = match.end() - 1
    return found


SELF_COORDINATION = re.compile(r"(?P<x>[\u4e00-\u9fff]{2,4})[與与和及同跟](?P=x)")
CONJUNCTION = re.compile("[與与和及同跟]")
# Four or more symbols in a row, of three kinds or more: not a dash, an ellipsis or a quote.
SYMBOL_RUN = re.compile(r"[^\w\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]{4,}")
PUNCTUATION_RUNS = frozenset("…—–-.·\"'“”‘’()[]（）「」『』《》〈〉,;:!?")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z .,'\-]{6,}[A-Za-z]")
ENUMERATOR = re.compile(r"[(（][一二三四五六七八九十\d]{1,3}[)）]")
CLAUSE_STRIP = " \t\u3000，。；：、,;:"  # around a clause: punctuation and spaces, not its text
MIN_LOOP_CLAUSE = 8  # characters of a repeated clause sequence worth calling a loop
MAX_LOOP_SPAN = 160  # a loop repeats a phrase; longer clause sequences are prose

DOCUMENT_REPEATS = 3


# A clause with the punctuation that ends it (a clause mark, or a full stop before a space),
# or the rest of the text; found as strings, in one scan.
CLAUSE_MARKS = "，。；：、！？,;:!?"
CLAUSE = re.compile(f"[^{CLAUSE_MARKS}.]*(?:\\.(?!\\s)[^{CLAUSE_MARKS}.]*)*(?:[{CLAUSE_MARKS}]|\\.(?=\\s)|\\Z)")


def _clause_texts(text: str) -> list[str]:
    """Each clause of ``text`` with the punctuation that ends it."""
    clauses = CLAUSE.findall(text)
    if clauses and not clauses[-1]:
        clauses.pop()  # the empty match at the end of a text that ends with a clause mark
    return clauses


LOOP_DENSITY = 0.3  # share of a span's letters taken by its most repeated unit


def _repeats_itself(text: str) -> bool:
    """The most frequent character pair (Chinese) or word (alphabets) recurs three times or
    more and fills a good share of the span: "蘇聯" four times in 22 characters. A long clause
    that merely uses "the" or "的" three times does not."""
    letters = [ch for ch in text if ch.isalnum()]
    if any(ord(ch) > 0x2E80 for ch in letters):
        units = Counter(a + b for a, b in zip(letters, letters[1:]))
    else:
        units = Counter(re.findall(r"\w+", text.lower()))
    if not units:
        return False
    unit, count = units.most_common(1)[0]
    return count >= 3 and count * len(unit) >= LOOP_DENSITY * len(letters)


def _may_repeat_itself(text: str) -> bool:
    """A cheap necessary condition for _repeats_itself: some character pair (or word)
    occurs at least three times, so at least two pairs are duplicates."""
    if text.isascii():
        words = text.lower().split()
        return len(set(words)) <= len(words) - 2
    return len(set(zip(text, text[1:]))) <= len(text) - 3


NOISY_CLAUSE = 4  # characters of a clause a noisy loop repeats
SKETCH_SIZE = 1 << 20  # counters; collisions only let more sequences through to the exact count


class _ClauseSketch:
    """Every clause of the document, and about how often each occurs, in compact arrays.

    A sequence of clauses the document repeats three times is made of clauses it repeats
    three times, so sequences whose clauses do not recur are skipped without building their
    text. Counters saturate at three; a collision can only over-count."""

    def __init__(self, doc: Document, blocks):
        self.counts = bytearray(SKETCH_SIZE)
        self.bounds = array("q")  # start and end of every clause, block after block
        self.slots = array("q")  # each clause's counter (-1: nothing but punctuation)
        self.first = []  # index of each block's first clause
        self.long = bytearray()  # whether each clause is long enough to make a noisy loop
        counts = self.counts
        for block in blocks:
            self.first.append(len(self.slots))
            clauses = _clause_texts(doc.text[block.start:block.end])
            bounds = list(accumulate(map(len, clauses), initial=block.start))
            # hash() differs between processes, so collisions do too; they only let more
            # sequences through to the exact count, so the result is the same everywhere.
            keys = [clause.strip(CLAUSE_STRIP) for clause in clauses]
            slots = [hash(key) & (SKETCH_SIZE - 1) if key else -1 for key in keys]
            self.bounds.extend(chain.from_iterable(zip(bounds, bounds[1:])))
            self.slots.extend(slots)
            self.long.extend(len(key) >= NOISY_CLAUSE for key in keys)
            for slot in slots:
                if slot >= 0 and counts[slot] < DOCUMENT_REPEATS:
                    counts[slot] += 1
        self.first.append(len(self.slots))

    def block_clauses(self, index: int) -> tuple[list[tuple[int, int]], list[bool], bool]:
        """The clauses of the index-th block, whether each recurs three times in the document,
        and whether the block may repeat one of its long clauses (as a noisy loop does)."""
        span = range(self.first[index], self.first[index + 1])
        bounds, slots, counts = self.bounds, self.slots, self.counts
        clauses = [(bounds[2 * i], bounds[2 * i + 1]) for i in span]
        seen = [counts[slots[i]] if slots[i] >= 0 else DOCUMENT_REPEATS for i in span]
        long_slots = [slots[i] for i in span if self.long[i]]
        return clauses, [n >= DOCUMENT_REPEATS for n in seen], len(set(long_slots)) < len(long_slots)


class _LoopFinder:
    """Clause sequences (1–3 clauses) that the document repeats and that repeat themselves,
    gathered block after block."""

    def __init__(self, text: str):
        self.text = text
        self.candidates: dict[str, list[tuple[int, int]]] = {}
        self.rejected: set[str] = set()  # keys that recur but cannot repeat themselves: test them once

    def add(self, clauses: list[tuple[int, int]], recurs: list[bool]) -> None:
        """A block's clauses and whether each recurs three times in the document."""
        if not any(recurs):
            return
        text, candidates, rejected = self.text, self.candidates, self.rejected
        count = len(clauses)
        for i, (start, _) in enumerate(clauses):
            for j in range(i, min(i + 3, count)):  # sequences of 1 to 3 clauses, each recurring
                if not recurs[j]:
                    break
                end = clauses[j][1]
                if end - start < MIN_LOOP_CLAUSE:
                    continue  # too short to be a candidate, stripped or not
                key = text[start:end].strip(CLAUSE_STRIP)
                places = candidates.get(key)
                if places is not None:
                    places.append((start, end))
                elif key not in rejected and MIN_LOOP_CLAUSE <= len(key) <= MAX_LOOP_SPAN:
                    # Only spans that may repeat themselves are kept: a dictionary of every
                    # clause of a 50 MB book would not fit.
                    if _may_repeat_itself(key):
                        candidates[key] = [(start, end)]
                    else:
                        rejected.add(key)

    def spans(self) -> list[tuple[int, int, str]]:
        found = []
        for key, places in self.candidates.items():
            if len(places) >= DOCUMENT_REPEATS and _repeats_itself(key):
                found += [(start, end, "repetition loop: a clause sequence repeated "
                           f"{len(places)}× in the document that repeats itself within") for start, end in places]
        return found


def _pattern_spans(doc: Document, block, is_chinese: bool, clauses: list[tuple[int, int]],
                   repeats_inside: bool) -> list[tuple[int, int, str]]:
    """Loops, self-coordination, symbol soup and noise in one block, given its clauses and
    whether it repeats one of its own long clauses (else it holds no noisy loop)."""
    text, offset = doc.text[block.start:block.end], block.start
    loop = "repetition loop: the same stretch four times or more, back to back"
    # A loop repeats words: a unit without a letter or digit is a leader of dots, a dash rule
    # or an ellipsis ("........", "--------", "……"), which printers set so.
    found = [(offset + start, offset + end, loop)
             for start, end, unit in _back_to_back(text) if any(ch.isalnum() for ch in unit)]
    for position in _self_coordinations(text):
        for start, end in clauses:
            if start <= offset + position < end:
                found.append((start, end, "a word coordinated with itself"))
    for run in SYMBOL_RUN.finditer(text):
        if len(set(run.group()) - PUNCTUATION_RUNS) >= 3:
            found.append((offset + run.start(), offset + run.end(), "symbol soup"))
    if is_chinese:
        for run in LATIN_RUN.finditer(text):
            if _is_latin_noise(run.group()):
                found.append((offset + run.start(), offset + run.end(), "Latin letters that form no words"))
        found += [(offset + start, offset + end, "characters running Chinese hardly ever uses (radicals, strokes, "
                   "bopomofo, Suzhou numerals, box drawing), several in a row") for start, end in _rare_runs(text)]
    if repeats_inside:
        relative = [(start - offset, end - offset) for start, end in clauses]
        found += [(offset + start, offset + end, "repetition loop: a clause repeated back to back, with a stray "
                   "character changed in some copies") for start, end in _noisy_loops(text, relative)]
    return found


def _self_coordinations(text: str) -> list[int]:
    """Where SELF_COORDINATION matches, looked for from its conjunctions (rare) instead of at
    every Han character. Overlapping matches are found too; a match holds no clause mark, so
    they flag the same clauses as the pattern's own matches."""
    return [conjunction.start() - length for conjunction in CONJUNCTION.finditer(text) for length in (2, 3, 4)
            if conjunction.start() >= length and SELF_COORDINATION.match(text, conjunction.start() - length)]


RARE_RUN = 3  # rare characters in a row (a name or a classical word has one or two)
NOISE_BLOCKS = "\u2500-\u259f\u2e80-\u2fdf\u3021-\u3029\u3100-\u312f\u31a0-\u31ef"  # box drawing, radicals,
# Suzhou numerals, bopomofo, strokes
HAN_RANGES = ((0x3400, 0x9FFF), (0x20000, 0x3FFFF))


@functools.cache
def _rare_character() -> re.Pattern[str]:
    """A character running Chinese text hardly ever has: a CJK character outside the first
    level of both national standards, or one of the blocks OCR noise is made of. One class
    (the Han ones as ranges between the common ones): a block is scanned once, in C."""
    common = sorted(ord(ch) for ch in common_han())
    ranges, index = [], 0
    for low, high in HAN_RANGES:
        start = low
        while index < len(common) and common[index] < low:
            index += 1
        while index < len(common) and common[index] <= high:
            if common[index] > start:
                ranges.append((start, common[index] - 1))
            start = common[index] + 1
            index += 1
        if start <= high:
            ranges.append((start, high))
    han = "".join(f"{chr(a)}-{chr(b)}" if b > a else chr(a) for a, b in ranges)
    return re.compile(f"[{NOISE_BLOCKS}{han}]")


@functools.cache
def _rare_run() -> re.Pattern[str]:
    return re.compile(f"{_rare_character().pattern}{{{RARE_RUN},}}")


def _rare_runs(text: str) -> list[tuple[int, int]]:
    return [run.span() for run in _rare_run().finditer(text) if len(set(run.group())) >= 2]


NOISY_COPY = 0.75  # similarity of two clauses that are copies of one another but for a stray
NOISY_LOOP_COPIES = 3


def _noisy_loops(text: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Three or more clauses in a row, copies of the first but for a character or two, at
    least two of them exact and at least one not (all exact is the back-to-back loop's job,
    at four copies; copies that differ only in digits are an enumeration, not a loop)."""
    clauses = [(s, e) for s, e in clauses if len(text[s:e].strip(CLAUSE_STRIP)) >= NOISY_CLAUSE]
    stripped = [text[s:e].strip(CLAUSE_STRIP) for s, e in clauses]
    if len(set(stripped)) == len(stripped):
        return []  # a loop repeats some clause exactly at least once
    found, i = [], 0
    while i < len(clauses):
        first = stripped[i]
        j = i + 1
        while j < len(clauses) and _copy_of(first, stripped[j]):
            j += 1
        copies = stripped[i:j]
        exact = sum(copy == first for copy in copies)
        if len(copies) >= NOISY_LOOP_COPIES and exact >= 2 and exact < len(copies):
            end = clauses[j - 1][1]
            if j < len(clauses):  # the last copy may run on into the text that follows it
                following = text[clauses[j][0]:clauses[j][1]]
                lead = len(following) - len(following.lstrip(CLAUSE_STRIP))
                if following[lead:].startswith(first):
                    end = clauses[j][0] + lead + len(first)
            found.append((clauses[i][0], end))
        i = max(j, i + 1)
    return found


def _one_script(text: str) -> str:
    """The text with every traditional character read as its simplified form: a copy that
    differs only in variants is still a copy."""
    return text.translate(_to_simplified())


@functools.cache
def _to_simplified() -> dict[int, str]:
    """OpenCC's traditional characters, each to its first simplified form: a table for str.translate."""
    return {ord(ch): forms[0] for ch, forms in opencc_table("TSCharacters").items()}


def _copy_of(a: str, b: str) -> bool:
    if a == b or (not a.isascii() and _one_script(a) == _one_script(b)):
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 4:
        return False
    if [ch for ch in a if not ch.isdigit()] == [ch for ch in b if not ch.isdigit()]:
        return False  # "Article 1, Article 2": an enumeration
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    return matcher.quick_ratio() >= NOISY_COPY and matcher.ratio() >= NOISY_COPY


def _is_latin_noise(run: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]{3,}", run) if not (w.isupper() and len(w) <= 5)]
    if len(words) < 2:
        return False
    noisy = [w for w in words if not re.search(r"[aeiouyAEIOUY]", w) or re.search(r"[^aeiouyAEIOUY]{5,}", w)]
    return len(noisy) >= 0.6 * len(words)


def flag_garbled(doc: Document) -> None:
    """Stage: clauses that look like garbage or repeat in a loop, flagged as garbled and kept."""
    blocks = [b for b in doc.blocks if b.kind in ("p", "head", "note")]
    sketch, loops = _ClauseSketch(doc, blocks), _LoopFinder(doc.text)
    spans = []
    for index, block in enumerate(blocks):
        clauses, recurs, repeats_inside = sketch.block_clauses(index)
        loops.add(clauses, recurs)
        spans += _pattern_spans(doc, block, (block.lang or doc.lang or "").startswith("zh"), clauses, repeats_inside)
    spans += loops.spans()
    edits = []
    for start, end, reason in _merge(spans):
        text = doc.text[start:end]
        # Trim the clause punctuation and spaces around the span: they are not garbled.
        lead = len(text) - len(text.lstrip(CLAUSE_STRIP))
        enumerator = ENUMERATOR.match(text, lead)  # "(一)" numbers the clause; it is not garbled
        lead = enumerator.end() if enumerator else lead
        trail = len(text) - len(text.rstrip(CLAUSE_STRIP))
        start, end = start + lead, end - trail
        if end > start:
            edits.append(Edit(start=start, end=end, kind="garbled", original=doc.text[start:end],
                              reason=reason, confidence=0.8, stage="garbled"))
    add_edits(doc, edits)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[list] = []
    for start, end, reason in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if reason not in merged[-1][2]:
                merged[-1][2] += "; " + reason
        else:
            merged.append([start, end, reason])
    return [tuple(m) for m in merged]
