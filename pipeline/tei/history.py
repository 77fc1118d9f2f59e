"""The history of an edition across runs: a re-processed edition keeps the revisionDesc of
the one it replaces and adds a change saying what changed."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field

from pipeline.errors import DocumentError
from pipeline.safe_xml import parse_edition
from pipeline.tei import tei

FINGERPRINT = re.compile(r"Configuration fingerprint ([0-9a-f]+)")


class PreviousEdition(BaseModel):
    """What an earlier edition at the same path says of itself: its changes, source hash, fingerprint."""
    changes: list[str] = Field(default_factory=list)  # the text of each earlier <change>, oldest first
    sha256: str | None = None
    fingerprint: str | None = None  # the configuration (and pipeline) that built it
    interventions: int = 0  # elements that carry an intervention (@ana) in its text
    unreadable: str | None = None  # why the edition on disk could not be read (its history is lost)

    def same_build(self, sha256: str, fingerprint: str) -> bool:
        """The edition on disk was built from these bytes by this configuration: rebuilding it
        (a resumed run) changes nothing and adds no change to its history."""
        return self.unreadable is None and self.sha256 == sha256 and self.fingerprint == fingerprint


def read_previous(path: Path) -> PreviousEdition | None:
    """What the edition on disk says of its past; None when there is none. An edition that
    cannot be read is returned with ``unreadable`` set, so that the loss is said, not silent."""
    if not path.exists():
        return None
    try:
        root = parse_edition(path.read_bytes(), path.name).getroot()
    except DocumentError as error:
        return PreviousEdition(unreadable=error.problem)
    except OSError as error:
        return PreviousEdition(unreadable=f"cannot be read ({error.strerror})")
    text = root.find(tei("text"))
    application = root.findtext(f".//{tei('application')}/{tei('desc')}") or ""
    fingerprint = FINGERPRINT.search(application)
    return PreviousEdition(
        changes=[" ".join("".join(c.itertext()).split()) for c in root.iter(tei("change"))],
        sha256=root.findtext(f".//{tei('idno')}[@type='sha256']"),
        fingerprint=fingerprint.group(1) if fingerprint else None,
        interventions=0 if text is None else sum(1 for e in text.iter() if e.get("ana")),
    )
