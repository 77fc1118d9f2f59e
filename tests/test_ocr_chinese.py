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


NEWS_SIMPLIFIED = ["　　教育界消息：本市各中学定于下月一日同时开", "学，各校新生报名者异常踊跃，其中以女生为尤多",
                   "，足见风气之渐开也。读者投书，谓近日电车拥挤", "不堪，乘客上下，每有争先恐后之事，甚或因此受伤",
                   "者，请公司当局酌增车辆，以便行旅。本报特约通讯", "员自北平来电，谓该地天气骤寒，已降初雪，街头贫",
                   "民衣食无着，各慈善团体正筹办冬赈，募集棉衣米粮", "，分发灾黎。"]


@pytest.mark.parametrize("lines, model", [(NEWS, "chi_tra"), (NEWS_SIMPLIFIED, "chi_sim")])
def test_without_languages_a_chinese_page_is_read_with_the_model_of_its_script(lines, model):
    """Read with chi_tra and chi_sim together, a simplified page comes out in a mixture of the
    two scripts; each model alone reads it in its own script, and the engine is surer of the
    model of the page's script: that reading is kept, for this page and the next."""
    if "chi_sim" not in ocr.installed_models() or "osd" not in ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-chi-sim and tesseract-ocr-osd are needed")
    from pipeline.ingest.pages.compose import SourceFile

    half = len(lines) // 2
    files = [SourceFile(f"p{n}.png", _png(_render(part, font=CJK_FONT, size=44, width=1300)))
             for n, part in enumerate([lines, lines[half:]], start=1)]
    edition = build_edition(files, "news", PipelineConfig())
    assert edition.errors == []
    tree = parse(edition.xml)
    note = tree.find(".//t:note[@type='digitization']", NS).text
    assert f"{model} kept" in note and f"{model} chosen from an earlier page" in note, note
    drawn = "".join(lines + lines[half:]).replace("　", "")
    assert _cer(reading_text(tree), drawn) < 0.08  # both models together: 13-17 % on simplified pages
