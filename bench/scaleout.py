"""Scale-out: documents and a book's pages on an external Dask cluster (a ``dask scheduler``
and ``dask worker`` processes of one thread each, started beside the run), and the peak memory
of a big image book.

    python -m bench.scaleout [--memory 50 200 600] [--docs 120] [--book-pages 200] [--ocr-pages 6]

``bench.performance`` prints these lines too. The books are synthetic and deterministic: page
images (grey TIFFs, which the preview needs PNG copies of) with their hOCR beside them, so that
no OCR runs and the figures are the pipeline's own; and a few pages rendered for OCR.
"""

from __future__ import annotations

import argparse
import random
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("the council met again in the spring and argued at length about bells ropes tower wardens "
         "accounts treaty session minutes year paid closed mended reported").split()
PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi: wider than the preview's copies, so every page gets one
LINES = 12  # a short page: the text's own cost grows with the pages whatever is done with the images
BIG_BOOKS = 4_000_000_000  # max_document_bytes: a 600-page book of these pages weighs 0.5 GB


def page_lines(rng: random.Random, number: int) -> list[str]:
    lines = [f"Minutes of the council {number}"]
    for _ in range(LINES - 1):
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
    too unpickles the tasks' functions)."""

    def __init__(self, folder: Path, workers: int):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        self.env = dict(os.environ, PYTHONPATH=str(ROOT))
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

    def tasks_run(self) -> dict[str, int]:
        """How many tasks of each function the scheduler has seen finish (its recent log)."""
        from distributed import Client

        def finished(dask_scheduler):
            return [str(entry[0]) for entry in dask_scheduler.transition_log if entry[2] == "memory"]
        counts: dict[str, int] = {}
        with Client(self.address, timeout=10) as client:
            for key in client.run_on_scheduler(finished):
                name = key.split("-", 1)[0]
                counts[name] = counts.get(name, 0) + 1
        return counts

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


def run_on(address: str | None, inbox: Path, out: Path, home: Path, *extra: str) -> float:
    """Wall seconds of ``flows.py run`` on the cluster at ``address`` (None: one process)."""
    settings = home.parent / "big-books.toml"
    settings.write_text(f"max_document_bytes = {BIG_BOOKS}\n", encoding="utf-8")
    command = [sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output", str(out),
               "--config", str(settings), *extra]
    started = time.perf_counter()
    result = subprocess.run(command + (["--dask", address] if address else []), cwd=ROOT, capture_output=True,
                            text=True, env=dict(os.environ, PREFECT_HOME=str(home)))
    if result.returncode != 0 or "Traceback" in result.stderr:
        raise RuntimeError(f"the run failed:\n{result.stdout[-1000:]}{result.stderr[-2000:]}")
    return time.perf_counter() - started


def ocr_book(folder: Path, pages: int) -> Path:
    """``pages`` pages of English prose rendered at 300 dpi, for Tesseract's eng model."""
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True)
    face = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 36)
    rng = random.Random(7)
    for number in range(1, pages + 1):
        lines = page_lines(rng, number)[:20]
        image = Image.new("L", (1500, 160 + 70 * len(lines)), 255)
        draw = ImageDraw.Draw(image)
        for n, line in enumerate(lines):
            draw.text((100, 80 + 70 * n), line, font=face, fill=0)
        image.save(folder / f"p{number:03d}.tif", format="TIFF", dpi=(300, 300))
    return folder


def cluster_rows(work: Path, docs: int, book_pages: int, ocr_pages: int) -> list[tuple[str, str]]:
    """Each workload on an external cluster of 1 and of 2 workers; the run's fixed cost (a
    one-document run on the same cluster) measured too, and what the machine's other users were
    doing (its load average, over the cores)."""
    from bench.performance import SMALL_DOCUMENT, seed_sized_corpus

    single = work / "single" / "one"
    single.mkdir(parents=True)
    (single / "one.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
    loads = [os.getloadavg()[0]]
    seed_sized_corpus(work / "docs", docs)
    workloads = {"documents": work / "docs"}
    workloads["book"] = write_book(work / "book" / "book", book_pages).parent
    if ocr_pages:
        workloads["ocr"] = ocr_book(work / "ocr" / "scans", ocr_pages).parent
    extra = {"ocr": ("--ocr-languages", "eng")}
    times: dict[tuple[str, int], float] = {}
    tasks = {}
    for workers in (1, 2):
        with ExternalCluster(work / f"cluster{workers}", workers) as cluster:
            home = work / "prefect-home"
            run_on(cluster.address, single.parent, work / f"warm{workers}", home)  # Prefect's database, the workers' imports
            times["fixed", workers] = run_on(cluster.address, single.parent, work / f"fixed{workers}", home)
            progress(f"{workers} worker(s), one document: {times['fixed', workers]:.1f} s")
            for name, inbox in workloads.items():
                times[name, workers] = run_on(cluster.address, inbox, work / f"out-{name}-{workers}", home,
                                              *extra.get(name, ()))
                loads.append(os.getloadavg()[0])
                progress(f"{workers} worker(s), {name}: {times[name, workers]:.1f} s, load {loads[-1]:.1f}")
            tasks[workers] = cluster.tasks_run()
    cores = os.cpu_count() or 1
    load = f"load average {min(loads):.1f}–{max(loads):.1f} on {cores} cores during the runs"
    rows = [("external cluster: a one-document run (the run's fixed cost)",
             f"1 worker {times['fixed', 1]:.1f} s, 2 workers {times['fixed', 2]:.1f} s")]
    labels = {"documents": (f"{docs} seed-sized documents", docs, "documents/s"),
              "book": (f"one {book_pages}-page image book (hOCR + TIFF: pages read, display copies made)",
                       book_pages, "pages/min"),
              "ocr": (f"one {ocr_pages}-page book recognised (eng)", ocr_pages, "pages/min")}
    ratios = {}
    for name in workloads:
        label, count, unit = labels[name]
        ratios[name] = times[name, 1] / times[name, 2]  # whole runs, fixed cost included: the cautious ratio
        net = {w: times[name, w] - times["fixed", w] for w in (1, 2)}
        beyond = (f"; beyond the fixed cost {net[1]:.1f} s and {net[2]:.1f} s" if min(net.values()) > 0
                  else "; not measurable beyond the fixed cost (a run took less than the one-document run)")
        rows.append((f"external cluster, {label}",
                     f"1 worker {times[name, 1]:.1f} s, 2 workers {times[name, 2]:.1f} s: {ratios[name]:.2f}×{beyond}"))
    rows.append(("external cluster, tasks the scheduler ran (2 workers)",
                 ", ".join(f"{name} {n}" for name, n in sorted(tasks[2].items()))))
    steady = max(loads) <= 1.5 * min(loads)  # the other users' share moved less than half: figures comparable
    met = steady and all(ratio >= 1.7 for ratio in ratios.values())
    rows.append(("GOAL (issue 32), external cluster: ≥ 1.7× the documents and a book's pages with 2 workers",
                 ", ".join(f"{name} {ratio:.2f}×" for name, ratio in ratios.items()) + f" ({load}"
                 + ("" if steady else "; it moved too much for the runs to compare") + "): "
                 + ("met" if met else "NOT met")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", type=int, nargs="*", default=[50, 200, 600], help="pages of the books measured")
    parser.add_argument("--docs", type=int, default=120, help="documents for the cluster (0: no cluster)")
    parser.add_argument("--book-pages", type=int, default=200)
    parser.add_argument("--ocr-pages", type=int, default=6)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scan2tei-scaleout-"))
    try:
        rows = cluster_rows(work, args.docs, args.book_pages, args.ocr_pages) if args.docs else []
        rows += memory_rows(work, args.memory) if args.memory else []
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for measure, result in rows:
        print(f"| {measure} | {result} |")


if __name__ == "__main__":
    main()
