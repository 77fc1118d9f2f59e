"""Whether the heading a title was taken from can be shown as the title: the OCR may have
garbled it ("Dmlschland md Belgien." for *Deutschland und Belgien.*) or split it ("Der" above
"Herold"). The header never mends a title (that would be inventing one); it says plainly
that the title is the heading as the OCR read it, with the evidence that doubts it (a
library package's record, where there is one, names the book in the title statement as before).

The evidence is the document's own: the engine's confidence in the heading's words, the
garbled clauses the pipeline flagged, words that mix two alphabets (a Greek Ο read inside a
Latin word), a word the text uses nowhere else while it writes a word a letter or three
away from it again and again ("Dmlschland" once, "Deutschland" 25 times), and a heading of a
single word the document uses everywhere (an article, a preposition: a piece of a title,
not a title).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.config import PipelineConfig
from pipeline.model import Document

DOUBTED_SHARE = 0.5  # of the heading's words the engine rated below its confidence threshold
COMMON_WORDS = 20  # a one-word heading among the document's so many most frequent words is a fragment
MIN_WORDS_COUNTED = 200  # ... counted in a text of so many words at least
WORD = re.compile(r"[^\W\d_]+")
ALPHABETS = ("LATIN", "GREEK", "CYRILLIC")
MISREAD_MIN_LETTERS = 5  # a shorter word has too many real neighbours a letter away
WRITTEN_OFTEN = 5  # the text writes the word the heading's resembles so many times at least


def title_doubt(doc: Document, config: PipelineConfig) -> str | None:
    """Why the title taken from the text's heading is not to be shown as the title (the
    evidence, as a phrase), or None where nothing doubts it or no heading gave it."""
    span = doc.metadata.title_span
    if doc.metadata.title is None or span is None:
        return None
    start, end = span
    words = [(m.start() + start, m.end() + start, m.group()) for m in WORD.finditer(doc.text[start:end])]
    if not words:
        return None
    if any(e.kind == "garbled" and e.start < end and e.end > start for e in doc.edits):
        return "the pipeline flagged it as garbled"
    rated = [confidence for surface in doc.facsimile for zone in surface.lines
             if zone.start < end and zone.end > start
             for word_start, word_end, confidence in zone.words if word_start < end and word_end > start]
    if rated and sum(confidence < config.low_confidence for confidence in rated) >= DOUBTED_SHARE * len(rated):
        return "the OCR engine doubted its words"
    if any(len(_alphabets(word)) > 1 for _, _, word in words):
        return "its words mix alphabets, as misread letters do"
    written = Counter(WORD.findall(doc.text))
    counts = Counter()
    for word, count in written.items():
        counts[word.lower()] += count
    if misread := _spelt_otherwise(words, counts, written):
        return misread
    if len(words) == 1 and _common(words[0][2], counts):
        return "a single word the text uses everywhere: a piece of a title the OCR split"
    return None


def _alphabets(word: str) -> set[str]:
    return {name.split()[0] for ch in word if (name := unicodedata.name(ch, "")).startswith(ALPHABETS)}


def _spelt_otherwise(words: list[tuple[int, int, str]], counts: Counter[str], written: Counter[str]) -> str | None:
    """A word of the heading the text writes nowhere else, where it writes a word that differs
    from it by a letter in four or five (three at most) WRITTEN_OFTEN times or more: said
    with both words and the count."""
    often = [word for word, count in counts.items() if count >= WRITTEN_OFTEN]
    heading = Counter(word.lower() for _, _, word in words)
    for _, _, as_read in words:
        word = as_read.lower()
        if len(word) < MISREAD_MIN_LETTERS or counts[word] > heading[word]:
            continue
        bound = 1 if len(word) < 8 else 2 if len(word) < 10 else 3  # a letter in four or five
        if found := process.extractOne(word, often, scorer=Levenshtein.distance, score_cutoff=bound):
            usual = max((form for form in written if form.lower() == found[0]), key=lambda form: written[form])
            return f"the text writes \"{as_read}\" nowhere else and \"{usual}\" {counts[found[0]]} times"
    return None


def _common(word: str, counts: Counter[str]) -> bool:
    """One of the text's most frequent words (an article, a preposition), in a text long
    enough to count them."""
    if sum(counts.values()) < MIN_WORDS_COUNTED:
        return False
    return word.lower() in {common for common, _ in counts.most_common(COMMON_WORDS)}
