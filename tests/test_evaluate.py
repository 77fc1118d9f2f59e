"""`flows.py evaluate` and pipeline.evaluation: CER/WER/bag-of-words against ground truth in
each format it reads (plain text per page, PAGE, ALTO, TEI), pages paired by file name,
furniture precision/recall, agreement with dinglehopper, the HTML report in a browser.

Real pages: Die Grenzboten 1841, scans 179396–179401 in tests/data (see its README); PAGE,
ALTO and TEI ground truth composed here from the real page's ground-truth lines."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import html

from pipeline.config import PipelineConfig
from pipeline.evaluation import Options, evaluate, read_source
from pipeline.evaluation.metrics import measure, normalize
from pipeline.run.document import process_file
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "grenzboten-1841"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IMAGED = ("179399", "179400", "179401")  # the pages whose images are in tests/data


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """Our edition of the three pages with images (ABBYY XML + TIFF): its pages link their files."""
    book = tmp_path_factory.mktemp("eval") / "book"
    book.mkdir()
    names = []
    for stem in IMAGED:
        for path in (CORPUS / "abbyy-xml" / f"{stem}.abbyy.xml", CORPUS / "tif" / f"{stem}.tif"):
            shutil.copy(path, book)
            names.append(path.name)
    out = book.parent / "out"
    report = process_file(book, out, PipelineConfig(), "book", "book", tuple(names))
    assert report.status == "ok", report.errors
    return out / "book.tei.xml"


def _gt_lines(stem: str) -> list[str]:
    return (CORPUS / "gt" / f"{stem}.gt.txt").read_text(encoding="utf-8").splitlines()


# --- the measures, on pairs whose errors are counted by hand ---------------------------------

def test_characters_are_grapheme_clusters_and_totals_sum_distances():
    options = Options()
    # "aͤ" (a + combining e) is one character; read as "ä" it is one error in two characters
    assert measure(normalize("aͤb", options), normalize("äb", options)).characters.errors == 1
    assert measure(normalize("aͤb", options), normalize("äb", options)).characters.length == 2
    # NFC: a decomposed ü is the same character as a composed one
    assert measure(normalize("u\u0308ber", options), normalize("über", options)).characters.errors == 0
    truth = [_page("a", "Haus und Hof"), _page("b", "x" * 100)]
    result = evaluate([_page("a", "Hans und Hof"), _page("b", "x" * 100)], truth)
    assert result.text.characters.errors == 1 and result.text.characters.length == 112
    assert result.pages[0].text.characters.rate == pytest.approx(1 / 12)  # a mean of rates would be 1/24


def test_words_out_of_order_are_told_apart_from_misreadings():
    swapped = measure("der Hund und die Katze", "die Katze und der Hund")
    assert swapped.words.errors == 4 and swapped.bag_of_words.errors == 0
    misread = measure("der Hund und die Katze", "der Hnnd und die Katze")
    assert misread.words.errors == 1 and misread.bag_of_words.errors == 1
    assert measure("Ja, so!", "Ja so").words.errors == 0  # punctuation is no word (it is a character)


def test_whitespace_and_hyphens_are_options_whose_defaults_are_said():
    truth, ocr = "Die Be-\nmühungen  der Zeit", "Die Bemühungen der\nZeit"
    assert measure(normalize(truth, Options()), normalize(ocr, Options())).characters.errors == 0
    kept = Options(hyphens="keep")
    assert measure(normalize(truth, kept), normalize(ocr, kept)).characters.errors == 2  # "-" and the break
    assert measure(normalize("a b", Options(whitespace="ignore")), "ab").characters.errors == 0
    assert "NFC" in Options().describe() and "whitespace collapse" in Options().describe()
    # NFKC folds the long s, for ground truth that keeps it
    nfkc = Options(normalization="NFKC")
    assert normalize("Geſetz", nfkc) == normalize("Gesetz", nfkc)
    with pytest.raises(ValueError):
        Options(whitespace="squeeze")


def _page(label, text):
    from pipeline.evaluation import Page
    page = Page(label, (label,))
    page.add(text)
    return page


# --- ground truth as plain text per page -------------------------------------------------------

def test_plain_text_ground_truth_pairs_pages_by_file_name(edition):
    truth = read_source([CORPUS / "gt"])  # five pages, three of them in the edition
    result = evaluate(read_source([edition]).pages, truth.pages)
    assert result.matched_by == "file name"
    assert [page.truth for page in result.pages] == [f"{stem}.gt.txt" for stem in IMAGED]
    assert result.truth_without_partner == ["179396.gt.txt", "179397.gt.txt"]
    assert result.main is None and not result.pages[0].furniture  # plain text marks no furniture
    # ABBYY read these pages with 0.4–1.3 % CER (the corpus's README); the edition keeps its text
    assert 0.002 < result.text.characters.rate < 0.02
    # page 9's printed number and signature mark are in the compared text, where they stand
    page9 = result.pages[1]
    assert page9.edition_text.startswith("9 mälde") and page9.edition_text.endswith("dem ahnt es 2")


def test_an_output_folder_is_read_for_its_editions_alone(edition):
    folder = read_source([edition.parent])  # the edition, its HTML preview and IIIF manifest, its page images' folder
    assert folder.formats == ["book.tei.xml: TEI"] and folder.skipped == [
        "book.html: HTML that is not hOCR (a preview)", "book.manifest.json: JSON (a manifest)"]
    assert [page.full_text for page in folder.pages] == [page.full_text for page in read_source([edition]).pages]


def test_the_reading_text_and_the_diplomatic_one(tmp_path):
    """A page whose engine read long s: the edition regularizes it (orig ſ, reg s); compared with
    ground truth that writes s, the reading text has no error, the diplomatic one has them."""
    from pipeline.process import build_edition

    lines = ["Das Geſetz iſt gut und die Geſellſchaft iſt", "zufrieden mit dem Geſetz und ſeinen Folgen."]
    page = (tmp_path / "1.xml")
    page.write_text(_page_xml_of("1", [("paragraph", lines)]), encoding="utf-8")
    built = build_edition(page.read_bytes(), "1.xml", PipelineConfig())
    assert not built.errors and b"<orig>\xc5\xbf</orig>" in built.xml
    (tmp_path / "1.tei.xml").write_bytes(built.xml)
    truth = tmp_path / "1.gt.txt"
    truth.write_text("\n".join(line.replace("ſ", "s") for line in lines), encoding="utf-8")
    reading = evaluate(read_source([tmp_path / "1.tei.xml"]).pages, read_source([truth]).pages)
    diplomatic = evaluate(read_source([tmp_path / "1.tei.xml"], diplomatic=True).pages, read_source([truth]).pages,
                          Options(edition_text="diplomatic"))
    assert reading.text.characters.errors == 0
    assert diplomatic.text.characters.errors == sum(line.count("ſ") for line in lines)  # each long s as printed


def test_the_engines_own_output_is_measured_the_same_way(edition):
    truth = read_source([CORPUS / "gt"]).pages
    engine = evaluate(read_source([CORPUS / "abbyy-xml"]).pages, truth)
    ours = evaluate(read_source([edition]).pages, truth)
    assert engine.matched_by == "file name" and len(engine.pages) == 5
    pages = {page.truth: page.text.characters for page in engine.pages}
    edition_pages = {page.truth: page.text.characters for page in ours.pages}
    for stem in IMAGED:  # the same ground truth, the same lengths; errors within a few of each other
        truth_page = f"{stem}.gt.txt"
        assert pages[truth_page].length == edition_pages[truth_page].length
        assert abs(pages[truth_page].errors - edition_pages[truth_page].errors) <= 10


def test_a_page_without_its_image_is_paired_in_order_between_named_ones(tmp_path):
    """Page 9 has no image in the book folder: its surface names the file its text came from,
    and it is paired by that name. An edition page that names no file at all (the attribute
    taken away, as another project's edition may have it) stands between pages 8 and 10, paired
    by name, and so does its ground truth."""
    book = tmp_path / "book"
    book.mkdir()
    names = [f"{stem}.abbyy.xml" for stem in IMAGED] + ["179399.tif", "179401.tif"]
    for name in names:
        shutil.copy(CORPUS / ("tif" if name.endswith(".tif") else "abbyy-xml") / name, book)
    assert process_file(book, tmp_path / "out", PipelineConfig(), "book", "book", tuple(names)).status == "ok"
    edition = tmp_path / "out" / "book.tei.xml"
    result = evaluate(read_source([edition]).pages, read_source([CORPUS / "gt"]).pages)
    assert [(page.truth, page.edition) for page in result.pages] == [
        ("179399.gt.txt", "179399 (n=8)"), ("179400.gt.txt", "179400 (n=9)"), ("179401.gt.txt", "179401 (n=10)")]
    assert result.matched_by == "file name"
    text = edition.read_text(encoding="utf-8")
    assert text.count(' source="../book/179400.abbyy.xml"') == 1
    edition.write_text(text.replace(' source="../book/179400.abbyy.xml"', ""), encoding="utf-8")
    result = evaluate(read_source([edition]).pages, read_source([CORPUS / "gt"]).pages)
    assert [(page.truth, page.edition) for page in result.pages] == [
        ("179399.gt.txt", "179399 (n=8)"), ("179400.gt.txt", "p. 2 (n=9)"), ("179401.gt.txt", "179401 (n=10)")]
    assert result.matched_by == "file name, and in order between pages so paired (1)"
    # before page 8: two ground-truth pages, no edition page: left without a partner
    assert result.truth_without_partner == ["179396.gt.txt", "179397.gt.txt"]
    assert result.text.characters.rate < 0.02


def test_pages_without_file_names_are_paired_in_order_and_said(tmp_path):
    lines = [_gt_lines("179399"), _gt_lines("179400")]
    export = tmp_path / "export.txt"
    export.write_text("\f".join("\n".join(page) for page in lines), encoding="utf-8")
    result = evaluate(read_source([export]).pages, read_source([CORPUS / "gt" / "179399.gt.txt",
                                                                CORPUS / "gt" / "179400.gt.txt"]).pages)
    assert result.matched_by == "order" and len(result.pages) == 2
    assert result.text.characters.errors == 0
    one = tmp_path / "one.txt"  # no pages at all: compared with the ground truth's pages joined
    one.write_text("\n".join(lines[0] + lines[1]), encoding="utf-8")
    whole = evaluate(read_source([one]).pages, read_source([CORPUS / "gt"]).pages[2:4])
    assert whole.matched_by == "whole text" and whole.text.characters.errors == 0 and whole.notes


# --- ground truth that marks furniture: PAGE, ALTO, TEI ----------------------------------------

def _page_xml(stem: str, header: str | None = None) -> str:
    """PAGE 2019 ground truth of a real page: its number, text and (page 9) signature mark in typed regions."""
    lines = [line for line in _gt_lines(stem) if line.strip()]
    signature = stem == "179400"  # page 9 ends with the signature mark "2" (tests/data's README)
    regions = [("page-number", lines[:1])] + ([("header", [header])] if header else [])
    regions += [("paragraph", lines[1:-1] if signature else lines[1:])]
    regions += [("signature-mark", lines[-1:])] if signature else []
    return _page_xml_of(stem, regions)


def _page_xml_of(stem: str, regions: list[tuple[str, list[str]]]) -> str:
    body = "".join(
        f'<TextRegion id="r{n}" type="{kind}"><Coords points="0,0 1,0 1,1 0,1"/>'
        + "".join(f'<TextLine id="r{n}l{i}"><Coords points="0,0 1,0 1,1 0,1"/><TextEquiv><Unicode>{escape(text)}'
                  f"</Unicode></TextEquiv></TextLine>" for i, text in enumerate(texts))
        + "</TextRegion>" for n, (kind, texts) in enumerate(regions))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
            f'<Metadata><Creator>hand</Creator></Metadata><Page imageFilename="{stem}.tif" imageWidth="3340" '
            f'imageHeight="4872">{body}</Page></PcGts>')


def test_page_xml_ground_truth_measures_furniture_apart(edition, tmp_path):
    (tmp_path / "179400.xml").write_text(_page_xml("179400"), encoding="utf-8")
    (tmp_path / "179401.xml").write_text(_page_xml("179401", header="Belgien."), encoding="utf-8")
    result = evaluate(read_source([edition]).pages, read_source([tmp_path]).pages)
    assert [page.truth for page in result.pages] == ["179400.xml", "179401.xml"]
    page9, page10 = result.pages
    assert page9.furniture["page-number"].paired == 1 and page9.furniture["signature"].paired == 1
    assert page9.main.characters.length < page9.text.characters.length  # "9" and "2" left out
    furniture = result.furniture
    # a running head the ground truth marks and the edition does not have: recall 0
    assert furniture["running-head"].expected == 1 and furniture["running-head"].recall == 0
    assert furniture["page-number"].recall == 1 and furniture["page-number"].precision == 1
    assert page10.main.characters.rate < 0.02
    # the running head the edition lacks is 8 errors in the page's whole text, none in its running text
    assert page10.text.characters.errors - page10.main.characters.errors >= len("Belgien.")


def test_alto_ground_truth_marks_furniture_by_tags(edition, tmp_path):
    lines = [line for line in _gt_lines("179400") if line.strip()]
    blocks = [("PN", lines[:1]), (None, lines[1:-1]), ("SIG", lines[-1:])]
    body = "".join(
        f'<TextBlock ID="b{n}"' + (f' TAGREFS="{tag}"' if tag else "") + ">"
        + "".join(f'<TextLine ID="b{n}l{i}">' + "<SP/>".join(f'<String CONTENT="{escape(word, {chr(34): "&quot;"})}"/>'
                                                              for word in line.split()) + "</TextLine>"
                  for i, line in enumerate(texts)) + "</TextBlock>"
        for n, (tag, texts) in enumerate(blocks))
    (tmp_path / "179400.alto.xml").write_text(
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Tags>'
        '<OtherTag ID="PN" LABEL="page-number"/><OtherTag ID="SIG" LABEL="signature-mark"/></Tags>'
        f'<Layout><Page ID="p1" WIDTH="3340" HEIGHT="4872"><PrintSpace>{body}</PrintSpace></Page></Layout></alto>',
        encoding="utf-8")
    result = evaluate(read_source([edition]).pages, read_source([tmp_path]).pages)
    assert [page.truth for page in result.pages] == ["179400.alto.xml"]
    furniture = result.pages[0].furniture
    assert furniture["page-number"].recall == 1 and furniture["signature"].recall == 1
    assert result.main.characters.rate < 0.02


def test_a_tei_edition_is_ground_truth_too(edition, tmp_path):
    """Another project's TEI (as the DTA writes it): pb/@facs names the image, fw the furniture,
    choice/abbr+expan and sic+corr read as the reader sees them."""
    lines = [line for line in _gt_lines("179400") if line.strip()]
    body = "<lb/>".join(escape(line) for line in lines[1:-1])
    body = body.replace("Leipzig ꝛc.", "Leipzig <choice><abbr>ꝛc.</abbr><expan>et cetera</expan></choice>", 1)
    (tmp_path / "dta.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
        '<text><body><pb facs="https://example.org/img/179400.tif" n="9"/><fw type="pageNum" place="top">9</fw>'
        f'<p>{body}</p><fw type="sig" place="bottom">2</fw></body></text></TEI>', encoding="utf-8")
    truth = read_source([tmp_path / "dta.xml"])
    assert truth.formats == ["dta.xml: TEI"] and truth.pages[0].keys[-1] == "179400"
    result = evaluate(read_source([edition]).pages, truth.pages)
    assert result.matched_by == "file name" and result.pages[0].edition.startswith("179400")
    assert result.pages[0].furniture["page-number"].paired == 1
    assert result.pages[0].furniture["signature"].paired == 1
    # the expansion is the reading: "et cetera" against the edition's "rc." are errors
    assert "et cetera" in result.pages[0].truth_text


# --- dinglehopper, OCR-D's evaluator, on the same pairs ----------------------------------------

@pytest.mark.parametrize("stem", ["179399", "179400"])
def test_cer_agrees_with_dinglehopper(stem):
    ocr_files = pytest.importorskip("dinglehopper.ocr_files")
    from dinglehopper.character_error_rate import character_error_rate
    truth, ocr = CORPUS / "gt" / f"{stem}.gt.txt", CORPUS / "tess-txt" / f"{stem}.tess.txt"
    theirs = character_error_rate(ocr_files.extract(truth, plain_encoding="utf-8"),
                                  ocr_files.extract(ocr, plain_encoding="utf-8"))
    # dinglehopper keeps line breaks and hyphens as they are, and so do these options
    ours = evaluate(read_source([ocr]).pages, read_source([truth]).pages,
                    Options(whitespace="keep", hyphens="keep")).text.characters.rate
    assert 0.005 < theirs < 0.05
    assert abs(100 * ours - 100 * theirs) < 0.1


# --- the HTML report, in a browser ------------------------------------------------------------

@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_html_report_marks_differences_in_headless_chromium(tmp_path):
    truth, ocr = tmp_path / "p1.gt.txt", tmp_path / "p1.txt"
    truth.write_text("Der Hund <b>bellt</b> & beißt.\n", encoding="utf-8")
    ocr.write_text("Der Hnnd <b>bellt</b> & beißt.\n<script>document.title='x'</script>\n", encoding="utf-8")
    report = tmp_path / "report.html"
    run = subprocess.run([sys.executable, str(ROOT / "flows.py"), "evaluate", str(ocr), str(truth), "--html",
                          str(report)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    probe = """<script>window.addEventListener('load', function () {
      var d = document.querySelector('.diff del'), i = document.querySelector('.diff ins'), s = getComputedStyle(d);
      document.body.setAttribute('data-probe', [d.textContent, i.textContent, s.backgroundColor,
        s.textDecorationLine, document.title].join('|'));
    });</script></body>"""
    page = tmp_path / "probe.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", probe), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    rendered = html.fromstring(dom)
    deleted, inserted, background, decoration, title = rendered.xpath("//body/@data-probe")[0].split("|")
    assert (deleted, inserted) == ("u", "n")  # Hund read as Hnnd: the one letter marked on each side
    assert background not in ("rgba(0, 0, 0, 0)", "transparent") and "line-through" in decoration
    assert title.startswith("Evaluation of")  # the text's script was shown, never run
    assert "<script>document.title" in rendered.xpath("string(//ins[contains(., 'script')])")
    assert "<b>bellt</b> & beißt." in rendered.text_content()  # markup in the text shown as text


# --- the command line, end to end --------------------------------------------------------------

def test_the_command_line_prints_a_table_and_writes_json(edition, tmp_path):
    truth = tmp_path / "gt"
    shutil.copytree(CORPUS / "gt", truth)
    (truth / "broken.gt.txt").write_bytes(b"\x00\x01\x02\xff" * 100)  # one bad file never stops the others
    figures = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(ROOT / "flows.py"), "evaluate", str(edition), str(truth),
                          "--json", str(figures)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("\n") == 1 and "broken.gt.txt" in run.stderr
    assert "Pages paired by file name: 3 pair(s)" in run.stdout
    assert "whitespace collapse" in run.stdout and "179396.gt.txt" in run.stdout  # options and pages unpaired
    total_row = next(line for line in run.stdout.splitlines() if line.startswith("total"))
    document = json.loads(figures.read_text(encoding="utf-8"))
    total = document["total"]["text"]["characters"]
    assert total["length"] == sum(page["text"]["characters"]["length"] for page in document["pages"])
    assert f"{100 * total['rate']:.2f}" in total_row
    assert document["options"]["normalization"] == "NFC" and len(document["unreadable"]) == 1
    missing = subprocess.run([sys.executable, str(ROOT / "flows.py"), "evaluate", str(tmp_path / "nothing.xml"),
                              str(truth)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "nothing.xml" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_an_edition_without_images_pairs_its_pages_by_the_files_their_text_came_from(tmp_path):
    """A folder of ABBYY XML pages without their scans: no graphic, but each surface names the
    file its text was read from (surface/@source), and evaluate pairs pages by it, not by order:
    the ground truth given in another order (and one page more) is paired page for page."""
    book = tmp_path / "book"
    book.mkdir()
    stems = ("179396", "179397", "179399")
    for stem in stems:
        shutil.copy(CORPUS / "abbyy-xml" / f"{stem}.abbyy.xml", book)
    report = process_file(book, tmp_path / "out", PipelineConfig(), "book", "book",
                          tuple(f"{stem}.abbyy.xml" for stem in stems))
    assert report.status == "ok", report.errors
    edition = tmp_path / "out" / "book.tei.xml"
    text = edition.read_text(encoding="utf-8")
    assert "<graphic" not in text and 'source="../book/179397.abbyy.xml"' in text
    truth = tmp_path / "gt"
    truth.mkdir()
    for stem in ("179401", "179399", "179396", "179397"):  # a page more, and not in the book's order
        shutil.copy(CORPUS / "gt" / f"{stem}.gt.txt", truth)
    result = evaluate(read_source([edition]).pages, read_source([truth]).pages)
    assert result.matched_by == "file name"
    assert [(p.truth.split(".")[0], p.edition.split()[0]) for p in result.pages] == [(s, s) for s in stems]
    assert [name.split(".")[0] for name in result.truth_without_partner] == ["179401"]
    assert result.text.characters.rate < 0.05  # the right pages: ABBYY's Fraktur is 1 % off, another page 90 %
