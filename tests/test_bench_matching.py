"""How bench.matching matches the truth's furniture to the edition's lines: the measurement the
furniture figures in BENCHMARKS.md rest on, a test a rule (each fails with its rule taken out).
Pages composed as OCR exports and page files give them (the lines' texts in the patterns of a
1668 quarto, an 1841 journal, a Greek Bible's heads and a Latin text with its apparatus)."""

from __future__ import annotations

from types import SimpleNamespace

from bench.matching import Item, Line, Page, match_furniture, match_items
from pipeline.model import Edit


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


def boxed(rows: list[tuple[float, list[str]]], height: float = 30) -> tuple[Page, str]:
    """A page of boxes: rows (the top of the row, its pieces), each piece a line of the text
    after the one before (as the engines give boxes side by side)."""
    lines, texts, at = [], [], 0
    for top, pieces in rows:
        for text in pieces:
            lines.append(Line(at, at + len(text), text, top, top + height))
            texts.append(text)
            at += len(text) + 1
    return Page("p", 0, at, lines), "\n".join(texts)


def spans(items: list[Item], found: Page, text: str) -> list[str | None]:
    return [text[span[0]:span[1]] if span else None for span in match_items(items, found)]


def furniture(text: str, marked: list[tuple[str, str, dict | None]]) -> list[Edit]:
    """The edition's furniture edits on these words of the text (kind, the words, attrs)."""
    edits = []
    for kind, words, attrs in marked:
        start = text.index(words)
        edits.append(Edit(start=start, end=start + len(words), kind=kind, original=words, reason="composed",
                          stage="composed", attrs=attrs or {}))
    return edits


def test_a_greek_head_read_in_latin_capitals_is_the_head():
    """`rENEΣIΣ` is `ΓΕΝΕΣΙΣ` read with Latin E, N, I: the same print. Not at the page's first line
    (that is the number's), so only reading alike can find it."""
    texts = ["13", "rENEΣIΣ", "καὶ εἶπεν ὁ θεός γενηθήτω φῶς καὶ ἐγένετο φῶς"]
    items = [Item("pageNum", "13", "top"), Item("header", "ΓΕΝΕΣΙΣ", "top")]
    assert matched(items, texts) == ["13", "rENEΣIΣ"]


def test_a_number_standing_alone_beats_the_same_digits_among_the_words():
    found, _text = page(["23 Varr. lect. 23 codd. alii legunt", "23", "Arma virumque cano, Troiae qui primus ab oris"])
    [(start, _end)] = match_items([Item("pageNum", "23", "top")], found)
    assert start == found.lines[1].start


def test_a_margins_number_is_a_short_line_of_its_own_not_digits_amid_the_text():
    """The verse number 10 in the margin, read `1o` on a line of its own; `10` amid a line of
    the text is the text's."""
    texts = ["Arma virumque cano, Troiae qui primus ab oris", "quae per 10 annos Italiam fato profugus", "1o",
             "Laviniaque venit litora, multum ille et terris"]
    assert matched([Item("verseNum", "10", "margin")], texts) == ["1o"]


def test_a_short_line_of_the_text_set_at_the_top_is_not_the_lost_head():
    """The engine read the centred heading `Zweiter Theil.` first: a line of the page's text,
    not the running head garbled past reading."""
    body = ["Die Stadt lag damals noch innerhalb ihrer alten Mauern, und die Vorstädte",
            "waren kaum mehr als einige Gärten und Mühlen am Ufer des Flusses, wo die",
            "Gerber und Färber ihre Werkstätten hatten.", "Zweiter Theil.",
            "Im folgenden Jahre brach der Krieg aus, und die Bürgerschaft musste die"]
    texts = [body[3], *body[:3], body[4]]
    assert matched([Item("header", "GESCHICHTE DER STADT", "top")], texts, body) == [None]


def test_a_short_items_digits_must_agree():
    texts = ["1.", "Arma virumque cano, Troiae qui primus ab oris", "Italiam fato profugus Laviniaque venit"]
    assert matched([Item("pageNum", "19", "top")], texts[1:] + ["1."]) == [None]
    assert matched([Item("pageNum", "83", "top")], ["8j"] + texts[1:]) == ["8j"]  # garbled in place


def test_a_catchword_is_never_a_word_amid_the_foot_line():
    texts = ["Arma virumque cano, Troiae qui primus ab Italia", "dicunt tres esse partes animae humanae"]
    assert matched([Item("catch", "tres", "bottom")], texts) == [None]
    assert matched([Item("catch", "tres", "bottom")], texts[:1] + ["animae humanae tres"]) == ["tres"]


def test_a_head_cut_into_boxes_on_its_row_is_matched_as_the_row():
    found, text = boxed([(100, ["rENEΣIΣ", "x11 13"]), (140, ["καὶ εἶπεν ὁ θεός γενηθήτω φῶς"]),
                         (180, ["καὶ ἐγένετο φῶς καὶ εἶδεν ὁ θεὸς"])])
    assert spans([Item("header", "ΓΕΝΕΣΙΣ XII 13", "top")], found, text) == ["rENEΣIΣ\nx11 13"]


BODY = [(300, ["Arma virumque cano, Troiae qui primus ab oris"]), (340, ["Italiam fato profugus Laviniaque venit"]),
        (380, ["litora, multum ille et terris iactatus et alto"])]


def test_a_speck_far_out_on_the_scan_is_not_the_lost_page_number():
    """Arnobius 009: `--.'` far above the text at the top left, the page number 9 lost."""
    assert spans([Item("pageNum", "9", "top")], *boxed([(40, ["--.'"]), *BODY])) == [None]
    # a line's height above the text: the number garbled
    assert spans([Item("pageNum", "9", "top")], *boxed([(240, ["--.'"]), *BODY])) == ["--.'"]


def test_the_pieces_of_a_head_read_as_lines_of_their_own_are_one_found_head():
    """``X1 14`` and ``FNEΣIΣ``, two lines and two running-head edits: the head found once, no false
    running head."""
    found, text = page(["X1 14", "FNEΣIΣ", "καὶ εἶπεν ὁ θεός γενηθήτω φῶς", "καὶ ἐγένετο φῶς καὶ εἶδεν ὁ θεὸς"])
    edits = furniture(text, [("running-head", "X1 14", None), ("running-head", "FNEΣIΣ", None)])
    match = match_furniture(SimpleNamespace(text=text), found, [Item("header", "ΓΕΝΕΣΙΣ XI 14", "top")], None, edits)
    assert [len(f) for f in match.found] == [2] and match.others == []


def test_the_boxes_beside_a_matched_head_on_its_row_are_no_false_positives():
    """The head matched on its first box; the number in the box beside it is part of it."""
    found, text = boxed([(100, ["rENEΣIΣ", "x11 13"]), (140, ["καὶ εἶπεν ὁ θεός γενηθήτω φῶς"])])
    edits = furniture(text, [("running-head", "rENEΣIΣ", None), ("running-head", "x11 13", None)])
    match = match_furniture(SimpleNamespace(text=text), found, [Item("header", "ΓΕΝΕΣΙΣ", "top")], None, edits)
    assert [text[s[0]:s[1]] for _item, s in match.matched] == ["rENEΣIΣ"]
    assert len(match.found[0]) == 2 and match.others == []


def test_a_page_number_matched_nowhere_is_found_by_the_n_the_edition_gives_it():
    """`23` read for 25 beside the head: the fw with n="25" is the page number, and nothing else."""
    found, text = page(["HISTORY OF THE WAR", "23", "The armies met at dawn upon the plain below the town"])
    edits = furniture(text, [("running-head", "HISTORY OF THE WAR", None), ("page-number", "23", {"n": "25"})])
    items = [Item("header", "HISTORY OF THE WAR", "top"), Item("pageNum", "25", "top")]
    match = match_furniture(SimpleNamespace(text=text), found, items, None, edits)
    assert [span is None for _item, span in match.matched] == [False, True]
    assert [[e.kind for e in f] for f in match.found] == [["running-head"], ["page-number"]] and match.others == []
    edits[1].attrs["n"] = "23"  # the edition says another page: no page number of the truth's
    match = match_furniture(SimpleNamespace(text=text), found, items, None, edits)
    assert match.found[1] == [] and [e.kind for e in match.others] == ["page-number"]
