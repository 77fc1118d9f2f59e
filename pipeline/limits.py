"""The limits a run sets once (``PipelineConfig``: max_document_bytes, max_document_pages,
max_page_file_bytes, max_page_pixels, max_render_pixels), checked where a source or page is
met, from what its headers and sizes declare, before it is read: the same whatever was read
before it. Each refusal is one line naming the setting to raise."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError


def check_pages(name: str, count: int, config: PipelineConfig) -> None:
    """Refuse a source of more pages than ``max_document_pages`` before any page is read."""
    if count > config.max_document_pages:
        raise DocumentError(name, f"has {count:,} pages, over the limit of {config.max_document_pages:,}",
                            "raise max_document_pages to read it")


def page_file_problem(name: str, size: int, config: PipelineConfig) -> DocumentError | None:
    """Why a book's page file of ``size`` bytes is not read (over ``max_page_file_bytes``), or None."""
    if size <= config.max_page_file_bytes:
        return None
    return DocumentError(name, f"is {size:,} bytes, over the limit of {config.max_page_file_bytes:,} for a page file; "
                               "left out", "raise max_page_file_bytes to read it")
