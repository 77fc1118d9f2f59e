"""Historical letterforms regularized as the Deutsches Textarchiv does: the diplomatic text
keeps long s, r rotunda and the superscript e over a, o, u; the reading text has s, r,
ä, ö, ü (``<choice><orig>ſ</orig><reg>s</reg></choice>``). On by default
(``regularize_letterforms``); nothing inside a span another stage explained (a garbled
clause) is touched."""

from __future__ import annotations

import re

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits
from pipeline.model import Document, Edit

COMBINING_E = "\u0364"  # the superscript e of early umlauts
LETTERFORMS = {"ſ": "s", "ꝛ": "r", "ﬅ": "st", "ﬆ": "st",  # the long-s and st ligatures too
               **{base + COMBINING_E: umlaut for base, umlaut in zip("aouAOU", "äöüÄÖÜ")}}
PATTERN = re.compile("|".join(sorted(map(re.escape, LETTERFORMS), key=len, reverse=True)))
REASON = ("historical letterform regularized to its modern form (Deutsches Textarchiv practice: long s, "
          "r rotunda, superscript e, the long-s and st ligatures)")


def regularize_letterforms(doc: Document, config: PipelineConfig) -> None:
    """Stage: long s, r rotunda, superscript e and the long-s ligatures regularized to the modern letters."""
    if not config.regularize_letterforms or not any(ch in doc.text for ch in "ſꝛﬅﬆ" + COMBINING_E):
        return
    add_edits(doc, [Edit(start=m.start(), end=m.end(), kind="regularization", original=m.group(),
                         replacement=LETTERFORMS[m.group()], reason=REASON, stage="letterforms")
                    for m in PATTERN.finditer(doc.text)])
