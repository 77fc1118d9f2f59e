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
        if kind.name == "footnote":
            continue  # a container: rendered around its content by the block writer
        _render_edit(parent, edit)
        element = parent[0]
        assert etree.QName(element).localname == kind.element, kind.name
        if kind.source_reading:
            assert [etree.QName(c).localname for c in element] == [kind.source_reading, kind.edited_reading]
        if kind.fw_type:
            assert element.get("type") == kind.fw_type
