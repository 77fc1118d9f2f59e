"""The stages, declared once, in the order they run.

Each stage is a function of one shape, ``(document, configuration) -> None``: it reads the
document and adds to it (edits through :func:`pipeline.edits.add_edits`, blocks, labels).
The runner (:func:`run_stages`) applies them in order, times each, and names the stage on
every edit it adds; the names also feed the configuration fingerprint (through the code
hash) and the benchmark's timings. Adding a stage is one module and one line here.

``needs`` names the stages whose results a stage reads (its blocks, edits, labels) and the
fields of :class:`pipeline.model.Findings` it reads; ``finds`` the fields it writes for later
stages. :func:`check_order` refuses a list in which a stage comes before one it needs, reads a
field no earlier stage finds, or names a field Findings does not declare; the runner refuses a
stage that writes a field it does not declare. ``scan2tei stages`` prints the table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from operator import is_not

from pipeline.config import PipelineConfig
from pipeline.edits import add_edits, fit_blocks_to_edits
from pipeline.stages.cjkspacing import regularize_cjk_spacing
from pipeline.stages.columns import mark_column_breaks
from pipeline.stages.confidence import flag_low_confidence
from pipeline.stages.frontmatter import detect_front_matter
from pipeline.stages.garbled import flag_garbled
from pipeline.stages.hyphenation import join_hyphenation
from pipeline.stages.language import label_languages
from pipeline.stages.layout import detect_pages, mark_truncation
from pipeline.stages.letterforms import regularize_letterforms
from pipeline.stages.marginalia import mark_marginalia
from pipeline.stages.markers import mark_inline
from pipeline.stages.pageedges import find_page_edges
from pipeline.model import FINDINGS, Document, Findings
from pipeline.stages.invisible import invisible_edits
from pipeline.stages.mojibake import mojibake_edits
from pipeline.stages.scriptnorm import normalize_script
from pipeline.stages.sections import detect_sections
from pipeline.stages.structure import join_split_headings, segment
from pipeline.stages.textfix import ftfy_edits, illegal_character_edits


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline: its name, its function, what it adds and which stages it needs before it."""
    name: str
    run: Callable[[Document, PipelineConfig], None]
    adds: str  # what it adds to the document, for whoever reads the list
    needs: tuple[str, ...] = ()  # earlier stages, and the Findings fields it reads
    finds: tuple[str, ...] = ()  # the Findings fields it writes, for later stages


def _text_edits(find: Callable[[Document], list]) -> Callable[[Document, PipelineConfig], None]:
    """A stage that finds edits in the decoded text."""
    return lambda doc, _config: add_edits(doc, find(doc))


def _doc_only(stage: Callable[[Document], None]) -> Callable[[Document, PipelineConfig], None]:
    return lambda doc, _config: stage(doc)


STAGES: tuple[Stage, ...] = (
    Stage("illegal-characters",
          _text_edits(lambda doc: illegal_character_edits(doc.text, doc.source.encoding.encoding)),
          "characters XML 1.0 cannot carry, as recorded corrections"),
    Stage("mojibake", _text_edits(lambda doc: mojibake_edits(doc.text)),
          "Chinese mojibake repaired line by line", ("illegal-characters",)),
    Stage("ftfy", _text_edits(lambda doc: ftfy_edits(doc.text)),
          "ftfy's repairs in a scholarly configuration", ("mojibake",)),
    Stage("invisible-characters", _text_edits(lambda doc: invisible_edits(doc.text)),
          "byte-order marks, zero-width spaces, soft hyphens inside lines regularized", ("ftfy",)),
    Stage("page-edges", _doc_only(find_page_edges),
          "page breaks, page numbers, signatures, catchwords, running heads at the edges of pages",
          ("invisible-characters",), finds=("page_starts", "page_turns", "paragraph_ends_at_page_turns", "footnotes",
                                            "page_numbers_found")),
    Stage("marginalia", _doc_only(mark_marginalia), "what the page images print in their margins, as notes",
          ("page-edges",)),
    Stage("columns", _doc_only(mark_column_breaks), "where each column of a page set in columns begins",
          ("page-edges",)),
    Stage("segment", _doc_only(segment), "blocks: headings, paragraphs, lists, front-matter fields",
          ("page-edges", "marginalia", "columns", "paragraph_ends_at_page_turns", "footnotes"),
          finds=("full_line_length",)),
    Stage("split-headings", _doc_only(join_split_headings), "headings broken over two lines joined", ("segment",)),
    Stage("pages", _doc_only(detect_pages), "page breaks, running heads, page and catalogue numbers, joins",
          ("split-headings", "page_starts", "page_turns", "page_numbers_found", "full_line_length")),
    Stage("front-matter", _doc_only(detect_front_matter), "title page and table of contents", ("pages",)),
    Stage("markers", _doc_only(mark_inline), "omissions, footnotes and anchors, homoglyphs, layout spaces",
          ("front-matter",)),
    Stage("sections", _doc_only(detect_sections), "divisions, bilingual halves, lists, boilerplate", ("markers",)),
    Stage("hyphenation", _doc_only(join_hyphenation), "end-of-line hyphens joined", ("pages", "sections")),
    Stage("truncation", _doc_only(mark_truncation), "a text that breaks off mid-sentence", ("sections",)),
    Stage("languages", label_languages, "language and script of every block", ("sections",)),
    Stage("garbled", _doc_only(flag_garbled), "garbled clauses flagged, kept", ("languages",)),
    Stage("letterforms", regularize_letterforms, "long s, r rotunda, superscript e regularized", ("garbled",)),
    Stage("cjk-spacing", regularize_cjk_spacing, "spaces and ASCII punctuation inside Chinese regularized",
          ("languages", "garbled")),
    Stage("low-confidence", flag_low_confidence, "words the OCR engine doubted, flagged (holding regularizations)",
          ("garbled", "letterforms", "cjk-spacing")),
    Stage("script", normalize_script, "Chinese script corrections and regularizations", ("languages", "garbled")),
    Stage("fit-blocks", _doc_only(fit_blocks_to_edits), "block edges moved off the inside of edits", ("script",)),
)


def check_order(stages: Iterable[Stage]) -> None:
    """Raise ValueError when two stages share a name, one runs before a stage it needs, reads
    a finding no earlier stage finds, or names a finding Findings does not declare; or when
    two stages find the same field."""
    seen: set[str] = set()
    found: dict[str, str] = {}  # field -> the stage that finds it
    names = [s.name for s in stages]
    for stage in stages:
        if stage.name in seen:
            raise ValueError(f"two stages are named {stage.name!r}")
        for needed in stage.needs:
            if needed in FINDINGS:
                if needed not in found:
                    raise ValueError(f"stage {stage.name!r} needs the finding {needed!r}, which no stage before "
                                     f"it finds")
                continue
            if needed not in names:
                raise ValueError(f"stage {stage.name!r} needs {needed!r}, which is not in the list nor a field of "
                                 f"pipeline.model.Findings")
            if needed not in seen:
                raise ValueError(f"stage {stage.name!r} runs before {needed!r}, which it needs")
        for field in stage.finds:
            if field not in FINDINGS:
                raise ValueError(f"stage {stage.name!r} finds {field!r}, which pipeline.model.Findings does not "
                                 f"declare")
            if field in found:
                raise ValueError(f"stages {found[field]!r} and {stage.name!r} both find {field!r}")
            found[field] = stage.name
        seen.add(stage.name)


def stage_table(stages: Iterable[Stage] = STAGES) -> str:
    """The stages in the order they run: what each adds, the stages and findings it needs,
    the findings it hands on (``scan2tei stages``)."""
    lines = []
    for number, stage in enumerate(stages, start=1):
        lines.append(f"{number:2}. {stage.name}: {stage.adds}")
        lines += [f"      {label}  {', '.join(names)}" for label, names in (("needs", stage.needs),
                                                                         ("finds", stage.finds)) if names]
    return "\n".join(lines) + "\n"


_FINDING_NAMES = tuple(field.name for field in fields(Findings))


def _held(findings: Findings) -> tuple:
    """The object each finding holds, in _FINDING_NAMES' order (a tuple however many there are)."""
    return tuple(getattr(findings, name) for name in _FINDING_NAMES)


def run_stages(doc: Document, config: PipelineConfig, stages: Iterable[Stage] = STAGES,
               timings: dict[str, float] | None = None) -> Document:
    """Apply ``stages`` in order; each edit a stage adds carries the stage's name.

    The runner's own checks cost little per stage (a document passes through every stage):
    STAGES, a constant, had its order checked once, at import; a finding a stage writes holds
    another object (the ones before are kept alive meanwhile, so no new object can take the
    place of one); and a stage that adds no edit leaves the list of edits as it was (the same
    objects in the same places, compared in C) before the new edits are looked for one by one."""
    stages = tuple(stages)
    if stages is not STAGES:
        check_order(stages)
    for stage in stages:
        started = time.perf_counter()
        before = doc.edits.copy()
        held = _held(doc.findings)
        stage.run(doc, config)
        if any(map(is_not, _held(doc.findings), held)):
            _refuse_undeclared_findings(stage, held, _held(doc.findings))
        doc.scratch.stage.clear()
        if len(doc.edits) != len(before) or any(map(is_not, doc.edits, before)):
            known = {id(edit) for edit in before}
            for edit in doc.edits:
                if id(edit) not in known:  # added by this stage
                    edit.stage = stage.name
        if timings is not None:
            timings[stage.name] = timings.get(stage.name, 0.0) + time.perf_counter() - started
    return doc


def _refuse_undeclared_findings(stage: Stage, held: tuple, now: tuple) -> None:
    """Raise ValueError when ``stage`` wrote a finding it does not declare in its finds."""
    if undeclared := sorted(name for name, old, new in zip(_FINDING_NAMES, held, now)
                            if new is not old and name not in stage.finds):
        raise ValueError(f"stage {stage.name!r} wrote the finding(s) {', '.join(undeclared)} without declaring "
                         f"them in its finds")


check_order(STAGES)  # once: run_stages checks only other lists
