"""The only place that knows TEI: render a :class:`Document` as a TEI P5 edition.

Every source character is written exactly once, in source order: block text as text,
each edit as the element that says what was done to it (``choice``, ``fw``, ``unclear``…),
line breaks inside a block as ``<lb/>``; the header is :mod:`pipeline.tei.header`'s.
:mod:`pipeline.tei.reader` is the inverse.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import re
from dataclasses import replace

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.tei.history import PreviousEdition
from pipeline.hyphens import LINE_END_HYPHENS
from pipeline.edits import edits_per_block
from pipeline.kinds import (BY_NAME, CONTAINER_KINDS, FW_TYPES, PAGE_FURNITURE, PAGE_TURN_FURNITURE, READING_KINDS,
                            category_id)
from pipeline.model import Block, Division, Document, Edit
from pipeline.tei import facsimile
from pipeline.tei.divisions import SUPPLIED_REASON, division_starts, section_lang
from pipeline.tei.header import build_header
from pipeline.tei import TEI_NS, XML_ID, XML_LANG, char_id, last_child, local_name, tei
from pipeline.tei import sub as _sub  # short: the writer adds elements on almost every line
from pipeline.stages.textfix import XML_ILLEGAL

STRUCTURAL = {
    "TEI", "teiHeader", "standOff", "interpGrp", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "sourceDesc",
    "biblStruct", "monogr", "imprint", "availability", "licence", "series", "msDesc", "msIdentifier",
    "bibl", "encodingDesc", "appInfo", "application", "editorialDecl", "correction",
    "normalization", "hyphenation", "segmentation", "interpretation", "classDecl", "taxonomy",
    "category", "charDecl", "char", "profileDesc", "langUsage", "revisionDesc", "text",
    "front", "body", "back", "div", "titlePage", "docTitle", "list", "opener", "facsimile", "surface",
}


def _certainty(confidence: float) -> str:
    return "high" if confidence >= 0.9 else "medium" if confidence >= 0.6 else "low"


@functools.lru_cache(maxsize=4096)  # an edition names a few reasons thousands of times
def reason_id(reason: str) -> str:
    """A stable xml:id for an edit's reason (a hash of its words)."""
    return "reason-" + hashlib.sha1(reason.encode()).hexdigest()[:10]


def analysis(edit: Edit) -> str:
    """@ana of an intervention: its category in the header's closed taxonomy, and its own
    reason among the edition's reasons (standOff)."""
    return f"#{category_id(edit.kind)} #{reason_id(edit.reason)}"


_LINE_BREAKS = re.compile(r"\n(?:[ \t\u3000]*\n)*")


LB = tei("lb")


class _Text:
    """Appends source text to an element, line breaks as ``<lb/>``; where the text is at
    ``offset`` of the source and a page image's line begins, the ``lb`` points to its zone."""

    @staticmethod
    def append(parent: etree._Element, text: str, offset: int | None = None) -> None:
        if not text:
            return
        if offset is None or facsimile.current.get() is None:  # no line can point to a zone
            _Text._append_lines(parent, text)
            return
        if zone := facsimile.line_zone(offset):
            _sub(parent, "lb", facs=zone)
        position = 0
        # A blank line inside a block (a heading joined over two lines) is one break, not two.
        for match in _LINE_BREAKS.finditer(text):
            _Text._append_plain(parent, text[position:match.start()])
            _sub(parent, "lb", facs=facsimile.line_zone(offset + match.end()))
            position = match.end()
        _Text._append_plain(parent, text[position:])

    @staticmethod
    def _append_lines(parent: etree._Element, text: str) -> None:
        """What append() writes when no lb points to a zone: each line after an lb, as its tail."""
        if XML_ILLEGAL.search(text):  # the line breaks are legal: the lines are if the text is
            raise ValueError("XML-illegal character outside an edit")  # ingest records them all
        if "\n" not in text:  # one line: nothing to split
            _Text._append_legal(parent, text)
            return
        first, *lines = _LINE_BREAKS.split(text)
        if first:
            _Text._append_legal(parent, first)
        for line in lines:
            lb = etree.SubElement(parent, LB)
            if line:
                lb.tail = line

    @staticmethod
    def _append_plain(parent: etree._Element, text: str) -> None:
        if not text:
            return
        if XML_ILLEGAL.search(text):
            raise ValueError("XML-illegal character outside an edit")  # ingest records them all
        _Text._append_legal(parent, text)

    @staticmethod
    def _append_legal(parent: etree._Element, text: str) -> None:
        if (last := last_child(parent)) is not None:
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text


def _illegal_chars_as_g(parent: etree._Element, text: str) -> None:
    if not XML_ILLEGAL.search(text):  # nearly always: nothing to stand in for
        _Text.append(parent, text)
        return
    position = 0
    for match in XML_ILLEGAL.finditer(text):
        _Text.append(parent, text[position:match.start()])
        _sub(parent, "g", ref=f"#{char_id(match.group())}")
        position = match.end()
    _Text.append(parent, text[position:])


@functools.lru_cache(maxsize=1024)
def _choice(kind: str, ana: str, original: str, replacement: str | None, cert: str) -> etree._Element:
    """The ``choice`` of a reading edit: what it holds is the edit's alone (no line of a page
    image is pointed to inside it), and an edition repeats the same few (a hyphen, a double
    space) hundreds of times: each built once, then copied."""
    choice = etree.Element(tei("choice"), nsmap={None: TEI_NS})
    choice.set("ana", ana)
    _illegal_chars_as_g(_sub(choice, BY_NAME[kind].source_reading), original)
    _sub(choice, BY_NAME[kind].edited_reading, replacement or None, cert=cert)
    return choice


def _render_edit(parent: etree._Element, edit: Edit) -> None:
    ana = analysis(edit)
    if BY_NAME[edit.kind].element != "fw" and edit.end > edit.start and (zone := facsimile.line_zone(edit.start)):
        _sub(parent, "lb", facs=zone)  # the line begins with this edit: its lb comes first (an fw points itself)
    if edit.kind in READING_KINDS:
        parent.append(copy.copy(_choice(edit.kind, ana, edit.original, edit.replacement,  # lxml copies it whole
                                        _certainty(edit.confidence))))
    elif edit.kind in FW_TYPES:
        margin = facsimile.margin_zone(edit.start) if BY_NAME[edit.kind].beside_line else None
        if margin and (zone := facsimile.line_zone(edit.start)):  # a line number in the margin: its own zone
            _sub(parent, "lb", facs=zone)
        fw = _sub(parent, "fw", type=FW_TYPES[edit.kind], ana=ana, **edit.attrs,
                  facs=margin or facsimile.line_zone(edit.start))
        _Text.append(fw, edit.original, edit.start)
    elif edit.kind == "page-break":
        _sub(parent, "pb", ana=ana, **edit.attrs, facs=facsimile.page_surface(edit.start))
    elif edit.kind == "column-break":
        _sub(parent, "cb", ana=ana, **edit.attrs)
    elif edit.kind == "omission":
        gap = _sub(parent, "gap", reason="omitted", ana=ana)
        _sub(gap, "desc", edit.original)  # the source's own mark, so that it rebuilds
    elif edit.kind == "note-anchor" and "id" in edit.attrs:  # a printed note's mark: its own reading
        ref = _sub(parent, "ref", type="noteAnchor", target=f"#fn{edit.attrs['id']}", ana=ana,
                   **{XML_ID: f"fnref{edit.attrs['id']}"})
        _Text.append(ref, edit.original, edit.start)
    elif edit.kind == "note-anchor":
        ref = _sub(parent, "ref", type="noteAnchor", target=f"#fn{edit.attrs['n']}", ana=ana,
                   **{XML_ID: f"fnref{edit.attrs['n']}"})
        choice = _sub(ref, "choice")  # the export's syntax for the rebuild, the number for the reader
        _Text.append(_sub(choice, "orig"), edit.original)
        _sub(choice, "reg", edit.attrs["n"])
    elif edit.kind == "flag":
        flagged = _sub(parent, "unclear", reason=edit.attrs.get("reason", "flagged"), cert=_certainty(edit.confidence),
                       ana=ana)
        _Text.append(flagged, edit.original, edit.start)
    elif edit.kind == "layout":
        fw = _sub(parent, "fw", type=edit.attrs.get("type", "layout"), ana=ana, facs=facsimile.line_zone(edit.start))
        _Text.append(fw, edit.original, edit.start)
    elif edit.kind == "paragraph-join":  # the blank line is one line break of the paragraph
        _sub(parent, "lb", ana=ana)
    elif edit.kind == "truncation":
        _sub(parent, "gap", reason="truncated", ana=ana)
    elif edit.kind == "missing-page":  # the page's break, to its own surface, and a gap for its text
        surface = edit.attrs.get("surface")
        pb = _sub(parent, "pb", n=edit.attrs.get("n"),
                  facs=f"#{facsimile.surface_id(int(surface))}" if surface else None)
        if edit.attrs.get("reason") == "blank":  # nothing is missing: the page is blank as printed
            pb.set("ana", ana)
        else:
            _sub(parent, "gap", reason=edit.attrs.get("reason", "missing"), ana=ana)
    elif edit.kind == "garbled":
        unclear = _sub(parent, "unclear", reason="garbled", cert=_certainty(edit.confidence), ana=ana)
        _Text.append(unclear, edit.original, edit.start)
    else:
        raise ValueError(f"no TEI rendering for edit kind {edit.kind!r}")


# What a block of page layout (a milestone) may hold; anything else makes it a paragraph.
MILESTONE_KINDS = PAGE_FURNITURE | {"layout"}


_HYPHENS = re.compile(f"[{re.escape(LINE_END_HYPHENS)}]")


def _render_block_content(element: etree._Element, doc: Document, block: Block, edits: list[Edit],
                          start: int | None = None, end: int | None = None, shared: bool = False) -> None:
    """The block's text (or the part ``[start, end)`` of it) with its edits; the whitespace
    around page furniture is where the page turned (blank lines, not line breaks of the
    text) and is not kept as lb. ``shared``: ``element`` holds other blocks' text too."""
    whole = start is None and end is None
    start = block.start if start is None else start
    end = block.end if end is None else end
    if whole and not edits and not shared and facsimile.current.get() is None:
        _render_plain_block(element, doc.text[start:end])
    else:
        _render_span(element, doc, start, end, [e for e in edits if start <= e.start and e.end <= end])
    if shared or _may_break_words(doc, block, edits, whole):
        _mark_word_breaks(element)


def _render_plain_block(element: etree._Element, text: str) -> None:
    """What _render_span writes of a block without edits, no line of a page image beginning in it."""
    if text:
        _Text._append_lines(element, text)


_HYPHEN_AT_LINE_END = re.compile(r"-[ \t]*\n")


def _may_break_words(doc: Document, block: Block, edits: list[Edit], whole: bool) -> bool:
    """Whether a line or page break in the block's own element may be inside a word: the
    search _mark_word_breaks makes, skipped where its answer cannot be yes."""
    if whole and not edits:
        # A block without edits, written whole: its breaks are its line breaks alone (lb), each
        # after a line of its text, so one is break="no" only after a line ending in "-".
        return _HYPHEN_AT_LINE_END.search(doc.text, block.start, block.end) is not None
    # A break is inside a word only after a hyphen of the source; the block's own element
    # holds the source of the block's span alone (and replacements, which hold no break).
    return _HYPHENS.search(doc.text, block.start, block.end) is not None


def _roles(block: Block) -> list[tuple[int, int, str]]:
    return [(int(start), int(end), role) for start, end, role in
            (item.split(":") for item in block.attrs["roles"].split(";"))]


def _lines_hold_their_edits(block: Block, edits: list[Edit]) -> bool:
    """Every edit lies inside one line (else the block is written whole, as a paragraph)."""
    return all(any(start <= e.start and e.end <= end for start, end, _ in _roles(block)) for e in edits)


def _render_opener(opener: etree._Element, doc: Document, block: Block, edits: list[Edit]) -> None:
    """The opening lines of a text, each as what it is: its title, byline, dateline (with the
    date in @when), the page label as fw, the column as a note; line breaks kept."""
    for index, (start, end, role) in enumerate(_roles(block)):
        if index:
            _sub(opener, "lb")
        if role == "date":
            child = _sub(_sub(opener, "dateline"), "date", when=doc.text[start:end])
        elif role == "page":
            child = _sub(opener, "fw", type="pageNum")
        elif role == "column":
            child = _sub(opener, "note", type="column")
        elif role in ("title", "byline"):
            child = _sub(opener, role)
        else:
            child = opener
        _render_block_content(child, doc, block, edits, start=start, end=end)


def _render_span(element: etree._Element, doc: Document, position: int, end: int, edits: list[Edit]) -> None:
    previous: Edit | None = None
    index = 0
    while index < len(edits):
        edit = edits[index]
        index += 1
        if edit.start < position:  # its characters are written already: a second time would double them
            raise ValueError(f"edits overlap: {edit.kind} at {edit.start}-{edit.end} begins inside "
                             f"{previous.kind if previous else 'the text'} written up to {position}")
        between, at = doc.text[position:edit.start], position
        if edit.kind in PAGE_TURN_FURNITURE:
            between = between.rstrip()
        if previous is not None and previous.kind in PAGE_TURN_FURNITURE:
            at += len(between) - len(between := between.lstrip())
        _Text.append(element, between, at)
        if edit.kind in CONTAINER_KINDS:
            inner = []
            while index < len(edits) and edits[index].end <= edit.end and edits[index].start >= edit.start \
                    and not _after_container(edits[index], edit):
                inner.append(edits[index])
                index += 1
            _render_container(element, doc, edit, inner)
        else:
            _render_edit(element, edit)
        position, previous = edit.end, edit
    rest = doc.text[position:end]
    if previous is not None and previous.kind in PAGE_TURN_FURNITURE:
        position += len(rest) - len(rest := rest.lstrip())
    _Text.append(element, rest, position)


def _after_container(edit: Edit, container: Edit) -> bool:
    """What stands at a container's end and has no characters of its own (the gap where the
    text breaks off, the breaks of the pages whose text is missing) follows it: it marks the
    source after the doubted word or the note, not what the engine read inside it."""
    return edit.start == edit.end == container.end


def _render_container(parent: etree._Element, doc: Document, edit: Edit, inner: list[Edit]) -> None:
    if edit.kind == "low-confidence":
        if zone := facsimile.line_zone(edit.start):
            _sub(parent, "lb", facs=zone)  # the line begins with the doubted word
        unclear = _sub(parent, "unclear", reason="low-confidence", cert=_certainty(edit.confidence), ana=analysis(edit))
        _render_span(unclear, doc, edit.start, edit.end, inner)
        return
    if edit.kind == "margin-note":  # the note points to its own zone, its line's lb (first) to the line's
        if zone := facsimile.line_zone(edit.start):
            _sub(parent, "lb", facs=zone)
        note = _sub(parent, "note", place="margin", ana=analysis(edit), facs=facsimile.margin_zone(edit.start))
        _render_span(note, doc, edit.start, edit.end, inner)
        return
    if edit.kind != "footnote":
        raise ValueError(f"no container rendering for {edit.kind!r}")
    if "id" in edit.attrs:  # a printed note at a page's foot, where it stands (its mark is its text's)
        target = f"#fnref{edit.attrs['id']}" if edit.attrs.get("anchored") else None
        note = _sub(parent, "note", place="foot", type=edit.attrs.get("type"), n=edit.attrs.get("n"), target=target,
                    ana=analysis(edit),
                    **{XML_ID: f"fn{edit.attrs['id']}"})
    else:  # a word processor's note, tied to its numbered reference
        note = _sub(parent, "note", place="foot", n=edit.attrs["n"], target=f"#fnref{edit.attrs['n']}",
                    ana=analysis(edit), **{XML_ID: f"fn{edit.attrs['n']}"})
    _render_span(note, doc, edit.start, edit.end, inner)


_BREAKS = (tei("lb"), tei("pb"))
_CHOICE, _ORIG = tei("choice"), tei("orig")


def _mark_word_breaks(element: etree._Element) -> None:
    """A line or page break inside a word (after a hyphen, removed or kept) is break="no"."""
    for child in element.iter(*_BREAKS):
        previous = child.getprevious()
        if previous is None:
            before = child.getparent().text or ""
        else:
            before = previous.tail or ""
            if not before.strip():  # the break follows the element: a hyphen it stands for counts
                orig = previous.findtext(_ORIG) if previous.tag == _CHOICE else None
                hyphen = bool(orig) and len(orig) == 1 and orig in LINE_END_HYPHENS
                before = "-" if hyphen else ""
        if "-" not in before:  # what follows asks for one
            continue
        if before.rstrip(" \t").endswith("-") and before.rstrip(" \t")[-2:-1].isalpha() or before == "-":
            child.set("break", "no")


def _body_element(container: etree._Element, block: Block) -> etree._Element:
    if block.kind == "item":  # consecutive items share one list
        last = last_child(container)
        if last is not None and local_name(last) == "list":
            parent = last
        else:
            parent = _sub(container, "list", **({"rend": block.attrs["rend"]} if "rend" in block.attrs else {}))
        return _sub(parent, "item")
    if block.kind == "salute":
        return _sub(_sub(container, "opener"), "salute")
    if block.kind == "byline":
        return _sub(container, "byline")
    if block.kind == "meta" and block.attrs.get("roles"):
        return _sub(container, "opener")  # a text's own opening lines: title, author, date, page, column
    if block.kind == "head" and block.attrs.get("subtitle"):
        return _sub(container, "head", type="sub")
    return _sub(container, block.kind if block.kind in ("head", "p") else "p")


def _only_milestones(doc: Document, block: Block, edits: list[Edit]) -> bool:
    """The block's characters are all its furniture's (whitespace aside): written as milestones
    alone, nothing of the text is lost. Otherwise the block is written as a paragraph."""
    return all(e.kind in MILESTONE_KINDS for e in edits) and _all_in_edits(doc, block, edits)


def _all_in_edits(doc: Document, block: Block, edits: list[Edit]) -> bool:
    """The block's characters (whitespace aside) all lie inside its edits."""
    position = block.start
    for edit in edits:
        if doc.text[position:edit.start].strip():
            return False
        position = max(position, edit.end)
    return not doc.text[position:block.end].strip()


def _render_milestones(container: etree._Element, edits: list[Edit]) -> None:
    for edit in edits:
        _render_edit(container, edit)
        if (last := last_child(container)) is not None:
            last.tail = None


class _BodyBuilder:
    """Nests blocks into ``div``s by heading level, under the divisions of a library's logical
    map where the document has one (a heading found inside nests one level deeper)."""

    def __init__(self, body: etree._Element):
        self.stack: list[tuple[int, etree._Element]] = [(0, body)]
        self.depth = 0  # how deep the library's division now open is

    def open_division(self, depth: int, division: Division) -> None:
        while self.stack[-1][0] >= depth:
            self.stack.pop()
        div = _sub(self.stack[-1][1], "div", type=division.type)
        if division.head:
            _sub(_sub(div, "head"), "supplied", division.head, reason=SUPPLIED_REASON)
        self.stack.append((depth, div))
        self.depth = depth

    def container_for(self, block: Block) -> etree._Element:
        if block.kind == "head" and not block.attrs.get("subtitle"):
            level = self.depth + block.level
            while self.stack[-1][0] >= level:
                self.stack.pop()
            div = _sub(self.stack[-1][1], "div")
            self.stack.append((level, div))
            return div
        return self.stack[-1][1]


class _FrontBuilder:
    """The front matter: metadata lines, title page, page furniture, table of contents."""

    def __init__(self, text: etree._Element):
        self.text = text
        self.front: etree._Element | None = None
        self.sections: dict[str, etree._Element] = {}
        self.lists: list[tuple[int, etree._Element]] = []

    def _front(self) -> etree._Element:
        if self.front is None:
            self.front = etree.Element(tei("front"))
            self.text.insert(0, self.front)
        return self.front

    def _section(self, key: str, make) -> etree._Element:
        """The front's section ``key``; one that something else followed (page furniture, another
        section) opens anew, so that the front keeps the source's order."""
        section = self.sections.get(key)
        if section is None or last_child(self._front()) is not section:
            section = self.sections[key] = make(self._front())
            if key == "contents":
                self.lists = []
        return section

    def element_for(self, block: Block) -> etree._Element | None:
        """The element the block's content goes into (None: straight into the front)."""
        if block.kind == "meta":
            return _sub(self._section("metadata", lambda f: _sub(f, "div", type="metadata")), "p")
        if block.kind in ("doc-title", "doc-author"):
            page = self._section("titlePage", lambda f: _sub(f, "titlePage"))
            if block.kind == "doc-author":
                return _sub(page, "docAuthor")
            return _sub(_sub(page, "docTitle"), "titlePart", type="main")
        if block.kind == "toc-head":
            return _sub(self._section("contents", lambda f: _sub(f, "div", type="contents")), "head")
        if block.kind == "toc-item":
            return _sub(self._list_for(block.level), "item")
        if block.kind == "milestone":
            return None
        return _sub(self._section("other", lambda f: _sub(f, "div", type="frontmatter")), "p")

    def container(self) -> etree._Element:
        """Where page furniture between front blocks goes: the front, or the table of contents
        when it falls between the contents' title and its list."""
        front = self._front()
        last = last_child(front)
        if last is not None and last is self.sections.get("contents") and last.find(tei("list")) is None:
            return last
        return front

    def _list_for(self, level: int) -> etree._Element:
        contents = self._section("contents", lambda f: _sub(f, "div", type="contents"))
        if not self.lists:
            self.lists.append((level, _sub(contents, "list")))
        while len(self.lists) > 1 and self.lists[-1][0] > level:
            self.lists.pop()
        top_level, top = self.lists[-1]
        if level > top_level and (last := last_child(top)) is not None:
            nested = _sub(last, "list")
            self.lists.append((level, nested))
            return nested
        return top


def build_tei(doc: Document, config: PipelineConfig, previous: PreviousEdition | None = None,
              facsimile_base: str = "") -> etree._ElementTree:
    """The edition of ``doc``; ``previous``, the edition it replaces, lends its history;
    ``facsimile_base``: the source's folder seen from the edition's (page images' URLs)."""
    token = facsimile.current.set(facsimile.FacsimileLinks(doc) if doc.facsimile else None)
    try:
        return _build_tei(doc, config, previous, facsimile_base)
    finally:
        facsimile.current.reset(token)


def _build_tei(doc: Document, config: PipelineConfig, previous: PreviousEdition | None,
               facsimile_base: str) -> etree._ElementTree:
    edits_by_block = _assign_edits(doc)
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(XML_LANG, "en")
    build_header(_sub(root, "teiHeader"), doc, config, previous)
    _build_reasons(root, doc)
    if doc.facsimile:
        facsimile.build_facsimile(root, doc, facsimile_base)
    indented = _indent_structure(list(root))
    text = _sub(root, "text")
    text.set(XML_LANG, doc.lang or "und")
    body = _sub(text, "body")
    front = _FrontBuilder(text)
    builders = {"body": _BodyBuilder(body)}
    aligned: dict[str, list[etree._Element]] = {}
    divisions = division_starts(doc)
    for index, block in enumerate(doc.blocks, start=1):
        edits = edits_by_block[index - 1]
        for depth, division in divisions.get(index - 1, ()):
            builders["body"].open_division(depth, division)
        if block.part == "front":
            element = front.element_for(block)
            if element is None and _only_milestones(doc, block, edits):
                _render_milestones(front.container(), edits)
                continue
            if element is None:  # furniture whose edits another stage refused: text after all
                element = front.element_for(replace(block, kind="p"))
        else:
            key = block.attrs.get("section") or block.part
            if key not in builders:
                if key == "back":  # the host site's boilerplate: kept, out of the work
                    builders[key] = _BodyBuilder(_sub(_sub(text, "back"), "div", type="boilerplate"))
                else:  # one version of a bilingual text
                    section = _sub(body, "div", type=key)
                    section.set(XML_LANG, section_lang(doc, key))
                    builders[key] = _BodyBuilder(section)
            container = body if block.attrs.get("between") else builders[key].container_for(block)
            if block.kind == "milestone" and _only_milestones(doc, block, edits):
                _render_milestones(container, edits)  # pb and fw between paragraphs: straight into the div
                continue
            # notes at a page's foot between paragraphs: the note straight into the div; text
            # outside every note (one whose edit was refused) is a paragraph's, as a div holds no text
            if block.kind == "note" and _all_in_edits(doc, block, edits):
                _render_block_content(container, doc, block, edits, shared=True)
                continue
            element = _body_element(container, block)
        element.set(XML_ID, f"b{index}")
        if block.attrs.get("n") and block.kind == "p":
            element.set("n", block.attrs["n"])
        if "align" in block.attrs:
            aligned.setdefault(block.attrs["align"], []).append(element)
        if block.lang and block.lang != doc.lang:
            element.set(XML_LANG, block.lang)
        if block.kind == "toc-item" and "page_start" in block.attrs:
            page_start = int(block.attrs["page_start"])
            _render_block_content(element, doc, block, edits, end=page_start)
            ref = _sub(element, "ref", n=block.attrs.get("n"))
            _render_block_content(ref, doc, block, edits, start=page_start)
        elif block.attrs.get("roles") and _lines_hold_their_edits(block, edits):
            _render_opener(element, doc, block, edits)
        else:
            _render_block_content(element, doc, block, edits)
    for pair in aligned.values():  # translation and original point to each other
        if len(pair) == 2:
            pair[0].set("corresp", "#" + pair[1].get(XML_ID))
            pair[1].set("corresp", "#" + pair[0].get(XML_ID))
    if not len(body):
        _sub(body, "p")  # an empty source still gives a valid edition
    indent(root, indented=indented)
    return etree.ElementTree(root)


def _assign_edits(doc: Document) -> list[list[Edit]]:
    """The edits inside each block; an edit outside every block would be lost, and blocks that
    overlap would write their shared characters twice: either is a bug."""
    for before, after in zip(doc.blocks, doc.blocks[1:]):
        if after.start < before.end:
            raise ValueError(f"blocks overlap: {before.kind} at {before.start}-{before.end} and "
                             f"{after.kind} at {after.start}-{after.end}")
    per_block = edits_per_block(doc)
    if sum(map(len, per_block)) != len(doc.edits):
        placed = {id(e) for block in per_block for e in block}
        lost = next(e for e in doc.edits if id(e) not in placed)
        raise ValueError(f"edit outside every block: {lost.kind} at {lost.start}-{lost.end}")
    return per_block


def _build_reasons(root: etree._Element, doc: Document) -> None:
    """Each distinct reason the edits give, once, for @ana to point to beside the category."""
    reasons = sorted({edit.reason for edit in doc.edits})
    if reasons:
        group = _sub(_sub(root, "standOff"), "interpGrp", type="reasons")
        for reason in reasons:
            _sub(group, "interp", reason, **{XML_ID: reason_id(reason)})


STRUCTURAL_TAGS = frozenset(tei(name) for name in STRUCTURAL)


def indent(element: etree._Element, depth: int = 0, indented: frozenset[etree._Element] = frozenset()) -> None:
    """Indent structural elements only: whitespace inside text-bearing elements is content.
    The children ``indented`` are indented already."""
    if element.tag not in STRUCTURAL_TAGS or not len(element):
        return
    pad = "\n" + "  " * (depth + 1)
    text = element.text
    if text is None or not text.strip():
        element.text = pad
    for child in element:
        if child.tag in STRUCTURAL_TAGS and child not in indented:  # what indent() would leave as it is, not called
            indent(child, depth + 1)
        tail = child.tail
        if tail is None or not tail.strip():
            child.tail = pad
    last = element[-1]
    if last.tail is None or not last.tail.strip():  # text there is the source's: never overwritten
        last.tail = "\n" + "  " * depth


def _indent_structure(parts: list[etree._Element]) -> frozenset[etree._Element]:
    """Indent the header, the reasons and the facsimile (the root's children so far), in C: there
    every element holding elements is structural and no text or tail is set before, so lxml's
    indent(), which pads every element holding elements, writes what indent() writes."""
    for part in parts:
        etree.indent(part, level=1)
    return frozenset(parts)


def serialize(tree: etree._ElementTree) -> bytes:
    """The edition as UTF-8 bytes with an XML declaration."""
    # Into one growing buffer: tostring() and a concatenation would hold the edition three times.
    buffer = io.BytesIO()
    tree.write(buffer, xml_declaration=True, encoding="UTF-8")
    buffer.write(b"\n")
    return buffer.getvalue()
