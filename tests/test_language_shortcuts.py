"""The language stage's shortcuts give what the plain computation gives: each fast path is
checked against the straightforward one on the seeds, the real corpora's texts and composed input."""

from __future__ import annotations

import random
import re
from pathlib import Path

from pipeline.stages.language import _fill_from_context


def _fill_from_context_plainly(labels: list[str | None], scripts: list[str | None]) -> None:
    """The rule as first written: for every block, the nearest judged block after and before
    it per script (None: any script), then the choice."""
    n = len(labels)
    following: list[dict[str | None, str]] = [{} for _ in range(n)]
    preceding: list[dict[str | None, str]] = [{} for _ in range(n)]
    seen: dict[str | None, str] = {}
    for i in range(n - 1, -1, -1):
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


def test_unjudged_blocks_take_the_same_neighbours_language_as_the_plain_rule():
    """Random documents of blocks in a few scripts (some without letters), a few labelled."""
    rng = random.Random(5)
    for _ in range(3000):
        n = rng.randrange(0, 14)
        scripts = [rng.choice(["latin", "latin", "greek", "han", None]) for _ in range(n)]
        labels = [rng.choice([None, None, "en", "de", "el", "zh-Hant"]) for _ in range(n)]
        fast, plain = list(labels), list(labels)
        _fill_from_context(fast, scripts)
        _fill_from_context_plainly(plain, scripts)
        assert fast == plain, (labels, scripts)


def _samples_the_pipeline_detects() -> list[tuple[str, frozenset[str]]]:
    """Every (sample, languages) the language stage gives langdetect on the seeds and on pages
    of the real corpora (German Fraktur, English, Latin, polytonic Greek), in order."""
    import pipeline.stages.language as language
    from pipeline.config import PipelineConfig
    from pipeline.process import build_document
    from tests.conftest import ROOT, SEEDS

    data = ROOT / "tests" / "data"
    inputs = [(seed.read_bytes(), seed.name) for seed in SEEDS]
    for folder in ("grenzboten-1841/tess-txt", "arnobius-1875/tess-hocr", "hobbes-1668/ocropus-hocr",
                   "swete-1901/tess-hocr"):
        inputs += [(path.read_bytes(), path.name) for path in sorted((data / folder).iterdir())]
    # composed: paragraphs in several scripts and languages, and one of capitals
    inputs.append(("\n\n".join([
        "Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν, καὶ θεὸς ἦν ὁ λόγος. οὗτος ἦν ἐν ἀρχῇ πρὸς τὸν θεόν.",
        "В начале было Слово, и Слово было у Бога, и Слово было Бог. Оно было в начале у Бога.",
        "Au commencement était la Parole, et la Parole était avec Dieu, et la Parole était Dieu.",
        "IM ANFANG WAR DAS WORT, UND DAS WORT WAR BEI GOTT, UND GOTT WAR DAS WORT. DASSELBE WAR IM ANFANG.",
        "In principio erat Verbum, et Verbum erat apud Deum, et Deus erat Verbum. Hoc erat in principio apud Deum.",
    ]).encode("utf-8"), "composed.txt"))
    seen: list[tuple[str, frozenset[str]]] = []
    original = language._langdetect

    def recording(texts, allowed, seed):
        seen.extend((text, allowed) for text in texts)
        return original(texts, allowed, seed)

    language._langdetect = recording
    language._alphabet_cache.clear()
    try:
        for data_, name in inputs:
            build_document(data_, name, PipelineConfig())
    finally:
        language._langdetect = original
        language._alphabet_cache.clear()
    return seen


def test_the_fast_detector_gives_langdetects_probabilities_on_what_the_pipeline_detects():
    """The fast detector (n-grams kept by word, factors kept by alpha, draws made ahead, products
    in C, walks of many texts taken together in numpy) against langdetect's own Detector with the
    same profiles: every language's probability equal to the last bit, for each sample the stage
    detects, with 3 trials and langdetect's 7 (trials after the second draw their alpha from the
    text's own draws), twice (the second time from the factory's kept n-grams and factors),
    upper-cased, and with trials cut short by a lower iteration limit."""
    from pathlib import Path

    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY

    from pipeline.stages.fastdetect import FastDetectorFactory

    samples = _samples_the_pipeline_detects()
    assert len(samples) > 100 and len({allowed for _, allowed in samples}) == 3  # Latin, Cyrillic, Greek's group
    factories = {}
    for allowed in {allowed for _, allowed in samples}:
        profiles = [(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in sorted(allowed)
                    if (Path(PROFILES_DIRECTORY) / lang).is_file()]
        theirs, ours = DetectorFactory(), FastDetectorFactory()
        theirs.load_json_profile(profiles)
        ours.load_json_profile(profiles)
        factories[allowed] = theirs, ours

    def detect(factory, text, trials, limit):
        factory.set_seed(0)
        detector = factory.create()
        detector.n_trial, detector.ITERATION_LIMIT = trials, limit
        detector.append(text)
        try:
            detector.get_probabilities()
            return detector.langprob
        except Exception as error:  # "no features in text": the same error from both
            return repr(error)

    limit = 1000  # langdetect's ITERATION_LIMIT
    cases = [(text, allowed, 3, limit) for text, allowed in samples]
    cases += [(text.upper(), allowed, 3, limit) for text, allowed in samples]
    cases += [(text, allowed, 7, limit) for text, allowed in samples[::4]]
    cases += [(text, allowed, 3, 10) for text, allowed in samples[::5]] + [(text, allowed, 3, 0) for text, allowed in samples[::7]]
    expected = [detect(factories[allowed][0], text, trials, limit) for text, allowed, trials, limit in cases]
    for _ in range(2):
        assert [detect(factories[allowed][1], text, trials, limit) for text, allowed, trials, limit in cases] == expected
    assert [detect_together_(factories[allowed][1], [(text, trials, limit)])[0]
            for text, allowed, trials, limit in cases] == expected

    # The walks of many texts taken together (in numpy while enough are left, alone after), as the
    # stage takes a document's: groups of every size, the same probabilities.
    rng = random.Random(3)
    order = list(range(len(cases)))
    rng.shuffle(order)
    together = [None] * len(cases)
    start = 0
    while start < len(order):
        size = rng.choice([1, 2, 7, 20, 60, 200])
        group = order[start:start + size]
        start += size
        by_factory: dict[tuple[frozenset[str], int], list[int]] = {}
        for index in group:
            by_factory.setdefault((cases[index][1], cases[index][3]), []).append(index)
        for (allowed, _), indices in by_factory.items():
            found = detect_together_(factories[allowed][1], [(cases[i][0], cases[i][2], cases[i][3]) for i in indices])
            for index, result in zip(indices, found):
                together[index] = result
    assert together == expected


def detect_together_(factory, texts_trials_limits):
    """langprob of each text (its trials and iteration limit given), the texts' walks taken
    together by detect_together."""
    from pipeline.stages.fastdetect import detect_together

    factory.set_seed(0)
    detectors, walks = [], []
    for text, trials, limit in texts_trials_limits:
        detector = factory.create()
        detector.n_trial, detector.ITERATION_LIMIT = trials, limit
        detector.append(text)
        if (walk := detector.walk()) is not None:
            walks.append(walk)
        detectors.append(detector)
    detect_together(walks)
    return [detector.langprob if detector.langprob is not None
            else "LangDetectException('No features in text.')" for detector in detectors]


def test_the_standards_carry_the_same_characters_asked_one_at_a_time():
    """Whether Big5, KS X 1001, Big5-HKSCS and GB 2312 carry a character, asked per character
    as the script rules meet them, against the sets of every character the rules can ask about
    that each encoding carries; and characters outside those sets carry nothing."""
    from pipeline.stages.scriptnorm import attested_traditional, valid_simplified, valid_traditional
    from pipeline.stages.script import simplified_only, traditional_only

    def carried(encoding):
        found = set()
        for ch in simplified_only() | traditional_only():
            try:
                ch.encode(encoding)
                found.add(ch)
            except UnicodeEncodeError:
                pass
        return found

    big5, hanja, hkscs, gb = carried("cp950"), carried("euc-kr"), carried("big5hkscs"), carried("gb2312")
    asked = sorted(simplified_only() | traditional_only()) + list("于里干台的是A é")
    assert [valid_traditional(ch) for ch in asked] == [ch in big5 or ch in hanja for ch in asked]
    assert [attested_traditional(ch) for ch in asked] == [ch in hkscs for ch in asked]
    assert [valid_simplified(ch) for ch in asked] == [ch in gb for ch in asked]
    assert 1000 < len(gb) < len(simplified_only() | traditional_only())


def test_a_documents_character_counts_are_its_counter_whatever_is_asked():
    """Characters counted one at a time, then all at once past a few: the same numbers."""
    from collections import Counter

    from pipeline.stages.scriptnorm import _DocumentCounts
    from tests.conftest import SEEDS

    rng = random.Random(3)
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        counts, expected = _DocumentCounts(text), Counter(text)
        asked = [rng.choice(text) for _ in range(60)] + ["结", "結", "\x00"]
        assert [counts[ch] for ch in asked + asked] == [expected[ch] for ch in asked + asked]


def _texts_of_every_kind() -> list[str]:
    """Blocks of the seeds and of real pages (German Fraktur, English, Latin, polytonic Greek),
    and composed text: every script family, Vietnamese marks, addresses, astral characters,
    lone surrogates, control characters, empty text."""
    from tests.conftest import ROOT, SEEDS

    data = ROOT / "tests" / "data"
    texts = [block for seed in SEEDS for block in seed.read_text(encoding="utf-8").split("\n\n")]
    for folder in ("grenzboten-1841/tess-txt", "grenzboten-1841/gt"):
        texts += [path.read_text(encoding="utf-8") for path in sorted((data / folder).iterdir())]
    alphabet = ("ABCDEFGHIJKLMabcdefghijklm ÀÉÎÕÜàéîõüßœ ΑΒΓΔαβγδἀἁὰ АБВГабвг אבג عربيی ａｂｃ ぁあアカ ㄅㄆ 가나다 ᄀᄁ "
                "ẠẤẦạấầ ắ e\u0300 a\u0301 o\u0303 u\u0309 i\u0323 șțŞ 蘇聯外交于里干臺灣说說〇 𠀀𠀁𪚥 \ud800 \udfff "
                "\u2019\u201c\u00a0\u3000\t\n\x0b\x0c\x1c\x1f\x85.,;:!?0123456789 http://x.org a@b.cd")
    rng = random.Random(7)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300))) for _ in range(600)]
    return texts + ["", " ", "\ud800"]


def _script_counts_by_patterns(text: str) -> dict[str, int]:
    """Letters per script family as SCRIPT_PATTERNS match them, one text at a time."""
    from pipeline.stages.textshape import SCRIPT_PATTERNS

    return {name: n for name, pattern in SCRIPT_PATTERNS.items() if (n := len(pattern.findall(text)))}


def script_counts_together(texts: list[str]) -> list[dict[str, int]]:
    """script_count_table's rows as script_counts gives them."""
    from pipeline.stages.textshape import SCRIPT_PATTERNS, script_count_table

    return [{name: n for name, n in zip(SCRIPT_PATTERNS, row) if n} for row in script_count_table(texts).tolist()]


def script_evidence(text: str) -> tuple[int, int]:
    """(simplified-only, traditional-only) characters of the text, looked up one by one."""
    from pipeline.stages.script import simplified_only, traditional_only

    return sum(ch in simplified_only() for ch in text), sum(ch in traditional_only() for ch in text)


def test_scripts_counted_together_are_the_scripts_counted_one_text_at_a_time():
    """A document's blocks counted in one pass (a table of code points), and one text's
    (script_counts: its bytes if ASCII, else the table), against SCRIPT_PATTERNS' matches per
    text; the Chinese evidence likewise against the text's own characters, one at a time."""
    from pipeline.stages.script import script_evidence_together
    from pipeline.stages.textshape import script_counts

    texts = _texts_of_every_kind()
    assert [script_counts(text) for text in texts] == [_script_counts_by_patterns(text) for text in texts]
    assert script_counts_together(texts) == [script_counts(text) for text in texts]
    assert script_evidence_together(texts) == [script_evidence(text) for text in texts]
    for size in (1, 2, 5):  # and in small groups, as a short document's
        groups = [texts[i:i + size] for i in range(0, 40, size)]
        assert [script_counts_together(group) for group in groups] == [[script_counts(t) for t in group] for group in groups]
    assert script_counts_together([]) == [] and script_evidence_together([]) == []


def test_the_table_of_scripts_is_the_patterns_on_every_code_point():
    """Each code point's family in the table is the family whose pattern matches it."""
    import numpy as np

    from pipeline.stages.textshape import SCRIPT_PATTERNS, _script_table

    every = "".join(map(chr, range(0x110000)))
    expected = np.zeros(0x110000, dtype=np.uint8)
    for number, pattern in enumerate(SCRIPT_PATTERNS.values(), 1):
        for match in re.finditer(f"{pattern.pattern}+", every):
            expected[match.start():match.end()] = number
    assert np.array_equal(_script_table(), expected)


def test_the_detectors_text_steps_are_langdetects():
    """append (addresses, Vietnamese marks, spaces), cleaning_text (Latin letters among others),
    the normalized characters and the n-grams: FastDetector's against langdetect's own Detector
    on texts of every kind, lower- and upper-case."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY
    from langdetect.utils.ngram import NGram

    from pipeline.charmap import CharacterMap
    from pipeline.stages.fastdetect import _NORMALIZED, FastDetectorFactory

    profiles = [(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in ("de", "el", "en", "ru", "vi")]
    theirs, ours = DetectorFactory(), FastDetectorFactory()
    theirs.load_json_profile(profiles)
    ours.load_json_profile(profiles)
    table = CharacterMap(NGram.normalize)
    texts = _texts_of_every_kind()
    texts += [text.upper() for text in texts[-300:]] + ["Grün  und   blau", "  a\u0300  ", "x" * 12000]
    for text in texts:
        mine, langdetects = ours.create(), theirs.create()
        mine.append(text)
        langdetects.append(text)
        assert mine.text == langdetects.text, text
        mine.cleaning_text()
        langdetects.cleaning_text()
        assert mine.text == langdetects.text, text
        assert _NORMALIZED.translate(mine.text) == mine.text.translate(table)
        assert mine._extract_ngrams() == langdetects._extract_ngrams(), text


def test_non_space_characters_are_those_between_the_words():
    from pipeline.stages.language import non_space_characters

    rng = random.Random(2)
    texts = _texts_of_every_kind() + ["".join(map(chr, rng.choices(range(128), k=200))) for _ in range(200)]
    assert [non_space_characters(text) for text in texts] == [sum(map(len, text.split())) for text in texts]


def test_the_characters_a_chinese_blocks_rules_look_at_are_found_in_order():
    """The positions script normalization visits (looked up per code point in numpy) are those
    of the characters its rules look at, one by one, in blocks of the seeds and composed text."""
    from pipeline.stages.script import simplified_only, traditional_only
    from pipeline.stages.scriptnorm import _Candidates, variant_map

    texts = _texts_of_every_kind()
    rng = random.Random(4)
    strays = sorted(simplified_only())[:300] + sorted(traditional_only())[:300] + sorted(variant_map("tw"))[:100]
    texts += ["".join(rng.choice(strays + list("的是在了不和有大这主中人上为们地个用工时要动国 \n")) for _ in range(200))
              for _ in range(50)]
    document = "\n\n".join(texts)
    candidates = _Candidates(document)
    for script, standard, looked_at in [("Hant", "tw", simplified_only() | set(variant_map("tw"))),
                                        ("Hant", "none", simplified_only()), ("Hans", "none", traditional_only())]:
        start = 0
        for text in texts:
            end = start + len(text)
            assert candidates(start, end, script, standard) == [
                i for i in range(start, end) if document[i] in looked_at]
            start = end + 2


def test_a_blocks_engine_spaces_are_its_lines_engine_spaces():
    """cjk-spacing looks at a Chinese block's lines only when the block holds engine spaces:
    the pattern never reads a line break, so the block's matches are its lines' matches."""
    from pipeline.stages.textshape import SPACES_BETWEEN

    rng = random.Random(5)
    alphabet = "上海小報說，。 \n\u3000a(),."
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        by_line, offset = [], 0
        for line in text.split("\n"):
            by_line += [(offset + m.start(), offset + m.end()) for m in SPACES_BETWEEN.finditer(line)]
            offset += len(line) + 1
        assert [m.span() for m in SPACES_BETWEEN.finditer(text)] == by_line, text
