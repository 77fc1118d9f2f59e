"""What OCR engines put between Chinese characters: spaces (Tesseract separates every
character it reads as a word) and ASCII punctuation where the print has full-width forms.
Inside Chinese blocks both are regularized (``<choice><orig> </orig><reg/></choice>``,
``<orig>,</orig><reg>，</reg>``). Spaces only on lines where most neighbouring Chinese
characters are spaced (the engine's habit): the one space a printer sets between 第二章 and
a chapter's title stays, as do tabs and spaces between Chinese and Latin text."""

from __future__ import annotations

import re

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits
from pipeline.model import Document, Edit

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCTUATION = r"\u3000-\u303f\uff00-\uffef"
CJK = f"[{HAN}{CJK_PUNCTUATION}]"
# Each pattern starts with the character it is about and looks behind it after: the regex
# engine then skips to those characters instead of trying a lookbehind at every position.
SPACES_BETWEEN = re.compile(rf" (?<={CJK} ) *(?={CJK})")
NEIGHBOURS = re.compile(rf"{CJK}(?={CJK})")
SPACED_SHARE = 0.5  # of a line's neighbouring Chinese characters, spaced: the engine's spacing
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）", ".": "。"}
# ASCII punctuation after a Chinese character, before Chinese, a space or the line's end
ASCII_AFTER_HAN = re.compile(rf"[,;:!?().](?<=[{HAN}].)(?=[ \t]*(?:{CJK}|$))", re.MULTILINE)
ASCII_BEFORE_HAN = re.compile(rf"\((?<![\w.]\()(?=[{HAN}])")
SPACE_REASON = "space between Chinese characters (an OCR engine's word separator; Chinese has none)"
PUNCTUATION_REASON = "ASCII punctuation inside Chinese text regularized to its full-width form"


def regularize_cjk_spacing(doc: Document, _config: PipelineConfig) -> None:
    edits = []
    for block in doc.blocks:
        if not (block.lang or "").startswith("zh"):
            continue
        text = doc.text[block.start:block.end]
        offset = block.start
        for line in text.split("\n"):
            spaced = SPACES_BETWEEN.findall(line)
            if spaced and len(spaced) >= SPACED_SHARE * (len(spaced) + len(NEIGHBOURS.findall(line))):
                edits += [_edit(doc, offset + m.start(), offset + m.end(), "", SPACE_REASON)
                          for m in SPACES_BETWEEN.finditer(line)]
            offset += len(line) + 1
        for pattern in (ASCII_AFTER_HAN, ASCII_BEFORE_HAN):
            for match in pattern.finditer(text):
                edits.append(_edit(doc, block.start + match.start(), block.start + match.end(),
                                   FULL_WIDTH[match.group()], PUNCTUATION_REASON))
    if edits:
        add_edits(doc, edits)


def _edit(doc: Document, start: int, end: int, replacement: str, reason: str) -> Edit:
    return Edit(start=start, end=end, kind="regularization", original=doc.text[start:end], replacement=replacement,
                reason=reason, stage="cjk-spacing")
