"""How two texts are compared: normalization, the units counted, and the error counts.

Characters are extended grapheme clusters (``regex``'s ``\\X``, as dinglehopper counts
them): ``aͤ`` or a letter with its accents is one character, however many code points it
has. Words are Unicode word segments (UAX #29) holding a letter or digit; punctuation is
no word. Distances are Levenshtein's (rapidfuzz); rates are errors over the length of the
ground truth, so that a total is summed errors over summed lengths, never a mean of rates.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import regex
from rapidfuzz.distance import Levenshtein

NORMALIZATIONS = ("NFC", "NFKC", "none")
WHITESPACE = ("collapse", "ignore", "keep")
HYPHENS = ("join", "keep")

# A hyphen at a line's end inside a word: the sign printers and engines write for it.
LINE_END_HYPHEN = regex.compile(r"(?<=\w)[-\u00ad\u2010\u2e17\u00ac=][ \t]*\n[ \t]*(?=\w)")
WORD_BOUNDARY = regex.compile(r"(?w)\b")
GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True)
class Options:
    """How texts are made comparable; the same for both sides. The defaults are stated in
    every report (:meth:`describe`)."""

    normalization: str = "NFC"  # Unicode normalization: NFC, NFKC (folds ſ to s, ligatures), none
    whitespace: str = "collapse"  # runs of whitespace (line breaks too) count as one space; ignore: not at all;
    # keep: as they are (dinglehopper's way with plain text, which keeps each line break)
    hyphens: str = "join"  # a word hyphenated at a line's end is joined on both sides before comparing
    edition_text: str = "reading"  # an edition of ours: its reading text (corr, reg) or diplomatic (sic, orig)

    def __post_init__(self):
        for name, allowed in (("normalization", NORMALIZATIONS), ("whitespace", WHITESPACE),
                              ("hyphens", HYPHENS), ("edition_text", ("reading", "diplomatic"))):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")

    def describe(self) -> str:
        """How the texts were compared, in one sentence for reports."""
        return (f"Unicode {self.normalization}; whitespace {self.whitespace}; line-end hyphens {self.hyphens}; "
                f"edition text {self.edition_text}; characters = grapheme clusters; Levenshtein distance")


def normalize(text: str, options: Options) -> str:
    """The text as both sides are compared."""
    if options.normalization != "none":
        text = unicodedata.normalize(options.normalization, text)
    text = text.replace("\ufeff", "")  # a byte-order mark is no character of the page
    if options.hyphens == "join":
        text = LINE_END_HYPHEN.sub("", text)
    if options.whitespace == "collapse":
        text = " ".join(text.split())
    elif options.whitespace == "ignore":
        text = "".join(text.split())
    else:  # kept as it is, save around the page's text: a closing newline is no character of the page
        text = text.strip()
    return text


def characters(text: str) -> list[str]:
    """The text's characters as extended grapheme clusters (a base letter and its marks are one)."""
    return GRAPHEME.findall(text)


def words(text: str) -> list[str]:
    """The text's words at Unicode word boundaries, tokens without a letter or digit left out."""
    return [token for token in WORD_BOUNDARY.split(text)
            if any(unicodedata.category(c)[0] in "LN" for c in token)]


@dataclass
class Counts:
    """Errors and ground-truth length of one measure; added up over pages."""

    errors: int = 0
    length: int = 0

    @property
    def rate(self) -> float | None:
        """Errors per unit of the ground truth (None when both are empty, infinite when only it is)."""
        if self.length == 0:
            return None if self.errors == 0 else float("inf")
        return self.errors / self.length

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.errors + other.errors, self.length + other.length)


def _codes(units: list[str], table: dict[str, int]) -> list[int]:
    """Units as small integers (one per distinct unit): rapidfuzz compares them fastest so."""
    return [table.setdefault(unit, len(table)) for unit in units]


def distance(truth: list[str], compared: list[str]) -> int:
    """Levenshtein distance between two sequences of tokens (each token a code point for rapidfuzz)."""
    table: dict[str, int] = {}
    return Levenshtein.distance(_codes(truth, table), _codes(compared, table))


def character_errors(truth: str, compared: str) -> Counts:
    """Both already normalized."""
    reference = characters(truth)
    return Counts(distance(reference, characters(compared)), len(reference))


def word_errors(truth: str, compared: str) -> Counts:
    """Word errors of ``compared`` against ``truth``: the edit distance over their words."""
    reference = words(truth)
    return Counts(distance(reference, words(compared)), len(reference))


def bag_of_words_errors(truth: str, compared: str) -> Counts:
    """Word errors regardless of order: a word missing and a word too many count as one
    error (a substitution), as in word error rate. Where it is much lower than the word
    error rate, the words were read right and put in the wrong order."""
    reference, other = Counter(words(truth)), Counter(words(compared))
    missing, extra = sum((reference - other).values()), sum((other - reference).values())
    return Counts(max(missing, extra), sum(reference.values()))


@dataclass(frozen=True)
class Span:
    """One step of the alignment: ``equal``, ``replace``, ``delete`` (in the ground truth
    only) or ``insert`` (in the compared text only)."""

    op: str
    truth: str
    compared: str


def alignment(truth: str, compared: str) -> list[Span]:
    """The two texts aligned by character (grapheme clusters), for showing the differences."""
    reference, other = characters(truth), characters(compared)
    table: dict[str, int] = {}
    spans = []
    for op in Levenshtein.opcodes(_codes(reference, table), _codes(other, table)):
        spans.append(Span(op.tag, "".join(reference[op.src_start:op.src_end]),
                          "".join(other[op.dest_start:op.dest_end])))
    return spans


@dataclass
class Measures:
    """CER, WER and bag-of-words error of one pair of texts (or their sums)."""

    characters: Counts = field(default_factory=Counts)
    words: Counts = field(default_factory=Counts)
    bag_of_words: Counts = field(default_factory=Counts)

    def __add__(self, other: Measures) -> Measures:
        return Measures(self.characters + other.characters, self.words + other.words,
                        self.bag_of_words + other.bag_of_words)


def measure(truth: str, compared: str) -> Measures:
    """Both already normalized."""
    return Measures(character_errors(truth, compared), word_errors(truth, compared),
                    bag_of_words_errors(truth, compared))
