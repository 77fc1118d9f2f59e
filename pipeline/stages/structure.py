"""Blocks from line shape: paragraphs, headings, and the metadata lines that open a document.

Everything here works from the shape of the text (blank lines, indentation, line length,
final punctuation), never from the words of a particular document.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import replace

from pipeline.stages.invisible import INVISIBLE_CHARACTERS
from pipeline.kinds import PAGE_FURNITURE
from pipeline.model import Block, Document, text_block_margins
from pipeline.stages.textshape import (BULLETS_WITH_SPACE, OMISSION_LINE, PAGE_SEPARATOR, SPACE, UNIT_ONLY, Line,
                                       ends_broken_word, ends_sentence, is_heading_shaped, is_rule_line,
                                       is_title_text, mostly_words, runs_on_into, split_lines, typical_line_length)

# "Title: …", "Author: …": a short capitalised key, a colon, a value.
META_LINE = re.compile(r"^(?P<key>[A-Z][A-Za-z]{1,15}(?: [A-Za-z]{1,15})?):[ \t]*(?P<value>\S.*?)\s*$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


FULL_LINE = 0.75  # of the document's full line length: a line that reaches the right margin
PRINTED_LINES = 30  # a full line this long: the text keeps the printed lines (not one line a paragraph)


def keeps_printed_lines(lines: list[Line]) -> bool:
    """Whether the text keeps the lines of the printed page (a paragraph over several lines), not
    one line a paragraph: most of its lines of text are followed by another, and most of those
    are about as long as the printed line (paragraphs of a line each, a short line between
    them, are lines of every length)."""
    lengths = [len(line.text.strip(SPACE)) for line in lines]
    running_on = sorted(here for here, following in zip(lengths, lengths[1:]) if here and following)
    texts = sum(1 for length in lengths if length)
    if texts < 10 or len(running_on) < 0.5 * texts:
        return False
    printed = running_on[len(running_on) // 2]
    return sum(0.5 * printed <= length <= 1.5 * printed for length in running_on) >= 0.5 * len(running_on)


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace around it (that whitespace is layout)."""
    while start < end and text[start] in SPACE:
        start += 1
    while end > start and text[end - 1] in SPACE:
        end -= 1
    return start, end


def split_at(lines: list[Line], positions: set[int]) -> list[Line]:
    """The lines, each cut where a position falls inside it (a page that begins mid-line,
    after the byte-order mark of a page file joined with cat)."""
    if not positions:
        return lines
    ordered = sorted(positions)
    result = []
    for line in lines:
        first = bisect.bisect_right(ordered, line.start)
        if first == len(ordered) or ordered[first] >= line.end:
            result.append(line)  # (no cut inside: most lines, kept as they are)
            continue
        cuts = ordered[first:bisect.bisect_left(ordered, line.end, first)]
        start = line.start
        for cut in cuts + [line.end]:
            result.append(Line(start, cut, line.text[start - line.start:cut - line.start]))
            start = cut
    return result


def line_groups(lines: list[Line], breaks: frozenset[int] = frozenset(), full: int | None = None) -> list[list[Line]]:
    """Runs of non-blank lines. Inside a run a new group starts at an indented line after
    an unindented, short or finished one, and after a line that finishes a sentence well
    short of the full line length (one line per printed line: the paragraph's last line).
    A form feed is a group of its own."""
    full = typical_line_length(lines) if full is None else full
    groups: list[list[Line]] = []
    current: list[Line] = []
    above = ""  # the line above, trimmed (inside a run, the group's last line)
    for line in lines:
        stripped = line.text.strip(SPACE)
        # (a rule begins with a mark: most lines are done with at their first character)
        standalone = (stripped[:1] == "[" and OMISSION_LINE.match(stripped)) \
            or stripped and not stripped[0].isalnum() and is_rule_line(stripped)
        if not stripped or line.text == PAGE_SEPARATOR or standalone:
            if current:
                groups.append(current)
            current = []
            if stripped:  # a page separator or a horizontal rule stands alone
                groups.append([line])
        elif current and (line.start in breaks or _starts_paragraph(current[-1], line, full, above, stripped)):
            groups.append(current)
            current = [line]
        else:
            current.append(line)
        above = stripped
    if current:
        groups.append(current)
    return groups


def _starts_paragraph(previous: Line, line: Line, full: int, above: str, stripped: str) -> bool:
    """Whether ``line`` begins a paragraph after ``previous`` (``above`` and ``stripped``: their
    texts trimmed, measured once)."""
    if stripped.startswith(BULLETS_WITH_SPACE):
        # every bulleted line is an item of its own; not where the line above breaks a word
        # the line goes on with (the "bullet" a speck the OCR read in the margin)
        return not ends_broken_word(previous.text)
    length = len(above)
    if line.indented and (not previous.indented or ends_sentence(previous.text)
                          or full >= PRINTED_LINES and length < 0.3 * full
                          or is_heading_shaped(above)):  # (short: asked last, it costs the most)
        return True
    return full >= PRINTED_LINES and length < FULL_LINE * full and ends_sentence(previous.text)


def join_split_headings(doc: Document) -> None:
    """A heading that is only a unit number takes the heading-shaped line after it
    (第一章 / 緒論——…): one heading, its line break kept as lb."""
    joined: list[Block] = []
    for block in doc.blocks:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.kind == "head" and block.kind in ("head", "p")
                and UNIT_ONLY.match(doc.text[previous.start:previous.end])
                and is_heading_shaped(doc.text[block.start:block.end])):
            joined[-1] = replace(previous, end=block.end)
        else:
            joined.append(block)
    doc.blocks = joined


def segment(doc: Document) -> None:
    """Fill ``doc.blocks`` (and ``doc.metadata`` from opening metadata lines)."""
    # Where a page ends a paragraph, the page's furniture stands between paragraphs: the
    # groups break around it (stages/pageedges/ says where).
    breaks = frozenset(p for turn in doc.findings.paragraph_ends_at_page_turns for p in turn)
    unsplit = split_lines(doc.text)
    lines = split_at(unsplit, breaks)
    full = typical_line_length(lines)
    # the text's own line length, for the pages stage: the same lines where no break cut one
    doc.findings.full_line_length = full if len(lines) == len(unsplit) else typical_line_length(unsplit)
    printed = full >= PRINTED_LINES and keeps_printed_lines(lines)
    groups = line_groups(lines, breaks, full)
    blocks: list[Block] = []
    groups = _take_metadata(doc, groups, blocks)
    groups = _invisible_ones_joined(groups)
    centred = centred_titles(doc)
    groups, in_notes = _notes_apart(groups, doc.findings.footnotes)
    repeated = Counter(doc.text[group[0].start:group[0].end].strip(SPACE) for group in groups if len(group) == 1)
    for index, group in enumerate(groups):
        start, end = trimmed_span(doc.text, group[0].start, group[-1].end)
        if start == end:
            continue
        if index in in_notes:
            blocks.append(Block(start=start, end=end, kind="note"))
            continue
        text = doc.text[start:end]
        is_last = index == len(groups) - 1
        # An editorial omission ("[…]") standing alone is part of the flow, never a heading; so is
        # a line as long as the printed lines (a verse, a paragraph's line): headings are set short;
        # and a heading is words: a line mostly of marks is specks or a rule the OCR read.
        full_width = printed and len(text) >= FULL_LINE * full
        kind = "p"
        if is_heading_shaped(text) and not is_last and not full_width and mostly_words(text) \
                and not OMISSION_LINE.match(text):  # what stands around it is looked at only now
            following = doc.text[groups[index + 1][0].start:groups[index + 1][-1].end]
            # (a line the text repeats is a running head, above the continuation of the page before)
            runs_on = runs_on_into(text, following) and repeated[text] < 2
            # (nor is the rest of a word the block before broke at its end)
            before = doc.text[groups[index - 1][0].start:groups[index - 1][-1].end] if index else ""
            goes_on = ends_broken_word(before) and text[:1].islower()
            kind = "p" if runs_on or goes_on else "head"
        if kind == "p" and start in centred and "\n" not in text and not is_last and mostly_words(text) \
                and text.endswith("."):
            kind = "head"  # a title set alone in the middle of the page, its full stop as printers set it
        blocks.append(Block(start=start, end=end, kind=kind))
    doc.blocks = blocks
    if doc.metadata.title is None:  # a page's number or running head above it is no title
        furniture = {(e.start, e.end) for e in doc.edits if e.kind in PAGE_FURNITURE and e.end > e.start}
        # (nor a line without a word: a page number the OCR misread, a speck)
        first_body = next((b for b in blocks if b.part == "body" and (b.start, b.end) not in furniture
                           and is_title_text(doc.text[b.start:b.end])), None)
        if first_body is not None and first_body.kind == "head":
            doc.metadata.title = doc.text[first_body.start:first_body.end]
            doc.metadata.title_span = (first_body.start, first_body.end)


CENTRED = 0.1  # of the text block's width: the least margin on each side, the most they differ


SAME_INDENT = 0.02  # of the text block's width: lines that begin this close share an indent


def centred_titles(doc: Document) -> set[int]:
    """Where the lines of page images that stand in the middle of the text block begin: centred,
    and not in a block of lines sharing one indent (verse, a motto), whose lines are set from
    one left edge with ragged ends, and some of them look centred."""
    found: set[int] = set()
    for surface in doc.facsimile:
        zones = sorted(surface.lines, key=lambda zone: zone.box[1])
        if len(zones) < 5:
            continue
        left, right = text_block_margins([zone.box for zone in zones])
        width = right - left
        for index, zone in enumerate(zones):
            if not _centred(zone.box[0] - left, right - zone.box[2], width):
                continue
            neighbours = zones[max(0, index - 1):index] + zones[index + 1:index + 2]
            if not any(abs(other.box[0] - zone.box[0]) < SAME_INDENT * width for other in neighbours):
                found.add(zone.start)
    return found


def _centred(before: int, after: int, width: int) -> bool:
    """Margins on both sides of a line, and about equal."""
    return before > CENTRED * width and after > CENTRED * width and abs(before - after) < CENTRED * width


def _invisible_ones_joined(groups: list[list[Line]]) -> list[list[Line]]:
    """A group of nothing but invisible characters (the byte-order mark that began a page file,
    cut from the page's first line where the page turn ends a paragraph) goes with the group
    after it: it is no paragraph of its own."""
    result: list[list[Line]] = []
    pending: list[Line] = []
    for group in groups:
        if not any(line.text.strip(SPACE + INVISIBLE_CHARACTERS) for line in group):
            pending += group
            continue
        result.append(pending + group)
        pending = []
    if pending:
        result.append(pending)
    return result


def _notes_apart(groups: list[list[Line]], notes: list[tuple[int, int]]) -> tuple[list[list[Line]], set[int]]:
    """The groups with the notes at the pages' feet (``notes``: their spans, in order) apart:
    each note one group, whatever blank lines or verse it holds, and which groups they are."""
    if not notes:
        return groups, set()
    starts = [start for start, _ in notes]

    def note_of(line: Line) -> int | None:
        index = bisect.bisect_right(starts, line.start) - 1
        return index if index >= 0 and line.start < notes[index][1] else None

    result: list[list[Line]] = []
    keys: list[int | None] = []
    for group in groups:
        for key, run in itertools.groupby(group, key=note_of):
            if key is not None and keys and keys[-1] == key:
                result[-1].extend(run)
            else:
                result.append(list(run))
                keys.append(key)
    return result, {index for index, key in enumerate(keys) if key is not None}


def _take_metadata(doc: Document, groups: list[list[Line]], blocks: list[Block]) -> list[list[Line]]:
    """Opening "Key: value" lines (at least two) go to the front and into the metadata."""
    if not groups:
        return groups
    first = groups[0]
    meta_lines = []
    for line in first:
        match = META_LINE.match(line.text.strip(SPACE))
        if not match:
            break
        meta_lines.append((line, match))
    if len(meta_lines) < 2:
        return groups
    for line, match in meta_lines:
        start, end = trimmed_span(doc.text, line.start, line.end)
        blocks.append(Block(start=start, end=end, kind="meta", part="front"))
        key, value = match.group("key"), match.group("value")
        doc.metadata.fields[key] = value
        field = key.lower()
        if field == "title":
            doc.metadata.title = value
        elif field == "author":
            doc.metadata.author = value
        elif field == "date" and ISO_DATE.match(value):
            doc.metadata.date = value
        elif field == "page":
            doc.metadata.page = value
    rest = first[len(meta_lines):]
    return ([rest] if rest else []) + groups[1:]
