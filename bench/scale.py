"""Goal 4 of the performance issue: many documents in one run, memory flat, re-runs cheap.

    python -m bench.scale [--sizes 1000 5000 10000] [--workers 2] [--no-record]

For each size, a corpus of seed-sized documents (bench.performance's generator, several
encodings) goes through `flows.py run --workers N` in a fresh process with its own Prefect
home; the peak resident memory of the whole process tree (the run, its temporary Prefect
server, the Dask workers) is sampled every 0.2 s with psutil. The largest corpus is then
run again unchanged; "beyond start-up" subtracts a run of one small document.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.machine import add_record_option, describe, publish
from bench.performance import SMALL_DOCUMENT, seed_sized_corpus

ROOT = Path(__file__).resolve().parent.parent
FLAT = 1.25  # the peak at the largest size within this factor of the smallest's: memory is flat
RERUN_BEYOND_STARTUP = 15.0  # seconds


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def timed_run(folder: Path, out: Path, env: dict, workers: int) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) of one `flows.py run`."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(folder), "--output",
                              str(out), "--workers", str(workers)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                peak = max(peak, tree_rss(watched))
            except psutil.Error:
                pass
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode not in (0, 1) or "Traceback" in errors:
        raise RuntimeError(f"the run failed:\n{errors[-2000:]}")
    return time.perf_counter() - started, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--workers", type=int, default=2)
    add_record_option(parser)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scan2tei-scale-"))
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect-home"))
    rows: list[tuple[str, str]] = []
    peaks: dict[int, float] = {}
    try:
        small = work / "small"
        small.mkdir()
        (small / "one.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
        timed_run(small, work / "small-out-0", env, args.workers)  # Prefect's database created
        startup = min(timed_run(small, work / f"small-out-{i}", env, args.workers)[0] for i in (1, 2))
        rows.append((f"start-up: one small document, --workers {args.workers}", f"{startup:.1f} s"))
        for size in args.sizes:
            corpus = seed_sized_corpus(work / f"corpus-{size}", size)
            megabytes = sum(p.stat().st_size for p in corpus) / 1e6
            seconds, peak = timed_run(work / f"corpus-{size}", work / f"out-{size}", env, args.workers)
            peaks[size] = peak
            rows.append((f"{len(corpus):,} documents ({megabytes:.0f} MB), --workers {args.workers}",
                         f"{seconds:.0f} s ({len(corpus) / seconds:.1f} documents/s), peak memory of the run's "
                         f"processes {peak:.0f} MB"))
        largest = max(args.sizes)
        again, _ = timed_run(work / f"corpus-{largest}", work / f"out-{largest}", env, args.workers)
        rows.append((f"the {largest:,} documents again, unchanged", f"{again:.1f} s ({again - startup:.1f} s beyond "
                     "start-up)"))
        smallest = min(args.sizes)
        flat = peaks[largest] <= FLAT * peaks[smallest]
        rows.append((f"GOAL 4, memory flat ({largest:,} vs {smallest:,} documents, ≤ {FLAT}×)",
                     f"{peaks[largest] / peaks[smallest]:.2f}×: {'met' if flat else 'NOT met'}"))
        quick = again - startup <= RERUN_BEYOND_STARTUP
        rows.append((f"GOAL 4, unchanged re-run ≤ {RERUN_BEYOND_STARTUP:.0f} s beyond start-up",
                     f"{again - startup:.1f} s: {'met' if quick else 'NOT met'}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"## Scale: many documents in one run ({datetime.date.today()}, python -m bench.scale)", "",
             f"Machine: {describe()}. Sizes {args.sizes}, --workers {args.workers}.", "",
             "| measure | result |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows] + [""]
    report = "\n".join(lines)
    publish(report, not args.no_record)


if __name__ == "__main__":
    main()
