"""langdetect's detector with its per-character loops written for speed, same answers.

On a real book every paragraph is new text, and half of langdetect's time goes to loops over
the text's characters in Python: ``append`` (collapsing spaces), ``cleaning_text`` (counting
Latin and other letters) and ``_extract_ngrams`` (a method call and a Unicode block lookup per
character). Here spaces are collapsed and letters counted by regular expressions, the
characters normalized by one ``str.translate`` (langdetect's own ``NGram.normalize``,
remembered per character) and each character's n-grams read off aligned copies of the text.
``tests/test_languages.py`` checks the n-grams and the probabilities against langdetect's own.
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
    """langdetect's Detector with a faster ``append`` (same text in, same answers)."""
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

        langdetect's buffer restarts at every space and holds the last three characters, so
        once runs of spaces are one (a second space adds nothing) each character's n-grams are
        the character, it with the one before, and the three ending with it unless the one
        before is a space: read off three aligned copies of the text."""
        known = self.word_lang_prob_map
        text = " " + _SPACE_RUN.sub(" ", self.text.translate(_NORMALIZED)).lstrip(" ")
        result = []
        for before_previous, previous, ch in zip(" " + text, text, text[1:]):
            if ch.isupper() and previous.isupper():
                continue  # a capital after a capital: inside a word of capitals, which langdetect skips
            if ch != " " and ch in known:
                result.append(ch)
            pair = previous + ch
            if pair in known:
                result.append(pair)
            if previous != " " and before_previous + pair in known:
                result.append(before_previous + pair)
        return result


class FastDetectorFactory(DetectorFactory):
    """langdetect's DetectorFactory that makes FastDetectors."""
    def _create_detector(self) -> Detector:
        if not self.langlist:
            return super()._create_detector()  # which raises langdetect's own error
        return FastDetector(self)
