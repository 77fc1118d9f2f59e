"""Language of every block, from script evidence first and langdetect second.

langdetect is unreliable on Chinese (it calls short traditional Chinese Korean, see
METHODS.md), so Han, kana and hangul text is labelled from its characters, Chinese script
from OpenCC's tables (:mod:`pipeline.script`). langdetect, seeded, only tells apart
languages that share an alphabet, and only among languages written in that alphabet.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from .config import PipelineConfig
from .edits import reading_text
from .model import Document, LanguageShare
from .script import chinese_script, script_evidence

LATIN_LANGUAGES = frozenset(
    "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl tr vi".split()
)
CYRILLIC_LANGUAGES = frozenset("bg mk ru uk".split())

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "ru": "Russian", "ja": "Japanese", "ko": "Korean", "zh": "Chinese",
    "zh-Hans": "Chinese (simplified script)", "zh-Hant": "Chinese (traditional script)",
}


def letter_script(ch: str) -> str | None:
    """The script family of one character, or None for non-letters."""
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF
            or 0xF900 <= code <= 0xFAFF or code == 0x3007):
        return "han"
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for family in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW"):
        if name.startswith(family):
            return family.lower()
    return "other"


@functools.cache
def _detector_factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


def _langdetect(text: str, allowed: frozenset[str], seed: int, min_probability: float) -> str | None:
    """langdetect's best language among ``allowed``, if it is sure enough of it.

    Lower-cased first: langdetect's profiles are lower-case, and all-capitals headings
    ("CONFIDENTIAL") otherwise come out as German or Dutch.
    """
    factory = _detector_factory()
    factory.set_seed(seed)
    detector = factory.create()
    detector.append(text.lower())
    try:
        candidates = detector.get_probabilities()
    except LangDetectException:
        return None
    for candidate in candidates:
        if candidate.lang in allowed:
            return candidate.lang if candidate.prob >= min_probability else None
    return None


def dominant_script(text: str) -> str | None:
    scripts = Counter(s for s in map(letter_script, text) if s)
    return scripts.most_common(1)[0][0] if scripts else None


def block_language(text: str, config: PipelineConfig) -> str | None:
    """The BCP 47 tag of ``text``, or None when it is too short to judge by itself.

    Chinese with no script evidence gets plain ``zh`` (the document fills in the script).
    """
    scripts = Counter(s for s in map(letter_script, text) if s)
    letters = sum(scripts.values())
    if letters == 0:
        return None
    dominant = scripts.most_common(1)[0][0]
    if scripts["kana"] >= 0.1 * letters:
        return "ja"
    if dominant == "hangul":
        return "ko"
    if dominant == "han":
        script = chinese_script(*script_evidence(text))
        return "zh" if script in (None, "mixed") else f"zh-{script}"
    if letters < config.min_letters_for_language:
        return None
    allowed = {"latin": LATIN_LANGUAGES, "cyrillic": CYRILLIC_LANGUAGES}.get(
        dominant, frozenset({"el", "ar", "fa", "ur", "he"}))
    return _langdetect(text, allowed, config.langdetect_seed, config.min_language_probability)


def label_languages(doc: Document, config: PipelineConfig) -> None:
    """Set ``lang`` on every block, the document's main language and its language usage."""
    texts = [reading_text(doc, b.start, b.end) for b in doc.blocks]
    labels = [block_language(text, config) for text in texts]
    chinese_text = "".join(text for text, tag in zip(texts, labels) if tag and tag.startswith("zh"))
    document_script = chinese_script(*script_evidence(chinese_text))
    chinese_default = f"zh-{document_script}" if document_script in ("Hans", "Hant") else "zh"
    labels = [chinese_default if tag == "zh" else tag for tag in labels]
    _fill_from_context(labels, [dominant_script(text) for text in texts])
    fallback = "und"
    for block, tag in zip(doc.blocks, labels):
        block.lang = tag or fallback

    sizes: Counter[str] = Counter()
    for block in doc.blocks:
        sizes[block.lang] += sum(not ch.isspace() for ch in doc.text[block.start:block.end])
    doc.lang = sizes.most_common(1)[0][0] if sizes else fallback
    doc.languages = usage_percentages(sizes)


def _fill_from_context(labels: list[str | None], scripts: list[str | None]) -> None:
    """Unjudged blocks (headings, short lines) take the language of the nearest judged block
    written in the same script: the next one first (a heading belongs to what follows), then
    the previous one; blocks with no letters, or no such neighbour, take any nearest one."""
    n = len(labels)
    following: list[dict[str | None, str]] = [{} for _ in range(n)]
    preceding: list[dict[str | None, str]] = [{} for _ in range(n)]
    seen: dict[str | None, str] = {}
    for i in range(n - 1, -1, -1):  # nearest judged block after i, per script (None: any)
        following[i] = dict(seen)
        if labels[i] is not None:
            seen[scripts[i]] = seen[None] = labels[i]
    seen = {}
    for i in range(n):
        preceding[i] = dict(seen)
        if labels[i] is not None:
            seen[scripts[i]] = seen[None] = labels[i]
    for i in range(n):
        if labels[i] is None:
            script = scripts[i]
            labels[i] = (following[i].get(script) or preceding[i].get(script)
                         or following[i].get(None) or preceding[i].get(None))


def usage_percentages(sizes: Counter[str]) -> list[LanguageShare]:
    """Integer percentages that sum to 100 (largest remainder), most used first."""
    total = sum(sizes.values())
    if not total:
        return []
    exact = {tag: 100 * n / total for tag, n in sizes.items()}
    floors = {tag: int(v) for tag, v in exact.items()}
    leftover = 100 - sum(floors.values())
    for tag in sorted(exact, key=lambda t: (floors[t] - exact[t], t))[:leftover]:
        floors[tag] += 1
    ordered = sorted(floors.items(), key=lambda kv: (-kv[1], kv[0]))
    return [LanguageShare(tag=tag, percent=p) for tag, p in ordered if p > 0]
