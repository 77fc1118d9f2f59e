"""Whether the heading a title was taken from can be shown as the title: the OCR may have
garbled it ("Dmlschland md Belgien." for *Deutschland und Belgien.*) or split it ("Der" above
"Herold"). The header never mends a title (that would be inventing one); it says plainly
that the title is the heading as the OCR read it (as the text writes it, where no OCR is known
to have read it), with the evidence that doubts it (a library package's record, where there
is one, names the book in the title statement as before).

The evidence is the document's own: the engine's confidence in the heading's words, the
garbled clauses the pipeline flagged, words that mix two alphabets (a Greek Ο read inside a
Latin word), a word the text uses nowhere else while it writes a word a letter or three
away from it again and again ("Dmlschland" once, "Deutschland" 25 times), and a heading of a
single word the document uses everywhere and writes in lower case (an article, a
preposition: a piece of a title, not a title; a name, "Hamlet", is written capitalised).

A misreading changes letters inside a word. Two words that differ only at the end are one
word inflected ("Preußens", "Preußen"), and two that differ only in the first letter are
often a name and a common word ("Heine", "keine"): such a pair doubts a heading only where
the engine also doubted the heading's word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.pdf import TEXT_LAYER
from pipeline.model import Document

DOUBTED_SHARE = 0.5  # of the heading's words the engine rated below its confidence threshold
COMMON_WORDS = 20  # a one-word heading among the document's so many most frequent words is a fragment
MIN_WORDS_COUNTED = 200  # ... counted in a text of so many words at least
WORD = re.compile(r"[^\W\d_]+")
ALPHABETS = ("LATIN", "GREEK", "CYRILLIC")
MISREAD_MIN_LETTERS = 5  # a shorter word has too many real neighbours a letter away
ENDING = 3  # letters after a shared stem that may be an inflection's ending ("-ens", "-es", "-s")
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
    low = {(word_start, word_end) for surface in doc.facsimile for zone in surface.lines
           for word_start, word_end, confidence in zone.words if confidence < config.low_confidence}
    if misread := _spelt_otherwise(words, counts, written, low):
        return misread
    if len(words) == 1 and _common(words[0][2], counts) and _mostly_lower_case(words[0][2], written):
        return "a single word the text uses everywhere in lower case: a piece of a title the OCR split"
    return None


def read_by_ocr(doc: Document) -> bool:
    """Whether an OCR engine read the document's text: pages with lines read from an OCR file
    (hOCR, ALTO, PAGE, ABBYY, whether or not it names its engine) or recognised from their
    images; not a text file, nor a PDF's own text layer, which may have been typed."""
    return any(surface.lines and surface.engine != TEXT_LAYER for surface in doc.facsimile)


def as_read(doc: Document, doubt: str) -> str:
    """The title taken from a doubted heading, said to be the heading as the OCR read it (as
    the text writes it, where no OCR is known to have read it), and why it is doubted."""
    how = "as the OCR read it" if read_by_ocr(doc) else "as the text writes it"
    return f"{doc.metadata.title.strip()} (the first heading {how}; {doubt})"


def _alphabets(word: str) -> set[str]:
    return {name.split()[0] for ch in word if (name := unicodedata.name(ch, "")).startswith(ALPHABETS)}


def _spelt_otherwise(words: list[tuple[int, int, str]], counts: Counter[str], written: Counter[str],
                     low: set[tuple[int, int]]) -> str | None:
    """A word of the heading the text writes nowhere else, where it writes a word that differs
    from it by a letter in four or five (three at most) WRITTEN_OFTEN times or more, inside
    the word (or anywhere, where the engine rated the heading's word low): said with both
    words and the count."""
    often = [word for word, count in counts.items() if count >= WRITTEN_OFTEN]
    heading = Counter(word.lower() for _, _, word in words)
    for start, end, as_read in words:
        word = as_read.lower()
        if len(word) < MISREAD_MIN_LETTERS or counts[word] > heading[word]:
            continue
        bound = 1 if len(word) < 8 else 2 if len(word) < 10 else 3  # a letter in four or five
        doubted = (start, end) in low
        for other, _, _ in process.extract(word, often, scorer=Levenshtein.distance, score_cutoff=bound,
                                           limit=None):
            if doubted or _differ_inside(word, other):
                usual = max((form for form in written if form.lower() == other), key=lambda form: written[form])
                return f"the text writes \"{as_read}\" nowhere else and \"{usual}\" {counts[other]} times"
    return None


def _differ_inside(word: str, other: str) -> bool:
    """Whether two words differ inside: not only in an ending of a few letters after a stem
    they share (an inflection) nor only in the first letter (a name and a common word)."""
    head = next((i for i, (a, b) in enumerate(zip(word, other)) if a != b), min(len(word), len(other)))
    only_ending = max(len(word), len(other)) - head <= ENDING
    only_initial = head == 0 and word[1:] == other[1:]
    return not (only_ending or only_initial)


def _mostly_lower_case(word: str, written: Counter[str]) -> bool:
    """Whether the text writes the word mostly in lower case, as it writes articles and
    prepositions (a name it writes capitalised)."""
    forms = [(form, count) for form, count in written.items() if form.lower() == word.lower()]
    return 2 * sum(count for form, count in forms if form.islower()) > sum(count for _, count in forms)


def _common(word: str, counts: Counter[str]) -> bool:
    """One of the text's most frequent words (an article, a preposition), in a text long
    enough to count them."""
    if sum(counts.values()) < MIN_WORDS_COUNTED:
        return False
    return word.lower() in {common for common, _ in counts.most_common(COMMON_WORDS)}
