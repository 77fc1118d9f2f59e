"""Character-level repairs of the decoded text, each recorded as an edit on its span."""

from __future__ import annotations

import difflib
import re

import ftfy

from .model import Edit

# XML 1.0 allows #x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# ftfy in a configuration that keeps what CJK scholarship needs: full-width punctuation
# (，：！？), ideographic spaces, curly quotes, ligatures and compatibility ideographs
# (NFC/NFKC would fold U+F900 豈 into U+8C48). See METHODS.md, "ftfy".
SCHOLARLY_FTFY = ftfy.TextFixerConfig(
    fix_character_width=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    normalization=None,
    remove_control_chars=False,  # we record those ourselves, as edits
    unescape_html=False,  # scans are not HTML: an entity in the text is evidence, not markup
    fix_line_breaks=False,  # newlines are normalized at ingest
    explain=True,
)


def illegal_character_edits(text: str) -> list[Edit]:
    """Each character XML 1.0 cannot carry becomes an edit; the edition keeps it as ``<g>``."""
    return [
        Edit(
            start=m.start(),
            end=m.end(),
            kind="illegal-character",
            original=m.group(),
            replacement="",
            reason=f"U+{ord(m.group()):04X} cannot appear in XML 1.0; removed from the reading text",
            stage="ingest",
        )
        for m in XML_ILLEGAL.finditer(text)
    ]


def ftfy_edits(text: str) -> list[Edit]:
    """Run ftfy line by line and turn each change it makes into an edit on the changed span."""
    edits: list[Edit] = []
    offset = 0
    for line in text.split("\n"):
        if line and not line.isascii():  # pure ASCII has nothing ftfy would fix in this config
            fixed, explanation = ftfy.fix_and_explain(line, config=SCHOLARLY_FTFY)
            if fixed != line:
                steps = ", ".join(f"{step.action} {step.parameter}" for step in explanation or [])
                edits.extend(_diff_edits(line, fixed, offset, f"ftfy: {steps or 'fix_text'}"))
        offset += len(line) + 1
    return edits


def _diff_edits(before: str, after: str, offset: int, reason: str) -> list[Edit]:
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    return [
        Edit(
            start=offset + i1,
            end=offset + i2,
            kind="correction",
            original=before[i1:i2],
            replacement=after[j1:j2],
            reason=reason,
            confidence=0.9,
            stage="ingest",
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and i2 > i1  # an insertion without source span has nowhere to live
    ]
