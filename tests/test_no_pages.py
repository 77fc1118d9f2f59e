"""Never invent pages: a text that shows no page (no form feed, page file, page-number
sequence, running head) gets no page break, keeps its paragraphs, and a line whose
sentence goes on after a blank line is a cut paragraph, never a heading.

Texts composed here in German, English, Latin and Chinese, in several encodings; the
paged counterparts at the end keep their page breaks (the recall the rules must not cost).
"""

from __future__ import annotations

import pytest

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import ROOT, parse

TEI = "{http://www.tei-c.org/ns/1.0}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def edition(text: str, name: str, encoding: str = "utf-8"):
    built = build_edition(text.encode(encoding), name, PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    body = tree.find(f"{TEI}text/{TEI}body")
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
    return body


def blocks(body) -> list[str]:
    return ["".join(b.itertext()).strip() for b in body.iter(f"{TEI}p", f"{TEI}head")]


def joins(body) -> list:
    return [lb for lb in body.iter(f"{TEI}lb") if "kind-paragraph-join" in (lb.get("ana") or "")]


NOTES = [  # (title line, paragraph, encoding)
    ("Notiz über die Sitzung des Vereins – 3. April 1852",
     "Der Vorstand erklärte, daß die Kasse geprüft sei und keine Mängel gefunden wurden.", "cp1252"),
    ("Bericht über die Versammlung vom 9. Juni 1848",
     "Die Mitglieder beschlossen, das Haus des Vereins im Herbst instand zu setzen.", "utf-8"),
    ("Minutes of the Parish Council, 14 October 1887",
     "The Council resolved that the churchyard wall be repaired before the winter.", "cp1252"),
    ("Acta capituli die XII mensis Martii MDCCCXLI",
     "Capitulum decrevit ut bibliotheca restitueretur et libri novi emerentur.", "latin-1"),
]


@pytest.mark.parametrize("title,paragraph,encoding", NOTES)
def test_a_note_of_two_paragraphs_has_no_page_and_stays_two(title, paragraph, encoding):
    body = edition(f"{title}\n\n{paragraph}\n", "note.txt", encoding)
    assert list(body.iter(f"{TEI}pb")) == []
    assert blocks(body) == [title, paragraph]


LETTERS = [  # a sentence the text split with a blank line, in a text without pages
    ("Dear Sir,\n\nI have your letter of the 4th and thank you for it.\n\n"
     "The repairs to the old stone bridge at the mill, which\n\n"
     "have been delayed by the floods of last week, will begin as soon as the water falls.\n\n"
     "I remain, Sir, your obedient servant.\n", "which", "have been delayed", "utf-8"),
    ("We waited at the station for the whole of the long afternoon and evening but nobody came\n\n"
     "and so we walked home again in the dark, tired and cross with the railway company.\n\n"
     "The next morning a letter arrived with the excuses of our friends.\n", "nobody came", "and so we", "utf-8"),
    ("Lieber Freund,\n\nich danke Dir für Deinen Brief vom vierten. Die Reise nach Leipzig, die\n\n"
     "wir schon so lange geplant hatten, muß leider bis zum Frühjahr verschoben werden.\n\n"
     "Dein Wilhelm\n", "Leipzig, die", "wir schon", "cp1252"),
    ("Senatus populusque consilium de bello gerendo diu habuerunt, et tandem consules\n\n"
     "legatos ad regem miserunt, qui pacem peterent.\n\nRex legatos benigne excepit.\n",
     "consules", "legatos ad regem", "latin-1"),
]


@pytest.mark.parametrize("text,end,goes_on,encoding", LETTERS)
def test_a_sentence_over_a_blank_line_is_one_paragraph_not_a_page_nor_a_heading(text, end, goes_on, encoding):
    body = edition(text, "letter.txt", encoding)
    assert list(body.iter(f"{TEI}pb")) == [] and list(body.iter(f"{TEI}head")) == []
    joined = [b for b in blocks(body) if end in b]
    assert len(joined) == 1 and goes_on in joined[0]
    assert len(joins(body)) == 1  # the join is an intervention, with its reason


def test_an_address_followed_in_lower_case_is_not_joined():
    """German letters go on in lower case after the address's comma: no clause runs on."""
    body = edition("Sehr geehrter Herr Professor,\n\nich erlaube mir, Ihnen mein Buch zu senden. Es ist "
                   "das Ergebnis langer Arbeit.\n\nMit vorzüglicher Hochachtung\n\nIhr ergebener Müller\n",
                   "brief.txt", "cp1252")
    assert joins(body) == [] and blocks(body)[0] == "Sehr geehrter Herr Professor,"


CLAUSES = ["本埠商會昨日開會", "議決抵制外貨", "各業代表均到會", "警察廳派員維持秩序", "米價連日上漲",
           "市民頗感不安", "當局已設法平抑", "學生團體發起募捐", "救濟北方災民", "所得款項交由紅十字會"]
ENGLISH = ["The Municipal Council met yesterday and discussed the price of rice in the settlement.",
           "Shipping on the river was interrupted for two days by the fog, the harbour master reports.",
           "A concert in aid of the famine relief fund will be given at the Town Hall on Saturday."]


def newspaper(paragraphs: int = 18) -> tuple[str, list[str]]:
    """Short items of a 1930s paper punctuated with 、 alone, some ending in 。, English ones between."""
    items = []
    for i in range(paragraphs):
        clauses = [CLAUSES[(i + k) % len(CLAUSES)] for k in range(2 + i % 3)]
        items.append("、".join(clauses) + ("、" if i % 2 else "。"))
        if i % 3 == 0:
            items.append(ENGLISH[i % len(ENGLISH)])
    return "\n\n".join(items) + "\n", items


@pytest.mark.parametrize("encoding", ["utf-8", "big5", "gb18030"])
def test_newspaper_items_ending_in_the_enumeration_comma_are_neither_pages_nor_joined(encoding):
    text, items = newspaper()
    body = edition(text, "news.txt", encoding)
    assert list(body.iter(f"{TEI}pb")) == [] and joins(body) == []
    paragraphs = list(body.iter(f"{TEI}p"))
    assert ["".join(p.itertext()).strip() for p in paragraphs] == items
    for p in paragraphs:  # each item in one script, labelled with its own language
        lang = p.get(LANG) or body.getparent().get(LANG)
        chinese = "、" in "".join(p.itertext()) or "。" in "".join(p.itertext())
        assert lang.startswith("zh") if chinese else lang == "en", ("".join(p.itertext()), lang)


@pytest.mark.parametrize("line", ["Copy 118.", "MS 12/4", "K 3025.4 / 188", "17"])
def test_a_lone_catalogue_like_line_at_the_end_makes_no_pages(line):
    text = (ROOT / "seeds" / "003_22d16b25c756b627.txt").read_text(encoding="utf-8")
    body = edition(text.rstrip("\n") + f"\n{line}\n", "dispatch.txt")
    assert list(body.iter(f"{TEI}pb")) == []
    assert "CONSIDERATIONS ON SOVIET FOREIGN POLICY" in blocks(body)  # the title not joined to the salutation
    assert "My Lord Marquess," in ["".join(e.itertext()).strip() for e in body.iter()]


def test_a_year_alone_on_its_line_in_a_text_without_pages_is_text():
    body = edition("Die Stadt wuchs im neunzehnten Jahrhundert rasch, und die alten Mauern fielen.\n\n"
                   "1848\n\nIm Frühjahr kam es zu Unruhen, die der Rat mit Mühe beilegte.\n", "chronik.txt")
    assert list(body.iter(f"{TEI}pb")) == [] and list(body.iter(f"{TEI}fw")) == []
    assert "1848" in "".join(body.itertext())


# The paged counterparts: where the text shows its pages, a sentence cut by a page turn is
# one paragraph with its page break, whether the page number stands there or was dropped.

def paged_text(numbers: list[str | None]) -> str:
    """Four pages of three paragraphs, the last cut mid-sentence; the number of each later page
    at its top (or dropped)."""
    sentence = "The envoys of the northern towns argued about the tolls on the river for many weeks. "
    parts = []
    for index, number in enumerate([None] + numbers):
        if index:
            parts += [number] if number is not None else []
        opening = "agreed in the end. " if index else ""
        parts += [opening + (sentence * 2).strip(), (sentence * 3).strip(), (sentence * 4) + "The council of the league"]
    return "\n\n".join(parts) + " agreed.\n"


@pytest.mark.parametrize("numbers", [["— 13 —", "— 14 —", "— 15 —"], ["13", None, "15"], ["十三", "十四", "十五"]])
def test_page_numbers_in_sequence_still_give_page_breaks_and_joins(numbers):
    body = edition(paged_text(numbers), "paged.txt")
    assert len(list(body.iter(f"{TEI}pb"))) == 3
    assert not any(b.startswith("agreed in the end") for b in blocks(body))


def test_form_feeds_still_give_page_breaks():
    text = ("Die Gesandten berichteten über die Verhandlungen in der Hauptstadt und über die\n\f"
            "Haltung der Regierung, die sich noch nicht entschieden hatte.\n\n"
            "Die Antwort wurde im Frühjahr erwartet.\n")
    body = edition(text, "pages.txt", "cp1252")
    assert len(list(body.iter(f"{TEI}pb"))) == 1


def test_numbered_stanzas_are_no_page_numbers():
    """Numbers that each follow a finished stanza number the poem's parts, not its pages."""
    stanzas = ["Der Abend sinkt auf Wald und Feld,\nDie Vögel schweigen in den Zweigen,\nUnd still wird "
               "alles in der Welt.", "Der Mond steigt auf mit mildem Schein,\nDie Sterne ziehn in stillen "
               "Reigen,\nUnd schlafen gehn die Kinder ein.", "Am Morgen weckt der Hahn das Haus,\nDie Sonne "
               "scheint auf alle Wege,\nUnd fröhlich zieht der Knecht hinaus.",
               "Zur Mittagszeit ruht Mensch und Tier,\nDer Bauer rastet an dem Stege,\nUnd Frieden wohnt "
               "im Dorfe hier."]
    text = "Vier Tageszeiten.\n\n" + "\n\n".join(f"{n}.\n{stanza}" for n, stanza in enumerate(stanzas, 1)) + "\n"
    body = edition(text, "gedicht.txt", "cp1252")
    assert list(body.iter(f"{TEI}pb")) == [] and list(body.iter(f"{TEI}fw")) == []


def test_one_page_file_with_its_number_and_a_rule_on_top_has_no_page_break():
    text = ("89\n\n——\n\ndie Gesandtschaft, welche im Frühjahr nach Wien gegangen war, kehrte erst im "
            "Herbst zurück, und\nihr Bericht wurde im Rathe verlesen. Man beschloß, die Sache zu vertagen.\n")
    body = edition(text, "179480.txt")
    assert list(body.iter(f"{TEI}pb")) == []
    assert not any(b.startswith("89") and "Gesandtschaft" in b for b in blocks(body))
