"""Running heads as the words a book prints at the top of its pages.

A scholarly book's head changes with the chapter (``Cap. 4. De Homine.``, ``XVIII 24 ΓΕΝΕΣΙΣ``),
alternates between recto and verso, and the OCR garbles it differently on every page (``De
Homtttc.``, ``T>e Homine``), so the whole line rarely repeats. Its words do: they stand at the
tops of many pages and seldom anywhere else. Where the pages are known (page files, page
marks), a line at a page's top made mostly of those words is the head, and so is each short
line of a head the OCR split over two lines above the number.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter

from pipeline.stages.pageedges.alike import within_bound
from pipeline.stages.pageedges.lines import HEAD_NUMERAL, RUNNING_HEAD_MIN_PAGES, Line

TOP_LINES = 3  # a head, perhaps split over two lines, and the page number
HEAD_PAGES = RUNNING_HEAD_MIN_PAGES + 1  # a head word stands at the tops of so many pages at least
AT_TOPS = 5  # and stands there five times as often as the share of the text's lines at the tops would have it
ALIKE_WORDS = 0.7  # difflib ratio of a word and its OCR variant
HEAD_SHARE = 0.5  # a line of a head the OCR split is at most half a full line
HEAD_LETTERS = 0.5  # share of a head line's letters in head words
WORD = re.compile(r"[^\W\d_]{3,}")


def words_of(text: str) -> list[str]:
    """The words of three letters or more, lower case, numerals (roman too) set aside."""
    return [word.lower() for word in WORD.findall(HEAD_NUMERAL.sub(" ", text))]


def top_lines(lines: list[Line], full: int) -> list[Line]:
    """The lines at a page's top that may be furniture: up to three, each shorter than a full line."""
    tops = []
    for line in lines[:TOP_LINES]:
        if len(line.text) > max(40, 0.8 * full):
            break
        tops.append(line)
    return tops


class HeadWords:
    """The words a document prints at the top of its pages (OCR variants counted as one): at
    the tops of several pages, each near another (a head runs on from page to page, or from
    recto to recto; an article's title in a journal does not), and seldom anywhere else."""

    def __init__(self, tops: list[list[str]], everywhere: list[str]):
        """``tops``: each page's top lines (or each line that may be a head); ``everywhere``:
        every line of the text."""
        self.words: list[str] = []
        self.full: int | None = None  # the typical line length the pages' tops were read with (of_pages)
        if len(tops) < HEAD_PAGES:
            return  # too few pages (or lines) for a word to stand at the tops of HEAD_PAGES of them
        on_pages = [{word for text in texts for word in words_of(text)} for texts in tops]
        on_tops = Counter(word for words in on_pages for word in words)
        pages_of: dict[str, set[int]] = {}
        for index, words in enumerate(on_pages):
            for word in words:
                pages_of.setdefault(word, set()).add(index)
        share = sum(len(texts) for texts in tops) / max(1, len(everywhere))  # of the lines at the tops
        # each word's OCR variants among them, itself first (their order counts for nothing below)
        candidates = list(on_tops)
        variants_of = {word: [word] for word in candidates}
        for i, j in within_bound(candidates, candidates, ALIKE_WORDS):
            if i != j and _alike(candidates[i], candidates[j]):
                variants_of[candidates[i]].append(candidates[j])
        anywhere: Counter[str] | None = None
        for word in on_tops:
            variants = variants_of[word]
            pages = set().union(*(pages_of[v] for v in variants))
            running = {index for index in pages if pages & {index - 2, index - 1, index + 1, index + 2}}
            if len(running) < HEAD_PAGES:
                continue
            if anywhere is None:  # counted once, and only where a word runs over the tops
                # the lines' words as words_of reads them, in one scan: no word or numeral crosses a line's end
                anywhere = Counter(map(str.lower, WORD.findall(HEAD_NUMERAL.sub(" ", "\n".join(everywhere)))))
            if sum(on_tops[v] for v in variants) >= AT_TOPS * share * sum(anywhere[v] for v in variants):
                self.words.append(word)

    @classmethod
    def of_pages(cls, pages: list[list[Line]], full: int) -> HeadWords:
        """The head words of pages given as their lines (``full``: the typical line length)."""
        words = cls([[line.text for line in top_lines(lines, full)] for lines in pages],
                    [line.text for lines in pages for line in lines])
        words.full = full
        return words

    def __bool__(self) -> bool:
        return bool(self.words)

    def has_head_word(self, text: str) -> bool:
        """Whether the text holds one of the head words, as read or as OCR varies it."""
        return any(word == head or _alike(word, head) for word in words_of(text) for head in self.words)

    def reads_as_head(self, text: str) -> bool:
        """Most of the line's letters are in head words, read as the OCR may read them."""
        words = words_of(text)
        letters = sum(len(word) for word in re.findall(r"[^\W\d_]+", HEAD_NUMERAL.sub(" ", text)))
        matched = sum(len(word) for word in words if any(word == head or _alike(word, head) for head in self.words))
        return matched > 0 and matched >= HEAD_LETTERS * letters


@functools.lru_cache(maxsize=1 << 16)  # the same words are compared on page after page
def _alike(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 4:
        return a == b
    if 2.0 * min(len(a), len(b)) / (len(a) + len(b)) < ALIKE_WORDS:
        return False  # difflib's real_quick_ratio, a bound of the ratio, without building a matcher
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= ALIKE_WORDS and matcher.ratio() >= ALIKE_WORDS
