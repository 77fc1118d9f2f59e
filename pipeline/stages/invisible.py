"""Invisible characters: recorded and regularized, never left in the reading text.

A byte-order mark inside the text (page files joined with ``cat``: one per page), zero-width
spaces and word joiners, soft hyphens inside a line: each becomes a regularization to
nothing, so the diplomatic text keeps it and the reading text does not. A soft hyphen at the
end of a line is a hyphenation point: the hyphenation stage joins the word over it. Zero-width
joiners and non-joiners are left alone: some scripts need them.
"""

from __future__ import annotations

import re

from pipeline.model import Edit

INVISIBLE_CHARACTERS = "\ufeff\u200b\u2060"  # a byte-order mark, a zero-width space, a word joiner
# Found as one class (the regex engine skips to it in C; an alternation is tried at every
# position), the soft hyphens at a line's end left out after.
INVISIBLE_OR_SOFT_HYPHEN = re.compile(f"[{INVISIBLE_CHARACTERS}\u00ad]")
SOFT_HYPHEN_AT_LINE_END = re.compile("\u00ad[ \t]*\n")
REASONS = {
    "\ufeff": "a byte-order mark inside the text (page files joined into one): invisible, not text",
    "\u200b": "a zero-width space: invisible, not text",
    "\u2060": "a word joiner: invisible, not text",
    "\u00ad": "a soft hyphen inside a line: a hyphenation point, not text",
}


def invisible_edits(text: str) -> list[Edit]:
    """A regularization to nothing for each invisible character of ``text`` (see the module's docstring)."""
    return [Edit(start=m.start(), end=m.end(), kind="regularization", original=m.group(), replacement="",
                 reason=REASONS[m.group()], confidence=1.0, stage="invisible-characters", group="invisible")
            for m in INVISIBLE_OR_SOFT_HYPHEN.finditer(text) if not SOFT_HYPHEN_AT_LINE_END.match(text, m.start())]
