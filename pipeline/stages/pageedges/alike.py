"""Which of many short strings (running heads' keys, their words) are OCR variants of one
another, as difflib's ratio judges them, without a difflib matcher for every pair.

difflib's matching blocks run in order through both strings, so the characters they match are
a common subsequence: its ratio ``2 * M / (len(a) + len(b))`` is at most the same fraction of
the longest common subsequence, which rapidfuzz computes for all the pairs at once. A pair
whose bound falls short of the threshold is no variant; only the others are asked of difflib,
which decides as before (the bound is exact: it never leaves out a pair difflib would take).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import cdist

ROWS = 256  # strings compared with all the others at once (the table of lengths stays small)
# pairs asked one by one below this many (the table for all at once costs as much as 70 pairs do)
FEW_PAIRS = 64


def within_bound(firsts: list[str], seconds: list[str], threshold: float) -> Iterator[tuple[int, int]]:
    """The pairs (index in ``firsts``, index in ``seconds``), in that order, whose ratio may reach
    ``threshold``: ``2 * LCS / (len(a) + len(b))`` does, computed as difflib computes its ratio
    (floating point, the same operations: the bound is never below the ratio it bounds)."""
    if not firsts or not seconds:
        return
    if len(firsts) * len(seconds) <= FEW_PAIRS:
        similarity = LCSseq.similarity
        for i, first in enumerate(firsts):
            for j, second in enumerate(seconds):
                length = len(first) + len(second)
                if (2.0 * similarity(first, second) / length if length else 1.0) >= threshold:
                    yield i, j
        return
    second_lengths = numpy.array([len(text) for text in seconds], dtype=numpy.float64)
    for low in range(0, len(firsts), ROWS):
        rows = firsts[low:low + ROWS]
        common = cdist(rows, seconds, scorer=LCSseq.similarity, dtype=numpy.int32)
        lengths = numpy.array([len(text) for text in rows], dtype=numpy.float64)[:, None] + second_lengths[None, :]
        with numpy.errstate(divide="ignore", invalid="ignore"):
            bound = numpy.where(lengths > 0, 2.0 * common / lengths, 1.0)  # two empty strings: difflib's 1.0
        for i, j in zip(*numpy.nonzero(bound >= threshold)):
            yield low + int(i), int(j)
