"""Script normalization benchmark: stray characters of the other script injected at known
places into real text, with traps; the pipeline against plain OpenCC conversion.

    python -m bench.script            # prints the table and appends it to BENCHMARKS.md

Traditional set: the scanned book (seeds/002, which itself uses 于 台 并 却 够 强 担 刹
legitimately) plus composed paragraphs and trap sentences (加里寧, 干涉, 若干, 不相干,
不同于); one character in 80 is replaced by its simplified form. Simplified set: the Chinese
half of seeds/000 plus composed paragraphs, with traditional forms injected the same way.
"""

from __future__ import annotations

import argparse
import datetime
import random
from pathlib import Path

from bench.machine import add_record_option, describe, publish
from bench.texts import PARAGRAPHS
from pipeline.config import PipelineConfig
from pipeline.process import build_document
from pipeline.stages.script import opencc_table, simplified_only, traditional_only
from pipeline.stages.scriptnorm import converter, valid_simplified, valid_traditional, variant_map

ROOT = Path(__file__).resolve().parent.parent
TRAPS = "加里寧與若干代表說，這件事與我們不相干；我們反對武裝干涉，這不同于過去的做法，台灣的代表也同意。"
INJECT_EVERY = 80


def traditional_base() -> str:
    book = (ROOT / "seeds" / "002_492f708f3fafdf19.txt").read_text(encoding="utf-8")
    book = book.replace("结果", "結果")  # the book's own two OCR errors: only injected errors count
    return book + "\n\n" + "\n\n".join(PARAGRAPHS["zh-Hant"]) + "\n\n" + TRAPS + "\n"


def simplified_base() -> str:
    article = (ROOT / "seeds" / "000_98e9ae74c10308c1.txt").read_text(encoding="utf-8")
    chinese = article[article.index("Original:"):]
    return chinese + "\n\n" + "\n\n".join(PARAGRAPHS["zh-Hans"]) + "\n"


def inject(text: str, to_other: dict[str, str], rng: random.Random) -> tuple[str, dict[int, str]]:
    """Replace about one character in INJECT_EVERY that has an unambiguous counterpart."""
    chars, injected = list(text), {}
    for i, ch in enumerate(chars):
        if ch in to_other and rng.random() < 1 / INJECT_EVERY * 4:
            if len(injected) * INJECT_EVERY < i:
                injected[i] = ch
                chars[i] = to_other[ch]
    return "".join(chars), injected


def counterparts(direction: str) -> dict[str, str]:
    """traditional → simplified stray (or the reverse) for strays no standard of the target script
    admits: the errors the benchmark injects are errors by any reading."""
    if direction == "t2s":
        table, stray, valid = opencc_table("STCharacters"), simplified_only(), valid_traditional
    else:
        table, stray, valid = opencc_table("TSCharacters"), traditional_only(), valid_simplified
    mapping = {}
    for other, originals in table.items():
        if len(other) == 1 and other in stray and not valid(other) and len(originals) == 1:
            mapping[originals[0]] = other
    return mapping


def measure(injected: dict[int, str], corrections: dict[int, str], traps: set[int],
            standard: dict[str, str]) -> dict[str, float]:
    """A correction is right when it restores the injected character in the chosen standard
    (爲 comes back as 為 under the Taiwan standard, as the regularization would make it)."""
    right = sum(1 for i, ch in injected.items() if corrections.get(i) in (ch, standard.get(ch, ch)))
    made = len(corrections)
    wrong = made - right
    return {"injected": len(injected), "corrections": made, "right": right,
            "precision": right / made if made else 1.0, "recall": right / len(injected) if injected else 1.0,
            "over-corrections": wrong, "traps changed": sum(1 for i in traps if i in corrections)}


def pipeline_corrections(text: str) -> dict[int, str]:
    doc = build_document(text.encode("utf-8"), "bench.txt", PipelineConfig())
    return {e.start: e.replacement for e in doc.edits if e.kind == "correction" and e.stage == "script"}


def opencc_corrections(text: str, config_name: str) -> dict[int, str]:
    converted = converter(config_name).convert(text)
    if len(converted) != len(text):
        raise ValueError("OpenCC changed the length")
    return {i: b for i, (a, b) in enumerate(zip(text, converted)) if a != b}


def trap_positions(text: str, trap_chars: str) -> set[int]:
    start = text.index(TRAPS[:6]) if TRAPS[:6] in text else len(text)
    return {i for i in range(start, min(len(text), start + len(TRAPS))) if text[i] in trap_chars} | {
        i for i, ch in enumerate(text) if ch in "于台并却够强担刹"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_record_option(parser)
    args = parser.parse_args()
    rng = random.Random(20261125)
    rows = []
    for name, base, direction, plain in [("traditional text, simplified strays", traditional_base(), "t2s", "s2twp.json"),
                                         ("simplified text, traditional strays", simplified_base(), "s2t", "t2s.json")]:
        damaged, injected = inject(base, counterparts(direction), rng)
        traps = trap_positions(damaged, "里干于台") if direction == "t2s" else set()
        standard = variant_map(PipelineConfig().script_standard) if direction == "t2s" else {}
        for tool, corrections in [("pipeline", pipeline_corrections(damaged)),
                                  (f"OpenCC {plain.removesuffix('.json')}", opencc_corrections(damaged, plain))]:
            rows.append((name, tool, measure(injected, corrections, traps, standard)))

    lines = [f"## Chinese script correction ({datetime.date.today().isoformat()})", "",
             f"Machine: {describe()}. Command: `python -m bench.script`. Injected: one character in about "
             f"{INJECT_EVERY} replaced by its other-script form (only forms no standard of the text's script admits).", "",
             "| set | tool | injected | corrections | right | precision | recall | over-corrections | traps changed |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, tool, m in rows:
        lines.append(f"| {name} | {tool} | {m['injected']} | {m['corrections']} | {m['right']} | "
                     f"{m['precision']:.3f} | {m['recall']:.3f} | {m['over-corrections']} | {m['traps changed']} |")
    lines.append("")
    report = "\n".join(lines)
    publish(report, not args.no_record)


if __name__ == "__main__":
    main()
