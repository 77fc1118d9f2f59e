"""Page furniture found line by line at the edges of pages, as real text exports give it.

OCR engines and archives write a page as one run of lines: the page number (or a running
head) is the page's first line and a signature mark its last, with no blank line around
them; pages follow one another with a blank line, a form feed, a byte-order mark (plain-text
exports concatenated with ``cat``) or nothing at all. The evidence is the document's own:

- where pages turn: form feeds and byte-order marks inside the text, or else the page
  numbers themselves, a sequence that grows by one a page at a steady number of lines;
- which line is the number: the line at the same edge of every page whose reading,
  digits and OCR's usual confusions (``s`` for 5, ``l`` for 1, ``8`` for 3 …), fits the
  sequence; a garbled one keeps its OCR'd form and the page break gets the inferred ``n``;
- signature marks (``1 *``, ``B 2``) and catchwords (the next page's first word) at the foot,
  running heads that repeat at the top of many pages.

Block-level furniture (lines standing apart, a document without numbers) stays with
:mod:`pipeline.stages.layout`, which runs after segmentation and leaves these lines alone.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.edits import add_edits
from pipeline.model import Document, Edit, Surface
from pipeline.stages.layout import OCR_DIGITS, similar_keys, text_key
from pipeline.stages.structure import SHORT_LAST_LINE, SPACE, ends_text, opens_sentence

PAGE_MARKS = "\f\ufeff"  # a form feed, or a byte-order mark where page files were concatenated
NUMBER_MAX_CHARS = 8  # a page-number line, punctuation and spaces included
NUMBER_MAX_CORE = 4  # its letters and digits
# A gathering's number, perhaps after a letter or before a star (which OCR reads as », «, ',
# °, †, or a lone V or x after a space).
SIGNATURE = re.compile(r"^(?:[A-Z]{1,2}\s?)?[\dIlOoSsZgB]{1,2}(?:\s?[*»«'°†]|\s[VvXx])?$|^\S{1,2}\s?[*»«†]$")
SECTION_NUMBER = re.compile(r"^[\dIVXLC]{1,4}\.$")
SIGNED = re.compile(r"^(?:[A-ZÄÖÜ][a-zäöü]{0,3}\.\s?)+[A-ZÄÖÜ]?[a-zäöüß]*\.?$")  # "J. Kuranda.": who signed
# What closes an article: who signed it, as initials and abbreviations in any alphabet
# ("J. Kuranda.", "Med. Dr. D.e.t.", "Sch.", "Dr. B. B."), or a rule the OCR read as marks.
SIGNATURE_LINE = re.compile(r"^(?=[^\W\d_])(?:[^\W\d_]{1,4}\.\s?)+(?:[^\W\d_]+\.?)?$")
RULE_LETTERS = 0.25  # a rule: at most this share of its marks read as letters
RULES = "-‐‑‒–—―_=*~·"
RUNNING_HEAD_MIN_PAGES = 3
SIMILAR_HEADS = 0.8  # page tops read by OCR vary more than the lines standing apart layout.py compares
MAX_PAGE_SKIP = 12  # pages without a printed number between two numbered ones (plates, openers)


@dataclass
class Line:
    start: int
    end: int
    text: str
    page_mark: bool = False  # a form feed or byte-order mark stands just before it
    blank_before: int = 0  # blank lines just before it (some exports leave more between pages)
    token: str | None = None  # the part that may be a page number: the short line, or a number beside a head
    with_head: bool = False  # the number shares its line with a running head
    foot_aside: bool = False  # stands alone under the text, in the right half of the text's width (page images)
    head_apart: bool = False  # stands alone above the text, short, centred or at a margin (page images)
    named: str | None = None  # the furniture the OCR file says it is (PAGE region types)

    @property
    def core(self) -> str:
        return "".join(ch for ch in (self.token if self.token is not None else self.text) if ch.isalnum())


NUMBER_BESIDE_HEAD = re.compile(r"^(?P<first>\S{1,6})\s+(?P<rest>.+?)$|^(?P<head>.+?)\s+(?P<last>\S{1,6})$")


def _mark_number_tokens(lines: list[Line]) -> None:
    """Which part of each line could be a page number: a short line whole, or the number at
    either end of a line whose other words the document repeats at three or more places
    (a running head printed beside the number: "24  ON TARIFFS", "THE COUNCIL  25")."""
    beside: list[tuple[Line, str, str]] = []
    for line in lines:
        if len(line.text) <= NUMBER_MAX_CHARS:
            line.token = line.text
        elif len(line.text) <= 80:
            for token, rest in _ends(line.text):
                if any(ch.isdigit() for ch in token) and (key := text_key(rest)):
                    beside.append((line, token, key))
    keys = Counter(key for _, _, key in beside)
    for line, token, key in beside:
        if keys[key] >= RUNNING_HEAD_MIN_PAGES and line.token is None:
            line.token, line.with_head = token, True


def _ends(text: str) -> list[tuple[str, str]]:
    words = text.split()
    return [(words[0], " ".join(words[1:])), (words[-1], " ".join(words[:-1]))] if len(words) > 1 else []


def _lines(text: str) -> list[Line]:
    """The text's lines, split at page marks too (a BOM can follow the last line of the page
    before on the same line); blank lines left out."""
    result: list[Line] = []
    position = 0
    pending_mark = False
    blanks = 0
    for raw in text.split("\n"):
        has_mark = "\f" in raw or "\ufeff" in raw
        if not has_mark and not raw.strip(SPACE):
            blanks += 1
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


def reading(line: Line) -> str | None:
    """What a short line (or the number beside a running head) says as a number, with OCR's
    confusions read as digits; None when it cannot be a page number."""
    if line.token is None or len(line.token) > NUMBER_MAX_CHARS:
        return None
    core = line.core
    if not core or len(core) > NUMBER_MAX_CORE:
        return None
    return core.translate(OCR_DIGITS)


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
    read = reading(line)
    if read is None or value < 1:
        return False
    expected = str(value)
    if read == expected:
        return True
    if not any(ch.isdigit() for ch in line.core) and len(line.core) > 1:
        return False
    if SECTION_NUMBER.match(line.token or ""):
        return False  # "7." heads a section; a page number misread keeps no such tidy shape
    return _distance(read, expected) <= 1 and len(read) <= len(expected) + 1


@dataclass
class PageNumber:
    line: Line
    value: int

    @property
    def exact(self) -> bool:
        """The OCR read the number as printed (otherwise @n gives the number it stands for)."""
        return self.line.core == str(self.value)


@dataclass
class Page:
    lines: list[Line]
    number: PageNumber | None = None
    opens_with_title: bool = False  # found by the title it opens with, its number not printed

    @property
    def start(self) -> int:
        return self.lines[0].start


def _pages_by_surfaces(lines: list[Line], doc: Document) -> list[Page]:
    """The pages a page reader found: each line on the page whose text holds it (a page the
    OCR found no text on has no lines, and no page of its own here)."""
    starts = [surface.start for surface in doc.facsimile]
    pages: dict[int, Page] = {}
    for line in lines:
        index = bisect.bisect_right(starts, line.start) - 1
        pages.setdefault(index, Page([])).lines.append(line)
    for index, page in pages.items():
        _edges_by_position(page, doc.facsimile[index])
    return [pages[index] for index in sorted(pages)]


EDGE_LINES = 2  # lines that may stand apart at each edge: a running head and a page number


def _edges_by_position(page: Page, surface: Surface) -> None:
    """Engines do not always write the page's furniture where it stands (ABBYY puts a foot's
    signature mark first): a line that stands alone above (below) every other line of the
    page is moved to the top (foot) of the page's lines, where the edge rules look."""
    zones = {zone.start: zone.box for zone in surface.lines}
    roles = {zone.start: zone.role for zone in surface.lines if zone.role}
    if roles:  # the OCR file names the page's furniture (PAGE region types): its word is final
        named_top = [line for line in page.lines if roles.get(line.start) == "page-number"]
        named_foot = [line for line in page.lines if roles.get(line.start) in ("signature", "catchword")]
        for line in named_top + named_foot:
            line.named = roles[line.start]
            line.head_apart = line.named == "page-number"
        page.lines = named_top + [line for line in page.lines
                                  if line not in named_top and line not in named_foot] + named_foot
        return
    boxed = [line for line in page.lines if line.start in zones and zones[line.start][3] > zones[line.start][1]]
    if len(boxed) < 3:
        return
    by_height = sorted(boxed, key=lambda line: zones[line.start][1])
    top = [line for n, line in enumerate(by_height[:EDGE_LINES])
           if zones[line.start][3] <= min(zones[other.start][1] for other in by_height[n + 1:]) + 2]
    by_foot = sorted(boxed, key=lambda line: -zones[line.start][3])
    bottom = [line for n, line in enumerate(by_foot[:EDGE_LINES])
              if zones[line.start][1] >= max(zones[other.start][3] for other in by_foot[n + 1:]) - 2]
    top = [line for n, line in enumerate(top) if top[: n + 1] == by_height[: n + 1]]  # stacked from the edge
    bottom = [line for n, line in enumerate(bottom) if bottom[: n + 1] == by_foot[: n + 1]]
    middle = [line for line in page.lines if line not in top and line not in bottom]
    page.lines = top + middle + bottom[::-1]
    lefts = sorted(zones[line.start][0] for line in middle) or [0]
    rights = sorted(zones[line.start][2] for line in middle) or [0]
    left, right = lefts[len(lefts) // 2], rights[len(rights) // 2]
    for line in bottom:  # where signature marks and catchwords stand, never a paragraph's last line
        line.foot_aside = zones[line.start][0] > left + 0.5 * (right - left)
    for line in top:  # where a page number stands: short, in the middle or at one of the margins
        ulx, _, lrx, _ = zones[line.start]
        middle = (ulx + lrx) / 2
        line.head_apart = lrx - ulx < 0.2 * (right - left) and (
            abs(middle - (left + right) / 2) < 0.15 * (right - left) or ulx < left + 0.1 * (right - left)
            or lrx > right - 0.1 * (right - left))


def _pages_by_marks(lines: list[Line]) -> list[Page] | None:
    if sum(line.page_mark for line in lines) < 2:
        return None
    pages: list[Page] = []
    for line in lines:
        if line.page_mark or not pages:
            pages.append(Page([]))
        pages[-1].lines.append(line)
    return pages


def _number_by_offset(pages: list[Page]) -> None:
    """Pages known from their marks: the edge (top or bottom) and the offset (printed number
    minus page index) that most pages agree on; then each page's edge line that fits."""
    votes: Counter[tuple[str, int]] = Counter()
    for index, page in enumerate(pages):
        for edge, line in (("top", page.lines[0]), ("bottom", page.lines[-1])):
            read = reading(line)
            if read and read.isdecimal():
                votes[edge, int(read) - index] += 1
    if not votes:
        return
    ranked = votes.most_common(2)
    (edge, offset), count = ranked[0]
    # Page images that show a short line apart above the text on most pages vouch for the
    # numbers there, however few the OCR read: an offset read three times and twice as
    # often as any other decides.
    apart = sum(bool(page.lines) and page.lines[0].head_apart for page in pages)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    needed = max(3, 2 * runner_up) if edge == "top" and apart >= len(pages) // 2 else max(2, len(pages) // 5)
    if count < needed:
        return
    for index, page in enumerate(pages):
        line = page.lines[0] if edge == "top" else page.lines[-1]
        # where the page image shows a short line apart above the text, that is the number the
        # sequence needs, however the OCR read it ("It", "HH" for 31, 33)
        apart = edge == "top" and line.head_apart and len(line.text) <= NUMBER_MAX_CHARS
        if len(page.lines) > 1 and (fits(line, index + offset) or apart):
            page.number = PageNumber(line, index + offset)
    if edge == "top":  # a page without the number its sequence gives it, opening with a title
        full = _full_line([line for page in pages for line in page.lines])
        for index, page in enumerate(pages):
            page.opens_with_title = index > 0 and page.number is None and bool(page.lines) \
                and _title_shaped(page.lines[0], full)


def _chain(candidates: list[tuple[int, int]], per_page: float | None) -> list[int]:
    """The longest run of (line index, value) candidates whose values grow, at a steady
    number of lines a page when ``per_page`` is known; returns positions in ``candidates``."""
    best: list[int] = [1] * len(candidates)
    back: list[int] = [-1] * len(candidates)
    for j, (line_j, value_j) in enumerate(candidates):
        for i in range(j):
            line_i, value_i = candidates[i]
            skip = value_j - value_i
            if not 1 <= skip <= MAX_PAGE_SKIP or line_j - line_i < 3 * skip:
                continue
            if per_page is not None and not 0.7 * per_page <= (line_j - line_i) / skip <= 1.4 * per_page:
                continue
            if best[i] + 1 > best[j]:
                best[j], back[j] = best[i] + 1, i
    if not candidates:
        return []
    j = max(range(len(candidates)), key=lambda k: (best[k], -k))
    chain = []
    while j >= 0:
        chain.append(j)
        j = back[j]
    return chain[::-1]


def _pages_by_numbers(lines: list[Line]) -> list[Page] | None:
    """No marks: the page numbers make the pages. Exact readings anchor a chain; the garbled
    ones are looked for where the chain says a number must stand."""
    candidates = [(i, int(read)) for i, line in enumerate(lines)
                  if (read := reading(line)) and read.isdecimal() and 0 < int(read) < 10000]
    chain = [candidates[k] for k in _chain(candidates, None)]
    if len(chain) < 3:
        return None
    steps = [(b[0] - a[0]) / (b[1] - a[1]) for a, b in zip(chain, chain[1:])]
    per_page = sorted(steps)[len(steps) // 2]
    chain = [candidates[k] for k in _chain(candidates, per_page)]
    if len(chain) < 3:
        return None
    found: dict[int, PageNumber] = {i: PageNumber(lines[i], v) for i, v in chain}
    window = max(2, round(0.2 * per_page))
    for (line_a, value_a), (line_b, value_b) in zip(chain, chain[1:]):
        for value in range(value_a + 1, value_b):
            expected = line_a + (value - value_a) * (line_b - line_a) / (value_b - value_a)
            near = [i for i in range(max(line_a + 1, round(expected) - window),
                                     min(line_b, round(expected) + window + 1))
                    if i not in found and fits(lines[i], value)]
            if near:
                best = min(near, key=lambda i: abs(i - expected))
                found[best] = PageNumber(lines[best], value)
    _extend_beyond_the_chain(lines, chain, per_page, window, found)
    edge = _edge_of_numbers(lines, chain, per_page)
    numbered: list[tuple[int, PageNumber | None]] = sorted(found.items())
    if edge == "top":
        numbered = sorted(numbered + _unnumbered_pages(lines, numbered, per_page))
    pages: list[Page] = []
    for position, (index, number) in enumerate(numbered):
        if edge == "top":
            end = numbered[position + 1][0] if position + 1 < len(numbered) else len(lines)
            if position == 0 and index > 0:
                pages.append(Page(lines[:index]))
            pages.append(Page(lines[index:end], number, opens_with_title=number is None))
        else:
            start = numbered[position - 1][0] + 1 if position else 0
            pages.append(Page(lines[start:index + 1], number))
            if position == len(numbered) - 1 and index + 1 < len(lines):
                pages.append(Page(lines[index + 1:]))
    return pages


def _unnumbered_pages(lines: list[Line], numbered: list[tuple[int, PageNumber]],
                      per_page: float) -> list[tuple[int, None]]:
    """Pages the sequence needs but whose number is not printed (an article's or chapter's
    first page, which opens with its title): the page starts at the title standing nearest
    to where the page should begin, after a line that ends a text."""
    full = _full_line(lines)
    window = max(3, round(0.3 * per_page))
    # Some exports leave more blank lines between pages than between paragraphs: then that
    # gap alone says where a page begins.
    page_gap = Counter(number.line.blank_before for _, number in numbered).most_common(1)[0][0]
    paragraph_gap = Counter(line.blank_before for line in lines).most_common(1)[0][0]
    starts: list[tuple[int, None]] = []

    for (line_a, a), (line_b, b) in zip(numbered, numbered[1:]):
        for value in range(a.value + 1, b.value):
            expected = line_a + (value - a.value) * (line_b - line_a) / (b.value - a.value)
            near = range(max(line_a + 3, round(expected) - window), min(line_b, round(expected) + window))
            if page_gap > paragraph_gap:
                titles = [i for i in near if lines[i].blank_before >= page_gap]
            else:
                titles = [i for i in near if (ends_text(lines[i - 1].text) or len(lines[i - 1].core) <= 3)
                          and _title_shaped(lines[i], full)]
            if titles:
                # A gap as wide as the export leaves between pages (wider says no more: a
                # title page's spacing); a title after an article's signature, or after a
                # finished text; the nearest.
                starts.append((min(titles, key=lambda i: (
                    -min(lines[i].blank_before, page_gap) if page_gap > paragraph_gap else 0,
                    not _after_closing(lines, i), not _title_shaped(lines[i], full),
                    not ends_text(lines[_line_before(lines, i)].text),
                    _closes_article(lines, i), abs(i - expected))), None))
    return starts


def _full_line(lines: list[Line]) -> int:
    """The length of a full line of text (the median line)."""
    return sorted(len(line.text) for line in lines)[len(lines) // 2] if lines else 0


def _title_shaped(line: Line, full: int) -> bool:
    return line.text[:1].isupper() and len(line.text) <= 0.7 * full and not line.text.endswith((",", ";"))


def _closes_article(lines: list[Line], index: int) -> bool:
    """A rule, or a signature ("J. Kuranda.", "Dr. B. B.") after a finished text: what ends
    an article, not a title (a byline after "By" has the signature's shape, not its place)."""
    line = lines[index]
    marks = "".join(line.text.split())
    if len(marks) >= 3 and sum(ch.isalpha() for ch in marks) <= RULE_LETTERS * len(marks):
        return True
    if not any(ch.isalnum() for ch in marks) and any(ch in RULES for ch in marks):
        return True  # a dash standing alone
    return line.text[:1].isupper() and SIGNATURE_LINE.match(line.text) is not None \
        and index > 0 and ends_text(lines[index - 1].text)


def _line_before(lines: list[Line], index: int) -> int:
    """The line of text before ``index``: a signature mark or speck of a few characters aside."""
    before = index - 1
    while before > 0 and len(lines[before].core) <= 3 and not _closes_article(lines, before):
        before -= 1
    return before


def _after_closing(lines: list[Line], index: int) -> bool:
    """The line before closes an article: a new one, opening with its title, may begin a
    page here."""
    before = _line_before(lines, index)
    return before >= 0 and _closes_article(lines, before)


def _extend_beyond_the_chain(lines: list[Line], chain: list[tuple[int, int]], per_page: float, window: int,
                             found: dict[int, PageNumber]) -> None:
    """Numbers before the chain's first and after its last: the first and last pages may be
    short (a chapter's end), so the search reaches from a few lines past the known number."""
    line, value = chain[-1]
    while True:
        value += 1
        low, high = line + 2, round(line + per_page + window)  # the last page may hold a line or two
        near = [i for i in range(low, min(len(lines), high + 1)) if i not in found and fits(lines[i], value)]
        if not near:
            break
        line = min(near, key=lambda i: abs(i - (line + per_page)))
        found[line] = PageNumber(lines[line], value)
    line, value = chain[0]
    while value > 1:
        value -= 1
        low, high = round(line - per_page - window), line - max(3, round(0.3 * per_page))
        near = [i for i in range(max(0, low), high + 1) if i not in found and fits(lines[i], value)]
        if not near:
            break
        line = min(near, key=lambda i: abs(i - (line - per_page)))
        found[line] = PageNumber(lines[line], value)


def _edge_of_numbers(lines: list[Line], chain: list[tuple[int, int]], per_page: float) -> str:
    """Top or bottom: a number at the top has a page of lines after the last one, a number
    at the foot has (almost) none; in between, where the first one stands decides."""
    after_last = len(lines) - 1 - chain[-1][0]
    if after_last < 0.25 * per_page:
        return "bottom"
    if after_last > 0.5 * per_page:
        return "top"
    before_first = chain[0][0]  # a document that starts where its numbering starts
    top = abs(before_first - (chain[0][1] - 1) * per_page)
    bottom = abs(before_first - chain[0][1] * per_page)
    return "top" if top <= bottom else "bottom"


def _signature(page: Page, following: Page | None) -> tuple[Line, str] | None:
    """The foot of a page: a signature mark (a gathering's number, a star) or a catchword
    (the next page's first word, printed under the last line)."""
    if page.lines and page.lines[-1].named in ("signature", "catchword"):
        return page.lines[-1], page.lines[-1].named
    if len(page.lines) < 3:
        return None
    last = page.lines[-1]
    if page.number is not None and page.number.line is last:
        last = page.lines[-2]
    before = page.lines[page.lines.index(last) - 1]
    if len(last.text) <= 6 and SIGNATURE.match(last.text) and any(ch.isdigit() for ch in last.text):
        return last, "signature"  # digits are never the end of a word broken at the line before
    if before.text.endswith("-"):
        return None  # the word goes on in this line: it is text
    if len(last.text) <= 6 and SIGNATURE.match(last.text) and any(ch in "*»«†" for ch in last.text):
        return last, "signature"
    if following is not None and len(last.text.split()) == 1 and last.text.isalpha():
        first_body = next((line for line in following.lines
                           if following.number is None or line is not following.number.line), None)
        if first_body is not None and first_body.text.split()[0].strip(",.;:") == last.text:
            return last, "catchword"
    if last.foot_aside and len(last.text) <= 6:
        return last, "signature-by-position"  # however the OCR read it ("es" for "2")
    return None


GATHERING_PERIODS = (32, 24, 16, 12, 8, 4)  # pages a gathering holds: its signature recurs so often


def _signatures_by_period(pages: list[Page], feet: dict[int, tuple[Line, str, str]],
                          offset: int | None) -> dict[int, tuple[Line, str, str]]:
    """Signature marks recur with the gatherings (every 8, 16 … pages, at the same places in
    each). Where the marks read give a period, the short last line of a page at such a place
    is its mark too, however the OCR garbled it ("ZIIS" for "2*")."""
    found = [index for index, (_, kind, _) in feet.items() if kind == "signature"]
    if len(found) < 3:
        return {}
    number = {index: (page.number.value if page.number else index + (offset or 0)) for index, page in enumerate(pages)}
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
        if index in feet or number[index] % period not in places or len(page.lines) < 3:
            continue
        last = page.lines[-1]
        if page.number is not None and page.number.line is last:
            last = page.lines[-2]
        # short, with a letter or digit, and not the initials that sign an article ("J. F.")
        if len(last.text) <= 6 and 1 <= len(last.core) <= 4 and not last.text.endswith(".") \
                and not SIGNED.match(last.text):
            more[index] = (last, "signature", "signature-by-period")
    return more


def _running_heads(pages: list[Page]) -> dict[int, Line]:
    """The first line of a page (after its number) that repeats on the tops of many pages."""
    tops: list[tuple[int, Line, str]] = []
    for index, page in enumerate(pages):
        line = next((line for line in page.lines[:2] if page.number is None or line is not page.number.line), None)
        if line is not None and len(line.text) <= 80 and (key := text_key(line.text)):
            tops.append((index, line, key))
    counts = Counter(key for _, _, key in tops)
    alike = {key: sum(n for other, n in counts.items() if similar_keys(key, other, SIMILAR_HEADS))
             for key in counts}
    heads: dict[int, Line] = {}
    for index, line, key in tops:
        # The first page's line is the heading or title the later pages repeat as their head.
        if alike[key] >= RUNNING_HEAD_MIN_PAGES and alike[key] >= 0.3 * len(pages) and index > 0:
            heads[index] = line
    return heads



REASONS = {
    "page-number": ("page number: the line at the page's edge that continues the sequence of the document's "
                    "page numbers"),
    "page-number-garbled": ("page number as the OCR read it (a confusion of digits): the line stands where the "
                            "sequence needs the number given in @n"),
    "signature": "signature mark at the foot of the page (a gathering's number or star)",
    "signature-by-period": ("signature mark as the OCR read it: a short last line where the period of the "
                            "gatherings, from the marks read elsewhere, puts one"),
    "signature-by-position": ("signature mark as the OCR read it: a short line standing alone under the text, "
                              "in the right half of the page image, where signature marks are printed"),
    "catchword": "catchword: the next page's first word printed at the foot of the page",
    "running-head": "running head: a line the document repeats at the top of its pages",
    "running-head-with-number": ("running head printed beside the page number (given in @n): words the document "
                                 "repeats at the top of its pages"),
}


def find_page_edges(doc: Document) -> None:
    lines = _lines(doc.text)
    _mark_number_tokens(lines)
    pages = _pages_by_marks(lines)
    if doc.facsimile:
        pages = _pages_by_surfaces(lines, doc)
        _number_by_offset(pages)
        how = "a page of the digitized source (its own file, image or page element)"
    elif pages is not None:
        _number_by_offset(pages)
        how = "a form feed or byte-order mark where the export's page files were joined"
    else:
        pages = _pages_by_numbers(lines)
        if pages is None:
            return
        how = "the page's number in the sequence of the document's page numbers"
    edits: list[Edit] = []
    heads = _running_heads(pages)
    offset = _inferred_offset(pages)
    for index, page in enumerate(pages):
        if index or doc.facsimile:  # a digitized source's first page too: its pb links to its image
            value = page.number.value if page.number else (index + offset if offset is not None else None)
            start, original = _page_start(doc, page)
            edits.append(Edit(start=start, end=start + len(original), kind="page-break", original=original,
                              stage="page-edges", reason=f"page boundary: {how}",
                              attrs={"n": str(value)} if value else {}))
        if page.number is not None and page.number.line.with_head:
            line = page.number.line
            edits.append(Edit(start=line.start, end=line.end, kind="running-head", original=line.text,
                              stage="page-edges", confidence=0.9, attrs={"place": "top", "n": str(page.number.value)},
                              reason=REASONS["running-head-with-number"]))
        elif page.number is not None:
            line = page.number.line
            attrs = {} if page.number.exact else {"n": str(page.number.value)}
            edits.append(Edit(start=line.start, end=line.end, kind="page-number", original=line.text,
                              stage="page-edges", confidence=0.95 if page.number.exact else 0.8, attrs=attrs,
                              reason=REASONS["page-number" if page.number.exact else "page-number-garbled"]))
        if index in heads:
            line = heads[index]
            edits.append(Edit(start=line.start, end=line.end, kind="running-head", original=line.text,
                              stage="page-edges", confidence=0.9, attrs={"place": "top"},
                              reason=REASONS["running-head"]))
    feet: dict[int, tuple[Line, str, str]] = {}  # page index -> (line, kind, which reason)
    for index, page in enumerate(pages):
        if foot := _signature(page, pages[index + 1] if index + 1 < len(pages) else None):
            feet[index] = (foot[0], "signature" if foot[1] == "signature-by-position" else foot[1], foot[1])
    feet.update(_signatures_by_period(pages, feet, offset))
    for line, kind, why in feet.values():
        edits.append(Edit(start=line.start, end=line.end, kind=kind, original=line.text, stage="page-edges",
                          confidence=0.85 if why in ("signature", "catchword") else 0.7, attrs={"place": "bottom"},
                          reason=REASONS[why]))
    add_edits(doc, edits)
    doc.scratch.document["page starts"] = [page.start for page in pages[1:]]
    turns = _page_turns(doc, pages, edits)
    # sorted (page break, goes on, final) triples; a page break stands at one place only
    doc.scratch.document["page turns"] = sorted(
        (at, *verdict) for at, verdict in dict((turn.at, (turn.continues, turn.final)) for turn in turns).items())
    doc.scratch.document["paragraph ends at page turns"] = [(t.furniture_start, t.text_start) for t in turns
                                                            if not t.continues]
    doc.scratch.document["page numbers found"] = sum(page.number is not None for page in pages) >= 2


@dataclass(frozen=True)
class PageTurn:
    at: int  # the page break
    continues: bool  # the paragraph goes on over the turn
    final: bool  # that it ends is certain: page images show it, or the next page opens with a title
    furniture_start: int  # where the furniture between the two pages' texts begins
    text_start: int  # where the next page's text begins


def _page_turns(doc: Document, pages: list[Page], edits: list[Edit]) -> list[PageTurn]:
    """Each page turn, and whether the paragraph goes on over it: it ends when the page's
    last line of text ends a sentence and the next page's text begins with a capital."""
    furniture = {(e.start, e.end) for e in edits if e.kind != "page-break"}
    boxes = _text_block_boxes(doc, furniture) if doc.facsimile else None
    turns = []
    for page, following in zip(pages, pages[1:]):
        # lines of text: not furniture, not a rule or the OCR's specks (no letter in them)
        last = next((line for line in reversed(page.lines) if (line.start, line.end) not in furniture
                     and any(ch.isalpha() for ch in line.text)), None)
        first = next((line for line in following.lines if (line.start, line.end) not in furniture
                      and sum(ch.isalpha() for ch in line.text) >= 2), None)
        if last is None or first is None:
            continue
        at = _page_start(doc, following)[0]
        foot = [line for line in page.lines if line.start > last.start]
        broken_word = re.search(r"[^\W\d_]-$", last.text) is not None  # "Flüs-" / "sigkeiten"
        ends = (ends_text(last.text) or _short_last_line_of_page(page, last, furniture) or following.opens_with_title
                or (opens_sentence(doc, first.start) and not broken_word)) and first.text[:1].isupper()
        if boxes is not None and last.start in boxes and first.start in boxes:
            # a short line or an indent ends the paragraph, unless the next page goes on in lower
            # case: the main text resumes after a footnote that closed the page; a full line
            # before a word capitalized only where sentences begin ends it too
            ends = (_ends_by_layout(boxes, last, first) or (opens_sentence(doc, first.start) and not broken_word)) \
                and not first.text[:1].islower()
        final = ends and (boxes is not None or following.opens_with_title)
        turns.append(PageTurn(at, not ends, final, foot[0].start if foot else at, first.start))
    return turns


def _short_last_line_of_page(page: Page, last: Line, furniture: set[tuple[int, int]]) -> bool:
    """Where the OCR garbled a paragraph's full stop ("benutzen«"), its last line still stops
    well short of the page's full lines."""
    lengths = sorted(len(line.text) for line in page.lines if (line.start, line.end) not in furniture)
    return len(lengths) >= 5 and len(last.text) < SHORT_LAST_LINE * lengths[len(lengths) // 2]


def _text_block_boxes(doc: Document, furniture: set[tuple[int, int]]) -> dict[int, tuple]:
    """Line start -> (box, the page's text margins left and right, its line height), for the
    lines of text of each page image (furniture left out of the margins)."""
    found = {}
    for surface in doc.facsimile:
        lines = [zone for zone in surface.lines
                 if (zone.start, zone.end) not in furniture and zone.box[2] > zone.box[0]]
        if len(lines) < 3:
            continue
        lefts, rights = sorted(z.box[0] for z in lines), sorted(z.box[2] for z in lines)
        heights = sorted(z.box[3] - z.box[1] for z in lines)
        margins = (lefts[len(lefts) // 4], rights[3 * len(rights) // 4], heights[len(heights) // 2])
        for zone in lines:
            found[zone.start] = (zone.box, *margins)
    return found


def _ends_by_layout(boxes: dict[int, tuple], last: Line, first: Line) -> bool:
    """The paragraph ends at the page turn when the page's last line of text stops short of
    the right margin, or the next page's first line is indented (page images tell)."""
    (_, _, last_right, _), _, right, height = boxes[last.start]
    (first_left, _, _, _), left, _, next_height = boxes[first.start]
    return last_right < right - 1.5 * height or first_left > left + 0.75 * next_height


def _page_start(doc: Document, page: Page) -> tuple[int, str]:
    """Where the page break goes, and the source characters it stands for: the form feed
    that separates the pages (a byte-order mark is regularized on its own, as an invisible
    character, with the break just before it), or nothing, before the page's first line."""
    position = page.start - 1
    while position >= 0 and (doc.text[position] in PAGE_MARKS or doc.text[position].isspace()):
        if doc.text[position] == "\f":
            return position, "\f"
        if doc.text[position] == "\ufeff":
            return position, ""
        position -= 1
    return page.start, ""


def _inferred_offset(pages: list[Page]) -> int | None:
    """Printed number minus page index, when the numbered pages agree: unnumbered pages
    (a chapter's opening page) get the number they would bear."""
    offsets = Counter(page.number.value - index for index, page in enumerate(pages) if page.number)
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    return offset if count >= 0.8 * sum(offsets.values()) else None
