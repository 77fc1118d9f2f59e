"""Structure of each kind of document, on the seeds and on documents of the same kinds in
other words: bilingual article, diplomatic dispatch, encyclopaedia page, essay."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.process import build_document, build_edition
from pipeline.tei import XML_ID, XML_LANG
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

CONFIG = PipelineConfig()


def _edition(text: str):
    edition = build_edition(text.encode("utf-8"), "doc.txt", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
    return edition, tree


def _text(element) -> str:
    return "".join(element.itertext())


BILINGUAL = """Title: Trade Between Neighbours
Author: Wang Li
Date: 1950-03-02
Page: 3

　　Trade Between Neighbours
　　Wang Li
　　Trade between neighbouring countries grows when the roads are safe and the tariffs are low. This was the experience of the border provinces.

　　Markets
　　The markets of the border towns opened every fifth day. Merchants came from both sides with cloth and tea.

　　They returned with salt, iron tools and news of the harvest.

-----
Original:

### 邻国之间的贸易
王立
1950-03-02
第3版()

　　邻国之间的贸易
　　王立
　　道路安全、关税低廉的时候，邻国之间的贸易就会增长。这是边境各省的经验。
　　市场
　　边境城镇的市场每五天开一次。商人们从两边带来布匹和茶叶。
　　他们带回食盐、铁器和收成的消息。
"""


def test_bilingual_article_is_split_aligned_and_described(seed_editions):
    for edition_xml in (seed_editions["000_98e9ae74c10308c1.txt"][1].xml, _edition(BILINGUAL)[0].xml):
        tree = parse(edition_xml)
        translation = tree.find(".//{*}body/{*}div[@type='translation']")
        original = tree.find(".//{*}body/{*}div[@type='original']")
        assert translation.get(XML_LANG) == "en" and original.get(XML_LANG) == "zh-Hans"
        by_id = {e.get(XML_ID): e for e in tree.iter() if e.get(XML_ID)}
        pairs = [(e, by_id[e.get("corresp")[1:]]) for e in translation.iter() if e.get("corresp")]
        assert len(pairs) >= 5
        for english, chinese in pairs:
            assert english.tag == chinese.tag and by_id[chinese.get("corresp")[1:]] is english
        bibl = tree.find(".//{*}sourceDesc/{*}bibl")
        assert bibl.find("{*}title[@type='original']").get(XML_LANG) == "zh-Hans"
        assert bibl.find("{*}biblScope[@unit='page']").text in ("5", "3")
        layout = [_text(fw) for fw in tree.iter("{*}fw") if fw.get("type") == "layout"]
        assert any(t in ("<hr />", "-----") for t in layout) and "Original:" in layout


def test_bilingual_halves_that_do_not_agree_are_reported_not_forced():
    unequal = BILINGUAL.replace("　　They returned with salt, iron tools and news of the harvest.\n", "")
    doc = build_document(unequal.encode(), "doc.txt", CONFIG)
    assert any("not aligned" in note for note in doc.notes)
    assert not any("align" in b.attrs for b in doc.blocks)


DISPATCH = """SECRET

THE SITUATION IN THE NORTHERN PROVINCES

Sir,
\tI have the honour to report on the situation in the northern provinces, where the harvest has failed for the second year.
[...]
\t7. The governor[footnoteRef:5] has asked for grain from the capital.  [5:  He was appointed in March 1951 by decree \\No 41 of the Соuncil.]
\t8. No reply has yet been received.
"""


def test_dispatch_structure_on_the_seed_and_on_another_dispatch(seed_editions):
    for edition_xml, classification, salute, numbers, note in (
        (seed_editions["003_22d16b25c756b627.txt"][1].xml, "CONFIDENTIAL", "My Lord Marquess,", ["4", "11", "12"], "2"),
        (_edition(DISPATCH)[0].xml, "SECRET", "Sir,", ["7", "8"], "5"),
    ):
        tree = parse(edition_xml)
        assert classification in tree.findtext(".//{*}sourceDesc//{*}note[@type='classification']")
        assert _text(next(fw for fw in tree.iter("{*}fw") if fw.get("type") == "classification")) == classification
        assert _text(tree.find(".//{*}opener/{*}salute")) == salute
        assert [p.get("n") for p in tree.iter("{*}p") if p.get("n")] == numbers
        footnote = tree.find(f".//{{*}}note[@n='{note}']")
        anchor = tree.find(".//{*}ref[@type='noteAnchor']")
        assert footnote.get("place") == "foot" and footnote.get("target") == "#" + anchor.get(XML_ID)
        assert anchor.get("target") == "#" + footnote.get(XML_ID)
        assert tree.find(".//{*}gap[@reason='omitted']") is not None
        flags = {u.get("reason") for u in tree.iter("{*}unclear")}
        assert {"homoglyph", "stray-character"} <= flags


ENCYCLOPAEDIA = """Trade routes of the Steppe

Trade routes of the Steppe

The steppe routes linked the cities of the east and the west for many centuries. Caravans carried silk and horses. For the sea routes, see also the maritime trade page.

History

The earliest routes are known from archaeological finds along the rivers.

ee also

* Silk Road
* Caravanserai
* Nomadic empires

Example Foundation. 2009.

Look at other dictionaries:

  • Silk Road — The Silk Road was a network of trade routes … …   Wikipedia

  • Caravanserai — A caravanserai was a roadside inn … …   Wikipedia

  • Steppe — In physical geography, a steppe is an ecoregion … …   Wikipedia
"""


def test_encyclopaedia_page_on_the_seed_and_on_another_page(seed_editions):
    for edition_xml, title in ((seed_editions["001_9e5dab48311fb8fa.txt"][1].xml, "Foreign relations of the Soviet Union"),
                               (_edition(ENCYCLOPAEDIA)[0].xml, "Trade routes of the Steppe")):
        tree = parse(edition_xml)
        assert tree.findtext(".//{*}titleStmt/{*}title") == title
        heads = [_text(h) for h in tree.find(".//{*}body").iter("{*}head")]
        assert heads.count(title) == 1  # printed twice, one title
        see_also = next(c for c in tree.iter("{*}choice") if c.findtext("{*}sic") == "ee")
        assert see_also.findtext("{*}corr") == "See"
        assert tree.find(".//{*}body//{*}list/{*}item") is not None
        back = tree.find(".//{*}back/{*}div[@type='boilerplate']")
        assert back is not None and "Wikipedia" in _text(back)
        assert not any("Look at other dictionaries" in _text(p) for p in tree.find(".//{*}body").iter("{*}p"))
        assert tree.findtext(".//{*}sourceDesc//{*}publisher") in ("Wikimedia Foundation", "Example Foundation")


def test_essay_whitespace_is_normalized_as_recorded_edits(seed_editions):
    doc = seed_editions["004_1bc1af4be75deadb.txt"][1].document
    spaces = [e for e in doc.edits if e.kind == "regularization" and e.stage == "markers"]
    assert spaces and all(e.replacement == " " and ("\u00a0" in e.original or "  " in e.original) for e in spaces)
    edition, tree = _edition("A Short Essay\n\nThe first\u00a0point is  simple. The second is not.\n\nA Section\n\nMore text follows here.\n")
    regs = [c for c in tree.iter("{*}choice") if c.find("{*}reg") is not None]
    assert [c.findtext("{*}orig") for c in regs] == ["\u00a0", "  "]
    heads = [_text(h) for h in tree.iter("{*}head")]
    assert heads == ["A Short Essay", "A Section"]


def test_words_are_counted_whole_across_the_stretches_they_are_counted_in():
    from collections import Counter

    from pipeline.stages.hyphenation import WORD as HYPHENATED_WORD
    from pipeline.stages.sections import WORD
    from pipeline.stages.textshape import word_counts
    from tests.conftest import SEEDS

    text = "\n".join(seed.read_text(encoding="utf-8") for seed in SEEDS)
    for pattern in (WORD, HYPHENATED_WORD):
        whole = Counter(map(str.lower, pattern.findall(text)))
        assert word_counts(text, pattern, chunk=7) == whole  # stretches far shorter than a line
        assert word_counts(text, pattern) == whole


ARTICLE = ("The council met again in the spring and heard the merchants of the coast, who asked for lower\n"
           "tolls on the river and for a new road to the market town, which the council granted them.\n")
NEXT_ARTICLE = ("{title}\n\n"
                "Rain came late this year, and the farmers of the northern provinces brought in less grain\n"
                "than in any year since the great flood, so that the price of bread rose in every town.\n")


def test_printed_rules_as_ocr_reads_them_are_layout_between_articles_not_text():
    rules = ["--—-.. . —- —-----q-—-·", "——·", "———————————————————", "_______________ "]
    titles = ["The Harvest in the North", "Letters from Vienna", "A New Road to the Coast", "The Theatre"]
    text = "".join(f"{ARTICLE}\n{rule}\n\n{NEXT_ARTICLE.format(title=title)}\n" for rule, title in zip(rules, titles))
    _, tree = _edition(text)
    layout = [_text(fw).strip() for fw in tree.iter("{*}fw") if fw.get("type") == "layout"]
    assert layout == [rule.strip() for rule in rules]
    assert not any(rule.strip() in _text(p) for p in tree.iter("{*}p") for rule in rules)
    assert [_text(h) for h in tree.iter("{*}head")] == titles


def test_a_rule_that_ends_a_paragraph_block_is_split_from_it_and_a_page_number_between_dashes_is_none():
    text = f"{ARTICLE}_____________________________ \n\n{NEXT_ARTICLE.format(title='Letters')}\n— 3 —\n\n{ARTICLE}"
    doc = build_document(text.encode(), "rule.txt", CONFIG)
    layout = [doc.text[e.start:e.end].strip() for e in doc.edits if e.kind == "layout"]
    assert layout == ["_____________________________"]
    assert not any(e.kind == "layout" and "3" in doc.text[e.start:e.end] for e in doc.edits)


def test_a_line_mostly_of_marks_is_no_heading_and_a_title_is():
    text = f"{ARTICLE}\n»D.«—-«t)\n\n{ARTICLE}\nThe Harvest of 1841\n\n{ARTICLE}"
    doc = build_document(text.encode(), "marks.txt", CONFIG)
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "head"] == ["The Harvest of 1841"]
