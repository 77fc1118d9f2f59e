"""How plausible a decoded text is as human writing: the judge between candidate decodings.

Which characters are *common* is read from the legacy encodings themselves: each national
standard put its most frequent characters in a first level (GB 2312 level 1: 3,755 hanzi;
Big5 "frequently used": 5,401; JIS X 0208 level 1: 2,965 kanji; KS X 1001: 2,350 hangul).
A wrong decoding of CJK bytes lands mostly outside those sets, or mixes scripts.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter

import numpy

from pipeline.charmap import CharacterMap, code_points
from pipeline.ingest.badness import badness


def _decode_range(encoding: str, leads: range, trails: list[int]) -> set[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode(encoding))
            except UnicodeDecodeError:
                pass
    return {c for c in chars if len(c) == 1}


_ROW_TRAILS = list(range(0xA1, 0xFF))
_BIG5_TRAILS = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
_SJIS_TRAILS = list(range(0x40, 0x7F)) + list(range(0x80, 0xFD))


def _han(chars: set[str]) -> frozenset[str]:
    return frozenset(c for c in chars if "CJK" in unicodedata.name(c, ""))


@functools.cache
def han_levels() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per writing system: (first-level Han characters, all Han characters of its standard)."""
    return {
        "zh-Hans": (_han(_decode_range("gb2312", range(0xB0, 0xD8), _ROW_TRAILS)),
                    _han(_decode_range("gb2312", range(0xB0, 0xF8), _ROW_TRAILS))),
        "zh-Hant": (_han(_decode_range("big5", range(0xA4, 0xC7), _BIG5_TRAILS)),
                    _han(_decode_range("big5", range(0xA4, 0xFA), _BIG5_TRAILS))),
        "ja": (_han(_decode_range("shift_jis", range(0x88, 0x99), _SJIS_TRAILS)),
               _han(_decode_range("shift_jis", list(range(0x88, 0xA0)) + list(range(0xE0, 0xEB)), _SJIS_TRAILS))),
    }


@functools.cache
def common_han() -> frozenset[str]:
    """First-level Han characters of the Chinese standards (simplified and traditional)."""
    levels = han_levels()
    return levels["zh-Hans"][0] | levels["zh-Hant"][0]


@functools.cache
def common_hangul() -> frozenset[str]:
    """The Hangul syllables of KS X 1001's rows: the common ones."""
    return frozenset(_decode_range("euc-kr", range(0xB0, 0xC9), _ROW_TRAILS))


def _is_kana(code: int) -> bool:
    return 0x3041 <= code <= 0x30FA or code in (0x30FC, 0x30FD, 0x30FE)


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF
            or 0xF900 <= code <= 0xFAFF)


def neutral_score(ch: str) -> tuple[float, str | None]:
    """(plausibility 0..1, script family) of a non-ASCII character that is not kana, hangul or Han."""
    code = ord(ch)
    if 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E or 0xFF61 <= code <= 0xFF64:
        return 0.9, None  # CJK and full-width punctuation
    if 0x2010 <= code <= 0x2027 or code in (0x00A0, 0x00AB, 0x00BB, 0x00B7, 0x2030, 0x2116):
        return 0.9, None  # general punctuation: dashes, curly quotes, ellipsis, no-break space
    if code in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        return 0.9, None  # soft hyphens, zero-width spaces and joiners: real exports are full of them
    category = unicodedata.category(ch)
    if category in ("Cc", "Co", "Cs", "Cn") or code == 0xFFFD:
        return 0.0, None
    if category.startswith("L"):
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN") and code < 0x250:
            return 0.8, "latin"
        if name.startswith(("CYRILLIC", "GREEK")):
            return 0.8, name.split()[0].lower()
        return 0.3, "other"
    return 0.15, None  # symbols that text rarely uses


WRITING_SYSTEMS = ("zh-Hans", "zh-Hant", "ja", "ko")
_SCORES: dict[str, tuple[float, ...]] = {}  # at most the CJK repertoire, filled as characters are met


def _cjk_scores(ch: str) -> tuple[float, ...]:
    if ch not in _SCORES:
        _SCORES[ch] = tuple(_cjk_score(ch, system) for system in WRITING_SYSTEMS)
    return _SCORES[ch]


def _cjk_score(ch: str, system: str) -> float:
    """Plausibility of a kana, hangul or Han character in text of writing ``system``."""
    code = ord(ch)
    if _is_kana(code):
        return 1.0 if system == "ja" else 0.2
    if 0xAC00 <= code <= 0xD7AF:
        return (1.0 if ch in common_hangul() else 0.5) if system == "ko" else 0.1
    first, known = han_levels().get(system, (frozenset(), frozenset()))
    return 1.0 if ch in first else 0.5 if ch in known else 0.1


_KINDS: dict[str, tuple[str, float, str | None]] = {}  # per character, filled as characters are met


def _character_kind(ch: str) -> tuple[str, float, str | None]:
    """(kind, neutral score, script family): what plausibility() needs to know of a character."""
    if ch not in _KINDS:
        code = ord(ch)
        if ch < "\x80":
            kind = "control" if ch < " " and ch not in "\t\n\r\x0c" else "letter" if ch.isalpha() else "ascii"
            _KINDS[ch] = (kind, 0.0, None)
        elif _is_kana(code) or 0xAC00 <= code <= 0xD7AF or _is_han(ch):
            _KINDS[ch] = ("cjk", 0.0, None)
        else:
            _KINDS[ch] = ("neutral", *neutral_score(ch))
    return _KINDS[ch]


def case_mark(ch: str) -> str:
    """a: an ASCII letter; l, U: a small or capital Greek or Cyrillic letter; f: final sigma."""
    if not ch.isalpha():
        return " "
    if ch < "\x80":
        return "a"
    if ch == "ς":
        return "f"  # it ends words
    if not "\u0370" <= ch <= "\u04ff":
        return " "
    return "U" if ch.isupper() else "l" if ch.islower() else " "


_CASES = CharacterMap(case_mark)


OUT_OF_PLACE = ("lU", "fl", "fU", "al", "aU", "af", "la", "Ua", "fa")


def code_page_penalty(text: str) -> float:
    """What to take off the plausibility of a single-byte reading with Greek or Cyrillic letters
    (0 without them), for its letters out of place and for a majority of capitals.

    Out of place: a capital after a small letter inside a word, a word going on after a final
    sigma, a word mixing them with ASCII letters. Writing hardly does any of it; a single-byte
    text read with another code page does in every other word: Greek read as Cyrillic cp1251
    turns accented vowels into capitals ("еллзнйкЮ"), Russian KOI8-R and cp1251 swap the cases
    (and running text is written mostly in small letters), Russian read as Greek puts ς inside
    words ("θνξρςπΰννϋυ"), French read as Greek puts Greek letters in its words ("ministθre").
    Only for single-byte readings: a real text may hold a Cyrillic homoglyph inside a Latin word
    ("Stаlin"), which a wrong single-byte reading does everywhere."""
    return marks_penalty(text.translate(_CASES))


def marks_penalty(marks: str) -> float:
    """code_page_penalty() of a text whose characters are replaced by their case_mark()."""
    capitals = marks.count("U")
    letters = capitals + marks.count("l") + marks.count("f")
    if not letters:
        return 0.0
    out_of_place = sum(marks.count(pair) for pair in OUT_OF_PLACE)
    return 2 * out_of_place / letters + 0.2 * max(0.0, capitals / letters - 0.5)


def plausibility(text: str) -> float:
    """0..1: how much ``text`` reads like writing, judged on its non-ASCII characters.

    Each writing system (simplified and traditional Chinese, Japanese, Korean, alphabets)
    is tried as a hypothesis and the best one counts: real text is consistent with one of
    them, a wrong decoding mixes common and rare characters of all of them. ftfy's count
    of mojibake-looking sequences is subtracted.
    """
    return Plausibility(text).score()


class Plausibility:
    """plausibility() in two steps: everything but ftfy's badness first, which gives a bound
    (badness only lowers the score), then the score. The decoder ranks its candidates by their
    bounds and counts badness (the costliest step on a wrong decoding, whose mojibake-looking
    characters are everywhere) only for those that can still be best or runner-up."""

    def __init__(self, text: str, code_page: tuple[bytes, str] | None = None):
        """``code_page``: the bytes the text was read from in a single-byte code page, and the
        character each byte reads as (they are counted instead of its characters)."""
        self.text = text
        counted = _CountedByCode(text, code_page)
        self.codes = None if code_page else counted.codes  # a text's code points, for badness to reuse
        self.total, self.before_badness, self.latin_factor = _before_badness(text, counted)

    def bound(self) -> float:
        """The score if ftfy found no mojibake-looking sequence: never below score()."""
        return max(0.0, self.before_badness * self.latin_factor)

    def needs_badness(self) -> bool:
        """Whether counting mojibake-looking sequences could still lower the score."""
        return self.total > 0 and self.before_badness > 0  # else nothing badness could lower further

    def zeroing_badness(self) -> float:
        """The count of mojibake-looking sequences at which the score is 0, whatever more there are."""
        return self.before_badness * self.total

    def score(self, badness_count: int | None = None) -> float:
        """The score; given a lower bound of ftfy's count instead of the count, a bound of it."""
        if not self.needs_badness():
            return self.bound()
        found = badness(self.text, self.codes) if badness_count is None else badness_count
        return max(0.0, (self.before_badness - found / self.total) * self.latin_factor)


# What a character counts for in plausibility() (its kind, score, script family and, for a
# CJK one, its score in each writing system), as one symbol: characters that count alike are
# summed together, and only the few symbols are looked at in Python. Scores are multiples of
# 1/20, kept as whole twentieths: sums are exact, whatever their order.
_PARTS: list[tuple[str, int, str | None, tuple[int, ...]]] = []
_SYMBOL_OF_PART: dict[tuple, str] = {}
TWENTIETHS = 20


def _twentieths(score: float) -> int:
    return round(score * TWENTIETHS)


def _part_symbol(ch: str) -> str:
    kind, score, family = _character_kind(ch)
    cjk_scores = tuple(map(_twentieths, _cjk_scores(ch))) if kind == "cjk" else ()
    return _symbol_of_part((kind, _twentieths(score), family, cjk_scores))


def _symbol_of_part(part: tuple[str, int, str | None, tuple[int, ...]]) -> str:
    if part not in _SYMBOL_OF_PART:
        _SYMBOL_OF_PART[part] = chr(len(_PARTS))
        _PARTS.append(part)
    return _SYMBOL_OF_PART[part]


class _SymbolOf(dict):
    """The symbol of each character (_part_symbol), kept as characters are met."""

    def __missing__(self, ch: str) -> str:
        self[ch] = symbol = _part_symbol(ch)
        return symbol


_SYMBOL_OF = _SymbolOf()


# --- the parts of a whole text counted at once ---------------------------------------------
# Each code point's part (its index in _PARTS), for numpy to look a text's characters up all
# at once and count them by part (a Counter of the characters takes a Python object per
# character: ten times longer on a reading full of CJK characters, such as UTF-16's).
_UNKNOWN = 0xFFFF  # a code point not met yet
_PART_OF = numpy.full(0x110000, _UNKNOWN, numpy.uint16)
# Parts are learnt by one thread at a time (Dask's worker threads, the OCR threads): two
# threads numbering new parts at once could give two parts one symbol. Readers need no lock:
# a code point's entry is written once, after its part is in _PARTS, and one read as unknown
# is looked up again under the lock.
_LEARNING = threading.Lock()


def _learn_parts(codes: numpy.ndarray) -> None:
    """Enter the parts of characters not met before in _PART_OF: every CJK one at once when
    the first is met (a wrong reading, UTF-16's above all, meets thousands of them, and the
    next document thousands more), the others one at a time."""
    with _LEARNING:
        unknown = numpy.unique(codes)
        unknown = unknown[_PART_OF.take(unknown) == _UNKNOWN]  # another thread may have learnt some
        _learn_unknown_parts(unknown)


def _learn_unknown_parts(unknown: numpy.ndarray) -> None:
    """_learn_parts() of distinct code points not in _PART_OF yet, under _LEARNING."""
    cjk = _is_cjk_code(unknown)
    if cjk.any():  # no CJK code point unknown once every one is learnt
        _learn_every_cjk_part()
    unwritten = _is_private_or_surrogate(unknown)
    if unwritten.any():  # what neutral_score() scores 0 by their category, with no family
        _PART_OF[unknown[unwritten]] = ord(_symbol_of_part(("neutral", 0, None, ())))
    others = unknown[~(cjk | unwritten)].tolist()
    _PART_OF[others] = [ord(_SYMBOL_OF[chr(code)]) for code in others]
    assert len(_PARTS) < _UNKNOWN


def _is_private_or_surrogate(codes: numpy.ndarray) -> numpy.ndarray:
    """Which code points are surrogates or for private use (Unicode's categories Cs and Co,
    fixed for these ranges by its stability policy; the last two of each supplementary
    private use plane are noncharacters, Cn), all at once: a wrong UTF-16 reading meets many."""
    return (codes >= 0xD800) & (codes <= 0xF8FF) | (codes >= 0xF0000)


def _is_cjk_code(codes: numpy.ndarray) -> numpy.ndarray:
    """Which code points _character_kind() calls "cjk" (kana, hangul, Han), all at once."""
    def within(low: int, high: int) -> numpy.ndarray:
        return (codes >= low) & (codes <= high)
    kana = within(0x3041, 0x30FA) | within(0x30FC, 0x30FE)
    han = within(0x4E00, 0x9FFF) | within(0x3400, 0x4DBF) | within(0x20000, 0x3FFFF) | within(0xF900, 0xFAFF)
    return kana | within(0xAC00, 0xD7AF) | han


@functools.cache
def _bmp_cjk_twentieths() -> numpy.ndarray:
    """Per Basic Multilingual Plane code point of a kana, hangul or Han character, its
    _cjk_score() in each writing system, in twentieths, packed a byte each (the first system in
    the lowest byte). Han characters beyond the plane are in no standard's levels: 0.1 in each."""
    low = _twentieths(0.1)
    rows = numpy.full((0x10000, len(WRITING_SYSTEMS)), low, numpy.uint32)
    codes = numpy.arange(0x10000)
    rows[(codes >= 0x3041) & (codes <= 0x30FA) | (codes >= 0x30FC) & (codes <= 0x30FE)] = [
        _twentieths(1.0 if system == "ja" else 0.2) for system in WRITING_SYSTEMS]
    hangul = numpy.arange(0xAC00, 0xD7B0)
    ko = WRITING_SYSTEMS.index("ko")
    rows[hangul, ko] = _twentieths(0.5)
    rows[_codes_of(common_hangul()), ko] = _twentieths(1.0)
    for index, system in enumerate(WRITING_SYSTEMS):
        first, known = han_levels().get(system, (frozenset(), frozenset()))
        rows[_codes_of(known), index] = _twentieths(0.5)
        rows[_codes_of(first), index] = _twentieths(1.0)
    return sum(rows[:, index] << (8 * index) for index in range(len(WRITING_SYSTEMS)))


def _codes_of(characters: frozenset[str]) -> numpy.ndarray:
    codes = code_points("".join(characters))
    assert (codes < 0x10000).all()  # the standards' characters are all in the Basic Multilingual Plane
    return codes


def _learn_every_cjk_part() -> None:
    """_learn_cjk_parts() of every kana, hangul and Han code point (under _LEARNING)."""
    _learn_cjk_parts(numpy.flatnonzero(_is_cjk_code(numpy.arange(0x40000))))


def _learn_cjk_parts(codes: numpy.ndarray) -> None:
    """_learn_parts() of kana, hangul and Han code points: their scores looked up all at once,
    a part entered for each distinct set of scores."""
    beyond = _twentieths(0.1) * sum(1 << (8 * index) for index in range(len(WRITING_SYSTEMS)))
    packed = numpy.where(codes < 0x10000, _bmp_cjk_twentieths().take(numpy.minimum(codes, 0xFFFF)), beyond)
    distinct = numpy.unique(packed)
    symbols = [ord(_symbol_of_part(("cjk", 0, None, tuple((key >> (8 * index)) & 0xFF
                                                           for index in range(len(WRITING_SYSTEMS))))))
               for key in distinct.tolist()]
    _PART_OF[codes] = numpy.array(symbols, numpy.uint16).take(numpy.searchsorted(distinct, packed))


@functools.cache
def _code_page_parts(characters: str) -> numpy.ndarray:
    """The part of each byte's character in a single-byte code page whose byte b reads as ``characters[b]``."""
    _CountedByCode(characters)  # every character's part entered in _PART_OF
    return _PART_OF.take(code_points(characters))


@functools.lru_cache(maxsize=1)  # the single-byte readings of one sample are made one after the other
def _byte_counts(data: bytes) -> numpy.ndarray:
    """How many times each byte value is in ``data``."""
    return numpy.bincount(numpy.frombuffer(data, numpy.uint8), minlength=256)


# What spaces between hanzi and CJK characters beside letters are looked for by, per code
# point: a CJK character (kana, CJK ideographs and extension A, hangul syllables), an ASCII
# letter, a hanzi (the unified ideographs' main block), a space.
CJK, ASCII_LETTER, HAN, SPACE = 1, 2, 4, 8
_FLAGS: numpy.ndarray | None = None


def _flags(codes: numpy.ndarray) -> numpy.ndarray:
    """The flags of each code point."""
    global _FLAGS
    if _FLAGS is None:
        _FLAGS = numpy.zeros(0x110000, numpy.uint8)
        for low, high in ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF)):
            _FLAGS[low:high + 1] |= CJK
        _FLAGS[ord("A"):ord("Z") + 1] |= ASCII_LETTER
        _FLAGS[ord("a"):ord("z") + 1] |= ASCII_LETTER
        _FLAGS[0x4E00:0x9FFF + 1] |= HAN
        _FLAGS[ord(" ")] |= SPACE
    return _FLAGS.take(codes)


class _CountedByCode:
    """The parts of a text counted by numpy from its code points (see _PART_OF), and what
    plausibility looks for in it (CJK characters beside letters, spaces between hanzi)
    looked for in them, all positions at once. A single-byte code page's reading is counted
    from its bytes (``code_page``: the bytes, and the character each byte reads as)."""

    def __init__(self, text: str, code_page: tuple[bytes, str] | None = None):
        self.text, self.code_page = text, code_page
        if code_page is not None:
            self._codes: numpy.ndarray | None = None  # looked up only if asked for
            self._parts: numpy.ndarray | None = None
            # each byte's part counted as many times as the byte is there: the bytes are
            # counted once for every code page that reads them
            counts = numpy.bincount(_code_page_parts(code_page[1]), _byte_counts(code_page[0])).astype(numpy.int64)
        else:
            self._codes = codes = code_points(text)
            counts = numpy.bincount(parts := _PART_OF.take(codes))
            if len(counts) > _UNKNOWN:  # characters not met before
                _learn_parts(codes[parts == _UNKNOWN])
                counts = numpy.bincount(parts := _PART_OF.take(codes))
            self._parts = parts
        present = counts.nonzero()[0]
        self.per_part = dict(zip(present.tolist(), counts[present].tolist()))

    @property
    def parts(self) -> numpy.ndarray:
        """The part of each character of the text."""
        if self._parts is None:
            self._parts = _code_page_parts(self.code_page[1]).take(numpy.frombuffer(self.code_page[0], numpy.uint8))
        return self._parts

    @property
    def codes(self) -> numpy.ndarray:
        """The text's code points."""
        if self._codes is None:
            data, characters = self.code_page
            self._codes = code_points(characters).take(numpy.frombuffer(data, numpy.uint8))
        return self._codes

    def first_met(self, families: list[str]) -> str:
        """Of ``families``, the one whose first character comes first."""
        def first(family: str) -> int:
            members = [part for part in self.per_part if _family(_PARTS[part]) == family]
            return int(numpy.isin(self.parts, members).argmax())
        return min(families, key=first)

    @functools.cached_property
    def _flags(self) -> numpy.ndarray:
        return _flags(self.codes)

    def spaced_han(self) -> int:
        """How many spaces have a hanzi on either side."""
        if " " not in self.text:  # found in C at once: a wrong reading's text often has none
            return 0
        flags = self._flags
        spaces = numpy.flatnonzero(flags[1:-1] & SPACE) + 1
        return int(numpy.count_nonzero(flags[spaces - 1] & flags[spaces + 1] & HAN))

    def lone_cjk(self) -> int:
        """How many CJK characters stand alone beside an ASCII letter: no CJK neighbour and an
        ASCII letter on either side (a letter before and no CJK after, or no CJK before and a
        letter after)."""
        nothing = numpy.zeros(1, numpy.uint8)  # beyond either end
        flags = numpy.concatenate((nothing, self._flags, nothing))
        cjk = numpy.flatnonzero(self._flags & CJK) + 1
        before, after = flags[cjk - 1], flags[cjk + 1]
        lone = (((before & ASCII_LETTER) != 0) & ((after & CJK) == 0)) | (
            ((before & CJK) == 0) & ((after & ASCII_LETTER) != 0))
        return int(numpy.count_nonzero(lone))


def _family(part: tuple[str, int, str | None, tuple[int, ...]]) -> str | None:
    """The script family a character of this part counts for (CJK characters: "cjk")."""
    return "cjk" if part[0] == "cjk" else part[2]


def _first_most_common(families: Counter[str], counted: _CountedByCode) -> str:
    """The family with the most letters; of several, the first the text meets."""
    most = max(families.values())
    tied = [family for family, n in families.items() if n == most]
    return counted.first_met(tied) if len(tied) > 1 else tied[0]


def _before_badness(text: str, counted: _CountedByCode) -> tuple[int, float, float]:
    """(non-ASCII characters, score before badness, factor for dense accented Latin) of the text
    whose characters are ``counted``."""
    per_part = counted.per_part
    neutral_sum = 0  # in twentieths, as the totals in each writing system
    cjk_totals = [0] * len(WRITING_SYSTEMS)
    families: Counter[str] = Counter()
    total = ascii_letters = controls = 0
    for part, n in per_part.items():
        kind, score, family, cjk_scores = _PARTS[part]
        if kind == "control":
            controls += n
        elif kind == "letter":
            ascii_letters += n
        elif kind == "cjk":
            total += n
            for index, system_score in enumerate(cjk_scores):
                cjk_totals[index] += system_score * n
            families["cjk"] += n
        elif kind == "neutral":
            total += n
            neutral_sum += score * n
            if family:
                families[family] += n
    control_penalty = 5 * controls / max(1, len(text))  # a few stray controls: salvageable text
    if total == 0:
        return 0, 1.0 - control_penalty, 1.0
    cjk_best = 0
    if families["cjk"]:
        # Chinese and Japanese do not put spaces between words; Korean does. Korean read as
        # GBK gives common hanzi too, but separated by spaces.
        spaced = TWENTIETHS * counted.spaced_han()
        cjk_best = max(total - (0 if system == "ko" else spaced) for system, total in zip(WRITING_SYSTEMS, cjk_totals))
        # No writing system glues a lone CJK character to a Latin word ("gar챌on", "展e"):
        # that is what accented letters or curly quotes look like through an East Asian codec.
        if ascii_letters:  # none without an ASCII letter
            cjk_best -= 2 * TWENTIETHS * counted.lone_cjk()
    score = (neutral_sum + cjk_best) / (TWENTIETHS * total)
    lettered = sum(families.values())
    if lettered:
        score *= 0.5 + 0.5 * max(families.values()) / lettered  # one script, not a mixture
    score -= control_penalty
    factor = 1.0
    if families and _first_most_common(families, counted) == "latin":
        # In European writing accented letters are a minority inside ASCII words; a dense
        # run of them is what a CJK or UTF-8 byte stream looks like through a Latin codec.
        density = families["latin"] / (families["latin"] + ascii_letters)
        if density > 0.25:
            factor = 0.25 / density
    return total, score, factor


# --- whether a text nobody sees reads as writing ------------------------------------------
# A PDF's hidden text layer (render mode 3, as OCR'd PDFs carry it) is seen by no reader of
# the page: when it is garbage (random letters, a font's glyph numbers taken for letters,
# characters of every block) nothing shows it until it is an edition. It is taken only when
# it reads as text: plausible as above, and its words words.

# What a word of an alphabet cannot do without, its accents taken off (Latin, Greek,
# Cyrillic). Abjads (Arabic, Hebrew) and the scripts plausibility does not know are not
# judged by vowels, nor is anything without spaces between words.
VOWELS = frozenset("aeiouy" "αεηιουω" "аеиоуыэюяёіїєў")
ALPHABETS = ("LATIN", "GREEK", "CYRILLIC")
WORD = re.compile(r"[^\W\d_]{3,}")
MIN_WORDS_JUDGED = 8  # fewer words say nothing either way
# Of a page's words, the share that has no vowel or runs five consonants together: real OCR
# output at most 0.17 (100 pages of Grenzboten and Hobbes by ABBYY and Tesseract, 30 of
# Swete's Greek and Arnobius's Latin), letters drawn at random 0.33-0.47 (consonants alone, 1).
MAX_NOISY_WORDS = 0.25
MIN_PLAUSIBILITY = 0.5  # below, a mixture of scripts and rare characters (plausibility())
ONE_SCRIPT = 0.9  # of the letters of a script plausibility does not know: one script's


def _unaccented(word: str) -> str:
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in word.lower())


def _noisy(word: str) -> bool:
    bare = _unaccented(word)
    return not any(ch in VOWELS for ch in bare) or re.search(r"[^" + "".join(VOWELS) + "]{5}", bare) is not None


def noisy_word_share(text: str) -> float | None:
    """Of the words of ``text`` in the Latin, Greek or Cyrillic alphabet (three letters or
    more; short capitals, abbreviations, left out), the share that forms no word: no vowel,
    or five consonants in a row. None when fewer than MIN_WORDS_JUDGED are there to judge."""
    words = [w for w in WORD.findall(text) if not (w.isupper() and len(w) <= 5)
             and all(unicodedata.name(ch, "").startswith(ALPHABETS) for ch in w)]
    if len(words) < MIN_WORDS_JUDGED:
        return None
    return sum(map(_noisy, words)) / len(words)


def _one_unknown_script(text: str) -> bool:
    """Most letters of ``text`` belong to one script plausibility() does not know (Arabic,
    Hebrew, Devanagari, Armenian…), which it scores low whatever they say."""
    scripts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha() and not ch.isascii() and _character_kind(ch)[0] != "cjk":
            scripts[unicodedata.name(ch, "?").split()[0]] += 1
    if not scripts:
        return False
    script, count = scripts.most_common(1)[0]
    letters = sum(ch.isalpha() and not ch.isascii() for ch in text)
    return script not in ALPHABETS and count >= ONE_SCRIPT * letters


def reads_as_text(text: str) -> str | None:
    """None when ``text`` reads as writing; else why not, in a few words."""
    share = noisy_word_share(text)
    if share is not None and share > MAX_NOISY_WORDS:
        return f"{share:.0%} of its words have no vowel or five consonants in a row"
    score = plausibility(text)
    if score < MIN_PLAUSIBILITY and not _one_unknown_script(text):
        return f"its characters are a mixture no writing uses (plausibility {score:.2f})"
    return None
