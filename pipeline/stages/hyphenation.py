"""End-of-line hyphens: a word broken at a line or page end is joined, a real hyphen kept.

The document decides: a hyphenated form the text also writes mid-line ("well-known") is a
real hyphen; a joined form it also writes whole ("accustomed") is a broken word; otherwise a
lower-case continuation is a broken word and a capital one ("EU-/Staaten") keeps its hyphen.
Removed hyphens are regularizations (<choice><orig>-</orig><reg/></choice>), never deletions.
"""

from __future__ import annotations

import re

from pipeline.edits import add_edits
from pipeline.hyphens import LINE_END_HYPHENS
from pipeline.kinds import PAGE_FURNITURE
from pipeline.model import Document, Edit
from pipeline.stages.textshape import word_counts

# Letters of the alphabets that hyphenate at line ends: Latin (long s and ꝛ included), Greek,
# Cyrillic, with combining marks (the superscript e of aͤ).
LETTER = "A-Za-zÀ-ɏͰ-Ͽἀ-῾Ѐ-ӿ꜠-ꟿ\u0300-\u036f"
# The letters before it taken whole (possessive: a hyphen is no letter, giving some back cannot help)
LINE_END_HYPHEN = re.compile(rf"(?P<left>[{LETTER}]++)(?P<hyphen>[{re.escape(LINE_END_HYPHENS)}])[ \t]*\n")
# Whether there is any: the hyphen looked for first, the letter before it checked after
ANY_LINE_END_HYPHEN = re.compile(rf"[{re.escape(LINE_END_HYPHENS)}](?<=[{LETTER}].)[ \t]*\n")
# Where LINE_END_HYPHEN matches, found from the hyphens: the pattern itself, which begins with a
# run of letters, is tried at every letter of the text and reads each word to its end every time.
HYPHEN_AT_LINE_END = re.compile(rf"[{re.escape(LINE_END_HYPHENS)}][ \t]*\n")
A_LETTER = re.compile(f"[{LETTER}]")
# ... and one with a margin's line number after it, which the OCR wrote at the line's end ("rela- ιο")
HYPHEN_BEFORE = re.compile(rf"(?P<left>[{LETTER}]+)(?P<hyphen>[{re.escape(LINE_END_HYPHENS)}])[ \t]+$")
WORD = re.compile(rf"[{LETTER}]+(?:-[{LETTER}]+)*")
INVISIBLE = "\ufeff\u200b\u2060"


def _next_word(doc: Document, position: int, furniture: dict[int, int]) -> tuple[str, int] | None:
    """The word that continues after ``position``, skipping whitespace and page furniture
    (``furniture``: start → end of each running head, page number, …)."""
    text = doc.text
    while position < len(text):
        if text[position].isspace() or text[position] in INVISIBLE:
            position += 1
            continue
        if furniture.get(position, position) > position:
            position = furniture[position]
            continue
        match = WORD.match(text, position)
        return (match.group(), position) if match else None
    return None


def join_hyphenation(doc: Document) -> None:
    """Stage: end-of-line hyphens inside a word (over a line or a page turn) joined in the reading text, where the
    document writes the word whole."""
    if ANY_LINE_END_HYPHEN.search(doc.text) is None and not any(e.kind == "line-number" for e in doc.edits):
        return  # most Chinese texts: no word count needed
    words = word_counts(doc.text, WORD)
    # a word broken over a page turn goes on after the page's furniture, and after its notes
    furniture = {e.start: e.end for e in doc.edits
                 if (e.kind in PAGE_FURNITURE or e.kind in ("footnote", "margin-note")) and e.end > e.start}
    edits = []
    line_numbers = [e for e in doc.edits if e.kind == "line-number"]
    for block in doc.blocks:
        if block.kind not in ("p", "head", "note", "item"):
            continue
        # Within the block (the match cannot reach before its start), its last line aside:
        # a hyphen there has no next word in the block.
        for match in _line_end_hyphens(doc, block.start, block.end, line_numbers):
            hyphen = match.end("left")
            following = _next_word(doc, hyphen + 1, furniture)
            if following is None or following[1] >= block.end:
                continue
            left, right = match.group("left"), following[0].split("-")[0]
            joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
            if words[hyphenated] > 0 and words[joined] == 0:
                continue  # the document writes it with a hyphen mid-line: a real hyphen
            if right[:1].isupper() and words[joined] == 0:
                continue  # EU-/Staaten, Jean-/Paul: a capital after the hyphen keeps it
            edits.append(Edit(start=hyphen, end=hyphen + 1, kind="hyphenation", original=match.group("hyphen"),
                              replacement="",
                              stage="hyphenation", confidence=0.9 if words[joined] else 0.75,
                              reason=f"end-of-line hyphenation: {left}-/{right} read as {left + right}"
                                     + (" (the document also writes it whole)" if words[joined] else "")))
    add_edits(doc, edits)


def _line_end_hyphens(doc: Document, start: int, end: int, line_numbers: list[Edit]) -> list[re.Match]:
    """The line-end hyphens in ``[start, end)``: at the line's end, or before a line number of
    the margin (one of ``line_numbers``, the document's) that ends the line (the number stays
    recorded as furniture, the word is joined over it)."""
    found = _line_end_hyphens_in_lines(doc.text, start, end)
    for edit in line_numbers:
        if not start < edit.start < end:
            continue
        if not re.match(r"[ \t]*\n", doc.text[edit.end:end]):
            continue
        line_start = doc.text.rfind("\n", start, edit.start) + 1
        if match := HYPHEN_BEFORE.search(doc.text, max(line_start, start), edit.start):
            found.append(match)
    return sorted(found, key=lambda match: match.start())


def _line_end_hyphens_in_lines(text: str, start: int, end: int) -> list[re.Match]:
    """LINE_END_HYPHEN.finditer(text, start, end): each match starts where the letters before
    a hyphen at a line's end begin (a hyphen is no letter, nor a line end)."""
    found = []
    for hyphen in HYPHEN_AT_LINE_END.finditer(text, start, end):
        left = hyphen.start()
        while left > start and A_LETTER.match(text, left - 1):
            left -= 1
        if left < hyphen.start():
            found.append(LINE_END_HYPHEN.match(text, left, end))
    return found
