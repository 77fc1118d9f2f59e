"""The declared stage list: names unique, order consistent, every edit named after its stage."""

from __future__ import annotations

import dataclasses
import re

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


def _with(stage_name: str, **changes) -> tuple[Stage, ...]:
    """The declared list with one stage changed."""
    return tuple(dataclasses.replace(s, **changes) if s.name == stage_name else s for s in STAGES)


def test_a_finding_renamed_or_removed_breaks_loudly():
    """What page-edges hands on to segment and pages is in declared fields of Findings: a
    field renamed in one place, or a stage that stops declaring it, fails before any document
    is read, never an edition that silently changes."""
    from pipeline.model import Findings

    with pytest.raises(ValueError, match="'segment' needs the finding 'footnotes', which no stage before it finds"):
        check_order(_with("page-edges", finds=("page_starts", "page_turns", "paragraph_ends_at_page_turns",
                                               "page_numbers_found")))
    with pytest.raises(ValueError, match="needs 'page_turn', which is not in the list nor a field"):
        check_order(_with("pages", needs=("split-headings", "page_starts", "page_turn", "page_numbers_found")))
    with pytest.raises(ValueError, match="finds 'page_turn', which pipeline.model.Findings does not declare"):
        check_order(_with("page-edges", finds=("page_starts", "page_turn")))
    with pytest.raises(ValueError, match="stages 'page-edges' and 'late' both find 'footnotes'"):
        check_order(STAGES + (Stage("late", lambda doc, config: None, "nothing", finds=("footnotes",)),))
    with pytest.raises(AttributeError):
        Findings().page_turn = []  # slotted: no field comes into being by a misspelling
    with pytest.raises(AttributeError):
        Findings().page_turn  # noqa: B018


def test_a_stage_that_writes_a_finding_it_does_not_declare_is_stopped():
    def hands_on_quietly(doc: Document, config: PipelineConfig) -> None:
        doc.findings.footnotes = [(0, 1)]

    sneaky = STAGES[:1] + (Stage("sneaky", hands_on_quietly, "a finding it does not declare"),)
    with pytest.raises(ValueError, match="'sneaky' wrote the finding\\(s\\) footnotes without declaring them"):
        build_document(SEEDS[1].read_bytes(), SEEDS[1].name, PipelineConfig(), stages=sneaky)


def test_a_finding_written_undeclared_is_stopped_however_few_findings_there_are(monkeypatch):
    """The runner compares the objects the findings hold as a tuple: with one finding alone it
    is still one object compared, not the finding's own items."""
    import pipeline.stages

    def hands_on_quietly(doc: Document, config: PipelineConfig) -> None:
        doc.findings.footnotes = [(0, 1)]

    monkeypatch.setattr(pipeline.stages, "_FINDING_NAMES", ("footnotes",))
    sneaky = STAGES[:1] + (Stage("sneaky", hands_on_quietly, "a finding it does not declare"),)
    with pytest.raises(ValueError, match="'sneaky' wrote the finding\\(s\\) footnotes without declaring them"):
        build_document(SEEDS[1].read_bytes(), SEEDS[1].name, PipelineConfig(), stages=sneaky)


def test_the_command_line_prints_the_stages_with_what_they_need_and_find(capsys):
    import flows

    assert flows.main(["stages"]) == 0
    table = capsys.readouterr().out
    assert table.count("\n") >= len(STAGES)
    entries = dict(re.findall(r"(?m)^ *\d+\. ([\w-]+): .*\n((?: {6}.*\n)*)", table))
    assert list(entries) == [stage.name for stage in STAGES]
    assert "needs  invisible-characters\n" in entries["page-edges"]
    assert "finds  page_starts, page_turns, paragraph_ends_at_page_turns" in entries["page-edges"]
    assert re.search(r"needs  page-edges, .*paragraph_ends_at_page_turns, footnotes\n", entries["segment"])


def test_the_runner_names_only_the_edits_a_stage_added():
    """The runner looks for new edits only where the list of edits changed: an edit a stage
    adds carries its name whatever the stage wrote, and the next stage, adding none, renames
    nothing."""
    from pipeline.edits import add_edits
    from pipeline.model import Edit

    def flags_the_first_letter(doc: Document, config: PipelineConfig) -> None:
        add_edits(doc, [Edit(start=0, end=1, kind="flag", original=doc.text[0], reason="a test", stage="someone")])

    def looks_only(doc: Document, config: PipelineConfig) -> None:
        assert doc.edits

    stages = STAGES[:1] + (Stage("flagger", flags_the_first_letter, "a flag"), Stage("reader", looks_only, "nothing"))
    doc = build_document(b"Xylography, a page.\n", "x.txt", PipelineConfig(), stages=stages)
    assert [(e.start, e.kind, e.stage) for e in doc.edits] == [(0, "flag", "flagger")]


def test_a_list_of_stages_out_of_order_is_refused_before_it_runs():
    reordered = [s for s in STAGES if s.name != "languages"] + [next(s for s in STAGES if s.name == "languages")]
    with pytest.raises(ValueError, match="runs before 'languages'"):
        build_document(SEEDS[1].read_bytes(), SEEDS[1].name, PipelineConfig(), stages=reordered)
