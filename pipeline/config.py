"""Pipeline configuration: one place, hashed into the cache key of every run."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from pipeline import __version__


class PipelineConfig(BaseModel):
    max_document_bytes: int = 100 * 1024 * 1024
    langdetect_seed: int = 0
    # Language identification (see pipeline/stages/language.py): blocks with at least
    # long_block_letters letters and this langdetect probability speak for themselves;
    # blocks from min_letters_for_language letters keep langdetect's answer when it agrees
    # with their context, or when it reaches switch_language_probability; shorter blocks
    # take their context's language.
    long_block_letters: int = 150
    min_letters_for_language: int = 30
    min_language_probability: float = 0.9
    switch_language_probability: float = 0.99
    # Standard that traditional Chinese is regularized to (OpenCC's Taiwan or Hong Kong
    # variant tables) and that reading editions convert with; "none" leaves variants alone.
    script_standard: Literal["tw", "hk", "none"] = "tw"
    # No HTML preview above this size: a browser cannot show it usefully, and rendering it
    # would double a big document's memory.
    preview_max_bytes: int = 10 * 1024 * 1024
    # Tesseract's models for page images, in its syntax ("deu+frk"); None: each page's script
    # is detected (OSD) and the installed models for it are used.
    ocr_languages: str | None = None
    # Threads that read a document's page images at once (--workers sets it): how fast, never
    # what an edition says, so it is left out of the fingerprint.
    ocr_threads: int = Field(default=1, ge=1, exclude=True)
    # A word the OCR engine rated below this (0-1) is flagged <unclear reason="low-confidence">.
    low_confidence: float = 0.5
    # Historical letterforms (long s, r rotunda, superscript e) regularized to modern ones.
    regularize_letterforms: bool = True
    # Library packages (METS): the file group whose files give the pages' text (its USE);
    # None: ground truth over OCR, else the group with text on most pages.
    file_group: str | None = None
    # Read the remote full text a METS names (http/https), into a cache (fetch_cache, under
    # the output folder); without it such pages are reported as having no text.
    fetch: bool = False
    fetch_cache: str | None = Field(default=None, exclude=True)

    def fingerprint(self) -> str:
        """Hash of the configuration, the pipeline version and the pipeline's own code: part of
        every cache key, so that an upgrade re-processes what it may change, with or without a
        new version number."""
        payload = f"{__version__}\n{code_digest()}\n{self.model_dump_json()}"
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


PACKAGE = Path(__file__).resolve().parent
CODE_FILES = ("*.py", "*.xsl", "*.txt", "*.json")  # the library and the tables and stylesheets it reads
# The run package decides which files a run reads and where it writes, never what an edition
# says: changing it re-processes nothing.
RUN_PACKAGE = "run"


@functools.cache
def code_digest(package: Path = PACKAGE) -> str:
    """SHA-256 of every file the editions depend on: the package's code and data and the
    project schema (thresholds that live in modules are covered with the code)."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in CODE_FILES for p in package.rglob(pattern)
                    if "__pycache__" not in p.parts and p.relative_to(package).parts[0] != RUN_PACKAGE})
    schema = package.parent / "schemas" / "scan2tei.rng"
    for path in files + ([schema] if schema.exists() else []):
        digest.update(path.relative_to(package.parent).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
