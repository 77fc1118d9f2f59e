"""The page furniture of early modern and scholarly books, as their OCR exports give it.

Books composed here in the patterns of a Latin quarto of the 1660s and a Greek critical
edition: running heads that change with the chapter and alternate between verso (``12 De
Civitate. Cap. 3.``) and recto (``Cap. 3. De Civitate. 13``), garbled by the OCR on many
pages (``T>e Civitatc``, ``1 3`` for 13), sometimes split over lines of their own above the
number; front matter before the first numbered page; signatures in a gathering's pattern and
catchwords at the foot. Every word of the text is our own.
"""

from __future__ import annotations

import random
from pathlib import Path

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

TEI = "{http://www.tei-c.org/ns/1.0}"
WORDS = ("civitas lex natura homo pax bellum ratio voluntas potestas jus pactum metus gloria "
         "populus rex senatus judex poena fides amor odium spes opinio fama sermo signum "
         "causa effectus motus corpus animus sensus imago memoria scientia prudentia "
         "itaque autem enim vero quoque tamen igitur sed neque nisi quia quod ut cum "
         "est sunt fuit esse habet habent facit dicitur videtur oritur manet").split()


def body_lines(rng: random.Random, count: int) -> list[str]:
    lines = []
    for _ in range(count):
        words = []
        while sum(len(w) + 1 for w in words) < 58:
            words.append(rng.choice(WORDS))
        lines.append(" ".join(words) + ",")
    return lines


def edition(text: str, name: str):
    built = build_edition(text.encode("utf-8"), name, PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(text.removeprefix("\ufeff"))  # the file's own BOM goes
    return tree.find(f"{TEI}text/{TEI}body")


def running_text(body) -> str:
    """The paragraphs' text without the furniture inside them."""
    parts = []

    def walk(element, inside_fw: bool) -> None:
        inside_fw = inside_fw or element.tag == f"{TEI}fw"
        if not inside_fw and element.text:
            parts.append(element.text)
        for child in element:
            walk(child, inside_fw)
            if not inside_fw and child.tail:
                parts.append(child.tail)

    for paragraph in body.iter(f"{TEI}p", f"{TEI}head"):
        walk(paragraph, False)
        parts.append("\n")
    return " ".join("".join(parts).split())


def fw(body, kind: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in body.iter(f"{TEI}fw") if e.get("type") == kind]


# The heads as the OCR read them, page by page from printed page 1 (the part's title page, no head).
HEADS = {
    2: "2\tDe\tCivitate.\tCap.\t1.", 3: "Cap. 1.\tDe Civitatc.\t3", 4: "4\tBe\tCivitate.\tCap.\tII.",
    5: "Cap. II.\nDe Clvitatte.\n5",  # the head on two lines of its own, the number under it
    6: "6\tT>e Civitate.\tCap.\t2.", 7: "Cap. 2.\tDe\tCivitate.\t7", 8: "8\tDe\tCivitatc,\tCap.\t3.",
    9: "Cap. 3.\tBe Civitate.\t1 y",  # the number garbled beyond reading
    10: "10\tDe\tCivitate.\tCap.\t3.", 11: "Cap. 3.\tDe Civitate.\t11", 12: "12\tDe Civltate.\tCap.\t4.",
    13: "Cap. 4.\tDe\tCivitate.\t13", 14: "14\tDe\tCivitate.\tCap.\t4.",
}


def latin_book() -> str:
    rng = random.Random(1668)
    pages = [["LIBER SECVNDVS", "DE", "CIVITATE", "Londini, anno MDCLXVIII."],  # front matter
             ["Ad lectorem.", *body_lines(rng, 8), "Vale."],
             ["Index capitum.", "Cap. I. De causis civitatis.", "Cap. II. De jure regum.", "Cap. III. De legibus."],
             ["PARS SECVNDA", "DE CIVITATE.", "CAPVT I.", *body_lines(rng, 20)]]  # printed page 1, no number
    bodies = {number: body_lines(rng, 28) for number in range(2, 15)}
    for number in range(2, 15):
        pages.append(HEADS[number].split("\n") + bodies[number] + FEET.get(number, _catchword)(bodies.get(number + 1)))
    return "".join("\ufeff" + "\r\n".join(lines) for lines in pages)


def _catchword(following: list[str] | None) -> list[str]:
    """The next page's first word, alone at the foot (the last page has none)."""
    return [following[0].split()[0]] if following else []


# Signatures on the first leaves of each gathering of eight pages, the short title on the
# first, the catchword beside them: as the OCR set them, on one line or on lines of their own.
FEET = {
    3: lambda following: [f"Civit.\tb\tb\tb\t{following[0].split()[0]}"],
    5: lambda following: [f"bbb z\t{following[0].split()[0]}"],
    7: lambda following: ["b b b 3", following[0].split()[0]],
    11: lambda following: [f"Clvit. c c c\t{following[0].split()[0][:-1]}e"],  # the catchword misread
    13: lambda following: [f"ccc 2\t{following[0].split()[0]}"],
}


def test_heads_that_alternate_and_garble_are_found_on_every_page():
    body = edition(latin_book(), "liber.txt")
    heads = fw(body, "header")
    text = running_text(body)
    for garbled in ("Civitatc", "Clvitatte", "Civltate", "T>e"):
        assert garbled not in text
    assert len([h for h in heads if "Cap" in h]) == 13  # every numbered page's head, the split one too
    assert "De Clvitatte." in heads and "Cap. II." in heads
    assert "5" in fw(body, "pageNum")  # the number under the split head


def test_no_page_number_is_counted_back_into_the_front_matter():
    body = edition(latin_book(), "liber.txt")
    numbers = [pb.get("n") for pb in body.iter(f"{TEI}pb")]  # the text's first page has no pb
    # the part's title page is page 1 (the sequence counts back to it); before it, nothing is
    # counted; page 9's number, garbled, is the sequence's
    assert numbers == [None, None] + [str(n) for n in range(1, 15)]


def test_signatures_and_catchwords_at_the_foot_leave_the_text():
    body = edition(latin_book(), "liber.txt")
    signatures, catchwords = fw(body, "sig"), fw(body, "catch")
    assert signatures == ["Civit. b b b", "bbb z", "b b b 3", "Clvit. c c c", "ccc 2"]
    assert len(catchwords) == 12  # every numbered page's but the last
    text = running_text(body)
    for mark in ("Civit.", "Clvit.", "bbb", "b b b", "ccc"):
        assert mark not in text


GREEK = ("καὶ εἶπεν ὁ θεὸς πρὸς αὐτὸν ἐγένετο δὲ μετὰ ταῦτα ἡμέρας πολλὰς ἐν τῇ γῇ ἐκείνῃ "
         "ἀπὸ τοῦ οὐρανοῦ ὕδωρ ἐπὶ τῆς θαλάσσης οἱ υἱοὶ αὐτοῦ ἔτη πέντε ἐλάλησεν λέγων").split()


def test_a_greek_head_split_from_its_chapter_and_verse_is_one_head():
    """A critical edition's head (chapter and verse, the book's name), which the OCR set on two
    lines, the order alternating, the page number at the foot."""
    rng = random.Random(1901)
    pages = []
    for number in range(18, 30):
        chapter = ["XI", "XII", "XIV", "XV", "XVII", "XVIII"][(number - 18) // 2]
        head = [f"{chapter} {number % 20 + 3}", "ΓΕΝΕΣΙΣ"] if number % 2 == 0 else ["ΓΕΝΕΣΙΣ", f"{chapter} {number % 9 + 5}"]
        body = [" ".join(rng.choice(GREEK) for _ in range(11)) for _ in range(30)]
        pages.append("\n".join(head + body + [str(number)]))
    body = edition("\f".join(pages) + "\n", "genesis.txt")
    heads = fw(body, "header")
    assert heads.count("ΓΕΝΕΣΙΣ") == 11 and len(heads) == 22  # every page's but the first, both halves
    assert running_text(body).count("ΓΕΝΕΣΙΣ") == 1  # the first page's, which may be a title
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == [str(n) for n in range(19, 30)]


def _book_without_page_marks(page_one_line: str | None = None) -> str:
    """The Latin book as a text export that joined its pages with blank lines only: the page
    numbers beside the running heads make the pages."""
    rng = random.Random(1651)
    pages = [["PARS SECVNDA", "DE CIVITATE.", "CAPVT I.", *body_lines(rng, 26)]]  # printed page 1, no number
    if page_one_line is not None:
        pages[0][14] = page_one_line
    for number in range(2, 15):
        pages.append(HEADS[number].split("\n") + body_lines(rng, 28))
    return "\n\n".join("\n".join(lines) for lines in pages) + "\n"


def test_a_line_of_text_with_a_word_like_a_heads_is_no_head_with_its_number():
    """On the unnumbered first page, where the sequence would put page 1, a full line of text
    holds a word like the heads' ("civitas") and ends on a letter the OCR may read for 1:
    text, not the head and number the page lacks."""
    line = "metus gloria civitas populus rex senatus judex poena fides amor i,"
    body = edition(_book_without_page_marks(line), "liber.txt")
    assert line in running_text(body)
    assert not any("civitas" in head for head in fw(body, "header"))


def test_a_head_garbled_past_its_words_keeps_its_number_beside_it(monkeypatch):
    """Page 9's head garbled past reading but for "Cap." and its number read as a letter
    ("Cap. 3. Dc Cvtnx. y", as "Cap. 6. D: Hombre. z;" for "Cap. 6. De Homine. 25"), the pages
    known from their marks: the head is furniture with the number the sequence gives it."""
    monkeypatch.setitem(HEADS, 9, "Cap. 3.\tDc Cvtnx.\ty")
    body = edition(latin_book(), "liber.txt")
    assert "Cvtnx" not in running_text(body)
    assert "Cap. 3. Dc Cvtnx. y" in fw(body, "header")


def test_a_word_broken_over_a_blank_line_is_joined_and_its_paragraph_kept_whole():
    """Tesseract 3's text export sets a blank line between the lines of a loosely printed page
    (a dedication's first lines): the word broken at a line's end goes on after the blank
    line, in a paragraph of its own only as the export shows it."""
    lines = ["Patri tuo Sidneo Godolphino (No-", "", "bilissime Domine) quantum debue-", "",
             "rim: studia mea; quantum ille Au-", "", "ctoritate Judicii sui apud viros bo-", "",
             "nos me ornaverit; quanto denique, temporibus durissimis, beneficio me adjuverit, ipse nosti.",
             "Commemoro autem, non ut favorem amicorum virtutem faciam meam, sed quia virorum bonorum",
             "nullam potestatem agnoscunt."]
    text = "EPISTOLA DEDICATORIA\n\n" + "\n".join(lines) + "\n"
    built = build_edition(text.encode("utf-8"), "epistola.txt", PipelineConfig())
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in body.iter(f"{TEI}p")]
    opening = next(p for p in paragraphs if p.startswith("Patri"))
    assert "ipse nosti" in opening  # one paragraph, no heading cut from it
    assert not [h for h in body.iter(f"{TEI}head") if "Godolphino" in "".join(h.itertext())]
    joined = {e.reason.split(": ")[1] for e in built.document.edits if e.kind == "hyphenation"}
    assert {"No-/bilissime read as Nobilissime", "debue-/rim read as debuerim", "Au-/ctoritate read as Auctoritate",
            "bo-/nos read as bonos"} <= {r.split(" (")[0] for r in joined}


COLUMN_SAMPLES = Path(__file__).parent / "data" / "ocrd-workspaces" / "column-samples"


def test_furniture_of_a_library_package_of_early_prints():
    """Two pages of early modern prints in a METS package, as the OCR read them (real pages:
    the Deutsches Textarchiv's column samples, tests/data/ocrd-workspaces/README.md). The
    signature with a star and the catchword share one foot line (``* 2 führet,``) under a line
    ending in a hyphen; the next page's number stands between parentheses and ornaments read
    as letters (``R ( 190.) X``); its catchword stands alone at the foot, and the next page is
    another book's, so only its place tells it. The library's stamps at the scans' border are
    not the book's furniture, nor do they hide it; no page number is counted back from 190
    onto the other book's page."""
    files = [SourceFile("mets.xml", (COLUMN_SAMPLES / "mets.xml").read_bytes())] + [
        SourceFile(f"OCR-D-OCR-TESS/{path.name}", path.read_bytes())
        for path in sorted((COLUMN_SAMPLES / "OCR-D-OCR-TESS").glob("*.hocr"))]
    built = build_edition(files, "column-samples", PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    body = tree.find(f"{TEI}text/{TEI}body")
    assert fw(body, "sig") == ["* 2"]
    assert fw(body, "catch") == ["führet,", "Nimb"]
    assert fw(body, "pageNum") == ["R ( 190.) X"]
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == [None, "190"]
    text = running_text(body)
    assert "ULB Halle. | 6137" in text and "ULB Halle, Ua 5908" in text  # left as the OCR read them
    assert "fortge-" in text and "führet" not in text and "Nimb Borragen" in text  # the body's own "Nimb" stays
    # each page begins where its text does: the second page's stamp, read first, is on it
    xml = etree.tostring(body, encoding="unicode")
    turn = xml.index('n="190"')
    assert xml.index("ULB Halle. | 6137") < turn < xml.index("ULB Halle, Ua 5908") < xml.index("R ( 190.) X")
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(built.document.text)


def _hocr(lines: list[tuple[str, tuple[int, int, int, int]]]) -> bytes:
    spans = "".join(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{text}</span>"
                    for text, (x0, y0, x1, y1) in lines)
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1500 2000'>"
            f"<p class='ocr_par'>{spans}</p></div></body></html>").encode()


def test_initials_that_sign_an_article_and_a_mark_out_of_place_are_no_furniture():
    """Page images of a journal (composed): the page numbers stand at the outer corners (a
    verso's at the left, a recto's at the right), a signature mark under the text at the right
    of a sheet's first page. An article ends on two pages with its author's initials at the
    right under the text (``C—.``, ``P.—``): a signature mark stands there too, but initials are
    no mark, however the OCR garbled them (``E. R``, ``»D- H-``). The opening page of a part prints no number; a speck at its top left, where no
    recto's number stands, is not its number however it reads (``L-``, one letter off 1)."""
    rng = random.Random(1841)

    def page(number: int, foot: list[str], top: str | None = None) -> bytes:
        if top is None:
            top = str(number)
        corner = (200, 100, 260, 150) if number % 2 == 0 else (1240, 100, 1300, 150)
        lines = [(top, corner if top == str(number) else (200, 100, 250, 150))]
        lines += [(text, (200, 200 + 60 * n, 1300, 250 + 60 * n)) for n, text in enumerate(body_lines(rng, 20))]
        lines[-1] = (lines[-1][0].rstrip(",") + ".", lines[-1][1])
        lines += [(text, (1100, 1460 + 60 * n, 1300, 1510 + 60 * n)) for n, text in enumerate(foot)]
        return _hocr(lines)

    pages = {1: page(1, ["1"], top="L-"), 2: page(2, []), 3: page(3, ["C—."]), 4: page(4, []), 5: page(5, []),
             6: page(6, ["P.—"]), 7: page(7, ["»D- H-"]), 8: page(8, ["E. R"]), 9: page(9, ["2"]), 10: page(10, [])}
    files = [SourceFile(f"p{n:02d}.hocr", data) for n, data in pages.items()]
    built = build_edition(files, "journal", PipelineConfig())
    assert built.errors == [], built.errors
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert fw(body, "sig") == ["1", "2"]
    assert fw(body, "pageNum") == [str(n) for n in range(2, 11)]
    text = running_text(body)
    assert "C—." in text and "P.—" in text and "L-" in text
    # initials whose last stop the OCR lost, or read with dashes after a speck, are initials still
    assert "E. R" in text and "»D- H-" in text
    # the first page is 1 by the sequence's count (its pb says so), with no number of its own
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == [str(n) for n in range(1, 11)]


def test_a_mark_read_as_punctuation_is_a_signature_where_the_sheets_put_one():
    """Page images of a journal in sheets of eight pages (composed): the signature under the
    text at the right of a sheet's first and third pages (``1``, ``1*``, ``2`` …). The OCR read
    one mark as ``;``: where the sheets put a mark, as large as the text's type, it is the mark.
    A speck read as ``!`` where a mark was lost is no mark, nor is a ``;`` as large as the type
    on a page where no sheet puts one."""
    rng = random.Random(1842)
    marks = {1: "1", 3: "1*", 9: "2", 11: ";", 17: "3", 19: "!", 25: "4", 27: "4*", 14: ";"}
    speck = (1150, 1470, 1160, 1490)  # narrower than a letter of the text's type
    files = []
    for number in range(1, 31):
        lines = [(str(number), (200, 100, 260, 150) if number % 2 == 0 else (1240, 100, 1300, 150))]
        lines += [(text, (200, 200 + 60 * n, 1300, 250 + 60 * n)) for n, text in enumerate(body_lines(rng, 20))]
        lines[-1] = (lines[-1][0].rstrip(",") + ".", lines[-1][1])
        if number in marks:
            lines.append((marks[number], speck if marks[number] == "!" else (1150, 1460, 1210, 1510)))
        files.append(SourceFile(f"p{number:02d}.hocr", _hocr(lines)))
    built = build_edition(files, "journal", PipelineConfig())
    assert built.errors == [], built.errors
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert fw(body, "sig") == ["1", "1*", "2", ";", "3", "4", "4*"]
    assert "!" in running_text(body) and ";" in running_text(body)  # page 19's speck, page 14's mark


def test_a_gatherings_foot_in_unnumbered_front_matter_of_a_text_export():
    """An early print's text export without page marks: the dedication before the first
    numbered page runs over two unnumbered pages, so the page numbers do not cut it. Its first
    page's foot (``a a a 2,`` and the catchword, on one line) stands before a blank line, and the
    next page opens with the catchword's word: signature and catchword, out of the text. A line
    of the dedication that reads like a foot but whose word the next page does not repeat, and
    a word repeated after a blank line without a signature, stay text."""
    rng = random.Random(1670)
    first = body_lines(rng, 12)
    second = body_lines(rng, 10)
    dedication = ["EPISTOLA DEDICATORIA", *first, "a a a 2, pacem", "", "pacem " + second[0], *second[1:],
                  "b b b 3, lex", "", "populus " + " ".join(body_lines(rng, 1)), "", "signum",
                  "", "signum " + " ".join(body_lines(rng, 1)), "", "Vale."]
    text = "\n".join(dedication) + "\n\n" + _book_without_page_marks()
    body = edition(text, "liber.txt")
    assert fw(body, "sig") == ["a a a 2,"] and fw(body, "catch") == ["pacem"]
    running = running_text(body)
    assert "a a a 2" not in running and "b b b 3, lex" in running and "signum signum" in running


def test_page_numbers_framed_between_ornaments_in_a_text_export():
    """Early prints frame the page number with parentheses or brackets between ornaments,
    which the OCR reads as letters or marks (``R ( 190.) X``): the number inside is the page's,
    the whole line is its fw, and the text export's pages are numbered by it."""
    for frame in ("* ( {} ) *", "R ( {}.) X", "✠ [ {} ] ✠"):
        rng = random.Random(7)
        pages = [[frame.format(n)] + body_lines(rng, 24) for n in range(37, 45)]
        body = edition("".join("\ufeff" + "\n".join(lines) + "\n" for lines in pages), "framed.txt")
        assert fw(body, "pageNum") == [frame.format(n) for n in range(37, 45)]
        assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == [str(n) for n in range(38, 45)]
        assert "(" not in running_text(body) and "[" not in running_text(body)


def _greek_pages(first_top: str, first_height: int, feet: tuple[str, ...] = ("18", "19", "20")) -> list[SourceFile]:
    """Page images of a Greek edition (composed hOCR): the head (chapter, verse, book) at the
    top in small type, alternating sides, the page number centred at the foot."""
    rng = random.Random(1901)
    tops = [first_top, "ΓΕΝΕΣΙΣ XII 13", "XII 14 ΓΕΝΕΣΙΣ"]
    files = []
    for index, (top, foot) in enumerate(zip(tops, feet)):
        height = first_height if index == 0 else 30
        lines = [(top, (200, 100, 1000, 100 + height))]
        lines += [(" ".join(rng.choice(GREEK) for _ in range(9)), (200, 200 + 60 * n, 1300, 245 + 60 * n))
                  for n in range(20)]
        lines.append((foot, (720, 1500, 780 + 60 * (len(foot) > 2), 1540)))
        # as Tesseract gives them: the head, the text and the foot each a paragraph of its own
        pars = "".join("<p class='ocr_par'>" + "".join(
            f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{text}</span>" for text, (x0, y0, x1, y1) in part)
            + "</p>" for part in (lines[:1], lines[1:-1], lines[-1:]))
        files.append(SourceFile(f"{50 + index:04d}.hocr", (
            "<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1500 2000'>"
            f"{pars}</div></body></html>").encode()))
    return files


def test_the_first_pages_head_is_a_head_where_the_page_shows_it():
    """The first page of a run has no page before it to repeat its head: its top line is the head
    where it has the heads' shape (their words, as many numbers, one at an end) and type. A
    title in large type, or a heading without the heads' numbers, stays text."""
    built = build_edition(_greek_pages("XI 14 ΓΕΝΕΣΙΣ", 30), "genesis", PipelineConfig())
    assert built.errors == [], built.errors
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert fw(body, "header") == ["XI 14 ΓΕΝΕΣΙΣ", "ΓΕΝΕΣΙΣ XII 13", "XII 14 ΓΕΝΕΣΙΣ"]
    assert "ΓΕΝΕΣΙΣ" not in running_text(body)
    assert len(list(body.iter(f"{TEI}pb"))) == 3  # no page break invented at the first head
    for top, height in (("XI 14 ΓΕΝΕΣΙΣ", 75), ("ΓΕΝΕΣΙΣ", 30), ("ΓΕΝΕΣΙΣ XI", 30)):
        built = build_edition(_greek_pages(top, height), "genesis", PipelineConfig())
        body = parse(built.xml).find(f"{TEI}text/{TEI}body")
        assert top in running_text(body), (top, height)
        assert fw(body, "header") == ["ΓΕΝΕΣΙΣ XII 13", "XII 14 ΓΕΝΕΣΙΣ"]


def test_a_page_number_read_as_one_line_with_the_signature_beside_it():
    """Two page images (composed), the numbers centred at the foot; on the second the signature
    stands on the number's line, at its side, and the OCR read both as one line ("19  B 2" as
    "I9 n2"): the number's piece is the page number the sequence needs, the rest its signature."""
    built = build_edition(_greek_pages("XI 14 ΓΕΝΕΣΙΣ", 30, feet=("18", "I9 n2")), "genesis", PipelineConfig())
    assert built.errors == [], built.errors
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert fw(body, "pageNum") == ["18", "I9"] and fw(body, "sig") == ["n2"]
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == ["18", "19"]
    assert "I9" not in running_text(body) and "n2" not in running_text(body)
    # a foot line of two words that reads as no number in the sequence stays text
    built = build_edition(_greek_pages("XI 14 ΓΕΝΕΣΙΣ", 30, feet=("18", "I4 n2")), "genesis", PipelineConfig())
    assert "I4 n2" in running_text(parse(built.xml).find(f"{TEI}text/{TEI}body"))


def _hocr_words(lines: list[list[tuple[str, tuple[int, int, int, int], float]]]) -> bytes:
    """A page of hOCR whose lines are given word by word, each with its box and confidence;
    each line a paragraph of its own but the text's, as Tesseract sets them apart."""
    def line(words) -> str:
        box = (min(w[1][0] for w in words), min(w[1][1] for w in words), max(w[1][2] for w in words),
               max(w[1][3] for w in words))
        spans = "".join(f"<span class='ocrx_word' title='bbox {x0} {y0} {x1} {y1}; x_wconf {round(100 * c)}'>{t}</span> "
                        for t, (x0, y0, x1, y1), c in words)
        return f"<span class='ocr_line' title='bbox {box[0]} {box[1]} {box[2]} {box[3]}'>{spans}</span>"

    pars = f"<p class='ocr_par'>{line(lines[0])}</p><p class='ocr_par'>{''.join(map(line, lines[1:]))}</p>"
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1500 2000'>"
            f"{pars}</div></body></html>").encode()


ROMAN_FRONT = ["v", "vi", "vii", "viii", "ix", "x"]
CHAPTERS = ["XI", "XII", "XIII", "XIV", "XV", "XVI"]
SPECK = ".'"  # a speck above the head on one page, read as marks


def _edition_page(number: int, rng: random.Random, foot: str | None, head: str | None = None,
                  speck: bool = False, signature: str | None = None) -> bytes:
    """A page image of a Greek critical edition as an engine gives it (hOCR, composed): the head
    on one printed row cut into two boxes (chapter and verse at the outer corner, the book's
    name centred), the page number centred under the text (``foot``: as the engine read it, or
    None where it lost it), a signature mark at the right of the foot's row."""
    verso = number % 2 == 0
    chapter = head if head is not None else f"{CHAPTERS[number // 6]} {number % 20 + 1}"
    corner = (200, 305, 330, 355) if verso else (1170, 305, 1300, 355)
    lines = [(chapter, corner), ("ΕΞΟΔΟΣ", (650, 300, 850, 350))]
    lines = lines if verso else lines[::-1]
    if speck:
        lines.insert(0, (SPECK, (240, 60, 270, 90)))
    lines += [(" ".join(rng.choice(GREEK) for _ in range(11)), (200, 420 + 60 * n, 1300, 470 + 60 * n))
              for n in range(20)]
    if foot is not None:
        lines.append((foot, (720, 1660, 780, 1710)))
    if signature is not None:
        lines.append((signature, (1200, 1660, 1260, 1710)))
    return _hocr(lines)


def _front_page(numeral: str | None, rng: random.Random, foot: str | None = None) -> bytes:
    """A page of the introduction: its roman number alone above the text, centred; the title
    page has none, and its year centred at the foot."""
    text = [(" ".join(rng.choice(WORDS) for _ in range(9)), (200, 420 + 60 * n, 1300, 470 + 60 * n))
            for n in range(20)]
    blocks = ([[(numeral, (720, 300, 780, 350))]] if numeral else []) + [text] \
        + ([[(foot, (700, 1660, 800, 1710))]] if foot is not None else [])
    pars = "".join("<p class='ocr_par'>" + "".join(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{line}</span>"
                                                   for line, (x0, y0, x1, y1) in block) + "</p>" for block in blocks)
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1500 2000'>"
            f"{pars}</div></body></html>").encode()


def _latin_page(top: list[tuple[str, tuple[int, int, int, int], float]], seed: int) -> bytes:
    rng = random.Random(seed)
    body = []
    for n, text in enumerate(body_lines(rng, 22)):
        x, words = 200, []
        for word in text.split():
            words.append((word, (x, 200 + 60 * n, x + 18 * len(word), 240 + 60 * n), 0.9))
            x += 18 * len(word) + 12
        body.append(words)
    return _hocr_words([top] + body)


def test_a_page_number_at_the_top_corner_numbers_a_page_without_a_sequence():
    """Two page images (composed): a book's opening page (its title, no number), then a page
    whose top line prints the number at the text block's corner and the head centred, set far
    apart (``4   Arnobii aduersus nationes``). One number is no sequence, but where it stands
    says what it is: the page's number, the words beside it its head. A heading that begins
    with a number set close to its words is no page number."""
    opening = [("LIBER", (560, 100, 740, 160), 0.9), ("PRIMVS", (770, 100, 960, 160), 0.9)]
    corner = [("4", (200, 100, 222, 135), 0.95), ("Arnobii", (560, 100, 680, 135), 0.9),
              ("aduersus", (700, 100, 830, 135), 0.9), ("nationes", (850, 100, 980, 135), 0.9)]
    built = build_edition([SourceFile("003.hocr", _latin_page(opening, 3)), SourceFile("004.hocr", _latin_page(corner, 4))],
                          "arnobius", PipelineConfig())
    assert built.errors == [], built.errors
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert fw(body, "header") == ["4 Arnobii aduersus nationes"]
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == [None, "4"]
    assert "LIBER PRIMVS" in running_text(body)
    close = [("4", (200, 100, 222, 135), 0.95)] + [(w, (x + 260 - 560, 100, x + 390 - 560, 135), 0.9)
                                                   for w, (x, *_), _c in corner[1:]]
    built = build_edition([SourceFile("003.hocr", _latin_page(opening, 3)), SourceFile("004.hocr", _latin_page(close, 4))],
                          "arnobius", PipelineConfig())
    body = parse(built.xml).find(f"{TEI}text/{TEI}body")
    assert fw(body, "header") == [] and fw(body, "pageNum") == []
    assert "4 Arnobii aduersus nationes" in running_text(body)


def test_the_number_a_page_prints_numbers_it_where_the_library_label_is_a_page_off():
    """A library package (METS over a page's hOCR, composed) whose label for the page is a page
    off the number the page prints at its top corner beside an ornament (which the engine reads
    as letters with no confidence): the page break's @n is the number printed, the reason says
    the label. A label far from it (another count) stands, and so does one the number agrees with."""
    from tests.library_packages import mets

    top = [("2", (200, 100, 215, 130), 0.95), ("HEU", (520, 95, 760, 135), 0.0)]
    for label, n in (("3", "2"), ("9", "9"), ("2", "2")):
        files = [SourceFile("mets.xml", mets([("s1", label, "FULLTEXT/p1.hocr")]).encode()),
                 SourceFile("FULLTEXT/p1.hocr", _latin_page(top, 2))]
        built = build_edition(files, "werke", PipelineConfig())
        assert built.errors == [], built.errors
        body = parse(built.xml).find(f"{TEI}text/{TEI}body")
        assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == [n], label
        assert fw(body, "pageNum") == ["2 HEU"] and "HEU" not in running_text(body)
        reasons = [e.reason for e in built.document.edits if e.kind == "page-break"]
        assert ("METS labels it '3'" in reasons[0]) == (label == "3")


def _critical_edition(feet: dict[int, str | None]) -> list[SourceFile]:
    """A title page (its year at the foot), six pages of introduction numbered v–x at the top, and
    pages 1–30 numbered at the foot as ``feet`` says the engine read them."""
    rng = random.Random(1901)
    files = [SourceFile("p000.hocr", _front_page(None, rng, foot="1901"))]
    files += [SourceFile(f"p{n + 1:03d}.hocr", _front_page(numeral, rng)) for n, numeral in enumerate(ROMAN_FRONT)]
    for number in range(1, 31):
        files.append(SourceFile(f"p{number + 6:03d}.hocr", _edition_page(
            number, rng, feet.get(number), head="V S" if number == 9 else None, speck=number == 20,
            signature="1" if number == 17 else None)))
    return files


# The numbers the engine read exactly: six of thirty, too few against all the book's pages
# (title page and introduction included) to vote the sequence in, but its only sequence.
READ = {3: "3", 8: "8", 14: "14", 19: "19", 25: "25", 30: "30"}


def _built(feet: dict[int, str | None]):
    built = build_edition(_critical_edition(feet), "exodus", PipelineConfig())
    assert built.errors == [], built.errors
    tree = parse(built.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(built.document.text)
    return tree.find(f"{TEI}text/{TEI}body")


def test_a_foot_sequence_read_on_few_pages_numbers_the_book_and_its_garbled_numbers():
    """The engine read six of thirty numbers under the text, the rest lost or garbled: a run
    without rival numbers the pages (the introduction before it keeps its roman numbers, its
    page breaks numbered as printed, ``n="v"``; the title page's year is no page number). A number garbled past reading (``πθ`` for 26, ``0``
    for 20) is the page's where the sequence needs it and it stands alone under the text where
    the book's numbers stand; the signature's ``1`` at the right of page 17's foot is not 17."""
    body = _built(READ | {20: "0", 26: "πθ"})
    numbers = [pb.get("n") for pb in body.iter(f"{TEI}pb")]
    assert numbers == [None] + ROMAN_FRONT + [str(n) for n in range(1, 31)]
    assert fw(body, "pageNum") == ROMAN_FRONT + ["3", "8", "14", "19", "0", "25", "πθ", "30"]
    garbled = {e.text: e.get("n") for e in body.iter(f"{TEI}fw") if e.get("type") == "pageNum" and e.get("n")}
    assert garbled == {"0": "20", "πθ": "26"}
    text = running_text(body)
    assert "1901" in text and "1" not in fw(body, "pageNum")


def test_too_few_numbers_read_leave_the_garbled_foot_as_text():
    """Three numbers read under the text are no sequence (a signature's marks agree as often):
    no page gets a number from them (the introduction's roman numbers, read on each of its
    pages, number only its own), and the garbled ``πθ`` stays text."""
    body = _built({3: "3", 14: "14", 25: "25", 26: "πθ"})
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb") if pb.get("n")] == ROMAN_FRONT
    assert "πθ" not in fw(body, "pageNum") and "πθ" in running_text(body)


def test_a_head_cut_into_boxes_on_its_row_is_the_head_whole_under_a_speck_too():
    """Each page's head is two boxes side by side (``ΕΞΟΔΟΣ`` and ``XII 14``): both are the head,
    also where the chapter and verse are garbled past reading (``V S``) and where a speck above
    the head was read as marks (which stays text, and ends no head)."""
    body = _built(READ)
    heads = fw(body, "header")
    assert heads.count("ΕΞΟΔΟΣ") == 30 and "V S" in heads and len(heads) == 2 * 30
    text = running_text(body)
    assert "ΕΞΟΔΟΣ" not in text and "V S" not in text and SPECK in text
