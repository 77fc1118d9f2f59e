"""Prefect orchestration of the pipeline, and the command line (installed as ``scan2tei``;
``python flows.py …`` is the same).

    scan2tei                                          # seeds/ -> output/
    scan2tei run --input PATH [PATH ...] --output DIR [--workers N | --dask ADDRESS] [--config FILE]
    scan2tei source EDITION.tei.xml                   # print the source rebuilt from an edition
    scan2tei text EDITION.tei.xml                     # print an edition's reading text
    scan2tei validate FILE [FILE ...]                 # validate editions against schemas/
    scan2tei evaluate EDITION GROUND_TRUTH ... [--json FILE] [--html FILE]   # CER/WER against ground truth
    scan2tei serve [--cron "0 2 * * *"]               # re-process on a schedule (starts a local server)

Prefect runs in its embedded mode (a temporary local server): nothing to install or start.
The library in pipeline/ knows nothing of Prefect; this file wraps it in tasks of a few
documents each (a task per document would cost more to orchestrate than to run).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import _thread
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

from pipeline import evaluation  # noqa: E402
from pipeline.config import ConfigFileError, PipelineConfig, load_config  # noqa: E402
from pipeline.evaluation import html as evaluation_html, report as evaluation_report  # noqa: E402
from pipeline.evaluation.metrics import HYPHENS, NORMALIZATIONS, WHITESPACE, Options  # noqa: E402
from pipeline.errors import DocumentError  # noqa: E402
from pipeline.export.text import PLACEMENTS, text_of_file  # noqa: E402
from pipeline.run.incremental import carried_over  # noqa: E402
from pipeline.run.inputs import MANIFEST_NAME, Source, discover_sources, source_key  # noqa: E402
from pipeline.run.manifest import RunManifest, build_manifest, read_manifest, write_manifest  # noqa: E402
from pipeline.run.naming import assign_names, known_names  # noqa: E402
from pipeline.run.document import DocumentReport, printable, process_file  # noqa: E402
from pipeline.run.storage import (OutputFolderError, check_output_folder, output_lock, scratch_folder,  # noqa: E402
                                   remove_unfinished, write_atomically, written_together)
from pipeline.stages import stage_table  # noqa: E402
from pipeline.tei.reader import rebuild_source_from_file  # noqa: E402
from pipeline.tei.validate import validate_file  # noqa: E402
from pipeline.run.watchdog import start_watchdog  # noqa: E402

DEFAULT_INPUT = ROOT / "seeds"
DEFAULT_OUTPUT = ROOT / "output"
FETCH_CACHE = ".fetched"  # remote files of library packages (--fetch), under the output folder


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
_FINISHED: dict[str, dict[str, DocumentReport]] = {}
# In a run from the command line, every document finished in this process until the run takes
# its report: what a Ctrl-C records although its task has not ended (not kept in Dask workers).
_DONE: dict[str, DocumentReport] | None = None


@task(
    name="build-editions-batch",
    retries=TASK_RETRIES,
    retry_delay_seconds=1,
    retry_condition_fn=_retry_only_io_errors,
    task_run_name="{label}",
)
def build_batch_task(work: list[tuple[Source, str]], output_dir: Path, config: PipelineConfig,
                     label: str) -> list[DocumentReport]:
    """Build the editions of a few documents (each a source and its edition's base name).
    Whatever goes wrong with one document is that document's report: the others are built.
    An I/O error (a flaky share) fails the task after the others are done, so that Prefect
    retries it; the last attempt reports it."""
    finished = _FINISHED.setdefault(str(task_run.id), {})
    io_errors: dict[str, OSError] = {}
    built = []  # this attempt's documents: their files are put in place together, at the end
    try:
        with written_together():  # one flush to disk for the batch, not one per file
            for source, base in work:
                if source.key not in finished:
                    built.append(source.key)
                    try:
                        finished[source.key] = process_file(source.path, output_dir, config, base,
                                                                 source.display_name, source.pages)
                    except OSError as error:
                        io_errors[source.key] = error
                    except Exception as error:  # process_file reports a document's problems; a last guard
                        finished[source.key] = failure(source, error)
    except OSError:
        for key in built:  # nothing of them was put in place: a retry builds them again
            finished.pop(key, None)
        raise
    if _DONE is not None:
        _DONE.update((key, finished[key]) for key in built if key in finished)
    if io_errors and task_run.run_count <= TASK_RETRIES:
        raise OSError("; ".join(f"{key}: {error}" for key, error in io_errors.items()))
    del _FINISHED[str(task_run.id)]
    return [finished.get(source.key) or failure(source, io_errors[source.key]) for source, _ in work]


def failure(source: Source, problem: str | Exception) -> DocumentReport:
    """The report of a document that got no edition (an exception is named by its type)."""
    if isinstance(problem, Exception):
        problem = f"{type(problem).__name__}: {problem}"
    return DocumentReport(file_name=source.display_name, source_path=source.key, status="failed", errors=[problem])


def batches(sources: list, path_of=lambda item: item) -> list[list]:
    """Consecutive documents, up to BATCH_DOCUMENTS and BATCH_BYTES each (``path_of`` gives
    the file of an item, for its size)."""
    size = max(1, min(BATCH_DOCUMENTS, -(-len(sources) // MIN_BATCHES)))
    groups: list[list] = []
    weight = 0
    for source in sources:
        try:
            path = path_of(source)
            length = BATCH_BYTES if path.is_dir() else path.stat().st_size  # a book: a batch of its own
        except OSError:
            length = 0  # the build reports it
        if not groups or len(groups[-1]) >= size or weight + length > BATCH_BYTES:
            groups.append([])
            weight = 0
        groups[-1].append(source)
        weight += length
    return groups


@flow(name="build-editions", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def build_editions(inputs: list[Path], output_dir: Path, config: PipelineConfig | None = None,
                   follow_links: bool = False) -> list[DocumentReport]:
    """Turn every source under ``inputs`` into an edition in ``output_dir`` (named after its
    path under its input folder), a few documents per task.

    Runs on the same output folder take turns (a lock file), so two never interleave writes;
    every run leaves ``manifest.json`` and a table and a summary as Prefect artifacts."""
    config = config or PipelineConfig()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with output_lock(output_dir, waiting=lambda holder: say(
            f"waiting: {printable(str(output_dir))} is in use by {printable(holder)}; this run starts when it ends")):
        if removed := remove_unfinished(output_dir):
            print(f"removed {removed} unfinished temporary file(s) an interrupted run left in {output_dir}")
        global _CURRENT_RUN
        run = _CURRENT_RUN = _Run(list(map(Path, inputs)), output_dir, config, started)
        try:
            reports = run.build_all(follow_links)
            manifest = run.record(reports, final=True)
        finally:
            _CURRENT_RUN = None
    for name in manifest.withdrawn:
        print(f"WITHDRAWN {printable(name)}: its source is no longer in the input (edition kept)")
    _publish_artifacts(manifest)
    return reports


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


class _Run:
    """One run over an output folder: what it found, the names it gave, what it recorded."""

    def __init__(self, inputs: list[Path], output_dir: Path, config: PipelineConfig, started: float):
        self.inputs, self.output_dir, self.config, self.started = inputs, output_dir, config, started
        self.bases: dict[str, str] = {}
        self.kept: dict[str, str] = {}  # names of sources not in this run, editions kept
        self.manifest_problem: str | None = None
        self.reports: list[DocumentReport] = []  # the documents reported so far
        self.unchanged: dict[str, DocumentReport] = {}

    def record(self, reports: list[DocumentReport], final: bool = False) -> RunManifest:
        """Write the manifest; a full or failing disk is said once, and the run goes on."""
        manifest = build_manifest(self.inputs, self.output_dir, reports, self.config.fingerprint(),
                                  time.perf_counter() - self.started, self.bases, self.kept)
        try:
            write_manifest(manifest, self.output_dir)
        except OSError as error:
            problem = f"{self.output_dir / MANIFEST_NAME} could not be written: {error.strerror or error}"
            if problem != self.manifest_problem or final:
                print(f"WARNING {printable(problem)}" + (" (the editions listed above were written)" if final else ""))
            self.manifest_problem = problem
        return manifest

    def build_all(self, follow_links: bool) -> list[DocumentReport]:
        sources, problems = discover_sources(self.inputs, exclude=(self.output_dir,), follow_links=follow_links)
        reports = self.reports = [DocumentReport(file_name=str(p.path), source_path=source_key(p.path),
                                                 status="failed", errors=[p.problem]) for p in problems]
        for report in reports:
            print(report.console_line())
        previous = read_manifest(self.output_dir)
        known = known_names(previous.documents, previous.editions, self.output_dir) if previous else {}
        self.bases, self.kept = assign_names(sources, self.output_dir, known)
        unchanged = self.unchanged = carried_over(sources, self.bases, self.output_dir, self.config, previous)
        checkpoint = time.perf_counter()
        futures = {}
        work = [(s, self.bases[s.key]) for s in sources if s.key not in unchanged]
        for batch in batches(work, path_of=lambda pair: pair[0].path):
            label = batch[0][0].display_name + (f" (+{len(batch) - 1} more)" if len(batch) > 1 else "")
            future = build_batch_task.submit(batch, self.output_dir, self.config, label)
            futures.update({source.key: (future, position) for position, (source, _) in enumerate(batch)})
        for done, source in enumerate(sources, start=1):
            if len(sources) > 20 and sys.stderr.isatty():
                print(f"[{done}/{len(sources)}]", file=sys.stderr, end="\r")
            report = unchanged.get(source.key) or _batch_report(source, *futures[source.key])
            if _DONE is not None:
                _DONE.pop(source.key, None)
            print(report.console_line())
            for line in report.problem_lines():
                print(line)
            reports.append(report)
            if time.perf_counter() - checkpoint > CHECKPOINT_SECONDS:
                self.record(reports + [unchanged[s.key] for s in sources[done:] if s.key in unchanged])
                checkpoint = time.perf_counter()
        return reports


    def record_interrupted(self) -> int:
        """Record what an interrupted run did: the documents reported, those a task finished
        but had not handed back yet, and the unchanged ones; returns how many were written."""
        done = {report.source_path: report for report in self.reports}
        for key, report in list((_DONE or {}).items()):
            done.setdefault(key, report)
        for key, report in self.unchanged.items():
            done.setdefault(key, report)
        reports = list(done.values())
        self.record(reports)
        return sum(r.status == "ok" and not r.unchanged for r in reports)


# The run under way in this process: what an interrupted run records
_CURRENT_RUN: _Run | None = None


def stop_at_once(signum, frame) -> None:
    """Ctrl-C on `run`: record what was done, say so in one line and exit 130 at once (no
    traceback; Prefect's server and any Dask workers are stopped by the watchdog). Editions
    are written whole or not at all, and a rerun carries over what the manifest lists."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the record
    written = 0
    with contextlib.suppress(Exception):
        run = _CURRENT_RUN
        written = run.record_interrupted() if run is not None else 0
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    os.write(2, f"interrupted: {written} written, rerun to resume\n".encode())
    os._exit(130)


def _batch_report(source: Source, future, position: int) -> DocumentReport:
    try:
        return future.result()[position]
    except Exception as error:  # the batch failed after its retries: not a document's fault
        return failure(source, error)


def summarize(reports: list[DocumentReport]) -> str:
    written = sum(r.status == "ok" and not r.unchanged for r in reports)
    unchanged = sum(r.unchanged for r in reports)
    invalid = sum(r.status == "invalid" for r in reports)
    failed = sum(r.status == "failed" for r in reports)
    empty = sum(r.status == "empty" for r in reports)
    edits = sum(sum(r.interventions.values()) for r in reports)
    return (f"{len(reports)} documents: {written} written, {unchanged} unchanged, {invalid}"
            f" invalid (not written), {empty} empty (not written), {failed} failed; {edits} interventions recorded.")


def task_runner_for(dask_address: str | None, workers: int, scratch: Path | None = None):
    """Documents run one at a time here by default; on a Dask cluster (an existing scheduler,
    or a local cluster of ``workers`` processes) they spread over its workers. A local
    cluster's workers keep their files in ``scratch`` (Dask's default is the machine's
    temporary folder, where they outlive the run)."""
    if dask_address or workers > 1:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None,
                                              **({"local_directory": str(scratch)} if scratch else {})})
    return ThreadPoolTaskRunner(max_workers=1)


@contextlib.contextmanager
def dask_scratch(output_dir: Path, local_cluster: bool):
    """The folder a local Dask cluster's scheduler and workers keep their files in: inside the
    output folder, removed at the end (see scratch_folder); None without a local cluster."""
    if not local_cluster:
        yield None
        return
    import dask

    with scratch_folder(output_dir) as scratch, dask.config.set({"temporary-directory": str(scratch)}):
        yield scratch


def command_run(inputs: list[Path], output_dir: Path, dask_address: str | None = None, workers: int = 1,
                follow_links: bool = False, ocr_languages: str | None = None, file_group: str | None = None,
                fetch: bool = False, config: PipelineConfig | None = None) -> int:
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
    global _DONE
    _DONE = {}
    signal.signal(signal.SIGINT, stop_at_once)
    server = None if os.environ.get("PREFECT_API_URL") else local_server_url()
    try:
        with dask_scratch(output_dir, workers > 1 and not dask_address) as scratch, \
                (temporary_settings({PREFECT_API_URL: server}) if server else contextlib.nullcontext()):
            # --workers N: N documents at once, and a document's page images read by N threads
            config = config or PipelineConfig(ocr_languages=ocr_languages, ocr_threads=max(1, workers),
                                              file_group=file_group, fetch=fetch)
            if config.fetch:
                config = config.model_copy(update={"fetch_cache": str(output_dir / FETCH_CACHE)})
            flow_run = build_editions.with_options(task_runner=task_runner_for(dask_address, workers, scratch))
            reports = flow_run(inputs, output_dir, config, follow_links=follow_links)
    except OutputFolderError as error:
        print(f"FAILED  {printable(str(error))}", file=sys.stderr)
        return 2
    print(summarize(reports))
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


SERVER_URL_FILE = "url"  # under $PREFECT_HOME/server while serve's server runs
SERVER_LOG_FILE = "server-console.log"


def start_local_server() -> tuple[subprocess.Popen, str]:
    """A long-lived Prefect server on 127.0.0.1 (SQLite under $PREFECT_HOME/server), for
    scheduling: Prefect's temporary embedded server refuses schedules."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = server_home()
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    log = open(home / SERVER_LOG_FILE, "ab")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped at start; see {home / SERVER_LOG_FILE}")
        if answers(url, timeout=2):
            write_atomically(home / SERVER_URL_FILE, url.encode())  # for runs on this machine to find
            return server, url
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"the Prefect server did not answer within 120 s; see {home / SERVER_LOG_FILE}")




def server_home() -> Path:
    """Where `serve`'s own Prefect server keeps its database, console log and address."""
    return Path(os.environ["PREFECT_HOME"]) / "server"


def answers(url: str, timeout: float) -> bool:
    """Whether the Prefect server at ``url`` says it is healthy."""
    try:
        return httpx.get(f"{url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def local_server_url() -> str | None:
    """The server a running `serve` started on this machine (same PREFECT_HOME), if it
    answers: runs use it instead of starting Prefect's temporary server (seconds saved)."""
    try:
        url = (server_home() / SERVER_URL_FILE).read_text().strip()
    except OSError:
        return None
    return url if answers(url, timeout=1) else None


def stop_server(server: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        (server_home() / SERVER_URL_FILE).unlink()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


SERVER_CHECK_SECONDS = 10
SERVER_ERROR = re.compile(r"(Traceback|\bERROR\b|Error:|Exception:)")


class ServerWatch(threading.Thread):
    """Say on the console what goes wrong with the Prefect server while ``serve`` waits for
    its schedule: a server that stopped, one that no longer answers, errors in its log (a
    scheduler that fails every minute schedules nothing, and polling on would hide it)."""

    def __init__(self, url: str, server: subprocess.Popen | None, log: Path | None):
        super().__init__(name="prefect-server-watch", daemon=True)
        self.url, self.server, self.log = url, server, log
        self.offset = log.stat().st_size if log and log.exists() else 0
        self.reported: set[str] = set()
        self.stopping = threading.Event()

    def run(self) -> None:
        failures = 0
        while not self.stopping.wait(SERVER_CHECK_SECONDS):
            if self.server_stopped():
                _thread.interrupt_main()
                return
            failures = 0 if answers(self.url, timeout=5) else failures + 1
            if failures == 2:
                say(f"WARNING the Prefect server at {self.url} does not answer; scheduled runs cannot start")
            self.scan_log()

    def server_stopped(self) -> bool:
        """Whether our own server has stopped; said once."""
        if self.server is None or self.server.poll() is None:
            return False
        if not self.stopping.is_set():
            self.stopping.set()
            say(f"ERROR   the Prefect server stopped (exit code {self.server.returncode}); see {self.log}."
                " No scheduled run will happen: serve stops.")
        return True

    def scan_log(self) -> None:
        if self.log is None:
            return
        try:
            with open(self.log, "rb") as handle:
                handle.seek(self.offset)
                fresh = handle.read()
        except OSError:
            return
        self.offset += len(fresh)
        for line in fresh.decode("utf-8", "replace").splitlines():
            line = line.strip()
            # (a traceback's first line and its frames say less than the exception line that ends it)
            if SERVER_ERROR.search(line) and not line.startswith(("File ", "Traceback")) \
                    and line not in self.reported:
                self.reported.add(line)
                say(f"WARNING the Prefect server logged an error: {printable(line[:300])} (see {self.log})")


def trigger_command(url: str) -> str:
    """A command line that starts the served deployment now, from any shell on this machine."""
    prefect = Path(sys.executable).parent / "prefect"
    program = shlex.quote(str(prefect)) if prefect.exists() else f"{shlex.quote(sys.executable)} -m prefect"
    return f"PREFECT_API_URL={url} {program} deployment run build-editions/nightly"


def say(line: str) -> None:
    print(line, flush=True)


def command_serve(inputs: list[Path], output_dir: Path, cron: str | None, interval: float | None = None,
                  config: PipelineConfig | None = None) -> int:
    """Serve the flow as a deployment that re-processes ``inputs`` on ``cron`` (or every
    ``interval`` seconds); only sources whose content changed are processed."""
    url, server, log = os.environ.get("PREFECT_API_URL"), None, None
    if not url:
        server, url = start_local_server()
        log = server_home() / SERVER_LOG_FILE
    when = f"every {interval:g} s" if interval else f"on cron {cron!r}"
    say(f"Prefect server at {url}; serving deployment build-editions/nightly {when}")
    say(f"To run it now: {trigger_command(url)}")
    watch = ServerWatch(url, server, log)
    watch.start()
    schedule = {"interval": interval} if interval else {"cron": cron}
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            parameters = {"inputs": [str(p.resolve()) for p in inputs], "output_dir": str(output_dir.resolve())}
            if config is not None and config != PipelineConfig(ocr_threads=config.ocr_threads):
                parameters["config"] = config.model_dump(mode="json")
            # (Prefect's own hint names a `prefect` command that may not be on the PATH: ours above)
            build_editions.serve(name="nightly", **schedule, parameters=parameters, print_starting_message=False)
    except KeyboardInterrupt:
        pass
    except Exception as error:  # the runner lost its server: say so in one line, not a traceback
        time.sleep(1)  # a server that died is seen dead, not only unreachable
        if not watch.server_stopped():
            say(f"ERROR   serving stopped: the Prefect server at {url} failed ({type(error).__name__}: "
                f"{printable(str(error))})" + (f"; see {log}" if log else ""))
        return 1
    finally:
        watch.stopping.set()
        if server is not None:
            stop_server(server)
    return 0 if server is None or server.returncode in (0, -signal.SIGTERM, -signal.SIGINT, None) else 1


INPUT_HELP = "files or folders of sources (folders are read recursively; a folder of page files is one book)"
OUTPUT_HELP = "the folder the editions, previews and manifest.json go to (created if missing)"


def build_parser() -> argparse.ArgumentParser:
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
    run.add_argument("--ocr-languages", metavar="MODELS",
                     help="Tesseract models for page images, e.g. deu+frk (default: each page's script is detected)")
    run.add_argument("--file-group", metavar="USE",
                     help="library packages (METS): the file group that gives the pages' text (default: ground "
                          "truth over OCR, else the group with text on most pages)")
    run.add_argument("--fetch", action="store_true",
                     help="library packages: read remote full text (http/https) into OUTPUT/.fetched/")
    run.add_argument("--export", nargs="+", choices=("alto", "text"), metavar="FORMAT",
                     help="also write each edition as alto (ALTO v4 pages, OUT/NAME.alto/) and/or text "
                          "(its reading text, OUT/NAME.txt); a IIIF manifest is written for every edition with "
                          "page images")
    run.add_argument("--base-url", metavar="URL",
                     help="where OUT will be published: the IIIF manifests' links are resolved against it")
    add_text_options(run)
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
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default="0 2 * * *", help="when to run (default: nightly at 02:00)")
    when.add_argument("--interval", type=float, metavar="SECONDS", help="run every SECONDS instead")
    return parser


def add_text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--text-furniture", choices=PLACEMENTS,
                        help="plain text: page furniture left out (default) or appended")
    parser.add_argument("--text-notes", choices=PLACEMENTS, help="plain text: notes left out (default) or appended")


def read_config(path: Path | None, **overrides) -> PipelineConfig:
    """The run's settings: a --config file's, the command line's options over them."""
    if path is None:
        return PipelineConfig(**{name: value for name, value in overrides.items() if value is not None})
    return load_config(path, **overrides)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("run", "serve"):
        try:  # --workers N: N documents at once, and a document's page images read by N threads
            config = read_config(args.config, ocr_languages=getattr(args, "ocr_languages", None),
                                 ocr_threads=max(1, getattr(args, "workers", 1)),
                                 file_group=getattr(args, "file_group", None),
                                 fetch=getattr(args, "fetch", None) or None,
                                 exports=getattr(args, "export", None), base_url=getattr(args, "base_url", None),
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
