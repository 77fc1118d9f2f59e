"""Keeping the edit list consistent: sorted, and never two edits on the same characters."""

from __future__ import annotations

import bisect

from pipeline.model import Block, Document, Edit


from pipeline.kinds import BY_NAME, CONTAINER_KINDS, READING_KINDS


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def add_edits(doc: Document, new: list[Edit]) -> list[Edit]:
    """Add ``new`` edits to ``doc``; an edit overlapping one already there is refused and returned.

    Earlier stages win: a later stage must not re-interpret characters another stage
    already explained, because the edition can carry only one reading per character.
    Milestones (zero-length edits such as page breaks) overlap nothing; an edit may lie
    wholly inside a container (a footnote) but not across its edge, and containers nest (a
    doubted word inside a note).
    """
    if not new:
        return []  # doc.edits stays as it is: add_edits keeps it in edit_order
    spans = sorted((e.start, e.end) for e in doc.edits if e.end > e.start and e.kind not in CONTAINER_KINDS)
    starts = [start for start, _ in spans]
    containers = [(e.start, e.end) for e in doc.edits if e.kind in CONTAINER_KINDS]
    refused: list[Edit] = []
    accepted: list[Edit] = []
    for edit in sorted(new, key=lambda e: (e.start, e.end)):
        span = (edit.start, edit.end)
        if edit.end == edit.start:  # a milestone may stand between characters, not inside an edit
            i = bisect.bisect_right(starts, edit.start)
            if i > 0 and spans[i - 1][0] < edit.start < spans[i - 1][1]:
                refused.append(edit)
                continue
        if edit.end > edit.start:
            if edit.kind in CONTAINER_KINDS:
                first = bisect.bisect_left(starts, edit.start)
                crossing = any(_overlaps(span, c) and not _inside(span, c) and not _inside(c, span)
                               for c in containers) or any(
                    not _inside(s, span) for s in spans[max(0, first - 1):] if s[0] < edit.end and _overlaps(s, span))
                if crossing:
                    refused.append(edit)
                    continue
                containers.append(span)
            else:
                i = bisect.bisect_right(starts, edit.start)
                if ((i > 0 and spans[i - 1][1] > edit.start) or (i < len(spans) and spans[i][0] < edit.end)
                        or any(_overlaps(span, c) and not _inside(span, c) for c in containers)):
                    refused.append(edit)
                    continue
                spans.insert(i, span)
                starts.insert(i, edit.start)
        accepted.append(edit)
    doc.edits = _merged(doc.edits, accepted)
    return refused


def _merged(edits: list[Edit], new: list[Edit]) -> list[Edit]:
    """``sorted(edits + new, key=edit_order)`` for ``edits`` already in that order (as add_edits
    leaves them): each new edit placed by bisection, after the edits equal to it, as the stable
    sort places it, and the runs between copied whole (few keys computed for a long list).
    Many new edits cost more keys placed one by one than sorted all together: they are sorted."""
    if len(new) * len(edits).bit_length() >= len(edits):
        return sorted(edits + new, key=edit_order)
    pieces, position = [], 0
    for edit in sorted(new, key=edit_order):
        place = bisect.bisect_right(edits, edit_order(edit), position, key=edit_order)
        pieces += edits[position:place]
        pieces.append(edit)
        position = place
    pieces += edits[position:]
    return pieces


def edit_order(edit: Edit) -> tuple[int, bool, int, int, bool, bool, str]:
    """Document order: a milestone (page break) before what starts where it stands, pages
    without text before the break of the page that follows them, the page break before the
    break of the page's first column, a container before the edits it holds, also on the very
    same characters (a doubted word before the homoglyph flagged in it: the writer renders what
    follows a container inside it, what precedes it beside it, twice), and a note before another
    container on the same characters (a note holds its doubted words)."""
    return (edit.start, edit.end > edit.start, -edit.end, _holding_rank(edit), edit.kind != "missing-page",
            edit.kind == "column-break", edit.kind)


def _holding_rank(edit: Edit) -> int:
    """Among edits on the same characters, which holds which: a note, another container, the rest."""
    kind = BY_NAME[edit.kind]
    return 0 if kind.container and kind.element == "note" else 1 if kind.container else 2


def block_index_of(blocks: list[Block], starts: list[int], edit: Edit) -> int | None:
    """The block (sorted, disjoint) that contains ``edit``, by bisection."""
    i = bisect.bisect_right(starts, edit.start) - 1  # a milestone at a block's start opens it
    if i >= 0 and blocks[i].start <= edit.start and edit.end <= blocks[i].end:
        return i
    return None


def edits_per_block(doc: Document) -> list[list[Edit]]:
    """The edits inside each block, in one pass."""
    starts = [b.start for b in doc.blocks]
    per_block: list[list[Edit]] = [[] for _ in doc.blocks]
    for edit in doc.edits:
        index = block_index_of(doc.blocks, starts, edit)
        if index is not None:
            per_block[index].append(edit)
    return per_block


def edits_within(doc: Document, start: int, end: int) -> list[Edit]:
    """The document's edits that lie wholly inside ``start``–``end``."""
    return [e for e in doc.edits if start <= e.start and e.end <= end]


def reading_text(doc: Document, start: int, end: int, edits: list[Edit] | None = None) -> str:
    """The text of ``[start, end)`` as the edition reads it: corrections and regularizations
    applied (what language and script detection should judge, not the mojibake)."""
    pieces, position = [], start
    for edit in edits_within(doc, start, end) if edits is None else edits:
        if edit.kind in READING_KINDS:
            pieces.append(doc.text[position:edit.start])
            pieces.append(edit.replacement or "")
            position = edit.end
    pieces.append(doc.text[position:end])
    return "".join(pieces)


def fit_blocks_to_edits(doc: Document) -> None:
    """Widen a block over an edit that reaches into the whitespace around it (a repair that
    took a leading ideographic space along), so that every edit lies inside one block. A block
    widened over its neighbour (an edit across two blocks: a foot line's signature the OCR
    read as two lines) takes it in: blocks never overlap, or the writer would write their
    shared characters twice."""
    starts = [b.start for b in doc.blocks]
    for edit in doc.edits:
        if block_index_of(doc.blocks, starts, edit) is not None:
            continue
        i = bisect.bisect_right(starts, edit.start) - 1
        near = [j for j in (i, i + 1) if 0 <= j < len(doc.blocks)
                and edit.start < doc.blocks[j].end and doc.blocks[j].start < edit.end]
        if near:
            block = doc.blocks[near[0]]
            block.start, block.end = min(block.start, edit.start), max(block.end, edit.end)
            _take_in_overlapped(doc.blocks, near[0])
        else:  # a repair of whitespace no block holds: it becomes a block of its own
            doc.blocks.append(Block(start=edit.start, end=edit.end, kind="p", lang=doc.lang))
            doc.blocks.sort(key=lambda b: b.start)
        starts = [b.start for b in doc.blocks]  # rare: only after a block changed


def _take_in_overlapped(blocks: list[Block], index: int) -> None:
    """Merge into ``blocks[index]`` the neighbours (sorted, disjoint until it was widened) it now overlaps."""
    block = blocks[index]
    while index + 1 < len(blocks) and blocks[index + 1].start < block.end:
        block.end = max(block.end, blocks.pop(index + 1).end)
    while index > 0 and blocks[index - 1].end > block.start:
        block.start = min(block.start, blocks.pop(index - 1).start)
        index -= 1
