"""Where each column of a page set in columns begins: a column break (``<cb n>``) before its
first line, ``n`` the column's place from the left. The columns are found on the page image
by where its lines stand (:mod:`pipeline.ingest.pages.columns`), which also reads the page
column by column; a page without columns has none."""

from __future__ import annotations

from pipeline.edits import add_edits
from pipeline.model import Document, Edit

REASON = ("a column of the page begins: its lines stand between gutters that the lines of the other "
          "columns do not cross, on the page image")


def mark_column_breaks(doc: Document) -> None:
    """Stage: a column break before the first line of each column the page images show."""
    add_edits(doc, [Edit(start=start, end=start, kind="column-break", stage="columns", original="", confidence=0.9,
                         reason=REASON, attrs={"n": str(n)})
                    for surface in doc.facsimile for start, n in surface.columns])
