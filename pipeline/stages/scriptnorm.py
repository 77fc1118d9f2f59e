"""Chinese script normalization: stray characters of the other script corrected, variant
forms regularized to a chosen standard; every change an edit that keeps the original.

Whether a character of the other script is an error is decided from evidence, never from
OpenCC's conversion alone (plain s2t turns 加里寧 into 加裏寧 and 干涉 into 幹涉):

* OpenCC's tables: only characters that exist *only* in the other script are candidates
  (于, 里, 干, 台 are valid in both and never touched);
* the national standards, read from Python's codecs: a character the traditional-script
  standards encode (Big5 for Taiwan, KS X 1001 hanja for Korea) is a valid traditional form
  (并, 却, 强, 刹), and one the simplified standard encodes (GB 2312) a valid simplified form;
* the document itself: a character is corrected when the document uses its counterpart
  more often than the character itself (结 ×2 beside 結 ×9); a form the document uses
  consistently and that Big5-HKSCS attests (够, 担) is the printer's, not the scanner's.

Where a character has several counterparts (发 → 發/髮), OpenCC's phrase conversion of the
surrounding words decides; failing that, the counterpart the document uses; failing that,
OpenCC's first reading with low certainty and the alternatives named in the reason.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter

import numpy as np
import opencc

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits
from pipeline.model import Document, Edit
from pipeline.stages.script import opencc_table, simplified_only, traditional_only
from pipeline.stages.textshape import code_points

CONTEXT = 4  # characters on each side given to OpenCC's phrase conversion
VARIANT_TABLES = {"tw": "TWVariants", "hk": "HKVariants", "none": None}
TO_TRADITIONAL = {"tw": "s2tw.json", "hk": "s2hk.json", "none": "s2t.json"}
TO_SIMPLIFIED = {"tw": "tw2s.json", "hk": "hk2s.json", "none": "t2s.json"}


@functools.cache
def converter(config_name: str) -> opencc.OpenCC:
    """An OpenCC converter of the named configuration (s2t, t2tw…)."""
    return opencc.OpenCC(config_name)


@functools.cache
def _encodes(encoding: str, ch: str) -> bool:
    """Whether ``encoding`` carries ``ch``, a Han character of the simplified-only or
    traditional-only sets (False for any other). Asked character by character, as the rules
    meet them: a document asks about a few, and the sets hold thousands."""
    if ch not in simplified_only() and ch not in traditional_only():
        return False
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def valid_traditional(ch: str) -> bool:
    """Whether a character is in the traditional character sets (Big5, or KS X 1001's hanja)."""
    return _encodes("cp950", ch) or _encodes("euc-kr", ch)


def attested_traditional(ch: str) -> bool:
    """Encoded by Big5-HKSCS: a form Hong Kong printing uses, weaker evidence than Big5."""
    return _encodes("big5hkscs", ch)


def valid_simplified(ch: str) -> bool:
    """Whether a character is in GB 2312, the simplified character set."""
    return _encodes("gb2312", ch)


@functools.cache
def opencc_traditional_form() -> dict[str, str]:
    """Traditional variants OpenCC folds into another traditional form: both simplify to
    the same character, whose one traditional form is the other (綫 → 线 → 線)."""
    ts, st = opencc_table("TSCharacters"), opencc_table("STCharacters")
    return {c: st[s[0]][0] for c, s in ts.items()
            if len(c) == 1 and len(s) == 1 and len(st.get(s[0], ())) == 1 and st[s[0]][0] != c}


@functools.cache
def variant_map(standard: str) -> dict[str, str]:
    """Character → its form in ``standard``: OpenCC's traditional form, then the standard's
    variant table (爲 → 為 and 裏 → 裡 for Taiwan; 為 stays 為 although OpenCC prefers 爲)."""
    table = VARIANT_TABLES[standard]
    if table is None:
        return {}
    variants = {k: v[0] for k, v in opencc_table(table).items() if len(k) == 1}
    mapping = {}
    for ch in set(variants) | set(opencc_traditional_form()):
        target = opencc_traditional_form().get(ch, ch)
        target = variants.get(target, target)
        if target != ch:
            mapping[ch] = target
    return mapping


class _DocumentCounts:
    """How often the document writes each character a rule asks about: counted one at a time
    while few are asked (most documents ask about a handful), all at once from then on."""

    FEW = 32  # characters counted one at a time: a pass over the text each

    def __init__(self, text: str):
        self.text, self.asked, self.counts = text, {}, None

    def __getitem__(self, ch: str) -> int:
        if self.counts is not None:
            return self.counts[ch]
        if ch not in self.asked:
            if len(self.asked) == self.FEW:
                self.counts = Counter(self.text)
                return self.counts[ch]
            self.asked[ch] = self.text.count(ch)
        return self.asked[ch]


@functools.cache
def _candidate_mask(script: str, standard: str) -> np.ndarray:
    """For each code point, whether a block's rules look at it: strays of the other script,
    and in a traditional text the variants of the standard."""
    looked_at = simplified_only() | set(variant_map(standard)) if script == "Hant" else traditional_only()
    mask = np.zeros(0x110000, dtype=bool)
    mask[[ord(ch) for ch in looked_at]] = True
    return mask


class _Candidates:
    """The positions of the characters a block's rules look at, in order: found for the whole
    document at once in numpy (its code points through the script's mask), a block's read off
    by bisection."""

    def __init__(self, text: str):
        self.codes = code_points([text])
        self.found: dict[tuple[str, str], list[int]] = {}

    def __call__(self, start: int, end: int, script: str, standard: str) -> list[int]:
        found = self.found.get((script, standard))
        if found is None:
            mask = _candidate_mask(script, standard)
            found = self.found[script, standard] = np.flatnonzero(mask[self.codes]).tolist()
        return found[bisect.bisect_left(found, start):bisect.bisect_left(found, end)]


def normalize_script(doc: Document, config: PipelineConfig) -> None:
    """Add corrections and regularizations to the Chinese blocks of ``doc``."""
    chinese = [block for block in doc.blocks if block.lang in ("zh-Hant", "zh-Hans")]
    if not chinese:
        return
    counts = _DocumentCounts(doc.text)
    candidates = _Candidates(doc.text)
    edits: list[Edit] = []
    for block in chinese:
        if block.lang == "zh-Hant":
            edits += _traditional_block_edits(doc, block.start, block.end, counts, config.script_standard, candidates)
        else:
            edits += _simplified_block_edits(doc, block.start, block.end, counts, candidates)
    add_edits(doc, edits)


def _traditional_block_edits(doc: Document, start: int, end: int, counts: _DocumentCounts,
                             standard: str, candidates: _Candidates) -> list[Edit]:
    edits = []
    variants = variant_map(standard)
    stray, table = simplified_only(), opencc_table("STCharacters")
    for i in candidates(start, end, "Hant", standard):
        ch = doc.text[i]
        if ch in stray and (decision := _decide_stray(ch, table[ch], counts, valid_traditional(ch),
                                                       attested_traditional(ch))):
            target, confidence, how = _choose_target(doc.text, i, table[ch], counts, TO_TRADITIONAL[standard])
            target = variants.get(target, target)
            edits.append(Edit(start=i, end=i + 1, kind="correction", original=ch, replacement=target,
                              confidence=confidence, stage="script",
                              reason=f"simplified-only character in a traditional text ({decision}); {how}"))
        elif ch in variants:
            edits.append(Edit(start=i, end=i + 1, kind="regularization", original=ch, replacement=variants[ch],
                              stage="script", group="script",
                              reason=f"variant regularized to the {standard.upper()} standard "
                                     f"(OpenCC {VARIANT_TABLES[standard]})"))
    return edits


def _simplified_block_edits(doc: Document, start: int, end: int, counts: _DocumentCounts,
                            candidates: _Candidates) -> list[Edit]:
    edits = []
    stray, table = traditional_only(), opencc_table("TSCharacters")
    for i in candidates(start, end, "Hans", "none"):
        ch = doc.text[i]
        if ch in stray and (decision := _decide_stray(ch, table[ch], counts, valid_simplified(ch), False)):
            target, confidence, how = _choose_target(doc.text, i, table[ch], counts, "t2s.json")
            edits.append(Edit(start=i, end=i + 1, kind="correction", original=ch, replacement=target,
                              confidence=confidence, stage="script",
                              reason=f"traditional-only character in a simplified text ({decision}); {how}"))
    return edits


def _decide_stray(ch: str, counterparts: tuple[str, ...], counts: _DocumentCounts, valid_in_script: bool,
                  attested: bool) -> str | None:
    """Why ``ch`` is an error in this document, or None when it must stay."""
    if valid_in_script:
        return None  # the script's own standard encodes it: a variant, not an error
    own, theirs = counts[ch], sum(counts[c] for c in counterparts)
    if theirs > own:
        return f"the document writes {'/'.join(c for c in counterparts if counts[c])} {theirs}× and this {own}×"
    if attested:
        return None  # a form the printer used consistently and a standard attests
    return "no standard of the document's script encodes it"


def _choose_target(text: str, i: int, counterparts: tuple[str, ...], counts: _DocumentCounts,
                   opencc_config: str) -> tuple[str, float, str]:
    if len(counterparts) == 1:
        return counterparts[0], 0.95, f"its only counterpart is {counterparts[0]}"
    left, right = max(0, i - CONTEXT), min(len(text), i + CONTEXT + 1)
    window = text[left:right]
    # OpenCC's phrases are keyed in simplified script: the neighbours of a stray in a
    # traditional text are traditional, so the window goes through simplified first.
    pivot = converter("t2s.json").convert(window) if opencc_config.startswith("s2") else window
    converted = converter(opencc_config).convert(pivot) if len(pivot) == len(window) else ""
    if len(converted) == len(window) and converted[i - left] in counterparts:
        target = converted[i - left]
        return target, 0.9, f"OpenCC phrase conversion of «{window}» gives {target}"
    used = [c for c in counterparts if counts[c]]
    if used:
        target = max(used, key=lambda c: counts[c])
        return target, 0.7, f"of {'/'.join(counterparts)}, the document uses {target} most"
    return counterparts[0], 0.5, f"ambiguous: {'/'.join(counterparts)}; OpenCC's first reading chosen"
