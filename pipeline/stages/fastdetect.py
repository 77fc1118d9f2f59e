"""langdetect's detector with its n-gram extraction written for speed, same answers.

On a real book every paragraph is new text, and a third of langdetect's time goes to
``_extract_ngrams``: a method call and a Unicode block lookup per character. Here the
characters are normalized by one ``str.translate`` (langdetect's own ``NGram.normalize``,
remembered per character) and its n-gram buffer is followed inline.
``tests/test_languages.py`` checks the n-grams and the probabilities against langdetect's own.
"""

from __future__ import annotations

from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

from pipeline.charmap import CharacterMap

_NORMALIZED = CharacterMap(NGram.normalize)


class FastDetector(Detector):
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
