"""ftfy's mojibake heuristic (``ftfy.badness``), the same answers, searched only where it can fire.

Every sequence ftfy's ``BADNESS_RE`` matches contains a character of the single-byte code
pages it knows or of its badness categories, and is at most a few characters long (the
regex's own maximum width). Chinese text has few such characters, so searching a short
window around each one, instead of running the long alternation over every position,
gives the same count several times faster. ``tests/test_badness.py`` checks the equality.
"""

from __future__ import annotations

import functools
import re
import re._compiler
import re._constants
import re._parser

from dataclasses import dataclass

import ftfy.badness
import ftfy.chardata

BADNESS_RE = ftfy.badness.BADNESS_RE
# The longest match: a window this wide on each side of a character holds every match
# that contains it.
REACH = re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1]


C1_CONTROLS = "".join(map(chr, range(0x80, 0xA0)))  # what bytes 80–9F are in Latin-1: each one is mojibake


def _c1_counts_each_once() -> bool:
    """Whether every match of BADNESS_RE holds at most one C1 control (and a lone one matches):
    then a text holds at least as many matches as C1 controls, a bound counted in C. Checked on
    the regex's own structure (an alternation of sequences of one-character items), so that
    another ftfy with another regex only loses the bound, never the right count."""
    parsed = re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    if len(parsed.data) != 1 or parsed.data[0][0] is not re._constants.BRANCH:
        return False

    def c1_matches(item) -> int:  # how many C1 controls one item can take (2: more than one)
        op, av = item
        if op is re._constants.AT:
            return 0
        if op is re._constants.MAX_REPEAT or op is re._constants.MIN_REPEAT:
            low, high, inner = av
            if len(inner.data) != 1:
                return 2
            one = c1_matches(inner.data[0])
            return 0 if not one else 1 if high == 1 else 2
        if op not in (re._constants.LITERAL, re._constants.IN, re._constants.ANY):
            return 2
        alone = re._parser.SubPattern(parsed.state, [item])
        matcher = re._compiler.compile(alone, BADNESS_RE.flags)
        return int(any(matcher.fullmatch(ch) for ch in C1_CONTROLS))

    for alternative in parsed.data[0][1][1]:
        if sum(c1_matches(item) for item in alternative.data) > 1:
            return False
    return all(BADNESS_RE.fullmatch(ch) for ch in C1_CONTROLS)


C1_BOUND = _c1_counts_each_once()
_C1 = re.compile(f"[{C1_CONTROLS}]")


def _suspect_characters() -> str:
    chars: set[str] = set()
    for encoding in ftfy.chardata.CHARMAP_ENCODINGS:  # mojibake is made of these
        chars |= set(bytes(range(0x80, 0x100)).decode(encoding, errors="ignore"))
    chars |= {ch for ch in BADNESS_RE.pattern if ord(ch) >= 0x80}  # and what the regex names
    return "".join(sorted(chars))


SUSPECTS = _suspect_characters()
SUSPECT = re.compile("[" + re.escape(SUSPECTS) + "]")


@dataclass(frozen=True)
class Patterns:
    """What BadnessCount searches a text with (or the bytes of a single-byte code page, whose
    suspect bytes and C1 controls are then counted in C by ``bytes.translate``)."""
    badness: re.Pattern
    suspects: str | bytes  # the suspect characters (or bytes)
    c1: str | bytes  # the C1 controls (or the bytes read as them)

    def _pattern(self, pattern: str) -> re.Pattern:
        return re.compile(pattern.encode("ascii") if isinstance(self.suspects, bytes) else pattern)

    def _class(self, members: str | bytes, negated: bool = False) -> str:
        escaped = "".join(f"\\x{byte:02x}" for byte in members) if isinstance(members, bytes) else re.escape(members)
        return ("[^" if negated else "[") + escaped + "]"

    @functools.cached_property
    def clusters(self) -> re.Pattern:
        """Runs of suspect characters with at most 2 * REACH others between two of them: the
        windows of a run's characters (REACH on either side of each) merge into one."""
        one, other = self._class(self.suspects), self._class(self.suspects, negated=True)
        return self._pattern(f"{one}(?:{other}{{0,{2 * REACH}}}{one})*")

    @functools.cached_property
    def _counted(self) -> dict[str | bytes, re.Pattern]:
        return {members: self._pattern(self._class(members)) for members in (self.suspects, self.c1) if members}

    def count(self, members: str | bytes, subject: str | bytes) -> int:
        """How many of ``members`` (the suspects or the C1 controls) ``subject`` holds."""
        if isinstance(subject, bytes):
            return len(subject) - len(subject.translate(None, members))
        return len(self._counted[members].findall(subject)) if members else 0

    def windows(self, subject: str | bytes) -> list[tuple[int, int]] | None:
        """Stretches of ``subject`` that can hold a match: windows around suspect characters,
        merged. None when they would cover most of it (a wrong decoding, suspect characters
        everywhere): search it all, as far as needed. (Either way the count is the same.)"""
        if isinstance(subject, bytes) and self.count(self.suspects, subject) > len(subject) // (2 * REACH):
            return None  # counted in C first: a wrong decoding has them everywhere
        if not self.suspects:
            return []
        windows, covered = [], 0
        for run in self.clusters.finditer(subject):
            low, high = max(0, run.start() - REACH), min(len(subject), run.end() + REACH)
            windows.append((low, high))
            covered += high - low
            if covered > len(subject) // 2:
                return None
        return windows


TEXT_PATTERNS = Patterns(BADNESS_RE, SUSPECTS, C1_CONTROLS)


def _windows(text: str) -> list[tuple[int, int]] | None:
    """Stretches of ``text`` that can hold a match: windows around suspect characters, merged.
    None when suspect characters are everywhere (a wrong decoding): search the whole text."""
    return TEXT_PATTERNS.windows(text)


# --- the same search in the bytes of a single-byte code page ------------------------------
# A single-byte reading is its bytes, each read as one character. Every item of BADNESS_RE
# matches one character by what the character is, so the pattern with each item replaced by
# the bytes whose character it matches finds, in the bytes, the matches it finds in the text,
# at the same positions: the same count, searched faster (a class of bytes is a bitmap, a
# class of characters a lookup in blocks). So too the suspect characters and C1 controls.

class _Untranslatable(Exception):
    pass


_NOTHING = re.compile(b"(?!)")
_ITEM_MATCHERS: dict[str, re.Pattern] = {}  # each item of the patterns compiled alone, once for every code page


def _bytes_class(item: tuple, flags: int, characters: str) -> bytes | None:
    """The one-character ``item`` as a class of the bytes whose character it matches (None: no byte)."""
    key = repr(item)
    if key not in _ITEM_MATCHERS:
        _ITEM_MATCHERS[key] = re._compiler.compile(re._parser.SubPattern(re._parser.State(), [item]), flags)
    matcher = _ITEM_MATCHERS[key]
    matching = [match.start() for match in matcher.finditer(characters)]
    return b"[" + b"".join(b"\\x%02x" % byte for byte in matching) + b"]" if matching else None


def _as_bytes(pattern: re._parser.SubPattern, flags: int, characters: str) -> bytes | None:
    """``pattern`` (parsed) over the bytes; None where it can match no byte sequence."""
    parts = []
    for op, av in pattern.data:
        if op in (re._constants.LITERAL, re._constants.NOT_LITERAL, re._constants.IN, re._constants.ANY):
            part = _bytes_class((op, av), flags, characters)
        elif op is re._constants.BRANCH:
            alternatives = [alt for alt in (_as_bytes(branch, flags, characters) for branch in av[1])
                            if alt is not None]  # one that can match nothing is never taken
            part = b"(?:" + b"|".join(alternatives) + b")" if alternatives else None
        elif op is re._constants.MAX_REPEAT:
            low, high, inner = av
            repeated = _as_bytes(inner, flags, characters)
            if repeated is None and not low:
                continue  # it can only match nothing: it matches nothing
            most = b"" if high is re._constants.MAXREPEAT else b"%d" % high
            part = None if repeated is None else b"(?:%s){%d,%s}" % (repeated, low, most)
        elif op is re._constants.AT and av is re._constants.AT_BEGINNING:
            part = b"^"
        else:
            raise _Untranslatable(op)
        if part is None:
            return None
        parts.append(part)
    return b"".join(parts)


def _bytes_pattern(pattern: re.Pattern, characters: str) -> re.Pattern | None:
    translated = _as_bytes(re._parser.parse(pattern.pattern, pattern.flags), pattern.flags, characters)
    return _NOTHING if translated is None else re.compile(translated)


@functools.cache
def code_page_patterns(characters: str) -> Patterns | None:
    """TEXT_PATTERNS over the bytes of a single-byte code page whose byte b reads as
    ``characters[b]``; None if ftfy's pattern uses what cannot be translated (the text is
    searched then)."""
    try:
        badness_re = _bytes_pattern(BADNESS_RE, characters)
    except _Untranslatable:
        return None
    return Patterns(badness_re, bytes(b for b, ch in enumerate(characters) if ch in SUSPECTS),
                    bytes(b for b, ch in enumerate(characters) if ch in C1_CONTROLS))


def suspect_count(text: str) -> int:
    """How many suspect characters ``text`` holds: at least as many as ftfy's count (each of
    its non-overlapping sequences holds one; the windows around them rely on it)."""
    return TEXT_PATTERNS.count(SUSPECTS, text)


def badness(text: str) -> int:
    """The number of mojibake-looking sequences, as ``ftfy.badness.badness(text)``."""
    windows = _windows(text)
    if windows is None:
        return len(BADNESS_RE.findall(text))
    return sum(len(BADNESS_RE.findall(text, start, end)) for start, end in windows)


def is_bad(text: str) -> bool:
    """As ``ftfy.badness.is_bad(text)``."""
    windows = _windows(text)
    if windows is None:
        return bool(BADNESS_RE.search(text))
    return any(BADNESS_RE.search(text, start, end) for start, end in windows)


class BadnessCount:
    """``badness(text)`` counted a stretch at a time where it is costly (a wrong decoding, whose
    suspect characters are everywhere): each step's count is a lower bound of the whole count,
    which lets a caller drop a reading before the whole text is searched."""

    def __init__(self, text: str, code_page: tuple[bytes, str] | None = None):
        """``code_page``: (the bytes ``text`` was read from, the character each byte reads as)
        when it was read in a single-byte code page; the bytes are searched instead."""
        patterns = code_page_patterns(code_page[1]) if code_page else None
        if patterns is None:
            patterns, subject = TEXT_PATTERNS, text
        else:
            subject = code_page[0]
        self.text = subject
        windows = patterns.windows(subject)
        self.found, self.least = 0, 0
        self._matches = patterns.badness.finditer(subject) if windows is None else None
        if windows is not None:  # few suspect characters: the windows give the count at once
            self.found = sum(len(patterns.badness.findall(subject, start, end)) for start, end in windows)
        elif C1_BOUND:  # each C1 control stands in a match of its own: a bound before any search
            self.least = patterns.count(patterns.c1, subject)
        self.done = windows is not None

    def at_least(self) -> int:
        """A lower bound of the count (the count once done), before any more searching."""
        return self.found if self.done else max(self.least, self.found)

    def count_to(self, position: int | None = None, enough: float = float("inf")) -> int:
        """Count the matches that start before ``position`` (None: all of them), or until
        ``enough`` are found; a lower bound of the count (the count once done)."""
        if self._matches is not None:
            for match in self._matches:
                self.found += 1
                if self.found >= enough or (position is not None and match.start() >= position):
                    return self.at_least()
            self._matches, self.done = None, True
        return self.found
