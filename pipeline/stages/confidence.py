"""Words the OCR engine doubted: each word of a page image rated below the configured
``low_confidence`` is flagged ``<unclear reason="low-confidence">`` with its rating, kept as
read. Runs after the garbled-text detector (a word inside a garbled span is that span's) and
after the regularizations, which the flag holds (``ſ`` in a doubted word still reads ``s``).
A word that is page furniture (a signature mark the engine doubted) is furniture, not text
to doubt: it is left as it is."""

from __future__ import annotations

import bisect

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits
from pipeline.kinds import CONTAINER_KINDS, READING_KINDS
from pipeline.model import Document, Edit

REASON = "a word the OCR engine rated below the confidence threshold (low_confidence in the configuration)"
HELD = READING_KINDS | {"flag"}  # what a doubted word may hold: readings of its letters, a flagged stray character


def flag_low_confidence(doc: Document, config: PipelineConfig) -> None:
    """Stage: the words the OCR engine rated below ``config.low_confidence`` flagged as read, holding their letters'
    regularizations."""
    doubted = [(start, end, confidence) for surface in doc.facsimile for zone in surface.lines
               for start, end, confidence in zone.words
               if confidence < config.low_confidence and doc.text[start:end].strip()]
    if not doubted:
        return  # (a text file has no rated words): the other edits need not be looked at
    # a note at the page's foot holds its doubted words: it is no other reading of them
    others = sorted((e.start, e.end) for e in doc.edits if e.end > e.start and e.kind not in HELD
                    and e.kind not in CONTAINER_KINDS)
    starts = [start for start, _ in others]

    def among_others(start: int, end: int) -> bool:
        """An edit of another kind overlaps the word (edits that begin before its end)."""
        i = bisect.bisect_left(starts, end)
        return any(other_end > start for _, other_end in others[max(0, i - 2):i])

    flags = [Edit(start=start, end=end, kind="low-confidence", original=doc.text[start:end],
                  reason=REASON, confidence=confidence, stage="confidence")
             for start, end, confidence in doubted if not among_others(start, end)]
    if flags:
        refused = add_edits(doc, flags)
        doc.notes.append(f"{len(flags) - len(refused)} word(s) the OCR engine doubted flagged low-confidence")
