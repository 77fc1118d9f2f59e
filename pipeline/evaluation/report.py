"""An evaluation told: a table for the terminal, a JSON document for programs. Rates are
percentages of the ground truth's length; a total is summed errors over summed lengths."""

from __future__ import annotations

import json
from dataclasses import asdict

from pipeline.evaluation.compare import Evaluation, FurnitureResult
from pipeline.evaluation.metrics import Counts, Measures

LABEL_WIDTH = 34


def percent(counts: Counts | None) -> str:
    """An error rate as a percentage with two decimals ("–" when there is none)."""
    if counts is None or counts.rate is None:
        return "–"
    return "inf" if counts.rate == float("inf") else f"{100 * counts.rate:.2f}"


def ratio(value: float | None) -> str:
    """A precision or recall with two decimals ("–" when there is none)."""
    return "–" if value is None else f"{value:.2f}"


def _cut(label: str, width: int = LABEL_WIDTH) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"


def _few(labels: list[str], shown: int = 8) -> str:
    return ", ".join(labels[:shown]) + (f" and {len(labels) - shown} more" if len(labels) > shown else "")


def table(evaluation: Evaluation, edition: str, truth: str) -> str:
    """The terminal's table: one row per pair of pages and the total, then furniture by class."""
    lines = [f"Evaluation of {edition} against {truth}",
             f"Compared: {evaluation.options.describe()}; rates in % of the ground truth's length "
             "(total: summed errors over summed lengths)",
             f"Pages paired by {evaluation.matched_by}: {len(evaluation.pages)} pair(s)"]
    if evaluation.truth_without_partner:
        lines.append(f"Ground-truth pages without a partner ({len(evaluation.truth_without_partner)}): "
                     f"{_few(evaluation.truth_without_partner)}")
    if evaluation.edition_without_partner:
        lines.append(f"Edition pages without a partner ({len(evaluation.edition_without_partner)}): "
                     f"{_few(evaluation.edition_without_partner)}")
    lines += [f"Note: {note}" for note in evaluation.notes]
    if not evaluation.pages:
        lines.append("Nothing to compare: no page of the edition has a partner in the ground truth.")
        return "\n".join(lines) + "\n"
    marked = evaluation.main is not None
    labels = [f"{_cut(page.truth)} → {_cut(page.edition)}" for page in evaluation.pages]
    width = max(len("ground truth → edition"), *map(len, labels))
    header = f"{'ground truth → edition':<{width}} {'chars':>7} {'CER %':>7} {'words':>6} " \
             f"{'WER %':>7} {'BoW %':>7}" + (f" {'text CER %':>10}" if marked else "")
    lines += ["", header, "-" * len(header)]

    def row(label: str, text: Measures, main: Measures | None) -> str:
        cells = f"{label:<{width}} {text.characters.length:>7} {percent(text.characters):>7} " \
                f"{text.words.length:>6} {percent(text.words):>7} {percent(text.bag_of_words):>7}"
        return cells + (f" {percent(main.characters if main else None):>10}" if marked else "")

    for label, page in zip(labels, evaluation.pages):
        lines.append(row(label, page.text, page.main))
    lines += ["-" * len(header), row("total", evaluation.text, evaluation.main)]
    lines.append("CER, WER: all the page's text, furniture where it stands; BoW: word error regardless of order "
                 "(far below WER: words read right, put in the wrong order)"
                 + ("; text CER: running text only, furniture left out" if marked else ""))
    if marked:
        lines += ["", f"{'furniture':<14} {'truth':>6} {'found':>6} {'paired':>6} {'P':>5} {'R':>5} {'CER %':>7}"]
        for kind, result in evaluation.furniture.items():
            lines.append(f"{kind:<14} {result.expected:>6} {result.found:>6} {result.paired:>6} "
                         f"{ratio(result.precision):>5} {ratio(result.recall):>5} {percent(result.text.characters):>7}")
        if not evaluation.furniture:
            lines.append("(none in the ground truth nor in the edition)")
    return "\n".join(lines) + "\n"


def _counts(counts: Counts) -> dict:
    return {**asdict(counts), "rate": counts.rate if counts.rate != float("inf") else None}


def _measures(measures: Measures | None) -> dict | None:
    if measures is None:
        return None
    return {"characters": _counts(measures.characters), "words": _counts(measures.words),
            "bag_of_words": _counts(measures.bag_of_words)}


def _furniture(results: dict[str, FurnitureResult]) -> dict:
    return {kind: {"expected": r.expected, "found": r.found, "paired": r.paired, "precision": r.precision,
                   "recall": r.recall, "text": _measures(r.text)} for kind, r in results.items()}


def to_json(evaluation: Evaluation, edition: list[str], truth: list[str], unreadable: list[str]) -> str:
    """The evaluation as JSON: inputs, options, pairing, totals and one record per page."""
    document = {
        "edition": edition, "ground_truth": truth,
        "options": asdict(evaluation.options), "compared": evaluation.options.describe(),
        "matched_by": evaluation.matched_by, "notes": evaluation.notes, "unreadable": unreadable,
        "truth_without_partner": evaluation.truth_without_partner,
        "edition_without_partner": evaluation.edition_without_partner,
        "pages": [{"truth": page.truth, "edition": page.edition, "text": _measures(page.text),
                   "main": _measures(page.main), "furniture": _furniture(page.furniture)}
                  for page in evaluation.pages],
        "total": {"text": _measures(evaluation.text), "main": _measures(evaluation.main),
                  "furniture": _furniture(evaluation.furniture)},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
