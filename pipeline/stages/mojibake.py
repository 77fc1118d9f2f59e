"""Chinese mojibake that ftfy does not repair: UTF-8 read as GBK or Big5, Big5 read as GBK,
GBK read as Big5, each then saved again as UTF-8.

A line is a candidate when many of its characters are unusual (outside the first levels of
the national standards, see :mod:`pipeline.ingest.plausibility`); it is repaired when undoing one
misreading round-trips without loss and yields a clearly more plausible text.
"""

from __future__ import annotations

import functools
import re

from pipeline.model import Edit
from pipeline.ingest.plausibility import common_han, common_hangul, plausibility
from pipeline.stages.textfix import diff_edits, lines_with

# (what happened, the codec the text was misread with, the codec it was really in)
MISREADINGS = [
    ("UTF-8 read as GBK", "gb18030", "utf-8"),
    ("UTF-8 read as Big5", "big5hkscs", "utf-8"),
    ("Big5 read as GBK", "gb18030", "big5hkscs"),
    ("GBK read as Big5", "big5", "gb18030"),
    ("GBK read as Big5-HKSCS", "big5hkscs", "gb18030"),  # the two map some code points differently
]
DOUBLE_BYTE = {"gb18030", "big5", "big5hkscs"}
_REPLACEMENT_RUN = re.compile("\ufffd{2,}")
MIN_UNUSUAL_SHARE = 0.25  # of a line's non-ASCII characters, for it to be examined at all
MIN_PLAUSIBILITY = 0.7  # of the repaired line
MIN_GAIN = 0.2  # over the line as it stands
LOST = None  # a byte the misreading replaced with U+FFFD


@functools.cache
def _usual_characters() -> re.Pattern[str]:
    """Runs of usual characters (counted by the runs' lengths: fewer matches to build)."""
    usual = sorted(common_han() | common_hangul())
    ranges = r"\x00-\x7f\u3000-\u303f\u3040-\u30ff\uff00-\uffef\u2010-\u2027\u00a0-\u00ff"
    return re.compile("[" + ranges + "".join(re.escape(c) for c in usual) + "]+")


@functools.cache
def _unusual_character() -> re.Pattern[str]:
    """A character _usual_characters does not take: a line without one is not examined."""
    return re.compile("[^" + _usual_characters().pattern[1:-2] + "]")


_EAST_ASIAN = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\ue000-\uf8ff\ufffd]+")


def _worth_examining(line: str) -> bool:
    """Misread CJK bytes come out as East Asian characters (GBK and Big5 have little else):
    a line is examined when those dominate its non-ASCII characters and many are unusual."""
    if line.isascii():
        return False
    non_ascii = len(line) - len(line.encode("ascii", "ignore"))
    if non_ascii < 2 or sum(map(len, _EAST_ASIAN.findall(line))) < 0.5 * non_ascii:
        return False
    unusual = len(line) - sum(map(len, _usual_characters().findall(line)))
    return unusual >= MIN_UNUSUAL_SHARE * non_ascii


def _original_bytes(line: str, misread_as: str) -> list[int | None] | None:
    """The bytes the misreading saw: each U+FFFD stands for one byte it could not decode
    (Python's CJK codecs replace one byte at a time and read on from the next)."""
    units: list[int | None] = []
    for index, piece in enumerate(line.split("\ufffd")):
        if index:
            units.append(LOST)
        try:
            units.extend(piece.encode(misread_as))
        except UnicodeEncodeError:
            return None
    return units


def _decode_double_byte(units: list[int | None], codec: str) -> str:
    """Decode pair by pair, so that a lost byte costs one character and not the alignment."""
    out, i = [], 0
    while i < len(units):
        unit = units[i]
        if unit is not None and unit < 0x80:
            out.append(chr(unit))
            i += 1
            continue
        pair = units[i:i + 2]
        i += 2
        if len(pair) < 2 or None in pair:
            out.append("\ufffd")
            continue
        out.append(bytes(pair).decode(codec, errors="replace"))
    return "".join(out)


def undo_misreading(line: str, misread_as: str, really: str) -> str | None:
    """Re-encode ``line`` with the codec that misread it and decode it with the right one.

    Bytes the misreading lost come back as U+FFFD, one per lost character.
    """
    units = _original_bytes(line, misread_as)
    if units is None:
        return None
    if really in DOUBLE_BYTE:
        repaired = _decode_double_byte(units, really)
    else:  # UTF-8 resynchronizes by itself; a broken sequence shows as a run of U+FFFD
        data = bytes(0xFF if unit is None else unit for unit in units)
        repaired = _REPLACEMENT_RUN.sub("\ufffd", data.decode(really, errors="replace"))
    if repaired.count("\ufffd") > max(2, len(repaired) // 2):  # too little left to call it a repair
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
        kept = repaired.replace("\ufffd", "")  # losses count in the confidence, not here
        if sum(map(len, _EAST_ASIAN.findall(kept))) < 0.5 * sum(1 for ch in kept if ch >= "\x80" or ch.isalpha()):
            continue  # a Chinese repair must give Chinese text
        after = plausibility(kept)
        if after >= MIN_PLAUSIBILITY and after - before >= MIN_GAIN and (best is None or after > best[2]):
            best = (repaired, name, after)
    if best is None:
        return None
    repaired, name, after = best
    lost_share = repaired.count("\ufffd") / max(1, len(repaired))
    return repaired, name, round(min(1.0, after - before + 0.5) * (1 - lost_share), 2)


def mojibake_edits(text: str) -> list[Edit]:
    """Corrections of the lines that are Chinese text decoded with the wrong encoding and saved again as UTF-8."""
    edits: list[Edit] = []
    for offset, line in lines_with(text, _unusual_character()):  # a line with none is not worth examining
        if _worth_examining(line) and (found := repair_line(line)):
            repaired, name, confidence = found
            edits.extend(diff_edits(line, repaired, offset, f"mojibake: {name}, then saved as UTF-8",
                                    confidence, stage="mojibake"))
    return edits
