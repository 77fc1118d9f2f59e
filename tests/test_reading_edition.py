"""The reading edition's shortcuts give what the straightforward conversion gives: many texts
in one OpenCC call, the blocks' texts gathered in one walk, the header alone re-indented."""

import copy
import random

import pytest
from lxml import etree

from conftest import SEEDS, parse
from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from pipeline.stages.scriptnorm import converter
from pipeline.tei import XML_LANG, local_name, reading_edition, tei
from pipeline.tei.reading_edition import (BLOCK_TAGS, build_reading_edition, convert_reading_text, convert_texts,
                                           reading_script)
from pipeline.tei.writer import indent

CONFIG = PipelineConfig()
CONFIGS = ["s2t.json", "s2tw.json", "s2hk.json", "t2s.json", "tw2s.json", "hk2s.json"]
CHINESE_SEEDS = [SEEDS[0], SEEDS[2]]  # a bilingual text in traditional script, a book in simplified
# Blocks inside blocks (furniture and a note in a paragraph, a list in an item), source
# readings (a block inside one), tails, a block ending in a description operator, an empty block; 苎 and 幺
# convert differently once and twice (苎 → 苧 → 薴); a phrase (头发) across the end of an
# element holding another.
COMPOSED = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="zh-Hans"><teiHeader><fileDesc><titleStmt>
<title>头发</title></titleStmt><sourceDesc><bibl><title xml:lang="zh-Hans">后来<note>发展</note>里</title>
</bibl></sourceDesc></fileDesc></teiHeader><text><body>
<p>苎麻</p><p>这个头<lb/>发很长<fw type="header">国家发<lb/>展苎</fw>经济<choice><orig>着</orig><reg>著</reg></choice>发展
<choice><sic>头<note>发<p>里面</p></note>发</sic><corr>头髮</corr></choice>后<note place="foot"><p>里面</p>书</note>面</p>
<p>这个<unclear>好<lb/>头</unclear>发</p><p xml:lang="en">hair 发</p><head>⿰</head><head>发展</head><p/><list><item>一<list><item>幺发</item></list>里</item></list>
</body></text></TEI>"""


def _reference_blocks(root: etree._Element, source: str) -> list[etree._Element]:
    """The blocks, by their definition: the text's elements of a block kind whose nearest
    xml:lang is ``source``, then the header's elements labelled ``source``."""
    def effective_lang(element):
        while element is not None:
            if element.get(XML_LANG):
                return element.get(XML_LANG)
            element = element.getparent()
        return None
    blocks = [element for element in root.find(tei("text")).iter(*BLOCK_TAGS) if effective_lang(element) == source]
    return blocks + [element for element in root.find(tei("teiHeader")).iter() if element.get(XML_LANG) == source]


def _reference_convert_block(block: etree._Element, convert, blocks) -> None:
    """One block, one OpenCC call: the conversion convert_reading_text must equal (the blocks
    inside it converted on their own, once)."""
    def inside_source_reading(element):
        while element is not None and element is not block.getparent():
            if local_name(element) in ("sic", "orig") or element is not block and element in blocks:
                return True
            element = element.getparent()
        return False
    segments = []  # in document order: an element's text, what it holds, its tail
    for event, element in etree.iterwalk(block, events=("start", "end")):
        if event == "start" and element.text and not inside_source_reading(element):
            segments.append((element, "text"))
        if event == "end" and element is not block and element.tail \
                and not inside_source_reading(element.getparent()):
            segments.append((element, "tail"))
    original = [getattr(el, slot) for el, slot in segments]
    joined = "".join(original)
    converted = convert.convert(joined)
    if len(converted) == len(joined):
        pieces, position = [], 0
        for piece in original:
            pieces.append(converted[position:position + len(piece)])
            position += len(piece)
    else:
        pieces = [convert.convert(piece) for piece in original]
    for (element, slot), piece in zip(segments, pieces):
        setattr(element, slot, piece)


def _composed_texts(rng: random.Random, chinese: str) -> list[str]:
    """Pieces of real Chinese cut anywhere (phrases straddle the cuts), with what converts
    differently at a text's edge: an ideographic description operator (it takes what follows
    as its operands), variation selectors, compatibility ideographs, line breaks, Latin."""
    specials = ["⿰", "⿱氵", "\ufe00", "\U000e0100", "\uf900", "\n", "", " ", "A-1", "发", "头", "後", "裡"]
    texts = []
    for _ in range(300):
        start = rng.randrange(len(chinese))
        piece = chinese[start:start + rng.choice([1, 2, 3, 8, 40])]
        if rng.random() < 0.3:
            piece = rng.choice(specials) + piece if rng.random() < 0.5 else piece + rng.choice(specials)
        texts.append(piece)
    return texts


@pytest.mark.parametrize("name", CONFIGS)
def test_texts_converted_in_one_call_are_converted_as_one_by_one(name):
    convert = converter(name)
    chinese = "".join(path.read_text(encoding="utf-8") for path in CHINESE_SEEDS).replace("\n", "")
    texts = _composed_texts(random.Random(name), chinese)
    assert convert_texts(texts, convert) == [convert.convert(t) for t in texts]


def test_a_description_operator_at_a_texts_end_is_converted_alone():
    convert = converter("s2tw.json")
    # joined, the operator would take the line break and 发 as its operands and leave 发 unconverted
    assert convert.convert("⿰\n发展") != convert.convert("⿰") + "\n" + convert.convert("发展")
    assert convert_texts(["⿰", "发展"], convert) == ["⿰", "發展"]


@pytest.fixture(scope="module")
def masters() -> list[tuple[etree._ElementTree, str]]:
    return [(parse(build_edition(path.read_bytes(), path.name, CONFIG).xml), path.name) for path in CHINESE_SEEDS]


@pytest.mark.parametrize("batch", [reading_edition.BATCH_CHARACTERS, 1])  # a big book's text in batches
def test_blocks_converted_many_at_a_time_are_converted_as_one_by_one(masters, batch, monkeypatch):
    monkeypatch.setattr(reading_edition, "BATCH_CHARACTERS", batch)
    composed = (etree.ElementTree(etree.fromstring(COMPOSED)), "composed", "zh-Hans")
    for master, name, source in [(tree, name, reading_script(tree)[0]) for tree, name in masters] + [composed]:
        convert = converter("s2tw.json" if source == "zh-Hans" else "t2s.json")
        by_batch, one_by_one = copy.deepcopy(master), copy.deepcopy(master)
        convert_reading_text(by_batch.getroot(), source, convert)
        blocks = _reference_blocks(one_by_one.getroot(), source)
        for block in blocks:
            _reference_convert_block(block, convert, blocks)
        assert etree.tostring(by_batch) == etree.tostring(one_by_one), name


def test_the_reading_edition_is_indented_as_a_whole_tree_would_be(masters):
    for master, name in masters:
        reading = build_reading_edition(copy.deepcopy(master), "master.tei.xml", CONFIG)[1]
        before = etree.tostring(reading)
        indent(reading.getroot())  # indenting is idempotent: a tree left unindented anywhere changes
        assert etree.tostring(reading) == before, name


def test_a_block_inside_a_block_is_converted_once():
    # OpenCC converted twice is no conversion: 苎 → 苧 → 薴, 幺 → 么 → 麼 (furniture inside a
    # paragraph, an item inside an item)
    convert = converter("s2tw.json")
    assert convert.convert(convert.convert("苎幺")) != convert.convert("苎幺")
    tree = etree.ElementTree(etree.fromstring(COMPOSED))
    convert_reading_text(tree.getroot(), "zh-Hans", convert)
    fw = tree.find(".//{*}fw")
    assert "".join(fw.itertext()) == convert.convert("国家发展苎")
    inner = tree.findall(".//{*}item")[-1]
    assert inner.text == convert.convert("幺发")


def test_a_blocks_text_is_converted_in_document_order():
    # 头 in a doubted word over a line break, 发 after it: one phrase, 頭髮 (发 alone is 發)
    convert = converter("s2tw.json")
    assert convert.convert("头发") == "頭髮" and convert.convert("发") == "發"
    tree = etree.ElementTree(etree.fromstring(COMPOSED))
    convert_reading_text(tree.getroot(), "zh-Hans", convert)
    unclear = tree.find(".//{*}unclear")
    assert unclear.find("{*}lb").tail == "頭" and unclear.tail == "髮"
