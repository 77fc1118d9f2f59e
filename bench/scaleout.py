"""Scale-out: documents and a book's pages on an external Dask cluster (a ``dask scheduler``
and ``dask worker`` processes of one thread each, started beside the run), and the peak memory
of a big image book.

    python -m bench.scaleout --memory                      # the cluster alone (about 6 minutes)
    python -m bench.scaleout [--memory 50 200 600] [--docs 600] [--book-pages 200] [--hocr-pages 0]

On the cluster the work is measured, not the run: from the first task's start to the last
task's end as the scheduler records them (a run's start-up, Prefect's server and connecting
to the cluster cost 10-17 s whatever the work). ``bench.performance`` prints these lines too.
The books are synthetic and deterministic: pages rendered for OCR (TIFFs, which the preview
needs PNG copies of); for the memory, page images with their hOCR beside them, so that no OCR
runs and the figures are the pipeline's own.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("the council met again in the spring and argued at length about bells ropes tower wardens "
         "accounts treaty session minutes year paid closed mended reported").split()
PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi: wider than the preview's copies, so every page gets one
LINES = 12  # a short page: the text's own cost grows with the pages whatever is done with the images
OCR_LINES = 24  # a page to recognise: about 0.6 CPU s of Tesseract's
BIG_BOOKS = 4_000_000_000  # max_document_bytes: a 600-page book of these pages weighs 0.5 GB


def page_lines(rng: random.Random, number: int, count: int = LINES) -> list[str]:
    lines = [f"Minutes of the council {number}"]
    for _ in range(count - 1):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 11))))
    return lines


def write_book(folder: Path, pages: int, images: bool = True, seed: int = 32) -> Path:
    """A book folder of ``pages`` page images (``p0001.tif``) and their hOCR (``p0001.hocr``):
    the text drawn on the image where the hOCR says it is, on a paper of grey noise (a
    scan's display copy weighs about 0.35 MB; these about 0.5 MB). ``images=False``: the
    same hOCR alone, naming no image."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    width, height = PAGE_SIZE
    paper = random.Random(seed + 1)  # the noise of the paper, apart: the text is the same without images
    for number in range(1, pages + 1):
        stem = f"p{number:04d}"
        image = Image.frombytes("L", PAGE_SIZE, paper.randbytes(width * height) if images else bytes(width * height))
        image = image.point(lambda v: 251 + v % 5)
        draw = ImageDraw.Draw(image)
        spans = []
        for n, text in enumerate(page_lines(rng, number)):
            x0, y0 = 120, 120 + n * 38
            x1, y1 = min(width - 100, x0 + 11 * len(text)), y0 + 28
            draw.text((x0, y0 + 6), text, fill=0)
            words = "".join(f"<span class='ocrx_word' title='bbox {x0} {y0} {x1} {y1}; x_wconf 93'>{w}</span> "
                            for w in text.split())
            spans.append(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{words}</span>")
        if images:
            image.save(folder / f"{stem}.tif", format="TIFF", compression="tiff_deflate")
        named = f'image "{stem}.tif"; ' if images else ""
        (folder / f"{stem}.hocr").write_text(
            "<html xmlns='http://www.w3.org/1999/xhtml'><body>"
            f"<div class='ocr_page' title='{named}bbox 0 0 {width} {height}'>"
            f"<p class='ocr_par'>{''.join(spans)}</p></div></body></html>", encoding="utf-8")
    return folder


def peak_rss_mb(book: Path, out: Path) -> tuple[float, float]:
    """Peak resident memory (VmHWM) of a fresh process writing the book's editions with the
    run's own function, and its seconds."""
    code = ("import sys; from pathlib import Path; from pipeline.config import PipelineConfig; "
            "from pipeline.ingest.pages.reader import natural_key; from pipeline.run.document import process_file; "
            "book = Path(sys.argv[1]); pages = tuple(sorted((p.name for p in book.iterdir()), key=natural_key)); "
            f"report = process_file(book, Path(sys.argv[2]), PipelineConfig(max_document_bytes={BIG_BOOKS}), "
            "pages=pages); "
            "assert report.status == 'ok', report.errors; "
            "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, str(book), str(out)], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    return int(result.stdout.split()[-1]) / 1024, time.perf_counter() - started


def memory_rows(work: Path, sizes: list[int]) -> list[tuple[str, str]]:
    """Peak memory of image books of ``sizes`` pages, and of the same books' hOCR alone: the
    difference is what the page images cost (their bytes, decoding them, their display copies).
    A book's text, its TEI tree and its preview grow with its pages whatever is done with the
    images; the images' share is flat when it grows by less than a tenth of the copies' weight."""
    rows, shares = [], {}
    for pages in sizes:
        measured = []
        for images in (True, False):
            book = write_book(work / f"book{pages}-{images}", pages, images)
            out = work / f"out{pages}-{images}"
            peak, seconds = peak_rss_mb(book, out)
            measured.append((peak, seconds, sum(p.stat().st_size for p in out.rglob("*.png")) / 1e6))
            progress(f"{pages} pages, images {images}: peak {peak:.0f} MB, {seconds:.0f} s")
            shutil.rmtree(book, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
        (peak, seconds, copies), (text_peak, _, _) = measured
        shares[pages] = (peak - text_peak, copies)
        rows.append((f"peak memory, a {pages}-page image book (hOCR + grey TIFF pages, no OCR), with its preview",
                     f"{peak:.0f} MB ({seconds:.0f} s; its hOCR alone {text_peak:.0f} MB: the images "
                     f"{peak - text_peak:+.0f} MB; display copies {copies:.0f} MB on disk)"))
    small, large = min(sizes), max(sizes)
    growth = shares[large][0] - shares[small][0]
    copies = shares[large][1] - shares[small][1]
    rows.append((f"GOAL (issue 32), peak memory of a {large}-page image book flat in the number of pages",
                 f"the images' share {shares[small][0]:.0f} MB at {small} pages, {shares[large][0]:.0f} MB at "
                 f"{large} ({growth:+.0f} MB; the {large - small} more pages' display copies weigh {copies:.0f} MB): "
                 f"{'met' if growth < 0.1 * copies else 'NOT met'}"))
    return rows


def progress(line: str) -> None:
    """A measure as soon as it is taken (the table comes at the end)."""
    print(f"  {time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


class ExternalCluster:
    """A scheduler and ``workers`` worker processes of one thread each, on this machine, the
    project's code on their path (as every machine of a cluster must have it: the scheduler
    too unpickles the tasks' functions). Tesseract is held to one thread a worker (as
    ``--nthreads 1`` means: one core each)."""

    def __init__(self, folder: Path, workers: int):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        self.env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_THREAD_LIMIT="1")
        folder.mkdir(parents=True, exist_ok=True)
        self.logs: list = []
        self.processes = [self._start(folder / "scheduler.log", "scheduler", "--host", "127.0.0.1",
                                      "--port", str(port), "--no-dashboard")]
        try:
            self._wait_for(0)
            for n in range(workers):
                self.processes.append(self._start(folder / f"worker{n}.log", "worker", self.address, "--nthreads", "1",
                                                  "--no-dashboard", "--local-directory", str(folder / f"worker{n}")))
            self._wait_for(workers)
            self.task_stream_index()  # the scheduler records the tasks it runs from now on
        except BaseException:
            self.stop()
            raise

    def _start(self, log: Path, *arguments: str) -> subprocess.Popen:
        self.logs.append(open(log, "wb"))
        return subprocess.Popen([str(Path(sys.executable).with_name("dask")), *arguments], cwd=ROOT, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=self.logs[-1])

    def _wait_for(self, workers: int, timeout: float = 180) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with Client(self.address, timeout=10) as client:
                    if len(client.scheduler_info()["workers"]) >= workers:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise TimeoutError(f"the cluster at {self.address} did not get {workers} workers")

    def warm(self, documents: list[Path] = ()) -> None:
        """Every worker with the pipeline and Prefect imported and the library's tables loaded
        (``documents`` built in memory), as a long-lived cluster has them."""
        from distributed import Client

        with Client(self.address, timeout=10) as client:
            client.run(_load_the_library, [str(path) for path in documents])

    def tasks_run(self) -> dict[str, int]:
        """How many tasks of each function the scheduler has seen finish (its recent log)."""
        counts: dict[str, int] = {}
        for record in self.task_stream(0):
            name = str(record["key"]).split("-", 1)[0]
            counts[name] = counts.get(name, 0) + 1
        return counts

    def task_stream_index(self) -> int:
        """Where the scheduler's record of finished tasks stands (it starts recording here)."""
        from distributed import Client

        with Client(self.address, timeout=10) as client:
            return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.get_task_stream_index())

    def task_stream(self, since: int) -> list[dict]:
        """The tasks finished since ``since`` (task_stream_index), each with its key, worker and
        ``startstops`` (when it computed, by the worker's clock)."""
        from distributed import Client

        with Client(self.address, timeout=10) as client:
            return client.run_on_scheduler(
                lambda dask_scheduler: dask_scheduler.get_task_stream(start_index=since))

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds so far of the scheduler and of the workers (each ``dask worker`` is a
        nanny and its worker process)."""
        import psutil

        if not hasattr(self, "_trees"):  # each process and its descendants, found once
            self._trees = []
            for process in self.processes:
                root = psutil.Process(process.pid)
                self._trees.append([root, *root.children(recursive=True)])
        return {"scheduler": _cpu(self._trees[0]), "workers": sum(_cpu(tree) for tree in self._trees[1:])}

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self.logs:
            log.close()

    def __enter__(self) -> ExternalCluster:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def _load_the_library(documents: list[str]) -> None:
    import orchestration.flow  # noqa: F401  (Prefect)
    import pipeline.ingest.pages.ocr  # noqa: F401
    from pipeline.config import PipelineConfig
    from pipeline.process import build_edition

    for path in documents:  # the tables each script, language and encoding needs, loaded once a process
        build_edition(Path(path).read_bytes(), Path(path).name, PipelineConfig())


def _cpu(processes: list) -> float:
    """User + system CPU seconds of the processes (those still running)."""
    import psutil

    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def _role(process) -> str:
    """What a process of the run is: its main process, Prefect's server, the watchdog."""
    try:
        command = " ".join(process.cmdline())
    except Exception:
        return "other"
    if "watchdog" in command:
        return "watchdog"
    servers = ("prefect", "uvicorn", "temporary_server")  # Prefect's own, or the run's (orchestration/)
    return "Prefect server" if any(name in command for name in servers) else "other"


@dataclass
class Measured:
    """One run on the cluster: its wall seconds, the work's span as the scheduler recorded it
    (first task's start to last task's end), CPU seconds by process over the work's span, and
    the machine's load average (1 min) before and after."""
    wall: float
    span: float
    cpu: dict[str, float]  # during the span: the cluster's processes, the run's, the machine's other users
    load: tuple[float, float]
    # per function the tasks ran: first start and last end (seconds into the span), how many, seconds computing
    tasks: dict[str, tuple[float, float, int, float]]

    def tasks_line(self) -> str:
        """When each function's tasks ran. A book's task counts while it waits for its pages
        too: where no page task runs inside it, the book's own work (composing it, its stages,
        its TEI) runs alone, on one worker."""
        return "; ".join(f"{name} ×{count} {start:.1f}–{stop:.1f} s ({busy:.1f} s computing)"
                         for name, (start, stop, count, busy) in sorted(self.tasks.items(), key=lambda kv: kv[1]))

    def cpu_line(self) -> str:
        return ", ".join(f"{role} {seconds:.1f}" for role, seconds in self.cpu.items() if seconds >= 0.05) + \
            f" (of {(os.cpu_count() or 1) * self.span:.0f} core-s)"


SAMPLE_SECONDS = 1.0  # (interpolated between samples: the span's ends fall anywhere)
ROLES = ("workers", "scheduler", "flow's main process", "Prefect server", "watchdog", "this benchmark")


class CpuTimeline:
    """Each role's CPU seconds so far, sampled through a run: what every process did during
    any stretch of it (the work's span), and what the machine's other users did."""

    def __init__(self, cluster: ExternalCluster | None, run) -> None:
        import psutil

        self.cluster, self.run, self.me = cluster, psutil.Process(run.pid), psutil.Process()
        self.last: dict[int, tuple[str, float]] = {}  # per process of the run: its role, its CPU seconds
        self.samples: list[tuple[float, dict[str, float]]] = []

    def sample(self) -> None:
        import psutil

        with contextlib.suppress(psutil.NoSuchProcess):
            for child in [self.run, *self.run.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = child.cpu_times()
                    role = "flow's main process" if child.pid == self.run.pid else \
                        self.last.get(child.pid, (None,))[0] or _role(child)
                    self.last[child.pid] = (role, times.user + times.system)
        cpu = dict.fromkeys(ROLES, 0.0) | (self.cluster.cpu_seconds() if self.cluster else {})
        for role, seconds in self.last.values():
            cpu[role] = cpu.get(role, 0.0) + seconds
        mine = self.me.cpu_times()
        cpu["this benchmark"] = mine.user + mine.system
        cpu["other users"] = _machine_cpu() - sum(cpu.values())
        self.samples.append((time.time(), cpu))

    def at(self, moment: float) -> dict[str, float]:
        """Each role's CPU seconds at ``moment``, between the samples around it."""
        index = next((i for i, (when, _) in enumerate(self.samples) if when >= moment), len(self.samples) - 1)
        later_time, later = self.samples[index]
        earlier_time, earlier = self.samples[max(0, index - 1)]
        share = 0.0 if later_time == earlier_time else (moment - earlier_time) / (later_time - earlier_time)
        return {role: earlier[role] + share * (later[role] - earlier[role]) for role in later}

    def between(self, start: float, stop: float) -> dict[str, float]:
        first, last = self.at(start), self.at(stop)
        return {role: max(0.0, last[role] - first[role]) for role in last}


def run_on(cluster: ExternalCluster | None, inbox: Path, out: Path, home: Path, *extra: str) -> Measured:
    """``flows.py run`` of ``inbox`` on ``cluster`` (None: one process), measured."""
    settings = home.parent / "big-books.toml"
    settings.write_text(f"max_document_bytes = {BIG_BOOKS}\n", encoding="utf-8")
    command = [sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output", str(out),
               "--config", str(settings), *extra] + (["--dask", cluster.address] if cluster else [])
    load = os.getloadavg()[0]
    since = cluster.task_stream_index() if cluster else 0
    started, begun = time.perf_counter(), time.time()
    with open(home.parent / "run.log", "w+") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True,
                                   env=dict(os.environ, PREFECT_HOME=str(home)))
        timeline = CpuTimeline(cluster, process)
        while process.poll() is None:
            timeline.sample()
            time.sleep(SAMPLE_SECONDS)
        timeline.sample()
        wall = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if process.returncode != 0 or "Traceback" in output:
        raise RuntimeError(f"the run failed:\n{output[-3000:]}")
    first, last = begun, begun + wall  # without a cluster: the whole run
    phases: dict[str, list[float]] = {}
    if cluster:
        for record in cluster.task_stream(since):
            for startstop in record["startstops"]:
                if startstop["action"] == "compute":
                    phase = phases.setdefault(str(record["key"]).split("-", 1)[0], [math.inf, 0.0, 0, 0.0])
                    phase[0], phase[1] = min(phase[0], startstop["start"]), max(phase[1], startstop["stop"])
                    phase[2] += 1
                    phase[3] += startstop["stop"] - startstop["start"]
        first, last = min(phase[0] for phase in phases.values()), max(phase[1] for phase in phases.values())
    tasks = {name: (start - first, stop - first, count, busy) for name, (start, stop, count, busy) in phases.items()}
    return Measured(wall, last - first, timeline.between(first, last), (load, os.getloadavg()[0]), tasks)


def _machine_cpu() -> float:
    """CPU seconds every process of the machine has used, but idle and waiting on I/O."""
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def ocr_book(folder: Path, pages: int, lines: int = OCR_LINES) -> Path:
    """``pages`` pages of English prose rendered at 300 dpi, for Tesseract's eng model:
    ``lines`` lines a page (24: about 0.6 CPU s of recognition a page)."""
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True)
    face = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 36)
    rng = random.Random(7)
    for number in range(1, pages + 1):
        text = page_lines(rng, number, lines)
        image = Image.new("L", (1500, 160 + 70 * len(text)), 255)
        draw = ImageDraw.Draw(image)
        for n, line in enumerate(text):
            draw.text((100, 80 + 70 * n), line, font=face, fill=0)
        image.save(folder / f"p{number:03d}.tif", format="TIFF", dpi=(300, 300))
    return folder


def cluster_rows(work: Path, docs: int, book_pages: int, hocr_pages: int = 0) -> list[tuple[str, str]]:
    """Each workload on an external cluster of 1 and of 2 workers: its work measured as the
    scheduler records it (from the first task's start to the last task's end: the run's fixed
    cost, its start-up, Prefect's server, connecting, writing the manifest, left out), the
    whole run beside it, the load average before and after, and CPU seconds by process."""
    from bench.performance import seed_sized_corpus

    workloads, labels = {}, {}
    documents = []
    if docs:
        documents = seed_sized_corpus(work / "docs", docs)
        workloads["documents"] = (work / "docs", ())
        labels["documents"] = (f"{docs} seed-sized documents", docs, "documents/s", 1)
    if book_pages:
        workloads["book"] = (ocr_book(work / "ocr" / "book", book_pages).parent, ("--ocr-languages", "eng"))
        labels["book"] = (f"one {book_pages}-page image book recognised (eng, {OCR_LINES} lines a page, TIFF)",
                          book_pages, "pages/min", 60)
    if hocr_pages:
        workloads["hocr"] = (write_book(work / "hocr" / "book", hocr_pages).parent, ())
        labels["hocr"] = (f"one {hocr_pages}-page image book of hOCR + TIFF (pages read, display copies made)",
                          hocr_pages, "pages/min", 60)
    warm = work / "warm" / "inbox"  # enough documents that every worker builds some
    warm.mkdir(parents=True)
    for n in range(8):
        (warm / f"{n}.txt").write_text(f"A document, number {n}.\n", encoding="utf-8")
    measured: dict[tuple[str, int], Measured] = {}
    tasks = {}
    for workers in (1, 2):
        with ExternalCluster(work / f"cluster{workers}", workers) as cluster:
            cluster.warm(documents[:16])  # the corpus's every kind of document: seeds, scans, encodings
            home = work / "prefect-home"
            run_on(cluster, warm, work / f"warm{workers}", home)  # Prefect's database; the library's tables
            for name, (inbox, extra) in workloads.items():
                run = measured[name, workers] = run_on(cluster, inbox, work / f"out-{name}-{workers}", home, *extra)
                progress(f"{workers} worker(s), {name}: work {run.span:.1f} s of {run.wall:.1f} s, "
                         f"load {run.load[0]:.1f} → {run.load[1]:.1f}; CPU s: {run.cpu_line()}")
            tasks[workers] = cluster.tasks_run()
    rows = []
    ratios = {}
    for name in workloads:
        label, count, unit, scale = labels[name]
        one, two = measured[name, 1], measured[name, 2]
        ratios[name] = one.span / two.span
        rows.append((f"external cluster, {label}: {unit} of the work (first task's start to last task's end, "
                     "as the scheduler records it)",
                     f"1 worker {scale * count / one.span:.1f} ({one.span:.1f} s), 2 workers "
                     f"{scale * count / two.span:.1f} ({two.span:.1f} s): {ratios[name]:.2f}×; whole runs "
                     f"{one.wall:.1f} s and {two.wall:.1f} s ({one.wall / two.wall:.2f}×)"))
        for workers, run in ((1, one), (2, two)):
            rows.append((f"  {workers} worker(s): load average before → after; CPU seconds during the work; "
                         "the tasks", f"{run.load[0]:.1f} → {run.load[1]:.1f}; {run.cpu_line()}; {run.tasks_line()}"))
    rows.append(("external cluster, tasks the scheduler ran (2 workers)",
                 ", ".join(f"{name} {n}" for name, n in sorted(tasks[2].items()))))
    loads = [load for run in measured.values() for load in run.load]
    steady = max(loads) <= 1.5 * max(1.0, min(loads))  # the other users' share comparable from run to run
    met = steady and all(ratio >= 1.7 for ratio in ratios.values())
    rows.append(("GOAL (issue 32), external cluster: ≥ 1.7× the documents and a book's pages with 2 workers",
                 ", ".join(f"{name} {ratio:.2f}×" for name, ratio in ratios.items())
                 + f" (load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores"
                 + ("" if steady else "; it moved too much for the runs to compare") + "): "
                 + ("met" if met else "NOT met")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", type=int, nargs="*", default=[50, 200, 600], help="pages of the books measured")
    parser.add_argument("--docs", type=int, default=600, help="seed-sized documents on the cluster (0: none)")
    parser.add_argument("--book-pages", type=int, default=200, help="pages of the book recognised on the cluster")
    parser.add_argument("--hocr-pages", type=int, default=0, help="pages of a book of hOCR + TIFF on the cluster")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scan2tei-scaleout-"))
    try:
        rows = cluster_rows(work, args.docs, args.book_pages, args.hocr_pages) \
            if args.docs or args.book_pages or args.hocr_pages else []
        rows += memory_rows(work, args.memory) if args.memory else []
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for measure, result in rows:
        print(f"| {measure} | {result} |")


if __name__ == "__main__":
    main()
