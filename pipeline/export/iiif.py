"""A IIIF Presentation 3 manifest of an edition with page images: a canvas per page, its image
painted on it, and the reading text of every line as an annotation on the line's box, for
IIIF viewers (Mirador, Universal Viewer, TIFY) to show the text on the image.

Built and validated with ``iiif-prezi3``. IIIF wants absolute URIs: with a base URL (where
the output folder is published) every reference is resolved against it; without one the
references are written relative to the manifest, as the edition's own are, and a viewer
resolves them against the manifest's URL. Never an absolute path of this machine.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from iiif_prezi3 import Annotation, AnnotationPage, Canvas, Manifest, TextualBody
from lxml import etree

from pipeline.export.header import Description, describe
from pipeline.export.lines import PageImage, PageLines

# Without a base URL the manifest is built against this stand-in (a reserved name that never
# resolves), validated, and written with every reference made relative again.
# (deep enough that a reference leaving the output folder, ../../scans/1.jpg, comes back whole)
STAND_IN = "https://scan2tei.invalid/" + "o/" * 16
BROWSER_FORMATS = {"image/png", "image/jpeg", "image/gif", "image/webp"}
TEI_PROFILE = "http://www.tei-c.org/ns/1.0"
ALTO_PROFILE = "http://www.loc.gov/standards/alto/ns-v4#"
# IIIF's rights must come from these two vocabularies (over http)
RIGHTS_HOSTS = ("creativecommons.org", "rightsstatements.org")
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "iiif" / "manifest.schema.json"


def manifest_name(base_name: str) -> str:
    """The file name of the IIIF manifest beside edition ``base_name``."""
    return f"{base_name}.manifest.json"


def shown_image(page: PageLines) -> PageImage | None:
    """The image a browser-based viewer can show: the library's own (an http URL), else the
    preview's PNG copy, else the source's image when browsers read its format."""
    remote = next((image for image in page.images if image.url.startswith(("http://", "https://"))), None)
    if remote is not None:
        return remote
    if page.display is not None:
        return page.display
    return next((image for image in page.images if image.format in BROWSER_FORMATS and "#" not in image.url), None)


def has_images(pages: list[PageLines]) -> bool:
    """Whether any page has a size and an image a viewer can show."""
    return any(page.width and page.height and shown_image(page) for page in pages)


def _rights(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.hostname and parts.hostname.removeprefix("www.") in RIGHTS_HOSTS:
        return "http://" + parts.hostname.removeprefix("www.") + parts.path
    return None


def _metadata(about: Description) -> list[dict]:
    entries = [("Title", about.title), ("Subtitle", about.subtitle), ("Author", "; ".join(about.authors)),
               ("Editor", "; ".join(about.editors)), ("Date", about.date), ("Place", about.place),
               ("Publisher", about.publisher), ("Holding institution", about.repository),
               ("Shelfmark", about.shelfmark), ("Licence", about.licence)]
    entries += [(f"Identifier ({kind})" if kind else "Identifier", value) for kind, value in about.identifiers]
    return [{"label": {"en": [label]}, "value": {"none": [value]}} for label, value in entries if value]


def build_manifest(root: etree._Element, pages: list[PageLines], base_name: str, folder: str = "",
                   base_url: str | None = None, preview: bool = True,
                   alto_files: dict[str, str] | None = None) -> bytes:
    """The manifest (JSON, UTF-8) of the edition ``base_name`` (its file name without
    ``.tei.xml``) that lies in ``folder`` of the output folder (POSIX, "" for the top).
    ``alto_files``: each surface's ALTO file, relative to the edition's folder."""
    root_url = base_url.rstrip("/") + "/" if base_url else STAND_IN
    here = urljoin(root_url, folder.strip("/") + "/") if folder.strip("/") else root_url
    name = posixpath.basename(base_name)

    def url(reference: str) -> str:
        return urljoin(here, reference)

    manifest_id = url(manifest_name(name))
    about = describe(root)
    language = about.language or "none"
    manifest = Manifest(id=manifest_id, label={"none": [about.title or name]})
    if metadata := _metadata(about):
        manifest.metadata = metadata
    if about.subtitle:
        manifest.summary = {"none": [about.subtitle]}
    if rights := _rights(about.licence_url):
        manifest.rights = rights
    if about.licence or about.repository:
        manifest.requiredStatement = {"label": {"en": ["Attribution"]},
                                      "value": {"none": ["; ".join(v for v in (about.repository, about.licence) if v)]}}
    manifest.seeAlso = [{"id": url(f"{name}.tei.xml"), "type": "Dataset", "format": "application/tei+xml",
                         "profile": TEI_PROFILE, "label": {"en": ["TEI P5 edition"]}}]
    if preview:
        manifest.rendering = [{"id": url(f"{name}.html"), "type": "Text", "format": "text/html",
                               "label": {"en": ["Reading view (HTML)"]}}]
    # Each canvas is validated, written out as the manifest's JSON holds it and let go at once:
    # a book's canvases held as objects (or dictionaries) until the end weigh ~15 KB a page
    # (and iiif-prezi3's make_canvas validates every canvas again on each one added).
    canvases = []
    for page in pages:
        image = shown_image(page)
        if not (page.width and page.height and image):
            continue
        canvas_id = f"{manifest_id}/canvas/{page.surface}"
        canvas = Canvas(id=canvas_id, width=page.width, height=page.height, label={"none": [page.label]})
        body = {"format": image.format} if image.format else {}
        if image is not page.display:  # the source's own image has the canvas's size
            body.update(width=page.width, height=page.height)
        canvas.add_image(url(image.url), anno_id=f"{canvas_id}/painting", anno_page_id=f"{canvas_id}/image", **body)
        annotations = [_line_annotation(canvas_id, line, language) for line in page.lines if line.text]
        if annotations:
            canvas.annotations = [AnnotationPage(id=f"{canvas_id}/lines", items=annotations)]
        if alto_files and page.surface in alto_files:
            canvas.seeAlso = [{"id": url(alto_files[page.surface]), "type": "Dataset", "format": "application/xml",
                               "profile": ALTO_PROFILE, "label": {"en": ["ALTO full text"]}}]
        canvases.append(_dumps(_as_written(json.loads(canvas.json(exclude_context=True)), here, base_url),
                               depth=2))
    manifest.items = []  # (its place among the keys; the canvases written there as they are)
    data = _as_written(json.loads(manifest.jsonld()), here, base_url)  # (its own serialization: URLs as strings)
    written = _dumps(data)
    if canvases:
        written = written.replace('\n  "items": []', '\n  "items": [\n' + ",\n".join(canvases) + "\n  ]", 1)
    return (written + "\n").encode("utf-8")


def _dumps(value, depth: int = 0) -> str:
    """``value`` as JSON indented by two spaces a level, as if written ``depth`` levels deep
    (a canvas in the manifest's items: 2). A new line inside a string is written ``\\n``:
    only the JSON's own lines are indented."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return "  " * depth + text.replace("\n", "\n" + "  " * depth) if depth else text


def _line_annotation(canvas_id: str, line, language: str) -> Annotation:
    ulx, uly, lrx, lry = line.box
    bodies = [TextualBody(value=line.text + line.hyphen, format="text/plain",
                          **({"language": language} if language != "none" else {}))]
    if line.furniture:  # page furniture (and notes) are marked as what they are
        bodies.append(TextualBody(value=line.furniture, purpose="tagging"))
    return Annotation(id=f"{canvas_id}/line/{line.zone}", motivation="supplementing", body=bodies,
                      target=f"{canvas_id}#xywh={ulx},{uly},{max(lrx - ulx, 1)},{max(lry - uly, 1)}")


def _as_written(value, here: str, base_url: str | None):
    """``value`` as the manifest holds it: without a base URL every reference relative."""
    return _relative(value, here) if base_url is None else value


def _relative(value, here: str):
    """``value`` with every reference under the stand-in made relative to ``here``."""
    if isinstance(value, dict):
        return {key: _relative(item, here) for key, item in value.items()}
    if isinstance(value, list):
        return [_relative(item, here) for item in value]
    if isinstance(value, str) and value.startswith(STAND_IN):
        path, hash_, fragment = value.partition("#")
        relative = posixpath.relpath(urlsplit(path).path, urlsplit(here).path)
        return relative + hash_ + fragment
    return value



def manifest_json_schema() -> str:
    """IIIF Presentation 3's Manifest as a JSON Schema (2020-12): iiif-prezi3's model (Apache
    2.0; generated by its authors from the IIIF presentation validator's schema, iiif_3_0.json)
    exported, and pinned in schemas/iiif/ so that a manifest can be checked offline by any JSON
    Schema tool. ``python -m pipeline.export.iiif`` rewrites it."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$comment": "IIIF Presentation 3 Manifest, exported from iiif-prezi3's model (Apache License 2.0) by "
                          "python -m pipeline.export.iiif", **Manifest.model_json_schema()}
    return json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(manifest_json_schema(), encoding="utf-8")
