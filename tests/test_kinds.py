"""Edit kinds are described once, and that description is the one the code follows."""

from __future__ import annotations

import typing

from lxml import etree

from pipeline.kinds import BY_NAME, KINDS
from pipeline.model import Edit, EditKind


def test_every_kind_of_the_model_is_described_once():
    assert sorted(typing.get_args(EditKind)) == sorted(k.name for k in KINDS)
    assert len(BY_NAME) == len(KINDS)


def test_the_writer_renders_each_kind_with_the_element_the_table_gives():
    from pipeline.tei.writer import _render_edit

    for kind in KINDS:
        parent = etree.Element("p")
        edit = Edit(start=0, end=1, kind=kind.name, original="x", replacement="y", reason="test",
                    stage="test", attrs={"n": "1"} if kind.name in ("note-anchor",) else {})
        if kind.container:
            continue  # rendered around its content by the block writer (footnotes, doubted words: tested end to end)
        _render_edit(parent, edit)
        element = parent[0]
        assert etree.QName(element).localname == kind.element, kind.name
        if kind.source_reading:
            assert [etree.QName(c).localname for c in element] == [kind.source_reading, kind.edited_reading]
        if kind.fw_type:
            assert element.get("type") == kind.fw_type


def test_the_header_taxonomy_is_the_closed_set_and_every_edit_keeps_its_own_reason():
    from pipeline.config import PipelineConfig
    from pipeline.kinds import category_id
    from pipeline.process import build_edition
    from tests.conftest import SEEDS, parse

    words = ["Catalogue", "Negotiations", "incomplete", "provincial", "archives", "merchants"] * 5
    hyphenated = "".join(f"The {w[:4]}-\n{w[4:]} of the council was read again.\n" for w in words)
    for data, name in [(seed.read_bytes(), seed.name) for seed in SEEDS] + [(hyphenated.encode(), "many.txt")]:
        tree = parse(build_edition(data, name, PipelineConfig()).xml)
        categories = {c.get("{http://www.w3.org/XML/1998/namespace}id") for c in tree.iter("{*}category")}
        assert categories <= {category_id(kind.name) for kind in KINDS}, name
        reasons = {i.get("{http://www.w3.org/XML/1998/namespace}id"): i.text for i in tree.iter("{*}interp")}
        for element in tree.find("{*}text").iter():
            if isinstance(element.tag, str) and element.get("ana"):
                category, reason = element.get("ana").split()
                assert category[1:] in categories and reasons.get(reason[1:]), (name, element.get("ana"))
    tree = parse(build_edition(hyphenated.encode(), "many.txt", PipelineConfig()).xml)
    assert len(list(tree.iter("{*}category"))) == 1  # thirty words joined, one category
    assert len(list(tree.iter("{*}interp"))) == 6  # and each word's own reason, once


def test_the_groups_the_header_counts_regularizations_in_are_the_ones_the_table_declares():
    """The stages name the group on their edits; the normalization statement counts each group
    the table declares, in its order, and an edit naming a group the table does not declare
    stops the writer with the table's name instead of being counted as "other"."""
    import pytest

    from pipeline.config import PipelineConfig
    from pipeline.kinds import REGULARIZATION_GROUPS
    from pipeline.process import build_edition
    from pipeline.tei.writer import build_tei
    from tests.conftest import parse

    text = ("Minutes of the council\n\nThe council met\u200b on the fourth of March, and the clerk read the "
            "accounts  of the year.\n\nThe treasurer\u2060 asked for a new press, and the motion was carried.\n")
    edition = build_edition(text.encode(), "minutes.txt", PipelineConfig())
    statement = "".join(parse(edition.xml).find(".//{*}normalization").itertext())
    said = [group.name for group in REGULARIZATION_GROUPS if group.description.split(" (")[0] in statement]
    assert said == ["invisible", "whitespace"], statement
    assert statement.count("2 invisible characters") == 1 and "1 runs of layout whitespace" in statement
    doc = edition.document
    next(e for e in doc.edits if e.group == "whitespace").group = "layout whitespace"
    with pytest.raises(ValueError, match="'layout whitespace', which pipeline/kinds.py does not declare"):
        build_tei(doc, PipelineConfig())
