"""Page numbers printed in letters: Roman numerals (``iv``, ``XII``, as books page their front
matter, the preface and contents before the Arabic body) and Greek alphabetic numerals with
their keraia (``ιβʹ``, as Greek books of the 19th and early 20th century page theirs).

The evidence is the same as for digits (:mod:`numbering`): a sequence that grows by one a
page, read at the same edge of consecutive pages. Letters are words too ("I." heads a chapter,
"δ'" is an elided δέ), so the rule asks more of them than of digits: a number read exactly
on three pages (or on every page of a short document) in one case and one system, twice as
often as any other such sequence, on at least half the pages of its span, and only on pages
the Arabic numbers leave alone. The OCR's usual confusions (``l`` or ``1`` for ``i``, ``y``
for ``v``, ``u`` for ``ii``) are read only where that sequence needs the number."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.numerals import GREEK_VALUES, greek_to_int, roman_to_int
from pipeline.stages.pageedges.lines import NUMBER_MAX_CHARS, Line

# The keraia as fonts, encodings and OCR give it: the numeral sign (its canonical form, U+02B9),
# the Greek numeral sign, tonos, acute accent, prime, apostrophe, right single quote
KERAIA = "\u02b9\u0374\u0384\u00b4\u2032'\u2019"
PRINTED_KERAIA = "\u0374"  # the keraia a page break's @n gives
ROMAN_LETTERS = "ivxlcdm"
# What the OCR reads for a Roman numeral's letters, where the sequence needs the number
ROMAN_CONFUSIONS = str.maketrans({"1": "i", "l": "i", "|": "i", "!": "i", "j": "i", "í": "i", "ì": "i", "y": "v",
                                  "u": "ii"})
# A number alone, or in the frame printers set it in: "[iv]", "(xii)", "— vi —"
FRAMED_LETTERS = re.compile(r"^(?:[(\[]\s*(?P<a>\S{1,8}?)\s*[)\]]|[-–—]\s*(?P<b>\S{1,8}?)\s*[-–—]|(?P<c>\S{1,8}))$")
MIN_READ = 3  # pages that read the number exactly: the run (fewer only where every page reads it)
OVER_RIVAL = 2  # as many times as often as any other sequence of letters
SPAN_SHARE = 0.5  # of the pages from the run's first to its last


@dataclass(frozen=True)
class Numeral:
    """A number printed in letters: its system ("roman", "ROMAN" in capitals, "greek") and value."""
    system: str
    value: int

    @property
    def printed(self) -> str:
        """The number as the system prints it: ``xiv``, ``XIV``, ``ιδʹ``."""
        return printed(self.system, self.value)


def printed(system: str, value: int) -> str:
    """``value`` in the numerals of ``system`` ("roman", "ROMAN", "greek"), as printed.

    >>> printed("roman", 14), printed("ROMAN", 1668), printed("greek", 16), printed("greek", 123)
    ('xiv', 'MDCLXVIII', 'ιϛʹ', 'ρκγʹ')
    """
    if system == "greek":
        letters = {v: ch for ch, v in GREEK_VALUES.items() if ch not in "ϙ"}
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
    if line.with_head or line.line_number or len(text) > NUMBER_MAX_CHARS + 4:
        return None
    found = FRAMED_LETTERS.match(text)
    return next(group for group in found.groups() if group) if found else None


def lettered(line: Line) -> Numeral | None:
    """The number the line prints in letters, read exactly: a Roman numeral in one case and in
    its regular form (``iiij`` as early printers end it too), or Greek letters in the order of
    their values closed by a keraia; None for anything else ("I." heads a section; "Cap", "ὁ").

    >>> [lettered(Line(0, 0, text)) for text in ("xiv", "[IV]", "— vi —", "iij", "ιβʹ", "δ'")]  # doctest: +ELLIPSIS
    [Numeral(system='roman', value=14), Numeral(system='ROMAN', value=4), ..., Numeral(system='greek', value=4)]
    >>> [lettered(Line(0, 0, text)) for text in ("I.", "Cap", "Xi", "IIX", "ὁ", "ab'")]
    [None, None, None, None, None, None]
    """
    word = inside(line)
    if not word:
        return None
    if word[-1] in KERAIA and len(word) <= 5:
        letters = word[:-1].lower()
        value = greek_to_int(letters) if letters else None
        return Numeral("greek", value) if value else None
    if not word.isalpha() or not (word.islower() or word.isupper()):
        return None
    regular = re.sub(r"j$", "i", word.lower()) if re.fullmatch(r"[ivxlcdm]*ij", word.lower()) else word.lower()
    value = roman_to_int(regular) if all(ch in ROMAN_LETTERS for ch in regular) else None
    if value is None or printed("roman", value) != regular:
        return None
    return Numeral("roman" if word.islower() else "ROMAN", value)


def fits_in_letters(line: Line, numeral: Numeral) -> bool:
    """Whether the line reads as ``numeral`` exactly, or as the OCR confuses its letters (a
    Roman numeral's ``i`` read ``l``, ``1`` or ``j``, its ``v`` read ``y``, ``ii`` read ``u``;
    a Greek one's keraia read as any of its lookalikes)."""
    if lettered(line) == numeral:
        return True
    word = inside(line)
    if not word or numeral.system == "greek":
        return False
    expected = numeral.printed.lower()
    return len(word) <= len(expected) + 1 and word.lower().translate(ROMAN_CONFUSIONS) \
        == expected.translate(ROMAN_CONFUSIONS)


@dataclass
class LetteredRun:
    """The pages numbered in letters: the edge, the system, printed number minus the page's
    position, and the first and last page (by index) the run covers."""
    edge: str
    system: str
    offset: int
    first: int
    last: int

    def numeral(self, position: int) -> Numeral | None:
        """The number the run gives the page at ``position`` (none before the first)."""
        value = position + self.offset
        return Numeral(self.system, value) if value >= 1 else None


def lettered_run(candidates: dict[str, list[list[Line]]], at: list[int], free: list[bool]) -> LetteredRun | None:
    """The run of page numbers in letters, where there is one: ``candidates`` the lines at each
    page's top and foot that may hold its number, ``at`` the pages' positions, ``free`` the
    pages no Arabic number is found on, outside the span the Arabic numbers cover."""
    voters: dict[tuple[str, str, int], list[int]] = {}
    for edge, lines_of in candidates.items():
        for index, lines in enumerate(lines_of):
            if not free[index]:
                continue
            for numeral in {found for line in lines if (found := lettered(line)) is not None}:
                voters.setdefault((edge, numeral.system, numeral.value - at[index]), []).append(index)
    if not voters:
        return None
    counts = Counter({key: len(set(indices)) for key, indices in voters.items()})
    ranked = counts.most_common(2)
    (edge, system, offset), count = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    indices = sorted(set(voters[edge, system, offset]))
    every_page = count >= 2 and count == sum(free) == len(free)
    if count < MIN_READ and not every_page or count < OVER_RIVAL * runner_up \
            or count < SPAN_SHARE * (indices[-1] - indices[0] + 1):
        return None
    return LetteredRun(edge, system, offset, indices[0], indices[-1])
