"""The TEI writer on every kind of intervention: valid under both schemas, and reversible."""

from __future__ import annotations

import itertools
import re

import pytest
from lxml import etree

from conftest import SEEDS
from pipeline.config import PipelineConfig
from pipeline.process import build_document
from pipeline.model import Block, Document, EncodingGuess, Edit, SourceInfo
from pipeline.tei.reader import rebuild_source, without_whitespace
from pipeline.tei import header, writer
from pipeline.tei.writer import build_tei, serialize
from pipeline.tei.validate import schema_errors, validate_file

TEXT = "蘇聯外交的结果\n外擴張\x07勢力\n\n第三頁\n\n蘇聯與蘇聯，蘇聯與蘇聯，爲了和平。"


def _document_with_every_kind_of_edit() -> Document:
    def edit(fragment: str, kind: str, replacement=None, occurrence=0, **attrs) -> Edit:
        start = -1
        for _ in range(occurrence + 1):
            start = TEXT.index(fragment, start + 1)
        return Edit(start=start, end=start + len(fragment), kind=kind, original=fragment,
                    replacement=replacement, reason=f"test {kind}", stage="test", attrs=attrs)

    page_start = TEXT.index("第三頁")
    return Document(
        source=SourceInfo(file_name="synthetic.txt", size=len(TEXT.encode()), sha256="0" * 64,
                          encoding=EncodingGuess(encoding="utf-8", confidence=1.0)),
        text=TEXT,
        blocks=[Block(start=0, end=len(TEXT), kind="p", lang="zh-Hant")],
        edits=sorted([
            edit("结", "correction", "結"),
            edit("\x07", "illegal-character", ""),
            Edit(start=page_start, end=page_start, kind="page-break", original="", reason="test pb",
                 stage="test", attrs={"n": "3"}),
            Edit(start=TEXT.index("外擴張"), end=TEXT.index("外擴張"), kind="column-break", original="",
                 reason="test cb", stage="test", attrs={"n": "2"}),
            edit("第三頁", "page-number"),
            edit("蘇聯與蘇聯，蘇聯與蘇聯", "garbled"),
            edit("爲", "regularization", "為"),
        ], key=lambda e: (e.start, e.end)),
        lang="zh-Hant",
    )


def test_every_edit_kind_is_valid_under_the_project_schema_and_rebuilds():
    tree = build_tei(_document_with_every_kind_of_edit(), PipelineConfig())
    assert schema_errors(tree) == []
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(TEXT)
    assert "\x07" in rebuild_source(tree)
    xml = serialize(tree).decode()
    assert "<choice" in xml and "<sic>结</sic>" in xml and "<orig>爲</orig>" in xml
    assert '<unclear reason="garbled"' in xml and '<fw type="pageNum"' in xml and '<pb ' in xml
    cb = tree.find(".//{http://www.tei-c.org/ns/1.0}cb")
    assert cb.get("n") == "2" and cb.tail.startswith("外擴張")
    assert '<g ref="#U0007"/>' in xml


@pytest.mark.slow
def test_every_edit_kind_is_valid_under_tei_all(tei_all):
    tree = build_tei(_document_with_every_kind_of_edit(), PipelineConfig())
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]


def test_validate_file_reports_line_numbers(tmp_path):
    broken = tmp_path / "broken.tei.xml"
    broken.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader/>\n<text/>\n</TEI>\n')
    errors = validate_file(broken)
    assert errors and all(e.startswith("line ") for e in errors)
    not_xml = tmp_path / "not.tei.xml"
    not_xml.write_text("<TEI>\n<unclosed>\n</TEI>")
    assert validate_file(not_xml)[0].startswith("is not well-formed XML (line ")


# The content models of the body and of a division as the customization means them, written
# plainly. The schema spells them in a deterministic form (libxml2 takes time quadratic in a
# division's length to validate the plain form); the two must accept exactly the same children.
TEI = "http://www.tei-c.org/ns/1.0"
PLAIN_MODELS = {"body": re.compile(r"(p|pb|fw|list|opener)*(div|pb|fw)*"),
                "div": re.compile(r"(pb|fw)*(head)*(byline)*(p|pb|fw|list|opener)*(div)*")}
CHILDREN = {
    "pb": "<pb/>", "fw": '<fw type="header">Head</fw>', "head": "<head>A title</head>",
    "byline": "<byline>A. Writer</byline>", "p": "<p>Text.</p>", "list": "<list><item>One</item></list>",
    "opener": "<opener><salute>Sir,</salute></opener>", "div": "<div><p>Inner.</p></div>",
}


@pytest.mark.parametrize("parent", sorted(PLAIN_MODELS))
def test_the_schema_accepts_exactly_the_children_the_plain_content_model_describes(parent):
    tree = build_tei(_document_with_every_kind_of_edit(), PipelineConfig())
    body = tree.find(".//{*}body")
    accepted = rejected = 0
    for length in range(5):
        for names in itertools.product(sorted(CHILDREN), repeat=length):
            for child in list(body):
                body.remove(child)
            children = "".join(CHILDREN[n] for n in names)
            if parent == "div":
                body.append(etree.fromstring(f'<div xmlns="{TEI}">{children}</div>'))
            else:
                body.extend(etree.fromstring(f'<body xmlns="{TEI}">{children}</body>'))
            plain = PLAIN_MODELS[parent].fullmatch("".join(names)) is not None
            assert (schema_errors(tree) == []) == plain, names
            accepted += plain
            rejected += not plain
    assert accepted > 500 and rejected > 2000  # both sides of the model were exercised


# Mixed content: the schema writes footnote | marginNote as one note element, ref | noteAnchor as
# one ref (libxml2 validates a choice between two elements of one name slowly); the plain form
# must accept exactly the same documents.
NOTE_ATTRIBUTES = [{"place": place} for place in ("foot", "margin", "column", None)]
OPTIONAL_ATTRIBUTES = {"n": "1", "target": "#fnref1", "{http://www.w3.org/XML/1998/namespace}id": "fn1",
                       "ana": "#a #b", "facs": "#z1"}
REF_ATTRIBUTES = [{"type": kind} for kind in ("noteAnchor", "column", None)]
CONTENTS = ["Text", '<g ref="#U0007"/>', "<lb/>Text", "<choice><orig>1</orig><reg>1</reg></choice>"]


def _plain_schema() -> etree.RelaxNG:
    from pipeline.tei.validate import SCHEMA_PATH
    text = SCHEMA_PATH.read_text()
    for merged, plain in (('<ref name="note"/>', '<ref name="footnote"/><ref name="marginNote"/>'),
                          ('<ref name="refOrNoteAnchor"/>', '<ref name="ref"/><ref name="noteAnchor"/>')):
        assert merged in text
        text = text.replace(merged, plain)
    return etree.RelaxNG(etree.fromstring(text.encode()))


def _attribute_sets(first: list[dict], extra_types: tuple[str | None, ...]):
    names = sorted(OPTIONAL_ATTRIBUTES)
    for base in first:
        for present in itertools.product((False, True), repeat=len(names)):
            for extra_type in extra_types:
                attrs = {k: v for k, v in base.items() if v is not None}
                attrs.update({name: OPTIONAL_ATTRIBUTES[name] for name, on in zip(names, present) if on})
                if extra_type is not None:
                    attrs.setdefault("type", extra_type)
                yield attrs


@pytest.mark.parametrize("holder", ["p", "item"])
def test_the_schemas_one_note_and_one_ref_accept_what_the_plain_form_accepts(holder):
    plain = _plain_schema()
    tree = build_tei(_document_with_every_kind_of_edit(), PipelineConfig())
    body = tree.find(".//{*}body")
    verdicts = []
    for tag, attribute_sets in (("note", _attribute_sets(NOTE_ATTRIBUTES, (None, "apparatus"))),
                                ("ref", _attribute_sets(REF_ATTRIBUTES, (None,)))):
        for attrs in attribute_sets:
            for content in CONTENTS:
                for child in list(body):
                    body.remove(child)
                element = etree.fromstring(f'<{tag} xmlns="{TEI}">{content}</{tag}>')
                for name, value in attrs.items():
                    element.set(name, value)
                holder_element = etree.SubElement(body, f"{{{TEI}}}p")
                if holder == "item":
                    holder_element = etree.SubElement(etree.SubElement(body, f"{{{TEI}}}list"), f"{{{TEI}}}item")
                    body.remove(body[0])
                holder_element.text = "Before "
                holder_element.append(element)
                valid = schema_errors(tree) == []
                assert valid == plain.validate(tree), (holder, tag, attrs, content)
                verdicts.append(valid)
    assert sum(verdicts) > 50 and verdicts.count(False) > 1000  # both sides were exercised


NOTES_TEXT = "Head\n\nA para-\ngraph\n\nits note ends in hy-\n\n[3]\n\nMore note\nat the foot\n\nThe end."


def _notes_between_paragraphs() -> Document:
    """Notes between paragraphs, a page break between them: the second a footnote, written
    straight into its division; the first a note block whose footnote edit did not stand
    (its text is a paragraph's: a division holds no text)."""
    def at(fragment: str) -> tuple[int, int]:
        start = NOTES_TEXT.index(fragment)
        return start, start + len(fragment)
    blocks = [Block(start=a, end=b, kind=kind) for kind, (a, b) in
              [("head", at("Head")), ("p", at("A para-\ngraph")), ("note", at("its note ends in hy-")),
               ("milestone", at("[3]")), ("note", at("More note\nat the foot")), ("p", at("The end."))]]
    page = at("[3]")[0]
    edits = [Edit(start=page, end=page, kind="page-break", original="", reason="test pb", stage="test",
                  attrs={"n": "3"}),
             Edit(start=page, end=page + 3, kind="page-number", original="[3]", reason="test fw", stage="test"),
             Edit(start=at("More note")[0], end=at("at the foot")[1], kind="footnote", reason="test note",
                  original="More note\nat the foot", stage="test", attrs={"id": "p2"})]
    return Document(source=SourceInfo(file_name="notes.txt", size=len(NOTES_TEXT), sha256="0" * 64,
                                      encoding=EncodingGuess(encoding="utf-8", confidence=1.0)),
                    text=NOTES_TEXT, blocks=blocks, edits=edits, lang="en")


def _lines_one_by_one(parent: etree._Element, text: str) -> None:
    """What _Text.append wrote for text no line of a page image begins in, before its shortcut."""
    position = 0
    for match in writer._LINE_BREAKS.finditer(text):
        writer._Text._append_plain(parent, text[position:match.start()])
        writer._sub(parent, "lb", facs=None)
        position = match.end()
    writer._Text._append_plain(parent, text[position:])


def test_the_writers_shortcuts_write_what_its_general_paths_write(monkeypatch):
    config = PipelineConfig()
    docs = [build_document(seed.read_bytes(), seed.name, config) for seed in SEEDS]
    docs += [_notes_between_paragraphs(), _document_with_every_kind_of_edit()]
    with_shortcuts = [serialize(build_tei(doc, config)) for doc in docs]
    assert b'<p xml:id="b3">its note ends in hy-</p>' in with_shortcuts[-2]
    assert b'<lb/>at the foot</note>' in with_shortcuts[-2]
    assert b'<p xml:id="b2">A para-<lb break="no"/>graph</p>' in with_shortcuts[-2]  # a block without edits
    assert schema_errors(build_tei(docs[-2], config)) == []
    monkeypatch.setattr(writer, "_HYPHENS", re.compile(""))  # every block looked at for word breaks
    monkeypatch.setattr(writer, "_HYPHEN_AT_LINE_END", re.compile(""))
    monkeypatch.setattr(writer, "_render_plain_block", writer._Text.append)  # a block without edits as any other
    monkeypatch.setattr(writer._Text, "_append_lines", staticmethod(_lines_one_by_one))
    monkeypatch.setattr(writer, "_indent_structure", lambda parts: frozenset())  # indent() walks it all
    monkeypatch.setattr(writer, "_choice", writer._choice.__wrapped__)  # each choice built anew
    assert [serialize(build_tei(doc, config)) for doc in docs] == with_shortcuts


def test_the_headers_shared_parts_are_what_building_them_writes(monkeypatch):
    """The parts of the header every edition of a configuration shares are built once and
    copied: the copies are what building them anew writes, for each configuration."""
    plain, cautious = PipelineConfig(), PipelineConfig(low_confidence=0.7, script_standard="none")
    docs = [build_document(seed.read_bytes(), seed.name, plain) for seed in SEEDS]
    docs += [_notes_between_paragraphs(), _document_with_every_kind_of_edit()]
    copied = [serialize(build_tei(doc, config)) for config in (plain, cautious, plain) for doc in docs]
    assert b'"low_confidence":0.7' in copied[len(docs)] and b'"low_confidence":0.5' in copied[0]
    assert copied[:len(docs)] == copied[2 * len(docs):]
    monkeypatch.setattr(header, "_append_shared", lambda parent, key, build: build(parent))
    assert [serialize(build_tei(doc, config)) for config in (plain, cautious, plain) for doc in docs] == copied
