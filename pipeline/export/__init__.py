"""Editions where scholars and libraries read them: a IIIF manifest with the text on the page
images (:mod:`.iiif`), ALTO pages back to the library (:mod:`.alto`), plain text for corpus
tools (:mod:`.text`). Each is made from the edition's TEI alone, beside the edition:

    OUT/<name>.manifest.json     every edition with page images
    OUT/<name>.alto/0001.xml …   --export alto (editions with page images)
    OUT/<name>.txt               --export text
"""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.export.iiif import build_manifest, has_images, manifest_name
from pipeline.export.lines import page_lines
from pipeline.export.text import plain_text


def base_name(master_file_name: str) -> str:
    """An edition's base name from its file name (``NAME.tei.xml`` -> ``NAME``)."""
    return master_file_name.removesuffix(".tei.xml")


def alto_folder(name: str) -> str:
    """The folder the ALTO pages of edition ``name`` are written to."""
    return f"{name}.alto"


def text_file(name: str) -> str:
    """The file the reading text of edition ``name`` is written to."""
    return f"{name}.txt"


def settings_digest(config: PipelineConfig) -> str:
    """What the exports depend on beside the edition: a run with other settings rewrites them."""
    settings = {key: getattr(config, key) for key in ("exports", "base_url", "text_furniture", "text_notes")}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def manifest_of(tree: etree._ElementTree, master_file_name: str) -> str | None:
    """The file name of the edition's IIIF manifest, when it will have one (page images)."""
    return manifest_name(base_name(master_file_name)) if has_images(page_lines(tree)) else None


def export_files(tree: etree._ElementTree, master_file_name: str, config: PipelineConfig, folder: str = "",
                 preview: bool = True) -> dict[str, bytes]:
    """Every export of the edition ``tree`` (to be written as ``master_file_name`` in
    ``folder`` of the output folder), by file name relative to the edition's folder."""
    root = tree.getroot()
    name = base_name(master_file_name)
    pages = page_lines(root)
    files: dict[str, bytes] = {}
    alto_files: dict[str, str] = {}
    if "alto" in config.exports and pages:
        from pipeline.export.alto import alto_pages

        for page, data in alto_pages(root, pages):
            alto_files[page.surface] = f"{alto_folder(name)}/{page.order:04d}.xml"
            files[alto_files[page.surface]] = data
    if "text" in config.exports:
        files[text_file(name)] = plain_text(root, config.text_furniture, config.text_notes).encode("utf-8")
    if has_images(pages):
        files[manifest_name(name)] = build_manifest(root, pages, name, folder, config.base_url, preview, alto_files)
    return files
