"""ftfy's mojibake heuristic (``ftfy.badness``), the same answers, searched only where it can fire.

Every alternative of ftfy's ``BADNESS_RE`` is a short sequence of one-character items: a match
can start only where a character its first item takes is followed by one its second item takes
(``MatchStarts``). Those places are looked up for a whole text at once (numpy, a bit for each
alternative), and the long alternation is tried only there: in clean text, hardly anywhere.
``tests/test_badness.py`` checks the equality with ftfy's own count.
"""

from __future__ import annotations

import functools
import re
import re._compiler
import re._constants
import re._parser
from collections.abc import Iterator
from dataclasses import dataclass

import ftfy.badness
import ftfy.chardata
import numpy

from pipeline.charmap import bmp_members, code_points

BADNESS_RE = ftfy.badness.BADNESS_RE


C1_CONTROLS = "".join(map(chr, range(0x80, 0xA0)))  # what bytes 80–9F are in Latin-1: each one is mojibake


_ITEM_MATCHERS: dict[str, re.Pattern] = {}  # each one-character item compiled alone, once


def _item_matcher(item: _Item, flags: int) -> re.Pattern:
    """The one-character ``item`` compiled alone: which characters it takes, asked of the regex
    engine (for a category's members, and for a code page's bytes whose character it takes)."""
    key = repr((item, flags))
    if key not in _ITEM_MATCHERS:
        _ITEM_MATCHERS[key] = re._compiler.compile(re._parser.SubPattern(re._parser.State(), [item]), flags)
    return _ITEM_MATCHERS[key]


@functools.cache
def _parsed(pattern: re.Pattern) -> re._parser.SubPattern:
    """The regex parsed, once: its items are read, never changed."""
    return re._parser.parse(pattern.pattern, pattern.flags)


def _c1_counts_each_once() -> bool:
    """Whether every match of BADNESS_RE holds at most one C1 control (and a lone one matches):
    then a text holds at least as many matches as C1 controls, a bound counted in C. Checked on
    the regex's own structure (an alternation of sequences of one-character items), so that
    another ftfy with another regex only loses the bound, never the right count."""
    parsed = _parsed(BADNESS_RE)
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
        matcher = _item_matcher(item, BADNESS_RE.flags)
        return int(any(matcher.fullmatch(ch) for ch in C1_CONTROLS))

    for alternative in parsed.data[0][1][1]:
        if sum(c1_matches(item) for item in alternative.data) > 1:
            return False
    return all(BADNESS_RE.fullmatch(ch) for ch in C1_CONTROLS)


C1_BOUND = _c1_counts_each_once()


def _suspect_characters() -> str:
    chars: set[str] = set()
    for encoding in ftfy.chardata.CHARMAP_ENCODINGS:  # mojibake is made of these
        chars |= set(bytes(range(0x80, 0x100)).decode(encoding, errors="ignore"))
    chars |= {ch for ch in BADNESS_RE.pattern if ord(ch) >= 0x80}  # and what the regex names
    return "".join(sorted(chars))


SUSPECTS = _suspect_characters()
SUSPECT = re.compile("[" + re.escape(SUSPECTS) + "]")


class _Untranslatable(Exception):
    pass


_ONE_CHARACTER = (re._constants.LITERAL, re._constants.NOT_LITERAL, re._constants.IN, re._constants.ANY)
_Item = tuple  # a parsed one-character item: (op, argument)


PREFIX = 3  # characters of a match looked at before the regex is tried


def _prefixes(items: list) -> list[tuple[_Item, ...]]:
    """The one-character items the first PREFIX characters of a match of the sequence ``items``
    can be taken by (fewer: the match may end there). Raises _Untranslatable for what it does
    not know (a group, a lookaround)."""
    found: list[tuple[_Item, ...]] = []

    def walk(rest: list, taken: tuple) -> None:
        if len(taken) == PREFIX or not rest:
            if not taken:
                raise _Untranslatable("a match may be empty")
            found.append(taken)
            return
        (op, av), after = rest[0], rest[1:]
        if op is re._constants.AT:  # takes no character (the regex checks it where tried)
            walk(after, taken)
        elif op in _ONE_CHARACTER:
            walk(after, taken + ((op, av),))
        elif op is re._constants.MAX_REPEAT and len(av[2].data) == 1 and av[2].data[0][0] in _ONE_CHARACTER:
            low, high, inner = av
            if low == 0:
                walk(after, taken)
            if high:
                left = high if high is re._constants.MAXREPEAT else high - 1
                walk(([(op, (max(0, low - 1), left, inner))] if left else []) + after, taken + (inner.data[0],))
        else:
            raise _Untranslatable(op)

    walk(list(items), ())
    return found


class MatchStarts:
    """Where a match of ``pattern`` (an alternation of sequences of one-character items) can
    start in a subject: where the next PREFIX characters are each taken by the item at their
    place in some alternative (or the alternative may end before). Each alternative's beginnings
    are one bit of a uint32, looked up per character; in a text, a character beyond the Basic
    Multilingual Plane stands for all of them. A superset of where matches start: trying the
    regex there finds what a search everywhere finds."""

    def __init__(self, tables: list[numpy.ndarray], ended: list[numpy.uint32], in_bytes: bool = False):
        """Starts looked up in ``tables`` (per place, each code's beginnings; the last entry for
        every code beyond) and ``ended``, in a text's code points or (``in_bytes``) in bytes."""
        self.tables, self.ended, self.in_bytes = tables, ended, in_bytes
        self.size = len(tables[0]) - 1

    @classmethod
    def of(cls, pattern: re.Pattern) -> MatchStarts:
        """The starts of ``pattern``'s matches in a text."""
        parsed = _parsed(pattern)
        if pattern.flags & re.IGNORECASE:
            raise _Untranslatable("case-insensitive")
        if isinstance(pattern.pattern, bytes):
            raise _Untranslatable("a pattern over bytes")  # see over_bytes()
        branch = parsed.data[0] if len(parsed.data) == 1 else None
        alternatives = branch[1][1] if branch and branch[0] is re._constants.BRANCH else [parsed]
        prefixes = [prefix for alternative in alternatives for prefix in _prefixes(alternative.data)]
        size = 0x10000  # and one more: every character beyond
        # tables[k][code]: the beginnings whose character k the code can be; ended[k]: those
        # that may have ended before character k (what the end of the subject allows there).
        # Each beginning as the characters each place takes (every one where it may have ended).
        beginnings = [[_members(prefix[place], size, pattern.flags) if place < len(prefix)
                       else numpy.ones(size + 1, bool) for place in range(PREFIX)] for prefix in prefixes]
        ends = [[place >= len(prefix) for place in range(PREFIX)] for prefix in prefixes]
        # More than 32: those whose first character is rarest share a bit two by two (the union
        # of both at each place: still a superset, hardly a wider one).
        sizes = [int(places[0].sum()) for places in beginnings]
        while len(beginnings) > 32:
            rarest = sorted(range(len(beginnings)), key=sizes.__getitem__)[:2]
            (one, other), keep = rarest, [i for i in range(len(beginnings)) if i not in rarest]
            merged = [a | b for a, b in zip(beginnings[one], beginnings[other])]
            merged_ends = [a or b for a, b in zip(ends[one], ends[other])]
            beginnings = [beginnings[i] for i in keep] + [merged]
            ends = [ends[i] for i in keep] + [merged_ends]
            sizes = [sizes[i] for i in keep] + [int(merged[0].sum())]
        tables = [numpy.zeros(size + 1, numpy.uint32) for _ in range(PREFIX)]
        ended = [numpy.uint32(0)] * PREFIX
        for bit, (places, ends_here) in enumerate(zip(beginnings, ends)):
            flag = numpy.uint32(1 << bit)
            for place in range(PREFIX):
                tables[place][places[place]] |= flag
                if ends_here[place]:
                    ended[place] |= flag
        return cls(tables, ended)

    def over_bytes(self, characters: str) -> MatchStarts:
        """These starts in the bytes of a single-byte code page whose byte b reads as
        ``characters[b]``: each byte looked up as its character. The pattern translated to the
        bytes matches where this one matches in the text they read as, so where it can start
        too; and no regex is parsed again (a table of 256 entries taken from the text's)."""
        assert not self.in_bytes
        codes = numpy.append(numpy.minimum(code_points(characters), self.size), self.size)  # and beyond
        return MatchStarts([table.take(codes) for table in self.tables], self.ended, in_bytes=True)

    def __call__(self, subject: str | bytes, codes: numpy.ndarray | None = None) -> numpy.ndarray:
        """The positions of ``subject`` where a match can start, in order (``codes``: a text's
        code points, if the caller has them)."""
        if self.in_bytes:
            codes = numpy.frombuffer(subject, numpy.uint8)
        else:
            if codes is None:
                codes = code_points(subject)
            codes = numpy.minimum(codes, self.size)
        possible = self.tables[0].take(codes)
        for place in range(1, PREFIX):
            possible[:len(codes) - place] &= self.tables[place].take(codes[place:])
            possible[max(0, len(codes) - place):] &= self.ended[place]
        return numpy.flatnonzero(possible)


def _members(item: _Item, size: int, flags: int) -> numpy.ndarray:
    """Which characters (by code) the one-character ``item`` takes, as a mask over a table of
    ``size`` codes and one more (every code beyond)."""
    op, av = item
    members = numpy.zeros(size + 1, bool)
    if op is re._constants.LITERAL or op is re._constants.NOT_LITERAL:
        members[av] = True
        if op is re._constants.NOT_LITERAL:
            members = ~members
    elif op is re._constants.ANY:
        members[:] = True
        if not flags & re.DOTALL:
            members[ord("\n")] = False
    else:  # IN: literals, ranges, categories, perhaps negated
        negated = False
        for kind, value in av:
            if kind is re._constants.NEGATE:
                negated = True
            elif kind is re._constants.LITERAL:
                members[value] = True
            elif kind is re._constants.RANGE:
                members[value[0]:value[1] + 1] = True
            elif kind is re._constants.CATEGORY:
                members[:size] |= _category_members(value, flags)
            else:
                raise _Untranslatable(kind)
        if negated:
            members = ~members
    members[size] = True  # beyond the table: tried wherever they are
    return members


@functools.cache
def _category_members(category: object, flags: int) -> numpy.ndarray:
    """The characters of the Basic Multilingual Plane a category (``\\s``, ``\\w``…) takes, asked
    of the regex engine."""
    return bmp_members(_item_matcher((re._constants.IN, [(re._constants.CATEGORY, category)]), flags))


def _match_starts(pattern: re.Pattern) -> MatchStarts | None:
    try:
        return MatchStarts.of(pattern)
    except _Untranslatable:
        return None  # another ftfy's regex: searched everywhere


def _matches_at(pattern: re.Pattern, subject: str | bytes, starts: numpy.ndarray) -> Iterator[re.Match]:
    """The matches a search of the whole ``subject`` finds, found by trying the regex only at
    ``starts`` (every match starts at one of them): in order, each tried from the last one's end."""
    end, match = 0, pattern.match
    for start in starts.tolist():
        if start >= end and (found := match(subject, start)):
            end = found.end()
            yield found


@dataclass(frozen=True)
class Patterns:
    """What BadnessCount searches a text with (or the bytes of a single-byte code page, whose
    C1 controls are then counted in C by ``bytes.translate``)."""
    badness: re.Pattern
    c1: str | bytes  # the C1 controls (or the bytes read as them)
    characters: str | None = None  # over a code page's bytes: the character each byte reads as

    @functools.cached_property
    def starts(self) -> MatchStarts | None:
        """Where a match of the badness pattern can start (None: a pattern not understood)."""
        if self.characters is None:
            return _match_starts(self.badness)
        in_text = TEXT_PATTERNS.starts  # the bytes' pattern matches where the text's does in their reading
        return in_text.over_bytes(self.characters) if in_text else None

    @functools.cached_property
    def _c1_pattern(self) -> re.Pattern:
        return re.compile("[" + re.escape(self.c1) + "]")

    def count_c1(self, subject: str | bytes) -> int:
        """How many C1 controls ``subject`` holds."""
        if isinstance(subject, bytes):
            return len(subject) - len(subject.translate(None, self.c1))
        return len(self._c1_pattern.findall(subject)) if self.c1 else 0

    def match_starts(self, subject: str | bytes, codes: numpy.ndarray | None = None) -> numpy.ndarray | None:
        """Where in ``subject`` a match can start (None: not known, anywhere)."""
        return self.starts(subject, codes) if self.starts else None

    def matches(self, subject: str | bytes, starts: numpy.ndarray | None) -> Iterator[re.Match]:
        """The regex's matches in ``subject``, in order: tried only at ``starts`` (see
        match_starts) if they are fewer than half the subject, else searched everywhere, in C."""
        if starts is None or len(starts) > len(subject) // 2:
            return self.badness.finditer(subject)
        return _matches_at(self.badness, subject, starts)


TEXT_PATTERNS = Patterns(BADNESS_RE, C1_CONTROLS)


# --- the same search in the bytes of a single-byte code page ------------------------------
# A single-byte reading is its bytes, each read as one character. Every item of BADNESS_RE
# matches one character by what the character is, so the pattern with each item replaced by
# the bytes whose character it matches finds, in the bytes, the matches it finds in the text,
# at the same positions: the same count, searched faster (a class of bytes is a bitmap, a
# class of characters a lookup in blocks). So too the suspect characters and C1 controls.

_NOTHING = re.compile(b"(?!)")


def _bytes_class(item: tuple, flags: int, characters: str) -> bytes | None:
    """The one-character ``item`` as a class of the bytes whose character it matches (None: no byte)."""
    matching = [match.start() for match in _item_matcher(item, flags).finditer(characters)]
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
    translated = _as_bytes(_parsed(pattern), pattern.flags, characters)
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
    return Patterns(badness_re, bytes(b for b, ch in enumerate(characters) if ch in C1_CONTROLS), characters)


@functools.cache
def _is_suspect() -> numpy.ndarray:
    """Per code point of the Basic Multilingual Plane (and one more, for every one beyond it):
    whether it is a suspect character."""
    suspects = code_points(SUSPECTS)
    assert (suspects < 0x10000).all()
    table = numpy.zeros(0x10001, bool)
    table[suspects] = True
    return table


def suspect_count(text: str, codes: numpy.ndarray | None = None) -> int:
    """How many suspect characters ``text`` holds: at least as many as ftfy's count (each of
    its non-overlapping sequences holds one). Counted in numpy (``codes``: the text's code
    points, if the caller has them): a few times faster than SUSPECT's search in CJK text."""
    codes = code_points(text) if codes is None else codes
    return int(numpy.count_nonzero(_is_suspect().take(numpy.minimum(codes, 0x10000))))


def badness(text: str, codes: numpy.ndarray | None = None) -> int:
    """The number of mojibake-looking sequences, as ``ftfy.badness.badness(text)`` (``codes``:
    the text's code points, if the caller has them)."""
    return sum(1 for _match in TEXT_PATTERNS.matches(text, TEXT_PATTERNS.match_starts(text, codes)))


def is_bad(text: str) -> bool:
    """As ``ftfy.badness.is_bad(text)``."""
    return next(TEXT_PATTERNS.matches(text, TEXT_PATTERNS.match_starts(text)), None) is not None


FEW_STARTS = 64  # where a match can start in at most so many places, it is counted at once


class BadnessCount:
    """``badness(text)`` counted a stretch at a time where it is costly (a wrong decoding, whose
    mojibake-looking sequences are everywhere): each step's count is a lower bound of the whole
    count, which lets a caller drop a reading before the whole text is searched."""

    def __init__(self, text: str, code_page: tuple[bytes, str] | None = None, codes: numpy.ndarray | None = None):
        """``code_page``: (the bytes ``text`` was read from, the character each byte reads as)
        when it was read in a single-byte code page; the bytes are searched instead. ``codes``:
        the text's code points, if the caller has them."""
        patterns = code_page_patterns(code_page[1]) if code_page else None
        if patterns is None:
            patterns, subject = TEXT_PATTERNS, text
        else:
            subject, codes = code_page[0], None
        self.text = subject
        self.found, self.least = 0, 0
        starts = patterns.match_starts(subject, codes)
        self._matches: Iterator[re.Match] | None = patterns.matches(subject, starts)
        self.done = False
        if starts is not None and len(starts) <= FEW_STARTS:  # the count at once
            self.count_to()
        elif C1_BOUND:  # each C1 control stands in a match of its own: a bound before any search
            self.least = patterns.count_c1(subject)

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
