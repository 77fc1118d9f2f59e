"""The text's lines as the page-edge rules read them: where page marks stand, how many blank
lines come before each, which part of a line could be a page number and what it reads as."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

from pipeline.stages.pageedges.alike import within_bound
from pipeline.stages.textshape import without_engine_spaces
from pipeline.stages.textshape import OCR_DIGITS, SimilarTo, text_key
from pipeline.numerals import chinese_page_numbers
from pipeline.stages.textshape import SPACE

PAGE_MARKS = "\f\ufeff"  # a form feed, or a byte-order mark where page files were concatenated
NUMBER_MAX_CHARS = 8  # a page-number line, punctuation and spaces included (not those an engine sets
# between Chinese characters: "一 三 八 一" is "— 三八 —" read)
NUMBER_MAX_CORE = 4  # its letters and digits
SECTION_NUMBER = re.compile(r"^[\dIVXLC]{1,4}\.$")
RUNNING_HEAD_MIN_PAGES = 3


@dataclass
class Line:
    """A line of the text as the page edges see it: where it is, and what it may be."""
    start: int
    end: int
    text: str
    page_mark: bool = False  # a form feed or byte-order mark stands just before it
    blank_before: int = 0  # blank lines just before it (some exports leave more between pages)
    token: str | None = None  # the part that may be a page number: the short line, or a number beside a head
    with_head: bool = False  # the number shares its line with a running head
    beside_mark: bool = False  # the number (the token) shares the foot's line with a signature mark
    at_corner: bool = False  # the number (the token) stands apart at the text block's top corner (page images)
    foot_aside: bool = False  # stands alone under the text, in the right half of the text's width (page images)
    type_sized: bool = False  # a foot line's box as tall and wide as a letter of the text's type: print, not a speck
    # one of several short pieces on the line under the text (page images): "catchword" (the word
    # at the right) or "signature" (the gathering's mark, the short title)
    foot_piece: str | None = None
    head_apart: bool = False  # stands alone above the text, short, centred or at a margin (page images)
    foot_apart: bool = False  # stands alone under the text, short, centred or at a margin (page images)
    top_row: bool = False  # one of the boxes the engine cut the page's first printed line into (page images)
    place: str | None = None  # "left", "centre" or "right" of the text block, where a page image shows it there
    named: str | None = None  # the furniture the OCR file says it is (PAGE region types)
    line_number: str | None = None  # holds a line number of the margin, "alone" or "beside" its line: no page number

    @property
    def core(self) -> str:
        """The letters and digits that may be the number: of the token, or of what stands
        between its brackets or dashes (the ornaments around them read as letters: "R ( 190.) X")."""
        return _core(self.token if self.token is not None else self.text)


@functools.lru_cache(maxsize=1 << 12)  # (a line's token is read again by rule after rule)
def _core(token: str) -> str:
    """:attr:`Line.core` of a token."""
    return "".join(filter(str.isalnum, framed(token) or token))


# A page number in the frame printers set it in: parentheses, brackets or dashes, perhaps between
# ornaments (stars, fleurons) the OCR reads as a letter or mark: "( 190 )", "[12]", "— 38 —", "* (190) *".
FRAMED = re.compile(r"^(?:\S\s+)?"  # an ornament before it
                    r"(?:[(\[]\s*(?P<a>[^\s()\[\]]{1,5}?)\.?\s*[)\]]|[-–—]\s*(?P<b>\w{1,4})\.?\s*[-–—])"
                    r"(?:\s+\S)?$")  # and after it


def framed(token: str) -> str | None:
    """What stands inside a framed page number (:data:`FRAMED`), or None."""
    if not _may_be_framed(token):
        return None  # (most tokens: a word or a number, which FRAMED need not be asked)
    found = FRAMED.match(token.strip())
    return (found.group("a") or found.group("b")) if found else None


# A numeral in a running head (the book, chapter or verse it shows), also as OCR reads it:
# roman digits, their lookalikes (1, l, | for I; Greek Χ, χ, ι, ν for X, i, v; Π, H, n for II)
# and arabic digits, with the stops and commas set between them.
HEAD_NUMERAL = re.compile(r"(?<!\w)[IVXLCDMivxlcdmΙΧχιν1l|ΠHn\d]+(?!\w)[.,:;'’·]*")
HEAD_KEY_MIN = 3  # letters a head must keep once its numerals are set aside


def head_key(text: str) -> str:
    """A running head reduced to the words that stay from page to page: its numbers (page,
    chapter, verse, book: "LIB. XI. CAP. III.", "XVIII 24 ΓΕΝΕΣΙΣ", "Cap. 6. De Homine. 25")
    set aside as HeaderFinder and refinedoc do; empty when too little is left to compare.

    >>> head_key("Cap. 6. De Homine. 25"), head_key("XVIII 24 ΓΕΝΕΣΙΣ"), head_key("LIB. XI. CAP. III.")
    ('CapDeHomine', 'ΓΕΝΕΣΙΣ', 'LIBCAP')
    >>> head_key("— 25 —")
    ''
    """
    key = text_key(HEAD_NUMERAL.sub(" ", text))
    return key if len(key) >= HEAD_KEY_MIN else ""


def head_numerals(text: str) -> int | None:
    """How many numerals a line shaped like a running head holds (page, chapter, verse: "XI 14
    ΓΕΝΕΣΙΣ", "Cap. 6. De Homine. 25"), one of them at an end of the line; None when no numeral
    stands at either end (a title, a heading).

    >>> head_numerals("XI 14 ΓΕΝΕΣΙΣ"), head_numerals("ΓΕΝΕΣΙΣ XII 13"), head_numerals("THE BOOK OF GENESIS")
    (2, 2, None)
    """
    words = text.split()
    if not words or not any(HEAD_NUMERAL.fullmatch(word) for word in (words[0], words[-1])):
        return None
    return len(HEAD_NUMERAL.findall(text))


def shaped_as_heads(text: str, heads: list[str]) -> bool:
    """A line with the shape of the document's running heads ``heads``: the same words (as the
    OCR varies them) and as many numerals, one at an end (a chapter's heading, a title, holds
    fewer numbers than the heads that repeat it with the page's or verse's)."""
    numerals, key = head_numerals(text), head_key(text)
    if numerals is None or not key:
        return False
    similar = SimilarTo(key, SIMILAR_HEADS)
    return any(head_numerals(head) == numerals and similar(head_key(head)) for head in heads)


def joined(lines: list[Line]) -> tuple[str, list[int]]:
    """The lines' text joined by newlines (which no line holds), and where each line starts in it:
    what a pattern scans once for all the lines."""
    return "\n".join(line.text for line in lines), list(accumulate((len(line.text) + 1 for line in lines[:-1]),
                                                                   initial=0))


def lines_with(pattern: re.Pattern, text: tuple[str, list[int]]) -> list[int]:
    """The lines (by index) in which ``pattern`` (that never matches a newline) finds a match,
    in one scan of their joined text (:func:`joined`)."""
    text, starts = text
    found: list[int] = []
    at = 0
    while (match := pattern.search(text, at)) is not None:
        found.append(bisect.bisect_right(starts, match.start()) - 1)
        if found[-1] + 1 == len(starts):
            break
        at = starts[found[-1] + 1]  # (the next line)
    return found


def decimal_lines(together: tuple[str, list[int]]) -> list[int]:
    """The lines (by index) that hold a decimal digit (of any script), in one scan of their
    joined text: the only ones a number, page's or margin's, is read on as printed."""
    return lines_with(_DECIMAL, together)


def mark_number_tokens(lines: list[Line], together: tuple[str, list[int]] | None = None,
                       with_digit: list[int] | None = None) -> None:
    """Which part of each line could be a page number: a short line whole, or the number at
    either end of a line whose other words the document repeats at three or more places, as
    the OCR reads them again (a running head printed beside the number: "24  ON TARIFFS",
    "THE COUNCIL  25", "Cap. 4. De Homine. 1 5" with the number's digits set apart).
    ``with_digit``: :func:`decimal_lines`, where the caller has them."""
    beside: list[tuple[Line, str, str]] = []
    # (a number-shaped token holds a digit)
    with_digit = set(decimal_lines(together or joined(lines)) if with_digit is None else with_digit)
    for i, line in enumerate(lines):
        if line.line_number:
            continue
        text = line.text
        if len(text) <= NUMBER_MAX_CHARS or _short(text) or _may_be_framed(text) and framed(text):
            line.token = text
        elif len(text) <= 80 and i in with_digit:
            for token, rest in ends(text):
                if number_shaped(token) and (key := head_key(rest)):
                    beside.append((line, token, key))
    alike = alike_counts(Counter(key for _, key in {(id(line), key) for line, _, key in beside}))  # a line once
    for line, token, key in beside:
        if alike[key] >= RUNNING_HEAD_MIN_PAGES and line.token is None:
            line.token, line.with_head = token, True


FRAME_OPENERS = tuple("([-–—")  # what FRAMED's frame begins with (after an ornament and a space, if any)


def _may_be_framed(text: str) -> bool:
    """Whether FRAMED may match the line (:func:`framed`), by its first two characters: a
    frame's opening, or an ornament and a space before it (a space first: the line as
    ``framed`` trims it decides). Most lines are words, and need no pattern."""
    return text.startswith(FRAME_OPENERS) or text[:1].isspace() or text[1:2].isspace()


def _short(text: str) -> bool:
    """A line short enough to be a page number: NUMBER_MAX_CHARS at most, the spaces an engine
    sets between Chinese characters left out (only spaces are: a line needs that many)."""
    return len(text) <= NUMBER_MAX_CHARS or text.count(" ") >= len(text) - NUMBER_MAX_CHARS \
        and len(without_engine_spaces(text)) <= NUMBER_MAX_CHARS


SIMILAR_HEADS = 0.8  # page tops read by OCR vary more than the lines standing apart layout.py compares


def alike_counts(counts: Counter[str]) -> dict[str, int]:
    """For each key, how many of the counted keys are it or an OCR variant of it."""
    alike = dict.fromkeys(counts, 0)
    keys = list(counts)
    similar: dict[int, SimilarTo] = {}  # (made once for each key compared with others)
    for i, j in within_bound(keys, keys, SIMILAR_HEADS):  # the pairs difflib may find similar
        if i == j:  # a key is its own variant (difflib's ratio of a text with itself is 1): most pairs
            alike[keys[j]] += counts[keys[i]]
            continue
        if i not in similar:
            similar[i] = SimilarTo(keys[i], SIMILAR_HEADS)
        alike[keys[j]] += counts[keys[i]] if similar[i](keys[j]) else 0
    return alike


def number_pieces(line: Line) -> list[Line]:
    """A short line the OCR read as one though the page prints two things on it, the page number
    and the signature mark beside it at the foot ("19  B 2" read "I9 n2"), which as a whole reads
    as no number: each of its two words that may be the number, as a line of its own."""
    words = list(re.finditer(r"\S+", line.text))
    if line.token is None or len(words) != 2 or any(read.isdecimal() for read in readings(line)):
        return []
    return [Line(line.start + word.start(), line.start + word.end(), word.group(), token=word.group(), place=line.place)
            for word in words if number_shaped(word.group())]


_DECIMAL = re.compile(r"\d")  # a decimal digit: what a number-shaped token holds one of at least


def number_shaped(token: str) -> bool:
    """A page number as the OCR may read it: a digit among a few characters that read as digits."""
    core = "".join(filter(str.isalnum, token))
    return 0 < len(core) <= NUMBER_MAX_CORE and any(map(str.isdigit, core)) \
        and core.translate(OCR_DIGITS).isdecimal()


NUMBERED_BY = re.compile(r"^[^\W\d_]{1,4}[.,]$")  # "Cap.", "Lib.", "Kap.": an abbreviation that a numeral follows
ROMAN_ONLY = re.compile(r"^[IVXLCDMivxlcdm]+[.,]$")  # "III.": a numeral itself, the page's number may follow it


def ends(text: str) -> list[tuple[str, str]]:
    """The words at either end that may be the number, and the rest of the line: one word, or
    two first where the OCR set the number's digits apart ("1 5", each a digit or two)."""
    words = text.split()
    ends = []
    for count in (2, 1):
        if len(words) <= count:
            continue
        for at_end, token, rest in ((False, words[:count], words[count:]), (True, words[-count:], words[:-count])):
            if count == 2 and not all(_digits_apart(word) for word in token):
                continue
            if at_end and NUMBERED_BY.match(rest[-1]) and not ROMAN_ONLY.match(rest[-1]):
                continue  # "Cap. 11": the number of the chapter the abbreviation names, not the page's
            ends.append((" ".join(token), " ".join(rest)))
    return ends


def _digits_apart(word: str) -> bool:
    core = "".join(filter(str.isalnum, word))
    return 1 <= len(core) <= 2 and any(map(str.isdigit, core))


def page_lines(text: str) -> list[Line]:
    """The text's lines, split at page marks too (a BOM can follow the last line of the page
    before on the same line); blank lines left out."""
    result: list[Line] = []
    position = 0
    pending_mark = False
    blanks = 0
    for raw in text.split("\n"):
        has_mark = "\f" in raw or "\ufeff" in raw
        if not has_mark:  # most lines: the line trimmed, as _add trims it
            stripped = raw.strip(SPACE)
            if not stripped:
                blanks += 1
            else:
                start = position + len(raw) - len(raw.lstrip(SPACE))
                result.append(Line(start, start + len(stripped), stripped, pending_mark, blanks))
                pending_mark, blanks = False, 0
            position += len(raw) + 1
            continue
        count = len(result)
        piece_start = position
        marks = [i for i, ch in enumerate(raw) if ch in PAGE_MARKS] if has_mark else []
        for index in marks:
            if position + index > 0:  # a mark at the very start of the text separates nothing
                _add(result, text, piece_start, position + index, pending_mark)
                pending_mark = True
            piece_start = position + index + 1
        if _add(result, text, piece_start, position + len(raw), pending_mark):
            pending_mark = False
        if len(result) > count:
            result[count].blank_before = blanks
            blanks = 0
        position += len(raw) + 1
    return result


def _add(lines: list[Line], text: str, start: int, end: int, mark: bool) -> bool:
    """Append the line [start, end) trimmed of spaces, if it has any text; True if appended."""
    while start < end and (text[start] in SPACE or text[start] in PAGE_MARKS):
        start += 1
    while end > start and (text[end - 1] in SPACE or text[end - 1] in PAGE_MARKS):
        end -= 1
    if start == end:
        return False
    lines.append(Line(start, end, text[start:end], mark))
    return True


def readings(line: Line) -> list[str]:
    """What a short line (or the number beside a running head) says as a number, in Arabic
    digits: with OCR's confusions read as digits, or a Chinese numeral's value (with the
    dashes around it that OCR reads as 一 left out, where it may be that); empty when it
    cannot be a page number."""
    return [] if line.token is None else list(_readings(line.token))


@functools.lru_cache(maxsize=1 << 12)  # (a line's token is read again by rule after rule)
def _readings(token: str) -> tuple[str, ...]:
    """:func:`readings` of a line whose token is ``token``."""
    if len(without_engine_spaces(token)) > NUMBER_MAX_CHARS and not framed(token):
        return ()
    core = _core(token)
    if chinese := chinese_page_numbers(core):
        return tuple(str(value) for value in chinese)
    if not core or len(core) > NUMBER_MAX_CORE:
        return ()
    return (core.translate(OCR_DIGITS),)


def reading(line: Line) -> str | None:
    """The line's first reading as a number (see :func:`readings`), or None."""
    found = readings(line)
    return found[0] if found else None


def reads_exactly(line: Line, value: int) -> bool:
    """The OCR read the number as printed: its digits, or a Chinese numeral with nothing around it."""
    return line.core == str(value) or chinese_page_numbers(line.core)[:1] == [value]


def between_dashes(line: Line, value: int) -> bool:
    """The line is the Chinese page number ``value`` with the dashes around it read as 一."""
    return chinese_page_numbers(line.core)[1:] == [value]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, for strings of a few characters."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def fits(line: Line, value: int) -> bool:
    """Whether the line can be the page number ``value`` misread by the OCR: one character
    off at most, and a digit in it unless it is a single character."""
    found = readings(line)
    if not found or value < 1:
        return False
    expected = str(value)
    if expected in found:
        return True
    read = found[0]
    if not any(ch.isdigit() for ch in line.core) and len(line.core) > 1:
        return False
    if SECTION_NUMBER.match(line.token or ""):
        return False  # "7." heads a section; a page number misread keeps no such tidy shape
    return _distance(read, expected) <= 1 and len(read) <= len(expected) + 1


def title_shaped(line: Line, full: int) -> bool:
    """A line that may open a page with a title: capitalized, short, not ending on a comma."""
    return line.text[:1].isupper() and len(line.text) <= 0.7 * full and not line.text.endswith((",", ";"))
