"""How bench.corpora finds the truth's items (running heads, page numbers, signatures,
catchwords, notes, margin numbers) among the edition's lines, and which of the edition's
furniture edits each one is.

A truth item is a printed thing; the engine's line for it may be cut, garbled, set among
the text's words or lost. Each rule below says one way a printed item is still that item
(or a line is not it), and why. The measurement the furniture figures of BENCHMARKS.md rest
on; tests/test_bench_matching.py composes pages that show each rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bench.digitization import _squeeze
from bench.real import _similar

CLASSES = {"page numbers": {"pageNum"}, "running heads": {"header"}, "signatures + catchwords": {"sig", "catch"}}
EDIT_CLASS = {"page-number": "page numbers", "running-head": "running heads", "signature": "signatures + catchwords",
              "catchword": "signatures + catchwords"}
EDGES = ("top", "bottom")
Span = tuple[int, int]


@dataclass
class Item:
    """A line (or words of one) that is not the main text: furniture, a margin number, a note."""
    kind: str  # pageNum, header, sig, catch, lineNum, verseNum, margin, note, apparatus
    text: str
    where: str = ""  # top, bottom, margin, foot
    n: str = ""  # a page number's value where the print garbles it (`4r` printed for 41)


@dataclass
class Line:
    start: int
    end: int
    text: str
    y: float  # its place on the page, top to foot (the box's top, or the line's rank)
    bottom: float | None = None  # the box's foot, where the page gives boxes


@dataclass
class Page:
    stem: str
    start: int
    end: int
    lines: list[Line]


def class_of(item: Item) -> str | None:
    """The furniture class a truth item is scored in (None: not furniture)."""
    return next((name for name, kinds in CLASSES.items() if item.kind in kinds), None)


def covered(span: Span, edits: list) -> list:
    """The edits that overlap ``span``."""
    return [e for e in edits if e.start < span[1] and span[0] < e.end]


# --- reading alike: how like an item a line (or a run of its words) reads ---

# Capitals that Greek and Latin print alike: an engine reading a Greek head with Latin letters
# (`rENEΣIΣ` for `ΓΕΝΕΣΙΣ`) read the print right, letter for letter.
HOMOGLYPHS = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")


def _fold(text: str) -> str:
    """Compatibility forms folded (`²3` is `23`), Greek capitals that look like Latin ones as those."""
    return unicodedata.normalize("NFKC", text).translate(HOMOGLYPHS)


SPACED_WORDS = 3  # more words than the item's a letter-spaced reading of it may take
SPACED_LETTER = re.compile(r"^[^\W\d_][.,;:]?$")
SPACED_LEAF = re.compile(r"^\d[.,;:]?$")


def _letter_spaced(line: str, words: list[Span]) -> bool:
    """Letters set apart by spaces, perhaps with the leaf's digit last (``e e e``, ``a a a 2,``):
    a signature printed letter-spaced is read as that many one-letter words."""
    return all(SPACED_LETTER.match(line[a:b]) or (n == len(words) - 1 and SPACED_LEAF.match(line[a:b]))
               for n, (a, b) in enumerate(words))


def _runs(line: str, wanted: str, at_ends: bool):
    """The runs of the line's words that may be the item, as (span, letter-spaced): runs of
    as many words as the item anywhere (with ``at_ends``, only those that open or close the
    line: a head or a foot item the engine set on a line of text stands at its end, never
    amid its words, so a catchword ``tres`` is not the text's word); and runs of up to
    SPACED_WORDS words more, letters set apart, wherever they stand (a signature printed
    letter-spaced, ``e e e`` between the short title and the catchword, is the truth's ``eee``)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    count = max(1, len(wanted.split()))
    for size in range(count, count + SPACED_WORDS + 1):
        for i in range(len(words) - size + 1):
            spaced = size > count
            if spaced and not (any(c.isalpha() for c in wanted) and _letter_spaced(line, words[i:i + size])):
                continue
            if at_ends and not spaced and 0 < i < len(words) - size:
                continue
            yield (words[i][0], words[i + size - 1][1]), spaced


def _partial_weight(line: str, wanted: str) -> float:
    """A run inside a much longer line counts for less: a number standing alone beats the same
    digits among the apparatus's words."""
    return 0.8 if len(_squeeze(line)) > 2 * len(_squeeze(wanted)) + 2 else 1.0


def _window_similarity(line: str, wanted: str, at_ends: bool = False) -> tuple[float, int, int]:
    """How like ``wanted`` the line or a run of its words is (both folded: see _fold), and that
    run's span in the line (see _runs for which runs, _partial_weight for what they count); a
    letter-spaced run is compared without its spaces."""
    folded, wanted = _fold(line), _fold(wanted)
    best = (_similar(folded, wanted), 0, len(line))
    partial = _partial_weight(line, wanted)
    for span, spaced in _runs(line, wanted, at_ends):
        run = _fold(line[span[0]:span[1]])
        similarity = (_similar(_squeeze(run), _squeeze(wanted)) if spaced else _similar(run, wanted)) * partial
        if similarity > best[0]:
            best = (similarity, *span)
    return best


def _digits_agree(wanted: str, found: str) -> bool:
    """A short item's digits are read alike, or the engine read none (a number garbled to letters),
    or it garbled some of them in place (`8j` for 83: as many characters, the digits it kept in
    order); `1.` is not 19."""
    found, wanted = unicodedata.normalize("NFKC", found), unicodedata.normalize("NFKC", wanted)
    digits, wanted_digits = [c for c in found if c.isdigit()], [c for c in wanted if c.isdigit()]
    if not digits or digits == wanted_digits:
        return True
    rest = iter(wanted_digits)
    kept_in_order = all(digit in rest for digit in digits)
    return kept_in_order and sum(c.isalnum() for c in found) == sum(c.isalnum() for c in wanted)


# --- where on the page an item is looked for ---

def _same_row(a: Line, b: Line) -> bool:
    """Two boxes on one printed line: they overlap by half the lower one's height at least."""
    overlap = min(a.bottom, b.bottom) - max(a.y, b.y)
    return overlap >= 0.5 * min(a.bottom - a.y, b.bottom - b.y) > 0


def _rows_cut_in_pieces(lines: list[Line]) -> list[Line]:
    """A printed line the engine cut into boxes side by side (`rENEΣIΣ` and `x11 13` on the row of
    the head `ΓΕΝΕΣΙΣ XII 13`), as one line: the pieces that follow one another in the text,
    joined by a space where the text has its line break (so the offsets stay the text's)."""
    rows, by_start = [], sorted(lines, key=lambda line: line.start)
    run: list[Line] = []
    for line in by_start + [None]:
        if line is not None and run and line.start == run[-1].end + 1 and line.bottom is not None \
                and run[-1].bottom is not None and _same_row(line, run[-1]):
            run.append(line)
            continue
        if len(run) >= 2:
            rows.append(Line(run[0].start, run[-1].end, " ".join(piece.text for piece in run),
                             min(piece.y for piece in run), max(piece.bottom for piece in run)))
        run = [line] if line is not None else []
    return rows


def _where_to_look(item: Item, ordered: list[Line], rows: list[Line]) -> list[Line]:
    """The lines an item may be: a head's among the page's first three, a foot item's among its
    last three, with the whole rows those are pieces of (see _rows_cut_in_pieces); a margin's
    item among the short lines, as the engines that read it apart give it (a line of its own);
    anything else anywhere."""
    near = {"top": ordered[:3], "bottom": ordered[-3:]}.get(item.where, ordered)
    near = near + [row for row in rows if item.where in EDGES and any(
        row.start <= line.start < row.end for line in near)]
    if item.where == "margin":
        near = [line for line in ordered if len(_squeeze(line.text)) <= len(_squeeze(item.text)) + 4]
    return near


def _best_reading(item: Item, near: list[Line], taken: set[Span]) -> Span | None:
    """The span among ``near`` reading most like the item (a short item, four characters or
    fewer, needs less likeness, but its digits must agree: see _digits_agree), not taken by an
    item before it."""
    short = len(_squeeze(item.text)) <= 4
    best, span = (0.4 if short else 0.5), None
    for line in near:
        similarity, a, b = _window_similarity(line.text, item.text, at_ends=item.where in EDGES)
        if short and not _digits_agree(item.n or item.text, line.text[a:b]):
            continue  # `1.` is not the page number 19, `132` not the signature B 2
        if similarity >= best and (line.start + a, line.start + b) not in taken:
            best, span = similarity + 1e-9, (line.start + a, line.start + b)
    return span


# --- an item garbled past reading: the line left standing at its edge ---

FAR = 3  # line heights between a page's edge line and the next: a speck far out on the scan


def _far_from_the_text(edge: Line, ordered: list[Line]) -> bool:
    """Whether the line at the page's edge stands far out from every other line (where the page
    gives boxes): more than three line heights of blank paper away. Furniture stands at the text,
    a head's number on its row, a signature under the last line; a mark far above or below it is
    a speck of the scan (Arnobius 009: `--.'` at the top left, the page number 9 the engine lost)."""
    others = [line for line in ordered if line is not edge and line.bottom is not None]
    if edge.bottom is None or not others:
        return False
    heights = sorted(line.bottom - line.y for line in others)
    gap = min(max(line.y - edge.bottom, edge.y - line.bottom) for line in others)
    return gap > FAR * heights[len(heights) // 2]


def _untaken_end(line: Line, taken: set[Span], item: Item) -> Span:
    """On a foot line another item took part of, for a catchword the words after the last taken
    span, for a signature those before the first (the foot prints title, signature, catchword
    left to right): `me. e e e fem,` gives `fem,` for `ſent,` beside the signature `e e e`;
    else nothing."""
    inside = [(a, b) for a, b in taken if a < line.end and line.start < b]
    if item.where != "bottom" or item.kind not in ("catch", "sig") or not inside:
        return 0, 0
    if item.kind == "catch":
        after = max(b for _a, b in inside)
        rest = line.text[after - line.start:]
        return (after + len(rest) - len(rest.lstrip()), line.end) if rest.strip() else (0, 0)
    before = min(a for a, _b in inside)
    rest = line.text[: before - line.start]
    return (line.start, line.start + len(rest.rstrip())) if rest.strip() else (0, 0)


def _initials_shape(text: str) -> str:
    """Initials' shape, letters and stops (`I. F.` and `»D- H-` both `A.A.`), or "" for
    anything else: an article's sign-off garbled past reading is still a sign-off."""
    shape = re.sub(r"[.\-—–=,]+", ".", re.sub(r"[^\W\d_]", "A", "".join(text.split()).strip("»«„“”‚‘’\"'")))
    return shape if re.fullmatch(r"(?:A{1,3}\.){2,4}", shape) else ""


def _a_line_of_the_body(text: str, body: list[str]) -> bool:
    """The text reads like a line of the truth's body (not much longer than it): the page's own
    text, not an item."""
    return any(_similar(line, text) >= 0.7 for line in body if len(line) <= 3 * len(text))


def _words_ending_a_line_at_the_edge(text: str, at_edge: list[str]) -> bool:
    """The text reads like the words that end or open a body line at that edge: `D. Red.`
    signing an article after its last words, read `D. Ked` on a line of its own, is the
    sign-off, not the signature the OCR lost under it."""
    count = len(text.split())
    return any(_similar(_fold(" ".join(words)), _fold(text)) >= 0.7
               for line in at_edge for words in (line.split()[:count], line.split()[-count:]))


def _initials_at_the_edge(text: str, at_edge: list[str]) -> bool:
    """The text has the shape of initials a body line at that edge is (`»D- H-` for `I. F.`):
    a sign-off read past recognition."""
    return any(_initials_shape(line) and _initials_shape(line) == _initials_shape(text) for line in at_edge)


def _the_bodys_own_text(item: Item, text: str, body: list[str] | None) -> bool:
    """Whether the text at the item's edge is the truth's own text there (a line of the body,
    the words that end or open one, a sign-off's initials), not the item garbled."""
    body = body or []
    at_edge = body[:3] if item.where == "top" else body[-3:]
    return _a_line_of_the_body(text, body) or _words_ending_a_line_at_the_edge(text, at_edge) \
        or _initials_at_the_edge(text, at_edge)


def _garbled_item_at_edge(item: Item, text: str, body: list[str] | None) -> bool:
    """Whether the text at the page's edge may be the item garbled past reading: as short as
    the item, with as many letters (a short item's number may be read as a letter: `8` for a
    misread 3), and not the truth's own text there (see _the_bodys_own_text)."""
    size = len(_squeeze(item.text))
    as_short = len(_squeeze(text)) <= max(8, size * 3 // 2 + 2)
    alike = size <= 4 or sum(c.isalpha() for c in text) * 2 >= sum(c.isalpha() for c in item.text)
    return as_short and alike and not _the_bodys_own_text(item, text, body)


def _garbled_at_edge(item: Item, ordered: list[Line], rows: list[Line], taken: set[Span],
                     body: list[str] | None) -> Span | None:
    """An item at the top or foot that reads like no line (`χι 14 PENE212` for `XI 14 ΓΕΝΕΣΙΣ`):
    the line at that edge, or the row it is a piece of, if no item took part of it and it may be
    the item garbled (see _garbled_item_at_edge); where another item took part of the foot line,
    the end it left (see _untaken_end). Never a speck far out (see _far_from_the_text)."""
    edge = ordered[0] if item.where == "top" else ordered[-1]
    row = next((row for row in rows if row.start <= edge.start < row.end), None)
    if _far_from_the_text(edge, ordered):
        return None  # a speck on the scan's margin, not the item the engine lost
    candidates = [(line.start, line.end) for line in [edge] + ([row] if row else [])
                  if not any(a < line.end and line.start < b for a, b in taken)] or [_untaken_end(edge, taken, item)]
    for start, end in candidates:
        text = row.text if row and (start, end) == (row.start, row.end) else \
            edge.text[start - edge.start:end - edge.start]
        if end > start and _garbled_item_at_edge(item, text, body):
            return start, end
    return None


def match_items(items: list[Item], page: Page, body: list[str] | None = None) -> list[Span | None]:
    """The span of the edition's text that is each item: the line (or words of one) reading most
    like it where the judgement puts it (longest items first, see _where_to_look, _best_reading);
    then, when every item that reads alike has its line, an item at the top or foot garbled beyond
    recognition is the line left standing at that edge (see _garbled_at_edge), if it is not the
    truth's body (``body``: `I. F.` signing an article above the signature `7` the OCR lost). No
    span serves two items."""
    spans: list[Span | None] = [None] * len(items)
    if not page.lines:
        return spans
    ordered = sorted(page.lines, key=lambda line: line.y)
    rows = _rows_cut_in_pieces(page.lines)
    taken: set[Span] = set()
    for index, item in sorted(enumerate(items), key=lambda pair: -len(pair[1].text)):
        spans[index] = _best_reading(item, _where_to_look(item, ordered, rows), taken)
        if spans[index] is not None:
            taken.add(spans[index])
    for index, item in enumerate(items):
        if spans[index] is None and item.where in EDGES:
            spans[index] = _garbled_at_edge(item, ordered, rows, taken, body)
            if spans[index] is not None:
                taken.add(spans[index])
    return spans


# --- which furniture edits each item is ---

def _parts_of_items(doc, page: Page, items: list[Item], edits: list) -> dict[int, list]:
    """Furniture edits that are a piece of a truth item the engine read as lines of their own (a
    running head split in two: ``X1 14`` and ``FNEΣIΣ``), at the item's edge of the page: one
    printed item is one, its pieces neither twice nor false."""
    ordered = sorted(page.lines, key=lambda line: line.y)
    edges = {"top": ordered[:4], "bottom": ordered[-4:]}
    parts: dict[int, list] = {}
    for edit in edits:
        text = doc.text[edit.start:edit.end]
        if len(_squeeze(text)) < 2:
            continue
        for index, item in enumerate(items):
            near = edges.get(item.where, ordered)
            if any(line.start <= edit.start < line.end + 1 for line in near) and \
                    _window_similarity(item.text, text)[0] >= 0.6:
                parts.setdefault(index, []).append(edit)
                break
    return parts


def _pieces_on_items_rows(page: Page, matched: list[tuple[Item, Span | None]], edits: list) -> dict[int, list]:
    """Furniture edits of an item's class on the other pieces of the printed row the item was
    matched on (boxes side by side at the page's edge: `x11 13` beside `rENEΣIΣ`, one running
    head `ΓΕΝΕΣΙΣ XII 13`): one printed item is one item, its pieces no false positives."""
    pieces: dict[int, list] = {}
    taken: set[int] = set()
    for index, (item, span) in enumerate(matched):
        name = class_of(item)
        own = [line for line in page.lines if span and span[0] < line.end + 1 and line.start < span[1]]
        if name is None or not own or item.where not in EDGES or any(line.bottom is None for line in own):
            continue
        row = [line for line in page.lines if line not in own and line.bottom is not None
               and any(_same_row(line, piece) for piece in own)]
        for edit in edits:
            if EDIT_CLASS.get(edit.kind) == name and id(edit) not in taken \
                    and any(line.start <= edit.start < line.end + 1 for line in row):
                pieces.setdefault(index, []).append(edit)
                taken.add(id(edit))
    return pieces


def _page_number_by_its_n(item: Item, edits: list, hit: set[int]) -> list:
    """A page number garbled past matching (`23` read for 25) whose page the edition's fw still
    says: the page-number edit of that ``n`` no other item has."""
    return [e for e in edits if e.kind == "page-number" and id(e) not in hit
            and e.attrs.get("n") == (item.n or item.text)][:1]


@dataclass
class PageMatch:
    """A truth page's items matched: each item's span (None: the OCR lost it) and the furniture
    edits that are it; the furniture edits that are no item (false positives)."""
    matched: list[tuple[Item, Span | None]]
    found: list[list]
    others: list


def match_furniture(doc, page: Page, items: list[Item], body: list[str] | None, edits: list) -> PageMatch:
    """Which of the page's furniture ``edits`` each truth item is: those covering its span, the
    pieces it was read in (see _parts_of_items, _pieces_on_items_rows), or, for a page number
    matched nowhere, the edit of its value (see _page_number_by_its_n)."""
    matched = list(zip(items, match_items(items, page, body)))
    hit = {id(e) for _item, span in matched if span for e in covered(span, edits)}
    parts = _parts_of_items(doc, page, items, [e for e in edits if id(e) not in hit])
    hit.update(id(e) for found in parts.values() for e in found)
    for index, found in _pieces_on_items_rows(page, matched, [e for e in edits if id(e) not in hit]).items():
        parts.setdefault(index, []).extend(found)
        hit.update(id(e) for e in found)
    founds = []
    for index, (item, span) in enumerate(matched):
        found = (covered(span, edits) if span else []) + parts.get(index, [])
        if not found and span is None and item.kind == "pageNum":
            found = _page_number_by_its_n(item, edits, hit)
            hit.update(id(e) for e in found)
        founds.append(found)
    return PageMatch(matched, founds, [e for e in edits if id(e) not in hit])
