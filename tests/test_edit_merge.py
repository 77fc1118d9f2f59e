"""add_edits places the edits it accepts among the document's by bisection (the list is kept in
edit_order), and does nothing when a stage adds none: the same list as sorting every edit again,
stage after stage, on composed edits crowded with ties (milestones, containers, nested spans)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.edits import add_edits, edit_order
from pipeline.model import Document, Edit, EncodingGuess, SourceInfo

KINDS = ["page-break", "column-break", "missing-page", "footnote", "low-confidence", "margin-note", "correction",
         "regularization", "flag", "garbled", "hyphenation", "page-number"]


@st.composite
def edits(draw) -> Edit:
    start = draw(st.integers(0, 12))
    kind = draw(st.sampled_from(KINDS))
    length = 0 if kind in ("page-break", "column-break", "missing-page") else draw(st.integers(0, 5))
    return Edit(start=start, end=start + length, kind=kind, original="x" * length, reason=draw(st.sampled_from("ab")),
                stage="test")


def document() -> Document:
    return Document(source=SourceInfo(file_name="x.txt", size=20, sha256="0",
                                      encoding=EncodingGuess(encoding="utf-8", confidence=1.0)),
                    text="abcdefghijklmnopqrst")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(edits(), max_size=8), max_size=6))
def test_edits_placed_by_bisection_are_the_edits_sorted_again(stages):
    doc = document()
    expected: list[Edit] = []
    for new in stages:
        before = list(doc.edits)
        refused = add_edits(doc, new)
        refused_ids = {id(edit) for edit in refused}
        accepted = [edit for edit in sorted(new, key=lambda e: (e.start, e.end)) if id(edit) not in refused_ids]
        expected = sorted(before + accepted, key=edit_order)  # what add_edits computed before the merge
        assert [id(edit) for edit in doc.edits] == [id(edit) for edit in expected]
        assert len(refused) + len(accepted) == len(new)


def test_a_stage_that_adds_nothing_leaves_the_edits_as_they_are():
    doc = document()
    add_edits(doc, [Edit(start=3, end=5, kind="flag", original="de", reason="r", stage="s"),
                    Edit(start=0, end=0, kind="page-break", original="", reason="r", stage="s")])
    edits = doc.edits
    assert add_edits(doc, []) == []
    assert doc.edits is edits and [e.kind for e in edits] == ["page-break", "flag"]
