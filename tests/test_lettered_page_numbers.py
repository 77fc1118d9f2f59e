"""Page numbers printed in letters: a book's front matter paged in Roman numerals (``iii`` …
``xii``, or ``[IV]``, ``— VI —`` at the foot) before its Arabic body, a Greek book's paged in
Greek numerals with their keraia (``αʹ βʹ γʹ``, the OCR reading the keraia as an apostrophe
or a tonos). Each page break carries the number as printed (``n="xiv"``), the line stays as
the OCR read it in its ``fw``. And what looks like such a number but is none stays text:
chapter numbers at the tops of pages, a head's chapter numeral repeated, list items, a
king's number, elided Greek words (``δ'``, ``τ'``), a numeral in a sentence, numbers of
poems on pages the Arabic numbers count. Books composed here as their text exports give
them (pages joined with form feeds or byte-order marks); every word is our own."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse
from pipeline.stages.pageedges.lettered import printed
from tests.test_book_furniture import TEI, body_lines, running_text

GREEK = ("καὶ ὁ λόγος ἦν πρὸς τὸν θεόν ἐν ἀρχῇ τῆς πόλεως οἱ πολῖται ἐβουλεύσαντο περὶ τοῦ πολέμου "
         "ἔλεγον δὲ ὅτι οἱ ἄρχοντες οὐκ ἤθελον ἀκούειν τῶν νόμων ἀλλὰ τὴν δύναμιν ἐζήτουν μετὰ δὲ ταῦτα "
         "ἀπῆλθον εἰς τὴν ἀγορὰν καὶ συνῆλθον πάντες οἱ ἄνθρωποι ὅπως ἀκούσωσι τὰ λεγόμενα").split()


def greek_lines(rng: random.Random, count: int) -> list[str]:
    lines = []
    for _ in range(count):
        words = []
        while sum(len(w) + 1 for w in words) < 58:
            words.append(rng.choice(GREEK))
        lines.append(" ".join(words) + ",")
    return lines


def edition(pages: list[list[str]], name: str = "book.txt", joint: str = "\f"):
    """The edition of a text export whose pages (their lines) are joined by ``joint``: its body,
    checked to rebuild the source."""
    text = joint.join("\n".join(lines) + "\n" for lines in pages)
    built = build_edition(text.encode("utf-8"), name, PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
    return tree.find(f"{TEI}text/{TEI}body")


def breaks(body) -> list[str | None]:
    return [pb.get("n") for pb in body.iter(f"{TEI}pb")]


def numbers(body) -> dict[str, str | None]:
    """Each page-number fw's text and the @n it is given (none where it reads as printed)."""
    return {"".join(e.itertext()).strip(): e.get("n") for e in body.iter(f"{TEI}fw") if e.get("type") == "pageNum"}


def test_roman_front_matter_then_arabic_body_each_numbered_as_printed():
    """A title page and its verso (unnumbered), the preface paged iii–xii at the top, one page
    garbled by the OCR in the ways Roman numerals are (``vli`` for vii, ``1x`` for ix, ``xu`` for
    xii), an unnumbered page (a chapter's opening) inside the run, then the body paged 1–8."""
    rng = random.Random(1)
    printed = {3: "iii", 4: "iv", 5: "v", 6: "vi", 7: "vli", 8: None, 9: "1x", 10: "x", 11: "xi", 12: "xu"}
    pages = [["DE REGNO", "LIBRI DVO", "Londini, MDCCI."], ["Typis excudebat", "Ioannes Smith."]]
    for number in printed.values():
        pages.append(([number] if number else ["PROLEGOMENA."]) + body_lines(rng, 20))
    pages += [[str(n)] + body_lines(rng, 20) for n in range(1, 9)]
    body = edition(pages)
    assert breaks(body) == [None] + ["iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"] \
        + [str(n) for n in range(1, 9)]
    assert numbers(body) == {"iii": None, "iv": None, "v": None, "vi": None, "vli": "vii", "1x": "ix", "x": None,
                             "xi": None, "xu": "xii"} | {str(n): None for n in range(1, 9)}
    text = running_text(body)
    assert "PROLEGOMENA." in text and "MDCCI" in text


def test_capital_roman_numbers_at_the_foot_in_frames_and_a_bom_between_pages():
    """``[IV]``, ``— V —``, ``VI`` … under the text (ABBYY's page files joined with ``cat``, a
    BOM at each page's start), then Arabic numbers at the foot."""
    rng = random.Random(2)
    feet = ["[III]", "[IV]", "— V —", "VI", "( VII )", "VIII"]
    pages = [body_lines(rng, 22) + [number] for number in feet]
    pages += [body_lines(rng, 22) + [str(n)] for n in range(1, 6)]
    body = edition(pages, joint="\ufeff")
    assert breaks(body) == ["IV", "V", "VI", "VII", "VIII", "1", "2", "3", "4", "5"]
    assert list(numbers(body)) == feet + ["1", "2", "3", "4", "5"]


def test_greek_front_matter_with_keraia_as_the_ocr_reads_it():
    """A Greek book's prolegomena paged αʹ … θʹ at the top, the keraia read as U+0374, U+02B9,
    an apostrophe, a tonos; then the body in Arabic numbers. A numeral with its keraia inside a
    sentence (``κεφ. ιβʹ``) stays text."""
    rng = random.Random(3)
    front = ["αʹ", "β'", "γʹ", "δ΄", "εʹ", "ϛʹ", "ζ'", "ηʹ", "θʹ"]
    pages = [[number] + greek_lines(rng, 20) for number in front]
    pages[4][5] = "ὡς ἐν τῷ κεφ. ιβʹ εἴρηται,"
    pages += [[str(n)] + greek_lines(rng, 20) for n in range(1, 7)]
    body = edition(pages, name="prolegomena.txt")
    assert breaks(body) == [f"{letter}\u02b9" for letter in "βγδεϛζηθ"] + [str(n) for n in range(1, 7)]
    assert list(numbers(body))[:9] == front
    assert "κεφ. ιβʹ" in running_text(body)


def test_numerals_that_number_no_pages_stay_text():
    """The negative controls, in one book paged 1–10 at the foot: chapter numbers at the tops of
    pages (``I.``, ``II.``; ``CAP. III.``; ``LIBER IV``), a chapter's numeral alone at the top
    of two pages running (``V``, ``V``), poems numbered ``VI`` … ``IX`` atop the pages the
    Arabic numbers count, list items, a king's number on a line of its own."""
    rng = random.Random(4)
    tops = ["I.", "II.", "CAP. III.", "LIBER IV", "V", "V", "VI", "VII", "VIII", "IX"]
    pages = []
    for n, top in enumerate(tops, start=1):
        lines = [top] + body_lines(rng, 18)
        if n == 3:
            lines[6:6] = ["i.", "ii.", "iii."]
        if n == 4:
            lines[4:4] = ["Louis XIV"]
        pages.append(lines + [str(n)])
    body = edition(pages)
    assert breaks(body) == [str(n) for n in range(2, 11)]
    assert list(numbers(body)) == [str(n) for n in range(1, 11)]
    text = running_text(body)
    for top in tops[:4] + ["Louis XIV", "i.", "ii.", "iii."]:
        assert top in text
    assert not any(e.get("type") == "pageNum" and "".join(e.itertext()).strip() in ("V", "VI", "VII")
                   for e in body.iter(f"{TEI}fw"))


def test_roman_chapter_numbers_on_a_book_without_page_numbers_stay_text():
    """A book whose pages print no numbers, each page opening with its section's number and a
    stop (``I.`` … ``VI.``) and some with a head repeating its book's numeral (``LIBER II``):
    no page gets a number."""
    rng = random.Random(5)
    tops = ["I.", "II.", "LIBER II", "III.", "IV.", "LIBER II", "V.", "VI."]
    body = edition([[top] + body_lines(rng, 18) for top in tops])
    assert not any(breaks(body)) and len(breaks(body)) == len(tops) - 1
    assert numbers(body) == {}


def test_elided_greek_words_at_page_tops_are_no_numbers():
    """A Greek text paged 1–8 at the foot whose pages open with elided words on lines of their
    own (``δ'``, ``τ'``, verse set line by line): each is δέ or τε, not 4 or 300."""
    rng = random.Random(6)
    pages = []
    for n in range(1, 9):
        top = {2: ["δ'"], 3: ["τ'"], 4: ["δ'"], 5: ["ε'"], 6: ["ζ'"]}.get(n, [])
        pages.append(top + greek_lines(rng, 18) + [str(n)])
    body = edition(pages, name="verse.txt")
    assert breaks(body) == [str(n) for n in range(2, 9)]
    assert list(numbers(body)) == [str(n) for n in range(1, 9)]
    assert "δ'" in running_text(body) and "τ'" in running_text(body)


def test_swete_introduction_paged_in_roman_numerals():
    """Six pages of Swete's introduction (1901) as Tesseract read them (tests/data/swete-1901):
    each page break carries the page's number as printed, ``X`` and ``'xi`` (a capital, a speck)
    keep their reading in the fw with the number in @n."""
    folder = Path(__file__).parent / "data" / "swete-1901" / "tess-hocr"
    files = [SourceFile(path.name, path.read_bytes()) for path in sorted(folder.glob("001[0-5].hocr"))]
    built = build_edition(files, "swete-introduction", PipelineConfig())
    assert built.errors == [], built.errors
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert breaks(body) == ["vi", "vii", "viii", "ix", "x", "xi"]
    assert numbers(body) == {"vi": None, "vii": None, "viii": None, "ix": None, "X": "x", "'xi": "xi"}


def test_chapters_numbered_alone_at_the_tops_of_pages_stay_headings():
    """A book that prints no page numbers, whose chapters, a page or two long, each open at a
    page's top with the chapter's numeral alone (``I`` … ``VII``, no stop): the numbers grow
    more slowly than the pages, so they are no page's number, and each stays in the text."""
    rng = random.Random(7)
    chapters = {0: "I", 2: "II", 3: "III", 5: "IV", 7: "V", 8: "VI", 10: "VII"}
    body = edition([([chapters[n]] if n in chapters else []) + body_lines(rng, 18) for n in range(12)])
    assert not any(breaks(body)) and numbers(body) == {}
    assert not [e for e in body.iter(f"{TEI}fw")]  # no furniture: each numeral stays in its chapter's text
    assert all(numeral in running_text(body) for numeral in chapters.values())


def test_roman_numbers_beside_the_running_heads_of_the_preface():
    """The preface's pages head ``vi  PREFACE.`` on a verso and ``PREFACE.  vii`` on a recto, the
    body's ``2  OF THE STATE.`` and ``OF THE STATE.  3``: the head with its number is the page's
    header, its page break numbered as printed (the body's first page, its title alone, counted 1)."""
    rng = random.Random(8)
    pages = [["PREFACE."] + body_lines(rng, 20)]
    for n, numeral in enumerate(["iv", "v", "vi", "vii", "viii"], start=4):
        pages.append([f"{numeral}  PREFACE." if n % 2 == 0 else f"PREFACE.  {numeral}"] + body_lines(rng, 20))
    pages.append(["OF THE STATE."] + body_lines(rng, 20))
    for n in range(2, 8):
        pages.append([f"{n}  OF THE STATE." if n % 2 == 0 else f"OF THE STATE.  {n}"] + body_lines(rng, 20))
    body = edition(pages)
    assert breaks(body) == ["iv", "v", "vi", "vii", "viii", "1", "2", "3", "4", "5", "6", "7"]
    heads = {"".join(e.itertext()).strip(): e.get("n") for e in body.iter(f"{TEI}fw") if e.get("type") == "header"}
    assert heads["iv  PREFACE."] == "iv" and heads["PREFACE.  vii"] == "vii" and heads["OF THE STATE.  3"] == "3"
    assert "PREFACE." in running_text(body)


def _without_marks(pages: list[list[str]], name: str = "book.txt"):
    """The edition of a text whose pages follow one another with nothing between them (no form
    feed, no blank line): only the page numbers say where a page begins."""
    text = "\n".join("\n".join(lines) for lines in pages) + "\n"
    built = build_edition(text.encode("utf-8"), name, PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
    return tree.find(f"{TEI}text/{TEI}body")


def test_a_text_without_page_marks_paged_in_roman_then_arabic_numbers():
    """No form feeds: the preface's numbers iii–viii at the tops of its pages, then the body's
    1–7, make the pages; each page break numbered as printed."""
    rng = random.Random(9)
    pages = [[numeral] + body_lines(rng, 20) for numeral in ["iii", "iv", "v", "vi", "vii", "viii"]]
    pages += [[str(n)] + body_lines(rng, 20) for n in range(1, 8)]
    body = _without_marks(pages)
    assert breaks(body) == ["iv", "v", "vi", "vii", "viii"] + [str(n) for n in range(1, 8)]
    assert list(numbers(body)) == ["iii", "iv", "v", "vi", "vii", "viii"] + [str(n) for n in range(1, 8)]


def test_a_greek_text_without_page_marks_paged_in_greek_numerals():
    """No form feeds and no Arabic numbers: Greek numerals with their keraia at the pages' tops,
    each page turning inside a sentence, make the pages."""
    rng = random.Random(10)
    front = ["αʹ", "βʹ", "γʹ", "δʹ", "εʹ", "ϛʹ", "ζʹ"]
    body = _without_marks([[numeral] + greek_lines(rng, 20) for numeral in front], "prolegomena.txt")
    assert breaks(body) == front[1:]
    assert list(numbers(body)) == front


def test_chapters_numbered_alone_in_a_text_without_pages_make_no_pages():
    """A text without page marks whose chapters, of steady length, each open with their numeral
    alone (``I`` … ``VI``) after the last chapter's closing sentence: chapters, no pages."""
    rng = random.Random(11)
    chapters = [[numeral] + body_lines(rng, 20)[:-1] + ["and so it ended."] for numeral in
                ["I", "II", "III", "IV", "V", "VI"]]
    body = _without_marks(chapters)
    assert breaks(body) == [] and numbers(body) == {}


def _sonnets(last_line: str) -> str:
    """Fifteen sonnets, each a blank line, its numeral indented (``I`` … ``XV``), a blank line,
    then fourteen lines of verse, the last ``last_line``; no form feed."""
    rng = random.Random(12)
    lines: list[str] = []
    for value in range(1, 16):
        lines += ["", "  " + printed("ROMAN", value), ""] + body_lines(rng, 13) + [last_line]
    return "\n".join(lines) + "\n"


def test_sonnets_numbered_between_blank_lines_make_no_pages():
    """A text without page marks whose poems each open with their numeral set apart by blank
    lines, after the last poem's full stop, semicolon or no stop at all: the numerals head the
    poems, no page turns at them and none becomes a page number."""
    for last_line in ("and so it ended.", "and so it ended;", "and so it ended"):
        text = _sonnets(last_line)
        built = build_edition(text.encode("utf-8"), "sonnets.txt", PipelineConfig())
        assert built.errors == [], built.errors
        tree = parse(built.xml)
        assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
        whole = tree.find(f"{TEI}text")  # (front, body and back: a poem may stand anywhere)
        assert breaks(whole) == [] and numbers(whole) == {}, last_line
        heads = ["".join(head.itertext()).strip() for head in whole.iter(f"{TEI}head")]
        assert heads == [printed("ROMAN", value) for value in range(1, 16)], last_line


def test_a_greek_book_printing_six_as_sigma_tau_counts_its_unnumbered_page_so():
    """A Greek book that prints 6 as ``στ`` (``ιστʹ``), whose page ιστʹ shows no number: the
    page break counted for it prints its 6 as the book does."""
    rng = random.Random(13)
    front = [printed("greek", value, "στ") for value in range(1, 19)]
    pages = [[number] + greek_lines(rng, 20) for number in front]
    pages[15] = pages[15][1:]
    body = edition(pages, name="prolegomena.txt")
    assert breaks(body) == front[1:]
    assert "ιστʹ" not in numbers(body) and "στʹ" in numbers(body)


def test_german_pages_in_roman_numerals_whose_next_page_opens_with_a_noun():
    """No page marks: a German preface whose sentences run on over the page numbers v … xi,
    each set between blank lines, the next page opening with a noun (German capitalises
    every noun, so a capital after the number says nothing): pages, not headings."""
    line = "und so ging es weiter mit der langen Erzählung über die Zeit und die alten Tage, als noch"
    nouns = ["Regierung", "Stadt", "Kaiser", "Kirche", "Bürger", "Herzog", "Land"]
    text = "".join("\n".join([line] * 8) + f" die\n\n{numeral}\n\n{noun} "
                   for numeral, noun in zip(["v", "vi", "vii", "viii", "ix", "x", "xi"], nouns)) + "schloss.\n"
    built = build_edition(text.encode("utf-8"), "vorrede.txt", PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
    whole = tree.find(f"{TEI}text")
    assert list(whole.iter(f"{TEI}head")) == []
    assert breaks(whole)[:6] == ["vi", "vii", "viii", "ix", "x", "xi"]
    assert list(numbers(whole)) == ["v", "vi", "vii", "viii", "ix", "x", "xi"]


def test_sections_numbered_under_a_title_in_a_text_without_pages_make_no_pages():
    """No page marks: a title, then sections numbered 1 … 4 (or 一 … 四), each number between
    blank lines after a finished sentence. The title is the text's opening line, not half of a
    cut sentence: sections, no page breaks, no page numbers."""
    german = "Dies ist ein Satz, der eine Weile weiterläuft und dabei allerlei erzählt. Und noch einer folgt hier."
    chinese = "天下之事，有本有末，治之者必先知其本而後及其末，此古今之通義也。" * 3
    for title, numerals, sentence in (("Einleitung", ["1", "2", "3", "4"], german),
                                      ("論治", ["一", "二", "三", "四"], chinese)):
        text = f"{title}\n\n" + "".join(f"{numeral}\n\n{sentence}\n\n" for numeral in numerals)
        built = build_edition(text.encode("utf-8"), "abschnitte.txt", PipelineConfig())
        assert built.errors == [], built.errors
        tree = parse(built.xml)
        assert without_whitespace(rebuild_source(tree)) == without_whitespace(text)
        whole = tree.find(f"{TEI}text")
        assert breaks(whole) == [] and numbers(whole) == {}, title
        heads = ["".join(head.itertext()).strip() for head in whole.iter(f"{TEI}head")]
        assert heads == [title] + numerals, heads
