"""Front matter of a printed book: the title page and the table of contents, and the
levels of the book's headings — from the shape of the lines and the book's own numbering.

A table of contents is a run of lines that end in a page number (Arabic or Chinese
numerals after a space or a tab); its entries' levels, like the body's, come from the unit
words of the book's numbering (第…章 before 第…節; Part before Chapter), in the order the
book introduces them. A title page is the short lines that open a book before its contents.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.model import Block, Document
from pipeline.numerals import NUMERAL, numeral_value
from pipeline.stages.textshape import SPACE, UNIT, is_heading_shaped, is_title_text

TOC_ENTRY = re.compile(rf"^(?P<title>.*?\S)[ \t\u3000]+(?P<page>{NUMERAL.pattern})[ \t\u3000]*$")
TOC_MIN_ENTRIES = 3
# Lines that say who made the book: "林石父著", "王某編", "by J. Smith".
AUTHOR_LINE = re.compile(r"^(?P<name>.{1,20}?)\s*[著編编譯译撰輯辑纂]$|^(?i:by)\s+(?P<by>.+)$")


def unit_levels(doc: Document) -> dict[str, int]:
    """Unit word → heading level, in the order the book first uses them."""
    levels: dict[str, int] = {}
    for line in doc.text.split("\n"):
        match = UNIT.match(line.strip(SPACE))
        if match:
            unit = (match.group("unit") or match.group("word")).lower()
            levels.setdefault(unit, len(levels) + 1)
    return levels


def level_of(text: str, levels: dict[str, int]) -> int:
    """The heading level of a unit heading (第…章, Chapter 4) from the document's own levels; 1 otherwise."""
    match = UNIT.match(text.strip(SPACE))
    if not match:
        return 1
    return levels.get((match.group("unit") or match.group("word")).lower(), 1)


def detect_front_matter(doc: Document) -> None:
    """Stage: headings' levels, and the title page and table of contents moved to the front."""
    levels = unit_levels(doc)
    for block in doc.blocks:
        if block.kind == "head":
            block.level = level_of(doc.text[block.start:block.end], levels)
    toc = _find_contents(doc)
    if toc is None:
        return
    head_index, entries_index = toc
    items = _split_entries(doc, doc.blocks[entries_index], levels)
    before = doc.blocks[:entries_index]
    if head_index is not None:
        before[head_index] = replace(before[head_index], kind="toc-head")
    title_blocks = _title_page(doc, before[:head_index if head_index is not None else entries_index])
    for i in range(len(before)):
        before[i] = replace(before[i], part="front")
    for i, kind in title_blocks.items():
        before[i] = replace(before[i], kind=kind)
    doc.blocks = before + items + doc.blocks[entries_index + 1:]


def _find_contents(doc: Document) -> tuple[int | None, int] | None:
    """(index of the contents heading or None, index of the block of entries)."""
    for index, block in enumerate(doc.blocks):
        if block.kind != "p" or block.part != "body":
            continue
        if doc.text.count("\n", block.start, block.end) + 1 < TOC_MIN_ENTRIES:
            continue  # too few lines to hold the entries
        lines = [line for line in doc.text[block.start:block.end].split("\n") if line.strip(SPACE)]
        if _entries_at_least(lines, max(TOC_MIN_ENTRIES, 0.8 * len(lines))):
            previous = index - 1
            while previous >= 0 and doc.blocks[previous].kind == "milestone":
                previous -= 1
            head = previous if previous >= 0 and doc.blocks[previous].kind == "head" else None
            return head, index
    return None


def _entries_at_least(lines: list[str], needed: float) -> bool:
    """Whether ``needed`` of the lines at least are contents entries: asked line by line only
    until too many are not (most blocks' first lines already say no)."""
    most = len(lines)  # the entries there can be, less each line that is none
    for line in lines:
        if most < needed:
            break
        if not TOC_ENTRY.match(line.strip(SPACE)):
            most -= 1
    return most >= needed


def _split_entries(doc: Document, block: Block, levels: dict[str, int]) -> list[Block]:
    items = []
    position = block.start
    for line in doc.text[block.start:block.end].split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        stripped_start = start + len(line) - len(line.lstrip(SPACE))
        stripped_end = start + len(line.rstrip(SPACE))
        if stripped_start >= stripped_end:
            continue
        match = TOC_ENTRY.match(doc.text[stripped_start:stripped_end])
        attrs = {}
        if match:
            page = match.group("page")
            value = numeral_value(page)
            attrs = {"page_start": str(stripped_start + match.start("page")), "page": page}
            if value is not None:
                attrs["n"] = str(value)
        items.append(Block(start=stripped_start, end=stripped_end, kind="toc-item", part="front",
                           level=level_of(line, levels), attrs=attrs))
    return items


def _title_page(doc: Document, blocks: list[Block]) -> dict[int, str]:
    """Index → kind for the title page: the first short block is the title, an author line
    after it the author. Only short blocks, before anything else."""
    kinds: dict[int, str] = {}
    content = [i for i, b in enumerate(blocks) if b.kind != "milestone"]
    if not content:
        return kinds
    first = blocks[content[0]]
    lines = doc.text[first.start:first.end].split("\n")
    if not all(is_heading_shaped(line.strip(SPACE)) for line in lines if line.strip(SPACE)):
        return kinds
    kinds[content[0]] = "doc-title"
    if len(content) > 1:
        second = blocks[content[1]]
        if AUTHOR_LINE.match(doc.text[second.start:second.end].strip(SPACE)):
            kinds[content[1]] = "doc-author"
    joined = "".join(line.strip(SPACE) for line in lines)
    if doc.metadata.title is None and is_title_text(joined):
        doc.metadata.title = joined
        doc.metadata.title_span = (first.start, first.end)
    if doc.metadata.author is None and len(content) > 1 and kinds.get(content[1]) == "doc-author":
        match = AUTHOR_LINE.match(doc.text[blocks[content[1]].start:blocks[content[1]].end].strip(SPACE))
        doc.metadata.author = match.group("name") or match.group("by")
    return kinds
