"""The shape of a text's lines, which the stages share: where a sentence ends, what a rule, a
heading or a title looks like, how long a full line is, how often the document writes a word, a
line reduced to its letters (the same running head on every page whatever its number), the
scripts its letters are in, the spaces an OCR engine sets between Chinese characters.

Everything here works from shape, punctuation and the document's own statistics, never from
the words of a particular document. Plain functions: no stage of its own. Stages import them
from here, never from a stage that runs after them (tests/test_architecture.py).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

from pipeline.charmap import CharacterMap
from pipeline.charmap import code_points as charmap_code_points
from pipeline.hyphens import LINE_END_HYPHENS
from pipeline.model import Document
from pipeline.numerals import NUMERAL, numeral_value

INDENTS = tuple(" \t\u3000\u00a0")  # the spaces an indented line begins with (ideographic, no-break too)
SENTENCE_END = tuple(".!?;,:。！？；，：、…")
# What ends a sentence (or a quotation, or a clause a new paragraph may follow).
TERMINAL = frozenset("。！？；：…」』）)】〕\"”’.!?;:]")
BULLETS = tuple("*•·-–—")
BULLETS_WITH_SPACE = tuple(f"{b} " for b in "*•·▪◦")
# Sentence breaks inside a line: a full stop (CJK or Latin, the latter before a capital).
# A CJK comma may stand in a heading ("維護民主的和平，反對侵略的戰爭").
INSIDE_SENTENCES = re.compile(r"[。！？；]|[.!?;] +[A-Z]")
# Whitespace that is layout. Form feeds and vertical tabs are not: they are page
# separators in OCR exports and characters XML cannot carry, so they stay inside blocks.
SPACE = " \t\n\r\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"


@dataclass
class Line:
    """A line of the text: where it starts and ends, and its text."""
    start: int
    end: int  # exclusive, before the newline
    text: str

    @property
    def blank(self) -> bool:
        """Whether the line holds only layout whitespace."""
        return not self.text.strip(SPACE)

    @property
    def indented(self) -> bool:
        """Whether the line begins with spaces (ideographic and no-break ones too)."""
        return self.text.startswith(INDENTS)


# A horizontal rule: HTML's <hr/> or a line of dashes, underscores, equals signs or stars.
RULE_LINE = re.compile(r"^(?:<hr\s*/?>|[-_=*]{3,})$", re.I)
# An editorial omission on a line of its own ("[…]") stands between paragraphs.
OMISSION = r"\[(?:…|\.\.\.|\. \. \.)\]"
OMISSION_LINE = re.compile(f"^{OMISSION}$")
PAGE_SEPARATOR = "\f"  # form feed: how OCR exports separate pages; a line of its own here
# A printed rule as OCR reads it: dashes and specks, hardly a letter ("--—-.. . —- —-----q-—-·", "——·")
RULE_MARKS = "-‐‑‒–—―_=*~·"
RULE_LETTERS = 0.25  # at most this share of a rule's marks read as letters or digits
RULE_REASON = ("a printed rule on a line of its own (dashes; OCR reads one as dashes and specks): layout "
               "between pieces, not text")


def is_rule_line(text: str) -> bool:
    """A horizontal rule on a line of its own: HTML's <hr/>, three dashes, underscores, equals
    signs or stars, or a printed rule as OCR reads it (at least half its marks dashes, at most
    a quarter letters or digits: a page number between dashes, "— 3 —", is none). It begins
    with a mark: most lines are done with at their first character.

    >>> is_rule_line("<hr/>"), is_rule_line("--—-.. . —- —-----q-—-·"), is_rule_line("— 3 —"), is_rule_line("Text")
    (True, True, False, False)
    """
    stripped = text.strip(SPACE)
    if not stripped or stripped[0].isalnum():
        return False
    if RULE_LINE.match(stripped):
        return True
    marks = "".join(text.split())
    dashes = sum(ch in RULE_MARKS for ch in marks)
    return dashes >= max(1, len(marks) / 2) and sum(ch.isalnum() for ch in marks) <= RULE_LETTERS * len(marks)


def word_counts(text: str, word: re.Pattern, chunk: int = 1 << 16, lower: bool = True) -> Counter[str]:
    """How often each word (lower-cased, unless ``lower`` is False) occurs. Counted a stretch
    of lines at a time: the list of every word of a big book would weigh ten times the book.
    ``word`` must not match across a line end."""
    counts: Counter[str] = Counter()
    start = 0
    while start < len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end == -1 else end + 1
        found = word.findall(text, start, end)
        counts.update(map(str.lower, found) if lower else found)
        start = end
    return counts


def word_counts_once(cache: dict, text: str, word: re.Pattern, lower: bool = True) -> Counter[str]:
    """``word_counts``, counted the first time a rule asks and kept in ``cache`` (a document's
    scratch: ``document`` for the whole run, ``stage`` for one stage)."""
    key = f"word counts {word.pattern} {lower}"
    if key not in cache:
        cache[key] = word_counts(text, word, lower=lower)
    return cache[key]


def split_lines(text: str) -> list[Line]:
    """Lines of the text; a form feed is a line of its own wherever it stands."""
    lines, start = [], 0
    if PAGE_SEPARATOR not in text:  # most texts: one line per newline, nothing to look into
        for raw in text.split("\n"):
            end = start + len(raw)
            lines.append(Line(start, end, raw))
            start = end + 1
        return lines
    for raw in text.split("\n"):
        position = start
        for index, piece in enumerate(raw.split(PAGE_SEPARATOR)):
            if index:
                lines.append(Line(position, position + 1, PAGE_SEPARATOR))
                position += 1
            if piece or index == 0:
                lines.append(Line(position, position + len(piece), piece))
            position += len(piece)
        start += len(raw) + 1
    return lines


def is_rule_block(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a block: no blank around it) is a rule on a line of its own.
    The cheap tests before the block is copied: a rule begins with a mark and holds no line break."""
    return end > start and not text[start].isalnum() and text.find("\n", start, end) < 0 \
        and is_rule_line(text[start:end])


def mostly_words(text: str) -> bool:
    """At least half the line's marks are letters or digits."""
    marks = "".join(text.split())
    return sum(map(str.isalnum, marks)) >= len(marks) / 2


def typical_line_length(lines: list[Line]) -> int:
    """The median length of the text's lines: how long a full printed line is."""
    # each line stripped once, its length kept unless none is left (a blank line)
    lengths = sorted([length for line in lines if (length := len(line.text.strip(SPACE)))])
    return lengths[len(lengths) // 2] if lengths else 0


_SPACE_OR_INVISIBLE = SPACE + "\ufeff\u200b\u2060"


def ends_sentence(text: str) -> bool:
    """The line's last mark ends a sentence, a quotation or a clause (spaces and invisible
    characters after it do not count).

    >>> ends_sentence("Er ging."), ends_sentence("他走了。」 "), ends_sentence("und dann")
    (True, True, False)
    """
    stripped = text.rstrip(_SPACE_OR_INVISIBLE)
    return bool(stripped) and stripped[-1] in TERMINAL


# A paragraph's last line stops before this share of a full line (where the OCR garbled its full stop,
# the line's length still says the paragraph ended).
SHORT_LAST_LINE = 0.7
CLOSING_RULE = re.compile(r"(?:[.!?:]\W*[-—–_]+|[-—–_]{3,}|[-—–_]\s*[-—–_]\s*[-—–_]|[.!?:]\s*[^\w\s]{1,2})$")
LETTERS_WORD = re.compile(r"[^\W\d_]+")
# A word inside a sentence: after a word and a space, or a word, a comma and a space. The
# pattern starts at the space (what stands before it is looked at behind it) and captures the
# word: the regex engine skips from space to space instead of trying lookbehinds everywhere.
MID_SENTENCE_WORD = re.compile(r" (?:(?<=[^\W\d_] )|(?<=[^\W\d_], ))([^\W\d_]+)")
SENTENCE_OPENER_MIN = 3  # times the document writes the word in lower case inside sentences
SENTENCE_OPENER_SHARE = 0.02  # at most this share of them capitalized there (titles cited, OCR noise)


def opens_sentence(doc: Document, position: int) -> bool:
    """The word at ``position`` is capitalized although inside sentences the document writes
    it in lower case ("Aber", "The", "Jene"): a sentence begins here, whatever the OCR left of
    the full stop before it. Nouns in German, names and words German capitalizes as nouns
    ("zum Nachtheile Anderer") are capitalized inside sentences too: no evidence."""
    match = LETTERS_WORD.match(doc.text, position)
    if match is None:
        return False
    word = match.group()
    if not (word[:1].isupper() and word[1:].islower()):
        return False
    counts = word_counts_once(doc.scratch.document, doc.text, MID_SENTENCE_WORD, lower=False)
    lower = counts[word.lower()]
    return lower >= SENTENCE_OPENER_MIN and counts[word] <= SENTENCE_OPENER_SHARE * lower


def ends_broken_word(text: str) -> bool:
    """The text stops on a word broken by a hyphen ("Flüs-", "Reichs⸗"): it goes on in what follows."""
    text = text.rstrip(SPACE)
    return len(text) > 1 and text[-1] in LINE_END_HYPHENS and text[-2].isalpha()


def begins_sentence_after(doc: Document, text_before: str, position: int) -> bool:
    """A sentence begins at ``position`` (see opens_sentence), unless the text before it stops
    on a broken word, which the word at ``position`` completes however the OCR read it."""
    return not ends_broken_word(text_before) and opens_sentence(doc, position)


def ends_text(text: str) -> bool:
    """A sentence ends here, or a piece ends with a rule or a dash after its full stop
    (an article's signature "P.—", a line of dashes)."""
    return ends_sentence(text) or bool(CLOSING_RULE.search(text.rstrip()))


RUNS_ON_CHARS = 20  # the least of a sentence's continuation


def runs_on_into(text: str, following: str) -> bool:
    """A line written as a sentence (in lower case, not capitals) that stops on a word and
    whose next block goes on in lower case: one sentence the text split with a blank line,
    not a heading above a paragraph. A next block that is itself one short line (a byline
    "von Goethe", "by the author") or a word ("gehörig." under a stamp's lines) does not go on
    the sentence; a running head in capitals stands above the continuation of the page before.
    A word broken by a hyphen at the line's end goes on in the next block, however short."""
    following = following.lstrip(SPACE)
    if ends_broken_word(text) and following[:1].islower():
        return True
    return (not ends_sentence(text) and any(map(str.islower, text)) and following[:1].islower()
            and len(following) >= RUNS_ON_CHARS and not is_heading_shaped(following))


WIDE = re.compile("[\u2e81-\U0010ffff]")  # East Asian and beyond: a heading of them is short


def is_heading_shaped(text: str) -> bool:
    """One short line without sentence-final punctuation."""
    if not text or len(text) > 120 or "\n" in text or PAGE_SEPARATOR in text or text.startswith(BULLETS) \
            or text.endswith(SENTENCE_END):
        return False
    if INSIDE_SENTENCES.search(text):  # a line that holds sentences is a paragraph (or part of one)
        return False
    if not text.isascii() and len(WIDE.findall(text)) > len(text) / 2:  # (ASCII holds no wide character)
        return len(text) <= 40
    return len(text) <= 120 and len(text.split()) <= 16


# A word: two letters in a row, or one ideograph (Chinese writes a title of one: 序, 跋)
WORD = re.compile(r"[^\W\d_]{2}|[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


_AROUND_A_TITLE = SPACE + "[](){}.,;:-–—|/\\*'\""


def is_title_text(text: str) -> bool:
    """Whether a line can name a document: it holds a word and is no numeral. A page number
    the OCR misread (``4]``, ``O``, ``xii``) names nothing.

    >>> is_title_text("Leviathan"), is_title_text("序"), is_title_text("4]"), is_title_text("xii")
    (True, True, False, False)
    """
    stripped = text.strip(_AROUND_A_TITLE)
    return bool(WORD.search(stripped)) and not NUMERAL.fullmatch(stripped)


# A heading that is only a unit number ("第一章", "Chapter 4", "PART II"): its title follows.
UNIT_ONLY = re.compile(
    r"^(第[〇零一二三四五六七八九十百千\d]+[章節节回篇部卷編编講讲]|(?i:chapter|part|book|section)\s+[\divxlcdm]+\.?)$")


UNIT = re.compile(r"^第[〇零一二三四五六七八九十百千\d]+(?P<unit>[章節节回篇部卷編编講讲])"
                  r"|^(?P<word>(?i:chapter|part|book|section))\s+[\divxlcdm]+")


NUMBER_SURROUNDINGS = SPACE + "()[]{}.,;:-–—|*'\"·"


def number_alone(text: str) -> int | None:
    """The value of a line that is a number and nothing else (``20``, ``XII``, ``四``; ``4O``,
    a short number the OCR misread), else None.

    >>> number_alone("20"), number_alone("(XII)"), number_alone("4O"), number_alone("Von")
    (20, 12, 40, None)
    """
    stripped = text.strip(NUMBER_SURROUNDINGS)
    if NUMERAL.fullmatch(stripped):
        return numeral_value(stripped)
    read = stripped.translate(OCR_DIGITS)
    if len(stripped) <= 4 and any(ch.isdigit() for ch in stripped) and read.isascii() and read.isdecimal():
        return int(read)
    return None


# Spaces, digits, punctuation and symbols deleted
_KEY_TABLE = CharacterMap(lambda ch: None if ch.isspace() or ch.isdigit()
                          or unicodedata.category(ch)[0] in "PSZ" else ch)


def text_key(text: str) -> str:
    """A line reduced to its letters: no spaces, digits, punctuation or symbols, so that the
    same running head matches across pages whatever its page number.

    >>> text_key("— 12 —  Die Grenzboten."), text_key("Die Grenzboten. 13")
    ('DieGrenzboten', 'DieGrenzboten')
    """
    return text.translate(_KEY_TABLE)


SIMILAR_MIN_CHARS = 6  # SimilarTo compares shorter keys by equality (a ratio of so few characters says little)


class SimilarTo:
    """Whether a key is ``other`` read again by OCR (difflib's ratio at least ``threshold``).
    Made once for many keys: difflib learns the second sequence once and keeps it (its own
    advice for comparing one sequence with many)."""

    def __init__(self, other: str, threshold: float):
        self.other, self.threshold = other, threshold
        self.matcher: difflib.SequenceMatcher | None = None  # (made for the first key whose length may match)

    def __call__(self, key: str) -> bool:
        shorter, other = min(len(key), len(self.other)), self.other
        if shorter < SIMILAR_MIN_CHARS:
            return key == other
        threshold = self.threshold
        # difflib's cheap upper bounds first, as it advises: its real_quick_ratio (the lengths) before a matcher
        if 2.0 * shorter / (len(key) + len(other)) < threshold:
            return False
        if self.matcher is None:
            self.matcher = difflib.SequenceMatcher(b=other)
        matcher = self.matcher
        matcher.set_seq1(key)
        return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


# What OCR makes of digits: IZ for 13, l8 for 18, « for 8.
OCR_DIGITS = str.maketrans({"I": "1", "l": "1", "|": "1", "i": "1", "Z": "2", "z": "2", "O": "0", "o": "0",
                            "S": "5", "s": "5", "B": "8", "«": "8", "g": "9", "b": "6", "G": "6", "&": "8"})


# Which scripts a text's letters are in: each family's code points as inclusive ranges (the
# table script_count_table reads is filled from them, the patterns are written from them)
SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF)),
    "hangul": ((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F)),
    "han": ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x3FFFF), (0xF900, 0xFAFF), (0x3007, 0x3007)),
    "latin": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF)),
    "cyrillic": ((0x400, 0x4FF),),
    "greek": ((0x370, 0x3FF), (0x1F00, 0x1FFF)),
    "arabic": ((0x600, 0x6FF),),
    "hebrew": ((0x590, 0x5FF),),
}
SCRIPT_PATTERNS = {name: re.compile("[" + "".join(f"\\U{first:08X}-\\U{last:08X}" for first, last in ranges) + "]")
                   for name, ranges in SCRIPT_RANGES.items()}

_NOT_ASCII_LETTERS = bytes(code for code in range(256) if not chr(code).isascii() or not chr(code).isalpha())


def script_counts(text: str) -> dict[str, int]:
    """Letters per script family (families without letters left out, the rest in the order of
    SCRIPT_PATTERNS): each code point's family looked up in :func:`script_count_table`'s table
    and counted, in numpy; an ASCII text's letters counted by deleting the rest of its bytes."""
    if text.isascii():
        letters = len(text.encode("ascii").translate(None, _NOT_ASCII_LETTERS))
        return {"latin": letters} if letters else {}
    counts = np.bincount(_script_table()[charmap_code_points(text)], minlength=len(SCRIPT_PATTERNS) + 1)
    return {name: letters for name, letters in zip(SCRIPT_PATTERNS, counts[1:].tolist()) if letters}


@functools.cache
def _script_table() -> np.ndarray:
    """Each code point's script family, numbered from 1 in SCRIPT_RANGES' order (0: none)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for number, ranges in enumerate(SCRIPT_RANGES.values(), 1):
        for first, last in ranges:
            table[first:last + 1] = number
    return table


def code_points(texts: list[str]) -> np.ndarray:
    """The code points of the texts one after another (lone surrogates as their own)."""
    return charmap_code_points("".join(texts))


def owners(texts: list[str]) -> np.ndarray:
    """For each code point of :func:`code_points`, the index of its text."""
    return np.repeat(np.arange(len(texts)), [len(text) for text in texts])


def script_count_table(texts: list[str]) -> np.ndarray:
    """The letters of each text (a row) in each script family (a column, in SCRIPT_PATTERNS'
    order), for many texts in one pass in numpy (a document's blocks): each code point's family
    looked up in a table, the letters counted per text and family."""
    families = len(SCRIPT_PATTERNS) + 1
    if not texts:
        return np.zeros((0, families - 1), dtype=np.int64)
    counts = np.bincount(owners(texts) * families + _script_table()[code_points(texts)],
                         minlength=families * len(texts))
    return counts.reshape(len(texts), families)[:, 1:]


def dominant_script(counts: dict[str, int]) -> str:
    """The script with the most letters (the first of them on a tie)."""
    return max(counts, key=counts.__getitem__)


# Chinese characters, and the spaces an OCR engine sets between them
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCTUATION = r"\u3000-\u303f\uff00-\uffef"
CJK = f"[{HAN}{CJK_PUNCTUATION}]"
# The pattern starts with the character it is about and looks behind it after: the regex
# engine then skips to those characters instead of trying a lookbehind at every position.
SPACES_BETWEEN = re.compile(rf" (?<={CJK} ) *(?={CJK})")


def without_engine_spaces(text: str) -> str:
    """The text without the spaces between Chinese characters: a line an OCR engine spaced
    (``一 三 八 一``, ``上 海 小 報``) compared as it is printed."""
    return SPACES_BETWEEN.sub("", text)
