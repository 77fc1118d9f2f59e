"""A page that shows each pair of pages aligned character by character: what only the
ground truth has struck through in red, what only the edition has underlined in green.
Every text is escaped; the page needs no script and loads nothing."""

from __future__ import annotations

from html import escape

from pipeline.evaluation.compare import Evaluation
from pipeline.evaluation.metrics import alignment
from pipeline.evaluation.report import percent

STYLE = """
body { font-family: serif; margin: 2em auto; max-width: 60em; line-height: 1.5; }
table { border-collapse: collapse; } td, th { padding: 0 .6em; text-align: right; } td:first-child { text-align: left; }
.diff { white-space: pre-wrap; border: 1px solid #ccc; padding: .8em; }
del { background: #fdd; color: #900; text-decoration: line-through; }
ins { background: #dfd; color: #060; text-decoration: underline; }
.legend del, .legend ins { padding: 0 .3em; }
"""


def _aligned(truth: str, edition: str) -> str:
    out = []
    for span in alignment(truth, edition):
        if span.op == "equal":
            out.append(escape(span.truth))
            continue
        if span.truth:
            out.append(f'<del title="ground truth only">{escape(span.truth)}</del>')
        if span.compared:
            out.append(f'<ins title="edition only">{escape(span.compared)}</ins>')
    return "".join(out)


def to_html(evaluation: Evaluation, edition: str, truth: str) -> str:
    """The evaluation as an HTML page: the figures per page and each page's differences."""
    rows = "".join(
        f"<tr><td>{escape(page.truth)} → {escape(page.edition)}</td><td>{page.text.characters.length}</td>"
        f"<td>{percent(page.text.characters)}</td><td>{percent(page.text.words)}</td>"
        f"<td>{percent(page.text.bag_of_words)}</td></tr>" for page in evaluation.pages)
    total = evaluation.text
    rows += (f"<tr><th>total</th><th>{total.characters.length}</th><th>{percent(total.characters)}</th>"
             f"<th>{percent(total.words)}</th><th>{percent(total.bag_of_words)}</th></tr>")
    sections = "".join(
        f'<section id="page-{n}"><h2>{escape(page.truth)} → {escape(page.edition)}: '
        f"CER {percent(page.text.characters)} %, WER {percent(page.text.words)} %</h2>"
        f'<div class="diff">{_aligned(page.truth_text, page.edition_text)}</div></section>'
        for n, page in enumerate(evaluation.pages, start=1))
    unpaired = "".join(f"<p>{side} pages without a partner: {escape(', '.join(labels))}</p>"
                       for side, labels in (("Ground-truth", evaluation.truth_without_partner),
                                            ("Edition", evaluation.edition_without_partner)) if labels)
    notes = "".join(f"<p>Note: {escape(note)}</p>" for note in evaluation.notes)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Evaluation of {escape(edition)}</title>'
            f"<style>{STYLE}</style></head><body>"
            f"<h1>Evaluation of {escape(edition)}</h1><p>against {escape(truth)}</p>"
            f"<p>Compared: {escape(evaluation.options.describe())}. Pages paired by {escape(evaluation.matched_by)}."
            f"</p>{unpaired}{notes}"
            f'<p class="legend"><del>ground truth only</del> <ins>edition only</ins></p>'
            f"<table><tr><th>pages</th><th>chars</th><th>CER %</th><th>WER %</th><th>BoW %</th></tr>{rows}</table>"
            f"{sections}</body></html>\n")
