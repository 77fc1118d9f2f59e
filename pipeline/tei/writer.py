"""The only place that knows TEI: render a :class:`Document` as a TEI P5 edition.

Every source character is written exactly once, in source order: block text as text,
each edit as the element that says what was done to it (``choice``, ``fw``, ``unclear``…),
line breaks inside a block as ``<lb/>``. :mod:`pipeline.tei.reader` is the inverse.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import replace

from lxml import etree

from pipeline import PIPELINE_NAME, __version__
from pipeline.config import PipelineConfig
from pipeline.tei.history import PreviousEdition
from pipeline.stages.language import LANGUAGE_NAMES
from pipeline.hyphens import LINE_END_HYPHENS
from pipeline.edits import edits_per_block
from pipeline.kinds import (BY_NAME, CONTAINER_KINDS, FW_TYPES, PAGE_FURNITURE, PAGE_TURN_FURNITURE, READING_KINDS,
                            REGULARIZATION_GROUPS, category_id, normalization_group)
from pipeline.model import Block, Division, Document, Edit
from pipeline.tei import facsimile, library
from pipeline.tei.divisions import SUPPLIED_REASON, division_starts
from pipeline.tei import TEI_NS, XML_ID, XML_LANG, char_id, last_child, local_name, tei
from pipeline.ingest.textfix import XML_ILLEGAL, undecodable_byte

STRUCTURAL = {
    "TEI", "teiHeader", "standOff", "interpGrp", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "sourceDesc",
    "biblStruct", "monogr", "imprint", "availability", "licence", "series", "msDesc", "msIdentifier",
    "bibl", "encodingDesc", "appInfo", "application", "editorialDecl", "correction",
    "normalization", "hyphenation", "segmentation", "interpretation", "classDecl", "taxonomy",
    "category", "charDecl", "char", "profileDesc", "langUsage", "revisionDesc", "text",
    "front", "body", "back", "div", "titlePage", "docTitle", "list", "opener", "facsimile", "surface",
}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tei(tag), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        # Header values derived from the source (a title line with a stray control character)
        # drop what XML cannot carry; the body keeps it, recorded, as <g>.
        element.text = XML_ILLEGAL.sub("", text)
    return element


def _certainty(confidence: float) -> str:
    return "high" if confidence >= 0.9 else "medium" if confidence >= 0.6 else "low"


def reason_id(reason: str) -> str:
    return "reason-" + hashlib.sha1(reason.encode()).hexdigest()[:10]


def analysis(edit: Edit) -> str:
    """@ana of an intervention: its category in the header's closed taxonomy, and its own
    reason among the edition's reasons (standOff)."""
    return f"#{category_id(edit.kind)} #{reason_id(edit.reason)}"


_LINE_BREAKS = re.compile(r"\n(?:[ \t\u3000]*\n)*")


class _Text:
    """Appends source text to an element, line breaks as ``<lb/>``; where the text is at
    ``offset`` of the source and a page image's line begins, the ``lb`` points to its zone."""

    @staticmethod
    def append(parent: etree._Element, text: str, offset: int | None = None) -> None:
        if text and (zone := facsimile.line_zone(offset)):
            _sub(parent, "lb", facs=zone)
        position = 0
        # A blank line inside a block (a heading joined over two lines) is one break, not two.
        for match in _LINE_BREAKS.finditer(text):
            _Text._append_plain(parent, text[position:match.start()])
            _sub(parent, "lb", facs=facsimile.line_zone(None if offset is None else offset + match.end()))
            position = match.end()
        _Text._append_plain(parent, text[position:])

    @staticmethod
    def _append_plain(parent: etree._Element, text: str) -> None:
        if not text:
            return
        if XML_ILLEGAL.search(text):
            raise ValueError("XML-illegal character outside an edit")  # ingest records them all
        if (last := last_child(parent)) is not None:
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text


def _illegal_chars_as_g(parent: etree._Element, text: str) -> None:
    position = 0
    for match in XML_ILLEGAL.finditer(text):
        _Text.append(parent, text[position:match.start()])
        _sub(parent, "g", ref=f"#{char_id(match.group())}")
        position = match.end()
    _Text.append(parent, text[position:])


def _render_edit(parent: etree._Element, edit: Edit) -> None:
    ana = analysis(edit)
    if BY_NAME[edit.kind].element != "fw" and edit.end > edit.start and (zone := facsimile.line_zone(edit.start)):
        _sub(parent, "lb", facs=zone)  # the line begins with this edit: its lb comes first (an fw points itself)
    if edit.kind in READING_KINDS:
        source_tag, target_tag = BY_NAME[edit.kind].source_reading, BY_NAME[edit.kind].edited_reading
        choice = _sub(parent, "choice", ana=ana)
        _illegal_chars_as_g(_sub(choice, source_tag), edit.original)
        _sub(choice, target_tag, edit.replacement or None, cert=_certainty(edit.confidence))
    elif edit.kind in FW_TYPES:
        fw = _sub(parent, "fw", type=FW_TYPES[edit.kind], ana=ana, **edit.attrs,
                  facs=facsimile.line_zone(edit.start))
        _Text.append(fw, edit.original, edit.start)
    elif edit.kind == "page-break":
        _sub(parent, "pb", ana=ana, **edit.attrs, facs=facsimile.page_surface(edit.start))
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
    elif edit.kind == "garbled":
        unclear = _sub(parent, "unclear", reason="garbled", cert=_certainty(edit.confidence), ana=ana)
        _Text.append(unclear, edit.original, edit.start)
    else:
        raise ValueError(f"no TEI rendering for edit kind {edit.kind!r}")


# What a block of page layout (a milestone) may hold; anything else makes it a paragraph.
MILESTONE_KINDS = PAGE_FURNITURE | {"layout"}


def _render_block_content(element: etree._Element, doc: Document, block: Block, edits: list[Edit],
                          start: int | None = None, end: int | None = None) -> None:
    """The block's text (or the part ``[start, end)`` of it) with its edits; the whitespace
    around page furniture is where the page turned (blank lines, not line breaks of the
    text) and is not kept as lb."""
    start = block.start if start is None else start
    end = block.end if end is None else end
    _render_span(element, doc, start, end, [e for e in edits if start <= e.start and e.end <= end])
    _mark_word_breaks(element)


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
    """Where the text breaks off at a doubted word's end, the gap follows the word: it marks
    the source, not what the engine read."""
    return edit.kind == "truncation" and edit.start == container.end


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


def _mark_word_breaks(element: etree._Element) -> None:
    """A line or page break inside a word (after a hyphen, removed or kept) is break="no"."""
    for child in element.iter(tei("lb"), tei("pb")):
        previous = child.getprevious()
        if previous is not None and (previous.tail or "").strip():
            before = previous.tail
        elif previous is not None:
            orig = previous.findtext(tei("orig")) if local_name(previous) == "choice" else None
            hyphen = bool(orig) and len(orig) == 1 and orig in LINE_END_HYPHENS
            before = "-" if hyphen else ""
        else:
            before = child.getparent().text or ""
        if before.rstrip(" \t").endswith("-") and before.rstrip(" \t")[-2:-1].isalpha() or before == "-":
            child.set("break", "no")


def _section_lang(doc: Document, section: str) -> str:
    sizes: dict[str, int] = {}
    for block in doc.blocks:
        if block.attrs.get("section") == section and block.lang:
            sizes[block.lang] = sizes.get(block.lang, 0) + block.end - block.start
    return max(sizes, key=sizes.get) if sizes else (doc.lang or "und")


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
        if key not in self.sections:
            self.sections[key] = make(self._front())
        return self.sections[key]

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
        return self._front()

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
    _build_header(_sub(root, "teiHeader"), doc, config, previous)
    _build_reasons(root, doc)
    if doc.facsimile:
        facsimile.build_facsimile(root, doc, facsimile_base)
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
            if element is None and all(e.kind in MILESTONE_KINDS for e in edits):
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
                    section.set(XML_LANG, _section_lang(doc, key))
                    builders[key] = _BodyBuilder(section)
            container = body if block.attrs.get("between") else builders[key].container_for(block)
            if block.kind == "milestone" and all(e.kind in MILESTONE_KINDS for e in edits):
                _render_milestones(container, edits)  # pb and fw between paragraphs: straight into the div
                continue
            if block.kind == "note":  # notes at a page's foot between paragraphs: the note straight into the div
                _render_block_content(container, doc, block, edits)
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
    indent(root)
    return etree.ElementTree(root)


def _assign_edits(doc: Document) -> list[list[Edit]]:
    """The edits inside each block; an edit outside every block would be lost, so it is a bug."""
    per_block = edits_per_block(doc)
    if sum(map(len, per_block)) != len(doc.edits):
        placed = {id(e) for block in per_block for e in block}
        lost = next(e for e in doc.edits if id(e) not in placed)
        raise ValueError(f"edit outside every block: {lost.kind} at {lost.start}-{lost.end}")
    return per_block


def _build_header(header: etree._Element, doc: Document, config: PipelineConfig,
                  previous: PreviousEdition | None) -> None:
    meta, source = doc.metadata, doc.source
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    if doc.library and doc.library.title:  # a library package: its MODS record names the book
        library.title_statement(title_stmt, doc.library)
    elif meta.title or meta.file_title:
        _sub(title_stmt, "title", meta.title or meta.file_title)
    else:  # the last resort, said as such
        named = "the folder's name (its pages show no title)" if source.folder \
            else "the file's name (it shows no title)"
        _sub(title_stmt, "title", f"{source.file_name}: {named}", type="desc")
    if meta.author and not (doc.library and doc.library.title):
        _sub(title_stmt, "author", meta.author)
    resp = _sub(title_stmt, "respStmt")
    _sub(resp, "resp", "Automatic cleanup and TEI encoding")
    _sub(resp, "name", f"{PIPELINE_NAME} {__version__}", **{XML_ID: "pipeline"})
    _sub(_sub(file_desc, "publicationStmt"), "p",
         f"Unpublished digital edition generated by {PIPELINE_NAME} from the source file named below.")
    source_desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(source_desc, "bibl")
    if meta.title or meta.file_title:
        _sub(bibl, "title", meta.title or meta.file_title)
    if meta.author:
        _sub(bibl, "author", meta.author)
    if meta.date:
        _sub(bibl, "date", meta.date, when=meta.date)
    if "original title" in meta.fields:
        _sub(bibl, "title", meta.fields["original title"], type="original",
             **{XML_LANG: _section_lang(doc, "original")})
    if "original author" in meta.fields:
        _sub(bibl, "author", meta.fields["original author"], **{XML_LANG: _section_lang(doc, "original")})
    if meta.page:
        _sub(bibl, "biblScope", meta.page, unit="page")
    if "column" in meta.fields:
        _sub(bibl, "biblScope", meta.fields["column"], unit="column")
    if "publisher" in meta.fields:
        _sub(bibl, "publisher", meta.fields["publisher"])
    if "published" in meta.fields and not meta.date:
        _sub(bibl, "date", meta.fields["published"], when=meta.fields["published"])
    _sub(bibl, "idno", source.file_name, type="filename")
    _sub(bibl, "idno", source.sha256, type="sha256")
    for catalogue in dict.fromkeys(e.original.strip() for e in doc.edits if e.kind == "catalogue-number"):
        _sub(bibl, "idno", catalogue, type="catalogue")
    guess = source.encoding
    runner_up = (f"runner-up {guess.runner_up} ({guess.runner_up_confidence:.2f})"
                 if guess.runner_up else "no runner-up")
    if doc.provenance:  # a digitized source: pages, files, engines and models
        _sub(bibl, "note", doc.provenance, type="digitization")
    else:
        _sub(bibl, "note",
             f"{source.size} bytes, decoded as {guess.encoding}{' with byte-order mark' if guess.bom else ''} "
             f"(confidence {guess.confidence:.2f}; {runner_up}).", type="encoding")
    if "classification" in meta.fields:
        classification = _sub(bibl, "note", type="classification")
        classification.text = f"Security classification: {meta.fields['classification']}"
    if "source site" in meta.fields:
        publisher = (f" ({meta.fields['publisher']}, {meta.fields.get('published', 'undated')})"
                     if "publisher" in meta.fields else "")
        _sub(bibl, "note", f"Published on the web by {meta.fields['source site']}" + publisher
             + "; the host site's boilerplate is kept in back/div[@type='boilerplate'].", type="source")
    if doc.library:
        library.source_description(source_desc, doc.library)

    _build_encoding_desc(_sub(header, "encodingDesc"), doc, config)

    lang_usage = _sub(_sub(header, "profileDesc"), "langUsage")
    for share in doc.languages or []:
        _sub(lang_usage, "language", LANGUAGE_NAMES.get(share.tag, share.tag),
             ident=share.tag, usage=str(share.percent))
    if not len(lang_usage):
        _sub(lang_usage, "language", "undetermined", ident="und", usage="100")

    counts = doc.edit_counts()
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no interventions"
    revisions = _sub(header, "revisionDesc")
    earlier = previous.changes if previous else []
    for n, change in enumerate(earlier, start=1):  # the history of the edition this one replaces
        _sub(revisions, "change", change, n=str(n))
    if previous is not None and previous.same_build(source.sha256, config.fingerprint()):
        return  # the same bytes, the same build: a resumed run, not a revision
    if previous is None or previous.unreadable:
        text = f"Edition generated from source SHA-256 {source.sha256[:16]}… by {PIPELINE_NAME} {__version__} "
        if previous is not None:
            text += f"(the edition it replaces could not be read: {previous.unreadable}; its history is lost) "
    else:
        what = ("source changed: SHA-256 " + f"{(previous.sha256 or '?')[:16]}… → {source.sha256[:16]}…"
                if previous.sha256 != source.sha256 else f"source unchanged (SHA-256 {source.sha256[:16]}…)")
        text = (f"Re-processed ({what}) by {PIPELINE_NAME} {__version__}; interventions "
                f"{previous.interventions} → {sum(counts.values())} ")
    _sub(revisions, "change", text + f"(configuration {config.fingerprint()}): {summary}.", n=str(len(earlier) + 1))


def _build_encoding_desc(encoding_desc: etree._Element, doc: Document, config: PipelineConfig) -> None:
    app = _sub(_sub(encoding_desc, "appInfo"), "application", ident=PIPELINE_NAME, version=__version__)
    _sub(app, "label", PIPELINE_NAME)
    _sub(app, "desc", f"Configuration fingerprint {config.fingerprint()}: {config.model_dump_json()}")

    counts = doc.edit_counts()
    by_stage = Counter((e.stage, e.kind) for e in doc.edits)
    decl = _sub(encoding_desc, "editorialDecl")
    _sub(_sub(decl, "correction", method="markup"), "p",
         f"Corrections are encoded as choice/sic+corr with the reason in @ana and the certainty in "
         f"@cert: {by_stage['mojibake', 'correction']} characters of Chinese mojibake repaired, "
         f"{by_stage['ftfy', 'correction']} character repairs by ftfy (scholarly configuration), "
         f"{by_stage['script', 'correction']} characters of the other Chinese script corrected, "
         f"{counts.get('illegal-character', 0)} characters XML cannot carry or bytes that did not decode "
         "(kept as g, declared in charDecl).")
    standard = {"tw": "the Taiwan standard (OpenCC TWVariants)", "hk": "the Hong Kong standard (OpenCC HKVariants)",
                "none": "no standard (variants left as printed)"}[config.script_standard]
    _sub(_sub(decl, "normalization", method="markup"), "p", _normalization_statement(doc, standard))
    _sub(_sub(decl, "hyphenation", eol="all"), "p", _hyphenation_statement(counts.get("hyphenation", 0)))
    _sub(_sub(decl, "segmentation"), "p",
         f"{len(doc.blocks)} blocks from blank lines, indentation and line shape; whitespace "
         "around blocks is layout and is not kept.")
    _sub(_sub(decl, "interpretation"), "p",
         "Languages per block from script (OpenCC tables for Chinese script) and seeded langdetect.")

    present = {edit.kind for edit in doc.edits}
    kinds = [kind for kind in BY_NAME if kind in present]
    if kinds:  # the closed set of categories; each edit's own reason is in standOff
        taxonomy = _sub(_sub(encoding_desc, "classDecl"), "taxonomy", **{XML_ID: "interventions"})
        for kind in kinds:
            _sub(_sub(taxonomy, "category", **{XML_ID: category_id(kind)}), "catDesc", BY_NAME[kind].description)
    illegal = sorted({ch for e in doc.edits for ch in XML_ILLEGAL.findall(e.original)})
    if illegal:
        char_decl = _sub(encoding_desc, "charDecl")
        for ch in illegal:
            char = _sub(char_decl, "char", **{XML_ID: char_id(ch)})
            byte = undecodable_byte(ch)
            name = f"UNDECODABLE BYTE 0x{byte:02X}" if byte is not None else unicodedata.name(
                ch, f"CONTROL CHARACTER U+{ord(ch):04X}")
            _sub(char, "charName", name)
            _sub(char, "mapping", f"U+{ord(ch):04X}", type="standard")


def _build_reasons(root: etree._Element, doc: Document) -> None:
    """Each distinct reason the edits give, once, for @ana to point to beside the category."""
    reasons = sorted({edit.reason for edit in doc.edits})
    if reasons:
        group = _sub(_sub(root, "standOff"), "interpGrp", type="reasons")
        for reason in reasons:
            _sub(group, "interp", reason, **{XML_ID: reason_id(reason)})


def _normalization_statement(doc: Document, standard: str) -> str:
    """What the regularizations of this edition are, counted from the edits made."""
    groups = Counter(normalization_group(e.kind, e.group) for e in doc.edits)
    parts = [f"{groups[group.name]} {group.description.format(standard=standard)}"
             for group in REGULARIZATION_GROUPS if groups[group.name]]
    made = ("Regularizations are encoded as choice/orig+reg with the original first: " + "; ".join(parts) + "."
            if parts else "No regularization was made.")
    if standard.startswith("no standard"):
        made += " Chinese variants are left as printed (no standard chosen)."
    return made + " Line ends are normalized to LF; line breaks inside blocks are kept as lb."


def _hyphenation_statement(joined: int) -> str:
    """What the body does with end-of-line hyphens, from the edits made."""
    kept = "Every end-of-line hyphen of the source is kept in the encoding."
    if not joined:
        return kept + " No word broken at a line end was joined: the hyphens stand as in the source."
    return (f"{kept} {joined} hyphens that break a word at a line end are encoded as choice/orig with an empty "
            "reg (the reading text joins the word) and the line or page break after them as @break=\"no\"; "
            "hyphens the document also writes inside a line (real hyphens) stand as they are.")


STRUCTURAL_TAGS = frozenset(tei(name) for name in STRUCTURAL)


def indent(element: etree._Element, depth: int = 0) -> None:
    """Indent structural elements only: whitespace inside text-bearing elements is content."""
    if element.tag not in STRUCTURAL_TAGS or not len(element):
        return
    pad = "\n" + "  " * (depth + 1)
    if not (element.text or "").strip():
        element.text = pad
    for child in element:
        indent(child, depth + 1)
        if not (child.tail or "").strip():
            child.tail = pad
    element[-1].tail = "\n" + "  " * depth


def serialize(tree: etree._ElementTree) -> bytes:
    # Into one growing buffer: tostring() and a concatenation would hold the edition three times.
    buffer = io.BytesIO()
    tree.write(buffer, xml_declaration=True, encoding="UTF-8")
    buffer.write(b"\n")
    return buffer.getvalue()
