"""Chinese page images through OCR, end to end: pages of period-style newspaper text (composed
here) rendered with WenQuanYi Zen Hei, recognised by Tesseract with Debian's Chinese models,
and the edition compared with what was drawn. Tesseract writes every Chinese character as a
word of its own and ASCII punctuation with spaces on both sides (``說 , 威``)."""

from __future__ import annotations

import re

import pytest

from pipeline.config import PipelineConfig
from pipeline.ingest.pages import ocr
from pipeline.process import build_edition
from pipeline.tei import tei
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse
from tests.test_ocr import CJK_FONT, _png, _render

if not CJK_FONT.exists():
    pytest.skip("fonts-wqy-zenhei is not installed: no Chinese page can be rendered", allow_module_level=True)
if "chi_tra" not in ocr.installed_models():
    pytest.skip("Debian's tesseract-ocr-chi-tra is not installed", allow_module_level=True)

NS = {"t": "http://www.tei-c.org/ns/1.0"}
NEWS = ["　　本埠消息，昨日午後三時許，南京路一帶忽有", "大批市民聚集，據聞係因米價飛漲，各米店門前排",
        "隊購米者絡繹不絕。巡捕房得訊後，即派探捕多名", "前往彈壓，秩序始告恢復。",
        "　　某君來函云：近來滬上物價騰貴，小民生計日", "艱，而富商巨賈猶復花天酒地，揮金如土，殊令人",
        "慨歎！記者以為此言實有見地，特為披露，以告當", "道。"]


def reading_text(tree) -> str:
    """The edition's text as a reader meets it: regularizations and corrections, no furniture."""
    parts = []

    def walk(element):
        if element.tag in (tei("orig"), tei("sic"), tei("fw")):
            return
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(tree.find(".//t:body", NS))
    return "".join(parts)


def _cer(found: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    found, truth = without_whitespace(found), without_whitespace(truth)
    return Levenshtein.distance(found, truth) / len(truth)


def test_ascii_punctuation_the_engine_spaced_between_chinese_characters_becomes_full_width():
    edition = build_edition(_png(_render(NEWS, font=CJK_FONT, size=44, width=1300)), "news.png",
                            PipelineConfig(ocr_languages="chi_tra"))
    assert edition.errors == []
    tree = parse(edition.xml)
    source = rebuild_source(tree)
    assert re.search(r"[\u4e00-\u9fff] , [\u4e00-\u9fff]", source), "the engine no longer spaces its commas"
    reading = reading_text(tree)
    assert not re.search(r"[\u4e00-\u9fff][ ,;:!?]", reading), reading
    drawn = "".join(NEWS).replace("　", "")
    assert reading.count("，") >= drawn.count("，") - 1
    assert "：" in reading and "！" in reading
    assert _cer(reading, drawn) < 0.04
    # each mark with its spaces is one regularization, the source's characters kept in <orig>
    spaced = [c for c in tree.iter(tei("choice")) if c.findtext("t:orig", namespaces=NS) == " , "]
    assert spaced and all(c.findtext("t:reg", namespaces=NS) == "，" for c in spaced)
