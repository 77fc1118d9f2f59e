"""The command line (installed as ``scan2tei``; ``python flows.py …`` is the same).

    scan2tei                                          # seeds/ -> output/
    scan2tei run --input PATH [PATH ...] --output DIR [--workers N | --dask ADDRESS] [--config FILE]
    scan2tei source EDITION.tei.xml                   # print the source rebuilt from an edition
    scan2tei text EDITION.tei.xml                     # print an edition's reading text
    scan2tei validate FILE [FILE ...]                 # validate editions against schemas/
    scan2tei evaluate EDITION GROUND_TRUTH ... [--json FILE] [--html FILE]   # CER/WER against ground truth
    scan2tei stages                                   # the stages in the order they run
    scan2tei serve [--cron "0 2 * * *"]               # re-process on a schedule (starts a local server)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path

from prefect.settings import PREFECT_API_URL, temporary_settings

from orchestration import flow
from orchestration.environment import ROOT
from orchestration.serve import command_serve
from orchestration.server import local_server_url, temporary_api
from pipeline import evaluation
from pipeline.config import ConfigFileError, PipelineConfig, load_config
from pipeline.errors import DocumentError
from pipeline.evaluation import html as evaluation_html, report as evaluation_report
from pipeline.evaluation.metrics import HYPHENS, NORMALIZATIONS, WHITESPACE, Options
from pipeline.export.text import PLACEMENTS, text_of_file
from pipeline.run.document import printable
from pipeline.run.storage import OutputFolderError, check_output_folder
from pipeline.run.watchdog import start_watchdog
from pipeline.stages import stage_table
from pipeline.tei.reader import rebuild_source_from_file
from pipeline.tei.validate import validate_file

DEFAULT_INPUT = ROOT / "seeds"
DEFAULT_OUTPUT = ROOT / "output"

def command_run(inputs: list[Path], output_dir: Path, dask_address: str | None = None, workers: int = 1,
                follow_links: bool = False, ocr_languages: str | None = None, file_group: str | None = None,
                fetch: bool = False, config: PipelineConfig | None = None) -> int:
    """``scan2tei run``: build editions of ``inputs`` in ``output_dir``; 0 when all were built."""
    missing = [p for p in inputs if not p.exists() and not p.is_symlink()]
    if len(missing) == len(inputs):
        for path in missing:
            print(f"FAILED  {printable(str(path))}: no such file or folder; nothing to do", file=sys.stderr)
        return 2  # and the output folder is not created for nothing
    try:
        check_output_folder(output_dir)
    except OutputFolderError as error:
        print(f"FAILED  {printable(str(error))}", file=sys.stderr)
        return 2
    flow.record_what_finishes()
    signal.signal(signal.SIGINT, flow.stop_at_once)
    server = None if os.environ.get("PREFECT_API_URL") else local_server_url()
    # the run's own temporary server; on Dask workers, tasks report to it (else each worker starts one)
    server = server or temporary_api(dask_address)
    try:
        with flow.dask_scratch(output_dir, workers > 1 and not dask_address) as scratch, \
                (temporary_settings({PREFECT_API_URL: server}) if server else contextlib.nullcontext()):
            # --workers N: N documents at once, and a document's page images read by N threads
            config = config or PipelineConfig(ocr_languages=ocr_languages, ocr_threads=max(1, workers),
                                              file_group=file_group, fetch=fetch)
            if config.fetch:
                config = config.model_copy(update={"fetch_cache": str(output_dir / flow.FETCH_CACHE)})
            flow_run = flow.build_editions.with_options(
                task_runner=flow.task_runner_for(dask_address, workers, scratch))
            reports = flow_run(inputs, output_dir, config, follow_links=follow_links)
    except OutputFolderError as error:
        print(f"FAILED  {printable(str(error))}", file=sys.stderr)
        return 2
    print(flow.summarize(reports))
    return 0 if all(r.status in ("ok", "empty") for r in reports) and reports else 1


def command_source(edition: Path) -> int:
    """Print the source rebuilt from an edition of ours. Characters the console cannot take
    (a lone surrogate kept from an undecodable source) are printed as escapes, and said."""
    try:
        text = rebuild_source_from_file(edition)
    except (DocumentError, OSError, ValueError) as error:  # NotOurEdition is a ValueError
        print(f"{printable(str(edition))}: {error}", file=sys.stderr)
        return 1
    data = text.encode("utf-8", "backslashreplace")
    escaped = sum(1 for c in text if 0xD800 <= ord(c) <= 0xDFFF)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    if escaped:
        print(f"{printable(str(edition))}: {escaped} character(s) that UTF-8 cannot carry (undecodable bytes "
              "of the source, kept as lone surrogates) printed as \\uXXXX escapes", file=sys.stderr)
    return 0


def command_text(edition: Path, furniture: str, notes: str) -> int:
    """Print an edition's reading text (as ``--export text`` writes it)."""
    try:
        text = text_of_file(edition, furniture, notes)
    except (DocumentError, OSError, ValueError) as error:
        print(f"{printable(str(edition))}: {error}", file=sys.stderr)
        return 1
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace"))
    sys.stdout.buffer.flush()
    return 0


def command_validate(files: list[Path]) -> int:
    """``scan2tei validate``: say for each file whether it is valid; 1 when one is not."""
    status = 0
    for path in files:
        errors = validate_file(path)
        if errors:
            status = 1
            print(f"INVALID {path}")
            for error in errors:
                print(f"  {error}")
        else:
            print(f"valid   {path}")
    return status


def command_evaluate(edition: Path, truth: list[Path], options: Options, json_file: Path | None,
                     html_file: Path | None) -> int:
    """Measure an edition (or an engine's output) against ground truth; the table on the
    terminal, JSON and HTML where asked. Unreadable ground-truth files are said, one line
    each, and the others compared; an unreadable edition, or nothing to compare, is an error."""
    edition_side = evaluation.read_source([edition], diplomatic=options.edition_text == "diplomatic")
    if not edition_side.pages:
        for line in edition_side.unreadable or [f"{edition}: no pages of text"]:
            print(f"ERROR   {printable(line)}", file=sys.stderr)
        return 1
    for line in edition_side.unreadable:
        print(f"WARNING {printable(line)} (left out)", file=sys.stderr)
    truth_side = evaluation.read_source(truth)
    for line in truth_side.unreadable:
        print(f"WARNING {printable(line)} (left out)", file=sys.stderr)
    if not truth_side.pages:
        print(f"ERROR   no ground truth could be read from {', '.join(printable(str(p)) for p in truth)}",
              file=sys.stderr)
        return 1
    result = evaluation.evaluate(edition_side.pages, truth_side.pages, options)
    names = str(edition), ", ".join(str(p) for p in truth)
    sys.stdout.write(evaluation_report.table(result, *names))
    try:
        if json_file:
            json_file.write_text(evaluation_report.to_json(result, [names[0]], [str(p) for p in truth],
                                                           truth_side.unreadable), encoding="utf-8")
        if html_file:
            html_file.write_text(evaluation_html.to_html(result, *names), encoding="utf-8")
    except OSError as error:
        print(f"ERROR   {printable(str(error.filename))}: cannot be written ({error.strerror})", file=sys.stderr)
        return 1
    return 0


INPUT_HELP = "files or folders of sources (folders are read recursively; a folder of page files is one book)"
OUTPUT_HELP = "the folder the editions, previews and manifest.json go to (created if missing)"


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: run, source, text, validate, stages, evaluate, serve."""
    parser = argparse.ArgumentParser(prog="scan2tei", description="Scans in any encoding -> validated TEI P5 editions.")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="build editions (default: seeds/ -> output/)")
    run.add_argument("--input", nargs="+", type=Path, default=[DEFAULT_INPUT], metavar="PATH",
                     help=INPUT_HELP + " (default: seeds/)")
    run.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                     help=OUTPUT_HELP + " (default: output/)")
    run.add_argument("--config", type=Path, metavar="FILE",
                     help="settings in a TOML file, name = value a line (schemas/config.schema.json lists them)")
    run.add_argument("--dask", metavar="ADDRESS", help="run the documents on this Dask scheduler (tcp://host:8786)")
    run.add_argument("--workers", type=int, default=1, metavar="N", help="a local Dask cluster of N worker processes")
    run.add_argument("--follow-links", action="store_true",
                     help="read symbolic links that lead out of the input folder (not read by default)")
    add_processing_options(run)
    source = commands.add_parser("source", help="print the source text rebuilt from an edition")
    source.add_argument("edition", type=Path)
    text = commands.add_parser("text", help="print an edition's reading text (as --export text writes it)")
    text.add_argument("edition", type=Path)
    add_text_options(text)
    validate = commands.add_parser("validate", help="validate editions against the project schema")
    validate.add_argument("files", nargs="+", type=Path)
    commands.add_parser("stages", help="print the stages in the order they run: what each adds, needs and finds")
    evaluate = commands.add_parser(
        "evaluate", help="measure an edition (or OCR output) against ground truth: CER, WER, furniture P/R",
        description="EDITION: an edition, or an engine's own output (text, PAGE, ALTO, hOCR, ABBYY; file or folder). "
                    "GROUND_TRUTH: <stem>.gt.txt files, PAGE, ALTO or TEI; files or folders.")
    evaluate.add_argument("edition", type=Path, metavar="EDITION")
    evaluate.add_argument("truth", nargs="+", type=Path, metavar="GROUND_TRUTH")
    evaluate.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    evaluate.add_argument("--html", type=Path, metavar="FILE", help="write each page's differences as HTML")
    evaluate.add_argument("--normalization", choices=NORMALIZATIONS, default=Options.normalization,
                          help="Unicode normalization of both sides (default: %(default)s; NFKC folds long s)")
    evaluate.add_argument("--whitespace", choices=WHITESPACE, default=Options.whitespace,
                          help="collapse: any run of whitespace is one space (default); ignore: left out")
    evaluate.add_argument("--hyphens", choices=HYPHENS, default=Options.hyphens,
                          help="join: words hyphenated at a line's end are joined on both sides (default)")
    evaluate.add_argument("--edition-text", choices=("reading", "diplomatic"), default=Options.edition_text,
                          help="an edition's reading text (corrections, regularizations; default) or the source's")
    serve = commands.add_parser("serve", help="re-process the input on a schedule (a real Prefect server)")
    serve.add_argument("--input", nargs="+", type=Path, default=[DEFAULT_INPUT], metavar="PATH", help=INPUT_HELP)
    serve.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR", help=OUTPUT_HELP)
    serve.add_argument("--config", type=Path, metavar="FILE", help="settings in a TOML file (as for run)")
    add_processing_options(serve)
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default="0 2 * * *", help="when to run (default: nightly at 02:00)")
    when.add_argument("--interval", type=float, metavar="SECONDS", help="run every SECONDS instead")
    return parser


def add_processing_options(parser: argparse.ArgumentParser) -> None:
    """What a run reads and writes besides the editions: the same for `run` and for the runs
    `serve` schedules."""
    parser.add_argument("--ocr-languages", metavar="MODELS",
                        help="Tesseract models for page images, e.g. deu+frk (default: each page's script is detected)")
    parser.add_argument("--file-group", metavar="USE",
                        help="library packages (METS): the file group that gives the pages' text (default: ground "
                             "truth over OCR, else the group with text on most pages)")
    parser.add_argument("--fetch", action="store_true",
                        help="library packages: read remote full text (http/https) into OUTPUT/.fetched/")
    parser.add_argument("--export", nargs="+", action="extend", choices=("alto", "text"), metavar="FORMAT",
                        help="also write each edition as alto (ALTO v4 pages, OUT/NAME.alto/) and/or text "
                             "(its reading text, OUT/NAME.txt); a IIIF manifest is written for every edition with "
                             "page images")
    parser.add_argument("--base-url", metavar="URL",
                        help="where OUT will be published: the IIIF manifests' links are resolved against it")
    add_text_options(parser)


def add_text_options(parser: argparse.ArgumentParser) -> None:
    """The options of the plain-text export (furniture and notes left out or appended)."""
    parser.add_argument("--text-furniture", choices=PLACEMENTS,
                        help="plain text: page furniture left out (default) or appended")
    parser.add_argument("--text-notes", choices=PLACEMENTS, help="plain text: notes left out (default) or appended")


def read_config(path: Path | None, **overrides) -> PipelineConfig:
    """The run's settings: a --config file's, the command line's options over them."""
    if path is None:
        return PipelineConfig(**{name: value for name, value in overrides.items() if value is not None})
    return load_config(path, **overrides)


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` says (default: build seeds/ into output/); returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command in ("run", "serve"):
        try:  # --workers N: N documents at once, and a document's page images read by N threads
            config = read_config(args.config, ocr_languages=getattr(args, "ocr_languages", None),
                                 ocr_threads=max(1, getattr(args, "workers", 1)),
                                 file_group=getattr(args, "file_group", None),
                                 fetch=getattr(args, "fetch", None) or None,
                                 exports=list(dict.fromkeys(args.export)) if getattr(args, "export", None) else None,
                                 base_url=getattr(args, "base_url", None),
                                 text_furniture=getattr(args, "text_furniture", None),
                                 text_notes=getattr(args, "text_notes", None))
        except ConfigFileError as error:
            print(f"FAILED  {printable(str(error))}", file=sys.stderr)
            return 2
    if args.command == "serve":
        return command_serve(args.input, args.output, args.cron, args.interval, config)
    if args.command == "source":
        return command_source(args.edition)
    if args.command == "text":
        return command_text(args.edition, args.text_furniture or "omit", args.text_notes or "omit")
    if args.command == "validate":
        return command_validate(args.files)
    if args.command == "stages":
        print(stage_table(), end="")
        return 0
    if args.command == "evaluate":
        options = Options(args.normalization, args.whitespace, args.hyphens, args.edition_text)
        return command_evaluate(args.edition, args.truth, options, args.json, args.html)
    if args.command == "run":
        return command_run(args.input, args.output, args.dask, args.workers, args.follow_links, config=config)
    return command_run([DEFAULT_INPUT], DEFAULT_OUTPUT)


def cli() -> None:
    """The installed command ``scan2tei`` (and ``python flows.py``)."""
    if sys.argv[1:2] not in (["source"], ["text"], ["validate"], ["evaluate"], ["stages"]):
        start_watchdog()  # a run killed with -9 must not leave its servers and workers behind
    sys.exit(main())


if __name__ == "__main__":
    cli()
