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
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from itertools import accumulate, compress, repeat

import numpy
from rapidfuzz.distance import Indel

from pipeline.charmap import bmp_members, code_points
from pipeline.edits import add_edits
from pipeline.ingest.plausibility import common_han
from pipeline.model import Document, Edit
from pipeline.stages.script import opencc_table

# A unit repeated four times or more back to back. Units start where a clause or word starts
# (after punctuation or a space, or at the start of the block): a loop repeats a phrase, and
# trying every position would make this the slowest stage.
# Python's whitespace (str.isspace, the regex's \s) listed: a class of characters is tested
# in a step, \s by asking each character's Unicode category.
WHITESPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
UNIT_SEPARATORS = WHITESPACE + "，,、；;。.：:"
UNIT_COPIES = f"(?P<unit>[^{WHITESPACE}].{{1,39}}?)(?:[，,、；;{WHITESPACE}]{{0,4}}(?P=unit)){{3,}}"
BACK_TO_BACK = re.compile(f"(?:^|(?<=[{UNIT_SEPARATORS}])){UNIT_COPIES}")
# The same after a separator (a lookbehind would be tried at every position), tried only where
# _loop_starts finds that a loop may start.
LOOP_AFTER_SEPARATOR = re.compile(f"[{UNIT_SEPARATORS}]{UNIT_COPIES}")


def _back_to_back(text: str) -> list[tuple[int, int, str]]:
    """BACK_TO_BACK.finditer(text): (start, end, unit) of each of its matches, each the first
    match of LOOP_AFTER_SEPARATOR from where the last one ended, tried only where one may start."""
    found = []
    if first := BACK_TO_BACK.match(text):
        found.append((0, first.end(), first.group("unit")))
    position = found[-1][1] - 1 if found else 0  # a separator ending the last loop may precede the next
    match = LOOP_AFTER_SEPARATOR.match
    for start in _loop_starts(text):
        if start >= position and (loop := match(text, start)):
            found.append((loop.start("unit"), loop.end(), loop.group("unit")))
            position = loop.end() - 1
    return found


# Where a loop may start, found for a whole text at once (numpy) rather than by the regex at every
# separator (where a lookahead, for each of the copies, tried 43 places for the next: half the stage).
# A loop's copies begin with the same two characters, each copy at most REACH after the one
# before it: in the text's positions sorted by their pair (a radix sort of a 16-bit hash of it:
# pairs that share a hash only let more through), a loop's first copy is followed by three more
# of the same hash, each at most REACH after the one before (other places of the pair between
# its copies only shorten the steps). Those places, after a separator and not before a space,
# are where LOOP_AFTER_SEPARATOR is tried: a superset of where it matches.
REACH = 44  # from one copy's start to the next: a unit of 40 and 4 separators
STRETCH = 1 << 16  # characters looked at at once (and a loop's reach more): bounded memory
STRETCH_REACH = 4 * REACH  # more than a loop's first four copies span


@functools.cache
def _characters_in(character_class: str, wanted: bool) -> numpy.ndarray:
    """For each character of the Basic Multilingual Plane (by code), whether it is in the class
    (``wanted``) or not (else); U+FFFF stands for the characters beyond, never in the classes used."""
    members = bmp_members(re.compile(f"[{character_class}]"))
    return members if wanted else ~members


def _loop_starts(text: str) -> list[int]:
    """The separators of ``text`` where a match of LOOP_AFTER_SEPARATOR may start, in order."""
    if len(text) <= STRETCH + STRETCH_REACH:
        return _loop_starts_in(text).tolist()
    found = []
    for start in range(0, len(text), STRETCH):
        starts = _loop_starts_in(text[start:start + STRETCH + STRETCH_REACH])
        found += (starts[starts < STRETCH] + start).tolist()
    return found


def _loop_starts_in(text: str) -> numpy.ndarray:
    codes = code_points(text)
    if len(codes) < 9:  # a separator and four copies of two characters
        return numpy.zeros(0, numpy.int64)
    pairs = (((codes[:-1] * numpy.uint32(0x9E3779B1)) ^ codes[1:]) * numpy.uint32(0x85EBCA6B)) >> numpy.uint32(16)
    order = numpy.argsort(pairs.astype(numpy.uint16), kind="stable")  # by hash, in text order within one
    hashes = pairs[order]
    near = (numpy.diff(order) <= REACH) & (hashes[1:] == hashes[:-1])  # the next of the same hash is near
    firsts = order[:-3][near[:-2] & near[1:-1] & near[2:]]
    firsts = firsts[firsts > 0]
    firsts = firsts[_characters_in(WHITESPACE, False)[numpy.minimum(codes[firsts], 0xFFFF)]]
    return numpy.sort(firsts[_characters_in(UNIT_SEPARATORS, True)[numpy.minimum(codes[firsts - 1], 0xFFFF)]] - 1)


SELF_COORDINATION = re.compile(r"(?P<x>[\u4e00-\u9fff]{2,4})[與与和及同跟](?P=x)")
CONJUNCTIONS = "與与和及同跟"
CONJUNCTION = f"[{CONJUNCTIONS}]"
# A conjunction followed by the character two, three or four before it (the first of a word
# of two to four the conjunction may join to itself)
CONJUNCTION_ECHO = re.compile(f"{CONJUNCTION}(?=(.))(?:(?<=\\1.{CONJUNCTION})|(?<=\\1..{CONJUNCTION})"
                              f"|(?<=\\1...{CONJUNCTION}))")
# Four or more symbols in a row, of three kinds or more: not a dash, an ellipsis or a quote.
# Runs are written as one character and more (here and below): the regex engine skips to a
# pattern's first character class in C, but tries a pattern that begins with a repeat at
# every position (0.018 → 0.012 s over the seed-sized documents).
SYMBOL = r"[^\w\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]"
# Letters, digits and spaces of the common scripts, listed, none of them a SYMBOL: a class of
# ranges alone is tested in a step (a bitmap), where SYMBOL asks each character's Unicode
# category. A run is looked for from a character outside them, and the lookbehind keeps those
# that are symbols: the runs SYMBOL{4,} finds, at a third of its cost.
NOT_SYMBOLS = ("0-9A-Za-z_\t-\r \u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02c1\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481"
               "\u048a-\u052f\u1e00-\u1f15\u3000-\u303f\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff"
               "\uac00-\ud7a3\uff01-\uff0f\uff1a-\uff20\uff21-\uff3a\uff41-\uff5a")
SYMBOL_RUN = re.compile(f"[^{NOT_SYMBOLS}](?<={SYMBOL}){SYMBOL}{{3,}}")
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
    # A pair found again begins with a character found again: without two of those, no two pairs.
    return len(set(text)) <= len(text) - 2 and len(set(zip(text, text[1:]))) <= len(text) - 3


NOISY_CLAUSE = 4  # characters of a clause a noisy loop repeats
NO_WORDS = -1  # the hash of clauses that are nothing but punctuation (no text hashes to -1): they always recur
CHUNK = 1 << 20  # characters of blocks joined into one text at a time: few calls, bounded memory


# Blocks are split into clauses many at a time, joined by a clause mark: each block's clauses
# are those it has alone (the regex looks no further than the next character, and the mark
# ends a clause as the end of the block did), but for the last one, which takes the mark along
# (it strips away) or, when the block ends with a mark already, the mark as a clause of its own.
CLAUSE_JOINER = "，"


class _ClauseSketch:
    """Every clause of the document, and whether it occurs three times, in compact arrays.

    A sequence of clauses the document repeats three times is made of clauses it repeats
    three times, so sequences whose clauses do not recur are skipped without building their
    text. Clauses are counted by their hash (their texts are not kept: a book's would weigh as
    much as the book); a collision can only over-count. A block's clauses are listed only when
    asked for (most blocks need none). A text that several blocks have is split once: the later
    blocks are its copies, and only count its clauses again. What is computed for every clause
    or block is computed for all of them at once, in arrays."""

    def __init__(self, doc: Document, blocks, same: list[int] | None = None):
        self.blocks = blocks
        # each block's clauses (self.ends[first:last]), and what makes a position of their chunk the document's
        first, last, shift = (numpy.zeros(len(blocks), numpy.int64) for _ in range(3))
        self.repeats_long = numpy.zeros(len(blocks), bool)  # whether each block has a long clause twice
        self.split: list[int] = []  # the blocks whose texts were split, in order
        self.copies: dict[int, list[int]] = {}  # the blocks whose texts were split, to their copies
        ends, hashes = [numpy.zeros(0, numpy.int64)], [numpy.zeros(0, numpy.int64)]  # of each chunk split
        chunk, pieces, size = [], [], 0
        for index, original in enumerate(_same_text(doc.text, blocks) if same is None else same):
            if original != index:
                self.copies.setdefault(original, []).append(index)
                continue
            block = blocks[index]
            piece = doc.text[block.start:block.end]
            chunk.append(index)
            pieces.append(piece)
            size += len(piece)
            if size >= CHUNK:
                self._split(chunk, pieces, (first, last, shift), ends, hashes)
                chunk, pieces, size = [], [], 0
        if chunk:
            self._split(chunk, pieces, (first, last, shift), ends, hashes)
        self.ends = numpy.concatenate(ends)  # end of every clause of the texts split, in its chunk
        hashes = numpy.concatenate(hashes)  # each clause's hash (NO_WORDS for punctuation alone)
        # A copy counts its text's clauses again: twice at most, as by the third copy every clause recurs.
        counted = [hashes]
        for original, copies in self.copies.items():
            copies_array = numpy.array(copies)
            first[copies_array], last[copies_array] = first[original], last[original]
            self.repeats_long[copies_array] = self.repeats_long[original]
            shift[copies_array] = shift[original] - blocks[original].start + numpy.array(
                [blocks[copy].start for copy in copies])
            counted += [hashes[first[original]:last[original]]] * min(len(copies), DOCUMENT_REPEATS - 1)
        distinct, counts = numpy.unique(numpy.concatenate(counted), return_counts=True)
        self.recurs = (counts[numpy.searchsorted(distinct, hashes)] >= DOCUMENT_REPEATS) | (hashes == NO_WORDS)
        self.first, self.last, self.shift = first.tolist(), last.tolist(), shift.tolist()

    def _split(self, chunk: list[int], pieces: list[str], places, ends: list, hashes: list) -> None:
        """Split the texts of some blocks (by index) into clauses: note where each block's
        clauses are (``places``: first, last and shift arrays) and add the clauses' ends and
        hashes to ``ends`` and ``hashes``."""
        clauses = CLAUSE.findall(CLAUSE_JOINER.join(pieces) + CLAUSE_JOINER)
        clauses.pop()  # the empty match at the end
        count = len(clauses)
        keys = list(map(str.strip, clauses, repeat(CLAUSE_STRIP)))
        # hash() differs between processes, so collisions do too; they only let more
        # sequences through to the exact count, so the result is the same everywhere.
        clause_hashes = numpy.fromiter(map(hash, keys), numpy.int64, count)
        key_lengths = numpy.fromiter(map(len, keys), numpy.int64, count)
        clause_hashes[key_lengths == 0] = NO_WORDS
        clause_ends = numpy.fromiter(accumulate(map(len, clauses)), numpy.int64, count)
        lengths = numpy.fromiter(map(len, pieces), numpy.int64, len(pieces))
        joiners = numpy.cumsum(lengths + 1) - 1  # where each block's joiner stands
        lasts = numpy.searchsorted(clause_ends, joiners + 1)  # the clause each joiner ends
        alone = numpy.where(lasts > 0, clause_ends[lasts - 1], 0) == joiners  # the joiner is a clause of its own
        stops = lasts + ~alone
        firsts = numpy.concatenate(([0], lasts[:-1] + 1))
        done = sum(map(len, ends))  # clauses of earlier chunks
        chunk_array = numpy.array(chunk)
        first, last, shift = places
        first[chunk_array], last[chunk_array] = done + firsts, done + stops
        shift[chunk_array] = numpy.array([self.blocks[index].start for index in chunk]) - (joiners - lengths)
        # Blocks with a long clause twice: (block, hash) of each long clause, sorted, pairs side by side.
        clause_block = numpy.searchsorted(firsts, numpy.arange(count), "right") - 1
        long = (key_lengths >= NOISY_CLAUSE) & (numpy.arange(count) < stops[clause_block])
        long_blocks, long_hashes = clause_block[long], clause_hashes[long]
        order = numpy.lexsort((long_hashes, long_blocks))
        long_blocks, long_hashes = long_blocks[order], long_hashes[order]
        twice = (long_blocks[1:] == long_blocks[:-1]) & (long_hashes[1:] == long_hashes[:-1])
        self.repeats_long[chunk_array[long_blocks[1:][twice]]] = True
        self.split += chunk
        ends.append(clause_ends)
        hashes.append(clause_hashes)

    def clauses(self, index: int) -> list[tuple[int, int]]:
        """The clauses of the index-th block, as (start, end) in the document."""
        block, shift = self.blocks[index], self.shift[index]
        ends = [end + shift for end in self.ends[self.first[index]:self.last[index]].tolist()]
        if ends:
            ends[-1] = min(ends[-1], block.end)  # the last clause without the joiner
        return list(zip([block.start, *ends], ends))

    def recurring(self) -> Iterator[tuple[int, list[bool], list[int]]]:
        """The blocks with a clause the document has three times (or one of nothing but
        punctuation), by index, whether each of their clauses recurs so, and the blocks that
        are copies of each."""
        if not self.split:
            return
        split = numpy.array(self.split)
        clauses = numpy.flatnonzero(self.recurs)
        places = numpy.searchsorted(numpy.array(self.first)[split], clauses, "right") - 1
        inside = clauses < numpy.array(self.last)[split[places]]  # else the clause of a joiner alone, between blocks
        for index in split[numpy.unique(places[inside])].tolist():
            yield index, self.recurs[self.first[index]:self.last[index]].tolist(), self.copies.get(index, [])

    def repeats_inside(self, index: int) -> bool:
        """Whether the index-th block may repeat one of its long clauses (as a noisy loop does)."""
        return bool(self.repeats_long[index])


class _LoopFinder:
    """Clause sequences (1–3 clauses) that the document repeats and that repeat themselves,
    gathered block after block."""

    def __init__(self, text: str):
        self.text = text
        # Where each sequence of recurring clauses stands: (start, end, shifts) of a block, where
        # shifts place the block's copies (0: itself). Whether a sequence may repeat itself is
        # asked at the end, of those found three times only.
        self.places: dict[str, list[tuple[int, int, list[int]]]] = {}
        self.copied: set[str] = set()  # the sequences found in a block with copies (else one place each)

    def add(self, clauses: list[tuple[int, int]], recurs: list[bool], shifts: list[int]) -> None:
        """A block's clauses and whether each recurs three times in the document; ``shifts``:
        where the block's text stands again, from its own start (0 for itself)."""
        text, places, copied = self.text, self.places, len(shifts) > 1
        count = len(clauses)
        for i in compress(range(count), recurs):  # sequences of 1 to 3 clauses, each recurring
            start = clauses[i][0]
            for j in range(i, min(i + 3, count)):
                if not recurs[j]:
                    break
                end = clauses[j][1]
                if end - start < MIN_LOOP_CLAUSE:
                    continue  # too short to be a candidate, stripped or not
                key = text[start:end].strip(CLAUSE_STRIP)
                if len(key) > MAX_LOOP_SPAN:
                    break  # and so are the longer sequences
                if len(key) >= MIN_LOOP_CLAUSE:
                    if (found := places.get(key)) is None:
                        places[key] = [(start, end, shifts)]
                    else:
                        found.append((start, end, shifts))
                    if copied:
                        self.copied.add(key)

    def spans(self) -> list[tuple[int, int, str]]:
        found = []
        for key, places in self.places.items():
            count = sum(len(shifts) for _, _, shifts in places) if key in self.copied else len(places)
            if count >= DOCUMENT_REPEATS and _may_repeat_itself(key) and _repeats_itself(key):
                found += [(start + shift, end + shift, "repetition loop: a clause sequence repeated "
                           f"{count}× in the document that repeats itself within")
                          for start, end, shifts in places for shift in shifts]
        return found


# Blocks joined into one text, each after BLOCK_JOINER, so that each pattern scans the document
# in one call rather than one per block (a document has hundreds). No pattern matches across the
# joiner: a loop's unit holds no line break and its separators no NUL, and the other patterns'
# characters are neither. (The loop's lookahead may look across it: that only lets more starts
# through to the unit's own test.) What the patterns find in a block depends on its text alone,
# so a text that several blocks have (a repeated heading, a book set twice) is scanned once.
BLOCK_JOINER = "\n\x00\n"


def _same_text(text: str, blocks) -> list[int]:
    """For each block, the first block that has the same text (its own index when none before
    it has). Texts are looked up by their hash and compared where two hashes meet: a dict keyed
    by the texts would hold a copy of the text of every block (of the whole book, for a book)."""
    first_with: dict[int, list[int]] = {}  # the hash of each text, to the first blocks that have it
    same = []
    for index, block in enumerate(blocks):
        piece = text[block.start:block.end]
        firsts = first_with.setdefault(hash(piece), [])
        for first in firsts:
            other = blocks[first]
            if other.end - other.start == len(piece) and text.startswith(piece, other.start):
                same.append(first)
                break
        else:
            firsts.append(index)
            same.append(index)
    return same


class _JoinedBlocks:
    def __init__(self, text: str, blocks, same: list[int] | None = None):
        """``same``: for each block, a block with the same text (as _same_text gives them)."""
        places: dict[int, int] = {}  # each text (by its block in ``same``), by its place among the texts joined
        self.copies: list[list[int]] = []  # the blocks (their indexes) that have each text joined
        pieces = []
        for index, original in enumerate(_same_text(text, blocks) if same is None else same):
            place = places.setdefault(original, len(pieces))
            if place == len(pieces):
                block = blocks[index]
                pieces.append(text[block.start:block.end])
                self.copies.append([index])
            else:
                self.copies[place].append(index)
        self.text = BLOCK_JOINER + BLOCK_JOINER.join(pieces)
        self.starts = list(accumulate([len(BLOCK_JOINER)] + [len(piece) + len(BLOCK_JOINER) for piece in pieces]))
        self.blocks = blocks

    def place(self, position: int) -> list[tuple[int, int]]:
        """Each block a position of the joined text stands for (by its index), and what to add
        to the position to make it the document's."""
        place = bisect_right(self.starts, position) - 1
        return [(index, self.blocks[index].start - self.starts[place]) for index in self.copies[place]]

    def spans(self, spans: Iterable[tuple[int, int]], reason: str) -> list[tuple[int, int, str]]:
        """Spans of the joined text, each inside one text, as spans of the document."""
        return [(start + shift, end + shift, reason) for start, end in spans for _, shift in self.place(start)]


LOOP = "repetition loop: the same stretch four times or more, back to back"
COORDINATED = "a word coordinated with itself"
SYMBOL_SOUP = "symbol soup"
LATIN_NOISE = "Latin letters that form no words"
RARE_NOISE = ("characters running Chinese hardly ever uses (radicals, strokes, bopomofo, Suzhou numerals, "
              "box drawing), several in a row")
NOISY_LOOP = "repetition loop: a clause repeated back to back, with a stray character changed in some copies"


def _pattern_spans(doc: Document, blocks, sketch: _ClauseSketch, same: list[int]) -> list[tuple[int, int, str]]:
    """Loops, self-coordination, symbol soup and noise in the blocks, given their clauses and
    which have the same text (``same``, as _same_text gives it)."""
    joined = _JoinedBlocks(doc.text, blocks, same)
    # A loop repeats words: a unit without a letter or digit is a leader of dots, a dash rule
    # or an ellipsis ("........", "--------", "……"), which printers set so.
    found = joined.spans(((start, end) for start, end, unit in _back_to_back(joined.text)
                          if any(ch.isalnum() for ch in unit)), LOOP)
    for position in _self_coordinations(joined.text):
        for index, shift in joined.place(position):
            found += [(start, end, COORDINATED) for start, end in sketch.clauses(index)
                      if start <= position + shift < end]
    found += joined.spans((run.span() for run in SYMBOL_RUN.finditer(joined.text)
                           if len(set(run.group()) - PUNCTUATION_RUNS) >= 3), SYMBOL_SOUP)
    if chinese := [index for index, block in enumerate(blocks) if (block.lang or doc.lang or "").startswith("zh")]:
        if len(chinese) < len(blocks):  # (else the blocks joined already)
            first_among: dict[int, int] = {}  # the first Chinese block with each text
            joined = _JoinedBlocks(doc.text, [blocks[index] for index in chinese],
                                   [first_among.setdefault(same[index], place) for place, index in enumerate(chinese)])
        found += joined.spans((run.span() for run in LATIN_RUN.finditer(joined.text) if _is_latin_noise(run.group())),
                              LATIN_NOISE)
        found += joined.spans(_rare_runs(joined.text), RARE_NOISE)
    for index in sketch.split:  # a block with its copies
        if sketch.repeats_inside(index):  # else the block holds no noisy loop
            block = blocks[index]
            relative = [(start - block.start, end - block.start) for start, end in sketch.clauses(index)]
            noisy = _noisy_loops(doc.text[block.start:block.end], relative)
            found += [(blocks[copy].start + start, blocks[copy].start + end, NOISY_LOOP)
                      for copy in [index, *sketch.copies.get(index, [])] for start, end in noisy]
    return found


def _self_coordinations(text: str) -> list[int]:
    """Where SELF_COORDINATION matches, looked for from its conjunctions (rare) instead of at
    every Han character, and from those only that the word's first character follows (the
    lookbehinds). Overlapping matches are found too; a match holds no clause mark, so they
    flag the same clauses as the pattern's own matches."""
    if not any(conjunction in text for conjunction in CONJUNCTIONS):  # a literal search each, in C
        return []
    return [conjunction.start() - length for conjunction in CONJUNCTION_ECHO.finditer(text) for length in (2, 3, 4)
            if conjunction.start() >= length and SELF_COORDINATION.match(text, conjunction.start() - length)]


RARE_RUN = 3  # rare characters in a row (a name or a classical word has one or two)
NOISE_BLOCKS = "\u2500-\u259f\u2e80-\u2fdf\u3021-\u3029\u3100-\u312f\u31a0-\u31ef"  # box drawing, radicals,
# Suzhou numerals, bopomofo, strokes
HAN_RANGES = ((0x3400, 0x9FFF), (0x20000, 0x3FFFF))


@functools.cache
def _rare_table() -> numpy.ndarray:
    """For each character (by code) to the end of the CJK planes, whether running Chinese text
    hardly ever has it: a CJK character outside the first level of both national standards, or
    one of the blocks OCR noise is made of; the last entry stands for every character beyond
    (none is). Looked up for a whole text at once: a regex of the class (thousands of ranges
    between the common characters) took 0.05 s to build, in every process."""
    table = numpy.zeros(HAN_RANGES[-1][1] + 2, bool)
    for low, high in HAN_RANGES:
        table[low:high + 1] = True
    table[[code for code in map(ord, common_han()) if code < len(table) - 1]] = False
    table[:0x10000] |= _characters_in(NOISE_BLOCKS, True)
    return table


def _rare_runs(text: str) -> list[tuple[int, int]]:
    """The runs of RARE_RUN rare characters or more, of two kinds at least: (start, end) of each,
    a piece of about RARE_PIECE characters at a time (bounded memory), cut where no run can be."""
    found, start = [], 0
    while start < len(text):
        end = _rare_cut(text, start + RARE_PIECE)
        rare = _rare(text[start:end])
        edges = numpy.flatnonzero(numpy.diff(rare, prepend=0, append=0)) + start  # where runs begin and end
        firsts, lasts = edges[0::2], edges[1::2]
        long = lasts - firsts >= RARE_RUN
        found += [(first, last) for first, last in zip(firsts[long].tolist(), lasts[long].tolist())
                  if len(set(text[first:last])) >= 2]
        start = end
    return found


RARE_PIECE = 1 << 16  # characters of a text _rare_runs() looks at at once, about


def _rare(text: str) -> numpy.ndarray:
    """1 for each rare character of ``text`` (_rare_table()), 0 for the others."""
    table = _rare_table()
    return table[numpy.minimum(code_points(text), len(table) - 1)].view(numpy.int8)


def _rare_cut(text: str, at: int) -> int:
    """Where to end a piece of ``text`` at ``at`` or after: just after a character no rare run
    holds, so that no run is cut in two. A line break if one comes within two pieces, else the
    first character that is not rare (a long block of Chinese with no line break), looked for
    a piece at a time; the text's end if none."""
    end = text.find("\n", at, at + 2 * RARE_PIECE)
    if end >= 0:
        return end + 1
    while at < len(text):
        common = numpy.flatnonzero(_rare(text[at:at + RARE_PIECE]) == 0)
        if len(common):
            return at + int(common[0]) + 1
        at += RARE_PIECE
    return len(text)


NOISY_COPY = 0.75  # similarity of two clauses that are copies of one another but for a stray
NOISY_LOOP_COPIES = 3


def _noisy_loops(text: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Three or more clauses in a row, copies of the first but for a character or two, at
    least two of them exact and at least one not (all exact is the back-to-back loop's job,
    at four copies; copies that differ only in digits are an enumeration, not a loop)."""
    kept = [(s, e, key) for s, e in clauses if len(key := text[s:e].strip(CLAUSE_STRIP)) >= NOISY_CLAUSE]
    clauses, stripped = [(s, e) for s, e, _ in kept], [key for _, _, key in kept]
    if len(set(stripped)) == len(stripped):
        return []  # a loop repeats some clause exactly at least once
    found, i = [], 0
    while i < len(clauses):
        first = stripped[i]
        j = i + 1
        while j < len(clauses) and _copy_of(first, stripped[j]):
            j += 1
        copies = stripped[i:j]
        exact = sum(copy == first for copy in copies) if len(copies) >= NOISY_LOOP_COPIES else 0
        if exact >= 2 and exact < len(copies):
            end = clauses[j - 1][1]
            if j < len(clauses):  # the last copy may run on into the text that follows it
                following = text[clauses[j][0]:clauses[j][1]]
                lead = len(following) - len(following.lstrip(CLAUSE_STRIP))
                if following[lead:].startswith(first):
                    end = clauses[j][0] + lead + len(first)
            found.append((clauses[i][0], end))
        i = max(j, i + 1)
    return found


@functools.lru_cache(maxsize=1 << 12)
def _one_script(text: str) -> str:
    """The text with every traditional character read as its simplified form: a copy that
    differs only in variants is still a copy. (Kept for the clauses asked again: a loop's
    clause is compared with each that follows it, and recurs.)"""
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
    # difflib's matching blocks are a common subsequence: its ratio is at most the longest
    # one's (rapidfuzz's Indel similarity, in C), so pairs below the bar there are not copies.
    if Indel.normalized_similarity(a, b) < NOISY_COPY - 1e-9:
        return False
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
    same = _same_text(doc.text, blocks)
    sketch, loops = _ClauseSketch(doc, blocks, same), _LoopFinder(doc.text)
    for index, recurs, copies in sketch.recurring():
        loops.add(sketch.clauses(index), recurs, [0] + [blocks[copy].start - blocks[index].start for copy in copies])
    spans = _pattern_spans(doc, blocks, sketch, same) + loops.spans()
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
