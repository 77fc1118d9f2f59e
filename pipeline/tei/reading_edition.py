"""A derived reading edition in the other Chinese script, for searching and reading.

Same structure and ``xml:id``s as the master edition; the reading text (everything but
the source readings ``sic``/``orig``) converted with OpenCC's phrase-level conversion, one
block at a time so that phrases are converted as phrases. The header points to the master.
"""

from __future__ import annotations

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.stages.language import LANGUAGE_NAMES
from pipeline.stages.scriptnorm import TO_SIMPLIFIED, TO_TRADITIONAL, converter
from pipeline.tei import XML_LANG, local_name, tei
from pipeline.tei.writer import indent

SOURCE_READINGS = {"sic", "orig"}
BLOCKS = {"p", "head", "item", "note", "fw", "titlePart", "docAuthor", "byline", "dateline", "salute", "label"}
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
    for element in text.iter():
        if local_name(element) in BLOCKS and _effective_lang(element) == source:
            _convert_block(element, converter(opencc_config))
    header = root.find(tei("teiHeader"))
    for element in header.iter():
        if element.get(XML_LANG) == source:  # what the header labels as this script is converted too
            _convert_block(element, converter(opencc_config))
    _drop_no_op_regularizations(text)
    for element in root.iter():
        if element.get(XML_LANG) == source:
            element.set(XML_LANG, target)
    _rewrite_header(root, source, target, master_file_name, opencc_config)
    indent(root)
    return target, tree


def _drop_no_op_regularizations(text: etree._Element) -> None:
    """A regularization whose two readings the conversion made equal (着 regularized to 著 in
    the master, 著 converted back to 着) regularizes nothing here: the source reading stays,
    as plain text."""
    for choice in list(text.iter(tei("choice"))):
        orig, reg = choice.find(tei("orig")), choice.find(tei("reg"))
        if orig is None or reg is None or len(orig) or len(reg) or (orig.text or "") != (reg.text or ""):
            continue
        parent = choice.getparent()
        kept = (orig.text or "") + (choice.tail or "")
        previous = choice.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + kept
        else:
            parent.text = (parent.text or "") + kept
        parent.remove(choice)


def _effective_lang(element: etree._Element) -> str | None:
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    return None


def _inside_source_reading(element: etree._Element, block: etree._Element) -> bool:
    while element is not None and element is not block.getparent():
        if local_name(element) in SOURCE_READINGS:
            return True
        element = element.getparent()
    return False


def _convert_block(block: etree._Element, convert) -> None:
    """Convert the block's reading text as one string (phrases across <lb/> stay phrases),
    splitting it back onto its text nodes when the conversion keeps the length."""
    segments = []  # (element, "text" | "tail")
    for element in block.iter():
        if element.text and not _inside_source_reading(element, block):
            segments.append((element, "text"))
        if element is not block and element.tail and not _inside_source_reading(element.getparent(), block):
            segments.append((element, "tail"))
    original = [getattr(el, slot) for el, slot in segments]
    joined = "".join(original)
    converted = convert.convert(joined)
    if len(converted) == len(joined):
        pieces, position = [], 0
        for piece in original:
            pieces.append(converted[position:position + len(piece)])
            position += len(piece)
    else:
        pieces = [convert.convert(piece) for piece in original]
    for (element, slot), piece in zip(segments, pieces):
        setattr(element, slot, piece)


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
