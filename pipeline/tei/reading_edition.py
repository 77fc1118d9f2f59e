"""A derived reading edition in the other Chinese script, for searching and reading.

Same structure and ``xml:id``s as the master edition; the reading text (everything but
the source readings ``sic``/``orig``) converted with OpenCC's phrase-level conversion, one
block at a time so that phrases are converted as phrases. The header points to the master.
"""

from __future__ import annotations

import re
from collections.abc import Container

import opencc
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.stages.language import LANGUAGE_NAMES
from pipeline.stages.scriptnorm import TO_SIMPLIFIED, TO_TRADITIONAL, converter
from pipeline.tei import XML_LANG, tei
from pipeline.tei.writer import STRUCTURAL_TAGS, indent

SOURCE_READINGS = {"sic", "orig"}
BLOCKS = {"p", "head", "item", "note", "fw", "titlePart", "docAuthor", "byline", "dateline", "salute", "label"}
SOURCE_READING_TAGS = tuple(tei(name) for name in sorted(SOURCE_READINGS))
BLOCK_TAGS = tuple(tei(name) for name in sorted(BLOCKS))
OTHER_SCRIPT = {"zh-Hant": "zh-Hans", "zh-Hans": "zh-Hant"}


def reading_script(tree: etree._ElementTree) -> tuple[str, str] | None:
    """(source tag, target tag) when the edition has Chinese text of one dominant script."""
    usage = {e.get("ident"): int(e.get("usage")) for e in tree.iter(tei("language")) if e.get("usage")}
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
    convert_blocks(blocks_in(root, source), converter(opencc_config))
    dropped_beside_structure = _drop_no_op_regularizations(text)
    for element in root.iter():
        if element.get(XML_LANG) == source:
            element.set(XML_LANG, target)
    _rewrite_header(root, source, target, master_file_name, opencc_config)
    # The master is indented: what changed where indentation lives is the header (and, rarely,
    # the text where a dropped regularization stood between structural elements). Converted
    # text lies inside blocks, which indent() never enters.
    if dropped_beside_structure:
        indent(root)
    else:
        indent(header, depth=1)
    return target, tree


def blocks_in(root: etree._Element, source: str) -> list[etree._Element]:
    """The blocks of the text in the ``source`` script, then what the header labels as it."""
    blocks = [element for element in root.find(tei("text")).iter(*BLOCK_TAGS) if _effective_lang(element) == source]
    return blocks + [element for element in root.find(tei("teiHeader")).iter() if element.get(XML_LANG) == source]


def _drop_no_op_regularizations(text: etree._Element) -> bool:
    """A regularization whose two readings the conversion made equal (着 regularized to 著 in
    the master, 著 converted back to 着) regularizes nothing here: the source reading stays,
    as plain text. True when one stood straight in a structural element (its indentation
    changes)."""
    beside_structure = False
    for choice in list(text.iter(tei("choice"))):
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


def _effective_lang(element: etree._Element) -> str | None:
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    return None


def convert_blocks(blocks: list[etree._Element], convert: opencc.OpenCC) -> None:
    """Convert each block's reading text as one string (phrases across <lb/> stay phrases),
    splitting it back onto its text nodes when the conversion keeps the length, else
    converting node by node. ``blocks`` in document order: a block inside another one
    (page furniture inside a paragraph) is converted as a block of its own, and its text
    is not the outer block's (OpenCC converted twice is no conversion: 苎 → 苧 → 薴).

    Blocks that do not nest are independent, so they are converted a round at a time (the
    outermost first, then those inside them), many blocks in one OpenCC call."""
    rounds: dict[etree._Element, int] = {}
    held: dict[etree._Element, int] = {}  # an element no block: the round of the innermost block holding it, or -1
    for block in blocks:
        between, outer = [], block.getparent()
        while outer is not None and outer not in rounds and outer not in held:
            between.append(outer)
            outer = outer.getparent()
        holder = -1 if outer is None else rounds[outer] if outer in rounds else held[outer]
        held.update(dict.fromkeys(between, holder))  # the blocks' ancestors come first: it holds
        rounds[block] = holder + 1
    for depth in range(max(rounds.values(), default=-1) + 1):
        batch, size = [], 0
        for block in (block for block in blocks if rounds[block] == depth):
            slots, pieces = _reading_slots(block, rounds)
            batch.append((slots, pieces, "".join(pieces)))
            size += len(batch[-1][2])
            if size >= BATCH_CHARACTERS:  # a big book's text is not held twice at once
                _convert_batch(batch, convert)
                batch, size = [], 0
        _convert_batch(batch, convert)


BATCH_CHARACTERS = 100_000
Slots = list[tuple[etree._Element, str]]  # a block's text nodes: (element, "text" | "tail")


def _convert_batch(batch: list[tuple[Slots, list[str], str]], convert: opencc.OpenCC) -> None:
    """Blocks (their text nodes, the nodes' texts, the texts joined) converted and written back."""
    for (slots, pieces, before), after in zip(batch, convert_texts([joined for _, _, joined in batch], convert)):
        if len(after) == len(before):
            position, new = 0, []
            for piece in pieces:
                new.append(after[position:position + len(piece)])
                position += len(piece)
        else:
            new = convert_texts(pieces, convert)
        for (element, slot), piece in zip(slots, new):
            setattr(element, slot, piece)


def _reading_slots(block: etree._Element, blocks: Container[etree._Element]) -> tuple[Slots, list[str]]:
    """The block's text nodes outside source readings and outside the ``blocks`` it holds
    (converted as blocks of their own), as (element, "text" | "tail"), in document order
    (an element's tail after all it holds), and their texts."""
    slots: Slots = []

    def walk(element: etree._Element) -> None:
        if element.text:
            slots.append((element, "text"))
        for child in element:
            if child.tag not in SOURCE_READING_TAGS and child not in blocks:
                walk(child)
            if child.tail:
                slots.append((child, "tail"))

    walk(block)
    return slots, [getattr(element, slot) for element, slot in slots]


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
    joinable = [i for i, t in enumerate(texts) if t and not JOIN_UNSAFE.search(t)]
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


def _rewrite_header(root: etree._Element, source: str, target: str, master: str, opencc_config: str) -> None:
    script = "simplified" if target == "zh-Hans" else "traditional"
    title = root.find(f".//{tei('titleStmt')}/{tei('title')}")
    title.text = f"{title.text} ({script}-script reading edition)"
    bibl = root.find(f".//{tei('sourceDesc')}/{tei('bibl')}")
    etree.SubElement(bibl, tei("relatedItem"), type="master", target=master)
    normalization = root.find(f".//{tei('normalization')}")
    paragraph = etree.SubElement(normalization, tei("p"))
    paragraph.text = (f"Reading edition derived from the master edition {master}: its reading text converted "
                      f"from {source} to {target} with OpenCC {opencc_config} (phrase level, block by block; "
                      "OpenCC also folds CJK compatibility ideographs). Source readings (sic, orig) are "
                      "left as in the master; this edition is for reading and searching, the master for citing.")
    for language in root.iter(tei("language")):
        if language.get("ident") == source:
            language.set("ident", target)
            language.text = LANGUAGE_NAMES.get(target, target)
    change = root.findall(f".//{tei('revisionDesc')}/{tei('change')}")[-1]
    change.text += f" Reading edition in {target} derived from {master}."
