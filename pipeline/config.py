"""Pipeline configuration: one place, hashed into the cache key of every run."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Literal

import json
import tomllib

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline import __version__


class PipelineConfig(BaseModel):
    """Every setting of a run. Set them in a TOML file (``scan2tei run --config FILE``), one
    ``name = value`` a line; ``schemas/config.schema.json`` describes them (exported from here)."""

    model_config = ConfigDict(extra="forbid")  # a misspelt setting is an error, not ignored

    max_document_bytes: int = Field(
        default=100 * 1024 * 1024, ge=1,
        description="A source file larger than this many bytes is reported, not processed.")
    max_document_pages: int = Field(
        default=10_000, ge=1,
        description="A source of more pages than this (a book folder's page files, a PDF's or a multi-page TIFF's "
                    "pages, a METS package's physical map, an OCR file's pages) is reported, not read: counted from "
                    "its headers before any page is decoded.")
    max_page_file_bytes: int = Field(
        default=100 * 1024 * 1024, ge=1,
        description="A page file of a book or METS package larger than this many bytes is not read: the page is "
                    "reported and left out, the rest of the book read (max_document_bytes bounds the book).")
    max_page_pixels: int = Field(
        default=300_000_000, ge=1,
        description="A page image larger than this many pixels (measured from its header) is not decoded: the page "
                    "is reported and left out, the rest of the book read. A 600 dpi page is ~3,500 x 5,000; a poster "
                    "scanned at 1,200 dpi stays under this.")
    max_render_pixels: int = Field(
        default=60_000_000, ge=1,
        description="A PDF page is rendered for OCR at most this large: at 300 dpi, or at the resolution that keeps "
                    "it under this (a scan saved at 72 dpi, a page declared 200 inches wide); a page that would need "
                    "less than 100 dpi is reported, not rendered.")
    langdetect_seed: int = Field(
        default=0, description="Seed of langdetect's sampling: the same seed gives the same languages.")
    # Language identification (see pipeline/stages/language.py).
    long_block_letters: int = Field(
        default=150, ge=1,
        description="A block of at least this many letters, with langdetect's probability at least "
                    "min_language_probability, speaks for itself.")
    min_letters_for_language: int = Field(
        default=30, ge=1,
        description="A block of fewer letters takes its neighbours' language; from this many it keeps "
                    "langdetect's answer when that agrees with its context or reaches switch_language_probability.")
    min_language_probability: float = Field(
        default=0.9, ge=0, le=1, description="langdetect's probability a long block needs to speak for itself.")
    switch_language_probability: float = Field(
        default=0.99, ge=0, le=1,
        description="langdetect's probability a shorter block needs to differ from its context's language.")
    script_standard: Literal["tw", "hk", "none"] = Field(
        default="tw",
        description="The standard traditional Chinese variants are regularized to and reading editions convert "
                    "with (OpenCC's Taiwan or Hong Kong tables); none leaves variants alone.")
    preview_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=0,
        description="No HTML preview for an edition larger than this many bytes (a browser cannot show it "
                    "usefully, and rendering it would double a big document's memory).")
    ocr_languages: str | None = Field(
        default=None,
        description="Tesseract's models for page images, in its syntax (deu+frk); unset: each page's script "
                    "is detected and the installed models for it are used (--ocr-languages).")
    ocr_threads: int = Field(
        default=1, ge=1, exclude=True,  # how fast, never what an edition says: not in the fingerprint
        description="Threads that read a document's page images at once (--workers sets it).")
    low_confidence: float = Field(
        default=0.5, ge=0, le=1,
        description='A word the OCR engine rated below this (0-1) is flagged <unclear reason="low-confidence">.')
    regularize_letterforms: bool = Field(
        default=True,
        description="Historical letterforms (long s, r rotunda, superscript e) regularized to modern ones.")
    # Library packages (METS)
    file_group: str | None = Field(
        default=None,
        description="A METS package's file group whose files give the pages' text (its USE); unset: ground "
                    "truth over OCR, else the group with text on most pages (--file-group).")
    fetch: bool = Field(
        default=False,
        description="Read the remote full text a METS names (http/https) into a cache under the output folder; "
                    "without it such pages are reported as having no text (--fetch).")
    fetch_cache: str | None = Field(
        default=None, exclude=True,
        description="Where fetched full texts are kept (set by the run: under the output folder).")
    # Exports beside the edition (pipeline/export/): what is read where, never what the edition
    # says, so not in the fingerprint; the run's report records them (pipeline/run/incremental.py).
    exports: list[Literal["alto", "text"]] = Field(
        default_factory=list, exclude=True,
        description="Formats written beside each edition besides its IIIF manifest: alto (one ALTO v4 file per "
                    "page, OUT/<name>.alto/), text (the reading text, OUT/<name>.txt) (--export).")
    base_url: str | None = Field(
        default=None, exclude=True,
        description="Where the output folder will be published (https://…/): the IIIF manifest's references "
                    "are resolved against it; unset, they are relative to the manifest (--base-url).")
    text_furniture: Literal["omit", "append"] = Field(
        default="omit", exclude=True,
        description="Plain text: page furniture (running heads, page numbers, …) left out or appended.")
    text_notes: Literal["omit", "append"] = Field(
        default="omit", exclude=True, description="Plain text: notes left out or appended after the text.")

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


SCHEMA_PATH = PACKAGE.parent / "schemas" / "config.schema.json"


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; the message is one line naming file and setting."""


def load_config(path: Path, **overrides) -> PipelineConfig:
    """The settings of a TOML file (``name = value`` lines), ``overrides`` (the command line's
    options that were given) taking precedence."""
    try:
        settings = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigFileError(f"{path}: cannot be read ({error.strerror or error})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigFileError(f"{path}: not a TOML file ({error})") from error
    settings.update({name: value for name, value in overrides.items() if value is not None})
    try:
        return PipelineConfig(**settings)
    except ValidationError as error:
        problems = "; ".join(_problem(e) for e in error.errors())
        raise ConfigFileError(f"{path}: {problems}") from None


def _problem(error: dict) -> str:
    name = ".".join(map(str, error["loc"]))
    if error["type"] == "extra_forbidden":
        return f"{name} is no setting (the settings: {', '.join(PipelineConfig.model_fields)})"
    return f"{name}: {error['msg']}"


def config_schema() -> str:
    """The JSON Schema of the settings, as schemas/config.schema.json holds it."""
    return json.dumps(PipelineConfig.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(config_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
