"""The declared stage list: names unique, order consistent, every edit named after its stage."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.config import PipelineConfig
from pipeline.model import Document
from pipeline.process import build_document
from pipeline.stages import STAGES, Stage, check_order
from tests.conftest import SEEDS


def test_the_declared_list_is_consistent():
    check_order(STAGES)
    names = [stage.name for stage in STAGES]
    assert len(names) == len(set(names))


def test_two_stages_with_one_name_are_refused():
    with pytest.raises(ValueError, match="two stages are named 'segment'"):
        check_order(STAGES + (dataclasses.replace(next(s for s in STAGES if s.name == "segment")),))


def test_a_stage_before_one_it_needs_is_refused():
    reordered = list(STAGES)
    garbled = next(i for i, s in enumerate(reordered) if s.name == "garbled")
    reordered.insert(0, reordered.pop(garbled))
    with pytest.raises(ValueError, match="'garbled' runs before 'languages'"):
        check_order(reordered)
    with pytest.raises(ValueError, match="needs 'nowhere'"):
        check_order(STAGES + (Stage("late", lambda doc, config: None, "nothing", ("nowhere",)),))


def test_every_edit_carries_the_name_of_the_stage_that_added_it():
    timings: dict[str, float] = {}
    doc = build_document(SEEDS[2].read_bytes(), SEEDS[2].name, PipelineConfig(), timings)
    names = {stage.name for stage in STAGES}
    assert doc.edits and {edit.stage for edit in doc.edits} <= names
    assert {"pages", "script", "garbled"} <= {edit.stage for edit in doc.edits}
    assert names <= set(timings)  # each stage timed


def test_a_new_stage_is_one_function_and_one_line():
    """A marginal-note detector that flags nothing: added to the list, it runs, is timed,
    and changes no edit."""
    seen: list[int] = []

    def find_marginal_notes(doc: Document, config: PipelineConfig) -> None:
        seen.append(len(doc.blocks))

    config = PipelineConfig()
    plain = build_document(SEEDS[1].read_bytes(), SEEDS[1].name, config)
    extended = STAGES + (Stage("marginal-notes", find_marginal_notes, "marginal notes (none yet)", ("sections",)),)
    timings: dict[str, float] = {}
    doc = build_document(SEEDS[1].read_bytes(), SEEDS[1].name, config, timings, extended)
    assert seen and seen[0] > 0 and "marginal-notes" in timings
    assert [(e.start, e.end, e.kind, e.stage) for e in doc.edits] == \
        [(e.start, e.end, e.kind, e.stage) for e in plain.edits]
