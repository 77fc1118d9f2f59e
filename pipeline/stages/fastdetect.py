"""langdetect's detector with its per-character loops written for speed, same answers.

On a real book every paragraph is new text, and half of langdetect's time goes to loops over
the text's characters in Python: ``append`` (collapsing spaces), ``cleaning_text`` (counting
Latin and other letters) and ``_extract_ngrams`` (a method call and a Unicode block lookup per
character). Here spaces are collapsed and letters counted by regular expressions, the
characters normalized by one ``str.translate`` (langdetect's own ``NGram.normalize``,
remembered per character) and the n-gram buffer followed inline. ``tests/test_languages.py``
checks the n-grams and the probabilities against langdetect's own.
"""

from __future__ import annotations

import re

from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

from pipeline.charmap import CharacterMap

_NORMALIZED = CharacterMap(NGram.normalize)
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's test: 'A' <= ch <= 'z', the six signs between the cases included
# Not Latin for langdetect: everything from U+0300 on. (It means to leave out the block Latin
# Extended Additional, but compares the block's number with its name, which never match.)
_NOT_LATIN = re.compile("[\u0300-\U0010ffff]")


class FastDetector(Detector):
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
        profiles know, none inside a word of capitals, none that is a lone space."""
        known = self.word_lang_prob_map
        result = []
        grams = " "
        for ch in self.text.translate(_NORMALIZED):
            last = grams[-1]
            if last == " ":  # a word begins: the buffer starts again from the space
                grams = " "
                if ch == " ":
                    continue
            elif len(grams) >= NGram.N_GRAM:
                grams = grams[1:]
            grams += ch
            if ch.isupper() and last.isupper():
                continue  # a capital after a capital: inside a word of capitals, which langdetect skips
            if ch != " " and ch in known:
                result.append(ch)
            if len(grams) >= 2:
                if grams[-2:] in known:
                    result.append(grams[-2:])
                if len(grams) >= 3 and grams in known:
                    result.append(grams)
        return result


class FastDetectorFactory(DetectorFactory):
    def _create_detector(self) -> Detector:
        if not self.langlist:
            return super()._create_detector()  # which raises langdetect's own error
        return FastDetector(self)
