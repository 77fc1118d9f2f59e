"""What a page prints in its margins (sigla, marginal notes, verse and line numbers, folio
references): found on the page image by where it stands (:mod:`pipeline.ingest.pages.asides`),
written at the start of the line it stands beside, and marked here as a note in the margin,
out of the running text, each pointing to its own zone of the image. A piece another stage
already explained (a page number printed in the margin) is left to it."""

from __future__ import annotations

from pipeline.edits import add_edits
from pipeline.model import Document, Edit

REASON = "printed in the page's margin, beyond the text block's edge and its gutter on the page image"


def mark_marginalia(doc: Document) -> None:
    """Stage: the lines the page images print in their margins, as margin notes (where no other edit claims them)."""
    claimed = [(e.start, e.end) for e in doc.edits if e.end > e.start]
    edits = []
    for surface in doc.facsimile:
        for zone in surface.margins:
            if zone.end > zone.start and not any(s < zone.end and zone.start < e for s, e in claimed):
                edits.append(Edit(start=zone.start, end=zone.end, kind="margin-note", stage="marginalia",
                                  original=doc.text[zone.start:zone.end], confidence=0.8, reason=REASON))
    add_edits(doc, edits)
