"""How bench.corpora matches the truth's furniture to the edition's lines: the measurement the
signature and catchword figures in BENCHMARKS.md rest on. Pages composed as OCR exports give
them (the lines' texts in the patterns of a 1668 quarto and an 1841 journal)."""

from __future__ import annotations

from bench.corpora import Item, Line, Page, match_items


def page(texts: list[str]) -> tuple[Page, str]:
    """A page of these lines, one after another in the text, each its own rank."""
    lines, at = [], 0
    for rank, text in enumerate(texts):
        lines.append(Line(at, at + len(text), text, rank))
        at += len(text) + 1
    return Page("p", 0, at, lines), "\n".join(texts)


def matched(items: list[Item], texts: list[str], body: list[str] | None = None) -> list[str | None]:
    found, text = page(texts)
    return [text[span[0]:span[1]] if span else None for span in match_items(items, found, body)]


def test_a_letter_spaced_signature_is_the_truths_mark_not_a_word_of_the_text():
    texts = ["cupiunt. Scholae enim in Appetitu Motum nullum omnino efle",
             "LtvirJ. e e e fent,"]
    items = [Item("sig", "Leviat.", "bottom"), Item("sig", "eee", "bottom"), Item("catch", "ſent,", "bottom")]
    assert matched(items, texts) == ["LtvirJ.", "e e e", "fent,"]


def test_a_catchword_garbled_past_reading_is_what_the_foot_line_leaves_at_its_end():
    texts = ["cugiunt. Scholz enim in Appetitu Motum nullum omnino che cen-", "me. e e e fem,"]
    items = [Item("sig", "Leviat.", "bottom"), Item("sig", "eee", "bottom"), Item("catch", "ſent,", "bottom")]
    assert matched(items, texts) == [None, "e e e", "fem,"]  # `me.` is too short for the title


def test_an_articles_sign_off_is_no_signature_the_ocr_lost():
    """The sign-off ``D. Red.`` ends the text's last line; the engine set it on a line of its own
    and lost the signature ``9`` under it: nothing of the page is the signature."""
    texts = ["viele Deutsche Frankreich und England bereisen, ohne Englisch, oder Französisch zu ver-",
             "ffehen!", "D. Ked"]
    body = ["viele Deutsche Frankreich und England bereisen, ohne Englisch, oder Französisch zu ver-",
            "stehen! D. Red."]
    assert matched([Item("sig", "9", "bottom")], texts, body) == [None]
    assert matched([Item("sig", "9", "bottom")], texts[:2] + ["g"], body) == ["g"]  # the mark as the OCR read it


def test_initials_read_past_recognition_are_the_sign_off_not_the_lost_signature():
    texts = ["uns daher ein sinnreiches Symbol für die Zukunft eines Landes, dessen Selbst-",
             "industriellen Geistes ruht.", "»D- H-"]
    body = ["uns daher ein sinnreiches Symbol für die Zukunft eines Landes, dessen Selbst-",
            "industriellen Geistes ruht.", "I. F."]
    assert matched([Item("sig", "7", "bottom")], texts, body) == [None]
