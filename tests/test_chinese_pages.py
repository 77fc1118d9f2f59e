"""Chinese OCR text as engines export it: every character spaced out (``上 海 小 報``), ASCII
punctuation between spaces, the page number printed between dashes (``— 九九 —``) read with
the dashes as the numeral one (``一 九 九 一``). Pages composed here of period-style newspaper
text; the page numbers and running heads must be found as what they are."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from pipeline.tei import tei
from pipeline.tei.reader import rebuild_source
from tests.conftest import parse

NEWS = ("本埠消息，昨日午後三時許，南京路一帶忽有大批市民聚集，據聞係因米價飛漲，各米店門前排隊購米者絡繹不絕。"
        "巡捕房得訊後，即派探捕多名前往彈壓，秩序始告恢復。又訊，商會方面對於此事，已於昨晚召集緊急會議，"
        "到會者有各業代表四十餘人，議決呈請當局設法平抑米價，並勸告各米商勿得囤積居奇，以維民食。"
        "某君來函云：近來滬上物價騰貴，小民生計日艱，而富商巨賈猶復花天酒地，揮金如土，殊令人慨歎。"
        "戲院新聞：大舞臺本星期起排演新編歷史劇，劇情曲折，佈景新穎，連日售座極盛，後至者幾無立足之地。")
HEAD = "滬濱舊聞雜記卷二"
DIGITS = "〇一二三四五六七八九"


def _spaced(text: str) -> str:
    """As Tesseract writes Chinese: each character a word, ASCII punctuation between spaces."""
    return " ".join(text.translate(str.maketrans("，：。", ",:。")))


def _ocr_export(first: int, pages: int, dash: str = "一", per_page: int = 6, width: int = 20) -> str:
    lines = [NEWS[i:i + width] for i in range(0, len(NEWS), width)]
    out = []
    for page in range(pages):
        body = [lines[(page * per_page + k) % len(lines)] for k in range(per_page)]
        number = dash + "".join(DIGITS[int(d)] for d in str(first + page)) + dash  # 一: — as OCR reads it
        out.append("\n".join([_spaced(HEAD), *map(_spaced, body), _spaced(number)]))
    return "\n\n".join(out) + "\n"


def test_page_numbers_between_dashes_read_as_one_are_the_pages_numbers():
    """— 一〇〇 — comes out as 一 一 〇 〇 一: read as 11001 or as 100 between dashes; the
    sequence of the pages (99, 100, 101, 102) says which."""
    source = _ocr_export(99, 4)
    edition = build_edition(source.encode(), "news.txt", PipelineConfig())
    assert edition.errors == []
    tree = parse(edition.xml)
    numbers = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"]
    assert [fw.text for fw in numbers] == ["一 九 九 一", "一 一 〇 〇 一", "一 一 〇 一 一", "一 一 〇 二 一"]
    assert [fw.get("n") for fw in numbers] == ["99", "100", "101", "102"]  # the OCR's reading kept, the number in @n
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["100", "101", "102"]
    heads = [fw.text for fw in tree.iter(tei("fw")) if fw.get("type") == "header"]
    assert len(heads) >= 3 and set(heads) == {_spaced(HEAD)}
    assert rebuild_source(tree).split() == source.split()


def test_a_chinese_numeral_read_cleanly_is_the_page_number_as_printed():
    tree = parse(build_edition(_ocr_export(37, 4, dash="—").encode(), "news.txt", PipelineConfig()).xml)
    numbers = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"]
    assert [fw.text for fw in numbers] == ["— 三 七 —", "— 三 八 —", "— 三 九 —", "— 四 〇 —"]
    assert [fw.get("n") for fw in numbers] == [None] * 4  # read as printed: nothing to infer
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["38", "39", "40"]
