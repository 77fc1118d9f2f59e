"""Inline marks that exports and editors leave in the text, each recorded, none deleted:
editorial omissions ``[…]``, Word-export footnote markers and bodies, letters of another
alphabet inside a word (homoglyphs), stray backslashes, and layout whitespace (no-break
spaces, doubled spaces) normalized to one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.edits import add_edits
from pipeline.model import Document, Edit
from pipeline.stages.textshape import OMISSION as OMISSION_PATTERN

OMISSION = re.compile(OMISSION_PATTERN)
FOOTNOTE_ANCHOR = re.compile(r"\[footnoteRef:(?P<n>\d+)\]")
ANCHOR_LITERAL = "[footnoteRef:"  # what every anchor holds
FOOTNOTE_BODY = re.compile(r"\[(?P<n>\d+):\s.*?\](?=\s*(?:\[\d+:|$|\n))", re.S)
# One or two Cyrillic or Greek letters on their own among Latin text ("Belov М.", "Stаlin").
# (one letter and more, not "+": the regex engine skips to a pattern's first class in C)
OTHER_ALPHABET_RUN = re.compile(r"[\u0400-\u04ff\u0370-\u03ff][\u0400-\u04ff\u0370-\u03ff]*")
LATIN_LETTER = re.compile(r"[A-Za-z]")
HOMOGLYPH_CONTEXT = 20  # characters on each side that must be Latin for the letter to be suspect
# A backslash not after a letter or another backslash, before a letter. The pattern starts with
# the backslash (what stands before it is looked at behind it), so the regex engine skips from
# backslash to backslash instead of trying a lookbehind at every position.
STRAY_BACKSLASH = re.compile(r"\\(?<![\w\\]\\)(?=[A-Za-z])")
# Between two words: a run of two spaces or more (no-break ones included), or a no-break space.
# Written to begin with one character class, which the regex engine skips to in C; the plain
# alternation "[ \u00a0]{2,}|\u00a0" is tried at every position (0.14 → 0.08 s, benchmark corpus).
LAYOUT_SPACE_RUN = re.compile("[ \u00a0](?:[ \u00a0]+|(?<=\u00a0))")
LAYOUT_SPACES = " \u00a0"


def _layout_space_runs(text: str) -> list[tuple[int, int]]:
    """LAYOUT_SPACE_RUN.finditer(text), as spans: the runs of spaces two long or more, or that
    hold a no-break space. Found from two spaces and from each no-break space by literal
    searches, where the pattern stops at every space of the text."""
    runs = set()
    for seed in ("  ", "\u00a0"):
        position = text.find(seed)
        while position >= 0:
            start, end = position, position + len(seed)
            while start and text[start - 1] in LAYOUT_SPACES:
                start -= 1
            while end < len(text) and text[end] in LAYOUT_SPACES:
                end += 1
            runs.add((start, end))
            position = text.find(seed, end)
    return sorted(runs)


def _layout_spaces(text: str) -> Iterator[tuple[int, int]]:
    """The runs of layout whitespace between two words (runs found first, their neighbours
    looked at after: a lookbehind at every position was this stage's slowest pass)."""
    for start, end in _layout_space_runs(text):
        if start and end < len(text) and not text[start - 1].isspace() and not text[end].isspace():
            yield start, end


def _homoglyphs(text: str):
    for match in OTHER_ALPHABET_RUN.finditer(text):
        if len(match.group()) > 2:
            continue  # a word of that alphabet, not a stray letter
        around = text[max(0, match.start() - HOMOGLYPH_CONTEXT):match.end() + HOMOGLYPH_CONTEXT]
        if len(LATIN_LETTER.findall(around)) >= 8 and len(OTHER_ALPHABET_RUN.findall(around)) == 1:
            yield match


EXPORT_SYNTAX = "the word processor's footnote syntax ([n: …], [footnoteRef:n]): markup, not text"
LAYOUT_WHITESPACE = "layout whitespace (no-break or doubled spaces) read as one space"


def mark_inline(doc: Document) -> None:
    """Stage: omissions the source marks, a word processor's footnotes and their anchors, homoglyphs, stray
    backslashes, layout whitespace."""
    text = doc.text
    edits: list[Edit] = []
    for match in OMISSION.finditer(text):
        edits.append(Edit(start=match.start(), end=match.end(), kind="omission", original=match.group(),
                          stage="markers", reason="editorial omission marked in the source"))
    # (the anchor's literal looked for first: a search in C, where the regex steps through the text)
    found_anchors = list(FOOTNOTE_ANCHOR.finditer(text)) if ANCHOR_LITERAL in text else []
    for match in found_anchors:
        edits.append(Edit(start=match.start(), end=match.end(), kind="note-anchor", original=match.group(),
                          stage="markers", attrs={"n": match.group("n")},
                          reason="footnote reference exported by a word processor"))
    anchors = {m.group("n") for m in found_anchors}
    for match in FOOTNOTE_BODY.finditer(text) if anchors else ():
        if match.group("n") in anchors:  # a body is a footnote only when its anchor is there
            edits.append(Edit(start=match.start(), end=match.end(), kind="footnote", original=match.group(),
                              stage="markers", attrs={"n": match.group("n")},
                              reason="footnote text exported by a word processor, tied to its anchor"))
            # The export's brackets are markup: kept for the rebuild, not read as the note's text.
            opening = re.match(r"\[\d+:\s*", match.group())
            for start, end in ((match.start(), match.start() + opening.end()), (match.end() - 1, match.end())):
                edits.append(Edit(start=start, end=end, kind="regularization", original=text[start:end],
                                  replacement="", stage="markers", confidence=1.0, reason=EXPORT_SYNTAX,
                                  group="export syntax"))
    for match in _homoglyphs(text):
        edits.append(Edit(start=match.start(), end=match.end(), kind="flag", original=match.group(),
                          stage="markers", attrs={"reason": "homoglyph"}, confidence=0.7,
                          reason=" ".join(f"U+{ord(ch):04X}" for ch in match.group())
                          + ": letters of another alphabet among Latin letters: flagged, not changed"))
    for match in STRAY_BACKSLASH.finditer(text):
        edits.append(Edit(start=match.start(), end=match.end(), kind="flag", original="\\", stage="markers",
                          attrs={"reason": "stray-character"}, confidence=0.7,
                          reason="a backslash before a word, likely an export artefact: flagged, not changed"))
    add_edits(doc, edits)
    # Layout whitespace last: it must not split the marks above.
    spaces = [Edit(start=start, end=end, kind="regularization", original=text[start:end], replacement=" ",
                   stage="markers", reason=LAYOUT_WHITESPACE, group="whitespace")
              for start, end in _layout_spaces(text)]
    add_edits(doc, spaces)
