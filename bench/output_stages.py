"""CPU seconds of the library's output stages: TEI (build and serialize), validation, the HTML
preview and the reading edition (build, serialize, validate), as build_edition runs them.

    python -m bench.output_stages [--corpus seed-sized|benchmark] [--runs 5] [--no-record]

Each document is read and repaired once; the output stages then run over all of them, the
best of ``--runs`` passes kept (CPU seconds, not wall: the machine is shared). The corpora
are bench.performance's: the 138 seed-sized documents, or the benchmark corpus (200).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.machine import add_record_option, describe, publish
from bench.performance import build_corpus, load_once, seed_sized_corpus
from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.process import build_document
from pipeline.tei.preview import render_preview
from pipeline.tei.reading_edition import build_reading_edition
from pipeline.tei.validate import schema_errors
from pipeline.tei.writer import build_tei, serialize

STAGES = ("TEI", "validation", "HTML preview", "reading edition")


def stage_seconds(documents: list, config: PipelineConfig) -> dict[str, float]:
    """One pass of the output stages over ``documents`` ((size, Document) pairs): CPU s each."""
    spent = dict.fromkeys(STAGES, 0.0)
    for size, doc in documents:
        started = time.process_time()
        tree = build_tei(doc, config)
        built = time.process_time()
        schema_errors(tree)
        validated = time.process_time()
        if size <= config.preview_max_bytes:
            render_preview(tree)
        previewed = time.process_time()
        serialize(tree)
        serialized = time.process_time()
        reading = build_reading_edition(tree, "master.tei.xml", config)
        if reading is not None:
            serialize(reading[1])
            schema_errors(reading[1])
        spent["TEI"] += built - started + serialized - previewed
        spent["validation"] += validated - built
        spent["HTML preview"] += previewed - validated
        spent["reading edition"] += time.process_time() - serialized
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("seed-sized", "benchmark"), default="seed-sized")
    parser.add_argument("--runs", type=int, default=5)
    add_record_option(parser)
    args = parser.parse_args()
    config = PipelineConfig()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        if args.corpus == "seed-sized":
            paths = seed_sized_corpus(corpus, 140)
        else:
            corpus.mkdir()
            paths = build_corpus(corpus, 200)
        load_once()
        documents = []
        for path in paths:
            try:
                documents.append((path.stat().st_size, build_document(path.read_bytes(), path.name, config)))
            except DocumentError:
                pass
    passes = [stage_seconds(documents, config) for _ in range(args.runs)]
    best = {stage: min(spent[stage] for spent in passes) for stage in STAGES}
    rows = [f"| {stage} | {seconds:.3f} CPU s |" for stage, seconds in best.items()]
    rows.append(f"| the four together | {sum(best.values()):.3f} CPU s |")
    report = "\n".join(["| output stage | best of %d passes |" % args.runs, "|---|---|", *rows])
    heading = (f"## Output stages, {len(documents)} documents ({args.corpus})\n\n"
               f"Machine: {describe()}. Command: `python -m bench.output_stages --corpus {args.corpus} "
               f"--runs {args.runs}`.\n\n")
    publish(report, not args.no_record, heading)


if __name__ == "__main__":
    main()
