"""Character-level repairs of the decoded text, each recorded as an edit on its span."""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator

import ftfy

from pipeline.ingest import badness
from pipeline.model import Edit

# XML 1.0 allows #x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same, but for the form feed: a page separator, which the layout stage records as <pb/>.
XML_ILLEGAL_BUT_PAGE_SEPARATOR = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# ftfy in a configuration that keeps what CJK scholarship needs: full-width punctuation
# (，：！？), ideographic spaces, curly quotes, ligatures and compatibility ideographs
# (NFC/NFKC would fold U+F900 豈 into U+8C48). See METHODS.md, "ftfy".
SCHOLARLY_FTFY = ftfy.TextFixerConfig(
    fix_character_width=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    normalization=None,
    remove_control_chars=False,  # we record those ourselves, as edits
    unescape_html=False,  # scans are not HTML: an entity in the text is evidence, not markup
    fix_line_breaks=False,  # newlines are normalized at ingest
    explain=True,
)


def undecodable_byte(ch: str) -> int | None:
    """The raw byte a lone surrogate stands for (Python's ``surrogateescape``), or None."""
    code = ord(ch)
    return code - 0xDC00 if 0xDC80 <= code <= 0xDCFF else None


def describe_illegal(ch: str, encoding: str | None = None) -> str:
    """Why a character XML cannot carry was corrected, in words for the edit's reason."""
    byte = undecodable_byte(ch)
    if byte is not None:
        return f"byte 0x{byte:02X} is not valid {encoding or 'in the source encoding'}; shown as U+FFFD"
    return f"U+{ord(ch):04X} cannot appear in XML 1.0; removed from the reading text"


def illegal_character_edits(text: str, encoding: str | None = None) -> list[Edit]:
    """Each character XML 1.0 cannot carry becomes an edit; the edition keeps it as ``<g>``.
    Undecodable bytes (kept as lone surrogates at decoding) read as U+FFFD."""
    return [
        Edit(
            start=m.start(),
            end=m.end(),
            kind="illegal-character",
            original=m.group(),
            replacement="\ufffd" if undecodable_byte(m.group()) is not None else "",
            reason=describe_illegal(m.group(), encoding),
            stage="ingest",
        )
        for m in XML_ILLEGAL_BUT_PAGE_SEPARATOR.finditer(text)
    ]


# What ftfy changes in this configuration (its fix_and_explain, read for ftfy 6.3): mojibake
# only where its badness heuristic fires, then C1 controls, surrogates and terminal escapes.
# Asking those questions first (badness near the characters it can fire on) spares the
# full fixer on the lines it would return unchanged.
_FIXED_REGARDLESS = re.compile("[\x1b\x80-\x9f\ud800-\udfff]")


def ftfy_may_change(line: str) -> bool:
    """Whether ftfy could change the line (cheap tests first: ASCII lines it never changes)."""
    return not line.isascii() and (badness.is_bad(line) or bool(_FIXED_REGARDLESS.search(line)))


BATCH = 1 << 16  # characters of lines whose badness is looked for at once


def lines_ftfy_may_change(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The lines (offset, line) that ftfy_may_change passes. Where badness can fire is found
    for a batch of lines joined at once (one numpy pass, where one a line cost most of this
    stage), and its regex tried there, in the line alone: a match in the line alone is one in
    the batch, at the same place, so its start is among the batch's (a superset of them)."""
    batch: list[tuple[int, str]] = []
    size = 0
    for offset, line in lines:
        if not line.isascii():
            batch.append((offset, line))
            size += len(line) + 1
            if size >= BATCH:
                yield from _may_change_in_batch(batch)
                batch, size = [], 0
    yield from _may_change_in_batch(batch)


def _may_change_in_batch(batch: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    joined = "\n".join(line for _, line in batch)
    found = badness.TEXT_PATTERNS.match_starts(joined) if batch else None
    if found is None:  # badness's pattern not understood: asked line by line
        yield from ((offset, line) for offset, line in batch if ftfy_may_change(line))
        return
    starts, match, place = found.tolist(), badness.BADNESS_RE.match, 0
    for offset, line in batch:
        end = place + len(line)
        first = bisect_left(starts, place)
        if _FIXED_REGARDLESS.search(line) or any(
                match(line, start - place) for start in starts[first:bisect_left(starts, end, first)]):
            yield offset, line
        place = end + 1


# A line ftfy may change holds one of these: badness fires only near a suspect character.
_MAY_CHANGE = re.compile(badness.SUSPECT.pattern[:-1] + _FIXED_REGARDLESS.pattern[1:])


def lines_with(text: str, character: re.Pattern) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line of ``text`` that holds a match of ``character`` (a
    character class), found by one search each, where a test of every line costs a call each."""
    position = 0
    while match := character.search(text, position):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        position = end + 1


# Scripts a repair may produce without the document showing them elsewhere: what mojibake
# hides is almost always one of these. A repair into any other (ftfy reads the Fraktur "ß¬"
# at a line's end, U+00DF U+00AC, as the UTF-8 of the NKo mark U+07EC) is refused.
REPAIR_SCRIPTS = {"LATIN", "CJK", "CYRILLIC", "GREEK", "HIRAGANA", "KATAKANA", "HANGUL", "ARABIC", "HEBREW",
                  "FULLWIDTH", "HALFWIDTH", "IDEOGRAPHIC", "BOPOMOFO", "THAI", "DEVANAGARI"}


def _scripts(text: str) -> set[str]:
    """The scripts of the letters and marks in ``text``, by the first word of their names."""
    return {unicodedata.name(ch, "?").split(" ")[0] for ch in text
            if ch.isalpha() or unicodedata.category(ch) == "Mn"}


def ftfy_edits(text: str) -> list[Edit]:
    """Run ftfy line by line and turn each change it makes into an edit on the changed span."""
    edits: list[Edit] = []
    present: set[str] | None = None  # the document's own scripts, read at the first repair
    for offset, line in lines_ftfy_may_change(lines_with(text, _MAY_CHANGE)):
        fixed, explanation = ftfy.fix_and_explain(line, config=SCHOLARLY_FTFY)
        if fixed != line:
            present = _scripts(text) if present is None else present
            if _scripts(fixed) - _scripts(line) - REPAIR_SCRIPTS - present:
                continue
            steps = ", ".join(f"{step.action} {step.parameter}" for step in explanation or [])
            edits.extend(diff_edits(line, fixed, offset, f"ftfy: {steps or 'fix_text'}", 0.9, "ingest"))
    return edits


def diff_edits(before: str, after: str, offset: int, reason: str, confidence: float, stage: str) -> list[Edit]:
    """The smallest replaced spans that turn ``before`` into ``after``, as corrections.

    An insertion has no source span to live on: it joins the neighbouring replacement."""
    if not before:
        return []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    return [
        Edit(
            start=offset + i1,
            end=offset + i2,
            kind="correction",
            original=before[i1:i2],
            replacement=after[j1:j2],
            reason=reason,
            confidence=confidence,
            stage=stage,
        )
        for i1, i2, j1, j2 in _merge_insertions(matcher.get_opcodes())
    ]


def _merge_insertions(opcodes) -> list[tuple[int, int, int, int]]:
    """Changed spans (i1, i2, j1, j2); a pure insertion takes a neighbouring character along."""
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if spans and spans[-1][1] == i1:  # touches the previous change: extend it
            spans[-1][1], spans[-1][3] = i2, j2
        elif i2 > i1:  # replace or delete
            spans.append([i1, i2, j1, j2])
        elif i1 > 0:  # insertion after an unchanged character
            spans.append([i1 - 1, i1, j1 - 1, j2])
        else:  # insertion at the very start: the first character comes along
            spans.append([0, 1, 0, j2 + 1])
    return [tuple(span) for span in spans]
