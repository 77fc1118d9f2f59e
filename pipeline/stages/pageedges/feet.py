"""The foot of an early modern page: under the last line of text, the book's short title and
the gathering's signature (``Leviat. bbb 2``: one letter printed two to four times, the leaf's
number after it), and the catchword, the next page's first word, at the right. The OCR sets
them on one line or on lines of their own, in any order, and garbles them (``LtvirJ. e e e
ſent,``, ``bbb z per``); a catchword standing alone is known by the next page's first word.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from pipeline.stages.pageedges.lines import Line

FOOT_LINES = 3
FOOT_CHARS = 24  # a foot line holds a few short words at most
TITLE_CHARS = 10  # the short title: a word or two, abbreviated
LEAF = re.compile(r"^(?:[1-9]|[ivx]{1,4}j?|[zZ])[.,;:]?$")  # the leaf's number; OCR reads 2 as z
NUMERAL_LETTERS = "ix"  # "ii", "xx" are numerals rather than a gathering
ALIKE_CATCHWORD = 0.7  # difflib ratio of a catchword and the word it repeats, both as the OCR read them


@dataclass(frozen=True)
class FootItem:
    """A signature mark or a catchword under a page's text."""
    start: int
    end: int
    kind: str  # "signature" or "catchword"
    why: str  # a key of the stage's reasons


def foot_items(lines: list[Line], next_first: str | None) -> list[FootItem]:
    """The signature line and catchword at the foot of a page whose lines (text, then foot) are
    given; ``next_first`` is the next page's first word of text."""
    foot = _foot(lines)
    if not foot:
        return []
    words = _words(foot)
    items: list[FootItem] = []
    gathering = _gathering(words)
    if gathering is not None:
        first, last = gathering
        line = words[first][1]
        title = first
        while title > 0 and words[title - 1][1] is line and first - title < 2 \
                and words[first - 1][3] - words[title - 1][2] <= TITLE_CHARS:
            title -= 1
        if title == first and first > 0 and words[first - 1][1] is not line:  # a title on the line above
            above = words[first - 1][1]
            if len(above.text) <= TITLE_CHARS and above.text.endswith(".") and len(above.text.split()) <= 2 \
                    and not _repeats(above.text, next_first):
                title = next(i for i, word in enumerate(words) if word[1] is above)
        items.append(FootItem(words[title][2], words[last][3], "signature", "signature-gathering"))
        after = [word for word in words[last + 1:] if word[1] is line]
        if 0 < len(after) <= 2 and sum(ch.isalpha() for word in after for ch in word[0]) >= 2 \
                and not any(ch.isdigit() for word in after for ch in word[0]):
            items.append(FootItem(after[0][2], after[-1][3], "catchword", "catchword-beside-signature"))
    taken = [(item.start, item.end) for item in items]
    for line in foot:
        if any(start < line.end and line.start < end for start, end in taken):
            continue
        if len(line.text.split()) <= 2 and _repeats(line.text, next_first):
            items.append(FootItem(line.start, line.end, "catchword", "catchword"))
    return items


def _foot(lines: list[Line]) -> list[Line]:
    """The short lines at the end of the page's (up to FOOT_LINES, and never all its lines)."""
    foot: list[Line] = []
    for line in reversed(lines[-FOOT_LINES:]):
        if len(line.text) > FOOT_CHARS or len(foot) == len(lines) - 1:
            break
        foot.insert(0, line)
    return foot


def _words(foot: list[Line]) -> list[tuple[str, Line, int, int]]:
    """The foot's words: (word, its line, start, end)."""
    return [(m.group(), line, line.start + m.start(), line.start + m.end())
            for line in foot for m in re.finditer(r"\S+", line.text)]


def inner_feet(lines: list[Line]) -> list[FootItem]:
    """Page feet the pages found do not end on: front matter without page numbers, which a text
    export without page marks runs into one page. A line followed by a blank line is a page's
    foot where it holds both a gathering's signature and a catchword that the line after the
    blank repeats (``a a a 2, favere`` / blank / ``favere videbuntur``): two marks of a page's
    end that text does not make together. The page's own last lines are the caller's."""
    items: list[FootItem] = []
    for at in range(1, len(lines) - 1):
        line, following = lines[at], lines[at + 1]
        if not following.blank_before or not following.text.split():
            continue
        # (the foot's lines, and one above them: all foot_items reads of the lines up to here)
        above = lines[max(0, at - FOOT_LINES): at + 1]
        if not _signed(above):
            continue
        next_first = following.text.split()[0]
        found = foot_items(above, next_first)
        repeated = [item for item in found if item.kind == "catchword" and line.start <= item.start
                    and _repeats(line.text[item.start - line.start:item.end - line.start], next_first)]
        if repeated and any(item.kind == "signature" for item in found):
            items += found
    return items


def _signed(lines: list[Line]) -> bool:
    """Whether the foot of these lines holds a gathering's signature (which the foot of a page
    inside the text needs: without it, no need to look for the catchword)."""
    return _gathering(_words(_foot(lines))) is not None


# A gathering signed with signs instead of letters (the preliminary leaves: "*", "**", ")(");
# the OCR reads a star as », « or †. Then the leaf's number, in the same word or the next.
SIGNS = r"(?:\*{1,3}|\)\(|[»«†])"
SIGN_GATHERING = re.compile(rf"^{SIGNS}$")
SIGN_WITH_LEAF = re.compile(rf"^{SIGNS}(?:[1-9]|[ivx]{{1,4}}j?)[.,]?$")


def _gathering(words: list[tuple[str, Line, int, int]]) -> tuple[int, int] | None:
    """The words that are a gathering's signature: one letter two to four times, on one line,
    as one word or spaced ("bbb", "b b b", "e ee"), perhaps the leaf's number after it; or
    once, with the leaf's digit ("b 2"); or signs with the leaf's number ("*2", ") ( 3")."""
    for first in range(len(words)):
        word, line = words[first][0], words[first][1]
        if SIGN_WITH_LEAF.match(word):
            return first, first
        if SIGN_GATHERING.match(word) and first + 1 < len(words) and words[first + 1][1] is line \
                and LEAF.match(words[first + 1][0]) and words[first + 1][0][0].isdigit():
            return first, first + 1
        letter, count, last = None, 0, first
        for index in range(first, len(words)):
            core = words[index][0].rstrip(".,;:")
            if words[index][1] is not words[first][1] or not core.isalpha() or len(set(core.lower())) != 1 \
                    or core[0].lower() in NUMERAL_LETTERS or (letter is not None and core[0].lower() != letter):
                break
            letter, count, last = core[0].lower(), count + len(core), index
        if letter is None or not 1 <= count <= 4:
            continue
        leaf = last + 1 < len(words) and words[last + 1][1] is words[first][1] and LEAF.match(words[last + 1][0])
        if count == 1 and not (leaf and words[last + 1][0][0].isdigit()):
            continue  # a letter alone is a word ("a", "e"); with the leaf's digit it is the mark ("b 2")
        return first, last + 1 if leaf else last
    return None


def _repeats(text: str, word: str | None) -> bool:
    """The foot's word is the next page's first, as the OCR read both (long s, case, stops aside)."""
    if not word:
        return False
    a, b = _folded(text), _folded(word)
    if len(a) < 2 or len(b) < 2:
        return False
    if a == b:
        return True
    # difflib's real_quick_ratio, a bound of its ratio, first: a word and a line of text are no pair
    return min(len(a), len(b)) >= 4 and 2.0 * min(len(a), len(b)) / (len(a) + len(b)) >= ALIKE_CATCHWORD \
        and difflib.SequenceMatcher(None, a, b).ratio() >= ALIKE_CATCHWORD


@functools.lru_cache(maxsize=4096)  # a page's next first word is asked of for each of its foot's lines
def _folded(text: str) -> str:
    return "".join(filter(str.isalpha, text.replace("ſ", "s").lower()))
