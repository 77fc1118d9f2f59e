"""Languages langdetect does not know, told by the document's own words."""

from __future__ import annotations

import pytest

from pipeline.config import PipelineConfig
from pipeline.process import build_document, build_edition
from pipeline.stages.language import reads_as_ancient_greek
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


ANCIENT_GREEK = [  # prose, scripture, history and verse
    "Ὅτι μὲν ὑμεῖς, ὦ ἄνδρες Ἀθηναῖοι, πεπόνθατε ὑπὸ τῶν ἐμῶν κατηγόρων, οὐκ οἶδα· ἐγὼ δ᾽ οὖν καὶ αὐτὸς ὑπ᾽ "
    "αὐτῶν ὀλίγου ἐμαυτοῦ ἐπελαθόμην, οὕτω πιθανῶς ἔλεγον. καίτοι ἀληθές γε ὡς ἔπος εἰπεῖν οὐδὲν εἰρήκασιν.",
    "Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν, καὶ θεὸς ἦν ὁ λόγος. οὗτος ἦν ἐν ἀρχῇ πρὸς τὸν θεόν. "
    "πάντα δι᾽ αὐτοῦ ἐγένετο, καὶ χωρὶς αὐτοῦ ἐγένετο οὐδὲ ἕν ὃ γέγονεν.",
    "Θουκυδίδης Ἀθηναῖος ξυνέγραψε τὸν πόλεμον τῶν Πελοποννησίων καὶ Ἀθηναίων, ὡς ἐπολέμησαν πρὸς ἀλλήλους, "
    "ἀρξάμενος εὐθὺς καθισταμένου καὶ ἐλπίσας μέγαν τε ἔσεσθαι καὶ ἀξιολογώτατον τῶν προγεγενημένων, "
    "τεκμαιρόμενος ὅτι ἀκμάζοντές τε ᾖσαν ἐς αὐτὸν ἀμφότεροι παρασκευῇ τῇ πάσῃ.",
    "Μῆνιν ἄειδε θεὰ Πηληϊάδεω Ἀχιλῆος οὐλομένην, ἣ μυρί᾽ Ἀχαιοῖς ἄλγε᾽ ἔθηκε, πολλὰς δ᾽ ἰφθίμους ψυχὰς Ἄϊδι "
    "προΐαψεν ἡρώων, αὐτοὺς δὲ ἑλώρια τεῦχε κύνεσσιν οἰωνοῖσί τε πᾶσι, Διὸς δ᾽ ἐτελείετο βουλή, ἐξ οὗ δὴ τὰ "
    "πρῶτα διαστήτην ἐρίσαντε Ἀτρεΐδης τε ἄναξ ἀνδρῶν καὶ δῖος Ἀχιλλεύς.",
]
# Modern Greek: today's monotonic spelling, and the learned Katharevousa of the 19th century,
# printed polytonic, whose first paragraph here is written wholly in the ancient manner.
MODERN_GREEK = ("Η Απολογία του Σωκράτη είναι ένα από τα πιο γνωστά έργα του Πλάτωνα, και η αρχή της "
                "παρατίθεται εδώ για να τη διαβάσει ο αναγνώστης στο πρωτότυπο, όπως την έγραψε ο συγγραφέας.")
KATHAREVOUSA = [
    "Ἡ Βουλὴ συνῆλθε χθὲς εἰς ἔκτακτον σύνοδον, ἐν ᾗ ὁ πρωθυπουργὸς ἀνέγνωσε τὸ διάταγμα τῆς διαλύσεως· οἱ "
    "βουλευταὶ τῆς ἀντιπολιτεύσεως διεμαρτυρήθησαν μὲν ζωηρῶς, ἡ δὲ πλειοψηφία ἐδέχθη τὸ διάταγμα ἄνευ συζητήσεως.",
    "Ἡ κυβέρνησις ἀπεφάσισε νὰ αὐξήσῃ τοὺς μισθοὺς τῶν δημοσίων ὑπαλλήλων, διότι ἡ οἰκονομία τῆς χώρας δὲν "
    "δύναται πλέον νὰ ὑποστηρίξῃ τὴν σημερινὴν πολιτικήν· οἱ δὲ ὑπουργοὶ θὰ συνέλθωσιν εἰς Ἀθήνας τὴν "
    "προσεχῆ ἑβδομάδα, ὅπως συζητήσωσι τὰ μέτρα.",
]


def test_ancient_greek_is_ancient_greek_in_the_edition_and_its_header():
    data = "\n\n".join(ANCIENT_GREEK).encode("utf-8")
    doc = build_document(data, "greek.txt", CONFIG)
    assert [b.lang for b in doc.blocks] == ["grc"] * 4
    edition = build_edition(data, "greek.txt", CONFIG)
    assert not edition.errors
    usage = parse(edition.xml).find(f".//{TEI}langUsage/{TEI}language")
    assert usage.get("ident") == "grc" and usage.text == "Ancient Greek"


def test_a_modern_greek_introduction_to_an_ancient_text_keeps_its_language():
    doc = build_document("\n\n".join([MODERN_GREEK, ANCIENT_GREEK[0]]).encode("utf-8"), "intro.txt", CONFIG)
    assert [b.lang for b in doc.blocks] == ["el", "grc"]


def test_katharevousa_is_modern_greek_even_where_a_paragraph_reads_the_ancient_way():
    assert reads_as_ancient_greek(KATHAREVOUSA[0])  # alone, the paragraph would pass for ancient
    doc = build_document("\n\n".join(KATHAREVOUSA).encode("utf-8"), "efimeris.txt", CONFIG)
    assert [b.lang for b in doc.blocks] == ["el", "el"]


def test_the_fast_detector_gives_langdetects_own_ngrams_and_probabilities():
    """FastDetector follows langdetect's n-gram buffer inline: on the seeds, on text in many
    scripts and cases (words of capitals are skipped), and on random characters, its n-grams and
    its probabilities are langdetect's own."""
    import random
    from pathlib import Path

    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY

    from pipeline.stages.fastdetect import FastDetectorFactory
    from tests.conftest import SEEDS

    profiles = [path.read_text(encoding="utf-8") for path in sorted(Path(PROFILES_DIRECTORY).iterdir())]
    theirs, ours = DetectorFactory(), FastDetectorFactory()
    theirs.load_json_profile(profiles)
    ours.load_json_profile(profiles)
    rng = random.Random(11)
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    alphabet = ("ABCDEFGHIJKLMabcdefghijklm ÀÉÎÕÜàéîõüßœ ΑΒΓΔαβγδ АБВГабвг אבג عربيی ａｂｃ ぁあアカ ㄅㄆ 가나다 "
                "ẠẤẦạấầ șțŞ 蘇聯外交 \u2019\u201c\u00a0\t\n.,;:!?0123456789 http://x.org a@b.cd")
    samples = [text[start:start + size] for text in texts for _ in range(15)
               for start, size in [(rng.randrange(max(1, len(text) - 600)), rng.choice((30, 300, 600)))]]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 200))) for _ in range(400)]
    samples += [sample.upper() for sample in samples[:60]]

    def detect(factory, text):
        factory.set_seed(0)
        detector = factory.create()
        detector.n_trial = 3
        detector.append(text)
        try:
            return [(found.lang, found.prob) for found in detector.get_probabilities()], detector._extract_ngrams()
        except Exception as error:  # "no features in text": the same error from both
            return repr(error), None

    assert len(samples) > 500
    assert [detect(ours, text) for text in samples] == [detect(theirs, text) for text in samples]
