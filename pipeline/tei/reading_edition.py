"""A derived reading edition in the other Chinese script, for searching and reading.

Same structure and ``xml:id``s as the master edition; the reading text (everything but
the source readings ``sic``/``orig``) converted with OpenCC's phrase-level conversion, one
block at a time so that phrases are converted as phrases. The header points to the master.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import opencc
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.stages.language import LANGUAGE_NAMES
from pipeline.stages.scriptnorm import TO_SIMPLIFIED, TO_TRADITIONAL, converter
from pipeline.tei import TEI_NS, XML_LANG, tei
from pipeline.tei.writer import STRUCTURAL_TAGS, indent

SOURCE_READINGS = {"sic", "orig"}
BLOCKS = {"p", "head", "item", "note", "fw", "titlePart", "docAuthor", "byline", "dateline", "salute", "label"}
SOURCE_READING_TAGS = tuple(tei(name) for name in sorted(SOURCE_READINGS))
BLOCK_TAGS = tuple(tei(name) for name in sorted(BLOCKS))
OTHER_SCRIPT = {"zh-Hant": "zh-Hans", "zh-Hans": "zh-Hant"}


def reading_script(tree: etree._ElementTree) -> tuple[str, str] | None:
    """(source tag, target tag) when the edition has Chinese text of one dominant script."""
    header = tree.getroot().find(tei("teiHeader"))  # where the writer declares languages (langUsage)
    usage = {e.get("ident"): int(e.get("usage")) for e in header.iter(tei("language")) if e.get("usage")}
    chinese = {tag: pct for tag, pct in usage.items() if tag in OTHER_SCRIPT}
    if not chinese:
        return None
    source = max(chinese, key=chinese.get)
    return source, OTHER_SCRIPT[source]


def build_reading_edition(master: etree._ElementTree, master_file_name: str,
                          config: PipelineConfig) -> tuple[str, etree._ElementTree] | None:
    """(target script tag, reading edition), or None when the edition has no Chinese text.

    Converts the master tree itself: call it once the master is serialized (a second tree
    of a 50 MB book is memory a run can do without)."""
    scripts = reading_script(master)
    if scripts is None:
        return None
    source, target = scripts
    opencc_config = (TO_SIMPLIFIED if target == "zh-Hans" else TO_TRADITIONAL)[config.script_standard]
    tree = master
    root = tree.getroot()
    text = root.find(tei("text"))
    header = root.find(tei("teiHeader"))
    convert_reading_text(root, source, converter(opencc_config))
    dropped_beside_structure = _drop_no_op_regularizations(text)
    for element in _LABELLED(root, lang=source):
        element.set(XML_LANG, target)
    extended = _rewrite_header(header, source, target, master_file_name, opencc_config)
    # The master is indented, and indent() leaves what it indented as it is: what changed where
    # indentation lives is the header elements given a new child (and, rarely, the text where a
    # dropped regularization stood between structural elements). Converted text lies inside
    # blocks, which indent() never enters.
    if dropped_beside_structure:
        indent(root)
    else:
        for element in extended:
            _indent_as_in(header, element)
    return target, tree


def _indent_as_in(header: etree._Element, element: etree._Element) -> None:
    """What ``indent(header, depth=1)`` does to ``element`` (nothing unless every element from
    the header down to it is structural: indent() enters no other)."""
    depth, ancestor = 1, element
    while ancestor is not header:
        if ancestor.tag not in STRUCTURAL_TAGS:
            return
        ancestor, depth = ancestor.getparent(), depth + 1
    indent(element, depth)


_LABELLED = etree.XPath("descendant-or-self::*[@xml:lang = $lang]")  # the elements labelled as in $lang


def _drop_no_op_regularizations(text: etree._Element) -> bool:
    """A regularization whose two readings the conversion made equal (着 regularized to 著 in
    the master, 著 converted back to 着) regularizes nothing here: the source reading stays,
    as plain text. True when one stood straight in a structural element (its indentation
    changes)."""
    beside_structure = False
    for choice in _SAME_READINGS(text):
        orig, reg = choice.find(tei("orig")), choice.find(tei("reg"))
        if orig is None or reg is None or len(orig) or len(reg) or (orig.text or "") != (reg.text or ""):
            continue
        parent = choice.getparent()
        beside_structure = beside_structure or parent.tag in STRUCTURAL_TAGS
        kept = (orig.text or "") + (choice.tail or "")
        previous = choice.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + kept
        else:
            parent.text = (parent.text or "") + kept
        parent.remove(choice)
    return beside_structure


# The regularizations whose two readings have the same text: those the loop above can drop
# (asked of libxml2 at once rather than of each of a book's regularizations in Python).
_SAME_READINGS = etree.XPath("descendant::tei:choice[string(tei:orig[1]) = string(tei:reg[1])]",
                             namespaces={"tei": TEI_NS})


def convert_reading_text(root: etree._Element, source: str, convert: opencc.OpenCC) -> None:
    """Convert each block's reading text (see ``block_texts``) as one string (phrases across
    <lb/> stay phrases), splitting it back onto its text nodes when the conversion keeps the
    length, else converting node by node. A block's conversion depends on its own text alone
    (``convert_texts`` joins texts only where they convert alike alone or joined): the blocks
    are converted many in one OpenCC call."""
    batch, size = [], 0
    for slots, pieces in block_texts(root, source):
        joined = "".join(pieces)
        batch.append((slots, pieces, joined))
        size += len(joined)
        if size >= BATCH_CHARACTERS:  # a big book's text is not held twice at once
            _convert_batch(batch, convert)
            batch, size = [], 0
    _convert_batch(batch, convert)


BATCH_CHARACTERS = 100_000
Slots = list[tuple[etree._Element, str]]  # a block's text nodes: (element, "text" | "tail")


def block_texts(root: etree._Element, source: str) -> Iterator[tuple[Slots, list[str]]]:
    """The reading text of each block in the ``source`` script, as its text nodes (element,
    "text" | "tail") and their texts, in document order (an element's tail after all it
    holds). The blocks: those of the text whose nearest xml:lang is ``source``, and the
    elements of the header labelled ``source``. A block's reading text leaves out the source
    readings (sic, orig) and the blocks it holds, converted as blocks of their own (OpenCC
    converted twice is no conversion: 苎 → 苧 → 薴). Each block is given once its text is
    complete (a block inside another one before it): one walk over the text."""
    text = root.find(tei("text"))
    yield from _block_texts(text, _inherited_lang(text), source, in_header=False)
    header = root.find(tei("teiHeader"))
    if _LABELLED(header, lang=source):  # most headers label nothing in the script: not walked
        yield from _block_texts(header, None, source, in_header=True)


def _block_texts(part: etree._Element, lang: str | None, source: str,
                 in_header: bool) -> Iterator[tuple[Slots, list[str]]]:
    # For each open element: the xml:lang in effect, the reading text its own text belongs to
    # (that of the innermost block holding it; None outside blocks and in source readings),
    # and whether it is a block. (lxml makes a new string at each reading of a text or a tag:
    # each is read once.)
    open_elements: list[tuple[str | None, tuple[Slots, list[str]] | None, bool]] = []
    reading = None
    for event, element in etree.iterwalk(part, events=("start", "end", "comment", "pi")):
        if event == "start":
            own_lang = element.get(XML_LANG)
            if own_lang:
                lang = own_lang
            tag = element.tag
            is_block = own_lang == source if in_header else lang == source and tag in _BLOCKS
            outer = reading
            if is_block:
                reading = [], []
            elif tag in _SOURCE_READINGS:
                reading = None
            open_elements.append((lang, outer, is_block))
            if reading is not None and (text := element.text):
                reading[0].append((element, "text"))
                reading[1].append(text)
            continue
        if event == "end":
            # back to the element holding this one: its language, its reading text
            _, outer, is_block = open_elements.pop()
            if is_block:
                yield reading
            reading = outer
            lang = open_elements[-1][0] if open_elements else lang
        elif reading is not None and (text := element.text):  # a comment or processing instruction
            reading[0].append((element, "text"))
            reading[1].append(text)
        if reading is not None and (tail := element.tail):  # the tail is the text of the element holding it
            reading[0].append((element, "tail"))
            reading[1].append(tail)


_BLOCKS, _SOURCE_READINGS = frozenset(BLOCK_TAGS), frozenset(SOURCE_READING_TAGS)


def _inherited_lang(element: etree._Element) -> str | None:
    """The xml:lang in effect where ``element`` stands: its nearest ancestor's that has one."""
    element = element.getparent()
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    return None


def _convert_batch(batch: list[tuple[Slots, list[str], str]], convert: opencc.OpenCC) -> None:
    """Blocks (their text nodes, the nodes' texts, the texts joined) converted and written back."""
    for (slots, pieces, before), after in zip(batch, convert_texts([joined for _, _, joined in batch], convert)):
        if after == before:  # nothing changed: nothing to write back
            continue
        if len(after) == len(before):
            position, new = 0, []
            for piece in pieces:
                new.append(after[position:position + len(piece)])
                position += len(piece)
        else:
            new = convert_texts(pieces, convert)
        for (element, slot), piece in zip(slots, new):
            setattr(element, slot, piece)


# A separator no OpenCC dictionary holds (their text form is one entry a line), and the
# characters whose conversion looks past the end of a text: an ideographic description
# sequence takes any characters after its operator as operands, a variation selector
# belongs to the character before it. Texts without them convert alike alone or joined.
SEPARATOR = "\n"
JOIN_UNSAFE = re.compile("[\n\u2ff0-\u2fff\u31ef\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def convert_texts(texts: list[str], convert: opencc.OpenCC) -> list[str]:
    """``[convert.convert(t) for t in texts]``, with one OpenCC call for the texts that can be
    joined (an OpenCC call costs as much as converting a short paragraph)."""
    converted = [""] * len(texts)
    if JOIN_UNSAFE.search("".join(texts)):  # some texts are converted alone: which?
        joinable = [i for i, t in enumerate(texts) if t and not JOIN_UNSAFE.search(t)]
    else:  # as usual, none (asked of all the texts at once)
        joinable = [i for i, t in enumerate(texts) if t]
    if len(joinable) > 1:
        parts = convert.convert(SEPARATOR.join(texts[i] for i in joinable)).split(SEPARATOR)
        if len(parts) == len(joinable):
            for i, part in zip(joinable, parts):
                converted[i] = part
        else:  # never seen: a conversion that made or lost a separator
            joinable = []
    else:
        joinable = []
    done = set(joinable)
    for i, t in enumerate(texts):
        if i not in done and t:
            converted[i] = convert.convert(t)
    return converted


def _rewrite_header(header: etree._Element, source: str, target: str, master: str,
                    opencc_config: str) -> list[etree._Element]:
    """The header names the reading edition and the master, its languages and how it was made;
    the elements given a new child are returned. (The writer puts all of these in the header,
    the TEI's first element: searched there, they are found as in the whole tree.)"""
    script = "simplified" if target == "zh-Hans" else "traditional"
    title = header.find(_TITLE)
    title.text = f"{title.text} ({script}-script reading edition)"
    bibl = header.find(_BIBL)
    etree.SubElement(bibl, tei("relatedItem"), type="master", target=master)
    normalization = header.find(_NORMALIZATION)
    paragraph = etree.SubElement(normalization, tei("p"))
    paragraph.text = (f"Reading edition derived from the master edition {master}: its reading text converted "
                      f"from {source} to {target} with OpenCC {opencc_config} (phrase level, block by block; "
                      "OpenCC also folds CJK compatibility ideographs). Source readings (sic, orig) are "
                      "left as in the master; this edition is for reading and searching, the master for citing.")
    for language in header.iter(tei("language")):
        if language.get("ident") == source:
            language.set("ident", target)
            language.text = LANGUAGE_NAMES.get(target, target)
    change = header.findall(_CHANGE)[-1]
    change.text += f" Reading edition in {target} derived from {master}."
    return [bibl, normalization]


_TITLE, _BIBL = f".//{tei('titleStmt')}/{tei('title')}", f".//{tei('sourceDesc')}/{tei('bibl')}"
_NORMALIZATION, _CHANGE = f".//{tei('normalization')}", f".//{tei('revisionDesc')}/{tei('change')}"
