"""Library packages (METS/MODS) end to end, as a run meets them: one edition per package, the
pages in the physical map's order, its labels, the library's image URLs, the MODS record in
the header, and every problem of a bad package said on a line of its own."""

from __future__ import annotations

import cProfile
import json
import pstats
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.ingest.pages.reader import natural_key
from pipeline.process import build_edition
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.run.naming import assign_names
from pipeline.tei import tei
from pipeline.tei import local_name
from pipeline.tei.reader import rebuild_source, without_whitespace
from pipeline.tei.validate import schema_errors
from tests.conftest import ROOT, parse
from tests.library_packages import (ocrd_workspace, run, IMAGE_URL, MODS, PAGES, TINY_ALTO, grenzboten_package, mets, page_name,
                                    tiny_package)

WORKSPACES = ROOT / "tests" / "data" / "ocrd-workspaces"


def texts(tree: etree._ElementTree, path: str) -> list[str]:
    return [" ".join("".join(el.itertext()).split()) for el in tree.iterfind(path, {"t": tei("")[1:-1]})]


@pytest.fixture(scope="module")
def grenzboten(tmp_path_factory):
    """The composed package, run once: (its folder, pages, sources, problems, reports, edition)."""
    folder = tmp_path_factory.mktemp("in") / "grenzboten-1841"
    folder.mkdir()
    pages = grenzboten_package(folder)
    (folder / "README.txt").write_text("Lieferung der SuUB Bremen, 2024.\n", encoding="utf-8")
    output = folder.parent.parent / "out"
    sources, problems, reports = run([folder.parent], output)
    return folder, pages, sources, problems, reports, output


def test_a_package_is_one_edition_and_its_metadata_files_none(grenzboten):
    folder, _pages, sources, problems, reports, output = grenzboten
    assert problems == []
    by_name = {r.file_name: r for r in reports}
    assert set(by_name) == {"grenzboten-1841"}  # the README beside the METS is not the book's
    assert by_name["grenzboten-1841"].status == "ok", by_name["grenzboten-1841"].errors
    assert "README.txt: not in the METS, left out" in by_name["grenzboten-1841"].problems
    editions = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.tei.xml"))
    assert editions == ["grenzboten-1841.tei.xml"]
    package = next(s for s in sources if s.display_name == "grenzboten-1841")
    assert package.pages[0] == "mets.xml" and len(package.pages) == 1 + len(PAGES)


def test_files_the_mets_does_not_name_are_said_and_left_out_unless_given(tmp_path):
    """A README beside the METS, a page file the METS does not list, a folder of images it
    does not name (an OCR-D workspace's crops): none is a document of its own, each is a
    line of the package's report; a file given by itself is read as any file is."""
    folder = tmp_path / "in" / "delivery"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    (folder / "README.txt").write_text("Lieferung der SuUB Bremen, 2024. Siehe mets.xml.\n", encoding="utf-8")
    extra = folder / "FULLTEXT" / "unlisted.xml"
    shutil.copy(folder / page_name(PAGES[0][0]), extra)
    (folder / "CROPS").mkdir()
    for n in (1, 2):
        shutil.copy(folder / page_name(PAGES[n][0]), folder / "CROPS" / f"region{n}.xml")
    sources, problems, reports = run([folder.parent], tmp_path / "out")
    assert problems == [] and [s.display_name for s in sources] == ["delivery"]
    assert reports[0].status == "ok", reports[0].errors
    assert [line for line in reports[0].problems if "not in the METS" in line] == [
        "CROPS/region1.xml: not in the METS, left out", "CROPS/region2.xml: not in the METS, left out",
        "FULLTEXT/unlisted.xml: not in the METS, left out", "README.txt: not in the METS, left out"]
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.tei.xml")) == ["delivery.tei.xml"]
    # pointed at directly, each is read: the README as a text, the folder of crops as a book
    sources, problems, reports = run([folder / "README.txt", folder / "CROPS"], tmp_path / "given")
    assert problems == [] and [(r.file_name, r.status) for r in reports] == [("README.txt", "ok"), ("CROPS", "ok")]


def test_a_second_mets_in_a_package_folder_is_said_and_read_when_given(tmp_path):
    """A folder is one package, its mets.xml. Another METS there is not read, and the report
    says whether it describes the same files (a variant) or others; given by itself, it is a
    package of its own, whose edition never takes the place of the folder's."""
    folder = tmp_path / "in" / "delivery"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    first, second = PAGES[0], PAGES[1]
    (folder / "variant.xml").write_text(mets([(scan, label, page_name(scan)) for scan, label in (first, second)]),
                                        encoding="utf-8")
    shutil.copy(folder / page_name(first[0]), folder / "FULLTEXT" / "volume-2-page-1.xml")
    (folder / "volume-2.xml").write_text(mets([("v2p1", "1", "FULLTEXT/volume-2-page-1.xml")]), encoding="utf-8")
    _s, problems, reports = run([folder.parent], tmp_path / "out")
    assert problems == [] and [r.file_name for r in reports] == ["delivery"]
    said = reports[0].problems
    assert ("variant.xml: another METS of the files of mets.xml (2 of its 2 files named by both): not read, a folder "
            "is one package (give it as input by itself to read it)") in said
    assert ("volume-2.xml: a METS of other files than mets.xml: not read, a folder is one package (give it as input "
            "by itself to read it)") in said
    assert "FULLTEXT/volume-2-page-1.xml: not in the METS, left out" in said
    # given by themselves, in one run: three packages, three editions
    sources, problems, reports = run([folder / name for name in ("mets.xml", "variant.xml", "volume-2.xml")],
                                     tmp_path / "given")
    assert problems == [] and len({source.key for source in sources}) == 3
    assert [(r.file_name, r.status) for r in reports] == [("mets", "ok"), ("variant", "ok"), ("volume-2", "ok")]
    editions = {name: parse((tmp_path / "given" / f"{name}.tei.xml").read_bytes()) for name in ("mets", "variant")}
    assert [len(list(tree.iter(tei("pb")))) for tree in editions.values()] == [len(PAGES), 2]


def test_pages_follow_the_physical_map_not_the_file_names(grenzboten):
    folder, pages, _sources, _problems, _reports, output = grenzboten
    names = [page_name(scan) for scan, _ in PAGES]
    assert sorted(names, key=natural_key) != names  # only the METS can give this order
    tree = parse((output / "grenzboten-1841.tei.xml").read_bytes())
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == [label for _scan, label in PAGES]
    urls = [g.get("url") for g in tree.iter(tei("graphic")) if g.get("n") != "display"]
    assert urls == [IMAGE_URL.format(scan=scan) for scan, _ in PAGES]
    # each surface names the file its text was read from (a UUID name: the METS's order, not the names')
    assert [s.get("source") for s in tree.iter(tei("surface"))] == [
        f"../{folder.parent.name}/grenzboten-1841/{page_name(scan)}" for scan, _ in PAGES]
    # the text is the ALTO's, page by page in the METS's order, up to the recorded repairs
    assert without_whitespace(rebuild_source(tree)) == without_whitespace("".join(text for _scan, text in pages))


def test_a_garbled_page_number_is_counted_over_the_leaf_the_labels_show_absent(grenzboten):
    """The package holds pages 5, 6, 8, 9, 10 (scan 179398, page 7, is not in it): the labels
    say so. The first page's number, printed 5, is read "s": counted from the pages that read
    8, 9, 10 it is 5, as its label says, not 6 (the images' count without the absent leaf)."""
    report = next(r for r in grenzboten[4] if r.file_name == "grenzboten-1841")
    assert not [note for note in report.notes if "the METS labels it" in note]
    tree = parse((grenzboten[5] / "grenzboten-1841.tei.xml").read_bytes())
    first = next(fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum")
    assert (first.text, first.get("n")) == ("s", "5")


def test_a_page_the_library_counts_in_brackets_counts_the_leaf_it_shows_absent(tmp_path):
    """Libraries label a page that prints no number with their count in brackets ("[6]") and
    one they leave uncounted " - ": the bracketed count still shows that page 7 is absent, so
    the first page's garbled "s" is counted 5 (as printed), not 6 (the images' count)."""
    folder = tmp_path / "in" / "grenzboten-1841"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    mets_file = folder / "mets.xml"
    mets_file.write_text(mets_file.read_text(encoding="utf-8").replace('ORDERLABEL="5"', 'ORDERLABEL=" - "')
                         .replace('ORDERLABEL="6"', 'ORDERLABEL="[6]"'), encoding="utf-8")
    run([folder.parent], tmp_path / "out")
    tree = parse((tmp_path / "out" / "grenzboten-1841.tei.xml").read_bytes())
    first = next(fw for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum")
    assert (first.text, first.get("n")) == ("s", "5")
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["5", "[6]", "8", "9", "10"]


def test_an_empty_text_file_of_a_package_is_said_to_be_empty(tmp_path):
    """A delivery's ALTO file of 0 bytes: the page is a gap, and the report says the file is
    empty (not that it is some other kind of file)."""
    folder = tmp_path / "in" / "grenzboten-1841"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    (folder / page_name(PAGES[1][0])).write_bytes(b"")
    _sources, _problems, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    assert f"page 2 (6): {page_name(PAGES[1][0])} is empty (0 bytes): no text" in reports[0].problems


def test_the_header_carries_the_mods_record(grenzboten, tei_all):
    tree = parse((grenzboten[5] / "grenzboten-1841.tei.xml").read_bytes())
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]
    header = "t:teiHeader/t:fileDesc/"
    assert texts(tree, header + "t:titleStmt/t:title") == ["Die Grenzboten", "Blätter für Deutschland und Belgien",
                                                           ]
    assert [(a.get("ref"), a.text) for a in tree.iter(tei("editor"))][0] == (
        "https://d-nb.info/gnd/118726846", "Kuranda, Ignaz")
    assert tree.find(f".//{tei('titleStmt')}/{tei('author')}").get("ref") == "https://viaf.org/viaf/123456789"
    assert texts(tree, header + "t:titleStmt/t:respStmt") [0] == "funder (fnd) Deutsche Forschungsgemeinschaft"
    monogr = header + "t:sourceDesc/t:biblStruct/t:monogr/"
    assert texts(tree, monogr + "t:imprint/t:pubPlace") == ["Brüssel"]  # not the digitization's Bremen
    assert texts(tree, monogr + "t:imprint/t:publisher") == ["Verlag der Grenzboten"]
    assert tree.find(".//" + tei("imprint") + "/" + tei("date")).get("when") == "1841"
    assert texts(tree, monogr + "t:edition") == ["Erster Jahrgang"]
    assert texts(tree, monogr + "t:extent") == ["VIII, 600 S."]
    assert {(i.get("type"), i.text) for i in tree.iterfind(".//" + tei("monogr") + "/" + tei("idno"))} == {
        ("purl", "https://brema.suub.uni-bremen.de/grenzboten/1841"), ("urn", "urn:nbn:de:gbv:46-grenzboten-1841"),
        ("zdb", "2079535-0"), ("gbv-ppn", "PPN123456789")}
    assert tree.find(".//" + tei("textLang")).get("mainLang") == "de-Latf"
    assert tree.find(".//" + tei("licence")).get("target") == "https://creativecommons.org/publicdomain/mark/1.0/"
    assert texts(tree, header + "t:sourceDesc/t:msDesc/t:msIdentifier/t:repository") == [
        "Staats- und Universitätsbibliothek Bremen"]
    assert texts(tree, header + "t:sourceDesc/t:msDesc/t:msIdentifier/t:idno") == ["Z 1234-1841"]
    assert "text from file group FULLTEXT" in texts(tree, header + "t:sourceDesc/t:bibl/t:note")[0]


def test_the_record_languages_are_in_lang_usage_beside_the_detected_ones(tmp_path, tei_all):
    """The MODS says German in Fraktur and Latin; the text shows German. langUsage keeps the
    detected share and adds what the record states (without a share: nobody measured it)."""
    folder = tmp_path / "in" / "languages"
    folder.mkdir(parents=True)
    latin = ('<mods:language><mods:languageTerm authority="iso639-2b" type="code">lat</mods:languageTerm>'
             '</mods:language>')
    grenzboten_package(folder, mods=MODS.replace("<mods:accessCondition", latin + "<mods:accessCondition"))
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    tree = parse((tmp_path / "out" / "languages.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]
    languages = [(el.get("ident"), el.get("usage"), el.text)
                 for el in tree.iterfind(f".//{tei('langUsage')}/{tei('language')}")]
    assert languages[0][:2] == ("de", "100")  # detected in the text
    assert languages[1:] == [("de-Latf", None, "German, Fraktur (the library's record)"),
                             ("la", None, "Latin (the library's record)")]
    assert tree.find(".//" + tei("textLang")).get("otherLangs") == "la"


def test_the_berlin_workspace_mets_gives_its_record_and_says_what_is_missing(tmp_path):
    """The Staatsbibliothek's real METS: its PAGE files given text here (the workspace's are
    stubs), its local images absent, a page (5) with an image only, GT chosen over the OCR
    groups that name the same files."""
    folder = tmp_path / "in" / "SBB0000F29300010000"
    shutil.copytree(WORKSPACES / "SBB0000F29300010000", folder)
    for n, words in ((1, "Der Herold. Erster Jahrgang."), (2, "Berlin, den 4. Januar 1839.")):
        page = folder / "OCR-D-GT-PAGE" / f"FILE_000{n}_FULLTEXT.xml"
        page.write_text(page.read_text().replace(
            "/>\n</PcGts>", f'><TextRegion id="r1"><TextLine id="l1"><Coords points="100,100 900,100 900,160 100,160"/>'
            f"<TextEquiv><Unicode>{words}</Unicode></TextEquiv></TextLine></TextRegion></Page>\n</PcGts>"))
    _sources, problems, reports = run([folder.parent], tmp_path / "out")
    assert problems == [] and len(reports) == 1
    report = reports[0]
    assert report.status == "ok", report.errors
    tree = parse((tmp_path / "out" / "SBB0000F29300010000.tei.xml").read_bytes())
    assert texts(tree, ".//t:titleStmt/t:title") == ["Der Herold"]
    assert tree.find(".//" + tei("imprint") + "/" + tei("date")).get("when") == "1839"
    assert texts(tree, ".//t:msIdentifier/t:idno") == ["Gq 14350;Beil.3-1839"]
    assert ("purl", "http://resolver.staatsbibliothek-berlin.de/SBB0000F29300010000") in {
        (i.get("type"), i.text) for i in tree.iter(tei("idno"))}
    assert tree.find(".//" + tei("licence")).get("target") == "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    # the third page has neither text nor image: still a page of the edition, a gap for its text
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["page 1", "page 2", "page 5"]
    assert [gap.get("reason") for gap in tree.iter(tei("gap"))] == ["missing"]
    assert "text from file group OCR-D-GT-PAGE (ground truth" in texts(tree, ".//t:bibl/t:note")[0]
    # OCR-D-IMG's files are absent here: the images are the next group's, the library's URLs
    assert [g.get("url") for g in tree.iter(tei("graphic"))] == [
        f"https://github.com/OCR-D/assets/raw/master/data/SBB0000F29300010000/data/0000000{n}_DESKEW.tif"
        for n in (1, 2)]
    said = "\n".join(report.problems)
    assert "page 3 (page 5): no text in file group OCR-D-GT-PAGE and no image to recognise" in said
    assert ("mets_one_file.xml: another METS of the files of mets.xml (1 of its 1 files named by both): not read"
            in said)
    assert not (tmp_path / "out" / "mets_one_file.tei.xml").exists()


def test_remote_full_text_is_not_fetched_unless_asked(tmp_path):
    """The Göttingen METS: every image and full text a URL; nothing is downloaded, the
    library's file:/// paths are refused, and with no text the run says why."""
    folder = tmp_path / "in" / "gdz-PPN595930174"
    shutil.copytree(WORKSPACES / "gdz-PPN595930174", folder)
    _sources, problems, reports = run([folder.parent], tmp_path / "out")
    assert problems == [] and len(reports) == 1
    assert reports[0].status == "empty"
    assert "is remote: not fetched (pass --fetch to read it)" in reports[0].notes[0]
    assert not (tmp_path / "out" / "gdz-PPN595930174.tei.xml").exists()


@pytest.fixture
def http_folder(tmp_path):
    """A local web server over a folder: (folder, base URL)."""
    served = tmp_path / "served"
    served.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_args):
        pass


def test_remote_full_text_is_fetched_with_fetch_into_a_cache(tmp_path, http_folder):
    served, base = http_folder
    grenzboten_package(served)
    folder = tmp_path / "in" / "remote"
    folder.mkdir(parents=True)
    pages = [(scan, label, f"{base}/{page_name(scan)}") for scan, label in PAGES[:2]]
    (folder / "mets.xml").write_text(mets(pages), encoding="utf-8")
    output = tmp_path / "out"
    cache = output / ".fetched"
    _s, _p, reports = run([folder.parent], output)
    assert reports[0].status == "empty" and "pass --fetch" in reports[0].notes[0]
    _s, _p, reports = run([folder.parent], output, PipelineConfig(fetch=True, fetch_cache=str(cache)))
    assert reports[0].status == "ok", reports[0].errors + reports[0].notes
    assert len(list(cache.iterdir())) == 2
    tree = parse((output / "remote.tei.xml").read_bytes())
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["5", "6"]


def test_a_bad_package_says_each_problem_and_keeps_the_rest(tmp_path):
    folder = tmp_path / "in" / "bad"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    (tmp_path / "secret.xml").write_text("<alto/>")
    first, second, third, fourth, fifth = PAGES
    pages = [(first[0], first[1], page_name(first[0])),
             (second[0], second[1], "FULLTEXT/absent.xml"),  # named, not there
             (third[0], third[1], "../secret.xml"),  # leaves the package
             (fourth[0], fourth[1], "/etc/passwd"),
             (fifth[0], fifth[1], page_name(fifth[0]))]
    text = mets(pages).replace('<mets:fptr FILEID="IMG_179396"/>', '<mets:fptr FILEID="IMG_179396"/>'
                                                                     '<mets:fptr FILEID="NO_SUCH_FILE"/>')
    text = text.replace('ORDER="5"', 'ORDER="1"')  # two pages with ORDER 1
    (folder / "mets.xml").write_text(text, encoding="utf-8")
    for scan, _label in (second, third, fourth):  # pages the METS no longer names
        (folder / page_name(scan)).unlink()
    broken = tmp_path / "in" / "broken"
    broken.mkdir()
    (broken / "mets.xml").write_text('<mets:mets xmlns:mets="http://www.loc.gov/METS/"><mets:fileSec>')
    _sources, problems, reports = run([tmp_path / "in"], tmp_path / "out")
    by_name = {r.file_name: r for r in reports}
    assert problems == [] and set(by_name) == {"bad", "broken"}
    assert by_name["broken"].status == "failed"
    assert "mets.xml: is not well-formed XML" in by_name["broken"].errors[0]
    bad = by_name["bad"]
    assert bad.status == "ok", bad.errors
    said = "\n".join(bad.problems)
    for problem in ("FILEID NO_SUCH_FILE names no file of the fileSec", "have the same ORDER 1",
                    "FULLTEXT/absent.xml is named by the METS but absent from the package",
                    "../secret.xml leaves the package folder: not read",
                    "/etc/passwd is outside the package folder"):
        assert problem in said
    tree = parse((tmp_path / "out" / "bad.tei.xml").read_bytes())
    # the two pages read (ORDER 1 both), then the three the METS names without their text, as gaps
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["5", "10", "6", "8", "9"]
    assert [gap.get("reason") for gap in tree.iter(tei("gap"))] == ["missing"] * 3


def test_a_page_whose_file_is_absent_is_kept_as_a_gap_in_its_place(tmp_path, tei_all):
    """The first and the third page's ALTO files are absent: each is still a page of the
    edition (its pb with the METS's label and its own surface), a gap where its text would be,
    and a line of the report; the pages read keep their text and the source rebuilds."""
    folder = tmp_path / "in" / "holes"
    folder.mkdir(parents=True)
    pages = grenzboten_package(folder)
    for scan, _label in (PAGES[0], PAGES[2]):
        (folder / page_name(scan)).unlink()
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    said = "\n".join(reports[0].problems)
    for n, (scan, label) in ((1, PAGES[0]), (3, PAGES[2])):
        assert f"page {n} ({label}): {page_name(scan)} is named by the METS but absent from the package" in said
    tree = parse((tmp_path / "out" / "holes.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]
    body = tree.find(f".//{tei('body')}")
    milestones = [(local_name(el), el.get("n"), el.get("facs"), el.get("reason"))
                  for el in body.iter(tei("pb"), tei("gap"))]
    assert milestones == [("pb", "5", "#facs-p1", None), ("gap", None, None, "missing"),
                          ("pb", "6", "#facs-p2", None),
                          ("pb", "8", "#facs-p3", None), ("gap", None, None, "missing"),
                          ("pb", "9", "#facs-p4", None), ("pb", "10", "#facs-p5", None)]
    # the gap stands where the page would be: nothing of the next page before it
    gap = next(body.iter(tei("gap")))
    assert gap.getnext() is not None and gap.getnext().tag == tei("pb") and gap.getnext().get("n") == "6"
    assert [s.find(tei("graphic")).get("url") for s in tree.iter(tei("surface"))] == [
        IMAGE_URL.format(scan=scan) for scan, _label in PAGES]
    read = [text for (scan, text) in pages if scan not in (PAGES[0][0], PAGES[2][0])]
    assert without_whitespace(rebuild_source(tree)) == without_whitespace("".join(read))


@pytest.mark.parametrize("absent", [1, 2, 3], ids=["page 6 (a note before)", "page 8", "page 9 (a word broken)"])
def test_no_paragraph_is_joined_over_a_missing_page(tmp_path, absent):
    """Each of these pages of the Grenzboten ends mid-sentence and the next goes on: with the
    page between them absent, what was printed there is unknown. The paragraph before the gap
    ends there and the one after begins with the missing page's break and gap; page 8's
    "historische Ge-" stays as printed, neither joined to page 10's "wohl" nor marked as a
    word broken over the gap."""
    folder = tmp_path / "in" / "hole"
    folder.mkdir(parents=True)
    pages = grenzboten_package(folder)
    scan, label = PAGES[absent]
    (folder / page_name(scan)).unlink()
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    tree = parse((tmp_path / "out" / "hole.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    gap = next(tree.iter(tei("gap")))
    missing = gap.getprevious()
    assert missing.tag == tei("pb") and missing.get("n") == label and missing.get("break") is None
    paragraph = gap.getparent()
    if paragraph.tag == tei("p"):  # the gap opens its paragraph: nothing of the page before is in it
        assert not (paragraph.text or "").strip() and all(
            el.tag == tei("pb") and not (el.tail or "").strip() for el in gap.itersiblings(preceding=True))
    if absent == 3:  # the word broken at page 8's foot ends its paragraph, hyphen and all
        ending = [p for p in tree.iter(tei("p")) if "".join(p.itertext()).rstrip().endswith("historische Ge-")]
        assert len(ending) == 1 and ending[0] is not paragraph
    read = [text for (page, text) in pages if page != scan]
    assert without_whitespace(rebuild_source(tree)) == without_whitespace("".join(read))


def test_a_mets_given_by_itself_is_its_package(tmp_path):
    folder = tmp_path / "delivery"
    folder.mkdir()
    grenzboten_package(folder)
    _sources, problems, reports = run([folder / "mets.xml"], tmp_path / "out")
    assert problems == [] and [r.file_name for r in reports] == ["mets"]
    assert reports[0].status == "ok" and (tmp_path / "out" / "mets.tei.xml").exists()


@pytest.mark.parametrize("name, data, said", [
    ("mets.xml", None, "is a METS file: give its folder"),
    ("record.xml", MODS.encode(), "is a MODS record"),
    ("edition.xml", b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>',
     "is a TEI document"),
    ("dc.xml", b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"><title>x</title></oai_dc:dc>',
     "is Dublin Core metadata"),
    ("other.xml", b'<?xml version="1.0"?><inventory><item>Seite 1</item></inventory>', "<inventory>"),
])
def test_xml_that_is_not_text_is_refused_never_read_as_prose(name, data, said):
    data = data or (WORKSPACES / "gdz-PPN595930174" / "mets.xml").read_bytes()
    with pytest.raises(DocumentError) as raised:
        build_edition(data, name, PipelineConfig())
    assert said in str(raised.value) and "\n" not in str(raised.value)


def test_entities_in_a_mets_are_not_expanded(tmp_path):
    folder = tmp_path / "in" / "entities"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    (tmp_path / "secret.txt").write_text("SECRET")
    text = (folder / "mets.xml").read_text().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE mets [<!ENTITY x SYSTEM "file://{tmp_path}/secret.txt">]>')
    (folder / "mets.xml").write_text(text.replace("<mods:title>Die Grenzboten", "<mods:title>&x;Die Grenzboten"))
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    assert b"SECRET" not in (tmp_path / "out" / "entities.tei.xml").read_bytes()


LOGICAL = ('<mets:div ID="LOG_1" TYPE="article" LABEL="Belgien und Frankreich"/>'
           '<mets:div ID="LOG_2" TYPE="article" DMDID="DMDLOG_2" LABEL="label not used">'
           '<mets:div ID="LOG_3" TYPE="section" LABEL="Fortsetzung"/></mets:div>')
LINKS = "".join(f'<mets:smLink xlink:from="{source}" xlink:to="PHYS_{page}"/>'
                for source, pages in (("LOG_1", (1, 2)), ("LOG_2", (3, 4, 5)), ("LOG_3", (4, 5))) for page in pages)
TITLED = ('<mets:dmdSec ID="DMDLOG_2"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:mods '
          'xmlns:mods="http://www.loc.gov/mods/v3"><mods:titleInfo><mods:title>Die Mission der Wallonen</mods:title>'
          '</mods:titleInfo></mods:mods></mets:xmlData></mets:mdWrap></mets:dmdSec>')


def test_the_logical_map_gives_the_divisions_and_their_heads(tmp_path, tei_all):
    folder = tmp_path / "in" / "articles"
    folder.mkdir(parents=True)
    pages = grenzboten_package(folder, LOGICAL, LINKS)
    mets_file = folder / "mets.xml"
    mets_file.write_text(mets_file.read_text().replace("<mets:fileSec>", TITLED + "<mets:fileSec>"))
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    tree = parse((tmp_path / "out" / "articles.tei.xml").read_bytes())
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]
    body = tree.find(f".//{tei('body')}")
    articles = [div for div in body if div.tag == tei("div")]
    assert [div.get("type") for div in articles] == ["article", "article"]
    assert ["".join(div.find(tei("head")).itertext()) for div in articles] == [
        "Belgien und Frankreich", "Die Mission der Wallonen"]
    section = articles[1].find(f"{tei('div')}[@type='section']")
    assert section is not None and "".join(section.find(tei("head")).itertext()) == "Fortsetzung"
    # each division begins with its page: the first pb inside it is that page's
    assert [div.find(f".//{tei('pb')}").get("n") for div in (*articles, section)] == ["5", "8", "9"]
    # the titles are the library's, not the page's: the source rebuilds without them
    rebuilt = rebuild_source(tree)
    assert "Die Mission der Wallonen" not in rebuilt and "Fortsetzung" not in rebuilt
    assert without_whitespace(rebuilt) == without_whitespace("".join(text for _scan, text in pages))


def test_file_group_chooses_the_text_and_is_said(tmp_path):
    folder = tmp_path / "in" / "chosen"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    _s, _p, reports = run([folder.parent], tmp_path / "out", PipelineConfig(file_group="FULLTEXT"))
    assert reports[0].status == "ok"
    tree = parse((tmp_path / "out" / "chosen.tei.xml").read_bytes())
    assert "text from file group FULLTEXT (chosen with --file-group)" in texts(tree, ".//t:bibl/t:note")[0]
    _s, _p, reports = run([folder.parent], tmp_path / "other", PipelineConfig(file_group="OCR-D-GT-ALTO"))
    assert reports[0].status == "failed"
    assert "has no file group 'OCR-D-GT-ALTO' (--file-group); its groups: MAX, FULLTEXT" in reports[0].errors[0]


def test_a_changed_page_file_reprocesses_the_package(tmp_path):
    from pipeline.run.incremental import source_sha256

    folder = tmp_path / "in" / "digest"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    sources, _problems = discover_sources([folder.parent])
    before = source_sha256(sources[0].path, sources[0].pages)
    page = folder / page_name(PAGES[2][0])
    page.write_bytes(page.read_bytes().replace(b"CONTENT=\"", b"CONTENT=\"x", 1))
    assert source_sha256(sources[0].path, sources[0].pages) != before


@pytest.mark.slow
@pytest.mark.parametrize("order", [True, False], ids=["ORDER", "no ORDER"])
def test_the_work_on_a_package_grows_with_its_pages_not_their_square(tmp_path, order):
    """A count, not a time: the function calls a run makes to build a package of 50, 100 and
    200 pages (after one of 20, so that what a process does once is done). Twice the pages,
    twice the work: the second hundred pages cost what the second fifty cost twice over. A
    step that looks at every page for each page (a list searched per page, a IIIF manifest
    validated whole at each canvas added) makes it four times."""

    def calls(pages: int) -> int:
        folder = tmp_path / f"in-{pages}" / "book"
        tiny_package(folder, pages, order=order)
        profile = cProfile.Profile()
        profile.enable()
        _sources, _problems, reports = run([folder.parent], tmp_path / f"out-{pages}")
        profile.disable()
        assert reports[0].status == "ok", reports[0].errors
        return pstats.Stats(profile).total_calls

    calls(20)
    small, middle, large = calls(50), calls(100), calls(200)
    assert (large - middle) / (middle - small) < 2.2, (small, middle, large)


def test_the_pages_missing_after_a_doubted_last_word_follow_it(tmp_path, tei_all):
    """The last page read ends with a word its engine doubted, and the pages after it have no
    text (the Berlin workspace's one page image, the rest of the book remote): their breaks and
    gaps follow the doubted word, they are not what the engine read in it."""
    folder = tmp_path / "in" / "doubted"
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    last_read, (absent, label) = PAGES[3], PAGES[4]
    (folder / page_name(absent)).unlink()
    alto_file = folder / page_name(last_read[0])  # its signature left out, its last word doubted
    page = alto_file.read_text(encoding="utf-8")
    page = page[:page.rindex("<TextBlock ")] + page[page.rindex("</TextBlock>") + len("</TextBlock>"):]
    words = page.split("<String ")
    alto_file.write_text("<String ".join(words[:-1] + ['WC="0.2" ' + words[-1]]), encoding="utf-8")
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    tree = parse((tmp_path / "out" / "doubted.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]
    doubted = list(tree.iter(tei("unclear")))[-1]
    assert [local_name(el) for el in doubted.iter()] == ["unclear"], etree.tostring(doubted)
    following = doubted.getnext()
    assert (local_name(following), following.get("n")) == ("pb", label)
    assert following.getnext().tag == tei("gap")


def test_a_page_the_chosen_group_lacks_is_read_from_another_group_and_said(tmp_path):
    """The first page's file of the text group is absent, but a second group (another
    engine's, as OCR-D workspaces hold several) has the page: its text is read from there,
    and the report and the header say so."""
    folder = tmp_path / "in" / "fallback"
    folder.mkdir(parents=True)
    pages = grenzboten_package(folder)
    scan, label = PAGES[0]
    (folder / "OCR-D-OCR").mkdir()
    (folder / page_name(scan)).rename(folder / "OCR-D-OCR" / "page1.xml")
    text = (folder / "mets.xml").read_text(encoding="utf-8")
    other = ('<mets:fileGrp USE="OCR-D-OCR"><mets:file ID="OCR_1" MIMETYPE="application/alto+xml">'
             '<mets:FLocat LOCTYPE="OTHER" xlink:href="OCR-D-OCR/page1.xml"/></mets:file></mets:fileGrp>')
    text = text.replace("</mets:fileSec>", other + "</mets:fileSec>").replace(
        f'<mets:fptr FILEID="FT_{scan}"/>', f'<mets:fptr FILEID="FT_{scan}"/><mets:fptr FILEID="OCR_1"/>')
    (folder / "mets.xml").write_text(text, encoding="utf-8")
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    assert (f"page 1 ({label}): {page_name(scan)} is named by the METS but absent from the package: its text "
            "taken from file group OCR-D-OCR instead") in reports[0].problems, reports[0].problems
    tree = parse((tmp_path / "out" / "fallback.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    assert not list(tree.iter(tei("gap")))
    digitization = texts(tree, ".//t:bibl/t:note")[0]
    assert "text from file group FULLTEXT" in digitization
    assert "where a page lacks its text file there, from file group OCR-D-OCR" in digitization
    assert tree.find(f".//{tei('surface')}").get("source").endswith("OCR-D-OCR/page1.xml")
    assert without_whitespace(rebuild_source(tree)) == without_whitespace("".join(text for _s, text in pages))


def _placeholder_package(folder: Path, with_text: bool) -> None:
    """A package whose last page has no text, its image absent from the chosen group and a
    1×1 placeholder in another (as OCR-D's processors leave them); the first page, when
    ``with_text``, an ALTO page of the Grenzboten."""
    import io

    from PIL import Image

    grenzboten_package(folder)
    scan, _label = PAGES[1]
    (folder / "DEFAULT").mkdir()
    pixel = io.BytesIO()
    Image.new("1", (1, 1)).save(pixel, format="PNG")
    (folder / "DEFAULT" / "clip.png").write_bytes(pixel.getvalue())
    images = ('<mets:fileGrp USE="OCR-D-IMG"><mets:file ID="LOCAL_2" MIMETYPE="image/tiff"><mets:FLocat '
              'LOCTYPE="OTHER" xlink:href="OCR-D-IMG/page2.tif"/></mets:file></mets:fileGrp>'
              '<mets:fileGrp USE="DEFAULT"><mets:file ID="CLIP_2" MIMETYPE="image/png"><mets:FLocat '
              'LOCTYPE="OTHER" xlink:href="DEFAULT/clip.png"/></mets:file></mets:fileGrp>')
    text = (folder / "mets.xml").read_text(encoding="utf-8")
    first = text.index('<mets:div ID="PHYS_1"')
    physical = text[first:text.index("</mets:div></mets:structMap>")].split("</mets:div>")
    second = ('<mets:div ID="PHYS_2" ORDER="2" ORDERLABEL="6" TYPE="page"><mets:fptr FILEID="LOCAL_2"/>'
              '<mets:fptr FILEID="CLIP_2"/></mets:div>')
    text = (text[:first] + (physical[0] + "</mets:div>" if with_text else "") + second
            + text[text.index("</mets:div></mets:structMap>"):])
    text = text.replace('<mets:fileGrp USE="MAX">', images + '<mets:fileGrp USE="MAX">')
    (folder / "mets.xml").write_text(text, encoding="utf-8")
    (folder / page_name(scan)).unlink()


def test_a_page_whose_only_image_is_a_placeholder_is_a_gap_with_the_reason(tmp_path):
    folder = tmp_path / "in" / "placeholder"
    folder.mkdir(parents=True)
    _placeholder_package(folder, with_text=True)
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    said = "\n".join(reports[0].problems)
    assert "page 2 (6): OCR-D-IMG/page2.tif is named by the METS but absent from the package" in said
    assert "page 2 (6): DEFAULT/clip.png is 1×1 pixels: no page image to recognise" in said
    tree = parse((tmp_path / "out" / "placeholder.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    pb = [el for el in tree.iter(tei("pb")) if el.get("n") == "6"]
    assert len(pb) == 1 and pb[0].getnext().tag == tei("gap") and pb[0].getnext().get("reason") == "unreadable"


def test_a_package_without_text_on_any_page_says_why_in_one_line(tmp_path):
    folder = tmp_path / "in" / "nothing"
    folder.mkdir(parents=True)
    _placeholder_package(folder, with_text=False)
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "empty"
    line = reports[0].console_line()
    assert "\n" not in line
    assert line.endswith("no page has text (1 page): page 1 (6): no text file in file group FULLTEXT; "
                          "DEFAULT/clip.png is 1×1 pixels: no page image to recognise (a placeholder); "
                          "OCR-D-IMG/page2.tif is named by the METS but absent from the package: no edition written"), line


def test_a_blank_page_keeps_its_page_break_without_a_gap(tmp_path):
    """A page whose text file holds no line (a blank verso, a flyleaf, as the Berlin workspace's
    binding and flyleaf): nothing of it is missing, and it is still a page of the edition."""
    folder = tmp_path / "in" / "blank"
    folder.mkdir(parents=True)
    pages = grenzboten_package(folder)
    scan, label = PAGES[1]
    (folder / page_name(scan)).write_text(TINY_ALTO.format(n=2, words="").replace(
        '<TextBlock ID="b2"><TextLine ID="l2" HPOS="100" VPOS="100" WIDTH="800" HEIGHT="40"></TextLine>'
        "</TextBlock>", ""), encoding="utf-8")
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    tree = parse((tmp_path / "out" / "blank.tei.xml").read_bytes())
    assert not schema_errors(tree), schema_errors(tree)[:5]
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == [label for _scan, label in PAGES]
    assert not list(tree.iter(tei("gap")))
    read = [text for (page, text) in pages if page != scan]
    assert without_whitespace(rebuild_source(tree)) == without_whitespace("".join(read))


def test_a_file_added_beside_an_unchanged_package_is_said_and_the_edition_kept(tmp_path):
    """A rerun over a package that has not changed carries its edition over, but the files of
    its folder that the METS does not name are listed again: a file added since the last run
    is said (and one removed since is no longer), the edition is neither rebuilt nor changed."""
    from pipeline.run.incremental import carried_over
    from pipeline.run.manifest import build_manifest, read_manifest, write_manifest

    folder, output, config = tmp_path / "in" / "delivery", tmp_path / "out", PipelineConfig()
    folder.mkdir(parents=True)
    grenzboten_package(folder)
    (folder / "README.txt").write_text("Lieferung der SuUB Bremen, 2024.\n", encoding="utf-8")

    def run_again() -> list:
        """A run as the flow makes it: the unchanged sources' reports carried over, the rest built."""
        sources, _problems = discover_sources([folder.parent], exclude=(output,))
        bases, _withdrawn = assign_names(sources, output, {})
        kept = carried_over(sources, bases, output, config, read_manifest(output))
        reports = [kept.get(s.key) or process_file(s.path, output, config, bases[s.key], s.display_name, s.pages,
                                                   s.left_out, s.key) for s in sources]
        write_manifest(build_manifest([folder.parent], output, reports, config.fingerprint(), 0.0, bases), output)
        return reports

    first = run_again()
    assert first[0].status == "ok" and not first[0].unchanged
    edition = output / "delivery.tei.xml"
    before = edition.stat().st_mtime_ns, edition.read_bytes()
    (folder / "README.txt").unlink()
    (folder / "Lieferschein.pdf").write_bytes(b"%PDF-1.4 not a page of the book\n")
    again = run_again()
    assert again[0].unchanged
    left = [line for line in again[0].problems if "not in the METS" in line]
    assert left == ["Lieferschein.pdf: not in the METS, left out"]
    assert (edition.stat().st_mtime_ns, edition.read_bytes()) == before
    # and the manifest the rerun writes says it too
    recorded = read_manifest(output).documents[0].problems
    assert [line for line in recorded if "not in the METS" in line] == left


def test_a_rerun_restates_the_left_out_files_once_whatever_manifest_it_reads():
    """The report's last problems are the files left out beside the package; a rerun says this
    run's in their place (the package's own problems kept before them), also over a manifest
    written before the report recorded which lines those were (they were said once, not twice)."""
    from pipeline.run.document import DocumentReport

    own = "page 3 (3): OCR-D-IMG/p3.tif is named by the METS but absent from the package"
    readme, added = "README.txt: not in the METS, left out", "Lieferschein.pdf: not in the METS, left out"
    recorded = DocumentReport.model_validate_json(json.dumps(
        {"file_name": "delivery", "source_path": "/in/delivery", "status": "ok", "problems": [own, readme],
         "left_out": [readme]}))
    recorded.say_left_out((added,))
    assert (recorded.problems, recorded.left_out) == ([own, added], [added])
    older = DocumentReport(file_name="delivery", source_path="/in/delivery", status="ok", problems=[own, readme])
    older.say_left_out((readme, added))
    assert (older.problems, older.left_out) == ([own, readme, added], [readme, added])


def test_a_group_holding_a_page_file_and_its_derived_image_gives_the_text_of_the_page_file(tmp_path):
    """OCR-D's processors put the image they derived beside their PAGE file in one group: the
    PAGE file gives the text, the image is the page's image; neither is taken for the other."""
    folder = tmp_path / "in" / "ocrd"
    ocrd_workspace(folder, "Der Herold verkündet des Königs Gebot auf dem Markte")
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "ok", reports[0].errors
    assert not any("not an OCR file" in line or "not a page image" in line for line in reports[0].problems), \
        reports[0].problems
    tree = parse((tmp_path / "out" / "ocrd.tei.xml").read_bytes())
    assert "Königs Gebot" in " ".join("".join(tree.find(".//" + tei("body")).itertext()).split())
    assert tree.find(".//" + tei("graphic")).get("url").endswith("OCR-D-BIN/page1.png")
    note = "".join(tree.find(".//" + tei("note[@type='digitization']")).itertext())
    assert note.startswith("Library package: 1 page in the order") and "(1 page, 0 of them" in note \
        and note.endswith("; 0 problems reported."), note  # one page is no "1 pages"


def test_a_package_whose_images_cannot_be_recognised_here_never_says_they_were(tmp_path, monkeypatch):
    """Without OCR installed (the main job's install), the one line of a package without text
    says its images were not recognised, and why; never that they were and showed nothing."""
    from pipeline.ingest.pages import ocr

    monkeypatch.setattr(ocr, "available", lambda: "tesserocr is not installed")
    folder = tmp_path / "in" / "ocrd"
    ocrd_workspace(folder, None)
    _s, _p, reports = run([folder.parent], tmp_path / "out")
    assert reports[0].status == "empty"
    line = reports[0].console_line()
    assert "recognised, no text found" not in line
    assert "OCR-D-BIN/page1.xml (PAGE XML) holds no text; OCR-D-BIN/page1.png not recognised " \
           "(tesserocr is not installed)" in line, line
