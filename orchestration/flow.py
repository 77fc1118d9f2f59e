"""The flow that builds editions: every source under the inputs, a few documents per task (a
task per document would cost more to orchestrate than to run), and what an interrupted run
records. Prefect runs in its embedded mode (a temporary local server) unless a server is named."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.runtime import task_run
from prefect.task_runners import ThreadPoolTaskRunner

from orchestration.console import say
from orchestration.pages import pages_on_the_cluster
from pipeline.config import PipelineConfig
from pipeline.run.document import DocumentReport, printable, process_file
from pipeline.run.incremental import carried_over
from pipeline.run.inputs import MANIFEST_NAME, Source, discover_sources, source_key
from pipeline.run.manifest import RunManifest, build_manifest, read_manifest, write_manifest
from pipeline.run.naming import assign_names, known_names
from pipeline.run.storage import output_lock, remove_unfinished, scratch_folder, written_together

FETCH_CACHE = ".fetched"  # remote files of library packages (--fetch), under the output folder

# Documents per task at most: a task costs some 25 ms of CPU to orchestrate (Prefect's task engine,
# its three events, the server recording them), 64 seed-sized documents some 500 ms to build. On a
# cluster the orchestration is what keeps a second worker from doubling the documents (1.68x with
# 32, 1.72x with 64 on two workers, BENCHMARKS.md). In one process a batch's editions land together
# at its end, and a killed run loses the batch it was on: a run of more than FIRST_BATCH documents
# is two batches at least, so that its first editions land midway.
BATCH_DOCUMENTS = 64
# In one process nothing runs beside a batch: a task's orchestration (some 20 ms of CPU, in the
# run and its server) is all it costs, so twice as many documents a task, about 1.5 s of
# seed-sized documents, as much text as BATCH_BYTES at most, which is what a kill can lose.
BATCH_DOCUMENTS_ONE_PROCESS = 128
FIRST_BATCH = 32
BATCH_BYTES = 2_000_000  # ... and a big document is a task of its own
MIN_BATCHES = 8  # small runs still spread over a few workers
# What a document costs besides its bytes, in bytes: 11 ms a document and 0.5 ms a KB of text
# (the seed-sized corpus of bench.performance, one process)
DOCUMENT_BYTES = 20_000
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
# Held while a batch's files are put in place and added to _DONE: a Ctrl-C takes it before it
# records (a batch half put in place, its documents not yet said done, was left out of the
# manifest and the count), and keeps it (no batch lands after the record).
_LANDING = threading.Lock()
LANDING_WAIT_SECONDS = 10  # at most, for a batch's renames on a stalled disk: Ctrl-C still stops


def _landing_lock() -> threading.Lock:
    """The process's landing lock. The batch task asks for it by this function: a task sent to a
    Dask worker carries the globals it names, and a lock cannot travel (the worker takes its own)."""
    return _LANDING


@task(
    name="build-editions-batch",
    cache_policy=NO_CACHE,  # nothing is cached: no key to compute (a hash of the inputs and source) per task
    persist_result=False,  # the reports go back to the run in memory (or over Dask)
    retries=TASK_RETRIES,
    retry_delay_seconds=1,
    retry_condition_fn=_retry_only_io_errors,
    task_run_name="{label}",
)
def build_batch_task(work: Sequence[tuple[Source, str]], output_dir: Path, config: PipelineConfig,
                     label: str) -> list[DocumentReport]:
    """Build the editions of a few documents (each a source and its edition's base name).
    Whatever goes wrong with one document is that document's report: the others are built.
    An I/O error (a flaky share) fails the task after the others are done, so that Prefect
    retries it; the last attempt reports it."""
    set_start_up_heap_aside()
    finished = _FINISHED.setdefault(str(task_run.id), {})
    pages = pages_on_the_cluster()  # a book's pages are read on the whole cluster, if there is one
    io_errors: dict[str, OSError] = {}
    built = []  # this attempt's documents: their files are put in place together, at the end

    def landed() -> None:  # in place: from now on a Ctrl-C records them (see stop_at_once)
        if _DONE is not None:
            _DONE.update((key, finished[key]) for key in built if key in finished)

    try:
        with written_together(landed, _landing_lock()):  # one flush to disk for the batch, not one per file
            for source, base in work:
                if source.key not in finished:
                    built.append(source.key)
                    try:
                        finished[source.key] = process_file(source.path, output_dir, config, base,
                                                            source.display_name, source.pages,
                                                            source.left_out, source.key,
                                                            map_pages=pages if source.pages else None)
                    except OSError as error:
                        io_errors[source.key] = error
                    except Exception as error:  # process_file reports a document's problems; a last guard
                        finished[source.key] = failure(source, error)
    except OSError:
        for key in built:  # nothing of them was put in place: a retry builds them again
            finished.pop(key, None)
        raise
    if io_errors and task_run.run_count <= TASK_RETRIES:
        raise OSError("; ".join(f"{key}: {error}" for key, error in io_errors.items()))
    del _FINISHED[str(task_run.id)]
    return [finished.get(source.key) or failure(source, io_errors[source.key]) for source, _ in work]


def set_start_up_heap_aside() -> None:
    """Once per process, at its first batch: the objects alive then (Prefect, pydantic, SQLAlchemy,
    Dask: some 170,000, none of them garbage but a hundred) are left out of garbage collection,
    which otherwise walks them all at every full collection (0.13 s each on a run's main
    process) while the documents are built. Asked of the gc module, not of a flag here: a task
    sent to a Dask worker carries its own copy of this module's globals."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


class Unwalked(Sequence):
    """A list Prefect does not walk. It looks for futures in a task's arguments and a flow's
    return value, list by list, model by model and field by field (16,000 steps for the
    reports of 500 documents); these hold none. (Its ``quote`` is lost on a Dask worker.)"""

    def __init__(self, items: list):
        self._items = items

    def __getitem__(self, index):
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"Unwalked({self._items!r})"


def failure(source: Source, problem: str | Exception) -> DocumentReport:
    """The report of a document that got no edition (an exception is named by its type)."""
    if isinstance(problem, Exception):
        problem = f"{type(problem).__name__}: {problem}"
    return DocumentReport(file_name=source.display_name, source_path=source.key, status="failed", errors=[problem])


def batches(sources: list, path_of=lambda item: item, spread: int | None = None) -> list[list]:
    """Consecutive documents in batches of about one weight (their bytes and what a document
    costs besides), up to BATCH_DOCUMENTS (in one process BATCH_DOCUMENTS_ONE_PROCESS) and
    BATCH_BYTES each; a big document (a book) is a
    batch of its own. ``path_of`` gives the file of an item, for its size. ``spread``: how many
    tasks run at once (None: not known): one, at least two batches beyond FIRST_BATCH documents;
    more than one, at least MIN_BATCHES batches, their number a multiple of ``spread`` (no
    worker left alone with the last one)."""
    lengths = []
    for source in sources:
        try:
            path = path_of(source)
            lengths.append(BATCH_BYTES if path.is_dir() else path.stat().st_size)  # a book: a batch of its own
        except OSError:
            lengths.append(0)  # the build reports it
    most = BATCH_DOCUMENTS_ONE_PROCESS if spread == 1 else BATCH_DOCUMENTS
    count = -(-len(sources) // most)
    if spread == 1 and len(sources) > FIRST_BATCH:
        count = max(count, 2)
    if spread != 1:
        count = max(count, MIN_BATCHES)
    if spread and spread > 1:
        count = -(-count // spread) * spread
    share = max(1.0, sum(length + DOCUMENT_BYTES for length in lengths if length < BATCH_BYTES) / max(1, count))
    groups: list[list] = []
    done, last, weight = 0.0, None, 0  # the small documents' weight so far; the current batch's share and bytes
    for source, length in zip(sources, lengths):
        if length >= BATCH_BYTES:
            groups.append([source])
            last = None
            continue
        cost = length + DOCUMENT_BYTES
        share_of = int((done + cost / 2) // share)  # the share its middle falls in
        done += cost
        if share_of != last or len(groups[-1]) >= most or weight + length > BATCH_BYTES:
            groups.append([])
            last, weight = share_of, 0
        groups[-1].append(source)
        weight += length
    return groups


@flow(name="build-editions", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def build_editions(inputs: list[Path], output_dir: Path, config: PipelineConfig | None = None,
                   follow_links: bool = False) -> Sequence[DocumentReport]:
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
    return Unwalked(reports)


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
            say(report.console_line())
        previous = read_manifest(self.output_dir)
        known = known_names(previous.documents, previous.editions, self.output_dir) if previous else {}
        self.bases, self.kept = assign_names(sources, self.output_dir, known)
        unchanged = self.unchanged = carried_over(sources, self.bases, self.output_dir, self.config, previous)
        checkpoint = time.perf_counter()
        submitted = {}
        work = [(s, self.bases[s.key]) for s in sources if s.key not in unchanged]
        for batch in batches(work, path_of=lambda pair: pair[0].path, spread=_tasks_at_once()):
            label = batch[0][0].display_name + (f" (+{len(batch) - 1} more)" if len(batch) > 1 else "")
            batch_run = _Batch(build_batch_task.submit(Unwalked(batch), self.output_dir, self.config, label))
            submitted.update({source.key: (batch_run, position) for position, (source, _) in enumerate(batch)})
        for done, source in enumerate(sources, start=1):
            if len(sources) > 20 and sys.stderr.isatty():
                print(f"[{done}/{len(sources)}]", file=sys.stderr, end="\r")
            if (report := unchanged.get(source.key)) is None:
                batch_run, position = submitted[source.key]
                report = batch_run.report(source, position)
            reports.append(report)  # before it leaves _DONE: a Ctrl-C between the two records it
            if _DONE is not None:
                _DONE.pop(source.key, None)
            say(report.console_line())
            for line in report.problem_lines():
                say(line)
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


def record_what_finishes() -> None:
    """In a run from the command line: keep every document finished in this process until the
    run takes its report, so that a Ctrl-C records it (see ``stop_at_once``)."""
    global _DONE
    _DONE = {}


def stop_at_once(signum, frame) -> None:
    """Ctrl-C on `run`: record what was done, say so in one line and exit 130 at once (no
    traceback; Prefect's server and any Dask workers are stopped by the watchdog). Editions
    are written whole or not at all, and a rerun carries over what the manifest lists."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the record
    written = 0
    with contextlib.suppress(Exception):
        _LANDING.acquire(timeout=LANDING_WAIT_SECONDS)  # a batch being put in place lands whole first
        run = _CURRENT_RUN
        written = run.record_interrupted() if run is not None else 0
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    os.write(2, f"interrupted: {written} written, rerun to resume\n".encode())
    os._exit(130)


def _tasks_at_once() -> int | None:
    """How many tasks the run's task runner runs at once: a Dask cluster's threads (None when
    the cluster does not say); this process's thread runner runs one at a time."""
    context = FlowRunContext.get()
    runner = context.task_runner if context is not None else None
    if isinstance(runner, ThreadPoolTaskRunner):
        return 1
    try:
        return sum(runner.client.nthreads().values()) or None
    except Exception:  # not a Dask runner, or the cluster did not answer: batches for any cluster
        return None


class _Batch:
    """A batch handed to the task runner. Its reports are asked of Prefect once, not once a
    document: each answer is a round trip through Prefect's event-loop thread."""

    def __init__(self, future):
        self.future = future
        self.reports: list[DocumentReport] | None = None
        self.problem: Exception | None = None

    def report(self, source: Source, position: int) -> DocumentReport:
        if self.reports is None and self.problem is None:
            try:
                self.reports = self.future.result()
            except Exception as error:  # the batch failed after its retries: not a document's fault
                self.problem = error
        return failure(source, self.problem) if self.reports is None else self.reports[position]


def summarize(reports: list[DocumentReport]) -> str:
    """The run's last line: documents written, unchanged, invalid, empty, failed; interventions."""
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
