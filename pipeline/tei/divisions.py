"""The book's own divisions, from a library package's logical map, in the body: each opens a
``div`` with its ``@type`` and, where the library titles it, a ``head`` whose title is the
library's (``<supplied reason="logical-structure">``: not text of the page, and left out of
the rebuilt source), before the first block of the page it begins on. Headings the pipeline
finds inside stay, nested under it."""

from __future__ import annotations

import bisect

from pipeline.model import Block, Division, Document

SUPPLIED_REASON = "logical-structure"


def section_lang(doc: Document, section: str) -> str:
    """The language of most of the text of one version of a bilingual text (``section``: the
    blocks' ``section`` attribute), else the document's."""
    sizes: dict[str, int] = {}
    for block in doc.blocks:
        if block.attrs.get("section") == section and block.lang:
            sizes[block.lang] = sizes.get(block.lang, 0) + block.end - block.start
    return max(sizes, key=sizes.get) if sizes else (doc.lang or "und")


def division_starts(doc: Document) -> dict[int, list[tuple[int, Division]]]:
    """Block index -> the divisions (depth from 1, division) that open before it, outer first.
    A division whose page has no block of the body after its start (its text is in the front
    matter, or nothing follows) opens nowhere."""
    if doc.library is None or not doc.library.divisions or not doc.facsimile:
        return {}
    starts = [block.start for block in doc.blocks]
    opens: dict[int, list[tuple[int, Division]]] = {}

    def place(division: Division, depth: int) -> None:
        if division.page is not None and division.page < len(doc.facsimile):
            index = _first_block(doc.blocks, starts, doc.facsimile[division.page].start)
            if index is not None and doc.blocks[index].part == "body" and "section" not in doc.blocks[index].attrs:
                opens.setdefault(index, []).append((depth, division))
        for child in division.children:
            place(child, depth + 1)

    for division in doc.library.divisions:
        place(division, 1)
    return opens


def _first_block(blocks: list[Block], starts: list[int], at: int) -> int | None:
    """The first block on the page that begins at ``at``: one that starts there or after, or
    the page furniture (pb, fw) standing at its start; a paragraph running over from the
    page before belongs to that page."""
    index = bisect.bisect_left(starts, at)
    if index > 0 and blocks[index - 1].kind == "milestone" and blocks[index - 1].end > at:
        return index - 1
    return index if index < len(blocks) else None
