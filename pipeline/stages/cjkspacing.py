"""What OCR engines put between Chinese characters: spaces (Tesseract separates every
character it reads as a word) and ASCII punctuation where the print has full-width forms.
Inside Chinese blocks both are regularized (``<choice><orig> </orig><reg/></choice>``,
``<orig>,</orig><reg>，</reg>``). Spaces only on lines where most neighbouring Chinese
characters are spaced (the engine's habit): the one space a printer sets between 第二章 and
a chapter's title stays, as do tabs and spaces between Chinese and Latin text. ASCII
punctuation after a Chinese character goes with the spaces the engine sets around it
(``說 , 威`` → ``說，威``: a full-width mark holds its own space), also where the engine
broke the line just before the mark."""

from __future__ import annotations

import re

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits
from pipeline.model import Document, Edit
from pipeline.stages.textshape import CJK, HAN, SPACES_BETWEEN

CJK_CHARACTER = re.compile(CJK)
# (starts with the character it is about and looks behind it after: see SPACES_BETWEEN)
NEIGHBOURS = re.compile(rf"{CJK}(?={CJK})")
SPACED_SHARE = 0.5  # of a line's neighbouring Chinese characters, spaced: the engine's spacing
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）", ".": "。"}
ASCII_MARK = re.compile(r"[,;:!?().]")
HAN_OR_CLOSING = re.compile(rf"[{HAN}」』）》〉】]")  # what a mark may follow in Chinese text
ASCII_BEFORE_HAN = re.compile(rf"\((?<![\w.]\()(?=[{HAN}])")
SPACE_REASON = "space between Chinese characters (an OCR engine's word separator; Chinese has none)"
PUNCTUATION_REASON = "ASCII punctuation inside Chinese text regularized to its full-width form"
SPACED_PUNCTUATION_REASON = ("ASCII punctuation inside Chinese text, with the spaces an OCR engine set around it, "
                             "regularized to its full-width form (which holds its own space)")


def regularize_cjk_spacing(doc: Document, _config: PipelineConfig) -> None:
    """Stage: the engine's spaces between Chinese characters and its ASCII punctuation, regularized, in Chinese
    blocks whose lines are mostly spaced."""
    edits = []
    for block in doc.blocks:
        if not (block.lang or "").startswith("zh"):
            continue
        text = doc.text[block.start:block.end]
        offset = block.start
        # A line's engine spaces are the block's on that line (the pattern never reads a line
        # break): a block with none has no line to look at.
        for line in text.split("\n") if SPACES_BETWEEN.search(text) else ():
            spaced = SPACES_BETWEEN.findall(line)
            if spaced and len(spaced) >= SPACED_SHARE * (len(spaced) + len(NEIGHBOURS.findall(line))):
                edits += [_edit(doc, offset + m.start(), offset + m.end(), "", SPACE_REASON)
                          for m in SPACES_BETWEEN.finditer(line)]
            offset += len(line) + 1
        for start, end in _ascii_marks_in_chinese(text):
            mark = text[start:end].strip(" \t")
            edits.append(_edit(doc, block.start + start, block.start + end, FULL_WIDTH[mark],
                               PUNCTUATION_REASON if mark == text[start:end] else SPACED_PUNCTUATION_REASON))
        for match in ASCII_BEFORE_HAN.finditer(text) if "(" in text else ():
            edits.append(_edit(doc, block.start + match.start(), block.start + match.end(),
                               FULL_WIDTH[match.group()], PUNCTUATION_REASON))
    if edits:
        add_edits(doc, edits)


def _ascii_marks_in_chinese(text: str) -> list[tuple[int, int]]:
    """Spans of ASCII punctuation after a Chinese character (or a closing quote or bracket; the
    engine may have put spaces, or the line's break, between them) and before Chinese or the
    line's end, each with the spaces around it on its line."""
    spans = []
    for match in ASCII_MARK.finditer(text):
        start, end = match.start(), match.end()
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        before = start - 1
        if before >= 0 and text[before] == "\n":
            before -= 1
            while before >= 0 and text[before] in " \t":
                before -= 1
        if before < 0 or not HAN_OR_CLOSING.match(text[before]):
            continue
        after = end
        while after < len(text) and text[after] in " \t":
            after += 1
        if after == len(text) or text[after] == "\n":
            spans.append((start, end))  # spaces at the line's end are no concern of the mark's
        elif CJK_CHARACTER.match(text[after]):
            spans.append((start, after))
    return spans


def _edit(doc: Document, start: int, end: int, replacement: str, reason: str) -> Edit:
    return Edit(start=start, end=end, kind="regularization", original=doc.text[start:end], replacement=replacement,
                reason=reason, stage="cjk-spacing")
