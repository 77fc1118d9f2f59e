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

import random
import re
from collections import OrderedDict
from itertools import repeat
from operator import add, mul, truediv

import numpy as np
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from pipeline.charmap import CodePointMap


_NORMALIZED = CodePointMap(NGram.normalize)
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]+")  # langdetect's test: 'A' <= ch <= 'z', the six signs between the cases included
_LATIN_BYTES = bytes(range(ord("A"), ord("z") + 1))
# Not Latin for langdetect: everything from U+0300 on. (It means to leave out the block Latin
# Extended Additional, but compares the block's number with its name, which never match.)
_NOT_LATIN = re.compile("[\u0300-\U0010ffff]+")


def _ngrams(text: str, known: dict[str, int]) -> list[int]:
    """The n-grams of ``text``, standing after a space, that the profiles know, as their rows in
    ``known`` (from 1, so that each is true): each character's n-grams are the character, it with
    the one before, and the three ending with it unless the one before is a space, read off three
    aligned copies of the text."""
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
        """Detector.__init__'s fields, but no generator seeded from the system's entropy (25 µs a
        text, a tenth of a short text's detection): each walk seeds its own (``random``)."""
        self.factory, self.random = factory, None
        self.word_lang_prob_map, self.langlist, self.seed = factory.word_lang_prob_map, factory.langlist, factory.seed
        self.text, self.langprob, self.alpha, self.n_trial = "", None, self.ALPHA_DEFAULT, 7
        self.max_text_length, self.prior_map, self.verbose = 10000, None, False

    def append(self, text: str) -> None:
        """As Detector.append: addresses blanked, Vietnamese marks composed, runs of spaces made
        one, the text cut at max_text_length. Each step only where the text holds what its
        pattern needs (an address's "http" or "@", a Vietnamese mark, two spaces): the e-mail
        pattern tries 64 characters before every position that has no "@" after them."""
        if "http" in text:
            text = self.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        if not text.isascii() and any(mark in text for mark in NGram.DMARK_CLASS):
            text = NGram.normalize_vi(text)
        text = text[:self.max_text_length]
        self.text += _SPACE_RUN.sub(" ", text) if "  " in text else text

    def cleaning_text(self) -> None:
        """As Detector.cleaning_text: a text with more than twice as many other letters as Latin
        ones loses its Latin ones. (An ASCII text has none of the others; its Latin letters are
        counted on its bytes.)"""
        text = self.text
        if text.isascii():
            return
        ascii_part = text.encode("ascii", "ignore")  # every Latin letter of langdetect's is ASCII
        latin = len(ascii_part) - len(ascii_part.translate(None, _LATIN_BYTES))
        if 2 * latin < sum(map(len, _NOT_LATIN.findall(text))):
            self.text = _LATIN.sub("", text)

    def _extract_ngrams(self) -> list[str]:
        """As Detector._extract_ngrams: the 1-, 2- and 3-grams of the normalized text that the
        profiles know, none inside a word of capitals, none that is a lone space."""
        grams = self.factory.grams()
        return [grams[row] for row in self._extract_rows()]

    def _extract_rows(self) -> list[int]:
        """The rows (:meth:`FastDetectorFactory.rows`) of the n-grams _extract_ngrams gives.

        langdetect's buffer restarts at every space, so once runs of spaces are one (a second
        space adds nothing) a word's n-grams, those of its letters and of the space after it,
        are the same wherever it stands: the factory keeps them by word, and running text,
        which repeats its words, is mostly read from there."""
        words = _SPACE_RUN.sub(" ", _NORMALIZED.translate(self.text)).lstrip(" ").split(" ")
        last = words.pop()  # with no space after it ("" when the text ends with a space)
        ngrams_of = self.factory.word_ngrams
        result: list[int] = []
        for word in words:
            result += ngrams_of(word)
        result += _ngrams(last, self.factory.rows())
        return result

    def _detect_block(self) -> None:
        """As Detector._detect_block: the text cleaned, its n-grams extracted, its random trials
        walked (:class:`Walk`)."""
        walk = self.walk()
        if walk is None:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        walk.run()

    def walk(self) -> Walk | None:
        """The text's random trials, ready to be walked (None when the text has no n-gram the
        profiles know: langdetect's "no features in text")."""
        self.cleaning_text()
        ngrams = self._extract_rows()
        return Walk(self, ngrams) if ngrams else None


class Walk:
    """Detector._detect_block's random trials for one text, the same floating-point operations
    in the same order on the same draws from the same seeded generator: each trial starts from
    the prior, draws its smoothing ``alpha``, then multiplies each language's probability by
    ``alpha / BASE_FREQ + p(n-gram | language)`` for n-grams drawn at random, normalizing after
    the first draw and every fifth after it, until one language holds more than CONV_THRESHOLD
    or the ITERATION_LIMIT-th draw; the trials' probabilities are averaged into ``langprob``.

    Kept as state between normalizations, so that a walk goes on alone (:meth:`run`) or in
    step with other texts' walks (:func:`detect_together`), from wherever it stands."""

    def __init__(self, detector: FastDetector, ngrams: list[int]):
        self.detector, self.ngrams = detector, ngrams
        detector.langprob = None  # set when the last trial ends
        detector.random = self.random = random.Random(detector.seed)  # as seeding the detector's generator
        self.getrandbits, self.count = self.random.getrandbits, len(ngrams)
        self.bits = self.count.bit_length()
        self.langprob = [0.0] * len(detector.langlist)
        self.trials_left = detector.n_trial
        self._start_trial()

    def _start_trial(self) -> None:
        detector = self.detector
        self.prob = detector._init_probability()
        alpha = detector.alpha + self.random.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        self.weight = alpha / detector.BASE_FREQ
        self.last, self.draws = 0, 1  # the draw after which the next normalization comes, and the draws up to it

    def end_trial(self, prob: list[float]) -> None:
        """The trial's probabilities averaged in, and the next trial begun (or the walk done)."""
        n_trial = self.detector.n_trial
        self.langprob = [mean + p / n_trial for mean, p in zip(self.langprob, prob)]
        self.trials_left -= 1
        if self.trials_left:
            self._start_trial()
        else:
            self.detector.langprob = self.langprob

    def run(self) -> None:
        """The walk to its end, alone. Faster than langdetect's loop in two ways: a step's draws
        (they do not depend on the probabilities) made first and their products taken for each
        language in one pass in C (``map``: (((p × f1) × f2) …) × f5, langdetect's order); an
        n-gram's factors ``alpha / BASE_FREQ + p`` added once and kept by the factory for an
        ``alpha`` drawn again (with a fixed seed, the first trials of every text draw the same
        alphas)."""
        factory, ngrams = self.detector.factory, self.ngrams
        known = factory.probabilities()
        getrandbits, bits, count = self.getrandbits, self.bits, self.count
        threshold, limit = self.detector.CONV_THRESHOLD, self.detector.ITERATION_LIMIT
        while self.trials_left:
            weight, prob, last, draws = self.weight, self.prob, self.last, self.draws
            kept = factory.factors(weight)
            factors = kept if kept is not None else {}
            while True:
                products = prob
                for _ in range(draws):
                    # random.choice's index: _randbelow(n) draws n.bit_length() bits until below n
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
                if max(prob) > threshold or last >= limit:  # converged, or the iteration limit
                    self.end_trial(prob)
                    break
                last, draws = last + 5, 5


TOGETHER = 6  # walks worth a step in numpy: fewer go on alone


def detect_together(walks: list[Walk]) -> None:
    """The walks of many texts (detectors of one factory) taken a step at a time together: each
    step's products, sums and quotients for all of them at once in numpy, each number the same
    IEEE operation on the same operands as in :meth:`Walk.run` (a product of two floats, folded
    in order by ``np.multiply.reduce``; the sum left to right: ``np.add.accumulate``, which adds
    in order), so every probability comes out to the last bit. A walk's own draws stay its own
    (its generator, its n-grams). When fewer than TOGETHER walks are left, they finish alone.

    A text's first step makes one draw, the others five: a walk's missing draws multiply by
    1.0, which changes no float."""
    walks = [walk for walk in walks if walk.trials_left]
    if len(walks) < TOGETHER:
        for walk in walks:
            walk.run()
        return
    detector = walks[0].detector
    matrix, threshold, limit = detector.factory.matrix(), detector.CONV_THRESHOLD, detector.ITERATION_LIMIT
    prob = np.array([walk.prob for walk in walks])
    weight = np.array([walk.weight for walk in walks])[:, None]
    # The step at which each walk's trial began: its last draw's index at step s is 5 (s - begun).
    begun = [-(walk.last // 5) for walk in walks]
    step = 0
    while len(walks) >= TOGETHER:
        drawn, short = [], []
        for i, walk in enumerate(walks):
            getrandbits, bits, count, ngrams = walk.getrandbits, walk.bits, walk.count, walk.ngrams
            for _ in range(walk.draws):  # random.choice's index, as in Walk.run
                index = getrandbits(bits)
                while index >= count:
                    index = getrandbits(bits)
                drawn.append(ngrams[index])
            if walk.draws == 1:
                drawn += (0, 0, 0, 0)
                short.append(i)
                walk.draws = 5
        # the probabilities, then each of the five draws' factors (all walks' at once)
        factors = np.empty((6, *prob.shape))
        factors[0] = prob
        np.take(matrix, np.fromiter(drawn, np.intp, len(drawn)).reshape(len(walks), 5).T, axis=0, out=factors[1:])
        factors[1:] += weight
        if short:
            factors[2:, short] = 1.0
        np.multiply.reduce(factors, axis=0, out=prob)  # a fold in order: (((p × f1) × f2) …) × f5
        prob /= np.add.accumulate(prob, axis=1)[:, -1:]
        ending = np.flatnonzero(prob.max(axis=1) > threshold).tolist()
        if 5 * (step - min(begun)) >= limit:  # a trial at its last draw
            ending = sorted(set(ending) | {i for i, first in enumerate(begun) if 5 * (step - first) >= limit})
        step += 1
        done = []
        for i in ending:  # the trial over
            walk = walks[i]
            walk.end_trial(prob[i].tolist())
            if walk.trials_left:
                prob[i], weight[i], begun[i] = walk.prob, walk.weight, step
            else:
                done.append(i)
        if done:
            finished = set(done)
            kept = [i for i in range(len(walks)) if i not in finished]
            walks, begun = [walks[i] for i in kept], [begun[i] for i in kept]
            prob, weight = prob[kept], weight[kept]
    for walk, row, first in zip(walks, prob.tolist(), begun):
        walk.prob, walk.last = row, 5 * (step - first)
        walk.run()


FACTOR_ROWS = 2048  # n-grams whose factors a factory keeps per alpha (a row of 31 floats: about 1 KB)
FACTOR_ALPHAS = 8  # the alphas remembered, the most recently drawn
WORDS = 10000  # words whose n-grams a factory keeps (the first met: the most frequent, mostly)


class FastDetectorFactory(DetectorFactory):
    """langdetect's DetectorFactory that makes FastDetectors, and keeps what they share: the
    n-grams of words, and for the few alphas the trials keep drawing, the n-grams' factors."""

    def __init__(self):
        super().__init__()
        self._rows: dict[str, int] | None = None
        self._grams: list[str] = []
        self._probabilities: list[list[float] | None] = []
        self._matrix: np.ndarray | None = None
        self._word_ngrams: dict[str, tuple[int, ...]] = {}
        self._factors: OrderedDict[float, dict[int, list[float]] | None] = OrderedDict()

    def add_profile(self, profile, index: int, langsize: int) -> None:
        """As DetectorFactory.add_profile; what the factory kept is forgotten (the profiles changed)."""
        super().add_profile(profile, index, langsize)
        self._rows = self._matrix = None
        self._word_ngrams.clear()
        self._factors.clear()

    def rows(self) -> dict[str, int]:
        """Each n-gram of the profiles to its row, from 1 (every row true): texts and the words
        kept are read as rows, which index :meth:`probabilities` and :meth:`matrix`."""
        if self._rows is None:
            self._grams = ["", *self.word_lang_prob_map]
            self._rows = {gram: row for row, gram in enumerate(self._grams) if row}
            self._probabilities = [None, *self.word_lang_prob_map.values()]
        return self._rows

    def grams(self) -> list[str]:
        """Each row's n-gram."""
        self.rows()
        return self._grams

    def probabilities(self) -> list[list[float] | None]:
        """Each row's p(n-gram | language), the languages in langlist's order (langdetect's own lists)."""
        self.rows()
        return self._probabilities

    def matrix(self) -> np.ndarray:
        """:meth:`probabilities` as a matrix (row 0 zeros): what walks taken together read."""
        if self._matrix is None:
            rows = self.probabilities()
            self._matrix = np.array([[0.0] * len(self.langlist), *rows[1:]], dtype=np.float64)
        return self._matrix

    def word_ngrams(self, word: str) -> tuple[int, ...]:
        """The n-grams (rows) of a word between spaces: of its characters and of the space after it."""
        ngrams = self._word_ngrams.get(word)
        if ngrams is None:
            ngrams = tuple(_ngrams(word + " ", self.rows()))
            if len(self._word_ngrams) < WORDS:
                self._word_ngrams[word] = ngrams
        return ngrams

    def factors(self, weight: float) -> dict[int, list[float]] | None:
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
