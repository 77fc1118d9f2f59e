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
  running heads that repeat at the top of many pages;
- the notes under a page's main text, which are text, not furniture, but stand in the page
  turn: the main text's last line above them decides it.

Block-level furniture (lines standing apart, a document without numbers) stays with
:mod:`pipeline.stages.layout`, which runs after segmentation and leaves these lines alone.

``lines`` reads the text's lines, ``numbering`` finds the pages and their numbers (``openers``
the pages whose number is not printed), ``furniture`` the signature marks, catchwords and
running heads, ``notes`` the notes at the foot, ``turns`` where each page break goes and
whether the paragraph goes on over it; this module turns what they found into edits.
"""

from __future__ import annotations

import bisect
import re

from pipeline.edits import add_edits
from pipeline.model import Document, Edit
from pipeline.stages.pageedges.feet import FOOT_LINES, FootItem, foot_items, inner_feet
from pipeline.stages.pageedges.furniture import (running_heads, signature_at_foot, signature_lines,
                                                 signatures_by_period)
from pipeline.stages.pageedges.lines import (Line, between_dashes, decimal_lines, joined, mark_number_tokens,
                                             page_lines)
from pipeline.stages.pageedges.margins import EDGE_PUNCTUATION, LineNumber, MarginPiece, line_numbers
from pipeline.stages.pageedges.notes import PRINTED_MARK, PageNotes, page_notes
from pipeline.stages.pageedges.protrusions import protrusions
from pipeline.stages.pageedges.lettered import LetteredRun
from pipeline.stages.pageedges.numbering import (Page, PageNumber, front_matter_pages, inferred_offset,
                                                number_by_offset, number_in_letters, pages_by_marks, pages_by_numbers,
                                                pages_by_numbers_in_letters, pages_by_surfaces, positions, top_words)
from pipeline.stages.pageedges.turns import covered_lines, page_start, page_turns

REASONS = {
    "page-number": ("page number: the line at the page's edge that continues the sequence of the document's "
                    "page numbers"),
    "page-number-apart": ("page number: the number standing alone where page numbers are printed, above the text "
                          "at its corner, set far apart from what shares its line, or in a printer's frame"),
    "page-number-garbled": ("page number as the OCR read it (a confusion of digits): the line stands where the "
                            "sequence needs the number given in @n"),
    "page-number-in-letters-garbled": ("page number in Roman numerals as the OCR read it (l or 1 for i, y for v, u for "
                                       "ii, a letter in the other case, a speck; or garbled where the page image "
                                       "shows it apart above the text): the line stands where the sequence of "
                                       "numbers read on the pages around it needs the number given in @n"),
    "page-number-between-dashes": ("page number between dashes, which the OCR read as the numeral 一: the "
                                   "line stands where the sequence needs the number given in @n"),
    "signature": "signature mark at the foot of the page (a gathering's number or star)",
    "signature-by-period": ("signature mark as the OCR read it: a short last line where the period of the "
                            "gatherings, from the marks read elsewhere, puts one"),
    "signature-by-position": ("signature mark as the OCR read it: a short line standing alone under the text, "
                              "in the right half of the page image, where signature marks are printed"),
    "signature-line": ("signature line: the short title, volume and sheet a journal or book prints at the foot "
                       "of a sheet's first page, abbreviations and numerals under the text"),
    "signature-beside-number": ("signature mark printed on the line of the page number at the foot, beside it "
                                "(the OCR read them as one line)"),
    "catchword": "catchword: the next page's first word printed at the foot of the page",
    "catchword-beside-signature": ("catchword: the word printed after the signature at the foot of the page, "
                                   "the next page's first word"),
    "catchword-by-position": ("catchword as the OCR read it: a word standing alone under the text, in the right "
                              "half of the page image, where catchwords are printed"),
    "signature-gathering": ("signature at the foot of the page: the gathering's letter printed two to four times "
                            "and the leaf's number, after the book's short title where it is printed"),
    "signature-piece": ("signature line as the OCR read it: a short piece set apart on the line under the text, "
                        "where the book prints its signatures (read on other pages)"),
    "catchword-piece": ("catchword as the OCR read it: the word set apart at the right of the line under the "
                        "text, where the book prints its catchwords (read on other pages)"),
    "running-head": "running head: a line the document repeats at the top of its pages",
    "line-number": ("line number in the margin: one of a run of numbers that grow with the lines they stand "
                    "beside (every fifth line, say), not with the pages"),
    "line-number-garbled": ("line number in the margin as the OCR read it: the run of line numbers needs the number "
                            "given in @n at this line"),
    "running-head-named": "running head: the OCR file marks the line as the page's header",
    "running-head-beside-corner-number": ("running head: the words printed at the page's top beside the page "
                                          "number (given in @n), which stands apart at the corner"),
    "running-head-with-number": ("running head printed beside the page number (given in @n): words the document "
                                 "repeats at the top of its pages"),
}


def _missing_page_edits(doc: Document, pages: list[Page], offset: int | None) -> list[Edit]:
    """A page the source names but whose text is not there (a library package's file absent,
    not fetched, not recognised, a blank page): its page break (and a gap, but for a blank page),
    where the next page with text begins (after the last one's text, at the end), so that the
    edition has all its pages; its number the library's label, else the one the numbered pages
    around it count to it (``offset``), as for a page with text that prints none."""
    edits = []
    for index, surface in enumerate(doc.facsimile):
        if surface.missing is None or surface.lines:
            continue
        following = next((page for page in pages if page.surface is not None and page.surface > index), None)
        at = page_start(doc, following)[0] if following else pages[-1].lines[-1].end if pages else 0
        reason, what = surface.missing
        counted = None if surface.label else _counted(index, offset)
        edits.append(Edit(start=at, end=at, kind="missing-page", original="", stage="page-edges",
                          reason=f"page without text: {what}" + (COUNTED if counted else ""),
                          attrs={"surface": str(index + 1), "reason": reason,
                                 **_number(surface.label, str(counted) if counted else None)}))
    return edits


def find_page_edges(doc: Document) -> None:
    """Stage: where the pages turn, and at their edges the furniture: page numbers, running heads, signatures,
    catchwords, line numbers, notes at the foot."""
    lines = page_lines(doc.text)
    together = joined(lines)  # (scanned once for all the lines by the rules that look for digits)
    with_decimal = decimal_lines(together)  # (the margin's numbers and the pages' are read on these alone)
    margin = line_numbers(lines, _margin_pieces(doc), [surface.start for surface in doc.facsimile],
                          [MarginPiece(p.start, p.end, p.side) for p in protrusions(doc)], together, with_decimal)
    _mark_line_numbers(lines, margin)
    mark_number_tokens(lines, together, with_decimal)
    pages = pages_by_marks(lines)
    words = None  # the words at the pages' tops, found once for the numbers and the running heads
    in_letters = None  # the pages numbered in Roman or Greek numerals
    if doc.facsimile:
        pages = pages_by_surfaces(lines, doc)
        number_by_offset(pages, words := top_words(pages))
        in_letters = number_in_letters(pages, words)
        how = "a page of the digitized source (its own file, image or page element)"
    elif pages is not None:
        number_by_offset(pages, words := top_words(pages))
        in_letters = number_in_letters(pages, words)
        how = "a form feed or byte-order mark where the export's page files were joined"
    else:
        pages = pages_by_numbers(lines)
        pages = front_matter_pages(pages) if pages is not None else pages_by_numbers_in_letters(lines)
        if pages is None:
            add_edits(doc, _line_number_edits(doc, margin, []))
            return
        how = "the page's number in the sequence of the document's page numbers"
    edits: list[Edit] = []
    heads = running_heads(pages, line_heights(doc), words)
    offset = inferred_offset(pages)
    at_all = positions(pages)
    for index, (at, page) in enumerate(zip(at_all, pages)):
        if index or doc.facsimile:  # a digitized source's first page too: its pb links to its image
            value = page.number.value if page.number else _counted(at, offset)
            start, original = page_start(doc, page)
            label = doc.facsimile[page.surface].label if page.surface is not None else None
            if label is not None and not (page.number and page.number.numeral):
                _check_label(doc, page, label, value)
            printed = _printed_against_label(page, label)
            labelled = (PRINTED_AGAINST_LABEL.format(label=label) if printed else LABELLED) if label else ""
            edits.append(Edit(start=start, end=start + len(original), kind="page-break", original=original,
                              stage="page-edges", reason=f"page boundary: {how}" + labelled,
                              attrs=_number(printed or label, _printed_number(page, index, at_all, value, in_letters))))
        if page.number is not None and page.number.line.with_head:
            line = page.number.line
            edits.append(Edit(start=line.start, end=line.end, kind="running-head", original=line.text,
                              stage="page-edges", confidence=0.9, attrs={"place": "top", "n": page.number.printed},
                              reason=REASONS["running-head-beside-corner-number" if page.number.alone
                                             else "running-head-with-number"]))
        elif page.number is not None:
            line = page.number.line
            attrs = {} if page.number.exact else {"n": page.number.printed}
            start, end = _number_span(line)
            edits.append(Edit(start=start, end=end, kind="page-number", original=doc.text[start:end],
                              stage="page-edges", confidence=0.95 if page.number.exact else 0.8, attrs=attrs,
                              reason=REASONS[_number_reason(page.number)]))
            if line.beside_mark and (mark := _mark_beside(line, start, end)) is not None:
                edits.append(Edit(start=mark[0], end=mark[1], kind="signature", original=doc.text[mark[0]:mark[1]],
                                  stage="page-edges", confidence=0.7, attrs={"place": "bottom"},
                                  reason=REASONS["signature-beside-number"]))
        for line in heads.get(index, []):
            edits.append(Edit(start=line.start, end=line.end, kind="running-head", original=line.text,
                              stage="page-edges", confidence=0.9, attrs={"place": "top"},
                              reason=REASONS["running-head-named" if line.named else "running-head"]))
    early = _early_feet(pages, heads)
    inner = [inner_feet([line for line in page.lines if line.line_number != "alone"][:-FOOT_LINES]) for page in pages]
    for items in [*early.values(), *inner]:
        edits += [Edit(start=item.start, end=item.end, kind=item.kind, original=doc.text[item.start:item.end],
                       stage="page-edges", confidence=0.8, attrs={"place": "bottom"}, reason=REASONS[item.why])
                  for item in items]
    feet: dict[int, tuple[Line, str, str]] = {}  # page index -> (line, kind, which reason)
    for index, page in enumerate(pages):
        if index in early:
            continue
        if foot := signature_at_foot(page, pages[index + 1] if index + 1 < len(pages) else None):
            kind = {"signature-by-position": "signature", "catchword-by-position": "catchword"}.get(foot[1], foot[1])
            feet[index] = (foot[0], kind, foot[1])
    feet.update(signatures_by_period(pages, feet, offset))
    found_at_feet = list(feet.values())
    for index, page in enumerate(pages):
        at_foot = [feet[index][0]] if index in feet else [line for line in page.lines for item in early.get(index, [])
                                                           if line.start <= item.start < line.end]
        if (line := signature_lines(page, at_foot)) is not None:
            found_at_feet.append((line, "signature", "signature-line"))
    catchwords = sum(any(item.kind == "catchword" for item in items) for items in early.values()) \
        + sum(kind == "catchword" for _, kind, _ in feet.values())
    if catchwords >= FOOT_EVIDENCE_SHARE * len(pages):
        taken = [(e.start, e.end) for e in edits] + [(line.start, line.end) for line, _, _ in found_at_feet]
        found_at_feet += _foot_pieces(pages, taken)
    for line, kind, why in found_at_feet:
        edits.append(Edit(start=line.start, end=line.end, kind=kind, original=line.text, stage="page-edges",
                          confidence=0.85 if why in ("signature", "catchword") else 0.7, attrs={"place": "bottom"},
                          reason=REASONS[why]))
    furniture = covered_lines(pages, [e for e in edits if e.kind != "page-break"])
    if doc.facsimile:
        edits += _missing_page_edits(doc, pages, offset)
    notes = page_notes(doc, pages, furniture)
    edits += _note_edits(doc, notes)
    edits += _line_number_edits(doc, margin, edits)
    add_edits(doc, edits)
    found = doc.findings
    found.footnotes = [(note.start, note.end) for note in notes]
    found.page_starts = [page.start for page in pages[1:]]
    turns = page_turns(doc, pages, edits, notes)
    # sorted (page break, goes on, final) triples; a page break stands at one place only
    found.page_turns = sorted(
        (at, *verdict) for at, verdict in dict((turn.at, (turn.continues, turn.final)) for turn in turns).items())
    found.paragraph_ends_at_page_turns = [(t.furniture_start, t.text_start) for t in turns if not t.continues]
    found.page_numbers_found = sum(page.number is not None for page in pages) >= 2


def line_heights(doc: Document) -> dict[int, int]:
    """The height of each line's box on its page image (or the OCR file's boxes), by where the
    line starts: the type it is set in, roughly (empty without boxes); of a column (a page of
    vertical lines), its width."""
    return {zone.start: zone.box[2] - zone.box[0] if surface.vertical else zone.box[3] - zone.box[1]
            for surface in doc.facsimile for zone in surface.lines if zone.box[3] > zone.box[1]}


def _early_feet(pages: list[Page], heads: dict[int, list[Line]]) -> dict[int, list[FootItem]]:
    """Each page's signature line and catchword as early modern books print them (feet.py),
    the catchword known by the next page's first word of text (under its head and number)."""
    found = {}
    for index, page in enumerate(pages):
        following = pages[index + 1] if index + 1 < len(pages) else None
        next_first = None
        if following is not None:
            above = heads.get(index + 1, []) + ([following.number.line] if following.number else [])
            # (the lines above by identity: two lines of the text are never equal, and comparing
            # their every field costs)
            text = next((line for line in following.lines if line.line_number != "alone"
                         and not any(line is other for other in above)), None)
            next_first = text.text.split()[0] if text is not None else None
        lines = [line for line in page.lines if line.line_number != "alone"
                 and (page.number is None or line is not page.number.line)]
        if items := foot_items(lines, next_first):
            found[index] = items
    return found


# Pages whose catchword was read, of all: the book prints a catchword on every page, and its
# signatures on the same line (an early modern book; a journal's foot holds notes and signed
# initials, set as short pieces too)
FOOT_EVIDENCE_SHARE = 0.25


def _foot_pieces(pages: list[Page], taken: list[tuple[int, int]]) -> list[tuple[Line, str, str]]:
    """The pieces the engine set apart on the line under a page's text (lines.py), where the
    book prints catchwords and signatures, that no rule read as one: the signature line and
    catchword as the OCR garbled them ("Let iit. naa" for "Leviat. ggg")."""
    found = []
    for page in pages:
        for line in page.lines:
            if line.foot_piece and not line.line_number and not any(a < line.end and line.start < b
                                                                    for a, b in taken):
                found.append((line, line.foot_piece, f"{line.foot_piece}-piece"))
    return found


def _margin_pieces(doc: Document) -> list[MarginPiece]:
    """What the page images show in the margins, each piece with the side of the line it
    stands beside (its zone left or right of the line's own words)."""
    pieces = []
    for surface in doc.facsimile:
        hosts = sorted((zone.start, zone.end, zone.box) for zone in surface.lines)
        starts = [host[0] for host in hosts]
        for zone in surface.margins:
            index = bisect.bisect_right(starts, zone.start) - 1
            if index < 0 or zone.end > hosts[index][1] or zone.end <= zone.start:
                continue
            line_box = hosts[index][2]
            side = "left" if (zone.box[0] + zone.box[2]) / 2 < (line_box[0] + line_box[2]) / 2 else "right"
            pieces.append(MarginPiece(zone.start, zone.end, side))
    return pieces


def _counted(position: int, offset: int | None) -> int | None:
    """The number an unnumbered page bears in the sequence of the numbered ones; none before
    page 1 (front matter the count runs back into is unnumbered, or numbered otherwise)."""
    if offset is None or position + offset < 1:
        return None
    return position + offset


def _number_span(line: Line) -> tuple[int, int]:
    """Where the page number stands: its line, or its piece of the foot line it shares with the
    signature mark."""
    if not line.beside_mark or line.token is None:
        return line.start, line.end
    at = line.start + line.text.index(line.token)
    return at, at + len(line.token)


SIGNATURE_CORE = 3  # letters and digits of a signature mark ("B 2", "Aa 3")


def _mark_beside(line: Line, start: int, end: int) -> tuple[int, int] | None:
    """The rest of the foot line beside the page number: the signature mark, where it has one's
    shape (a few letters or digits, or a star), else None (it stays text)."""
    rest = [(line.start + m.start(), line.start + m.end()) for m in re.finditer(r"\S+", line.text)
            if not start <= line.start + m.start() < end]
    if not rest:
        return None
    text = line.text[rest[0][0] - line.start:rest[-1][1] - line.start]
    core = [ch for ch in text if ch.isalnum()]
    if 0 < len(core) <= SIGNATURE_CORE or (not core and any(ch in "*†" for ch in text)):
        return rest[0][0], rest[-1][1]
    return None


def _number_reason(number: PageNumber) -> str:
    if number.alone:
        return "page-number-apart"
    if number.exact:
        return "page-number"
    if number.numeral is not None:
        return "page-number-in-letters-garbled"
    return "page-number-between-dashes" if between_dashes(number.line, number.value) else "page-number-garbled"


def _mark_line_numbers(lines: list[Line], margin: list[LineNumber]) -> None:
    """The lines holding a line number of the margin, which the page rules then never read as a page's number."""
    if not margin:
        return  # (most documents)
    numbers = sorted((number.start, number.alone) for number in margin)
    for line in lines:
        index = bisect.bisect_left(numbers, (line.start, False))
        if index < len(numbers) and numbers[index][0] < line.end:
            line.line_number = "alone" if numbers[index][1] else "beside"


def _line_number_edits(doc: Document, margin: list[LineNumber], edits: list[Edit]) -> list[Edit]:
    """The margin's line numbers as fw (outside the other furniture and the notes found: a
    number the page rules took stays theirs)."""
    if not margin:
        return []  # (most documents: their other edits are not sorted for nothing)
    taken = sorted((e.start, e.end) for e in edits if e.end > e.start)
    pieces = sorted((zone.start, zone.end) for surface in doc.facsimile for zone in surface.margins)
    found = []
    for number in margin:
        start, end = _whole_margin_piece(doc.text, pieces, number.start, number.end)
        index = bisect.bisect_right(taken, (start, float("inf"))) - 1
        if index >= 0 and taken[index][1] > start:
            continue
        if index + 1 < len(taken) and taken[index + 1][0] < end:
            continue
        found.append(Edit(start=start, end=end, kind="line-number",
                          original=doc.text[start:end], stage="page-edges",
                          confidence=0.85 if number.exact else 0.7,
                          attrs={} if number.exact else {"n": str(number.value)},
                          reason=REASONS["line-number" if number.exact else "line-number-garbled"]))
    return found


def _whole_margin_piece(text: str, pieces: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The number's span, or the whole piece of the page's margin it stands in where the rest
    of the piece is the punctuation OCR scatters around a number (``ιε»``, ``·20``): one
    line number, one fw, pointing to the margin's zone."""
    index = bisect.bisect_right(pieces, (start, float("inf"))) - 1
    if index >= 0 and pieces[index][0] <= start and end <= pieces[index][1]:
        piece_start, piece_end = pieces[index]
        if not (text[piece_start:start] + text[end:piece_end]).strip(EDGE_PUNCTUATION + " "):
            return piece_start, piece_end
    return start, end


COUNTED = "; its number (@n) counted from the numbers printed on the pages around it"
LABELLED = "; its number (@n) is the page's label in the library's METS (ORDERLABEL)"


PRINTED_AGAINST_LABEL = ("; its number (@n) is the one printed on the page, read as printed at its edge, where the "
                         "library's METS labels it {label!r} (ORDERLABEL), a page or two off")
LABEL_DRIFT = 2  # pages: a label this far off the printed number is the library's slip in a sequence


def _number(label: str | None, printed: str | None) -> dict[str, str]:
    """A page break's @n: the number it is labelled or prints, else the one counted, else none."""
    return {"n": label} if label else {"n": printed} if printed else {}


def _printed_number(page: Page, index: int, at: list[int], value: int | None,
                    in_letters: LetteredRun | None) -> str | None:
    """The number a page break gives its page, as the book prints it: the page's own (``12``,
    ``xiv``), else in the run of numbers in letters where the page stands inside it (an
    unnumbered page of the preface), else the Arabic one counted (``value``)."""
    if page.number is not None:
        return page.number.printed
    if in_letters is not None and (numeral := in_letters.counted(index, at)) is not None:
        return numeral.printed
    return str(value) if value else None


def _printed_against_label(page, label: str | None) -> str | None:
    """The number the page prints, where it says another than the library's label: read exactly
    as printed (never inferred from a garbled reading), and near the label (the labels' sequence
    off by a page or two: a leaf left out of the count), else None (the label stands)."""
    numbers = re.findall(r"\d+", label or "")
    if page.number is None or not page.number.exact or len(numbers) != 1:
        return None
    value = page.number.value
    return str(value) if 0 < abs(value - int(numbers[0])) <= LABEL_DRIFT else None


def _check_label(doc: Document, page, label: str, value: int | None) -> None:
    """The library's label gives @n unless the page prints its own number near it
    (:func:`_printed_against_label`); where the page number read on the page says another
    number, the report says so (the number read stays in the page's fw)."""
    numbers = re.findall(r"\d+", label)
    if page.number is not None and value is not None and len(numbers) == 1 and int(numbers[0]) != value:
        read = "is" if page.number.exact else f"({page.number.line.text.strip()!r}) fits"
        doc.notes.append(f"page {page.surface + 1}: the METS labels it {label!r}, the page number read on it "
                         f"{read} {value}")


def _note_edits(doc: Document, notes: list[PageNotes]) -> list[Edit]:
    """Each page's notes as a footnote (numbered p1, p2, … through the document), and the mark
    in the main text that refers to it, where that mark was read cleanly and stands once."""
    edits = []
    for number, note in enumerate(notes, start=1):
        attrs = {"id": f"p{number}"} | ({"n": note.mark} if PRINTED_MARK.fullmatch(note.mark) else {}) \
            | ({"type": "apparatus"} if note.apparatus else {})
        if note.anchor is not None:
            start, end = note.anchor
            edits.append(Edit(start=start, end=end, kind="note-anchor", original=doc.text[start:end],
                              stage="page-edges", confidence=0.8, attrs={"id": attrs["id"]},
                              reason="the mark of the note at the page's foot, where the text refers to it"))
            attrs["anchored"] = "yes"
        edits.append(Edit(start=note.start, end=note.end, kind="footnote", original=doc.text[note.start:note.end],
                          stage="page-edges", confidence=0.8, attrs=attrs,
                          reason=f"{'critical apparatus' if note.apparatus else 'notes'} at the foot of the page, "
                                 f"set apart by {note.evidence}"))
    return edits
