"""Words the OCR engine doubted: each word of a page image rated below the configured
``low_confidence`` is flagged ``<unclear reason="low-confidence">`` with its rating, kept as
read. Runs after the garbled-text detector (a word inside a garbled span is that span's) and
after the regularizations, which the flag holds (``ſ`` in a doubted word still reads ``s``)."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits
from pipeline.model import Document, Edit

REASON = "a word the OCR engine rated below the confidence threshold (low_confidence in the configuration)"


def flag_low_confidence(doc: Document, config: PipelineConfig) -> None:
    flags = [Edit(start=start, end=end, kind="low-confidence", original=doc.text[start:end],
                  reason=REASON, confidence=confidence, stage="confidence")
             for surface in doc.facsimile for zone in surface.lines for start, end, confidence in zone.words
             if confidence < config.low_confidence and doc.text[start:end].strip()]
    if flags:
        refused = add_edits(doc, flags)
        doc.notes.append(f"{len(flags) - len(refused)} word(s) the OCR engine doubted flagged low-confidence")
