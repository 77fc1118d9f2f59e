"""Pages: running heads, page numbers, catalogue numbers and page breaks, from the
document's own evidence (repetition, position between the halves of a cut paragraph,
shape of the line), never from the words of one book.

A scan without page markers still shows its pages: where a page ends, the OCR emits the
page's furniture (running heads, a page number, a library stamp) as short lines of their
own, often in the middle of a sentence; where the furniture was dropped, only the cut is
left: a paragraph that stops mid-sentence and goes on after a blank line.

A text that shows no pages at all (no form feed, page file or image, page-number sequence,
running head, no furniture inside a sentence) gets no page break: a blank line is not a
page. A sentence that goes on in lower case over a blank line is one paragraph there, the
join recorded; anything weaker leaves the two paragraphs as the text has them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.edits import add_edits, edits_per_block
from pipeline.kinds import PAGE_FURNITURE
from pipeline.model import Block, Document, Edit
from pipeline.numerals import KERAIA, NUMERAL, numeral_value
from pipeline.stages.pageedges import line_heights
from pipeline.stages.pageedges.alike import within_bound
from pipeline.stages.pageedges.furniture import first_page_head
from pipeline.stages.pageedges.lettered import alone_in_letters, lettered
from pipeline.stages.pageedges.lines import NUMBER_MAX_CHARS, Line
from pipeline.stages.structure import FULL_LINE
from pipeline.stages.textshape import dominant_script, script_counts
from pipeline.stages.textshape import (OCR_DIGITS, PAGE_SEPARATOR, RULE_REASON, SHORT_LAST_LINE, SPACE, UNIT, SimilarTo,
                                       begins_sentence_after, ends_broken_word, ends_sentence, ends_text,
                                       is_heading_shaped, is_rule_block, text_key)

PAGE_NUMBER_LINE = re.compile(
    rf"^[\s\-—–·.()（）\[\]]*(?P<n>{NUMERAL.pattern})[\s\-—–·.()（）\[\]]*$")
CATALOGUE_LINE = re.compile(r"^[A-Z][A-Za-z]{0,4}\s?\d[\w.\-/: ]*$")
RUNNING_HEAD_MIN_REPEATS = 3  # standalone occurrences that make a line a running head by itself
SIMILAR_HEADS = 0.9  # difflib ratio of two keys for "the same running head" (OCR variance)


def is_page_number(text: str) -> bool:
    """Whether a line is a page number alone (a numeral, with dashes, dots or brackets around it)."""
    return bool(PAGE_NUMBER_LINE.match(text))


def is_catalogue_number(text: str) -> bool:
    """Library shelf marks stamped on the page: a capital, digits, separators (CWT326/09,
    K 3025.4 / 188); no East Asian characters, no lowercase words."""
    text = text.strip(SPACE)
    if not 4 <= len(text) <= 30 or any(ord(ch) > 0x2E80 for ch in text):
        return False
    return (bool(CATALOGUE_LINE.match(text)) and sum(ch.isdigit() for ch in text) >= 2
            and any(ch in "/.-:" for ch in text) and not re.search(r"[a-z]{3,}", text))


def _standalone(doc: Document, block: Block) -> bool:
    """A line standing alone in the body: heading-shaped, a page number or a shelf mark."""
    if block.part != "body" or block.kind not in ("head", "p") or doc.text.find("\n", block.start, block.end) >= 0:
        return False  # (most paragraphs: several lines, not copied)
    text = doc.text[block.start:block.end]
    return is_heading_shaped(text) or is_page_number(text) or is_catalogue_number(text)


def _classify(doc: Document, alone: list[bool]) -> dict[int, str]:
    """Block index → furniture kind, for the blocks the evidence makes page furniture
    (``alone``: whether each block is :func:`_standalone`)."""
    blocks, text = doc.blocks, doc.text
    # A line an earlier stage already repaired (mojibake, a control character) is text:
    # it cannot also be furniture, whose fw must hold the line's characters as they are.
    # (A page break found at a page's edge does not repair anything: it stands between lines.)
    repaired = edits_per_block(doc)
    standalone = [i for i, b in enumerate(blocks) if alone[i]
                  and not any(e.end > e.start or e.kind != "page-break" for e in repaired[i])]
    edges = _page_edge_lines(doc) if doc.facsimile else None

    def may_be_furniture(i: int) -> bool:  # the pages are known: furniture stands at their edges only
        return edges is None or blocks[i].start in edges

    standalone = [i for i in standalone if may_be_furniture(i)]
    kinds: dict[int, str] = {i: "page-separator" for i, b in enumerate(blocks)  # (not every block copied)
                             if b.end - b.start == len(PAGE_SEPARATOR) and text.startswith(PAGE_SEPARATOR, b.start)}
    # Where the page numbers were found as a sequence at the pages' edges, a numeral standing
    # apart elsewhere is a section number, not a page number. A numeral in letters alone (V, ιβʹ)
    # numbers a chapter or a poem as often as a page: in a text export whose pages are known,
    # only the sequence of page-edges (the front matter's, before the Arabic numbers) makes
    # one a page number. (On a page image, standing alone at the page's edge is measured; in
    # a text without pages the rules for texts without pages decide.)
    # The front matter before the sequence's first page, which the sequence leaves without a
    # number, may be numbered otherwise: roman (or Greek) numerals at the top where the body's
    # arabic numbers stand at the foot; an arabic numeral there (a title page's year) is none.
    numbered_at_edges = doc.findings.page_numbers_found
    paged_text = not doc.facsimile and bool(doc.findings.page_starts or PAGE_SEPARATOR in text)
    front_matter = _before_the_sequence(doc)
    for i, block in enumerate(blocks):
        if i not in kinds and _only_furniture(doc, block, repaired[i]):
            kinds[i] = FOUND  # found at the page's edge, line by line (stages/pageedges/)
    for i in standalone:
        line = text[blocks[i].start:blocks[i].end]
        if i in kinds:
            continue
        if is_page_number(line) and _reads_as_printed(line) and (
                not numbered_at_edges and not (paged_text and _in_letters(line))
                or front_matter(blocks[i].start) and not PAGE_NUMBER_LINE.match(line).group("n").isdecimal()):
            kinds[i] = "page-number"
        elif is_catalogue_number(line):
            kinds[i] = "catalogue-number"
    if not numbered_at_edges:
        _recover_garbled_page_numbers(doc, standalone, kinds)
    # Short lines and headings (a heading split over two lines included): a running head
    # repeats one of them.
    heads = sorted({i for i in standalone if i not in kinds}
                   | {i for i, b in enumerate(blocks) if b.kind == "head" and i not in kinds})
    groups: list[list[int]] = []  # occurrences of the same line, fuzzily
    keys = [text_key(text[blocks[i].start:blocks[i].end]) for i in heads]
    similar_to_group = _FirstLines(keys)  # each group's first line, to compare the others with
    exact: dict[str, int] = {}  # key → its group, for the repeats that are not OCR variants
    for i, key in zip(heads, keys):
        if not key:
            continue
        group = exact.get(key)
        if group is None:
            group = similar_to_group.first_similar(key)
        if group is None:
            group = len(groups)
            similar_to_group.append(key)
            groups.append([])
        exact.setdefault(key, group)
        groups[group].append(i)
    for occurrences in groups:
        standalone_ones = [i for i in occurrences if alone[i] and may_be_furniture(i)]
        if len(standalone_ones) >= RUNNING_HEAD_MIN_REPEATS:
            for i in standalone_ones[1:] if standalone_ones[0] == occurrences[0] else standalone_ones:
                kinds[i] = "running-head"
            first = standalone_ones[0]
            if first == occurrences[0] and _at_page_turn(doc, first, kinds):
                kinds[first] = "running-head"  # the title repeated where pages begin, not a heading
        else:
            # The first is the heading itself; a repeat is a running head when it stands
            # where a page turns: in a cut paragraph, or beside other furniture.
            for later in occurrences[1:]:
                if later in standalone_ones and _at_page_turn(doc, later, kinds):
                    kinds[later] = "running-head"
    _heads_inside_cuts(doc, standalone, kinds, alone)
    _first_page_head(doc, standalone, kinds)
    for i, block in enumerate(blocks):  # a rule or specks beside the furniture: part of the page turn
        if i not in kinds and (i - 1 in kinds or i + 1 in kinds) and block.kind in ("p", "head") \
                and is_rule_block(text, block.start, block.end):
            kinds[i] = "layout"
    # the notes at a page's foot: part of the page turn like its furniture, though text
    kinds |= {i: NOTE for i, block in enumerate(blocks) if block.kind == "note"}
    return kinds


class _FirstLines:
    """The keys of the groups' first lines, each compared with a later key by
    ``SimilarTo(first, SIMILAR_HEADS)``; among many keys, only the pairs whose longest common
    subsequence may reach the threshold (:func:`within_bound`, all the pairs at once: headings
    that differ need no difflib to say so)."""

    def __init__(self, keys: list[str]) -> None:
        """``keys``: every key that may be compared (the bound is computed for their pairs)."""
        self.keys: list[str] = []
        self.similar: list[SimilarTo] = []
        self.may_be_alike: set[tuple[str, str]] | None = None
        distinct = list(dict.fromkeys(key for key in keys if key))
        if len(distinct) >= BOUND_FROM_KEYS:
            self.may_be_alike = {(distinct[i], distinct[j])
                                 for i, j in within_bound(distinct, distinct, SIMILAR_HEADS)}

    def append(self, key: str) -> None:
        self.keys.append(key)
        self.similar.append(SimilarTo(key, SIMILAR_HEADS))  # (its matcher made when a key's length may match)

    def first_similar(self, key: str) -> int | None:
        """The first group whose first line ``key`` is an OCR variant of, or None."""
        for group, first in enumerate(self.keys):
            if self.may_be_alike is not None and (key, first) not in self.may_be_alike:
                continue  # (their longest common subsequence is too short)
            if self.similar[group](key):
                return group
        return None


BOUND_FROM_KEYS = 4  # keys from which the bound for all pairs at once costs less than asking difflib


def _first_page_head(doc: Document, standalone: list[int], kinds: dict[int, str]) -> None:
    """The line at the top of the first page image, which no page before repeats, is a running
    head where the page shows it so (:func:`first_page_head`): the heads found on the later
    pages have its shape and type."""
    first_surface = next((surface for surface in doc.facsimile if surface.lines), None)
    if first_surface is None:
        return
    top = min(first_surface.lines, key=lambda zone: zone.box[1]).start
    first = next((i for i in standalone if doc.blocks[i].start == top and i not in kinds), None)
    heads = [i for i, kind in kinds.items() if kind == "running-head"]
    if first is None or not heads:
        return

    def line(i: int) -> Line:
        return Line(doc.blocks[i].start, doc.blocks[i].end, doc.text[doc.blocks[i].start:doc.blocks[i].end])

    if first_page_head(line(first), [line(i) for i in heads], line_heights(doc)):
        kinds[first] = "running-head"


def _before_the_sequence(doc: Document):
    """Whether an offset lies on a page before the first that the sequence of page numbers
    found at the pages' edges numbers (its page break without a number, a page break with one
    after it): the front matter, which the sequence counts no number back into."""
    # (the sequence in Arabic numbers: the front matter's own, in Roman numerals, is part of it)
    breaks = sorted((e.start, e.attrs.get("n", "").isdecimal()) for e in doc.edits if e.kind == "page-break")
    first = next((start for start, has_n in breaks if has_n), None)
    before = [start for start, _ in breaks if first is not None and start < first]
    return lambda offset: bool(before) and before[0] <= offset < first


FOUND = "furniture found"
NOTE = "notes at the page's foot"
FOOT_LINES = 2  # a signature mark and a catchword, or a catalogue stamp


def _page_edge_lines(doc: Document) -> set[int]:
    """Where the lines at the edges of each page image begin (by their boxes): the top line,
    and the one under it when the top line is a short one (a page number); the foot's."""
    starts: set[int] = set()
    for surface in doc.facsimile:
        by_height = sorted(surface.lines, key=lambda zone: zone.box[1])
        top = by_height[:2] if by_height and by_height[0].end - by_height[0].start <= 8 else by_height[:1]
        starts |= {zone.start for zone in top + by_height[-FOOT_LINES:]}
    return starts


def _only_furniture(doc: Document, block: Block, edits: list[Edit]) -> bool:
    """A block whose every character is page furniture (or invisible) that a stage found."""
    if not any(e.kind in PAGE_FURNITURE and e.end > e.start for e in edits):
        return False  # (most blocks: no edit at all)
    covered = [(e.start, e.end) for e in edits
               if e.kind in PAGE_FURNITURE or (e.kind == "regularization" and not (e.replacement or "").strip())]
    position = block.start
    for start, end in sorted(covered):
        if doc.text[position:start].strip(SPACE + "\n"):
            return False
        position = max(position, end)
    return not doc.text[position:block.end].strip(SPACE + "\n")


def known_turn(doc: Document, previous: Block, following: Block) -> bool | None:
    """True when a page turn found at the pages' edges lies between two blocks and the
    sentence goes on over it (:mod:`pipeline.stages.pageedges`); False when page images show that the
    paragraph ends there; otherwise None, and the paragraphs' own evidence (indentation,
    full last lines) decides."""
    turns = doc.findings.page_turns
    if not turns:
        return None
    line_start = doc.text.rfind("\n", previous.start, previous.end) + 1 or previous.start
    low, high = max(previous.start, line_start), _first_text(doc, following)
    index = bisect.bisect_left(turns, (low,))
    if index < len(turns) and turns[index][0] <= high:
        # from page images the turn is decided by the layout (a short last line, an indent),
        # and a page that opens with a title begins a text: their word is final; otherwise
        # only a sentence that goes on is
        _, continues, final = turns[index]
        return True if continues else (False if final else None)
    return None


def break_between(doc: Document, start: int, end: int) -> bool:
    """Whether a page break is already recorded in [start, end]."""
    breaks = _furniture_index(doc)[2]
    index = bisect.bisect_left(breaks, start)
    return index < len(breaks) and breaks[index] <= end


def _heads_inside_cuts(doc: Document, standalone: list[int], kinds: dict[int, str], alone: list[bool]) -> None:
    """A short line beside other furniture, between the halves of a sentence, is a running
    head even when it occurs once (a short scan, a chapter's only page turn): no heading
    stands in the middle of a sentence."""
    changed = True
    while changed:
        changed = False
        for i in standalone:
            if i not in kinds and (i - 1 in kinds or i + 1 in kinds) and _inside_cut(doc, i, kinds, alone):
                kinds[i] = "running-head"
                changed = True


def _inside_cut(doc: Document, index: int, kinds: dict[int, str], alone: list[bool]) -> bool:
    blocks = doc.blocks
    before, after = index - 1, index + 1
    while before >= 0 and (before in kinds or alone[before]):
        before -= 1
    while after < len(blocks) and (after in kinds or alone[after]):
        after += 1
    if before < 0 or after >= len(blocks) or blocks[after].kind != "p":
        return False
    previous_block = _as_paragraph_if_cut(doc, blocks[before])
    if previous_block.kind != "p" or not _is_mid_sentence_cut(doc, previous_block):
        return False  # a title page or a caption: short lines that end without a full stop
    previous = doc.text[blocks[before].start:blocks[before].end].rstrip(SPACE)
    following = doc.text[blocks[after].start:blocks[after].end].lstrip(SPACE)
    if ends_sentence(previous) and not previous.endswith("-"):
        return False
    # In alphabetic text the continuation starts in lower case; Chinese shows no case.
    return not following[:1].isupper()


def _reads_as_printed(line: str) -> bool:
    """A numeral alone that a page prints as its number: digits or a Chinese numeral, or one in
    letters read whole (:func:`alone_in_letters`): "I." heads a section, "δ'" is δέ elided."""
    return not _in_letters(line) or alone_in_letters(Line(0, len(line), line)) is not None


def _in_letters(line: str) -> bool:
    """A numeral alone written in letters (Roman, Greek), not in digits or Chinese numerals."""
    numeral = PAGE_NUMBER_LINE.match(line).group("n")
    return not numeral.isdecimal() and (numeral.isascii() or numeral[-1:] in KERAIA)


def page_label(line: str, step: int = 0) -> str | None:
    """The number a page-number line gives a page break, as the book prints it (``12``, ``xiv``),
    ``step`` pages on (the page after a number printed at the foot)."""
    if (numeral := lettered(Line(0, len(line), line))) is not None:
        return replace(numeral, value=numeral.value + step).printed
    value = page_value(line)
    return None if value is None else str(value + step)


def page_value(line: str) -> int | None:
    """The number a page-number line gives: read as a numeral, or with OCR's confusions."""
    if match := PAGE_NUMBER_LINE.match(line):
        return numeral_value(match.group("n"))
    read = line.strip(SPACE).translate(OCR_DIGITS)
    return int(read) if read.isascii() and read.isdecimal() else None


def _recover_garbled_page_numbers(doc: Document, standalone: list[int], kinds: dict[int, str]) -> None:
    """A short token alone on its line at a page edge is a page number the OCR garbled when,
    read with the usual OCR confusions, it continues the sequence of its neighbours."""
    blocks, text = doc.blocks, doc.text
    numbered = sorted((i, numeral_value(PAGE_NUMBER_LINE.match(text[blocks[i].start:blocks[i].end]).group("n")))
                      for i, kind in kinds.items() if kind == "page-number")
    numbered = [(i, v) for i, v in numbered if v is not None]
    for i in standalone:
        token = text[blocks[i].start:blocks[i].end].strip(SPACE)
        if i in kinds or not 1 <= len(token) <= 4 or " " in token:
            continue
        read = token.translate(OCR_DIGITS)
        if not (read.isascii() and read.isdecimal()) or not ({i - 1, i + 1} & set(kinds)):
            continue
        before = [v for j, v in numbered if j < i]
        after = [v for j, v in numbered if j > i]
        value = int(read)
        if (before and value == before[-1] + 1) or (after and value == after[0] - 1):
            kinds[i] = "page-number"
            numbered = sorted(numbered + [(i, value)])


def _at_page_turn(doc: Document, index: int, kinds: dict[int, str]) -> bool:
    """Whether a short line stands where a page turns: among the short lines between the
    halves of a cut paragraph, or next to other furniture."""
    if {index - 1, index + 1} & set(kinds):
        return True
    before = index - 1
    while before >= 0 and before in kinds:
        before -= 1
    if before < 0:
        return False
    # The line before: a paragraph, or a heading-shaped fragment of one (no heading ends a
    # page), stopping mid-sentence. A repeated heading there is the page's running head.
    if before == 0 or text_key(doc.text[doc.blocks[before].start:doc.blocks[before].end]) == text_key(
            doc.text[doc.blocks[index].start:doc.blocks[index].end]):
        return False  # the opening title, or the same line printed twice in a row: no page turn
    previous = _as_paragraph_if_cut(doc, doc.blocks[before])
    text = doc.text[previous.start:previous.end].rstrip(SPACE)
    return previous.kind == "p" and not ends_sentence(text) and text[-1:].isalnum()


PAGE_NUMBERS_MIN = 3  # numbers that grow: two may be anything (a year and a sum, 99 and a garbled signature "C")


def shows_pages(doc: Document, kinds: dict[int, str]) -> bool:
    """Whether the text shows that it has pages: page files or images, form feeds, pages
    found at their edges, a running head it repeats, page numbers that grow, a page number or
    stamp inside a sentence. Numbers that each stand after a finished sentence number
    sections or stanzas ("1.", "2."): most page turns fall inside a sentence."""
    if doc.facsimile or doc.findings.page_starts or PAGE_SEPARATOR in doc.text:
        return True
    found = Counter(kinds.values())
    if found["running-head"] or found[FOUND]:
        return True
    blocks, text = doc.blocks, doc.text
    numbered = [(i, page_value(text[blocks[i].start:blocks[i].end]))
                for i in sorted(kinds) if kinds[i] == "page-number"]
    numbered = [(i, n) for i, n in numbered if n is not None]
    growing = len(numbered) >= PAGE_NUMBERS_MIN and all(a < b for (_, a), (_, b) in zip(numbered, numbered[1:]))
    # (the text's first line stands after no sentence: it says nothing either way)
    inside = [i for i, _ in numbered if i > 0]
    cut = [i for i in inside if not ends_sentence(text[blocks[i - 1].start:blocks[i - 1].end])
           and not _set_as_heading(doc, i)]
    if growing and 2 * len(cut) > len(inside):
        return True
    # a page number or a stamp between the halves of a sentence: a page turns there
    return any(_sentence_runs_over(doc, cluster) for cluster in _clusters(kinds)
               if any(kinds[i] in ("page-number", "catalogue-number") and not _set_as_heading(doc, i)
                      for i in cluster))


def _numbers_set_as_headings(doc: Document, kinds: dict[int, str]) -> set[int]:
    """The numerals alone that are set as headings (:func:`_set_as_heading`), and the text's
    first line where the next of them counts on from it (the first poem's "I")."""
    blocks, text = doc.blocks, doc.text
    numbered = [(i, page_value(text[blocks[i].start:blocks[i].end]))
                for i in sorted(kinds) if kinds[i] == "page-number"]
    headings = {i for i, _ in numbered if _set_as_heading(doc, i)}
    if len(numbered) > 1 and numbered[0][0] == 0 and numbered[1][0] in headings \
            and numbered[0][1] is not None and numbered[1][1] == numbered[0][1] + 1:
        headings.add(0)
    return headings


def _set_as_heading(doc: Document, index: int) -> bool:
    """A numeral set apart by blank lines after a block that ends its sentence or stops short
    of a full line (a capital after it says nothing: German capitalises every noun) heads what
    follows, as poems and sections are numbered: no page number, even where the
    numbers grow one by one (a text without pages shows its page turns inside sentences)."""
    blocks, text = doc.blocks, doc.text
    if not 0 < index < len(blocks) - 1:
        return False
    before, block, after = blocks[index - 1], blocks[index], blocks[index + 1]
    if text.count("\n", before.end, block.start) < 2 or text.count("\n", block.end, after.start) < 2:
        return False
    ended = text[before.start:before.end].rstrip(SPACE)
    return ends_sentence(ended) or _short_last_line(doc, before)


def _clusters(kinds: dict[int, str]) -> list[list[int]]:
    """Runs of consecutive furniture blocks."""
    runs: list[list[int]] = []
    for i in sorted(kinds):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _sentence_runs_over(doc: Document, cluster: list[int]) -> bool:
    """The paragraph before the cluster stops mid-sentence and goes on after it."""
    before, after = cluster[0] - 1, cluster[-1] + 1
    # (the text's opening line is its title as often as a cut sentence: as in _at_page_turn,
    # it says nothing; "Einleitung", then sections 1, 2, 3 each after a finished sentence)
    if before <= 0 or after >= len(doc.blocks):
        return False
    previous, following = doc.blocks[before], doc.blocks[after]
    return bool(known_turn(doc, previous, following)
                or _continues(doc, _as_paragraph_if_cut(doc, previous), following))


def _numbers_without_pages(doc: Document, kinds: dict[int, str]) -> None:
    """In a text that shows no pages, a numeral alone on its line is a page number only at the
    text's edge (the first or last line of a page's file; a number but no page break) or where
    a sentence runs over it (the number of the page it turns to); elsewhere it is the text's
    own (a year, a section's number, a figure), and a rule beside it is the text's too."""
    headings = _numbers_set_as_headings(doc, kinds)
    for cluster in _clusters(kinds):
        at_edge = cluster[0] == 0 or cluster[-1] == len(doc.blocks) - 1
        numbers = [i for i in cluster if kinds[i] == "page-number"]
        # (a heading's numeral is none, though a sentence seems to run over it)
        if numbers and (not at_edge and not _sentence_runs_over(doc, cluster) or set(numbers) <= headings):
            for i in numbers:
                del kinds[i]
            if all(kinds.get(i, "layout") == "layout" for i in cluster):
                for i in cluster:
                    kinds.pop(i, None)


def detect_pages(doc: Document) -> None:
    """Turn page furniture into ``fw`` edits, page boundaries into ``pb`` edits, and join the
    halves of paragraphs cut by a page boundary into one block. A text that shows no pages
    gets no page break: a paragraph it split is joined (on strong evidence), not paged."""
    alone = [_standalone(doc, block) for block in doc.blocks]  # (asked again and again: once each)
    kinds = _classify(doc, alone)
    paged = shows_pages(doc, kinds)
    if not paged:
        _numbers_without_pages(doc, kinds)
    blocks = doc.blocks
    edits: list[Edit] = []
    result: list[Block] = []
    gaps = _missing_pages(doc)
    i = 0
    while i < len(blocks):
        if i not in kinds:
            result.append(blocks[i])
            i += 1
            continue
        cluster = []
        while i < len(blocks) and i in kinds:
            cluster.append(i)
            i += 1
        previous = result[-1] if result else None
        following = blocks[i] if i < len(blocks) else None
        turn = known_turn(doc, previous, following) if previous and following else None
        if turn is None and previous and following:
            turn = _continues(doc, _as_paragraph_if_cut(doc, previous), following)
        furniture = [index for index in cluster if kinds[index] != NOTE]
        if furniture:
            # without pages elsewhere, only a sentence running over the furniture says a page turns here;
            # a digitized source's pages are its images, each with its page break already: a line of
            # furniture the page edges did not take (a number at the scan's border) turns no page
            edits += _furniture_edits(doc, furniture, kinds, alone,
                                      page_turns=(paged or bool(turn)) and not doc.facsimile)
        if turn and previous.kind in ("p", "head") and following.kind in ("p", "head") \
                and previous.part == following.part == "body" and not _gap_between(gaps, previous.end, following.start):
            # the notes inside it where printed, each its own note (a critical apparatus too: the
            # main text goes on over the turn, the apparatus no part of its text)
            result[-1] = replace(previous, end=following.end, kind="p")
            i += 1
        else:
            # the notes stay blocks of their own, the furniture between them milestones
            for is_note, run in itertools.groupby(cluster, key=lambda index: kinds[index] == NOTE):
                run = list(run)
                if is_note:
                    result += [blocks[index] for index in run]
                else:
                    result.append(Block(start=blocks[run[0]].start, end=blocks[run[-1]].end, kind="milestone",
                                        part=blocks[run[0]].part))
    doc.blocks = _join_cut_paragraphs(doc, result, edits, paged, gaps)
    add_edits(doc, edits)
    add_edits(doc, _remaining_page_separators(doc))


def _remaining_page_separators(doc: Document) -> list[Edit]:
    """Every form feed is a page break, also one that ended up inside a block of text."""
    if PAGE_SEPARATOR not in doc.text:
        return []  # (most texts: no form feed to look for)
    covered = {i for e in doc.edits if e.kind == "page-break" for i in range(e.start, e.end)}
    return [Edit(start=m.start(), end=m.end(), kind="page-break", original=PAGE_SEPARATOR, stage="layout",
                 reason="page boundary: a form feed, the export's page separator")
            for m in re.finditer(PAGE_SEPARATOR, doc.text) if m.start() not in covered]


def _page_number_after(doc: Document, cluster: list[int], kinds: dict[int, str], separator: int | None) -> dict:
    """@n of the page that starts in this cluster: a number printed after the page's start,
    or one more than a number printed at the foot of the page before."""
    blocks, text = doc.blocks, doc.text
    numbers = [(position, i, value) for position, i in enumerate(cluster) if kinds[i] == "page-number"
               and (value := page_value(text[blocks[i].start:blocks[i].end])) is not None]
    if separator is None and len({value for _, _, value in numbers}) > 1:
        # two numbers and no separator: the page before's (at its foot, or its signature) and
        # this page's; counting on from one to the next, the later is this page's, else neither
        steps = [later for earlier, later in zip(numbers, numbers[1:]) if later[2] == earlier[2] + 1]
        label = page_label(text[blocks[steps[0][1]].start:blocks[steps[0][1]].end]) if len(steps) == 1 else None
        return {"n": label} if label else {}
    for position, i in enumerate(cluster):
        if kinds[i] != "page-number":
            continue
        before_start = separator is not None and position < cluster.index(separator)
        label = page_label(text[blocks[i].start:blocks[i].end], 1 if before_start else 0)
        if label is None:
            continue
        return {"n": label}
    return {}


def _as_paragraph_if_cut(doc: Document, block: Block) -> Block:
    """A heading-shaped line just before page furniture is the end of a paragraph: printers
    never end a page with a heading. Numbered headings (第一章, Chapter 4) stay headings."""
    if block.kind == "head" and block.part == "body" and not UNIT.match(doc.text[block.start:block.end]):
        return replace(block, kind="p")
    return block


def _short_lines_before(doc: Document, index: int, alone: list[bool]) -> int:
    """Where the short lines standing right before block ``index`` on its page image begin (the
    margin's numbers the engine wrote first): a page break there is the page's, which its
    furniture under them stands at. Without page images, or none: the block's own start."""
    start = doc.blocks[index].start
    if not doc.facsimile:
        return start
    surfaces = [surface.start for surface in doc.facsimile]
    page_start = surfaces[max(0, bisect.bisect_right(surfaces, start) - 1)]
    while index > 0 and doc.blocks[index - 1].start >= page_start and alone[index - 1]:
        index -= 1
    return doc.blocks[index].start


def _furniture_edits(doc: Document, cluster: list[int], kinds: dict[int, str], alone: list[bool],
                     page_turns: bool) -> list[Edit]:
    """The furniture's fw edits, and a page break where ``page_turns`` (a stamp alone in a text
    without pages is the stamp, not a page)."""
    blocks, text = doc.blocks, doc.text
    known = break_between(doc, _short_lines_before(doc, cluster[0], alone) - 2, blocks[cluster[-1]].end)
    cluster = [i for i in cluster if kinds[i] != FOUND]
    separators = [i for i in cluster if kinds[i] == "page-separator"]
    attrs = _page_number_after(doc, cluster, kinds, separators[0] if separators else None)
    edits = []
    if known:
        cluster = [i for i in cluster if i not in separators]  # the page break is recorded already
    elif separators:
        for i in separators:
            edits.append(Edit(start=blocks[i].start, end=blocks[i].end, kind="page-break", original=PAGE_SEPARATOR,
                              stage="layout", attrs=attrs if i == separators[0] else {},
                              reason="page boundary: a form feed, the export's page separator"))
        cluster = [i for i in cluster if i not in separators]
    elif cluster and page_turns:
        start = blocks[cluster[0]].start
        edits.append(Edit(start=start, end=start, kind="page-break", original="", stage="layout", attrs=attrs,
                          reason="page boundary: page furniture (running heads, page number, catalogue number) "
                                 "printed as lines of their own"))
    reasons = {
        "running-head": "running head: a short line the document repeats where its pages turn",
        "page-number": "page number: a numeral alone on its line at a page boundary",
        "catalogue-number": "catalogue number stamped on the page (shape: capital, digits, separators)",
        "layout": RULE_REASON,
    }
    seen_heads: set[str] = set()
    for i in cluster:
        block = blocks[i]
        key = text_key(text[block.start:block.end])
        if kinds[i] == "running-head" and key in seen_heads:
            # The same head twice in a row: the page between held nothing else.
            edits.append(Edit(start=block.start, end=block.start, kind="page-break", original="", stage="layout",
                              reason="page boundary: the running head repeats on the next page", confidence=0.8))
        seen_heads.add(key)
        edits.append(Edit(start=block.start, end=block.end, kind=kinds[i], original=text[block.start:block.end],
                          stage="layout", reason=reasons[kinds[i]], confidence=0.9,
                          attrs={"place": "top"} if kinds[i] == "running-head" else {}))
    return edits


LIST_ITEM = re.compile(r"^[\s\u3000]*([•*·\-–—▪◦]|\d{1,3}[.)]\s|\(?[a-z一二三四五六七八九十]\)\s?)")


def _continues(doc: Document, previous: Block, following: Block) -> bool:
    """A paragraph that stops mid-sentence goes on in the next paragraph-shaped block
    (list items are lines of their own, with or without a full stop). In a text that
    indents its paragraphs, one that fills its last line and is followed by an unindented
    line goes on too, even when a sentence happened to end at the page's last line."""
    if not (previous.kind == "p" and following.kind == "p" and previous.part == following.part == "body"):
        return False
    if LIST_ITEM.match(doc.text[previous.start:previous.end]) \
            or LIST_ITEM.match(doc.text[following.start:following.end]):
        return False
    if not ends_text(doc.text[previous.start:previous.end]):
        # unless the OCR garbled the full stop ("benutzen«"): a last line well short of the
        # document's full lines, or a word capitalized as only a sentence's first is, then a
        # capital, is where a paragraph ended
        first = _first_text(doc, following)
        sentence_begins = begins_sentence_after(doc, doc.text[previous.start:previous.end], first)
        goes_on = not ((_short_last_line(doc, previous) or sentence_begins) and doc.text[first:first + 1].isupper())
    else:
        goes_on = _indents_paragraphs(doc) and not _indented(doc, following) and _fills_last_line(doc, previous)
    # the scripts last: counting the letters of both blocks costs more than the rest
    return goes_on and _same_script(doc.text[previous.start:previous.end], doc.text[following.start:following.end])


def _indented(doc: Document, block: Block) -> bool:
    line_start = doc.text.rfind("\n", 0, block.start) + 1
    return block.start > line_start and not doc.text[line_start:block.start].strip(SPACE)


@dataclass(frozen=True)
class ParagraphStatistics:
    """What the document's paragraphs usually do: the evidence a cut is judged against."""

    paragraphs: int
    ending_sentence: int  # paragraphs that end with sentence punctuation
    indented: int  # paragraphs whose first line is indented
    ending_with_comma: Counter[str]  # paragraphs that end with each comma (，、,)
    prose: int  # paragraphs that hold a sentence's end somewhere: no address, closing line or caption
    prose_ending_sentence: int

    def ends_paragraphs(self, comma: str) -> bool:
        """The text ends its paragraphs with this comma, as papers that punctuate with 、 alone
        do: there a paragraph ending in it is finished."""
        count = self.ending_with_comma[comma]
        return count >= PARAGRAPH_COMMA_MIN and count >= PARAGRAPH_COMMA_SHARE * self.paragraphs


COMMAS = ("，", "、", ",")
SENTENCE_MARK = re.compile(r"[.!?。！？…][\"”’」』)）]*(?=\s|$)")
ADDRESS_CHARS = 60  # a line ending in a comma, shorter than this: an address ("Lieber Freund,"), not a clause
PARAGRAPH_COMMA_MIN = 3
PARAGRAPH_COMMA_SHARE = 0.1  # page turns after a comma are a few of a book's paragraph ends (5 % in a Chinese book)


def paragraph_statistics(doc: Document) -> ParagraphStatistics:
    """Computed once per list of blocks within a stage (the stage replaces the list when it
    changes it; the runner forgets it between stages)."""
    key = ("paragraph statistics", id(doc.blocks), len(doc.blocks))
    if key not in doc.scratch.stage:
        paragraphs = [b for b in doc.blocks if b.kind == "p"]
        last = Counter(doc.text[b.start:b.end].rstrip(SPACE)[-1:] for b in paragraphs)
        ending = [ends_sentence(doc.text[b.start:b.end]) for b in paragraphs]
        prose = [ends for b, ends in zip(paragraphs, ending) if SENTENCE_MARK.search(doc.text, b.start, b.end)]
        doc.scratch.stage[key] = ParagraphStatistics(
            len(paragraphs), sum(ending), sum(_indented(doc, b) for b in paragraphs),
            Counter({comma: last[comma] for comma in COMMAS}), len(prose), sum(prose))
    return doc.scratch.stage[key]


def _indents_paragraphs(doc: Document) -> bool:
    stats = paragraph_statistics(doc)
    return stats.paragraphs >= 3 and stats.indented >= 0.6 * stats.paragraphs


def _fills_last_line(doc: Document, block: Block) -> bool:
    lines = doc.text[block.start:block.end].split("\n")
    return len(lines) > 1 and len(lines[-1].strip(SPACE)) >= FULL_LINE * _full_line_length(doc)


def _short_last_line(doc: Document, block: Block) -> bool:
    """A block of several lines whose last one stops short of the document's full lines (two
    lines will do when the first is full: the OCR may have split the paragraph above it)."""
    lines = doc.text[block.start:block.end].split("\n")
    full = _full_line_length(doc)
    several = len(lines) > 2 or (len(lines) == 2 and len(lines[0].strip(SPACE)) >= FULL_LINE * full)
    return several and len(lines[-1].strip(SPACE)) < SHORT_LAST_LINE * full


def _full_line_length(doc: Document) -> int:
    """The median length of the text's lines: measured by segment, which splits the text into
    lines anyway (the stage needs it, so it always ran before: :func:`pipeline.stages.check_order`)."""
    return doc.findings.full_line_length


def _join_cut_paragraphs(doc: Document, blocks: list[Block], edits: list[Edit], paged: bool,
                         gaps: list[int]) -> list[Block]:
    """Cuts with no furniture left. In a text that shows its pages, the blank line inside a
    sentence is a page boundary; in one that does not, it is a paragraph the text split,
    joined only where the sentence plainly goes on (in lower case), the join recorded."""
    result: list[Block] = []
    turned_at = None  # a short line a page break was just put before (its block's end)
    for block in blocks:
        previous = result[-1] if result else None
        # a note at a page's foot joins nothing; nor does furniture between paragraphs, which holds no text
        if previous is None or "note" in (previous.kind, block.kind) or previous.kind == "milestone" \
                or gaps and _gap_between(gaps, previous.end, _first_text(doc, block)):
            result.append(block)
            continue
        if known_turn(doc, previous, block) or paged and _continues(doc, previous, block) \
                and (_is_mid_sentence_cut(doc, previous) or _word_goes_on(doc, previous, block)):
            # A "heading" whose sentence runs on into the next block was a paragraph's line.
            result[-1] = replace(previous, end=block.end, kind="p" if previous.kind == "head" else previous.kind)
            if break_between(doc, previous.end, _first_text(doc, block)):
                continue  # found at the page's edge already
            # the pages are known (a digitized source's are its images, even where only one of them
            # holds text), and none turns here: a paragraph the OCR split inside a page, joined
            # (on page images each line keeps its own lb; after furniture no line of text ends)
            if doc.facsimile or doc.findings.page_starts and _ends_with_furniture(doc, previous):
                continue
            if doc.findings.page_starts:
                edits.append(_paragraph_join(doc, previous, block, "the OCR split a paragraph inside a page: "
                                             "it stops mid-sentence and goes on after a blank line"))
            elif turned_at != previous.end:  # the cut after that short line is the same page turn
                edits.append(Edit(start=block.start, end=block.start, kind="page-break", original="", stage="layout",
                                  reason="page boundary: a paragraph stops mid-sentence and goes on after a blank "
                                         "line", confidence=0.8))
                if _short_line(doc, block):
                    turned_at = block.end
        elif not paged and _sentence_goes_on(doc, previous, block):
            result[-1] = replace(previous, end=block.end)
            edits.append(_paragraph_join(doc, previous, block, "one paragraph: a sentence stops on a word and goes "
                                         "on in lower case after a blank line, in a text that shows no pages"))
        else:
            result.append(block)
    return result


def _short_line(doc: Document, block: Block) -> bool:
    """A block of one line no longer than a page number with its punctuation: a page's furniture
    the OCR garbled ("s" for 3), which stands at a page turn, never holds a page by itself."""
    text = doc.text[block.start:block.end].strip(SPACE)
    return "\n" not in text and len(text) <= NUMBER_MAX_CHARS


def _word_goes_on(doc: Document, previous: Block, following: Block) -> bool:
    """The paragraph stops on a word broken by a hyphen and the next goes on in lower case: a
    cut whatever the document's paragraphs usually do (an export that sets a blank line
    between many of its lines ends few of its "paragraphs" with a full stop)."""
    first = _first_text(doc, following)
    return ends_broken_word(doc.text[previous.start:previous.end]) and doc.text[first:first + 1].islower()


def _missing_pages(doc: Document) -> list[int]:
    """Where the pages the source names but whose text is not there (a library package's
    absent file) stand: what was printed on them is unknown, so no sentence is known to go
    on over them, and no paragraph is joined across one. A blank page (a plate, a verso left
    blank) is no such gap: nothing of it is missing, and a sentence goes on over it."""
    return sorted(edit.start for edit in doc.edits
                  if edit.kind == "missing-page" and edit.attrs.get("reason") != "blank")


def _gap_between(gaps: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(gaps, start)
    return index < len(gaps) and gaps[index] <= end


def _ends_with_furniture(doc: Document, block: Block) -> bool:
    spans, starts, _ = _furniture_index(doc)
    index = bisect.bisect_right(starts, block.end) - 1
    return index >= 0 and spans[index][1] >= block.end - 1 and spans[index][0] >= block.start


def _paragraph_join(doc: Document, previous: Block, following: Block, reason: str) -> Edit:
    """The blank line between two blocks read as one paragraph's line break."""
    return Edit(start=previous.end, end=following.start, kind="paragraph-join",
                original=doc.text[previous.end:following.start], stage="layout", reason=reason, confidence=0.8)


def _sentence_goes_on(doc: Document, previous: Block, following: Block) -> bool:
    """In a text without pages: the paragraph stops on a word or a comma, not a sentence's end,
    and the next one goes on in lower case, in the same script; in a script without case, the
    paragraph stops on a full-width comma (，) where the text does not end its paragraphs so.
    Most of the text's paragraphs that hold sentences end with one (in verse or lists a
    missing full stop proves nothing; a letter's address and closing lines do not count). A
    one-line address ending in a comma, which German letters follow in lower case, is no
    clause; a paragraph ending in 、, a list's comma now and a full stop in papers of the
    1930s, proves nothing."""
    if not (previous.kind == following.kind == "p" and previous.part == following.part == "body"):
        return False
    if not _first_mark(doc.text, following.start, following.end).islower() \
            and _last_mark(doc.text, previous.start, previous.end) != "，":
        return False  # (most pairs: the sentence cannot go on, whatever else the blocks show; nothing copied)
    before = doc.text[previous.start:previous.end].rstrip(SPACE)
    after = doc.text[following.start:following.end].lstrip(SPACE)
    if ends_text(before) or LIST_ITEM.match(before) or LIST_ITEM.match(after):
        return False
    if before.endswith(",") and "\n" not in before and len(before) < ADDRESS_CHARS:
        return False
    stats = paragraph_statistics(doc)
    goes_on = after[:1].islower() or (before.endswith("，") and not stats.ends_paragraphs("，"))
    # (a scrap after it, "ges", "ist-", is what OCR reads of specks at the page's foot)
    return (goes_on and min(len(before), len(after)) >= CUT_MIN_CHARS and _same_script(before, after)
            and stats.prose_ending_sentence >= SENTENCE_ENDING_SHARE * stats.prose)


def _first_mark(text: str, start: int, end: int) -> str:
    """The first character of ``text[start:end]`` but SPACE (empty where there is none)."""
    while start < end and text[start] in SPACE:
        start += 1
    return text[start:start + 1] if start < end else ""


def _last_mark(text: str, start: int, end: int) -> str:
    """The last character of ``text[start:end]`` but SPACE (empty where there is none)."""
    while end > start and text[end - 1] in SPACE:
        end -= 1
    return text[end - 1:end] if end > start else ""


def _same_script(before: str, after: str) -> bool:
    """Two blocks written mostly in one script: paragraphs in two scripts are two texts (an
    article beside its translation), never one paragraph cut in two."""
    scripts = script_counts(before), script_counts(after)
    return not all(scripts) or dominant_script(scripts[0]) == dominant_script(scripts[1])


def _furniture_index(doc: Document) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """The page furniture recorded so far, sorted: (start, end) spans, their starts, and the
    starts of the page breaks. Built once per stage (and again if edits were added), so that
    the questions asked of every pair of blocks do not each read every edit."""
    key = ("furniture index", len(doc.edits))
    if key not in doc.scratch.stage:
        spans = sorted((e.start, e.end) for e in doc.edits if e.kind in PAGE_FURNITURE)
        breaks = sorted(e.start for e in doc.edits if e.kind == "page-break")
        doc.scratch.stage[key] = (spans, [start for start, _ in spans], breaks)
    return doc.scratch.stage[key]


def _first_text(doc: Document, block: Block) -> int:
    """Where the block's text begins, after any page furniture found at its top."""
    spans, starts, _ = _furniture_index(doc)
    position = block.start
    for start, end in spans[bisect.bisect_left(starts, block.start):bisect.bisect_left(starts, block.end)]:
        if doc.text[position:start].strip(SPACE + "\n\ufeff"):
            break
        position = max(position, end)
    return position


CUT_MIN_CHARS = 20  # a paragraph shorter than this may be a caption or a list line
SENTENCE_ENDING_SHARE = 0.5  # of the document's paragraphs, for a missing full stop to mean a cut


def _is_mid_sentence_cut(doc: Document, block: Block) -> bool:
    """A paragraph of some length that ends on a letter, in a document most of whose
    paragraphs end with sentence punctuation: in a text whose paragraphs rarely do (lists,
    verse, captions), a missing full stop proves nothing."""
    text = doc.text[block.start:block.end].rstrip(SPACE)
    if len(text) < CUT_MIN_CHARS or not (text[-1:].isalnum() or text[-1:] in COMMAS or ends_broken_word(text)):
        return False  # the block's own ending decides, before the document's paragraphs are counted
    stats = paragraph_statistics(doc)
    # a comma: the sentence goes on, unless the text ends its paragraphs with it
    open_clause = text[-1:] in COMMAS and not stats.ends_paragraphs(text[-1:])
    return (stats.paragraphs > 0 and stats.ending_sentence >= SENTENCE_ENDING_SHARE * stats.paragraphs
            and (text[-1:].isalnum() or ends_broken_word(text) or open_clause))


def mark_truncation(doc: Document) -> None:
    """A document whose paragraphs end with sentence punctuation but whose last one does not
    was cut off: the scan is truncated. Recorded as a zero-length edit at the very end."""
    paragraphs = [b for b in doc.blocks if b.kind == "p"]
    if not paragraphs or doc.blocks[-1].kind != "p":
        return
    last = doc.blocks[-1]
    if _is_mid_sentence_cut(doc, last) and not LIST_ITEM.match(doc.text[last.start:last.end]):
        add_edits(doc, [Edit(start=last.end, end=last.end, kind="truncation", original="", stage="layout",
                             reason="the text breaks off mid-sentence: the scan is truncated", confidence=0.8)])
        doc.notes.append("truncated: the text breaks off mid-sentence")
