"""Page numbers printed in letters: Roman numerals (``iv``, ``XII``, as books page their front
matter, the preface and contents before the Arabic body) and Greek alphabetic numerals with
their keraia (``ιβʹ``, as Greek books of the 19th and early 20th century page theirs).

The evidence is the same as for digits (:mod:`numbering`): a sequence that grows by one a
page, read at the same edge of consecutive pages. Letters are words too ("I." heads a chapter,
"V" numbers a poem, "δ'" is an elided δέ), so the rule asks more of them than of digits: one
offset (number minus the page's position) read exactly on three pages (or on every page of a
short document) in one case and one system, twice as often as any other such sequence's,
the chain around it read on a good share of the pages it spans, and only on pages the Arabic
numbers leave alone. The OCR's usual confusions (``l`` or ``1`` for ``i``, ``y`` for ``v``,
``u`` for ``ii``) are read only where that sequence needs the number."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.numerals import GREEK_VALUES, KERAIA, greek_to_int, roman_to_int
from pipeline.stages.pageedges.lines import (NUMBER_MAX_CHARS, RUNNING_HEAD_MIN_PAGES, Line, alike_counts, ends,
                                            head_key)

# The keraia as fonts, encodings and OCR give it: the marks numerals.KERAIA reads in a numeral
# (the numeral sign's canonical form U+02B9, tonos, apostrophe, right single quote), and the
# Greek numeral sign, the acute accent and the prime
KERAIA_AS_READ = KERAIA + "\u0374\u00b4\u2032"
NUMERAL_SIGNS = "\u02b9\u0374"  # the keraia as no other mark reads
PRINTED_KERAIA = "\u02b9"  # the keraia a page break's @n gives: the numeral sign as NFC has it (U+0374 becomes it)
ROMAN_LETTERS = "ivxlcdm"
SPECKS = ".,·:;'`‘’"  # marks the OCR reads beside a number from specks on the page ("xxiii·")
# What the OCR reads for a Roman numeral's letters, where the sequence needs the number
ROMAN_CONFUSIONS = str.maketrans({"1": "i", "l": "i", "|": "i", "!": "i", "j": "i", "í": "i", "ì": "i", "y": "v",
                                  "u": "ii"})
# A number alone, or in the frame printers set it in: "[iv]", "(xii)", "— vi —"
FRAMED_LETTERS = re.compile(r"^(?:[(\[]\s*(?P<a>\S{1,8}?)\s*[)\]]|[-–—]\s*(?P<b>\S{1,8}?)\s*[-–—]|(?P<c>\S{1,8}))$")
MIN_READ = 3  # pages that read the number exactly: the run (fewer only where every page reads it)
OVER_RIVAL = 2  # as many times as often as any other sequence of letters
SPAN_SHARE = 0.3  # of the pages from the run's first to its last
HEAD_MAX_CHARS = 80  # a running head with its number: no line of text
MAX_DRIFT = 2  # pages missing from the scans (or plates the printer did not count) between two numbers read


@dataclass(frozen=True)
class Numeral:
    """A number printed in letters: its system ("roman", "ROMAN" in capitals, "greek") and value."""
    system: str
    value: int
    six: str = field(default="ϛ", compare=False, repr=False)  # a Greek 6 as the book prints it: stigma, or "στ"

    @property
    def printed(self) -> str:
        """The number as the system prints it: ``xiv``, ``XIV``, ``ιδʹ``."""
        return printed(self.system, self.value, self.six)


def printed(system: str, value: int, six: str = "ϛ") -> str:
    """``value`` in the numerals of ``system`` ("roman", "ROMAN", "greek"), as printed (a Greek 6
    as ``six``).

    >>> printed("roman", 14), printed("ROMAN", 1668), printed("greek", 16), printed("greek", 123)
    ('xiv', 'MDCLXVIII', 'ιϛʹ', 'ρκγʹ')
    """
    if system == "greek":
        letters = {v: ch for ch, v in GREEK_VALUES.items() if ch not in "ϙ"} | {6: six}
        parts = [letters[digit * unit] for unit in (100, 10, 1) if (digit := value // unit % 10)]
        return "".join(parts) + PRINTED_KERAIA
    roman = ""
    for amount, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                            (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, value = divmod(value, amount)
        roman += letters * count
    return roman.upper() if system == "ROMAN" else roman


def inside(line: Line) -> str | None:
    """The word that may be the number on a short line (or the number's piece of it): alone, or
    inside its frame; None where the line is longer or holds more."""
    text = (line.token if line.token is not None else line.text).strip()
    if line.line_number or len(text) > NUMBER_MAX_CHARS + 4:
        return None
    found = FRAMED_LETTERS.match(text)
    return next(group for group in found.groups() if group) if found else None


def lettered(line: Line) -> Numeral | None:
    """The number the line prints in letters, read exactly: a Roman numeral in one case and in
    its regular form (``iiij`` as early printers end it too), or Greek letters in the order of
    their values closed by a keraia; None for anything else ("I." heads a section; "Cap", "ὁ").

    >>> [lettered(Line(0, 0, text)).printed for text in ("xiv", "[IV]", "— vi —", "iij", "ιβ'", "στʹ", "δ'")]
    ['xiv', 'IV', 'vi', 'iii', 'ιβʹ', 'στʹ', 'δʹ']
    >>> [lettered(Line(0, 0, text)) for text in ("I.", "Cap", "Xi", "IIX", "ὁ", "ab'")]
    [None, None, None, None, None, None]
    """
    word = inside(line)
    if not word:
        return None
    if word[-1] in KERAIA_AS_READ and len(word) <= 5:
        letters = word[:-1].lower()
        value = greek_to_int(letters) if letters else None
        return Numeral("greek", value, "στ" if "στ" in letters else "ϛ") if value else None
    if not word.isalpha() or not (word.islower() or word.isupper()):
        return None
    regular = re.sub(r"j$", "i", word.lower()) if re.fullmatch(r"[ivxlcdm]*ij", word.lower()) else word.lower()
    value = roman_to_int(regular) if all(ch in ROMAN_LETTERS for ch in regular) else None
    if value is None or printed("roman", value) != regular:
        return None
    return Numeral("roman" if word.islower() else "ROMAN", value)


def alone_in_letters(line: Line) -> Numeral | None:
    """The number a line alone prints in letters where no sequence vouches for it: read exactly,
    a Greek one closed by the numeral sign itself (an apostrophe closes an elided word: δ' is δέ)."""
    numeral = lettered(line)
    if numeral is None or numeral.system == "greek" and inside(line)[-1] not in NUMERAL_SIGNS:
        return None
    return numeral


def fits_in_letters(line: Line, numeral: Numeral) -> bool:
    """Whether the line reads as ``numeral`` exactly, or as the OCR confuses its letters (a
    Roman numeral's ``i`` read ``l``, ``1`` or ``j``, its ``v`` read ``y``, ``ii`` read ``u``,
    a letter in the other case, a speck beside it read as a stop: ``X`` for x, ``xxiii·``; a
    Greek one's keraia read as any of its lookalikes)."""
    if lettered(line) == numeral:
        return True
    word = (inside(line) or "").strip(SPECKS)
    if not word or numeral.system == "greek":
        return False
    expected = numeral.printed.lower()
    return len(word) <= len(expected) + 1 and word.lower().translate(ROMAN_CONFUSIONS) \
        == expected.translate(ROMAN_CONFUSIONS)


def numbers_beside_heads(tops: list[Line | None]) -> dict[int, Line]:
    """The pages' top lines (by page index; None where a page has none to offer) that are a
    running head with a number in letters at one end ("PREFACE. vii", "viii INTRODUCTION",
    "ιβʹ ΠΡΟΛΕΓΟΜΕΝΑ"): the words beside it repeat at the tops of three pages or more, as the
    OCR reads them, and hold no other number (a chapter's and verse's beside a book's name,
    "XVIII 24 ΓΕΝΕΣΙΣ", make a head whose numeral is the chapter's). Each as a piece of its
    line whose token is the number (the line itself keeps its reading)."""
    found: list[tuple[int, Line, str]] = []
    for index, line in enumerate(tops):
        if line is None or line.token is not None or len(line.text) > HEAD_MAX_CHARS:
            continue
        for token, rest in ends(line.text):
            piece = Line(line.start, line.end, line.text, token=token)
            if lettered(piece) is not None and not any(ch.isdigit() for ch in rest) and (key := head_key(rest)):
                found.append((index, piece, key))
                break
    alike = alike_counts(Counter(key for _, _, key in found))
    return {index: piece for index, piece, key in found if alike[key] >= RUNNING_HEAD_MIN_PAGES}


@dataclass
class LetteredRun:
    """The pages numbered in letters: the edge, the system, and the pages (by index) that read
    their numbers exactly in sequence, each with its value (``anchors``, in page order)."""
    edge: str
    system: str
    anchors: list[tuple[int, int]]
    six: str = "ϛ"  # a Greek 6 as the book prints it (stigma, or "στ"): the pages it counts print theirs so

    @property
    def first(self) -> int:
        """The first page (by index) that reads its number in the run."""
        return self.anchors[0][0]

    @property
    def last(self) -> int:
        """The last page (by index) that reads its number in the run."""
        return self.anchors[-1][0]

    def expected(self, index: int, at: list[int]) -> list[Numeral]:
        """The numbers the run may give the page ``index`` (``at``: the pages' positions), counted
        from the anchor before it and from the one after it: one number where both agree, two
        where a page is missing (or one the printer did not count is present) between them."""
        before = [(i, v) for i, v in self.anchors if i <= index][-1:]
        after = [(i, v) for i, v in self.anchors if i >= index][:1]
        values = dict.fromkeys([v + at[index] - at[i] for i, v in before] + [v - at[i] + at[index] for i, v in after])
        return [Numeral(self.system, value, self.six) for value in values if value >= 1]

    def counted(self, index: int, at: list[int]) -> Numeral | None:
        """The number of a page inside the run that prints none, where the pages around it agree on it."""
        if not self.first <= index <= self.last:
            return None
        expected = self.expected(index, at)
        return expected[0] if len(expected) == 1 else None


def lettered_run(candidates: dict[str, list[list[Line]]], at: list[int], free: list[bool]) -> LetteredRun | None:
    """The run of page numbers in letters, where there is one: ``candidates`` the lines at each
    page's top and foot that may hold its number, ``at`` the pages' positions, ``free`` the
    pages no Arabic number is found on, outside the span the Arabic numbers cover. For each
    edge and system the offset (number minus position) most numbers read exactly agree on,
    and the chain of the reads that grow with the pages at or near it (a page missing, or one
    the printer did not count, shifts it by one or two); the edge and system whose offset is
    read most often, where that is often enough and twice as often as any other's, and whose
    chain is read on enough of the pages it spans. Numbers that grow more slowly than the
    pages (chapters a page or two long, each numbered at the top) agree on no offset."""
    reads: dict[tuple[str, str], list[tuple[int, int]]] = {}
    sixes: Counter[str] = Counter()  # how the Greek numerals read print a 6
    for edge, lines_of in candidates.items():
        for index, lines in enumerate(lines_of):
            if free[index]:
                for numeral in sorted({found for line in lines if (found := lettered(line)) is not None},
                                      key=lambda numeral: (numeral.system, numeral.value)):
                    reads.setdefault((edge, numeral.system), []).append((index, numeral.value))
                    sixes.update([numeral.six] if numeral.system == "greek" and numeral.value % 10 == 6 else [])
    ranked = []  # (reads at the offset most agree on, the chain, edge and system)
    for key, found in reads.items():
        offsets = Counter(value - at[index] for index, value in found)
        offset, count = min(offsets.items(), key=lambda item: (-item[1], item[0]))
        near = [(index, value) for index, value in found if abs(value - at[index] - offset) <= MAX_DRIFT]
        ranked.append((count, _chain(near, at), key))
    ranked.sort(key=lambda entry: -entry[0])
    if not ranked:
        return None
    count, chain, (edge, system) = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    every_page = len(chain) >= 2 and len(chain) == sum(free) == len(free)
    if count < MIN_READ and not every_page or count < OVER_RIVAL * runner_up \
            or len(chain) < SPAN_SHARE * (chain[-1][0] - chain[0][0] + 1):
        return None
    six = min(sixes, key=lambda printed: (-sixes[printed], printed)) if sixes else "ϛ"
    return LetteredRun(edge, system, chain, six)


def _chain(reads: list[tuple[int, int]], at: list[int]) -> list[tuple[int, int]]:
    """The longest run of (page index, value) reads, in page order, whose values grow as the
    pages' positions do, each step within MAX_DRIFT of the pages' (ties to the earliest)."""
    best = [1] * len(reads)
    back = [-1] * len(reads)
    for j, (index_j, value_j) in enumerate(reads):
        for i in range(j):
            index_i, value_i = reads[i]
            pages, values = at[index_j] - at[index_i], value_j - value_i
            if index_i < index_j and values >= 1 and abs(values - pages) <= MAX_DRIFT and best[i] + 1 > best[j]:
                best[j], back[j] = best[i] + 1, i
    if not reads:
        return []
    j = max(range(len(reads)), key=lambda k: (best[k], -k))
    chain = []
    while j >= 0:
        chain.append(reads[j])
        j = back[j]
    return chain[::-1]
