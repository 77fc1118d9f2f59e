"""Blocks from line shape: paragraphs, headings, and the metadata lines that open a document.

Everything here works from the shape of the text (blank lines, indentation, line length,
final punctuation), never from the words of a particular document.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.hyphens import LINE_END_HYPHENS
from pipeline.stages.invisible import INVISIBLE_CHARACTERS
from pipeline.kinds import PAGE_FURNITURE
from pipeline.model import Block, Document, text_block_margins
from pipeline.stages.numerals import NUMERAL

# "Title: …", "Author: …": a short capitalised key, a colon, a value.
META_LINE = re.compile(r"^(?P<key>[A-Z][A-Za-z]{1,15}(?: [A-Za-z]{1,15})?):[ \t]*(?P<value>\S.*?)\s*$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
SENTENCE_END = tuple(".!?;,:。！？；，：、…")
# What ends a sentence (or a quotation, or a clause a new paragraph may follow).
TERMINAL = frozenset("。！？；：…」』）)】〕\"”’.!?;:]")
BULLETS = tuple("*•·-–—")
BULLETS_WITH_SPACE = tuple(f"{b} " for b in "*•·▪◦")
# Sentence breaks inside a line: a full stop (CJK or Latin, the latter before a capital).
# A CJK comma may stand in a heading ("維護民主的和平，反對侵略的戰爭").
INSIDE_SENTENCES = re.compile(r"[。！？；]|[.!?;] +[A-Z]")
# Whitespace that is layout. Form feeds and vertical tabs are not: they are page
# separators in OCR exports and characters XML cannot carry, so they stay inside blocks.
SPACE = " \t\n\r\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"


@dataclass
class Line:
    start: int
    end: int  # exclusive, before the newline
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip(SPACE)

    @property
    def indented(self) -> bool:
        return bool(INDENT.match(self.text))


# A horizontal rule: HTML's <hr/> or a line of dashes, underscores, equals signs or stars.
RULE_LINE = re.compile(r"^(?:<hr\s*/?>|[-_=*]{3,})$", re.I)
# An editorial omission on a line of its own ("[…]") stands between paragraphs.
OMISSION = r"\[(?:…|\.\.\.|\. \. \.)\]"
OMISSION_LINE = re.compile(f"^{OMISSION}$")
PAGE_SEPARATOR = "\f"  # form feed: how OCR exports separate pages; a line of its own here
# A printed rule as OCR reads it: dashes and specks, hardly a letter ("--—-.. . —- —-----q-—-·", "——·")
RULE_MARKS = "-‐‑‒–—―_=*~·"
RULE_LETTERS = 0.25  # at most this share of a rule's marks read as letters or digits
RULE_REASON = ("a printed rule on a line of its own (dashes; OCR reads one as dashes and specks): layout "
               "between pieces, not text")


def is_rule_line(text: str) -> bool:
    """A horizontal rule on a line of its own: HTML's <hr/>, three dashes, underscores, equals
    signs or stars, or a printed rule as OCR reads it (at least half its marks dashes, at most
    a quarter letters or digits: a page number between dashes, "— 3 —", is none). It begins
    with a mark: most lines are done with at their first character."""
    stripped = text.strip(SPACE)
    if not stripped or stripped[0].isalnum():
        return False
    if RULE_LINE.match(stripped):
        return True
    marks = "".join(text.split())
    dashes = sum(ch in RULE_MARKS for ch in marks)
    return dashes >= max(1, len(marks) / 2) and sum(ch.isalnum() for ch in marks) <= RULE_LETTERS * len(marks)


def word_counts(text: str, word: re.Pattern, chunk: int = 1 << 16, lower: bool = True) -> Counter[str]:
    """How often each word (lower-cased, unless ``lower`` is False) occurs. Counted a stretch
    of lines at a time: the list of every word of a big book would weigh ten times the book.
    ``word`` must not match across a line end."""
    counts: Counter[str] = Counter()
    start = 0
    while start < len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end == -1 else end + 1
        found = word.findall(text, start, end)
        counts.update(map(str.lower, found) if lower else found)
        start = end
    return counts


def word_counts_once(cache: dict, text: str, word: re.Pattern, lower: bool = True) -> Counter[str]:
    """``word_counts``, counted the first time a rule asks and kept in ``cache`` (a document's
    scratch: ``document`` for the whole run, ``stage`` for one stage)."""
    key = f"word counts {word.pattern} {lower}"
    if key not in cache:
        cache[key] = word_counts(text, word, lower=lower)
    return cache[key]


def split_lines(text: str) -> list[Line]:
    """Lines of the text; a form feed is a line of its own wherever it stands."""
    lines, start = [], 0
    if PAGE_SEPARATOR not in text:  # most texts: one line per newline, nothing to look into
        for raw in text.split("\n"):
            end = start + len(raw)
            lines.append(Line(start, end, raw))
            start = end + 1
        return lines
    for raw in text.split("\n"):
        position = start
        for index, piece in enumerate(raw.split(PAGE_SEPARATOR)):
            if index:
                lines.append(Line(position, position + 1, PAGE_SEPARATOR))
                position += 1
            if piece or index == 0:
                lines.append(Line(position, position + len(piece), piece))
            position += len(piece)
        start += len(raw) + 1
    return lines


FULL_LINE = 0.75  # of the document's full line length: a line that reaches the right margin
PRINTED_LINES = 30  # a full line this long: the text keeps the printed lines (not one line a paragraph)


def is_rule_block(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a block: no blank around it) is a rule on a line of its own.
    The cheap tests before the block is copied: a rule begins with a mark and holds no line break."""
    return end > start and not text[start].isalnum() and text.find("\n", start, end) < 0 \
        and is_rule_line(text[start:end])


def mostly_words(text: str) -> bool:
    """At least half the line's marks are letters or digits."""
    marks = "".join(text.split())
    return sum(ch.isalnum() for ch in marks) >= len(marks) / 2


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


def typical_line_length(lines: list[Line]) -> int:
    """The median length of the text's lines: how long a full printed line is."""
    lengths = sorted(len(line.text.strip(SPACE)) for line in lines if line.text.strip(SPACE))
    return lengths[len(lengths) // 2] if lengths else 0


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
    for line in lines:
        stripped = line.text.strip(SPACE)
        standalone = (stripped[:1] == "[" and OMISSION_LINE.match(stripped)) or is_rule_line(stripped)
        if not stripped or line.text == PAGE_SEPARATOR or standalone:
            if current:
                groups.append(current)
            current = []
            if stripped:  # a page separator or a horizontal rule stands alone
                groups.append([line])
        elif current and (line.start in breaks or _starts_paragraph(current[-1], line, full)):
            groups.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        groups.append(current)
    return groups


def _starts_paragraph(previous: Line, line: Line, full: int) -> bool:
    if line.text.strip(SPACE).startswith(BULLETS_WITH_SPACE):
        return True  # every bulleted line is an item of its own
    short = _is_short(previous) or (full >= PRINTED_LINES and len(previous.text.strip(SPACE)) < 0.3 * full)
    if line.indented and (not previous.indented or short or ends_sentence(previous.text)):
        return True
    length = len(previous.text.strip(SPACE))
    return full >= PRINTED_LINES and ends_sentence(previous.text) and length < FULL_LINE * full


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(SPACE + "\ufeff\u200b\u2060")
    return bool(stripped) and stripped[-1] in TERMINAL


# A paragraph's last line stops before this share of a full line (where the OCR garbled its full stop,
# the line's length still says the paragraph ended).
SHORT_LAST_LINE = 0.7
CLOSING_RULE = re.compile(r"(?:[.!?:]\W*[-—–_]+|[-—–_]{3,}|[-—–_]\s*[-—–_]\s*[-—–_]|[.!?:]\s*[^\w\s]{1,2})$")


LETTERS_WORD = re.compile(r"[^\W\d_]+")
# A word inside a sentence: after a word and a space, or a word, a comma and a space. The
# pattern starts at the space (what stands before it is looked at behind it) and captures the
# word: the regex engine skips from space to space instead of trying lookbehinds everywhere.
MID_SENTENCE_WORD = re.compile(r" (?:(?<=[^\W\d_] )|(?<=[^\W\d_], ))([^\W\d_]+)")
SENTENCE_OPENER_MIN = 3  # times the document writes the word in lower case inside sentences
SENTENCE_OPENER_SHARE = 0.02  # at most this share of them capitalized there (titles cited, OCR noise)


def opens_sentence(doc: Document, position: int) -> bool:
    """The word at ``position`` is capitalized although inside sentences the document writes
    it in lower case ("Aber", "The", "Jene"): a sentence begins here, whatever the OCR left of
    the full stop before it. Nouns in German, names and words German capitalizes as nouns
    ("zum Nachtheile Anderer") are capitalized inside sentences too: no evidence."""
    match = LETTERS_WORD.match(doc.text, position)
    if match is None:
        return False
    word = match.group()
    if not (word[:1].isupper() and word[1:].islower()):
        return False
    counts = word_counts_once(doc.scratch.document, doc.text, MID_SENTENCE_WORD, lower=False)
    lower = counts[word.lower()]
    return lower >= SENTENCE_OPENER_MIN and counts[word] <= SENTENCE_OPENER_SHARE * lower


def ends_broken_word(text: str) -> bool:
    """The text stops on a word broken by a hyphen ("Flüs-", "Reichs⸗"): it goes on in what follows."""
    text = text.rstrip(SPACE)
    return len(text) > 1 and text[-1] in LINE_END_HYPHENS and text[-2].isalpha()


def begins_sentence_after(doc: Document, text_before: str, position: int) -> bool:
    """A sentence begins at ``position`` (see opens_sentence), unless the text before it stops
    on a broken word, which the word at ``position`` completes however the OCR read it."""
    return not ends_broken_word(text_before) and opens_sentence(doc, position)


def ends_text(text: str) -> bool:
    """A sentence ends here, or a piece ends with a rule or a dash after its full stop
    (an article's signature "P.—", a line of dashes)."""
    return ends_sentence(text) or bool(CLOSING_RULE.search(text.rstrip()))


RUNS_ON_CHARS = 20  # the least of a sentence's continuation


def runs_on_into(text: str, following: str) -> bool:
    """A line written as a sentence (in lower case, not capitals) that stops on a word and
    whose next block goes on in lower case: one sentence the text split with a blank line,
    not a heading above a paragraph. A next block that is itself one short line (a byline
    "von Goethe", "by the author") or a word ("gehörig." under a stamp's lines) does not go on
    the sentence; a running head in capitals stands above the continuation of the page before.
    A word broken by a hyphen at the line's end goes on in the next block, however short."""
    following = following.lstrip(SPACE)
    if ends_broken_word(text) and following[:1].islower():
        return True
    return (not ends_sentence(text) and any(ch.islower() for ch in text) and following[:1].islower()
            and len(following) >= RUNS_ON_CHARS and not is_heading_shaped(following))


def _is_short(line: Line) -> bool:
    return is_heading_shaped(line.text.strip(SPACE))


WIDE = re.compile("[\u2e81-\U0010ffff]")  # East Asian and beyond: a heading of them is short


def is_heading_shaped(text: str) -> bool:
    """One short line without sentence-final punctuation."""
    if not text or len(text) > 120 or "\n" in text or PAGE_SEPARATOR in text or text.startswith(BULLETS) \
            or text.endswith(SENTENCE_END):
        return False
    if INSIDE_SENTENCES.search(text):  # a line that holds sentences is a paragraph (or part of one)
        return False
    if len(WIDE.findall(text)) > len(text) / 2:
        return len(text) <= 40
    return len(text) <= 120 and len(text.split()) <= 16


# A word: two letters in a row, or one ideograph (Chinese writes a title of one: 序, 跋)
WORD = re.compile(r"[^\W\d_]{2}|[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def is_title_text(text: str) -> bool:
    """Whether a line can name a document: it holds a word and is no numeral. A page number
    the OCR misread (``4]``, ``O``, ``xii``) names nothing."""
    stripped = text.strip(SPACE + "[](){}.,;:-–—|/\\*'\"")
    return bool(WORD.search(stripped)) and not NUMERAL.fullmatch(stripped)


# A heading that is only a unit number ("第一章", "Chapter 4", "PART II"): its title follows.
UNIT_ONLY = re.compile(
    r"^(第[〇零一二三四五六七八九十百千\d]+[章節节回篇部卷編编講讲]|(?i:chapter|part|book|section)\s+[\divxlcdm]+\.?)$")
UNIT = re.compile(r"^第[〇零一二三四五六七八九十百千\d]+(?P<unit>[章節节回篇部卷編编講讲])"
                  r"|^(?P<word>(?i:chapter|part|book|section))\s+[\divxlcdm]+")


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
    lines = split_at(split_lines(doc.text), breaks)
    full = typical_line_length(lines)
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
        following = doc.text[groups[index + 1][0].start:groups[index + 1][-1].end] if not is_last else ""
        # (a line the text repeats is a running head, above the continuation of the page before)
        runs_on = runs_on_into(text, following) and repeated[text] < 2
        # (nor is the rest of a word the block before broke at its end)
        before = doc.text[groups[index - 1][0].start:groups[index - 1][-1].end] if index else ""
        goes_on = ends_broken_word(before) and text[:1].islower()
        kind = "head" if is_heading_shaped(text) and not is_last and not full_width and mostly_words(text) \
            and not OMISSION_LINE.match(text) and not runs_on and not goes_on else "p"
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
