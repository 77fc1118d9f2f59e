"""What stands at a page's edges besides its number: signature marks and catchwords at the
foot, running heads at the top."""

from __future__ import annotations

import re
import string
from collections import Counter

from pipeline.stages.pageedges.heads import HeadWords, top_lines
from pipeline.stages.pageedges.lines import (HEAD_NUMERAL, RUNNING_HEAD_MIN_PAGES, Line, alike_counts, head_key,
                                             shaped_as_heads)
from pipeline.stages.pageedges.numbering import Page, positions
from pipeline.stages.textshape import typical_line_length

# A gathering's number, perhaps after a letter or before a star (which OCR reads as », «, ',
# °, †, or a lone V or x after a space).
SIGNATURE = re.compile(r"^(?:[A-Z]{1,2}\s?)?[\dIlOoSsZgB]{1,2}(?:\s?[*»«'°†]|\s[VvXx])?$|^\S{1,2}\s?[*»«†]$")
# Early modern printing: the gathering's letter (A, Aa, AA, a, )(, *) and the leaf's number, in
# digits or lower-case roman numerals with a final j ("B iij", "Aa 3", ")( 2", "c v"). A
# lower-case letter needs the space or a digit: "vi", "ii" are words.
GATHERING = "|".join([r"[A-Z]{1,3}", r"\)\(", r"\*{1,2}"] + [c + c.lower() for c in string.ascii_uppercase])
LEAF = r"[1-9]|i{1,3}j|i{1,4}|iv|vi{0,3}j?"
EARLY_SIGNATURE = re.compile(rf"^(?:(?:{GATHERING})\s?(?:{LEAF})|[a-z](?:\s(?:{LEAF})|[1-9]))\.?$")
DOUBLED_LETTER = re.compile("^(?:" + "|".join(rf"{c}\s{c.lower()}" for c in string.ascii_uppercase) + ")$")  # "H h"
SIGNED = re.compile(r"^(?:[A-ZÄÖÜ][a-zäöü]{0,3}\.\s?)+[A-ZÄÖÜ]?[a-zäöüß]*\.?$")  # "J. Kuranda.": who signed


CATCHWORD_STOPS = ",.;:!?()\"'„“”‚‘’»«-—"  # the next page's first word carries its stop or quote along


# Who signed an article, at its end on the right, where a signature mark stands too: initials
# with their stops and dashes ("J. F.", "C—.", "P.—", "Sch."), never a gathering's number or star;
# or two initials or more of which the OCR lost the last stop ("E. R"): a gathering's letter is
# never followed by another letter after a stop.
INITIAL = r"[A-ZÄÖÜ][a-zäöüß]{0,3}"
SIGN_OFF = re.compile(rf"^(?:{INITIAL}\s?[.\-—–=]+\s?){{1,4}}$|^(?:{INITIAL}\s?[.\-—–=]+\s?){{1,3}}{INITIAL}$")


def signed_off(text: str) -> bool:
    """Whether a short line at the foot is an author's initials rather than a signature mark (a
    letter with a stop alone, "A.", may be either: not taken for initials). A quote mark the
    OCR read from a speck before or after them ("»D- H-" for "I. F.") leaves them initials.

    >>> [signed_off(text) for text in ("J. F.", "C—.", "E. R", "D. Red", "»D- H-", "A.", "B 2", "Aa", "g»", "A»")]
    [True, True, True, True, True, False, False, False, False, False]
    """
    text = text.strip(QUOTES)
    return bool(SIGN_OFF.match(text)) and not re.fullmatch(r"[A-Z]\.", text)


QUOTES = "»«„“”‚‘’\"'"  # "»" alone after a mark is its star ("4»"): stripped, no initials are left


def signature_at_foot(page: Page, following: Page | None) -> tuple[Line, str] | None:
    """The foot of a page: a signature mark (a gathering's number, a star) or a catchword
    (the next page's first word, printed under the last line)."""
    if page.lines and page.lines[-1].named in ("signature", "catchword"):
        return page.lines[-1], page.lines[-1].named
    lines = _without_margin_numbers(page)
    if len(lines) < 3:
        return None
    last = lines[-1]
    if page.number is not None and page.number.line is last:
        last = lines[-2]
    before = lines[-2] if last is lines[-1] else lines[-3]  # (the line above the last)
    if len(last.text) <= 6 and SIGNATURE.match(last.text) and any(ch.isdigit() for ch in last.text):
        return last, "signature"  # digits are never the end of a word broken at the line before
    if before.text.endswith("-"):
        return None  # the word goes on in this line: it is text
    if len(last.text) <= 6 and SIGNATURE.match(last.text) and any(ch in "*»«†" for ch in last.text):
        return last, "signature"
    if len(last.text) <= 8 and (EARLY_SIGNATURE.match(last.text) or DOUBLED_LETTER.match(last.text)):
        return last, "signature"
    word = last.text.strip(CATCHWORD_STOPS)
    if following is not None and len(last.text.split()) == 1 and word.isalpha():
        first_body = next((line for line in following.lines
                           if following.number is None or line is not following.number.line), None)
        if first_body is not None and first_body.text.split()[0].strip(CATCHWORD_STOPS) == word:
            return last, "catchword"
    if last.foot_aside and len(last.text) <= 6 and not signed_off(last.text):
        if sum(ch.isalpha() for ch in last.text) >= 3 and not any(ch.isdigit() for ch in last.text):
            return last, "catchword-by-position"  # a word, right under the text: the catchword as the OCR read it
        if any(ch.isalnum() or ch in "*»«†" for ch in last.text):  # not a speck ("!")
            return last, "signature-by-position"  # however the OCR read it ("es" for "2")
    return None


def _without_margin_numbers(page: Page) -> list[Line]:
    """The page's lines but the margin's line numbers standing alone (a text export may write
    the margin's column under the text)."""
    return [line for line in page.lines if line.line_number != "alone"]


# The bibliographic line at a sheet's foot ("Berl. Monatsschr. IV. B. 6. St.", "SEPT. 33 C"):
# abbreviations and numerals only, and perhaps the sheet's signature after them ("H h", "B 2").
ABBREVIATION = re.compile(r"^[^\W\d_]+\.$")
NUMERAL = re.compile(r"^(?:\d{1,4}|[IVXLCDM]{1,6}|[ivxlcdm]{2,6})[.,]?$")  # "d." is a word's abbreviation
SHEET_MARK = re.compile(r"^(?:[A-Z]{1,2}|[a-z]|[A-Z][a-z]|\d{1,2}\*?)$")


def bibliographic_line(text: str) -> bool:
    """Whether a line reads as a journal's or book's short title with volume and sheet: every
    word an abbreviation, a numeral or a sheet's mark, at least one abbreviation of letters and
    one numeral, and more than a signature's few characters."""
    words = text.split()
    if not 3 <= len(words) <= 10 or len(text) > 60:
        return False
    marks = 0  # the sheet's signature stands last ("H h", "C")
    while marks < 2 and len(words) - marks > 2 and SHEET_MARK.match(words[-1 - marks]) \
            and not NUMERAL.match(words[-1 - marks]):
        marks += 1
    words = words[:len(words) - marks]
    numerals = sum(bool(NUMERAL.match(word)) for word in words)
    abbreviations = sum(bool(ABBREVIATION.match(word)) and not NUMERAL.match(word) for word in words)  # "III." once
    return (abbreviations >= 1 and numerals >= 1 and abbreviations + numerals == len(words)
            and abbreviations + numerals >= 2 and any(ABBREVIATION.match(word) and len(word) >= 4 for word in words))


def signature_lines(page: Page, feet: list[Line]) -> Line | None:
    """The bibliographic line at the page's foot: its last line of text (above the signature
    mark and catchword found there), short and made of abbreviations and numerals."""
    at_foot = {id(foot) for foot in feet}  # (the page's own lines: by identity, not field by field)
    lines = [line for line in _without_margin_numbers(page)
             if id(line) not in at_foot and (page.number is None or line is not page.number.line)]
    if len(lines) < 4:
        return None
    last = lines[-1]
    if feet and last.start > min(foot.start for foot in feet):
        return None
    if lines[-2].text.endswith("-"):
        return None  # the word goes on in this line: it is text
    return last if bibliographic_line(last.text) else None


GATHERING_PERIODS = (32, 24, 16, 12, 8, 4)  # pages a gathering holds: its signature recurs so often


def signatures_by_period(pages: list[Page], feet: dict[int, tuple[Line, str, str]],
                          offset: int | None) -> dict[int, tuple[Line, str, str]]:
    """Signature marks recur with the gatherings (every 8, 16 … pages, at the same places in
    each). Where the marks read give a period, the short last line of a page at such a place
    is its mark too, however the OCR garbled it ("ZIIS" for "2*")."""
    found = [index for index, (_, kind, _) in feet.items() if kind == "signature"]
    if len(found) < 3:
        return {}
    # (the pages' count in the Arabic sequence: a front matter's Roman numbers count apart)
    number = {index: (page.number.value if page.number and page.number.numeral is None else at + (offset or 0))
              for index, (at, page) in enumerate(zip(positions(pages), pages))}
    fits_found = []  # (share of the marks read it explains, fewer places, longer period)
    for period in GATHERING_PERIODS:
        residues = Counter(number[index] % period for index in found)
        places = {r for r, n in residues.items() if n >= 2}
        covered = sum(residues[r] for r in places)
        if places and len(places) <= 3 and covered >= 0.8 * len(found) and len(found) >= 2 * len(places):
            fits_found.append((covered / len(found), -len(places), period, places))
    if not fits_found:
        return {}
    _, _, period, places = max(fits_found, key=lambda fit: fit[:3])
    more = {}
    for index, page in enumerate(pages):
        lines = _without_margin_numbers(page)
        if index in feet or number[index] % period not in places or len(lines) < 3:
            continue
        last = lines[-1]
        if page.number is not None and page.number.line is last:
            last = lines[-2]
        # short, with a letter or digit, and not the initials that sign an article ("J. F.")
        if len(last.text) <= 6 and 1 <= len(last.core) <= 4 and not last.text.endswith(".") \
                and not SIGNED.match(last.text) or _read_as_punctuation(last):
            more[index] = (last, "signature", "signature-by-period")
    return more


def _read_as_punctuation(line: Line) -> bool:
    """A mark the OCR read as punctuation alone ("1 *" read ";"): where the period puts a mark,
    standing apart under the text at the right, as large as the text's type (not a speck)."""
    text = line.text.strip()
    return line.foot_aside and line.type_sized and 1 <= len(text) <= 3 and not any(ch.isalnum() for ch in text)


def running_heads(pages: list[Page], heights: dict[int, int] | None = None,
                  words: HeadWords | None = None) -> dict[int, list[Line]]:
    """The lines at a page's top (besides its number) that are its running head: the first line
    that repeats on the tops of many pages; the lines made of the words the document prints at
    its pages' tops (a head that changes with the chapter, garbled by the OCR, perhaps set on
    two lines); or the lines the OCR file itself calls the page's header (PAGE region type).
    The first page's top line is its head only where the page shows it (``heights``: the
    height of each line's box, by where it starts): see :func:`first_page_head`. ``words``: the
    pages' head words, where the caller has them."""
    tops: list[tuple[int, Line, str]] = []
    named: dict[int, list[Line]] = {}
    for index, page in enumerate(pages):
        if head := [line for line in page.lines if line.named == "running-head"]:
            named[index] = head
            continue
        line = next((line for line in page.lines[:2] if page.number is None or line is not page.number.line), None)
        if line is not None and len(line.text) <= 80 and (key := head_key(line.text)):
            tops.append((index, line, key))
    alike = alike_counts(Counter(key for _, _, key in tops))
    heads: dict[int, list[Line]] = {}
    for index, line, key in tops:
        # The first page's line is the heading or title the later pages repeat as their head.
        if alike[key] >= RUNNING_HEAD_MIN_PAGES and alike[key] >= 0.3 * len(pages) and index > 0:
            heads[index] = [line]
    if words is None:
        words = HeadWords.of_pages([page.lines for page in pages],
                                   typical_line_length([line for page in pages for line in page.lines]))
    full = words.full
    for index, page in enumerate(pages):
        if index in named or not words:
            continue
        top = top_lines(page.lines, full)
        # the lines above a number that stands under the page's top are its head, split by the OCR
        number = top.index(page.number.line) if page.number is not None and page.number.line in top else 0
        found = top[:number] if any(words.reads_as_head(line.text) for line in top[:number]) else []
        for line in top[len(found):]:
            if page.number is not None and line is page.number.line:
                if line.with_head:
                    break  # the number's line, head and all, is furniture already
                continue
            if not any(ch.isalnum() for ch in line.text):
                continue  # a speck above the head the engine read as marks: text still, and no end of the head
            # a head's chapter and verse the OCR set on a line of their own ("XVII 15") belong to it,
            # and so does every box the engine cut the head's printed line into ("V S" for "XIV 6")
            if not words.reads_as_head(line.text) and not _numerals_only(line.text) and not line.top_row:
                break
            found.append(line)
        if not any(words.reads_as_head(line.text) for line in found):
            found = []
        if found and index > 0:
            before = heads.get(index, [])
            heads[index] = before + [line for line in found if line not in before]
    if pages and 0 not in heads and 0 not in named and heights:
        first = next((line for index, line, _ in tops if index == 0), None)
        if first is not None and first_page_head(first, [line for lines in heads.values() for line in lines],
                                                  heights):
            heads[0] = [first]
    return heads | named


TITLE_TYPE = 1.5  # a title's type is larger than the heads' by this much at least (box heights)


def first_page_head(line: Line, heads: list[Line], heights: dict[int, int]) -> bool:
    """The first page of a run has no page before it to repeat its head: its top line is the
    head where the page shows one (the pages are images or boxed lines), of the heads' shape
    (their words and as many numerals, one at an end: "XI 14 ΓΕΝΕΣΙΣ" beside "ΓΕΝΕΣΙΣ XII 13")
    in no larger type than theirs. A title (no number, large type) or a chapter's heading
    (fewer numbers than the heads that repeat it) stays text."""
    sized = sorted(heights[head.start] for head in heads if head.start in heights)
    if line.start not in heights or not sized:
        return False
    return shaped_as_heads(line.text, [head.text for head in heads]) \
        and heights[line.start] <= TITLE_TYPE * sized[len(sized) // 2]


def _numerals_only(text: str) -> bool:
    """A short line of a head's numbers alone: chapter and verse, roman or arabic ("XVII 15")."""
    return len(text) <= 12 and any(ch.isalnum() for ch in text) \
        and not any(ch.isalpha() for ch in HEAD_NUMERAL.sub(" ", text))
