"""The history of an edition across runs: a re-processed edition keeps the revisionDesc of
the one it replaces and adds a change saying what changed."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from .errors import DocumentError
from .safe_xml import parse_xml
from .tei import tei


class PreviousEdition(BaseModel):
    changes: list[str] = Field(default_factory=list)  # the text of each earlier <change>, oldest first
    sha256: str | None = None
    interventions: int = 0  # elements that carry an intervention (@ana) in its text


def read_previous(path: Path) -> PreviousEdition | None:
    """What the edition on disk says of its past, or None when there is none (or it is unreadable:
    the new edition then starts a new history, and the report says so)."""
    if not path.exists():
        return None
    try:
        root = parse_xml(path.read_bytes(), path.name).getroot()
    except (DocumentError, OSError):
        return None
    text = root.find(tei("text"))
    return PreviousEdition(
        changes=[" ".join("".join(c.itertext()).split()) for c in root.iter(tei("change"))],
        sha256=root.findtext(f".//{tei('idno')}[@type='sha256']"),
        interventions=0 if text is None else sum(1 for e in text.iter() if e.get("ana")),
    )
