"""The shape every reader gives a page in: its text in reading order, in segments, each
either running text or page furniture of a named class."""

from __future__ import annotations

from dataclasses import dataclass, field

# Furniture classes, one name per kind whatever the format calls it (TEI fw/@type, PAGE
# TextRegion/@type, ALTO tag labels, our readers' line roles).
FURNITURE_NAMES = {
    "header": "running-head", "running-head": "running-head", "running-title": "running-head",
    "runningtitle": "running-head", "headline": "running-head",
    "pagenum": "page-number", "page-number": "page-number", "pagenumber": "page-number", "folio": "page-number",
    "footer": "footer", "running-foot": "footer",
    "marginalia": "marginalia", "margin": "marginalia",
    "sig": "signature", "signature": "signature", "signature-mark": "signature", "signaturemark": "signature",
    "catch": "catchword", "catchword": "catchword", "catch-word": "catchword",
    "catalogue": "catalogue",
}


def furniture_class(name: str | None) -> str | None:
    """The furniture class of what a format calls ``name``; None when the name is no
    furniture (a PAGE ``paragraph``, an ALTO tag for a heading) or not known."""
    if not name:
        return None
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    return FURNITURE_NAMES.get(key) or FURNITURE_NAMES.get(key.replace("-", ""))


@dataclass
class Segment:
    """A stretch of a page's text: running text, or furniture of one class."""
    text: str
    furniture: str | None = None  # the class, or None for running text


@dataclass
class Page:
    """One page as a reader gives it."""

    label: str  # shown in reports: a file name, or "p. 3 (n=12)"
    keys: tuple[str, ...] = ()  # what the page's file may be called: stems of the file it came from
    segments: list[Segment] = field(default_factory=list)
    marks_furniture: bool = False  # whether the source says what is furniture (gt.txt does not)
    number: str | None = None  # the page number an edition gives the page (pb/@n), beside what its fw reads

    def start(self, furniture: str | None) -> None:
        """A new segment begins (an item of furniture, or the running text after it)."""
        self.segments.append(Segment("", furniture))

    def add(self, text: str, furniture: str | None = None) -> None:
        """Text continuing the last segment when it is of the same class."""
        if not text:
            return
        if self.segments and self.segments[-1].furniture == furniture:
            self.segments[-1].text += text
        else:
            self.segments.append(Segment(text, furniture))

    @property
    def full_text(self) -> str:
        """Everything on the page, furniture where it stands."""
        return "\n".join(segment.text for segment in self.segments if segment.text)

    @property
    def main_text(self) -> str:
        """The running text, furniture left out."""
        return "\n".join(segment.text for segment in self.segments if segment.furniture is None)

    def furniture(self) -> dict[str, list[str]]:
        """Each furniture class's items (one per segment) in reading order."""
        found: dict[str, list[str]] = {}
        for segment in self.segments:
            if segment.furniture is not None and segment.text.strip():
                found.setdefault(segment.furniture, []).append(segment.text.strip())
        return found

    def is_empty(self) -> bool:
        """Whether the page holds no text at all."""
        return not any(segment.text.strip() for segment in self.segments)

