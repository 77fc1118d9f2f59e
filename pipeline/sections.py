"""The parts a kind of document has, from cues any document of that kind shows:

* a security classification alone on the first line (dispatches);
* a salutation: a short line ending with a comma right after the title (letters, dispatches);
* numbered paragraphs ("4. In other respects…"): ``<p n="4">``;
* bulleted lines: list items;
* a title printed twice in a row: one title, the repeat kept as layout;
* a heading that lost its first letter in extraction ("ee also"): corrected when the word with
  a letter restored is one the document itself uses ("see");
* the host site's boilerplate at the end (link lists whose items end alike, a credit line
  "Organization. 2010.", stubs of broken link markup "[ … ]"): moved to ``<back>``, kept.
"""

from __future__ import annotations

import re
import string
from collections import Counter

from .edits import add_edits
from .model import Block, Document, Edit
from .structure import SPACE

CLASSIFICATIONS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED", "UNCLASSIFIED", "FOR OFFICIAL USE ONLY")
NUMBERED = re.compile(r"^(?P<n>\d{1,3})\.\s+\S")
BULLET = re.compile(r"^[*•·▪◦]\s+")
CREDIT_LINE = re.compile(r"^(?P<who>[A-Z][\w&.,' -]{2,60})\.\s+(?P<year>1[6-9]\d\d|20\d\d)\.$")
BROKEN_LINK = re.compile(r"\[ [^\]]*\]")
WORD = re.compile(r"[A-Za-z]+")


def _text(doc: Document, block: Block) -> str:
    return doc.text[block.start:block.end]


def detect_sections(doc: Document) -> None:
    body = [b for b in doc.blocks if b.part == "body" and b.kind != "milestone"]
    if not body:
        return
    edits: list[Edit] = []
    _classification(doc, body, edits)
    _salutation(doc, body)
    _duplicate_title(doc, body, edits)
    words = Counter(w.lower() for w in WORD.findall(doc.text))
    for block in body:
        text = _text(doc, block)
        if block.kind == "p" and (match := NUMBERED.match(text)):
            block.attrs["n"] = match.group("n")
        if block.kind == "p" and BULLET.match(text):
            block.kind = "item"
        if block.kind == "head":
            edits += _restored_first_letter(doc, block, words)
    _boilerplate(doc)
    add_edits(doc, edits)


def _classification(doc: Document, body: list[Block], edits: list[Edit]) -> None:
    first = body[0]
    text = _text(doc, first).strip(SPACE)
    if text.upper() in CLASSIFICATIONS and text.isupper():
        doc.metadata.fields["classification"] = text
        first.kind = "milestone"
        edits.append(Edit(start=first.start, end=first.end, kind="layout", original=text, stage="sections",
                          attrs={"type": "classification"}, reason="security classification of the document"))


def _salutation(doc: Document, body: list[Block]) -> None:
    for previous, block, following in zip(body, body[1:], body[2:]):
        text = _text(doc, block).strip(SPACE)
        if (previous.kind == "head" and block.kind == "p" and following.kind == "p" and text.endswith(",")
                and len(text.split()) <= 8 and "\n" not in text):
            block.kind = "salute"
            return
        if block.kind == "p" and len(_text(doc, block)) > 200:
            return  # a salutation opens a letter; past its first paragraph there is none


def _duplicate_title(doc: Document, body: list[Block], edits: list[Edit]) -> None:
    if len(body) > 1 and body[0].kind == body[1].kind == "head" and _text(doc, body[0]) == _text(doc, body[1]):
        body[1].kind = "milestone"
        edits.append(Edit(start=body[1].start, end=body[1].end, kind="layout", original=_text(doc, body[1]),
                          stage="sections", reason="the title printed a second time: one title, the repeat kept"))


def _restored_first_letter(doc: Document, block: Block, words: Counter) -> list[Edit]:
    text = _text(doc, block)
    match = WORD.match(text)
    if not match or not match.group()[0].islower():
        return []
    lost = match.group()
    for letter in string.ascii_lowercase:
        if words[letter + lost.lower()] and not words[lost.lower()] > words[letter + lost.lower()]:
            restored = letter.upper() + lost
            return [Edit(start=block.start, end=block.start + len(lost), kind="correction", original=lost,
                         replacement=restored, stage="sections", confidence=0.8,
                         reason=f"a heading that lost its first letter: the document writes “{letter + lost.lower()}”")]
    return []


def _is_boilerplate(doc: Document, block: Block, shared_suffix: str | None) -> bool:
    text = _text(doc, block).strip(SPACE)
    if CREDIT_LINE.match(text) or BROKEN_LINK.search(text):
        return True
    if shared_suffix and block.kind in ("item", "p") and text.endswith(shared_suffix):
        return True
    return False


def _boilerplate(doc: Document) -> None:
    """From the end backwards, while the blocks are the host site's furniture."""
    blocks = [b for b in doc.blocks if b.part == "body"]
    items = [_text(doc, b).strip(SPACE) for b in blocks if b.kind in ("item", "p")]
    suffixes = Counter(t.split()[-1] for t in items if t.split())
    shared = next((s for s, n in suffixes.most_common(1) if n >= 3 and s.isalpha()), None)
    tail: list[Block] = []
    for block in reversed(blocks):
        text = _text(doc, block).strip(SPACE)
        if _is_boilerplate(doc, block, shared):
            tail.append(block)
        elif tail and (text.endswith(":") and len(text) < 80 or block.kind == "head" and tail[-1].kind != "head"):
            tail.append(block)  # "Look at other dictionaries:", the heading of a stub section
        else:
            break
    if len(tail) < 2:
        return
    for block in tail:
        block.part = "back"
    credit = next((CREDIT_LINE.match(_text(doc, b).strip(SPACE)) for b in tail
                   if CREDIT_LINE.match(_text(doc, b).strip(SPACE))), None)
    if credit:
        doc.metadata.fields.setdefault("publisher", credit.group("who"))
        doc.metadata.fields.setdefault("published", credit.group("year"))
    if shared:
        doc.metadata.fields.setdefault("source site", shared)
