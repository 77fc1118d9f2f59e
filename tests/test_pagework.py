"""A book's pages as units of work: read in other processes (a process pool stands for a
cluster's workers: only paths and pages as read travel), the edition is the one a single
process makes, byte for byte; the preview's copies of page images are written as they are made.

The pages: three Grenzboten pages (1841) with their Tesseract hOCR and TIFF scans
(tests/data/grenzboten-1841, see its README for attribution), and two German pages rendered here
for OCR."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.ingest.pages import ocr
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.reader import natural_key
from pipeline.process import build_edition
from pipeline.run.document import process_file

GRENZBOTEN = Path(__file__).parent / "data" / "grenzboten-1841"


def grenzboten_book(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for page in sorted((GRENZBOTEN / "tif").glob("*.tif")):
        shutil.copy(page, folder / page.name)
        shutil.copy(GRENZBOTEN / "tess-hocr" / f"{page.stem}.hocr", folder / f"{page.stem}.hocr")
    return folder


def written(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pages_of(book: Path) -> tuple[str, ...]:
    return tuple(sorted((p.name for p in book.iterdir()), key=natural_key))


@pytest.fixture(scope="module")
def other_processes():
    with ProcessPoolExecutor(2) as pool:
        yield lambda function, jobs: pool.map(function, jobs)


def test_a_books_pages_read_in_other_processes_give_the_same_files(tmp_path, other_processes):
    book = grenzboten_book(tmp_path / "grenzboten")
    alone = process_file(book, tmp_path / "alone", PipelineConfig(), pages=pages_of(book))
    spread = process_file(book, tmp_path / "spread", PipelineConfig(), pages=pages_of(book),
                          map_pages=other_processes)
    assert alone.status == spread.status == "ok", (alone.errors, spread.errors)
    files = written(tmp_path / "alone")
    assert sorted(name for name in files if name.endswith(".png")) == [
        "grenzboten.pages/0001.png", "grenzboten.pages/0002.png", "grenzboten.pages/0003.png"]
    assert files == written(tmp_path / "spread")


def test_display_copies_are_written_as_they_are_made_not_returned(tmp_path):
    book = grenzboten_book(tmp_path / "grenzboten")
    files = [SourceFile.at(name, book / name, (book / name).stat().st_size) for name in pages_of(book)]
    held = build_edition(files, "grenzboten", PipelineConfig(), master_file_name="grenzboten.tei.xml")
    written_out = build_edition(files, "grenzboten", PipelineConfig(), master_file_name="grenzboten.tei.xml",
                                images_to=tmp_path / "out")
    assert written_out.page_images == {} and len(held.page_images) == 3
    assert written(tmp_path / "out") == held.page_images
    assert written_out.xml == held.xml and written_out.preview == held.preview


def test_a_damaged_page_image_is_reported_the_same_when_read_in_another_process(tmp_path, other_processes):
    book = grenzboten_book(tmp_path / "grenzboten")
    (book / "179400.tif").write_bytes((book / "179400.tif").read_bytes()[:2000])  # cut short
    (book / "179401.hocr").write_text("<html><body><div class='ocr_page'", encoding="utf-8")  # not well-formed
    (book / "179401.tif").unlink()  # (else it would be recognised)
    alone = process_file(book, tmp_path / "alone", PipelineConfig(), pages=pages_of(book))
    spread = process_file(book, tmp_path / "spread", PipelineConfig(), pages=pages_of(book),
                          map_pages=other_processes)
    assert alone.status == "ok" and alone.problems == spread.problems
    assert any("179401.hocr" in problem for problem in alone.problems), alone.problems
    assert written(tmp_path / "alone") == written(tmp_path / "spread")


GERMAN = [
    ["Die Regierung hat beschlossen, daß künftig alle Schüler", "der höheren Lehranstalten während der Ferien größere",
     "Übungen in der Mathematik abzulegen haben. Über die"],
    ["entstehen möchten, äußerte sich der Ausschuß in seiner", "jüngsten Sitzung mit gewohnter Schärfe und Gründlichkeit.",
     "Die Väter der Schüler wünschen, daß die Prüfungen später"],
]


@pytest.mark.slow
def test_pages_recognised_in_other_processes_choose_the_same_models(tmp_path, other_processes):
    """No models given: the first page chooses the document's (OSD says Latin script, its text
    German), read before the others are handed out; the edition is the same."""
    if ocr.available() is not None or not {"deu", "osd"} <= ocr.installed_models():
        pytest.skip("needs tesserocr and Debian's tesseract-ocr-deu and -osd")
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 40)
    book = tmp_path / "beschluss"
    book.mkdir()
    for number, lines in enumerate(GERMAN, start=1):
        image = Image.new("L", (1500, 140 + 90 * len(lines)), 255)
        draw = ImageDraw.Draw(image)
        for n, line in enumerate(lines):
            draw.text((100, 60 + 90 * n), line, font=face, fill=0)
        image.save(book / f"p{number}.tif", format="TIFF", dpi=(300, 300))
    alone = process_file(book, tmp_path / "alone", PipelineConfig(), pages=pages_of(book))
    spread = process_file(book, tmp_path / "spread", PipelineConfig(), pages=pages_of(book),
                          map_pages=other_processes)
    assert alone.status == spread.status == "ok", (alone.errors, spread.errors)
    edition = (tmp_path / "alone" / "beschluss.tei.xml").read_text(encoding="utf-8")
    assert "deu" in edition and "Gründlichkeit" in edition
    assert written(tmp_path / "alone") == written(tmp_path / "spread")
