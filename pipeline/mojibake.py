"""Chinese mojibake that ftfy does not repair: UTF-8 read as GBK or Big5, Big5 read as GBK,
GBK read as Big5, each then saved again as UTF-8.

A line is a candidate when many of its characters are unusual (outside the first levels of
the national standards, see :mod:`pipeline.plausibility`); it is repaired when undoing one
misreading round-trips without loss and yields a clearly more plausible text.
"""

from __future__ import annotations

import functools
import re

from .model import Edit
from .plausibility import common_han, common_hangul, plausibility
from .textfix import diff_edits

# (what happened, the codec the text was misread with, the codec it was really in)
MISREADINGS = [
    ("UTF-8 read as GBK", "gb18030", "utf-8"),
    ("UTF-8 read as Big5", "big5hkscs", "utf-8"),
    ("Big5 read as GBK", "gb18030", "big5hkscs"),
    ("GBK read as Big5", "big5hkscs", "gb18030"),
]
DOUBLE_BYTE = {"gb18030", "big5hkscs"}
# Where a double-byte codec could not decode a pair, it replaced the lead byte with U+FFFD
# and read the trail byte (0x40-0x7E) as ASCII: both belong to the one lost character.
_LOST_PAIR = re.compile("\ufffd[\x40-\x7e]?")
_LOST = re.compile("\ufffd")
_REPLACEMENT_RUN = re.compile("\ufffd{2,}")
MIN_UNUSUAL_SHARE = 0.25  # of a line's non-ASCII characters, for it to be examined at all
MIN_PLAUSIBILITY = 0.7  # of the repaired line
MIN_GAIN = 0.2  # over the line as it stands


@functools.cache
def _usual_characters() -> re.Pattern[str]:
    usual = sorted(common_han() | common_hangul())
    ranges = r"\x00-\x7f\u3000-\u303f\u3040-\u30ff\uff00-\uffef\u2010-\u2027\u00a0-\u00ff"
    return re.compile("[" + ranges + "".join(re.escape(c) for c in usual) + "]")


def _worth_examining(line: str) -> bool:
    non_ascii = sum(1 for ch in line if ch >= "\x80")
    if non_ascii < 2:
        return False
    unusual = len(line) - len(_usual_characters().findall(line))
    return unusual >= MIN_UNUSUAL_SHARE * non_ascii


def undo_misreading(line: str, misread_as: str, really: str) -> str | None:
    """Re-encode ``line`` with the codec that misread it and decode it with the right one.

    The misreading usually replaced some bytes with U+FFFD: those bytes are lost, so they
    become an invalid byte again and come back as U+FFFD, where the repair shows the loss.
    """
    lost = _LOST_PAIR if misread_as in DOUBLE_BYTE and really in DOUBLE_BYTE else _LOST
    try:
        data = b"\xff\xff".join(piece.encode(misread_as) for piece in lost.split(line))
    except UnicodeEncodeError:
        return None
    # One lost character shows as a run of U+FFFD (one per stray byte): keep one per loss.
    repaired = _REPLACEMENT_RUN.sub("\ufffd", data.decode(really, errors="replace"))
    if repaired.count("\ufffd") > max(2, len(repaired) // 4):
        return None
    return repaired


def repair_line(line: str) -> tuple[str, str, float] | None:
    """(repaired line, what happened, confidence) or None when the line should stay as it is."""
    before = plausibility(line)
    best: tuple[str, str, float] | None = None
    for name, misread_as, really in MISREADINGS:
        repaired = undo_misreading(line, misread_as, really)
        if repaired is None or repaired == line:
            continue
        after = plausibility(repaired)
        if after >= MIN_PLAUSIBILITY and after - before >= MIN_GAIN and (best is None or after > best[2]):
            best = (repaired, name, after)
    if best is None:
        return None
    repaired, name, after = best
    return repaired, name, round(min(1.0, after - before + 0.5), 2)


def mojibake_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    offset = 0
    for line in text.split("\n"):
        if _worth_examining(line) and (found := repair_line(line)):
            repaired, name, confidence = found
            edits.extend(diff_edits(line, repaired, offset, f"mojibake: {name}, then saved as UTF-8",
                                    confidence, stage="mojibake"))
        offset += len(line) + 1
    return edits
