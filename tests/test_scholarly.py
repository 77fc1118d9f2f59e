"""What a TEI editor reads in the editions: structure and header that say what the source is
(issue 18), on the seeds and on documents composed here with the same cues in other words."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from tests.conftest import SEEDS, parse

CONFIG = PipelineConfig()
TEI = "{http://www.tei-c.org/ns/1.0}"

DISPATCH = """SECRET

THE GRAIN QUESTION IN THE NORTHERN PROVINCES

Sir,
\tI have the honour to report on the state of the harvest in the northern provinces, where the
autumn rains have delayed the gathering of the grain by several weeks this year.
[...]
\t5. The governor has asked the capital for grain, and the request is being considered.
[...]
\t9. To sum up, the shortage is real but it is not yet a famine, and it need not become one.
"""


def reading_text(element) -> str:
    """The text a reader sees: corr and reg, never sic and orig."""
    if element.tag in (f"{TEI}sic", f"{TEI}orig"):
        return ""
    parts = [element.text or ""]
    for child in element:
        parts.append(reading_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _edition(text: str, name: str):
    edition = build_edition(text.encode("utf-8"), name, CONFIG)
    assert edition.errors == []
    return parse(edition.xml)


def test_a_classification_marking_is_never_the_title():
    for tree, title in ((_edition(SEEDS[3].read_text(encoding="utf-8"), SEEDS[3].name),
                         "CONSIDERATIONS ON SOVIET FOREIGN POLICY"),
                        (_edition(DISPATCH, "dispatch.txt"), "THE GRAIN QUESTION IN THE NORTHERN PROVINCES")):
        assert tree.findtext(f".//{TEI}titleStmt/{TEI}title") == title
        classification = [fw.text for fw in tree.iter(f"{TEI}fw") if fw.get("type") == "classification"]
        assert classification in (["CONFIDENTIAL"], ["SECRET"])


def test_an_omission_on_a_line_of_its_own_is_not_a_heading():
    for tree in (_edition(SEEDS[3].read_text(encoding="utf-8"), SEEDS[3].name), _edition(DISPATCH, "dispatch.txt")):
        gaps = list(tree.iter(f"{TEI}gap"))
        assert len(gaps) == 2
        assert all(gap.getparent().tag == f"{TEI}p" for gap in gaps)
        assert not any(head.find(f"{TEI}gap") is not None for head in tree.iter(f"{TEI}head"))


HYPHENATED = """The delegates of the northern provinces argued at length about the tariffs on
grain and salt, which the merchants of the coast had long opposed, while the far-
mers inland asked for protection against foreign competition and for lower
freight rates on the new railway, which the govern-
ment had promised them in the spring. The well-known farmers of the north met again.
"""


def _declared(tree, element: str) -> str:
    return "".join(tree.find(f".//{TEI}editorialDecl/{TEI}{element}").itertext())


def test_every_editorial_declaration_says_what_the_body_does():
    import re

    for name, text in [(seed.name, seed.read_text(encoding="utf-8")) for seed in SEEDS] + [
            ("hyphenated.txt", HYPHENATED)]:
        tree = _edition(text, name)
        choices = list(tree.iter(f"{TEI}choice"))
        joined = sum(1 for c in choices if c.find(f"{TEI}orig") is not None and c.findtext(f"{TEI}orig") in "-¬⸗=\u00ad"
                     and not (c.findtext(f"{TEI}reg") or ""))
        hyphenation = _declared(tree, "hyphenation")
        if joined:
            assert f"{joined} hyphens that break a word" in hyphenation, (name, hyphenation)
        else:
            assert "No word broken at a line end was joined" in hyphenation, (name, hyphenation)
        regularized = sum(1 for c in choices if c.find(f"{TEI}orig") is not None) - joined
        stated = sum(int(n) for n in re.findall(r"(\d+) (?:Chinese variant|invisible|runs of layout|footnote "
                                               r"references|brackets|bullets|other)", _declared(tree, "normalization")))
        assert stated == regularized, (name, _declared(tree, "normalization"))
    assert "2 hyphens that break a word" in _declared(_edition(HYPHENATED, "hyphenated.txt"), "hyphenation")


TRADITIONAL = """國際貿易史論

第一章 緒論

他看着窗外的風景，心中想着故鄉的事情。外交是內政的延長，不同的政治經濟結構，決定不同的外交政策。
戰後各國重新考慮關稅的問題，而條約的談判往往需要數年之久，這是眾所周知的事實。
"""


def _reading(text: str, name: str):
    edition = build_edition(text.encode("utf-8"), name, CONFIG)
    assert edition.reading_errors == [] and edition.reading_xml is not None
    return parse(edition.reading_xml)


def test_a_reading_edition_carries_no_regularization_that_regularizes_nothing():
    for text, name in ((SEEDS[2].read_text(encoding="utf-8"), SEEDS[2].name), (TRADITIONAL, "trad.txt")):
        master = parse(build_edition(text.encode("utf-8"), name, CONFIG).xml)
        reading = _reading(text, name)
        assert any(c.findtext(f"{TEI}orig") == "着" for c in master.iter(f"{TEI}choice"))  # 着 → 著 in the master
        no_ops = [c for c in reading.iter(f"{TEI}choice")
                  if c.find(f"{TEI}orig") is not None and c.findtext(f"{TEI}orig") == c.findtext(f"{TEI}reg")]
        assert no_ops == []


def test_a_reading_edition_converts_its_title_page_and_what_its_header_labels_converted():
    reading = _reading(SEEDS[2].read_text(encoding="utf-8"), SEEDS[2].name)
    title_part = "".join(reading.find(f".//{TEI}titlePart").itertext())
    assert title_part == "苏联外交政策史论"
    bilingual = _reading(SEEDS[0].read_text(encoding="utf-8"), SEEDS[0].name)
    original = bilingual.find(f".//{TEI}title[@type='original']")
    assert original.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hant"
    assert "論蘇聯" in original.text and "论" not in original.text


def test_the_preview_gives_lang_and_class_only_with_a_value():
    from lxml import html

    for seed in SEEDS:
        edition = build_edition(seed.read_bytes(), seed.name, CONFIG)
        page = html.fromstring(edition.preview)
        assert not page.xpath("//*[@lang='']"), seed.name
        assert not page.xpath("//*[@class='']"), seed.name


ENCYCLOPAEDIA = """Trade routes of the Steppe

The caravan roads crossed the steppe from the river towns to the oases of the south.

See also

* Silk Road
* Caravanserai
* Tea Horse Road
"""


def test_bullets_are_list_markup_kept_for_the_rebuild():
    from pipeline.tei.reader import rebuild_source, without_whitespace

    for text, name in ((SEEDS[1].read_text(encoding="utf-8"), SEEDS[1].name), (ENCYCLOPAEDIA, "steppe.txt")):
        tree = _edition(text, name)
        items = [item for item in tree.iter(f"{TEI}item") if item.getparent().get("rend") == "bulleted"]
        assert items, name
        for item in items:
            reading = "".join(t for t in item.itertext() if t not in ("* ", "• "))
            assert not reading.lstrip().startswith(("*", "•")), reading
            assert item.find(f"{TEI}choice/{TEI}orig").text.strip() in ("*", "•")
        assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)


def test_a_speck_read_as_a_bullet_after_a_broken_word_starts_no_item():
    """OCR reads a speck in the margin as a middle dot or a star at a line's start: after a line
    that ends in a word broken by a hyphen the paragraph goes on; a list whose items follow
    whole lines stays a list."""
    from pipeline.tei.reader import rebuild_source, without_whitespace

    text = ("nullum serius nati pluendi ius habent neque eis inserere rationibus se possunt quas in-\n"
            "· uenerunt hic agi et maiore ab auctore tractari o maximum et singulare opus et\n"
            "nos ipsos contra ista defendere nec tamen esse hoc loco ueri- \n"
            "* tatis indicium quod et tellus et maria et terrae tam longo tempore\n"
            "steterunt et manserunt quod nobis obiectant gentes.\n\n"
            "The roads that crossed the steppe:\n\n"
            "* Silk Road\n"
            "* Tea Horse Road\n")
    tree = _edition(text, "speck.txt")
    paragraphs = ["".join(p.itertext()) for p in tree.iter(f"{TEI}p")]
    assert any("quas in-" in p and "uenerunt" in p and "tatis indicium" in p for p in paragraphs)
    items = ["".join(item.itertext()) for item in tree.iter(f"{TEI}item")]
    assert len(items) == 2 and "Silk Road" in items[0]
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)


def test_no_break_spaces_between_words_are_regularized_as_the_readme_says():
    text = ("Foreign trade … \u00a0 Wikipedia\n\nThe People's\u00a0\u00a0Republic and the council\u00a0met "
            "in  the spring.\n")
    for source, name in ((SEEDS[1].read_text(encoding="utf-8"), SEEDS[1].name), (text, "nbsp.txt")):
        tree = _edition(source, name)
        body = tree.find(f".//{TEI}text")
        assert "\u00a0" not in reading_text(body), name
        kept = [c.findtext(f"{TEI}orig") for c in body.iter(f"{TEI}choice") if "\u00a0" in (c.findtext(f"{TEI}orig") or "")]
        assert kept and all(c.strip(" \u00a0") == "" for c in kept)


FOOTNOTED = """THE HARBOUR DUES

\t1. The harbour master[footnoteRef:1] has raised the dues twice this year.[footnoteRef:2]
\t2. The merchants have protested to the council, so far without success.

[1:  Appointed by the council in March.]
[2:  Once in April and once in September.]
"""


def test_footnote_syntax_of_the_export_is_kept_for_the_rebuild_but_not_read():
    from pipeline.tei.reader import rebuild_source, without_whitespace

    for text, name in ((SEEDS[3].read_text(encoding="utf-8"), SEEDS[3].name), (FOOTNOTED, "harbour.txt")):
        tree = _edition(text, name)
        anchors = [a for a in tree.iter(f"{TEI}ref") if a.get("type") == "noteAnchor"]
        notes = [n for n in tree.find(f"{TEI}text").iter(f"{TEI}note") if n.get("place") == "foot"]
        assert anchors and len(notes) == len(anchors)
        for anchor in anchors:
            assert reading_text(anchor) == anchor.get("target")[len("#fn"):]
        for note in notes:
            read = reading_text(note).strip()
            assert not read.startswith("[") and not read.endswith("]") and read, read
        assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
    notes = [reading_text(n).strip() for n in _edition(FOOTNOTED, "harbour.txt").iter(f"{TEI}note")
             if n.get("place") == "foot"]
    assert notes == ["Appointed by the council in March.", "Once in April and once in September."]


ARTICLE = """The Harbour and the Town

How the new dues changed the trade of the coast

Margaret Ellison

The harbour dues were raised twice in one year, and the merchants of the coast protested.

Their protest was heard by the council in the autumn, and the dues were lowered again.
"""


def test_a_subtitle_and_a_byline_are_not_sections():
    for text, name in ((SEEDS[0].read_text(encoding="utf-8"), SEEDS[0].name), (ARTICLE, "harbour-article.txt")):
        tree = _edition(text, name)
        divs = [d for d in tree.iter(f"{TEI}div") if d.get("type") is None]
        assert all(d.find(f"{TEI}p") is not None or d.find(f"{TEI}div") is not None for d in divs), name
        bylines = [b.text for b in tree.iter(f"{TEI}byline")]
        assert bylines and all(len(b.split()) <= 4 for b in bylines), bylines
        assert any(h.get("type") == "sub" for h in tree.iter(f"{TEI}head")), name
    tree = _edition(ARTICLE, "harbour-article.txt")
    assert [b.text for b in tree.iter(f"{TEI}byline")] == ["Margaret Ellison"]
    assert [h.text for h in tree.iter(f"{TEI}head")] == ["The Harbour and the Town",
                                                        "How the new dues changed the trade of the coast"]


PARALLEL = """The Grain Tariff

The council lowered the grain tariff in the spring of that year.

The merchants of the coast welcomed the decision.

<hr />

Original:

粮食关税

议会于当年春季降低了粮食关税。

沿海的商人欢迎这一决定。
"""


def test_the_rule_and_the_label_stand_between_the_two_versions():
    for text, name in ((SEEDS[0].read_text(encoding="utf-8"), SEEDS[0].name), (PARALLEL, "parallel.txt")):
        tree = _edition(text, name)
        body = tree.find(f".//{TEI}body")
        versions = [child.get("type") for child in body if child.tag == f"{TEI}div"]
        assert versions == ["translation", "original"], (name, versions)
        between = [child for child in body if child.tag == f"{TEI}fw"]
        assert [fw.text.strip() for fw in between] == ["<hr />", "Original:"]
        assert body.index(between[0]) == 1  # after the translation, before the original
        assert not any(fw.text.strip() == "Original:" for div in body.iter(f"{TEI}div") for fw in div.iter(f"{TEI}fw"))


NEWSPAPER = """The Harbour Dues

The harbour dues were raised twice this year, and the merchants protested to the council.

<hr />

Original:

### 港口税
李明远
1951-03-14
第3版()

专栏：地方新闻

港口税

今年港口税两次上调，商人们向议会提出了抗议。
"""


def test_a_newspaper_texts_opening_lines_are_encoded_as_what_they_are():
    from pipeline.tei.reader import rebuild_source, without_whitespace

    for text, name, date in ((SEEDS[0].read_text(encoding="utf-8"), SEEDS[0].name, "1949-09-23"),
                             (NEWSPAPER, "newspaper.txt", "1951-03-14")):
        tree = _edition(text, name)
        original = next(d for d in tree.iter(f"{TEI}div") if d.get("type") == "original")
        openers = original.findall(f"{TEI}opener")
        assert openers, name
        assert [d.get("when") for d in original.iter(f"{TEI}date")] == [date]
        assert original.find(f"{TEI}opener/{TEI}byline") is not None
        assert [n.get("type") for n in original.iter(f"{TEI}note")] == ["column"]
        assert not [p for p in original.findall(f"{TEI}p") if date in "".join(p.itertext())]
        assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
