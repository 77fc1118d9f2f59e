"""What a page prints in its margins (sigla, marginal notes, verse and line numbers, folio
references): found on the page image by where it stands (:mod:`pipeline.ingest.pages.asides`),
written at the start of the line it stands beside, and marked here as a note in the margin,
out of the running text, each pointing to its own zone of the image. A piece another stage
already explained (a page number printed in the margin) is left to it; a line number is the
margin's ``fw type="lineNum"`` (:mod:`pipeline.stages.pageedges.margins`), never a note, and
what stands beside it in the same piece (a folio reference) a note of its own."""

from __future__ import annotations

from pipeline.edits import add_edits
from pipeline.model import Document, Edit

REASON = "printed in the page's margin, beyond the text block's edge and its gutter on the page image"


def mark_marginalia(doc: Document) -> None:
    """Stage: the pieces the page images print in their margins, as margin notes (where no other edit claims
    them; beside a line number in the same piece, the rest)."""
    claimed = [e for e in doc.edits if e.end > e.start]
    edits = []
    for surface in doc.facsimile:
        for zone in surface.margins:
            inside = [e for e in claimed if e.start < zone.end and zone.start < e.end]
            if zone.end <= zone.start or any(e.kind != "line-number" or e.start < zone.start or e.end > zone.end
                                             for e in inside):
                continue  # explained by another stage
            # a line number is the margin's fw (page-edges): what stands beside it in the piece is a note
            for start, end in _between(doc.text, zone.start, zone.end, sorted((e.start, e.end) for e in inside)):
                edits.append(Edit(start=start, end=end, kind="margin-note", stage="marginalia",
                                  original=doc.text[start:end], confidence=0.8, reason=REASON))
    add_edits(doc, edits)


def _between(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` outside ``taken`` that hold a letter or digit, trimmed of spaces."""
    parts, position = [], start
    for taken_start, taken_end in taken + [(end, end)]:
        left, right = position, taken_start
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if any(ch.isalnum() for ch in text[left:right]):
            parts.append((left, right))
        position = taken_end
    return parts
