"""Which Chinese script a text is written in, decided from OpenCC's own character tables.

OpenCC ships its tables only in its binary ``.ocd2`` format; its ``opencc_dict`` tool exports
them to text once per process. A character is *simplified-only* when OpenCC lists it as
simplified and does not list it among its own traditional forms (于, 里, 干 are shared and
prove nothing); *traditional-only* likewise from the traditional→simplified table.
"""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import opencc

from pipeline.stages.textshape import code_points, owners

_OPENCC_ROOT = Path(opencc.__file__).parent / "clib"


@functools.cache
def opencc_table(name: str) -> dict[str, tuple[str, ...]]:
    """An OpenCC dictionary (e.g. ``"STCharacters"``) as {key: candidates}."""
    source = _OPENCC_ROOT / "share" / "opencc" / f"{name}.ocd2"
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{name}.txt"
        subprocess.run(
            [str(_OPENCC_ROOT / "bin" / "opencc_dict"), "-i", str(source), "-o", str(target),
             "-f", "ocd2", "-t", "text"],
            check=True, capture_output=True,
        )
        table = {}
        for line in target.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            table[key] = tuple(values.split(" "))
    return table


@functools.cache
def simplified_only() -> frozenset[str]:
    """Characters OpenCC lists as simplified and never as traditional."""
    return frozenset(k for k, v in opencc_table("STCharacters").items() if len(k) == 1 and k not in v)


@functools.cache
def traditional_only() -> frozenset[str]:
    """Characters OpenCC lists as traditional and never as simplified."""
    return frozenset(k for k, v in opencc_table("TSCharacters").items() if len(k) == 1 and k not in v)


@functools.cache
def _evidence_table() -> np.ndarray:
    """Each code point's marks as bits: 1 simplified-only, 2 traditional-only (3 for the few that are both)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    table[[ord(ch) for ch in simplified_only()]] |= 1
    table[[ord(ch) for ch in traditional_only()]] |= 2
    return table


def script_evidence_together(texts: list[str]) -> list[tuple[int, int]]:
    """(simplified-only, traditional-only) character counts of each text, for many texts in one
    pass in numpy (a document's Chinese blocks)."""
    if not texts:
        return []
    marks = np.bincount(owners(texts) * 4 + _evidence_table()[code_points(texts)], minlength=4 * len(texts))
    return [(simplified + both, traditional + both)
            for _, simplified, traditional, both in marks.reshape(len(texts), 4).tolist()]


def chinese_script(simplified: int, traditional: int) -> str | None:
    """'Hans', 'Hant', 'mixed', or None when the text proves nothing either way."""
    total = simplified + traditional
    if total == 0:
        return None
    share = traditional / total
    if share >= 0.8:
        return "Hant"
    if share <= 0.2:
        return "Hans"
    return "mixed"
