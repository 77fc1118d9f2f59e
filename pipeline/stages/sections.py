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

from pipeline.edits import add_edits
from pipeline.model import Block, Document, Edit
from pipeline.stages.textshape import dominant_script, script_counts
from pipeline.stages.textshape import (RULE_LINE, RULE_REASON, SPACE, is_rule_block, number_alone,
                                       word_counts_once)

CLASSIFICATIONS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED", "UNCLASSIFIED", "FOR OFFICIAL USE ONLY")
NUMBERED = re.compile(r"^(?P<n>\d{1,3})\.\s+\S")
BULLET = re.compile(r"^[*•·▪◦][ \t]+(?=\S)")  # a bullet, then the item's text on the same line
BULLET_MARKUP = "a bullet: list markup (list/@rend=\"bulleted\"), not text of the item"
CREDIT_LINE = re.compile(r"^(?P<who>[A-Z][\w&.,' -]{2,60})\.\s+(?P<year>1[6-9]\d\d|20\d\d)\.$")
BROKEN_LINK = re.compile(r"\[ [^\]]*\]")
WORD = re.compile(r"[A-Za-z]+")


def _text(doc: Document, block: Block) -> str:
    return doc.text[block.start:block.end]


def _keep_as_layout(doc: Document, block: Block, edit: Edit) -> bool:
    """Make the block page layout held by ``edit`` (an fw), unless another stage already
    explained its characters: then it stays a block of text."""
    if add_edits(doc, [edit]):
        return False
    block.kind = "milestone"
    return True


def detect_sections(doc: Document) -> None:
    """Stage: numbered paragraphs, bulleted lists, a letter's salutation, bilingual halves, boilerplate of a host
    site."""
    body = [b for b in doc.blocks if b.part == "body" and b.kind != "milestone"]
    if not body:
        return
    edits: list[Edit] = []
    _classification(doc, body)
    _salutation(doc, body)
    _duplicate_title(doc, body)
    _numbers_that_head_nothing(doc, body)
    for block in body:
        text = _text(doc, block)
        if block.kind == "p" and (match := NUMBERED.match(text)):
            block.attrs["n"] = match.group("n")
        if block.kind == "p" and (bullet := BULLET.match(text)):
            block.kind = "item"
            block.attrs["rend"] = "bulleted"
            edits.append(Edit(start=block.start, end=block.start + bullet.end(), kind="regularization",
                              original=bullet.group(), replacement="", stage="sections", confidence=1.0,
                              reason=BULLET_MARKUP, group="bullets"))
        if block.kind == "head":
            edits += _restored_first_letter(doc, block)
    _boilerplate(doc)
    _bilingual(doc, edits)
    _rules(doc)
    _title_clusters(doc, [b for b in doc.blocks if b.part == "body"])  # page furniture between breaks a cluster
    add_edits(doc, edits)


def _rules(doc: Document) -> None:
    """A rule standing alone between pieces is layout, not a paragraph or a heading."""
    for block in doc.blocks:
        if block.part == "body" and block.kind in ("p", "head") and is_rule_block(doc.text, block.start, block.end):
            _keep_as_layout(doc, block, Edit(start=block.start, end=block.end, kind="layout",
                                             original=_text(doc, block), stage="sections", reason=RULE_REASON))


LATIN_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\s){1,3}[A-Z][\w'’.-]*$")


def _is_name(text: str, author: str | None) -> bool:
    """A person's name standing alone: the author the document states, two to four Han
    characters, or two to four capitalized words."""
    return bool(text) and (text == author or bool(PERSON_NAME.match(text))
                           or (len(text) <= 40 and bool(LATIN_NAME.match(text)) and not text.isupper()))


def _title_clusters(doc: Document, body: list[Block]) -> None:
    """A heading followed directly by another of the same level is its subtitle (one div, not
    an empty one); a name in such a cluster is a byline, not a section's heading."""
    author = (doc.metadata.author or doc.metadata.fields.get("Author") or "").strip()
    previous: Block | None = None
    for block in body:
        if block.kind == "head" and previous is not None and previous.kind in ("head", "byline") \
                and previous.attrs.get("section") == block.attrs.get("section"):
            if _is_name(_text(doc, block).strip(SPACE), author):
                block.kind = "byline"
            elif previous.kind == "head" and block.level == previous.level:
                block.attrs["subtitle"] = "true"
        previous = block


def _numbers_that_head_nothing(doc: Document, body: list[Block]) -> None:
    """A heading that is a number alone heads a section only where another number standing
    alone counts on from it or to it (1, 2, 3; I, II; one between them the OCR lost: 5, 7): a
    poem's line count in the margin (20, 40), a year, a figure or a page number the page rules
    did not take heads nothing: a paragraph."""
    numbers = {block.start: number_alone(_text(doc, block)) for block in body if "\n" not in _text(doc, block)}
    values = {value for value in numbers.values() if value is not None}
    for block in body:
        value = numbers.get(block.start)
        if block.kind == "head" and value is not None and not {value - 2, value - 1, value + 1, value + 2} & values:
            block.kind = "p"


def _classification(doc: Document, body: list[Block]) -> None:
    first = body[0]
    text = _text(doc, first).strip(SPACE)
    if text.upper() in CLASSIFICATIONS and text.isupper() and _keep_as_layout(doc, first, Edit(
            start=first.start, end=first.end, kind="layout", original=_text(doc, first), stage="sections",
            attrs={"type": "classification"}, reason="security classification of the document")):
        doc.metadata.fields["classification"] = text
        if doc.metadata.title is not None and doc.metadata.title.strip(SPACE) == text:
            # A classification marking is never the title: the heading that follows it is.
            following = next((b for b in body[1:3] if b.kind == "head"), None)
            doc.metadata.title = _text(doc, following).strip(SPACE) if following is not None else None
            doc.metadata.title_span = (following.start, following.end) if following is not None else None


def _salutation(doc: Document, body: list[Block]) -> None:
    for previous, block, following in zip(body, body[1:], body[2:]):
        text = _text(doc, block).strip(SPACE)
        if (previous.kind == "head" and block.kind == "p" and following.kind == "p" and text.endswith(",")
                and len(text.split()) <= 8 and "\n" not in text):
            block.kind = "salute"
            return
        if block.kind == "p" and len(_text(doc, block)) > 200:
            return  # a salutation opens a letter; past its first paragraph there is none


def _duplicate_title(doc: Document, body: list[Block]) -> None:
    if len(body) > 1 and body[0].kind == body[1].kind == "head" and _text(doc, body[0]) == _text(doc, body[1]):
        _keep_as_layout(doc, body[1], Edit(start=body[1].start, end=body[1].end, kind="layout",
                                           original=_text(doc, body[1]), stage="sections",
                                           reason="the title printed a second time: one title, the repeat kept"))


def _restored_first_letter(doc: Document, block: Block) -> list[Edit]:
    text = _text(doc, block)
    match = WORD.match(text)
    if not match or not match.group()[0].islower():
        return []
    if len(text.split()) > 6 or text[match.end():match.end() + 1] not in ("", " "):
        return []  # a heading is short, and its first word a word: "it)" opens a footnote
    words = word_counts_once(doc.scratch.stage, doc.text, WORD)  # counted the first time a heading needs them
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
    suffixes = Counter(words[-1] for t in items if (words := t.rsplit(None, 1)))  # each item's last word
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


LABEL = re.compile(r"^\w+(?:\s\w+)?\s*[:：]$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NEWSPAPER_PAGE = re.compile(r"^第\s*(?P<page>\d+)\s*版")  # "第5版": page 5 of a Chinese newspaper
COLUMN = re.compile(r"^(?:专栏|專欄|栏目|欄目)[：:]\s*(?P<column>.+)$")
PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _half_script(doc: Document, blocks: list[Block]) -> str | None:
    """The script most of the blocks' letters are in (None without letters)."""
    counts = script_counts("".join(_text(doc, b) for b in blocks))
    return dominant_script(counts) if counts else None


def _bilingual(doc: Document, edits: list[Edit]) -> None:
    """A text and its counterpart in another language, separated by a rule (and a label):
    div type="translation" and div type="original", paragraphs aligned where they agree."""
    body = [b for b in doc.blocks if b.part == "body" and b.kind != "milestone"]
    rule = next((i for i, b in enumerate(body) if RULE_LINE.match(_text(doc, b).strip(SPACE))), None)
    if rule is None:
        return
    after = rule + 1
    label = None
    if after < len(body) and LABEL.match(_text(doc, body[after]).strip(SPACE)):
        label, after = body[after], after + 1
    first, second = body[:rule], body[after:]
    if not first or not second or _half_script(doc, first) == _half_script(doc, second):
        return
    label_text = _text(doc, label).lower() if label else ""
    second_is_original = not any(word in label_text for word in ("translation", "译文", "譯文"))
    names = ("translation", "original") if second_is_original else ("original", "translation")
    for block in (body[rule], label):
        if block is not None:
            block.attrs["section"] = names[0]
            block.attrs["between"] = "true"  # the rule and the label stand between the two versions
            _keep_as_layout(doc, block, Edit(start=block.start, end=block.end, kind="layout",
                                             original=_text(doc, block), stage="sections",
                                             reason="layout between the two versions (a rule, a label), not text"))
    for name, half in zip(names, (first, second)):
        for block in half:
            block.attrs["section"] = name
    content = {name: _newspaper_metadata(doc, half, name == "original", edits)
               for name, half in zip(names, (first, second))}
    kinds = {name: [b.kind for b in blocks] for name, blocks in content.items()}
    if kinds["translation"] == kinds["original"]:
        for blocks in content.values():
            for ordinal, block in enumerate(blocks):
                block.attrs["align"] = str(ordinal)
    else:
        doc.notes.append(
            f"translation and original not aligned: {kinds['translation'].count('p')} and "
            f"{kinds['original'].count('p')} paragraphs, {kinds['translation'].count('head')} and "
            f"{kinds['original'].count('head')} headings, in different places")


def _metadata_role(doc: Document, line: str, key: str) -> tuple[str, re.Match] | None:
    """What an opening line of a newspaper text is, and the match that says so; a name only
    counts once the text's title is known."""
    for role, pattern in (("title", MARKDOWN_HEADING), ("date", ISO_DATE), ("page", NEWSPAPER_PAGE),
                          ("column", COLUMN), ("byline", PERSON_NAME)):
        if (match := pattern.match(line)) and (role != "byline" or (key + "title") in doc.metadata.fields):
            return role, match
    return None


def _newspaper_metadata(doc: Document, half: list[Block], is_original: bool, edits: list[Edit]) -> list[Block]:
    """The lines that open a newspaper text (title, author, date, page, column) fill the
    header; the rest of the half (its headings and paragraphs) is returned for alignment."""
    consumed = 0
    for block in half:
        found = False
        offset = block.start
        roles = []  # (start, end, role) of each line: what the writer encodes it as
        for line in _text(doc, block).split("\n"):
            stripped = line.strip(SPACE)
            start = offset + len(line) - len(line.lstrip(SPACE))
            end = start + len(stripped)
            offset += len(line) + 1
            key = "original " if is_original else ""
            found_role = _metadata_role(doc, stripped, key)
            roles.append(f"{start}:{end}:{found_role[0] if found_role else 'text'}")
            if found_role is None:
                continue
            found = True
            role, match = found_role
            if role == "title":
                edits.append(Edit(start=start, end=start + match.end(), kind="layout", original=match.group(),
                                  stage="sections", reason="markdown heading marker, layout"))
                doc.metadata.fields.setdefault(key + "title", stripped[match.end():])
            elif role == "date":
                doc.metadata.fields.setdefault("date", stripped)
                doc.metadata.date = doc.metadata.date or stripped
            elif role == "page":
                doc.metadata.fields.setdefault("page", match.group("page"))
                doc.metadata.page = doc.metadata.page or match.group("page")
            elif role == "column":
                doc.metadata.fields.setdefault("column", match.group("column"))
            else:
                doc.metadata.fields.setdefault(key + "author", stripped)
        if not found:
            break
        block.kind = "meta"
        block.attrs["roles"] = ";".join(roles)
        consumed += 1
    return [b for b in half[consumed:] if b.kind in ("p", "head")]
