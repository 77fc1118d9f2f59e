"""Prefect orchestration of the pipeline, and the command line.

    python flows.py                                   # seeds/ -> output/
    python flows.py run --input PATH [PATH ...] --output DIR [--workers N | --dask ADDRESS]
    python flows.py source EDITION.tei.xml            # print the source rebuilt from an edition
    python flows.py validate FILE [FILE ...]          # validate editions against schemas/
    python flows.py serve [--cron "0 2 * * *"]         # re-process on a schedule (starts a local server)

Prefect runs in its embedded mode (a temporary local server): nothing to install or start.
The library in pipeline/ knows nothing of Prefect; this file wraps it in tasks of a few
documents each (a task per document would cost more to orchestrate than to run).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Prefect reads its settings at import: quiet, local, and patient with a cold start.
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # a local cluster's start and stop are not news
# The embedded server's shutdown noise goes to $PREFECT_HOME/server.log (see the file).
os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(ROOT / "prefect-logging.yml"))

import httpx  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.settings import PREFECT_API_URL, temporary_settings  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.runtime import task_run  # noqa: E402

from pipeline.config import PipelineConfig  # noqa: E402
from pipeline.incremental import carried_over  # noqa: E402
from pipeline.inputs import discover_sources  # noqa: E402
from pipeline.manifest import RunManifest, build_manifest, write_manifest  # noqa: E402
from pipeline.process import DocumentReport, edition_path_for, process_file  # noqa: E402
from pipeline.tei_reader import rebuild_source_from_file  # noqa: E402
from pipeline.validate import validate_file  # noqa: E402

DEFAULT_INPUT = ROOT / "seeds"
DEFAULT_OUTPUT = ROOT / "output"


BATCH_DOCUMENTS = 32  # documents per task at most: a task costs tens of milliseconds to orchestrate
BATCH_BYTES = 2_000_000  # ... and a big document is a task of its own
MIN_BATCHES = 8  # small runs still spread over a few workers
TASK_RETRIES = 2


def _retry_only_io_errors(task, task_run, state) -> bool:
    """Retry what may be transient (I/O); a document's own problems are reported, not raised."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


# Per task run, the documents an earlier attempt finished: a retry redoes only the others
# (Prefect retries a task in the process that ran it).
_FINISHED: dict[str, dict[Path, DocumentReport]] = {}


@task(
    name="build-editions-batch",
    retries=TASK_RETRIES,
    retry_delay_seconds=1,
    retry_condition_fn=_retry_only_io_errors,
    task_run_name="{sources[0].name} (+{extra} more)",
)
def build_batch_task(sources: list[Path], output_dir: Path, config: PipelineConfig, extra: int) -> list[DocumentReport]:
    """Build the editions of a few documents. An I/O error (a flaky share) fails the task
    after the others are done, so that Prefect retries it; the last attempt reports it."""
    finished = _FINISHED.setdefault(str(task_run.id), {})
    io_errors: dict[Path, OSError] = {}
    for source in sources:
        if source not in finished:
            try:
                finished[source] = process_file(source, output_dir, config)
            except OSError as error:
                io_errors[source] = error
    if io_errors and task_run.run_count <= TASK_RETRIES:
        raise OSError("; ".join(f"{source.name}: {error}" for source, error in io_errors.items()))
    del _FINISHED[str(task_run.id)]
    return [finished.get(source) or failure(source, io_errors[source]) for source in sources]


def failure(source: Path, problem: str | Exception) -> DocumentReport:
    """The report of a document that got no edition (an exception is named by its type)."""
    if isinstance(problem, Exception):
        problem = f"{type(problem).__name__}: {problem}"
    return DocumentReport(file_name=source.name, source_path=str(source), status="failed", errors=[problem])


def batches(sources: list[Path]) -> list[list[Path]]:
    """Consecutive documents, up to BATCH_DOCUMENTS and BATCH_BYTES each."""
    size = max(1, min(BATCH_DOCUMENTS, -(-len(sources) // MIN_BATCHES)))
    groups: list[list[Path]] = []
    weight = 0
    for source in sources:
        try:
            length = source.stat().st_size
        except OSError:
            length = 0  # the build reports it
        if not groups or len(groups[-1]) >= size or weight + length > BATCH_BYTES:
            groups.append([])
            weight = 0
        groups[-1].append(source)
        weight += length
    return groups


@flow(name="build-editions", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def build_editions(inputs: list[Path], output_dir: Path, config: PipelineConfig | None = None) -> list[DocumentReport]:
    """Turn every source under ``inputs`` into ``output_dir/<stem>.tei.xml``, a few documents per task.

    Runs on the same output folder take turns (a lock file), so two never interleave writes;
    every run leaves ``manifest.json`` and a table and a summary as Prefect artifacts."""
    config = config or PipelineConfig()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with output_lock(output_dir):
        def record(reports: list[DocumentReport], pending: tuple[Path, ...] = ()) -> RunManifest:
            manifest = build_manifest([Path(p) for p in inputs], output_dir, reports, config.fingerprint(),
                                      time.perf_counter() - started, pending)
            write_manifest(manifest, output_dir)
            return manifest

        reports = _build_all(inputs, output_dir, config, record)
        manifest = record(reports)
    for name in manifest.withdrawn:
        print(f"WITHDRAWN {name}: its source is no longer in the input (edition kept)")
    _publish_artifacts(manifest)
    return reports


@contextlib.contextmanager
def output_lock(output_dir: Path):
    """An exclusive lock on the output folder for the length of a run (released by the OS
    if the run dies)."""
    with open(output_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish_artifacts(manifest) -> None:
    rows = [{"document": r.file_name, "status": r.status + (" (unchanged)" if r.unchanged else ""),
             "encoding": f"{r.encoding} ({r.encoding_confidence})" if r.encoding else "",
             "languages": ", ".join(f"{k} {v}%" for k, v in r.languages.items()),
             "interventions": ", ".join(f"{n} {k}" for k, n in r.interventions.items()),
             "errors": "; ".join(r.errors), "seconds": r.seconds} for r in manifest.documents]
    create_table_artifact(table=rows, key="editions", description="One row per document of the run")
    create_markdown_artifact(key="editions-summary", markdown=(
        f"# scan2tei run\n\n{len(manifest.documents)} documents: {manifest.written} written, "
        f"{manifest.unchanged} unchanged, {manifest.invalid} invalid, {manifest.failed} failed; "
        f"{len(manifest.withdrawn)} withdrawn. Configuration {manifest.configuration}.\n"))


CHECKPOINT_SECONDS = 30  # a long run records what it has done this often: a killed run resumes from there


def _build_all(inputs: list[Path], output_dir: Path, config: PipelineConfig, record) -> list[DocumentReport]:
    sources, problems = discover_sources([Path(p) for p in inputs])
    reports = [DocumentReport(file_name=p.split(":")[0], source_path=p.split(":")[0], status="failed",
                              errors=[p.split(": ", 1)[1]]) for p in problems]
    for line in problems:
        print(f"FAILED  {line}")
    seen: dict[Path, Path] = {}
    to_build = []
    for source in sources:
        target = edition_path_for(source, output_dir)
        if target in seen:
            report = failure(source, f"same edition name as {seen[target]}; rename one of them")
            reports.append(report)
            print(report.console_line())
            continue
        seen[target] = source
        to_build.append(source)
    unchanged = carried_over(to_build, output_dir, config)
    checkpoint = time.perf_counter()
    futures = {}
    for batch in batches([s for s in to_build if s not in unchanged]):
        future = build_batch_task.submit(batch, output_dir, config, len(batch) - 1)
        futures.update({source: (future, position) for position, source in enumerate(batch)})
    for done, source in enumerate(to_build, start=1):
        if len(to_build) > 20 and sys.stderr.isatty():
            print(f"[{done}/{len(to_build)}] {source.name}", file=sys.stderr, end="\r")
        report = unchanged.get(source) or _batch_report(source, *futures[source])
        print(report.console_line())
        reports.append(report)
        if time.perf_counter() - checkpoint > CHECKPOINT_SECONDS:
            record(reports + [unchanged[s] for s in to_build[done:] if s in unchanged], tuple(to_build[done:]))
            checkpoint = time.perf_counter()
    return reports


def _batch_report(source: Path, future, position: int) -> DocumentReport:
    try:
        return future.result()[position]
    except Exception as error:  # the batch failed after its retries: not a document's fault
        return failure(source, error)


def summarize(reports: list[DocumentReport]) -> str:
    written = sum(r.status == "ok" and not r.unchanged for r in reports)
    unchanged = sum(r.unchanged for r in reports)
    invalid = sum(r.status == "invalid" for r in reports)
    failed = sum(r.status == "failed" for r in reports)
    edits = sum(sum(r.interventions.values()) for r in reports)
    return (f"{len(reports)} documents: {written} written, {unchanged} unchanged, {invalid}"
            f" invalid (not written), {failed} failed; {edits} interventions recorded.")


def task_runner_for(dask_address: str | None, workers: int):
    """Documents run one at a time here by default; on a Dask cluster (an existing scheduler,
    or a local cluster of ``workers`` processes) they spread over its workers."""
    if dask_address or workers > 1:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=1)


def command_run(inputs: list[Path], output_dir: Path, dask_address: str | None = None, workers: int = 1) -> int:
    flow_run = build_editions.with_options(task_runner=task_runner_for(dask_address, workers))
    reports = flow_run(inputs, output_dir)
    print(summarize(reports))
    return 0 if all(r.status == "ok" for r in reports) and reports else 1


def command_source(edition: Path) -> int:
    try:
        sys.stdout.write(rebuild_source_from_file(edition))
    except Exception as error:
        print(f"{edition}: {error}", file=sys.stderr)
        return 1
    return 0


def command_validate(files: list[Path]) -> int:
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


def start_local_server() -> tuple[subprocess.Popen, str]:
    """A long-lived Prefect server on 127.0.0.1 (SQLite under $PREFECT_HOME/server), for
    scheduling: Prefect's temporary embedded server refuses schedules."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = Path(os.environ["PREFECT_HOME"]) / "server"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    log = open(home / "server-console.log", "ab")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped at start; see {home / 'server-console.log'}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"the Prefect server did not answer within 120 s; see {home / 'server-console.log'}")


def stop_server(server: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def command_serve(inputs: list[Path], output_dir: Path, cron: str) -> int:
    """Serve the flow as a deployment that re-processes ``inputs`` on ``cron``; only sources
    whose content changed are processed (the per-document cache)."""
    url, server = os.environ.get("PREFECT_API_URL"), None
    if not url:
        server, url = start_local_server()
    print(f"Prefect server at {url}; serving deployment build-editions/nightly on cron {cron!r}", flush=True)
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            build_editions.serve(name="nightly", cron=cron, parameters={
                "inputs": [str(p.resolve()) for p in inputs], "output_dir": str(output_dir.resolve())})
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            stop_server(server)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scans in any encoding -> validated TEI P5 editions.")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="build editions (default: seeds/ -> output/)")
    run.add_argument("--input", nargs="+", type=Path, default=[DEFAULT_INPUT], metavar="PATH")
    run.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR")
    run.add_argument("--dask", metavar="ADDRESS", help="run the documents on this Dask scheduler (tcp://host:8786)")
    run.add_argument("--workers", type=int, default=1, metavar="N", help="a local Dask cluster of N worker processes")
    source = commands.add_parser("source", help="print the source text rebuilt from an edition")
    source.add_argument("edition", type=Path)
    validate = commands.add_parser("validate", help="validate editions against the project schema")
    validate.add_argument("files", nargs="+", type=Path)
    serve = commands.add_parser("serve", help="re-process the input on a schedule (a real Prefect server)")
    serve.add_argument("--input", nargs="+", type=Path, default=[DEFAULT_INPUT], metavar="PATH")
    serve.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR")
    serve.add_argument("--cron", default="0 2 * * *", help="when to run (default: nightly at 02:00)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return command_serve(args.input, args.output, args.cron)
    if args.command == "source":
        return command_source(args.edition)
    if args.command == "validate":
        return command_validate(args.files)
    if args.command == "run":
        return command_run(args.input, args.output, args.dask, args.workers)
    return command_run([DEFAULT_INPUT], DEFAULT_OUTPUT)


if __name__ == "__main__":
    sys.exit(main())
