"""Editions where scholars and libraries read them: the IIIF manifest beside an edition with
page images, its plain text, its ALTO pages; written with the edition, as a user meets them.

Real pages: three Grenzboten scans (1841; ABBYY XML and the TIFFs, tests/data/grenzboten-1841)
as a book folder, and a composed library package of five Grenzboten pages (METS/MODS, ALTO,
the library's image URLs; tests/library_packages.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from iiif_prezi3 import Manifest
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.evaluation.metrics import Options, normalize
from pipeline.evaluation.tei_pages import tei_pages
from pipeline.export.text import plain_text
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.tei import tei
from tests.conftest import ROOT
from tests.library_packages import IMAGE_URL, PAGES, grenzboten_package

CORPUS = ROOT / "tests" / "data" / "grenzboten-1841"
COMPARED = Options(whitespace="ignore", hyphens="join")  # as the evaluation compares texts
SERVED_AT = "http://127.0.0.1:8000/out/"  # where a viewer would fetch the output folder from


def _book(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    for image in sorted((CORPUS / "tif").iterdir()):
        shutil.copy(image, book)
        shutil.copy(CORPUS / "abbyy-xml" / f"{image.stem}.abbyy.xml", book)
    return book


def _build(folder: Path, out: Path, name: str, **settings):
    source = discover_sources([folder])[0][0]
    report = process_file(source.path, out, PipelineConfig(**settings), name, name, source.pages)
    assert report.status == "ok", report.errors
    return report


@pytest.fixture(scope="module")
def book_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exports")
    out = tmp / "out"
    return out, _build(_book(tmp), out, "book", exports=["text", "alto"])


@pytest.fixture(scope="module")
def package_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("package")
    grenzboten_package(tmp / "grenzboten")
    out = tmp / "out"
    return out, _build(tmp / "grenzboten", out, "grenzboten", exports=["text", "alto"],
                       text_notes="append")


def _validated(path: Path, url: str) -> dict:
    """The manifest as a viewer reads it (relative references against the URL it was fetched
    from), loaded and validated by iiif-prezi3."""
    data = json.loads(path.read_text(encoding="utf-8"))
    resolved = _resolve(data, url)
    Manifest(**resolved)  # raises on anything Presentation 3 does not allow
    return resolved


def _resolve(value, url: str):
    if isinstance(value, dict):
        return {k: (urljoin(url, v) if k in ("id", "target", "source") and isinstance(v, str) else _resolve(v, url))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(item, url) for item in value]
    return value


def _reading_pages(edition: Path) -> list[str]:
    """Each page's reading text, furniture and notes apart, as the evaluation reads an edition."""
    return [page.full_text for page in tei_pages(etree.parse(str(edition)).getroot())]


def _reading(element) -> str:
    """The text a reader sees: corr and reg, never sic and orig."""
    if element.tag in (tei("sic"), tei("orig")):
        return ""
    return (element.text or "") + "".join(_reading(child) + (child.tail or "") for child in element)


def test_the_manifest_has_a_canvas_per_page_with_its_image_and_its_lines(book_run):
    out, report = book_run
    assert "book.manifest.json" in report.exports
    manifest = _validated(out / "book.manifest.json", SERVED_AT + "book.manifest.json")
    canvases = manifest["items"]
    assert [c["label"]["none"] for c in canvases] == [["8"], ["9"], ["10"]]  # the numbers printed on the pages
    assert all((c["width"], c["height"]) == (3340, 4872) for c in canvases)
    edition = etree.parse(str(out / "book.tei.xml")).getroot()
    for canvas, page_text in zip(canvases, _reading_pages(out / "book.tei.xml")):
        painting = canvas["items"][0]["items"][0]
        assert painting["motivation"] == "painting" and painting["target"] == canvas["id"]
        image = painting["body"]["id"]
        assert image.startswith(SERVED_AT + "book.pages/") and image.endswith(".png")
        assert (out / image[len(SERVED_AT):]).stat().st_size > 10_000  # the preview's PNG copy, beside it
        lines = canvas["annotations"][0]["items"]
        assert {a["motivation"] for a in lines} == {"supplementing"}
        for annotation in lines:
            x, y, w, h = map(int, annotation["target"].split("#xywh=")[1].split(","))
            assert annotation["target"].startswith(canvas["id"] + "#") and 0 <= x < x + w <= 3340 and y + h <= 4872
        # the lines' text, in order, is the page's reading text (the evaluation's reading)
        line_text = "\n".join(a["body"][0]["value"] for a in lines)
        assert normalize(line_text, COMPARED) == normalize(page_text, COMPARED)
    number = canvases[0]["annotations"][0]["items"][0]["body"]
    assert number[0]["value"] == "8" and number[1] == {"type": "TextualBody", "value": "page-number",
                                                       "purpose": "tagging"}
    assert manifest["seeAlso"][0]["id"] == SERVED_AT + "book.tei.xml"
    assert manifest["seeAlso"][0]["format"] == "application/tei+xml"
    assert manifest["rendering"][0]["id"] == SERVED_AT + "book.html"
    assert edition.find(f".//{tei('facsimile')}") is not None


def test_the_manifest_carries_no_path_of_the_machine_and_its_links_resolve(book_run):
    out, _report = book_run
    text = (out / "book.manifest.json").read_text(encoding="utf-8")
    assert str(out.parent) not in text and "file:" not in text
    manifest = json.loads(text)
    for reference in (manifest["id"], manifest["seeAlso"][0]["id"], manifest["rendering"][0]["id"],
                      manifest["items"][1]["items"][0]["items"][0]["body"]["id"]):
        path = reference.split("#")[0]
        assert not urlsplit(path).scheme and not path.startswith("/")
        assert (out / path).exists() or path == "book.manifest.json"
    preview = (out / "book.html").read_text(encoding="utf-8")
    assert 'href="book.manifest.json"' in preview  # the HTML preview links to it


def test_a_base_url_makes_every_reference_absolute(tmp_path):
    out = tmp_path / "out"
    _build(_book(tmp_path), out / "1841", "book", base_url="https://editions.example.org/grenzboten")
    manifest = _validated(out / "1841" / "book.manifest.json", "https://elsewhere.example.net/")
    assert manifest["id"] == "https://editions.example.org/grenzboten/book.manifest.json"
    image = manifest["items"][0]["items"][0]["items"][0]["body"]["id"]
    assert image == "https://editions.example.org/grenzboten/book.pages/0001.png"


def test_a_library_package_shows_the_librarys_images_and_its_record(package_run):
    out, report = package_run
    manifest = _validated(out / "grenzboten.manifest.json", SERVED_AT + "grenzboten.manifest.json")
    images = [c["items"][0]["items"][0]["body"] for c in manifest["items"]]
    assert [i["id"] for i in images] == [IMAGE_URL.format(scan=scan) for scan, _ in PAGES]
    assert images[0]["format"] == "image/jpeg" and images[0]["width"] == 3340
    assert [c["label"]["none"][0] for c in manifest["items"]] == [label for _, label in PAGES]  # ORDERLABEL
    assert manifest["label"] == {"none": ["Die Grenzboten"]}
    metadata = {e["label"]["en"][0]: e["value"]["none"][0] for e in manifest["metadata"]}
    assert metadata["Shelfmark"] == "Z 1234-1841" and metadata["Editor"] == "Kuranda, Ignaz"
    assert metadata["Date"] == "1841" and metadata["Identifier (urn)"] == "urn:nbn:de:gbv:46-grenzboten-1841"
    assert manifest["rights"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert "Public Domain Mark 1.0" in manifest["requiredStatement"]["value"]["none"][0]
    tags = [a["body"][1]["value"] for c in manifest["items"] for a in c["annotations"][0]["items"]
            if len(a["body"]) > 1]
    assert "footnote" in tags and "page-number" in tags


def test_plain_text_is_the_reading_text(book_run, package_run):
    for out, report, name in ((*book_run, "book"), (*package_run, "grenzboten")):
        text = (out / f"{name}.txt").read_text(encoding="utf-8")
        assert f"{name}.txt" in report.exports
        edition = etree.parse(str(out / f"{name}.tei.xml")).getroot()
        if name == "grenzboten":  # notes appended (text_notes): compare them apart
            notes = list(edition.find(tei("text")).iter(tei("note")))
            appended = "".join(_reading(n) for n in notes)
            assert notes and normalize(text, COMPARED).endswith(normalize(appended, COMPARED))
            for note in notes:  # the running text without them
                parent = note.getparent()
                previous = note.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + (note.tail or "")
                else:
                    parent.text = (parent.text or "") + (note.tail or "")
                parent.remove(note)
            text = plain_text(edition)
        main = "\n".join(page.main_text.strip() for page in tei_pages(edition))
        assert normalize(text, COMPARED) == normalize(main, COMPARED)
        paragraphs = text.strip().split("\n\n")
        blocks = [p for p in edition.find(tei("text")).iter(tei("p"), tei("head")) if "".join(p.itertext()).strip()]
        assert len(paragraphs) == len(blocks)
        assert "Aufmerksamkeit" in text or name == "grenzboten"  # a word broken at a line's end, joined


def test_alto_pages_are_valid_and_read_back_to_the_reading_text(book_run, package_run):
    from pipeline.evaluation import read_source
    from pipeline.export.alto import schema

    for out, report, name in ((*book_run, "book"), (*package_run, "grenzboten")):
        files = sorted((out / f"{name}.alto").iterdir())
        assert [f"{name}.alto/{f.name}" for f in files] == [e for e in report.exports if ".alto/" in e]
        edition_pages = tei_pages(etree.parse(str(out / f"{name}.tei.xml")).getroot())
        assert len(files) == len(edition_pages) == (3 if name == "book" else 5)
        for file, page in zip(files, edition_pages):
            schema().assertValid(etree.parse(str(file)))  # ALTO 4.2, schemas/alto/
            again = read_source([file]).pages  # through the project's own ALTO reader
            assert len(again) == 1
            assert normalize(again[0].full_text, COMPARED) == normalize(page.full_text, COMPARED)
            assert again[0].furniture().get("page-number", []) == page.furniture().get("page-number", [])
    manifest = json.loads((out / "grenzboten.manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"][0]["seeAlso"][0]["id"] == "grenzboten.alto/0001.xml"


def test_an_alto_file_that_breaks_the_schema_is_caught():
    from pipeline.export.alto import schema_errors

    broken = (b'<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p" PHYSICAL_IMG_NR="1">'
              b'<PrintSpace><TextBlock ID="b"><TextLine><String/></TextLine></TextBlock></PrintSpace></Page>'
              b"</Layout></alto>")
    assert any("CONTENT" in error for error in schema_errors(broken))


def test_alto_pages_of_an_alto_source_keep_its_line_ids_and_words_need_no_boxes(package_run):
    """The package's ALTO (composed in tests/library_packages.py) names its lines l1_1, l1_2…:
    the export gives them back, each with the line's box and reading text, so that a library
    can replace its full text page by page. The words carry no coordinates (the edition keeps
    none) and the file is valid all the same."""
    from pipeline.export.alto import ALTO_NS, schema

    out, _report = package_run
    for file in sorted((out / "grenzboten.alto").iterdir()):
        root = etree.parse(str(file)).getroot()
        schema().assertValid(root)
        lines = root.findall(f".//{{{ALTO_NS}}}TextLine")
        assert lines and all(line.get("ID").startswith("l") and "_" in line.get("ID") for line in lines), \
            [line.get("ID") for line in lines][:5]
        ids = [element.get("ID") for element in root.iter() if element.get("ID")]
        assert len(ids) == len(set(ids))
        strings = root.findall(f".//{{{ALTO_NS}}}String")
        assert strings and not any(s.get("HPOS") or s.get("WIDTH") for s in strings)
        step = root.find(f".//{{{ALTO_NS}}}processingStepDescription").text
        assert "TextLine IDs of an ALTO source kept" in step and "words without coordinates" in step


def test_alto_line_ids_that_are_no_xml_ids_or_repeat_are_replaced():
    from pipeline.export.alto import ALTO_NS, alto_page, schema
    from pipeline.export.lines import Line, PageLines

    lines = [Line("facs-p1-l1", (10, 10, 200, 40), pieces=["First line."], source_id="TL_1"),
             Line("facs-p1-l2", (10, 50, 200, 80), pieces=["Second line."], source_id="TL_1"),  # repeated
             Line("facs-p1-l3", (10, 90, 200, 120), pieces=["Third line."], source_id="3 bad"),
             Line("facs-p1-l4", (10, 130, 200, 160), pieces=["Fourth line."], source_id="export")]
    page = PageLines("facs-p1", 1, "1", 300, 400, "px", [], None, lines)
    root = etree.fromstring(alto_page(page))
    schema().assertValid(root)
    assert [line.get("ID") for line in root.iter(f"{{{ALTO_NS}}}TextLine")] == [
        "TL_1", "line-facs-p1-l2", "line-facs-p1-l3", "line-facs-p1-l4"]


def _schema_errors(manifest: dict) -> list[str]:
    """What the pinned JSON Schema of a IIIF Presentation 3 manifest (schemas/iiif/) says
    against ``manifest``, offline."""
    from jsonschema import Draft202012Validator

    from pipeline.export.iiif import SCHEMA_PATH

    checker = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in checker.iter_errors(manifest)]


def test_the_manifests_pass_the_json_schema_of_iiif_presentation_3(book_run, package_run):
    """The Grenzboten page images (a book folder) and a METS package: each manifest, as a
    viewer fetching it resolves it, passes the pinned JSON Schema; one with a label that is no
    language map, a misspelt type or its image painted on no target does not."""
    for out, _report, name in ((*book_run, "book"), (*package_run, "grenzboten")):
        manifest = _validated(out / f"{name}.manifest.json", SERVED_AT)
        assert _schema_errors(manifest) == []
        for breaking in (lambda m: m.__setitem__("label", "Die Grenzboten"),
                         lambda m: m["items"][0].__setitem__("type", "Canvass"),
                         lambda m: m["items"][0]["items"][0]["items"][0].pop("target")):
            broken = json.loads(json.dumps(manifest))
            breaking(broken)
            assert _schema_errors(broken) != []


def test_the_pinned_iiif_schema_is_the_one_iiif_prezi3_exports():
    from pipeline.export.iiif import SCHEMA_PATH, manifest_json_schema

    assert SCHEMA_PATH.read_text(encoding="utf-8") == manifest_json_schema(), "run: python -m pipeline.export.iiif"
