"""Languages langdetect does not know, told by the document's own words."""

from __future__ import annotations

import pytest

from pipeline.config import PipelineConfig
from pipeline.process import build_document, build_edition
from tests.conftest import parse

CONFIG = PipelineConfig()
TEI = "{http://www.tei-c.org/ns/1.0}"

LATIN = [  # three authors, three registers: history, oratory, scripture
    "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, tertiam qui ipsorum "
    "lingua Celtae, nostra Galli appellantur. Hi omnes lingua, institutis, legibus inter se differunt. Gallos ab "
    "Aquitanis Garumna flumen, a Belgis Matrona et Sequana dividit.",
    "Quo usque tandem abutere, Catilina, patientia nostra? quam diu etiam furor iste tuus nos eludet? quem ad "
    "finem sese effrenata iactabit audacia? Patere tua consilia non sentis, constrictam iam horum omnium "
    "scientia teneri coniurationem tuam non vides?",
    "In principio creavit Deus caelum et terram. Terra autem erat inanis et vacua, et tenebrae erant super "
    "faciem abyssi, et spiritus Dei ferebatur super aquas. Dixitque Deus: Fiat lux. Et facta est lux.",
]
ROMANCE = {  # languages that share et, est, non, in with Latin, and use articles
    "fr": "Et cependant il est vrai que non seulement les hommes mais aussi les femmes ont pris part à cette "
          "révolution qui a changé le monde, et les ministres des deux pays se sont rencontrés à Paris.",
    "it": "La politica estera dell'Italia non è sempre stata coerente, e in molti casi il governo ha dovuto "
          "cambiare la sua linea per rispondere alle pressioni delle grandi potenze europee.",
    "es": "La política exterior de España no siempre ha sido coherente, y en muchos casos el gobierno tuvo que "
          "cambiar su línea para responder a las presiones de las grandes potencias.",
}


def test_a_latin_text_is_latin_in_the_edition_and_its_header():
    data = "\n\n".join(["De bello Gallico"] + LATIN).encode("utf-8")
    doc = build_document(data, "latin.txt", CONFIG)
    assert [b.lang for b in doc.blocks if b.kind == "p"] == ["la", "la", "la"]
    edition = build_edition(data, "latin.txt", CONFIG)
    assert not edition.errors
    tree = parse(edition.xml)
    usage = tree.find(f".//{TEI}langUsage/{TEI}language")
    assert usage.get("ident") == "la" and usage.text == "Latin"


@pytest.mark.parametrize("lang", sorted(ROMANCE))
def test_romance_prose_that_shares_latin_words_keeps_its_language(lang):
    doc = build_document(ROMANCE[lang].encode("utf-8"), f"{lang}.txt", CONFIG)
    assert doc.blocks[0].lang == lang


def test_latin_quoted_in_an_english_essay_is_labelled_paragraph_by_paragraph():
    english = ("The historian begins his account of the war with the famous description of the country, which "
               "every schoolboy once learnt by heart, and which the translators have rendered in many ways.")
    data = "\n\n".join([english, LATIN[0], english]).encode("utf-8")
    doc = build_document(data, "essay.txt", CONFIG)
    assert [b.lang for b in doc.blocks] == ["en", "la", "en"]
