"""langdetect's detector with its loops written for speed, same answers to the last bit.

On a real book every paragraph is new text, and langdetect's time goes to loops in Python:
over the text's characters in ``append`` (collapsing spaces), ``cleaning_text`` (counting
Latin and other letters) and ``_extract_ngrams`` (a method call and a Unicode block lookup per
character), and over the languages at every step of its random trials. Here spaces are
collapsed and letters counted by regular expressions, the characters normalized by one
``str.translate`` (langdetect's own ``NGram.normalize``, remembered per character), a word's
n-grams kept by the factory, and a trial's products taken in C. ``tests/test_languages.py``
and ``tests/test_language_shortcuts.py`` check the n-grams and every probability against
langdetect's own.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from itertools import repeat
from operator import add, mul, truediv

from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from pipeline.charmap import CharacterMap

_NORMALIZED = CharacterMap(NGram.normalize)
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's test: 'A' <= ch <= 'z', the six signs between the cases included
# Not Latin for langdetect: everything from U+0300 on. (It means to leave out the block Latin
# Extended Additional, but compares the block's number with its name, which never match.)
_NOT_LATIN = re.compile("[\u0300-\U0010ffff]")


def _ngrams(text: str, known: dict[str, str]) -> list[str]:
    """The n-grams of ``text``, standing after a space, that the profiles know (``known``: each
    n-gram of the profiles to itself, so that the n-grams are the profiles' own strings): each
    character's n-grams are the character, it with the one before, and the three ending with it
    unless the one before is a space, read off three aligned copies of the text."""
    text = " " + text
    result = []
    for before_previous, previous, ch in zip(" " + text, text, text[1:]):
        if ch.isupper() and previous.isupper():
            continue  # a capital after a capital: inside a word of capitals, which langdetect skips
        if ch != " " and (gram := known.get(ch)):
            result.append(gram)
        pair = previous + ch
        if gram := known.get(pair):
            result.append(gram)
        if previous != " " and (gram := known.get(before_previous + pair)):
            result.append(gram)
    return result


class FastDetector(Detector):
    """langdetect's Detector with faster steps (same text in, same answers)."""

    def __init__(self, factory: FastDetectorFactory):
        super().__init__(factory)
        self.factory = factory

    def append(self, text: str) -> None:
        """As Detector.append: addresses blanked, Vietnamese marks composed, runs of spaces made
        one, the text cut at max_text_length."""
        text = self.MAIL_RE.sub(" ", self.URL_RE.sub(" ", text))
        text = NGram.normalize_vi(text)
        self.text += _SPACE_RUN.sub(" ", text[:self.max_text_length])

    def cleaning_text(self) -> None:
        """As Detector.cleaning_text: a text with more than twice as many other letters as Latin
        ones loses its Latin ones."""
        if 2 * len(_LATIN.findall(self.text)) < len(_NOT_LATIN.findall(self.text)):
            self.text = _LATIN.sub("", self.text)

    def _extract_ngrams(self) -> list[str]:
        """As Detector._extract_ngrams: the 1-, 2- and 3-grams of the normalized text that the
        profiles know, none inside a word of capitals, none that is a lone space.

        langdetect's buffer restarts at every space, so once runs of spaces are one (a second
        space adds nothing) a word's n-grams, those of its letters and of the space after it,
        are the same wherever it stands: the factory keeps them by word, and running text,
        which repeats its words, is mostly read from there."""
        words = _SPACE_RUN.sub(" ", self.text.translate(_NORMALIZED)).lstrip(" ").split(" ")
        last = words.pop()  # with no space after it ("" when the text ends with a space)
        ngrams_of = self.factory.word_ngrams
        result: list[str] = []
        for word in words:
            result += ngrams_of(word)
        result += _ngrams(last, self.factory.ngrams())
        return result

    def _detect_block(self) -> None:
        """As Detector._detect_block, the same floating-point operations in the same order on
        the same draws from the same seeded generator: each trial starts from the prior, draws
        its smoothing ``alpha``, then multiplies each language's probability by ``alpha /
        BASE_FREQ + p(n-gram | language)`` for n-grams drawn at random, normalizing after the
        first draw and every fifth after it, until one language holds more than CONV_THRESHOLD
        or the ITERATION_LIMIT-th draw.

        Faster in three ways. The draws between two normalizations are made first (they do not
        depend on the probabilities) and their products taken for each language in one pass in
        C (``map``: (((p × f1) × f2) …) × f5, langdetect's order). An n-gram's factors ``alpha /
        BASE_FREQ + p`` are added once and kept by the factory for an ``alpha`` drawn again:
        with a fixed seed, the first trials of every text draw the same alphas. And
        random.choice is inlined: ``ngrams[_randbelow(len(ngrams))]``, where _randbelow(n)
        draws n.bit_length() bits until they are below n."""
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        known, n_trial, limit = self.word_lang_prob_map, self.n_trial, self.ITERATION_LIMIT
        self.langprob = [0.0] * len(self.langlist)
        self.random.seed(self.seed)
        getrandbits, count = self.random.getrandbits, len(ngrams)
        bits = count.bit_length()
        for _ in range(n_trial):
            prob = self._init_probability()
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            kept = self.factory.factors(weight)
            factors = kept if kept is not None else {}
            last, draws = 0, 1  # the draw after which the next normalization comes, and the draws up to it
            while True:
                products = prob
                for _ in range(draws):
                    drawn = getrandbits(bits)
                    while drawn >= count:
                        drawn = getrandbits(bits)
                    word = ngrams[drawn]
                    factor = factors.get(word)
                    if factor is None:
                        factor = map(add, repeat(weight), known[word])
                        if kept is not None and len(kept) < FACTOR_ROWS:
                            factor = kept[word] = list(factor)
                    products = map(mul, products, factor)
                prob = list(products)
                total = sum(prob)  # Detector._normalize_prob: the same sum, quotients and maximum
                prob = list(map(truediv, prob, repeat(total)))
                if max(prob) > self.CONV_THRESHOLD or last >= limit:
                    break
                last, draws = last + 5, 5
            self.langprob = [mean + p / n_trial for mean, p in zip(self.langprob, prob)]


FACTOR_ROWS = 2048  # n-grams whose factors a factory keeps per alpha (a row of 31 floats: about 1 KB)
FACTOR_ALPHAS = 8  # the alphas remembered, the most recently drawn
WORDS = 10000  # words whose n-grams a factory keeps (the first met: the most frequent, mostly)


class FastDetectorFactory(DetectorFactory):
    """langdetect's DetectorFactory that makes FastDetectors, and keeps what they share: the
    n-grams of words, and for the few alphas the trials keep drawing, the n-grams' factors."""

    def __init__(self):
        super().__init__()
        self._ngrams: dict[str, str] | None = None
        self._word_ngrams: dict[str, tuple[str, ...]] = {}
        self._factors: OrderedDict[float, dict[str, list[float]] | None] = OrderedDict()

    def add_profile(self, profile, index: int, langsize: int) -> None:
        """As DetectorFactory.add_profile; what the factory kept is forgotten (the profiles changed)."""
        super().add_profile(profile, index, langsize)
        self._ngrams = None
        self._word_ngrams.clear()
        self._factors.clear()

    def ngrams(self) -> dict[str, str]:
        """Each n-gram of the profiles to itself: the words' n-grams kept are these strings, not
        copies (a tenth of the memory), with their hashes computed once."""
        if self._ngrams is None:
            self._ngrams = {gram: gram for gram in self.word_lang_prob_map}
        return self._ngrams

    def word_ngrams(self, word: str) -> tuple[str, ...]:
        """The n-grams of a word between spaces: of its characters and of the space after it."""
        ngrams = self._word_ngrams.get(word)
        if ngrams is None:
            ngrams = tuple(_ngrams(word + " ", self.ngrams()))
            if len(self._word_ngrams) < WORDS:
                self._word_ngrams[word] = ngrams
        return ngrams

    def factors(self, weight: float) -> dict[str, list[float]] | None:
        """The factors ``weight + p(n-gram | language)`` kept for ``weight``, by n-gram, from the
        second detection that draws it on (with a fixed seed, the first trials of every text
        draw the same alphas, the later ones new alphas); None the first time."""
        seen = weight in self._factors
        kept = self._factors.pop(weight, None)  # taken out and put back last: the most recently used
        if seen and kept is None:
            kept = {}
        self._factors[weight] = kept
        if len(self._factors) > FACTOR_ALPHAS:
            self._factors.popitem(last=False)
        return kept

    def _create_detector(self) -> Detector:
        if not self.langlist:
            return super()._create_detector()  # which raises langdetect's own error
        return FastDetector(self)
