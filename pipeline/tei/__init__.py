"""TEI names shared by the writer and the reader, and the writers' way to add an element."""

from lxml import etree

from pipeline.stages.textfix import XML_ILLEGAL

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_ID = f"{{{XML_NS}}}id"


def tei(tag: str) -> str:
    """The Clark name of a TEI element (``p`` -> ``{http://www.tei-c.org/ns/1.0}p``)."""
    return f"{{{TEI_NS}}}{tag}"


def local_name(element: etree._Element) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def last_child(element: etree._Element) -> etree._Element | None:
    """The last child element, in constant time (``len(element)`` counts every child)."""
    return next(element.iterchildren(reversed=True), None)


_QUALIFIED: dict[str, str] = {}  # tei(tag) of the tags the writers use: built once each


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A TEI element ``tag`` appended to ``parent``, with ``text`` and the attributes not None."""
    qualified = _QUALIFIED.get(tag) or _QUALIFIED.setdefault(tag, tei(tag))
    element = etree.SubElement(parent, qualified)
    if attrs:
        for name, value in attrs.items():  # one by one: lxml sets them faster than it reads a dict of them
            if value is not None:
                element.set(name, value)
    if text is not None:
        # Header values derived from the source (a title line with a stray control character)
        # drop what XML cannot carry; the body keeps it, recorded, as <g>.
        element.text = XML_ILLEGAL.sub("", text)
    return element


def char_id(ch: str) -> str:
    """The ``xml:id`` of the ``<char>`` that stands for a character XML cannot carry."""
    return f"U{ord(ch):04X}"
