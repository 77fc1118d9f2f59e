"""pipeline.charmap: which characters a regex takes, asked of the engine once for them all."""

from __future__ import annotations

import re

import pytest

from pipeline.charmap import bmp_members


@pytest.mark.parametrize("pattern", [r"\s", r"\w", r"[^\w\s]", r"[\x00-\x1f]", r"[\u2500-\u259f\u4e00-\u9fff]",
                                     r"(?i)[a-z]", r"[\ud800-\udfff]"])
def test_the_members_of_a_class_are_the_characters_it_matches_one_by_one(pattern):
    """Every character of the Basic Multilingual Plane, U+0001 and lone surrogates among them,
    is a member exactly when the pattern matches it alone."""
    compiled = re.compile(pattern)
    assert bmp_members(compiled).tolist() == [compiled.fullmatch(chr(code)) is not None for code in range(0x10000)]
