"""Encodings and mojibake: every supported encoding read right, damage kept as edits."""

from __future__ import annotations

import codecs
import difflib

import pytest
from lxml import etree

from pipeline.edits import reading_text
from pipeline.ingest.encoding import decode
from pipeline.stages.mojibake import mojibake_edits
from pipeline.process import build_document, build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import SEEDS, parse

TEXTS = {
    "zh-Hant": "蘇聯外交政策史論。外交是內政的延長，不同的政治經濟結構，可以產生不同的外交政策。",
    "zh-Hans": "论苏联外交政策的特点。外交政策决定于经济制度，一个国家的外交政策归根到底是由它的经济制度决定的。",
    "ja": "日本語の文章です。この文書は東京の図書館で見つかりました。",
    "ko": "이 문서는 서울의 도서관에서 발견되었습니다. 한국어로 쓰여 있습니다.",
    "en": "The “new look” since Stalin’s death — a reaffirmation… of principles.",
    "fr": "Le garçon a mangé une crème brûlée près de la fenêtre, à Genève.",
    "de": "Die Außenpolitik der Sowjetunion wurde für Jahrzehnte geprägt.",
    "el": "Η Βουλή ψήφισε χθες τον νέο νόμο για την παιδεία, ύστερα από πολύωρη συζήτηση.",
    "ru": "Посол сообщил в Москву, что переговоры о торговом договоре затянутся до весны.",
    "bg": "Министърът на външните работи заяви, че преговорите ще продължат през есента.",
}
ENCODINGS = {
    "zh-Hant": ["utf-8", "big5", "big5hkscs", "gb18030", "utf-16-le", "utf-16-be"],
    "zh-Hans": ["utf-8", "gb2312", "gbk", "gb18030", "utf-16-le", "utf-16-be"],
    "ja": ["utf-8", "shift_jis", "utf-16-le"],
    "ko": ["utf-8", "euc-kr", "utf-16-be"],
    "en": ["utf-8", "cp1252", "gb18030", "utf-16-le"],
    "fr": ["utf-8", "cp1252", "latin-1", "utf-16-be"],
    "de": ["utf-8", "cp1252", "latin-1"],
    "el": ["utf-8", "cp1253", "iso8859-7", "utf-16-le"],  # Greek and Cyrillic code pages read alike
    "ru": ["utf-8", "cp1251", "koi8-r", "utf-16-be"],  # as letters: told apart by letters out of place
    "bg": ["cp1251"],
}
CASES = [(lang, enc) for lang, encs in ENCODINGS.items() for enc in encs]


@pytest.mark.parametrize("lang,encoding", CASES)
def test_each_encoding_is_read_right(lang, encoding):
    text, guess = decode(TEXTS[lang].encode(encoding), "sample.txt")
    assert text == TEXTS[lang]
    assert guess.confidence > 0.5


def _text_element(xml: bytes) -> bytes:
    return etree.tostring(parse(xml).getroot().find("{*}text"))


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


SEED_ENCODINGS = [(seed, enc) for seed in SEEDS
                  for enc in ["utf-8-sig", "utf-16", "gb18030", "big5hkscs", "cp1252"]
                  if _encodable(seed.read_text(encoding="utf-8"), enc)]


@pytest.mark.parametrize("seed,encoding", SEED_ENCODINGS, ids=[f"{s.name[:3]}-{e}" for s, e in SEED_ENCODINGS])
def test_seeds_reencoded_give_the_same_edition_text(seed_editions, config, seed, encoding):
    text = seed.read_text(encoding="utf-8")
    edition = build_edition(text.encode(encoding), seed.name, config)
    assert edition.errors == []
    assert _text_element(edition.xml) == _text_element(seed_editions[seed.name][1].xml)


def test_every_seed_is_reencodable_in_at_least_one_legacy_encoding():
    legacy = {seed for seed, enc in SEED_ENCODINGS if enc in ("gb18030", "big5hkscs", "cp1252")}
    assert len(legacy) == 5


def test_a_few_invalid_bytes_are_kept_as_recorded_edits(config):
    good = "外交是內政的延長，不同的政治經濟結構。\n" * 30
    data = good.encode() + b"\xff\xfe broken \x9f end.\n" + good.encode()
    edition = build_edition(data, "damaged.txt", config)
    assert edition.errors == []
    assert edition.document.source.encoding.encoding == "utf-8"
    damaged = [e for e in edition.document.edits if e.kind == "illegal-character"]
    assert [e.replacement for e in damaged] == ["\ufffd"] * 3
    assert "byte 0xFF is not valid utf-8" in damaged[0].reason
    rebuilt = rebuild_source(parse(edition.xml))
    assert rebuilt.count("\udcff") == 1 and "broken" in rebuilt
    assert without_whitespace(rebuilt) == without_whitespace(data.decode("utf-8", "surrogateescape"))


MOJIBAKE = [
    ("UTF-8 read as GBK", TEXTS["zh-Hans"], "utf-8", "gb18030"),
    ("UTF-8 read as GBK", TEXTS["zh-Hant"], "utf-8", "gb18030"),
    ("UTF-8 read as GBK", TEXTS["zh-Hans"], "utf-8", "gbk"),
    ("Big5 read as GBK", TEXTS["zh-Hant"], "big5", "gbk"),
    ("GBK read as Big5", TEXTS["zh-Hans"], "gbk", "big5hkscs"),
]


@pytest.mark.parametrize("kind,original,really,misread", MOJIBAKE)
def test_chinese_mojibake_is_repaired_and_recorded(config, kind, original, really, misread):
    """Misread with errors='replace' as editors do: where the misreading lost bytes, the
    repair shows U+FFFD; everything else comes back exactly."""
    try:
        broken, lossless = original.encode(really).decode(misread), True
    except UnicodeDecodeError:
        broken, lossless = original.encode(really).decode(misread, errors="replace"), False
    data = ("Title line\n\n" + broken + "\n").encode("utf-8")
    doc = build_document(data, "moji.txt", config)
    corrections = [e for e in doc.edits if e.kind == "correction"]
    assert corrections and all(kind in e.reason for e in corrections)
    block = doc.blocks[-1]
    repaired = reading_text(doc, block.start, block.end)
    recovered = difflib.SequenceMatcher(a=repaired, b=original, autojunk=False).ratio()
    if lossless:
        assert repaired == original
    elif kind == "Big5 read as GBK":
        # Python's GBK decoder drops one byte per bad pair and loses step: only part comes back.
        assert recovered >= 0.5
    else:
        assert recovered >= 0.75
    assert block.lang.startswith("zh")
    edition = build_edition(data, "moji.txt", config)
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(data.decode())


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_clean_seeds_have_no_mojibake_repairs(seed):
    assert mojibake_edits(seed.read_text(encoding="utf-8")) == []


def test_utf16_without_bom_is_detected():
    text = "Foreign relations of the Soviet Union.\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        decoded, guess = decode(text.encode(encoding), "x.txt")
        assert decoded == text and guess.encoding == encoding and not guess.bom


def test_bom_is_recorded(config):
    doc = build_document(codecs.BOM_UTF8 + "蘇聯".encode(), "bom.txt", config)
    assert doc.source.encoding.bom and doc.text == "蘇聯"


def test_an_ambiguous_file_records_a_runner_up_and_a_lower_confidence():
    text, guess = decode("中文".encode("big5"), "two-chars.txt")
    assert guess.runner_up is not None and guess.runner_up != guess.encoding
    assert guess.confidence < 1.0
    long_text, long_guess = decode(("中文的書籍與檔案。" * 40).encode("big5"), "long.txt")
    assert long_guess.encoding == "big5" and long_guess.confidence > guess.confidence


def test_one_soft_hyphen_in_a_cp1252_file_keeps_it_cp1252():
    """A 130-byte English cp1252 file with one U+00AD was read as Shift_JIS (its byte 0xAD is
    a half-width katakana there)."""
    from pipeline.ingest.encoding import decode

    for word in ("mer\u00adchants", "Ver\u00adhandlungen", "négo\u00adciants"):
        text = f"The delegates argued about the tariffs on grain and salt, which the {word} opposed.\nA line.\n"
        decoded, guess = decode(text.encode("cp1252"), "soft.txt")
        assert guess.encoding in ("cp1252", "latin-1") and decoded == text, guess


def test_chinese_in_utf16_without_a_byte_order_mark_is_not_binary():
    """CJK code units are full of bytes below 0x20: the file is tried as UTF-16 before it is
    called binary."""
    from pipeline.ingest.encoding import decode, looks_binary

    text = ("外交是內政的延長，不同的政治經濟結構，決定不同的外交政策。第一章緒論：蘇聯對外關係之演變，"
            "自十月革命以來，歷經干涉、承認、合作諸階段。\n") * 4
    for codec in ("utf-16-le", "utf-16-be"):
        for size in (40, 400):
            data = text[:size].encode(codec)
            assert looks_binary(data) is None, (codec, size)
            decoded, guess = decode(data, "zh.txt")
            assert decoded == text[:size] and guess.encoding == codec
    assert looks_binary(bytes(range(256)) * 8) is not None  # binary stays binary


@pytest.mark.parametrize("lang,encoding", CASES)
def test_the_lazy_ranking_is_the_ranking_of_every_reading_scored_in_full(lang, encoding):
    """Readings are scored in full only when their bound could put them next: the order must be
    the one every reading scored in full gives (ties in the order of the candidate list)."""
    from pipeline.ingest import encoding as decoding
    from pipeline.ingest.plausibility import code_page_penalty, plausibility

    data = (TEXTS[lang] + " " + TEXTS["en"]).encode(encoding, errors="replace") * 3
    ranked = list(decoding.ranked_candidates(data))
    order = [decoder for decoder, _ in decoding.CANDIDATES]
    full = []
    for candidate in ranked:
        score = plausibility(candidate.text) * (1 - min(1.0, 20 * candidate.invalid / max(1, len(candidate.text))))
        if candidate.decoder in decoding.SINGLE_BYTE:
            score = max(0.0, score - code_page_penalty(candidate.text))
        assert score == candidate.score
        full.append((-round(score, 3), order.index(candidate.decoder), candidate.decoder))
    assert len(ranked) >= 2 and [c.decoder for c in ranked] == [decoder for *_, decoder in sorted(full)]


def test_plausibility_does_not_depend_on_the_order_characters_are_met():
    """Scores are summed in whole twentieths: the same words in another order score the same
    (summed as floats, character by character, they did not: 0.825 and 0.8250000000000001)."""
    from pipeline.ingest.plausibility import plausibility

    words = "Genève — garçon de » ministère brûlée naïve".split()
    assert plausibility(" ".join(words)) == plausibility(" ".join(reversed(words))) == 0.825


def _every_reading_scored_in_full(data: bytes) -> tuple[str, tuple, list[tuple[str, str, float]]]:
    """What decode() must answer, found the plain way: every candidate's sample decoded (its
    damage counted by an error handler, one call per damaged stretch) and scored in full, the
    readings sorted by score; no bound, no early stop. With the ranking: (decoder, label, score)."""
    from pipeline.ingest import encoding as decoding
    from pipeline.ingest.plausibility import code_page_penalty, plausibility

    for bom, encoding in decoding._BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="surrogatepass"), (encoding, 1.0, None, None), []
    if data.isascii() and b"\x00" not in data:
        return data.decode("ascii"), ("utf-8", 1.0, None, None), []
    sample = decoding._sample(data)
    try:
        utf8 = not sample.isascii() and bool(sample.decode("utf-8"))
    except UnicodeDecodeError:
        utf8 = False
    damage = []

    def count(error: UnicodeDecodeError) -> tuple[str, int]:
        damage.append(error)
        return "\ufffd", error.end

    codecs.register_error("test-count-damage", count)
    readings = []
    for rank, (decoder, labels) in enumerate(decoding.CANDIDATES):
        if (decoder.startswith("utf-16") and len(data) % 2) or (utf8 and decoder in decoding.ALPHABET_CODE_PAGES):
            continue
        part = sample[: len(sample) // 2 * 2] if decoder.startswith("utf-16") else sample
        damage.clear()
        text = part.decode(decoder, errors="test-count-damage")
        if len(damage) > max(2, len(sample) // 200):
            continue
        label = next((name for name in labels if _encodable(text, name) and text.encode(name) == part), decoder)
        score = plausibility(text) * (1 - min(1.0, 20 * len(damage) / max(1, len(text))))
        if decoder in decoding.SINGLE_BYTE:
            score = max(0.0, score - code_page_penalty(text))
        readings.append((-round(score, 3), rank, score, label, decoder, text))
    readings.sort(key=lambda reading: reading[:2])
    certain_utf8 = utf8 and b"\x00" not in sample
    best = next(r for r in readings if r[4] == "utf-8") if certain_utf8 else readings[0]
    runner_up = next((r for r in readings if r is not best and r[5] != best[5]), None)
    margin = best[2] - runner_up[2] if runner_up else best[2]
    confidence = round(max(0.0, min(1.0, best[2] * (0.5 + 5 * margin))), 2)
    if certain_utf8:
        confidence = max(confidence, 0.99)
    errors = "surrogatepass" if best[4].startswith("utf-16") else "surrogateescape"
    return data.decode(best[4], errors=errors), (best[3], confidence, runner_up and runner_up[3],
                                                 runner_up and round(runner_up[2], 2)), \
        [(decoder, label, score) for *_, score, label, decoder, _text in readings]


def test_the_encoding_benchmark_decodes_as_every_reading_scored_in_full():
    """decode() scores readings lazily and counts damage in C: on every item of the encodings
    benchmark (each text in each encoding that carries it, long and short; mojibake; clean
    text) and on the seeds in every encoding that carries them, its text, encoding, confidence
    and runner-up are those the plain way gives, and so is the ranking of every reading."""
    from pipeline.ingest.encoding import ranked_candidates
    from bench.encodings import clean_items, encoding_items, mojibake_items

    inputs = [item.data for item in encoding_items() + mojibake_items() + clean_items()]
    seeds = [path.read_text(encoding="utf-8") for path in SEEDS]
    inputs += [text.encode(encoding) for text in seeds + [TEXTS["zh-Hans"] + " Stalin 与 Molotov 谈判。"]
               for encoding in ("utf-8", "gb18030", "big5hkscs", "cp932", "cp949", "utf-16-le", "cp1252")
               if _encodable(text, encoding)]
    assert len(inputs) > 600
    for data in inputs:
        text, guess = decode(data, "item.txt")
        expected_text, expected_guess, ranking = _every_reading_scored_in_full(data)
        assert (text, (guess.encoding, guess.confidence, guess.runner_up, guess.runner_up_confidence)) \
            == (expected_text, expected_guess), data[:60]
        if ranking:
            assert [(c.decoder, c.encoding, c.score) for c in ranked_candidates(data)] == ranking, data[:60]


def test_lone_cjk_characters_and_spaced_hanzi_counted_by_numpy_are_those_regexes_find():
    """Plausibility counts the CJK characters standing alone beside an ASCII letter, and the
    spaces between hanzi, with numpy, every position at once: the counts must be those the
    regular expressions of their definitions find, on texts drawn from letters, CJK characters
    of each kind, spaces and punctuation, and on the seeds misread as UTF-16 and GB18030."""
    import random

    from pipeline.ingest.plausibility import _CountedByCode
    from tests.plausibility_reference import SPACED_HAN, lone_cjk_touching_latin

    rng = random.Random(7)
    alphabet = "aZq .é1\n中文字한글カなぁ\u3400\u9fff\u30ff\uac00\ud7af\u33ff\u2fff。"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(20000)]
    texts += [path.read_bytes().decode(codec, errors="replace") for path in SEEDS for codec in ("utf-16-le", "gb18030")]
    texts += ["".join(rng.choice("中 文a한 ") for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    counts = [lone_cjk_touching_latin(text) for text in texts]
    assert sum(counts) > 1000
    by_code = [_CountedByCode(text) for text in texts]
    assert [counted.lone_cjk() for counted in by_code] == counts
    spaced = [len(SPACED_HAN.findall(text)) for text in texts]
    assert [counted.spaced_han() for counted in by_code] == spaced and sum(spaced) > 500


def test_damage_counted_in_the_decoded_text_is_the_damage_a_handler_counts():
    """Where the codec puts U+FFFD itself, the damaged stretches are counted in the decoded text
    (a stretch of bytes at a time, to drop a reading that is not this encoding), in a single-byte
    code page as its undefined bytes: on the seeds saved in every
    encoding, stretches of them and bytes at random, the text and the count (or the verdict
    "too damaged") are those an error handler counting each stretch gives."""
    import random

    from pipeline.ingest import encoding as decoding

    rng = random.Random(11)
    samples = [path.read_text(encoding="utf-8").encode(saved, errors="replace")[start:start + size]
               for path in SEEDS for saved in ("utf-8", "gb18030", "big5hkscs", "cp932", "cp949", "cp1252")
               for start, size in ((0, 40000), (1, 3001), (7, 200))]
    samples += [bytes(rng.choice([rng.randrange(256), 0xE4, 0xB8, 0x41, 0x84, 0x31, 0xA4, 0x37]) for _ in range(n))
                for n in [rng.randrange(1, 3000) for _ in range(300)]]
    samples += ["\ufffd 蘇聯".encode(codec) * 50 for codec in ("utf-8", "gb18030")]  # U+FFFD itself in the text
    damage = []

    def count(error: UnicodeDecodeError) -> tuple[str, int]:
        damage.append(error)
        return "\ufffd", error.end

    codecs.register_error("test-count-each-stretch", count)
    for sample in samples:
        limit = max(2, len(sample) // 200)
        for decoder in decoding._REPLACING_IN_C + decoding.SINGLE_BYTE:
            damage.clear()
            expected = sample.decode(decoder, errors="test-count-each-stretch")
            try:
                got = decoding._decode_counting(sample, decoder, limit)
            except decoding._TooDamaged:
                got = None
            assert got == (None if len(damage) > limit else (expected, len(damage))), (decoder, sample[:40])


def test_the_confidence_in_utf8_decided_by_bounds_is_the_one_its_score_gives():
    """Valid multi-byte UTF-8 is trusted at 0.99 or 1.0; bounds of its score decide which
    unless they disagree (ftfy's count is then searched for). On stretches of the seeds with
    mojibake-looking pieces and suspect characters sprinkled in, in UTF-8, the confidence and
    runner-up are those every reading scored in full gives."""
    import random

    rng = random.Random(5)
    pieces = ["Ã©", "â€™", "“", "”", "—", "…", "é", "Â ", "×²", "蘇聯", "\u00a0", "ü"]
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    for _ in range(150):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        words = list(text[start:start + rng.choice([30, 300, 3000])])
        for _ in range(rng.choice([0, 1, 5, 40])):
            words.insert(rng.randrange(len(words) + 1), rng.choice(pieces))
        data = "".join(words).encode("utf-8")
        if data.isascii():
            continue
        _text, guess = decode(data, "item.txt")
        _expected_text, expected, _ranking = _every_reading_scored_in_full(data)
        assert (guess.encoding, guess.confidence, guess.runner_up, guess.runner_up_confidence) == expected


def test_plausibility_counted_by_numpy_is_plausibility_counted_character_by_character():
    """Plausibility counts a text's characters by part with numpy, in no order of first
    appearance: on the seeds read in every candidate encoding, the texts above, random mixtures
    and texts whose script families tie for the most letters (the first met then decides), its
    figures are those of the characters counted one by one, in order (a Counter)."""
    import random

    from pipeline.ingest import encoding as decoding
    from pipeline.ingest.plausibility import Plausibility
    from tests.plausibility_reference import PlausibilityByCharacter

    texts = [path.read_bytes()[:40000].decode(decoder, errors="replace")
             for path in SEEDS for decoder, _labels in decoding.CANDIDATES]
    texts += list(TEXTS.values())
    rng = random.Random(3)
    alphabet = "aZ .,é\nçαβΩжЖ中文字한글カな\u3000“”\x01\x85\ufffd\U00020000\ud800ß€"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    # mostly ASCII (the others counted apart), the CJK ones beside letters and spaces
    texts += ["".join(rng.choice("abc  xyz.\n" * 8 + alphabet) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    texts += [text + " plain words" * 8 for text in texts[-300:]] + ["中 文a한 ab 中文 中x中 x中 文 " + "word " * 40]
    ties = ["garçon éé αβγ", "αβγ garçon éé", "жжж ééé", "ééé жжж", "ab éé αα жж", "ab αα éé жж", ""]
    texts += [tie + " and plain words" * 5 for tie in ties] + ["éé αα" + " ." * 20, "αα éé" + " ." * 20] + ties
    figures = []
    for text in texts:
        numpy_counted, counted = Plausibility(text), PlausibilityByCharacter(text)
        figures.append((numpy_counted.total, numpy_counted.before_badness, numpy_counted.latin_factor))
        assert figures[-1] == (counted.total, counted.before_badness, counted.latin_factor), text[:40]
    # the ties are told apart by the family met first: Latin first is dense accented Latin
    assert figures[-7][2] != figures[-6][2] and figures[-5][2] != figures[-4][2] and figures[-9][2] != figures[-8][2]
    # a single-byte reading counted in its bytes
    samples = [path.read_text(encoding="utf-8").encode(saved, errors="replace")[:40000]
               for path in SEEDS for saved in ("utf-8", "gb18030", "cp1252", "cp1251", "utf-16-le")]
    samples += [text.encode("utf-8") for text in ties + list(TEXTS.values())]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    samples += [bytes(rng.choice([rng.randrange(256), 0x61, 0x20, 0x41]) for _ in range(rng.randint(0, 80)))
                for _ in range(300)]
    for data in samples:
        for decoder in decoding.SINGLE_BYTE:
            text = data.decode(decoder, errors="replace")
            by_bytes = Plausibility(text, code_page=(data, decoding._code_page(decoder)))
            counted = PlausibilityByCharacter(text)
            assert (by_bytes.total, by_bytes.before_badness, by_bytes.latin_factor) == (
                counted.total, counted.before_badness, counted.latin_factor), (decoder, data[:40])


def test_the_parts_of_cjk_characters_learnt_all_at_once_are_those_learnt_one_at_a_time():
    """A wrong reading meets thousands of kana, hangul and Han characters: their parts are
    learnt all at once, by numpy, from the standards' levels. For every such code point (and
    the kind of every code point around their blocks), the part is the one _part_symbol()
    gives character by character."""
    import numpy

    from pipeline.ingest import plausibility as P

    P._CountedByCode("x")  # the table of parts made
    around = numpy.concatenate([numpy.arange(0x2F00, 0xFB10), numpy.arange(0x1FFF0, 0x20010),
                                numpy.arange(0x3FFF0, 0x40010)])
    assert P._is_cjk_code(around).tolist() == [P._character_kind(chr(code))[0] == "cjk" for code in around.tolist()]
    codes = numpy.arange(0x110000)
    cjk = codes[P._is_cjk_code(codes)]
    assert len(cjk) > 170000
    P._learn_cjk_parts(cjk)
    learnt = P._PART_OF.take(cjk).tolist()
    assert [P._PARTS[part] for part in learnt] == [P._PARTS[ord(P._part_symbol(chr(code)))] for code in cjk.tolist()]
    assert len({P._PARTS[part] for part in learnt}) >= 10  # kana, hangul common or not, Han of every level


def test_private_use_and_surrogate_code_points_are_learnt_as_one_at_a_time():
    """Surrogates and private use characters are learnt all at once as what neutral_score()
    gives them one at a time: no plausibility, no script family."""
    import numpy

    from pipeline.ingest import plausibility as P

    P._CountedByCode("x")  # the table of parts made
    codes = numpy.concatenate([numpy.arange(0xD000, 0xF900), numpy.arange(0xEFFF0, 0x110000)])
    chosen = P._is_private_or_surrogate(codes)
    assert 0 < chosen.sum() < len(codes)
    P._learn_parts(codes[chosen])
    assert all(P._PARTS[part] == ("neutral", 0, None, ()) == P._PARTS[ord(P._part_symbol(chr(code)))]
               for part, code in zip(P._PART_OF.take(codes[chosen]).tolist(), codes[chosen].tolist()))


def test_cjk_plausibility_from_several_threads_on_a_fresh_table_is_that_of_one_thread(monkeypatch):
    """Dask's worker threads and the OCR threads judge texts at once: on a fresh table of parts,
    threads starting together each learning CJK, Greek and Latin characters get the scores one
    thread gets (no table replaced by a blank one, no two parts given one symbol)."""
    import threading

    import numpy

    from pipeline.ingest import plausibility as P

    texts = ["中文字 text 漢字の本", "한국어 문장입니다", "Ελληνικά γράμματα καὶ λόγος", "naïve café 中國 ソフト",
             "Grenzboten, Würde und Größe", "日本語のテキストです。"] * 2
    expected = [P.plausibility(text) for text in texts]
    monkeypatch.setattr(P, "_PART_OF", numpy.full(0x110000, P._UNKNOWN, numpy.uint16))
    monkeypatch.setattr(P, "_PARTS", [])
    monkeypatch.setattr(P, "_SYMBOL_OF_PART", {})
    monkeypatch.setattr(P, "_SYMBOL_OF", P._SymbolOf())
    start, scores = threading.Barrier(len(texts)), [None] * len(texts)

    def judge(index: int) -> None:
        start.wait()
        scores[index] = P.plausibility(texts[index])

    threads = [threading.Thread(target=judge, args=(index,)) for index in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert scores == expected
    assert len(set(P._SYMBOL_OF_PART.values())) == len(P._PARTS)  # one symbol per part
