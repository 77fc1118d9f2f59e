"""A reading view of an edition for people: HTML rendered from the TEI by XSLT (lxml)."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from lxml import etree

STYLESHEET = Path(__file__).resolve().parent / "preview.xsl"


@functools.cache
def _transform() -> etree.XSLT:
    return etree.XSLT(etree.parse(str(STYLESHEET)))


def render_preview(tree: etree._ElementTree, manifest: str | None = None) -> bytes:
    """The HTML view; ``manifest``: the edition's IIIF manifest beside it, linked from the page."""
    parameters = {"manifest": etree.XSLT.strparam(manifest)} if manifest else {}
    result = _transform()(tree, **parameters)
    buffer = io.BytesIO()  # written out, not copied out of libxml2's own buffer: one copy less
    result.write_output(buffer)
    return buffer.getvalue()
