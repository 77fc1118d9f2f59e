"""Library packages composed for the tests: a METS/MODS over real pages of the Grenzboten
(1841; tests/data/grenzboten-1841, their ABBYY XML written out as ALTO v2), the ALTO files
named by UUID as digitization workflows name them, so that only the METS gives the order."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipeline.config import PipelineConfig
from pipeline.ingest.pages import abbyy
from pipeline.ingest.pages.ocrpage import OcrPage
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.run.naming import assign_names
from tests.conftest import ROOT

GRENZBOTEN = ROOT / "tests" / "data" / "grenzboten-1841" / "abbyy-xml"
# scan -> the page number printed on it (README of tests/data/grenzboten-1841)
PAGES = (("179396", "5"), ("179397", "6"), ("179399", "8"), ("179400", "9"), ("179401", "10"))
IMAGE_URL = "https://digital.example.org/iiif/grenzboten-1841/{scan}/full/max/0/default.jpg"

MODS = """<mods:mods xmlns:mods="http://www.loc.gov/mods/v3">
  <mods:titleInfo><mods:title>Die Grenzboten</mods:title><mods:subTitle>Blätter für Deutschland und Belgien</mods:subTitle></mods:titleInfo>
  <mods:titleInfo type="alternative"><mods:title>Grenzboten</mods:title></mods:titleInfo>
  <mods:name type="personal" valueURI="https://d-nb.info/gnd/118726846">
    <mods:namePart type="family">Kuranda</mods:namePart><mods:namePart type="given">Ignaz</mods:namePart>
    <mods:role><mods:roleTerm authority="marcrelator" type="code">edt</mods:roleTerm></mods:role>
  </mods:name>
  <mods:name type="personal">
    <mods:displayForm>Anonymus, Verfasser</mods:displayForm>
    <mods:nameIdentifier type="viaf">123456789</mods:nameIdentifier>
    <mods:role><mods:roleTerm authority="marcrelator" type="code">aut</mods:roleTerm></mods:role>
  </mods:name>
  <mods:name type="corporate">
    <mods:namePart>Deutsche Forschungsgemeinschaft</mods:namePart>
    <mods:role><mods:roleTerm authority="marcrelator" type="code">fnd</mods:roleTerm></mods:role>
  </mods:name>
  <mods:originInfo eventType="publication">
    <mods:place><mods:placeTerm type="text">Brüssel</mods:placeTerm></mods:place>
    <mods:publisher>Verlag der Grenzboten</mods:publisher>
    <mods:dateIssued encoding="iso8601" keyDate="yes">1841</mods:dateIssued>
    <mods:edition>Erster Jahrgang</mods:edition>
  </mods:originInfo>
  <mods:originInfo eventType="digitization">
    <mods:place><mods:placeTerm type="text">Bremen</mods:placeTerm></mods:place>
    <mods:publisher>Staats- und Universitätsbibliothek Bremen</mods:publisher>
  </mods:originInfo>
  <mods:physicalDescription><mods:extent>VIII, 600 S.</mods:extent></mods:physicalDescription>
  <mods:location>
    <mods:physicalLocation displayLabel="Staats- und Universitätsbibliothek Bremen">DE-46</mods:physicalLocation>
    <mods:shelfLocator>Z 1234-1841</mods:shelfLocator>
  </mods:location>
  <mods:identifier type="purl">https://brema.suub.uni-bremen.de/grenzboten/1841</mods:identifier>
  <mods:identifier type="urn">urn:nbn:de:gbv:46-grenzboten-1841</mods:identifier>
  <mods:identifier type="zdb">2079535-0</mods:identifier>
  <mods:recordInfo><mods:recordIdentifier source="gbv-ppn">PPN123456789</mods:recordIdentifier></mods:recordInfo>
  <mods:language><mods:languageTerm authority="iso639-2b" type="code">ger</mods:languageTerm>
    <mods:scriptTerm authority="iso15924" type="code">Latf</mods:scriptTerm></mods:language>
  <mods:accessCondition type="use and reproduction" xlink:href="https://creativecommons.org/publicdomain/mark/1.0/"
    xmlns:xlink="http://www.w3.org/1999/xlink">Public Domain Mark 1.0</mods:accessCondition>
</mods:mods>"""


def alto(page: OcrPage, scan: str) -> bytes:
    """An ALTO v2 file of ``page``: its blocks, lines with their boxes, words."""
    blocks = []
    for b, paragraph in enumerate(page.paragraphs):
        lines = []
        for n, line in enumerate(paragraph):
            x0, y0, x1, y1 = line.box
            words = "<SP/>".join(f"<String CONTENT={quoteattr(word.text)}/>" for word in line.words)
            lines.append(f'<TextLine ID="l{b}_{n}" HPOS="{x0}" VPOS="{y0}" WIDTH="{x1 - x0}" HEIGHT="{y1 - y0}">'
                         f"{words}</TextLine>")
        blocks.append(f'<TextBlock ID="b{b}">{"".join(lines)}</TextBlock>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">'
            f"<Description><MeasurementUnit>pixel</MeasurementUnit><sourceImageInformation><fileName>{scan}.tif"
            f"</fileName></sourceImageInformation></Description><Layout><Page ID=\"p{scan}\" "
            f'WIDTH="{page.width}" HEIGHT="{page.height}" PHYSICAL_IMG_NR="1"><PrintSpace>{"".join(blocks)}'
            "</PrintSpace></Page></Layout></alto>\n").encode()


def page_name(scan: str) -> str:
    return f"FULLTEXT/{uuid.uuid5(uuid.NAMESPACE_URL, 'grenzboten-1841/' + scan)}.xml"


def mets(pages: list[tuple[str, str | None, str | None]], logical: str = "", links: str = "",
         mods: str = MODS, text_group: str = "FULLTEXT", extra_groups: str = "") -> str:
    """A METS over ``pages`` (scan, ORDERLABEL, the text file's href or None), in that order."""
    text_files = "".join(f'<mets:file ID="FT_{scan}" MIMETYPE="application/alto+xml"><mets:FLocat LOCTYPE="URL" '
                         f"xlink:href={quoteattr(href)}/></mets:file>" for scan, _label, href in pages if href)
    image_files = "".join(f'<mets:file ID="IMG_{scan}" MIMETYPE="image/jpeg"><mets:FLocat LOCTYPE="URL" '
                          f'xlink:href="{IMAGE_URL.format(scan=scan)}"/></mets:file>' for scan, _l, _h in pages)
    physical = "".join(
        f'<mets:div ID="PHYS_{n}" ORDER="{n}" ORDERLABEL={quoteattr(label or " - ")} TYPE="page">'
        f'<mets:fptr FILEID="IMG_{scan}"/>' + (f'<mets:fptr FILEID="FT_{scan}"/>' if href else "") + "</mets:div>"
        for n, (scan, label, href) in enumerate(pages, start=1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
  <mets:dmdSec ID="DMDLOG_0000"><mets:mdWrap MDTYPE="MODS"><mets:xmlData>{mods}</mets:xmlData></mets:mdWrap></mets:dmdSec>
  <mets:fileSec>
    <mets:fileGrp USE="MAX">{image_files}</mets:fileGrp>
    <mets:fileGrp USE="{escape(text_group)}">{text_files}</mets:fileGrp>{extra_groups}
  </mets:fileSec>
  <mets:structMap TYPE="LOGICAL">
    <mets:div ID="LOG_0000" DMDID="DMDLOG_0000" TYPE="periodical_volume" LABEL="Die Grenzboten 1841">{logical}</mets:div>
  </mets:structMap>
  <mets:structMap TYPE="PHYSICAL"><mets:div ID="PHYS_0000" TYPE="physSequence">{physical}</mets:div></mets:structMap>
  <mets:structLink>{links}</mets:structLink>
</mets:mets>
"""


def grenzboten_package(folder: Path, logical: str = "", links: str = "", **options) -> list[tuple[str, str]]:
    """Writes the package into ``folder`` (``mets.xml`` and ``FULLTEXT/<uuid>.xml``); returns
    the pages in the METS's order as (scan, text of the page as the ALTO holds it)."""
    (folder / "FULLTEXT").mkdir(parents=True, exist_ok=True)
    written = []
    for scan, _label in PAGES:
        page = abbyy.parse((GRENZBOTEN / f"{scan}.abbyy.xml").read_bytes(), f"{scan}.abbyy.xml")[0]
        (folder / page_name(scan)).write_bytes(alto(page, scan))
        written.append((scan, "\n".join(line.text for line in page.lines)))
    pages = [(scan, label, page_name(scan)) for scan, label in PAGES]
    (folder / "mets.xml").write_text(mets(pages, logical, links, **options), encoding="utf-8")
    return written


TINY_ALTO = ('<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">'
             '<Description><MeasurementUnit>pixel</MeasurementUnit></Description><Layout><Page ID="p{n}" '
             'WIDTH="1000" HEIGHT="1500" PHYSICAL_IMG_NR="{n}"><PrintSpace><TextBlock ID="b{n}">'
             '<TextLine ID="l{n}" HPOS="100" VPOS="100" WIDTH="800" HEIGHT="40">{words}</TextLine>'
             '</TextBlock></PrintSpace></Page></Layout></alto>\n')
WORDS = ("Haus", "Wald", "Feld", "Brief", "Stadt", "Fluss", "Berg", "Weg", "Tag", "Nacht")


def tiny_package(folder: Path, pages: int, order: bool = True) -> None:
    """A METS of ``pages`` ALTO pages of one line each, labelled 1, 2, 3… (``order=False``:
    the physical map gives no ORDER, its own sequence counts)."""
    (folder / "FULLTEXT").mkdir(parents=True)
    listed = []
    for n in range(1, pages + 1):
        words = "<SP/>".join(f'<String CONTENT="{WORDS[(n * 7 + i) % len(WORDS)]}"/>' for i in range(5))
        name = f"FULLTEXT/{n:06d}.xml"
        (folder / name).write_text(TINY_ALTO.format(n=n, words=words), encoding="utf-8")
        listed.append((f"{n:06d}", str(n), name))
    text = mets(listed)
    (folder / "mets.xml").write_text(text if order else re.sub(r' ORDER="\d+"', "", text), encoding="utf-8")


OCRD_PAGE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>'
             'ocrd-tesserocr-recognize</Creator></Metadata><Page imageFilename="OCR-D-BIN/page1.png" imageWidth="1000" '
             'imageHeight="1400">{regions}</Page></PcGts>\n')
OCRD_LINE = ('<TextRegion id="r1"><Coords points="100,100 900,100 900,140 100,140"/><TextLine id="r1l1"><Coords '
             'points="100,100 900,100 900,140 100,140"/><TextEquiv><Unicode>{text}</Unicode></TextEquiv></TextLine>'
             '</TextRegion>')


def ocrd_workspace(folder: Path, text: str | None, image: bytes | None = None) -> None:
    """An OCR-D workspace of one page whose processor's group holds the binarized image it
    derived and its PAGE file side by side, the image named first (as OCR-D writes them);
    ``image`` (PNG bytes) is the page's image, else a blank one."""
    import io

    from PIL import Image

    (folder / "OCR-D-BIN").mkdir(parents=True)
    blank = io.BytesIO()
    Image.new("L", (1000, 1400), 255).save(blank, format="PNG")
    (folder / "OCR-D-BIN" / "page1.png").write_bytes(image or blank.getvalue())
    regions = OCRD_LINE.format(text=text) if text else ""
    (folder / "OCR-D-BIN" / "page1.xml").write_text(OCRD_PAGE.format(regions=regions), encoding="utf-8")
    (folder / "mets.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
  <mets:dmdSec ID="DMD"><mets:mdWrap MDTYPE="MODS"><mets:xmlData>{MODS}</mets:xmlData></mets:mdWrap></mets:dmdSec>
  <mets:fileSec><mets:fileGrp USE="OCR-D-BIN">
    <mets:file ID="BIN_IMG_1" MIMETYPE="image/png"><mets:FLocat LOCTYPE="OTHER" xlink:href="OCR-D-BIN/page1.png"/></mets:file>
    <mets:file ID="BIN_1" MIMETYPE="application/vnd.prima.page+xml"><mets:FLocat LOCTYPE="OTHER" xlink:href="OCR-D-BIN/page1.xml"/></mets:file>
  </mets:fileGrp></mets:fileSec>
  <mets:structMap TYPE="PHYSICAL"><mets:div ID="SEQ" TYPE="physSequence"><mets:div ID="P1" ORDER="1" ORDERLABEL="7" TYPE="page">
    <mets:fptr FILEID="BIN_IMG_1"/><mets:fptr FILEID="BIN_1"/></mets:div></mets:div></mets:structMap>
</mets:mets>
""", encoding="utf-8")


def run(inputs: list[Path], output: Path, config: PipelineConfig | None = None):
    """What a run does with its inputs (the flow's task, without Prefect): sources and reports."""
    sources, problems = discover_sources(inputs, exclude=(output,))
    bases, _withdrawn = assign_names(sources, output, {})
    reports = [process_file(source.path, output, config or PipelineConfig(), bases[source.key],
                            source.display_name, source.pages, source.left_out, source.key) for source in sources]
    return sources, problems, reports
