"""The edition's reading text as plain text, for corpus tools: corrections and
regularizations applied, words broken at a line's end joined, the printed lines kept as
lines, a blank line between paragraphs (and headings, list items, …). Page furniture and
notes are left out by default, or appended after the text (``furniture``/``notes``: "omit"
or "append"), each item a paragraph of its own; a note keeps its mark (``[2]``)."""

from __future__ import annotations

import re
from typing import Literal

from pathlib import Path

from lxml import etree

from pipeline.safe_xml import parse_edition

from pipeline.tei import local_name, tei
from pipeline.tei.reader import ReadingTextWalker, edition_characters

Placement = Literal["omit", "append"]
PLACEMENTS = ("omit", "append")
APART = ("fw", "note")  # read into paragraphs of their own, apart from the running text
SPACES = re.compile(r"[^\S\n]+")


class _Reading:
    """What is being read into one kind of paragraph: the running text, an fw, a note."""

    def __init__(self, kind: str, mark: str = ""):
        self.kind, self.mark = kind, mark  # a note's mark goes before its first paragraph
        self.pieces: list[str] = []


class _PlainText(ReadingTextWalker):
    def __init__(self, root: etree._Element):
        super().__init__(edition_characters(root))
        self.paragraphs: dict[str, list[str]] = {"text": [], "furniture": [], "notes": []}
        self.reading_into = [_Reading("text")]

    def text(self, text: str) -> None:
        self.reading_into[-1].pieces.append(text)

    def line_break(self, element: etree._Element) -> None:
        if local_name(element) == "lb" and element.get("break") != "no":
            self.text("\n")

    def block(self, element: etree._Element, opening: bool) -> None:
        if local_name(element) not in APART:  # a paragraph goes on over a page's furniture and a note
            self.flush()

    def enter(self, element: etree._Element) -> None:
        name = local_name(element)
        if name in APART:
            mark = f"[{element.get('n')}] " if name == "note" and element.get("n") else ""
            self.reading_into.append(_Reading("furniture" if name == "fw" else "notes", mark))

    def leave(self, element: etree._Element) -> None:
        if local_name(element) in APART:
            self.flush()
            self.reading_into.pop()

    def flush(self) -> None:
        current = self.reading_into[-1]
        lines = (SPACES.sub(" ", line).strip() for line in "".join(current.pieces).split("\n"))
        current.pieces.clear()
        if paragraph := "\n".join(line for line in lines if line):
            self.paragraphs[current.kind].append(current.mark + paragraph)
            current.mark = ""


def plain_text(tree: etree._ElementTree | etree._Element, furniture: Placement = "omit",
               notes: Placement = "omit") -> str:
    """The reading text of an edition, paragraphs separated by a blank line."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    walker = _PlainText(root)
    for text in root.iter(tei("text")):
        if not any(ancestor.tag == tei("text") for ancestor in text.iterancestors()):
            walker.walk_content(text)
            walker.flush()
    paragraphs = list(walker.paragraphs["text"])
    if furniture == "append":
        paragraphs += walker.paragraphs["furniture"]
    if notes == "append":
        paragraphs += walker.paragraphs["notes"]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""



def text_of_file(path: Path, furniture: Placement = "omit", notes: Placement = "omit") -> str:
    """The reading text of the edition in ``path`` (parsed without entities or network)."""
    return plain_text(parse_edition(path.read_bytes(), str(path)), furniture, notes)
