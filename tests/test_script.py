"""Chinese script normalization: stray characters corrected, variants regularized,
nothing right ever "corrected", and a reading edition in the other script."""

from __future__ import annotations

import re

import pytest

from pipeline.process import build_document
from pipeline.tei import XML_ID
from tests.conftest import parse

BOOK = "002_492f708f3fafdf19.txt"


def _script_edits(doc, kind):
    return [(e.original, e.replacement) for e in doc.edits if e.stage == "script" and e.kind == kind]


def test_the_book_corrects_exactly_the_two_stray_simplified_characters(seed_editions):
    doc = seed_editions[BOOK][1].document
    assert _script_edits(doc, "correction") == [("结", "結"), ("结", "結")]
    corrected_at = [doc.text[e.start - 7:e.end + 1] for e in doc.edits if e.kind == "correction"]
    assert corrected_at == ["俄國歷史發展的结果", "人類歷史進步的结果"]


def test_characters_valid_in_traditional_text_are_never_touched(seed_editions):
    doc = seed_editions[BOOK][1].document
    touched = {e.original for e in doc.edits if e.stage == "script"}
    for legitimate in "于台并却够强担刹里干":
        assert legitimate in doc.text
        assert legitimate not in touched
    xml = seed_editions[BOOK][1].xml.decode()
    assert "加里寧" in xml and "干涉" in xml


def test_variants_are_regularized_with_the_original_first(seed_editions):
    doc = seed_editions[BOOK][1].document
    pairs = set(_script_edits(doc, "regularization"))
    assert {("爲", "為"), ("裏", "裡"), ("衆", "眾"), ("着", "著"), ("綫", "線")} <= pairs
    tree = parse(seed_editions[BOOK][1].xml)
    for choice in tree.iter("{*}choice"):
        children = [child.tag.split("}")[1] for child in choice]
        assert children in (["sic", "corr"], ["orig", "reg"])
    normalization = "".join(tree.find(".//{*}normalization").itertext())
    count = len([e for e in doc.edits if e.kind == "regularization" and e.stage == "script"])
    assert f"{count} Chinese variant forms regularized to the Taiwan standard" in normalization


def test_the_standard_is_configurable(config):
    text = "他們爲了衆人的利益，在這裏工作着，這是著名的例子。這些人都說這樣的話。".encode()
    tw = build_document(text, "t.txt", config)
    none = build_document(text, "t.txt", config.model_copy(update={"script_standard": "none"}))
    assert ("爲", "為") in _script_edits(tw, "regularization")
    assert _script_edits(none, "regularization") == []


def test_a_character_with_several_counterparts_is_decided_by_its_phrase(config):
    text = ("這個國家的社會發展很快，文化發展也快，經濟發展更快。那個國家的經濟发展也很快。"
            "她的頭发很長，這是說過的話。這些書籍與檔案都應當妥善保存，讓後來的研究者閱讀。").encode()
    doc = build_document(text, "fa.txt", config)
    corrections = {doc.text[e.start - 1:e.end + 1]: e.replacement for e in doc.edits if e.original == "发"}
    assert corrections == {"濟发展": "發", "頭发很": "髮"}


def test_simplified_text_gets_traditional_strays_corrected(config):
    text = "这批档案是在一九五二年春天入藏的，共有四十箱信件。研究者在使用這些材料时应当注意。".encode()
    doc = build_document(text, "s.txt", config)
    assert doc.blocks[0].lang == "zh-Hans"
    assert _script_edits(doc, "correction") == [("這", "这")]
    assert _script_edits(doc, "regularization") == []


def test_reading_edition_has_the_same_structure_and_ids_in_the_other_script(seed_editions):
    edition = seed_editions[BOOK][1]
    assert edition.reading_lang == "zh-Hans" and edition.reading_errors == []
    master, reading = parse(edition.xml), parse(edition.reading_xml)
    ids = lambda tree: [e.get(XML_ID) for e in tree.iter() if e.get(XML_ID)]  # noqa: E731
    assert ids(master) == ids(reading)
    # the same elements, but for regularizations the conversion made no-ops (着 → 著 → 着): dropped
    readings = {"{http://www.tei-c.org/ns/1.0}" + name for name in ("choice", "orig", "reg")}
    tags = lambda tree: [e.tag for e in tree.find("{*}text").iter() if e.tag not in readings]  # noqa: E731
    assert tags(master) == tags(reading)
    choices = lambda tree: len(list(tree.find("{*}text").iter("{*}choice")))  # noqa: E731
    assert choices(reading) < choices(master)
    body = "".join(reading.find(".//{*}body").itertext())
    assert "苏联外交政策" in body and "蘇聯外交政策" not in re.sub("<sic>.*?</sic>", "", body)
    assert reading.find("{*}text").get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert reading.find(".//{*}relatedItem").get("target") == "002_492f708f3fafdf19.tei.xml"


@pytest.mark.slow
def test_reading_edition_is_valid_against_tei_all(seed_editions, tei_all):
    tree = parse(seed_editions[BOOK][1].reading_xml)
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]


def test_english_documents_have_no_reading_edition(seed_editions):
    assert seed_editions["003_22d16b25c756b627.txt"][1].reading_xml is None
