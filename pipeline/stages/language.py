"""Language of every block, from script evidence first and langdetect second.

langdetect is unreliable on Chinese (it calls short traditional Chinese Korean, see
METHODS.md), so Han, kana and hangul text is labelled from its characters, Chinese script
from OpenCC's tables (:mod:`pipeline.stages.script`). langdetect, seeded, only tells apart
languages that share an alphabet, and only among languages written in that alphabet.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections import Counter, OrderedDict
from pathlib import Path
from typing import NamedTuple

from langdetect.detector_factory import PROFILES_DIRECTORY

from pipeline.config import PipelineConfig
from pipeline.edits import edits_per_block, reading_text
from pipeline.ingest.pages.ocr import LanguageOf
from pipeline.model import Document, LanguageShare
from pipeline.stages.fastdetect import FastDetector, FastDetectorFactory, detect_together
from pipeline.stages.script import chinese_script, script_evidence_together
from pipeline.stages.textshape import SCRIPT_PATTERNS, script_count_table
from pipeline.stages.textshape import LETTERS_WORD

SCRIPT_FAMILIES = list(SCRIPT_PATTERNS)  # the columns of script_count_table
LATIN_LANGUAGES = frozenset(
    "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl tr vi".split()
)
CYRILLIC_LANGUAGES = frozenset("bg mk ru uk".split())

# Latin, which langdetect does not know (it answers Italian, Catalan, Romanian …), by the
# words Latin prose is made of and the articles it lacks: its most frequent words fill a
# tenth to a fifth of its running text; French, Italian or Spanish, which share a few of them
# (et, est, non, in), use articles in every sentence (8 % of their words and more).
LATIN_WORDS = frozenset("""et in est non ad cum quod ut sed qui quae quam ab ex enim autem atque ac etiam esse
    sunt erat fuit eius hoc haec nec neque vel apud inter propter quoque tamen igitur ergo nam sic ita
    ille illa quibus quorum eorum suis sua suum omnia omnes tum iam""".split())
# Articles that are no Latin words (a, an, de, die, una are: a preposition, "or", "about", "day", "together")
ARTICLES = frozenset("the le la les l un une des du il lo gli i el los las o os as um uma der das den dem "
                     "ein eine einen het een az ang yr".split())
LATIN_WORD_SHARE = 0.07  # Cicero's questions 9 %, Caesar 16 %; French, Italian 9-10 % but with articles
ARTICLE_SHARE = 0.02


def reads_as_latin(text: str) -> bool:
    """Whether an alphabetic text is Latin: many of Latin's own frequent words, no articles."""
    words = LETTERS_WORD.findall(text.lower())
    if len(words) < 12:
        return False
    latin = sum(map(LATIN_WORDS.__contains__, words))
    articles = sum(map(ARTICLES.__contains__, words))
    return latin >= LATIN_WORD_SHARE * len(words) and articles <= ARTICLE_SHARE * len(words)


# Ancient Greek, which langdetect does not know either (it answers Modern Greek). Both have been
# printed polytonic (Modern Greek until 1982), so the accents alone do not tell; the words do.
# Ancient prose and verse are full of particles (δέ, μέν, γάρ, οὖν, τε …: 4-8 % of their words);
# Modern Greek writes particles its ancestor did not have (να, θα, δεν, για, στο …), and even the
# learned Katharevousa of the 19th century uses some of them in every few sentences.
ANCIENT_GREEK_WORDS = frozenset("δε δ μεν γαρ ουν τε ουκ ουχ ουδε ωστε δη ην εφη".split())  # δ: δέ elided (δ᾽)
MODERN_GREEK_WORDS = frozenset("να θα δεν για στο στον στην στη στα στις στους κι σαν ηταν".split())
# Marks only polytonic spelling uses: grave, smooth and rough breathing, circumflex, iota subscript
POLYTONIC_MARKS = frozenset("\u0300\u0313\u0314\u0342\u0345")
ANCIENT_GREEK_SHARE = 0.025
MODERN_GREEK_SHARE = 0.003  # OCR noise may make one in a few hundred words look modern
POLYTONIC_PER_WORD = 0.2  # polytonic text has a breathing, grave or circumflex on most words


def greek_words(text: str) -> tuple[list[str], int]:
    """The words of a Greek text without their accents, lower-case, and how many polytonic
    marks the text carries."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    polytonic = sum(decomposed.count(mark) for mark in POLYTONIC_MARKS)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return LETTERS_WORD.findall(bare), polytonic


def modern_greek_share(words: list[str]) -> float:
    """The share of the words that only Modern Greek writes."""
    return sum(word in MODERN_GREEK_WORDS for word in words) / max(1, len(words))


def is_polytonic(words: list[str], polytonic: int) -> bool:
    """Whether the words carry polytonic marks (breathings, graves, circumflexes) on most of them."""
    return polytonic >= POLYTONIC_PER_WORD * len(words)


def reads_as_ancient_greek(text: str) -> bool:
    """Whether a Greek text is Ancient Greek: polytonic, with the particles of the ancient
    language and none of the modern ones."""
    words, polytonic = greek_words(text)
    if len(words) < 12 or not is_polytonic(words, polytonic):
        return False
    ancient = sum(word in ANCIENT_GREEK_WORDS for word in words)
    return ancient >= ANCIENT_GREEK_SHARE * len(words) and modern_greek_share(words) <= MODERN_GREEK_SHARE


LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "la": "Latin",
    "el": "Greek", "grc": "Ancient Greek",
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
def _detector_factory(languages: frozenset[str]) -> FastDetectorFactory:
    """langdetect with the profiles of ``languages`` only (those of one script), in a fixed
    order: it weighs every loaded language at each step, and the others could never win.
    (load_profile reads the folder in the file system's order, which differs between machines.)"""
    factory = FastDetectorFactory()
    folder = Path(PROFILES_DIRECTORY)
    factory.load_json_profile([(folder / lang).read_text(encoding="utf-8") for lang in sorted(languages)
                               if (folder / lang).is_file()])
    factory.matrix()  # its tables made with the profiles, once a process, not by the first document's texts
    return factory


class Judgement(NamedTuple):
    """What a block's own characters say about its language. (A named tuple: made for every
    block, five times cheaper than a frozen dataclass.)"""

    tag: str | None  # a CJK tag, or langdetect's best guess among the script's languages
    probability: float  # 1.0 for CJK (decided by script), langdetect's otherwise
    letters: int
    script: str | None
    chinese_evidence: tuple[int, int] = (0, 0)  # simplified-only and traditional-only characters, if Chinese


LANGDETECT_SAMPLE = 1000  # characters of a block given to langdetect: enough, and its cost grows with length
LANGDETECT_TRIALS = 3  # langdetect's default is 7 random trials; seeded, 3 agree on our benchmark


def _langdetect(samples: list[str], allowed: frozenset[str], seed: int) -> list[tuple[str | None, float]]:
    """langdetect's best language among ``allowed`` and its probability, for each sample: their
    random walks taken together (:func:`detect_together`), each one's answer its own.

    Lower-cased first: langdetect's profiles are lower-case, and all-capitals headings
    ("CONFIDENTIAL") otherwise come out as German or Dutch.
    """
    factory = _detector_factory(allowed)
    factory.set_seed(seed)
    detectors, walks = [], []
    for sample in samples:
        detector = factory.create()
        detector.n_trial = LANGDETECT_TRIALS
        detector.append(sample[:LANGDETECT_SAMPLE].lower())
        if (walk := detector.walk()) is not None:
            walks.append(walk)
        detectors.append(detector)
    detect_together(walks)
    return [_best_allowed(detector, allowed) for detector in detectors]


def _best_allowed(detector: FastDetector, allowed: frozenset[str]) -> tuple[str | None, float]:
    """The detector's most probable language among ``allowed`` (None when the text had nothing
    langdetect knows)."""
    if detector.langprob is None:
        return None, 0.0
    for candidate in detector.get_probabilities():
        if candidate.lang in allowed:
            return candidate.lang, candidate.prob
    return None, 0.0


def page_language(config: PipelineConfig) -> LanguageOf:
    """The judge OCR chooses a page's model by: a page's text -> its language and letters, as
    :func:`judge` finds them with the run's configuration."""
    return PageLanguage(config)


class PageLanguage:
    """:func:`page_language`'s judge, as data: it travels with a page recognised in another process."""

    def __init__(self, config: PipelineConfig):
        self.config = config

    def __call__(self, text: str) -> tuple[str | None, int]:
        judgement = judge(text, self.config)
        return judgement.tag, judgement.letters


def judge(text: str, config: PipelineConfig) -> Judgement:
    """Chinese (with ``zh`` when its script is undecided), Japanese and Korean from the
    characters; other scripts by seeded langdetect among the languages of that script."""
    return judge_all([text], config)[0]


def judge_all(texts: list[str], config: PipelineConfig) -> list[Judgement]:
    """:func:`judge` of each text. A text repeated (a running head, a byline, a paragraph
    printed twice) is judged once, since the judgement depends on the text alone; the texts
    langdetect reads are given to it together, a script's at a time."""
    unique = list(dict.fromkeys(texts))
    judged = dict(zip(unique, _judge_by_script(unique)))
    alphabetic: dict[str, list[str]] = {}  # script -> its texts langdetect reads
    for text, judgement in judged.items():
        if judgement.tag is None and judgement.letters >= config.min_letters_for_language:
            alphabetic.setdefault(judgement.script, []).append(text)
    for script, script_texts in alphabetic.items():
        # Only the sample is read: cached by it, so the cache never holds a whole long block.
        languages = _alphabet_languages([text[:LANGDETECT_SAMPLE] for text in script_texts], script,
                                        config.langdetect_seed)
        for text, (tag, probability) in zip(script_texts, languages):
            judged[text] = Judgement(tag, probability, judged[text].letters, script)
    return [judged[text] for text in texts]


def _judge_by_script(texts: list[str]) -> list[Judgement]:
    """What the texts' characters settle (their scripts counted together): Chinese, Japanese,
    Korean, no letters; for an alphabet, only the letters and the script (langdetect's part is
    left to :func:`judge_all`)."""
    judgements, chinese = [], []
    counts = script_count_table(texts)
    kana, hangul, han = (SCRIPT_FAMILIES.index(name) for name in ("kana", "hangul", "han"))
    # dominant_script's choice: the family with the most letters, the first of them on a tie
    for row, letters, dominant in zip(counts.tolist(), counts.sum(axis=1).tolist(), counts.argmax(axis=1).tolist()):
        if letters == 0:
            judgements.append(Judgement(None, 0.0, 0, None))
        elif row[kana] >= 0.1 * letters:
            judgements.append(Judgement("ja", 1.0, letters, "han"))
        elif dominant == hangul:
            judgements.append(Judgement("ko", 1.0, letters, "hangul"))
        else:
            if dominant == han:  # its evidence counted below, with the other Chinese texts'
                chinese.append(len(judgements))
            judgements.append(Judgement(None, 0.0, letters, SCRIPT_FAMILIES[dominant]))
    for i, evidence in zip(chinese, script_evidence_together([texts[i] for i in chinese])):
        script = chinese_script(*evidence)
        judgements[i] = Judgement("zh" if script in (None, "mixed") else f"zh-{script}", 1.0,
                                  judgements[i].letters, "han", evidence)
    return judgements


ALPHABET_CACHE = 4096  # samples whose language is kept: documents repeat their short lines (running heads, bylines)
_alphabet_cache: OrderedDict[tuple[str, str, int], tuple[str | None, float]] = OrderedDict()
_alphabet_lock = threading.Lock()  # pages recognised in threads judge their language


def _alphabet_languages(samples: list[str], script: str, seed: int) -> list[tuple[str | None, float]]:
    """The language of each sample written in an alphabet: langdetect's best among the languages
    of that script, or Latin, which langdetect does not know. Kept for the ALPHABET_CACHE samples
    used last (the answer depends on the sample, the script and the seed alone)."""
    keys = [(sample, script, seed) for sample in samples]
    found = {}
    with _alphabet_lock:
        for key in keys:
            if key in _alphabet_cache:
                _alphabet_cache.move_to_end(key)
                found[key] = _alphabet_cache[key]
    missing = [key for key in dict.fromkeys(keys) if key not in found]
    if missing:
        allowed = {"latin": LATIN_LANGUAGES, "cyrillic": CYRILLIC_LANGUAGES}.get(
            script, frozenset({"el", "ar", "fa", "ur", "he"}))
        for key, (tag, probability) in zip(missing, _langdetect([sample for sample, _, _ in missing], allowed, seed)):
            sample = key[0]
            if script == "latin" and reads_as_latin(sample):
                tag = "la"
            elif script == "greek" and tag == "el" and reads_as_ancient_greek(sample):
                tag = "grc"
            found[key] = tag, probability
        with _alphabet_lock:
            for key in missing:
                _alphabet_cache[key] = found[key]
            while len(_alphabet_cache) > ALPHABET_CACHE:
                _alphabet_cache.popitem(last=False)
    return [found[key] for key in keys]


def label_languages(doc: Document, config: PipelineConfig) -> None:
    """Set ``lang`` on every block, the document's main language and its language usage.

    Long blocks speak for themselves. A shorter block keeps langdetect's answer when that
    is the language around it, and switches language only on near-certain evidence;
    otherwise it takes its context's language (headings, short lines, names).
    """
    # a block without edits reads as it stands
    sources = [doc.text[b.start:b.end] for b in doc.blocks]
    texts = [reading_text(doc, b.start, b.end, edits) if edits else source
             for b, edits, source in zip(doc.blocks, edits_per_block(doc), sources)]
    judgements = judge_all(texts, config)
    scripts = [j.script for j in judgements]
    labels = [j.tag if j.probability >= 1.0 or (j.letters >= config.long_block_letters
                                                and j.probability >= config.min_language_probability)
              else None for j in judgements]
    # A heading belongs to what it heads: only a long one speaks for itself.
    candidates = [j if block.kind != "head" else Judgement(None, 0.0, j.letters, j.script)
                  for block, j in zip(doc.blocks, judgements)]
    _accept_short_blocks(candidates, labels, config)

    # A Chinese label is the block's own judgement, so its evidence is counted: summed, not counted again.
    chinese = [j.chinese_evidence for j, tag in zip(judgements, labels) if tag and tag.startswith("zh")]
    document_script = chinese_script(sum(s for s, _ in chinese), sum(t for _, t in chinese))
    chinese_default = f"zh-{document_script}" if document_script in ("Hans", "Hant") else "zh"
    labels = [chinese_default if tag == "zh" else tag for tag in labels]
    _modern_greek_unless_the_whole_is_ancient(texts, labels)
    _judge_scripts_without_evidence(texts, labels, scripts, config)
    _fill_from_context(labels, scripts)
    fallback = "und"
    for block, tag in zip(doc.blocks, labels):
        block.lang = tag or fallback

    sizes: Counter[str] = Counter()
    counted: dict[str, int] = {}  # a text the document repeats is counted once
    for block, source in zip(doc.blocks, sources):
        if (size := counted.get(source)) is None:
            size = counted[source] = non_space_characters(source)
        sizes[block.lang] += size
    doc.lang = sizes.most_common(1)[0][0] if sizes else fallback
    doc.languages = usage_percentages(sizes)


_ASCII_SPACE = bytes(code for code in range(128) if chr(code).isspace())


def non_space_characters(text: str) -> int:
    """How many characters of the text are not white space (``str.isspace``): an ASCII text's
    counted by deleting its spaces' bytes in C, another's by its words."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_SPACE))
    return sum(map(len, text.split()))


def _modern_greek_unless_the_whole_is_ancient(texts: list[str], labels: list[str | None]) -> None:
    """Paragraphs read as Ancient Greek stay so only when the document's polytonic Greek as a
    whole has none of the modern words: the learned Modern Greek of the 19th century
    (Katharevousa) writes whole paragraphs in the ancient manner, but not a whole text."""
    if "grc" not in labels:
        return
    words: list[str] = []
    for text, tag in zip(texts, labels):
        if tag in ("el", "grc"):
            block_words, polytonic = greek_words(text)
            if is_polytonic(block_words, polytonic):
                words += block_words
    if modern_greek_share(words) > MODERN_GREEK_SHARE:
        labels[:] = ["el" if tag == "grc" else tag for tag in labels]


def _accept_short_blocks(judgements: list[Judgement], labels: list[str | None], config: PipelineConfig) -> None:
    """Blocks with a guess but not the evidence of a long block: accept the guess when it is the
    language of a same-script neighbour or of the script's majority, or when it is near certain."""
    if not any(tag is None and judgement.tag is not None for judgement, tag in zip(judgements, labels)):
        return  # no block waits for acceptance
    letters: dict[str | None, Counter[str]] = {}
    for judgement, tag in zip(judgements, labels):
        if tag:
            if judgement.script not in letters:
                letters[judgement.script] = Counter()
            letters[judgement.script][tag] += judgement.letters
    majority = {script: counter.most_common(1)[0][0] for script, counter in letters.items()}
    previous = _nearest_labels(labels, [j.script for j in judgements], reverse=False)
    following = _nearest_labels(labels, [j.script for j in judgements], reverse=True)
    for i, judgement in enumerate(judgements):
        if labels[i] is not None or judgement.tag is None:
            continue
        context = {previous[i], following[i]}
        if judgement.script in majority:
            context.add(majority[judgement.script])
        if judgement.tag in context or judgement.probability >= config.switch_language_probability:
            labels[i] = judgement.tag


def _nearest_labels(labels: list[str | None], scripts: list[str | None], reverse: bool) -> list[str | None]:
    """For each block, the label of the nearest labelled block of the same script before it
    (or after it, with ``reverse``)."""
    nearest: list[str | None] = [None] * len(labels)
    seen: dict[str | None, str] = {}
    order = range(len(labels) - 1, -1, -1) if reverse else range(len(labels))
    for i in order:
        nearest[i] = seen.get(scripts[i])
        if labels[i] is not None:
            seen[scripts[i]] = labels[i]
    return nearest


def _judge_scripts_without_evidence(texts: list[str], labels: list[str | None],
                                    scripts: list[str | None], config: PipelineConfig) -> None:
    """Where no block of a script could be judged alone (a short document, a few lines of
    Russian), the blocks of that script are judged together, as the best evidence there is —
    if there are enough letters to judge at all (a catalogue number is not a language)."""
    for script in sorted({s for s in scripts if s}):
        members = [i for i, s in enumerate(scripts) if s == script]
        if any(labels[i] is not None for i in members):
            continue
        judgement = judge("\n".join(texts[i] for i in members), config)
        if judgement.letters >= config.min_letters_for_language:
            for i in members:
                labels[i] = judgement.tag


def _fill_from_context(labels: list[str | None], scripts: list[str | None]) -> None:
    """Unjudged blocks (headings, short lines) take the language of the nearest judged block
    written in the same script: the next one first (a heading belongs to what follows), then
    the previous one; blocks with no letters, or no such neighbour, take any nearest one."""
    if None not in labels:
        return  # every block judged
    anyscript = [None] * len(labels)
    same_after = _nearest_labels(labels, scripts, reverse=True)
    same_before = _nearest_labels(labels, scripts, reverse=False)
    any_after = _nearest_labels(labels, anyscript, reverse=True)
    any_before = _nearest_labels(labels, anyscript, reverse=False)
    for i, script in enumerate(scripts):
        if labels[i] is None:
            labels[i] = ((same_after[i] or same_before[i]) if script is not None else None) \
                or any_after[i] or any_before[i]


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
