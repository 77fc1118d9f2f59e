"""What a run costs beyond the library, in CPU seconds, on many small documents (issue 32's
goal: at most 15 % of the library's time).

    python -m bench.overhead [--docs 500] [--pairs 3]

A run is ``flows.py run`` in a fresh process, as a user starts it (its watchdog, Prefect's
temporary server). Inside the run the library's CPU is counted where it is spent: the thread
time of each ``build_edition`` call. The run's own cost is everything else its processes
spend while the documents are built: the main process's CPU (every thread: reading sources,
writing files, the console, the manifest, Prefect's task and state traffic) and its child
processes' (the server, the watchdog), counted from the moment the flow starts working (the
server is up, everything imported: start-up is measured apart) until the run has ended and
the server has had time to persist what it was sent.

Wall-clock times drift by half on a machine shared by others; CPU seconds much less, and the
fixed costs of a run (the flow run, its artifacts, the server settling) vary too. So each
measure is a pair of runs, one document and many, alternated: the many documents' cost beyond
the one document's is what documents cost, for the library and for the run. Several pairs
give the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTLE_SECONDS = 6.0  # the server persists events and task runs every 5 s: let it catch up
GOAL = 0.15


def run_in_this_process(inputs: Path, output: Path) -> dict[str, float]:
    """Run the flow as `flows.py run` does, counting the library's CPU inside it; the CPU
    seconds of each part, from the flow's start of work until the server has settled."""
    from orchestration.environment import use_local_prefect

    use_local_prefect()
    import psutil

    import pipeline.run.document as document
    from orchestration import cli, flow
    from pipeline.run.watchdog import start_watchdog

    library = {"cpu": 0.0, "documents": 0}
    build_edition = document.build_edition

    def counted(*args, **kwargs):
        started = time.thread_time()
        try:
            return build_edition(*args, **kwargs)
        finally:
            library["cpu"] += time.thread_time() - started
            library["documents"] += 1

    document.build_edition = counted
    me = psutil.Process()
    window: dict[str, object] = {}

    def children_cpu() -> dict[int, tuple[str, float]]:
        cpu = {}
        for child in me.children(recursive=True):
            try:
                times = child.cpu_times()
                cpu[child.pid] = (" ".join(child.cmdline()[1:4]), times.user + times.system)
            except psutil.Error:
                pass
        return cpu

    build_all = flow._Run.build_all

    def start_of_work(run, *args, **kwargs):
        if not window:  # the server is up and everything is imported
            window.update(cpu=time.process_time(), library=library["cpu"], children=children_cpu(),
                          wall=time.perf_counter())
        return build_all(run, *args, **kwargs)

    flow._Run.build_all = start_of_work
    start_watchdog()
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            status = cli.main(["run", "--input", str(inputs), "--output", str(output)])
        finally:
            sys.stdout = stdout
    time.sleep(SETTLE_SECONDS)
    cpu, children, wall = time.process_time(), children_cpu(), time.perf_counter()
    before: dict[int, tuple[str, float]] = window["children"]  # type: ignore[assignment]
    server = watchdog = 0.0
    for pid, (command, seconds) in children.items():
        spent = seconds - before.get(pid, ("", 0.0))[1]
        if "watchdog" in command:
            watchdog += spent
        else:
            server += spent
    lib = library["cpu"] - window["library"]  # type: ignore[operator]
    return {"status": status, "documents": library["documents"], "library": lib,
            "main": cpu - window["cpu"] - lib, "server": server, "watchdog": watchdog,  # type: ignore[operator]
            "wall": wall - window["wall"] - SETTLE_SECONDS}  # type: ignore[operator]


def one_run(inputs: Path, output: Path, env: dict[str, str]) -> dict[str, float]:
    """``run_in_this_process`` in a fresh process."""
    result = subprocess.run([sys.executable, "-m", "bench.overhead", "--child", str(inputs), str(output)],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"the run did not report:\n{result.stderr[-2000:]}") from None


def own_cost(run: dict[str, float]) -> float:
    return run["main"] + run["server"] + run["watchdog"]


def measure(one: Path, many: Path, work: Path, pairs: int) -> list[tuple[dict, dict]]:
    """Pairs of runs, one document then the many, alternated, each in a fresh process and a
    fresh output folder (everything is built)."""
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect-home"))
    one_run(one, work / "warm-up", env)  # creates Prefect's database
    return [(one_run(one, work / f"one-{pair}", env), one_run(many, work / f"many-{pair}", env))
            for pair in range(pairs)]


def describe_result(runs: list[tuple[dict, dict]]) -> list[tuple[str, str]]:
    """The benchmark's rows: the run's own CPU per part, beyond one document and in all, its
    share of the library's CPU, and the goal (on the whole run, fixed costs included)."""

    def spread(values, unit="", scale=1.0) -> str:
        values = [v * scale for v in values]
        digits = 0 if unit == "%" or unit == " ms" else 2
        return (f"{statistics.median(values):.{digits}f}{unit} "
                f"({min(values):.{digits}f}–{max(values):.{digits}f})")

    bigs = [big for _, big in runs]
    documents = bigs[0]["documents"]
    extra = [big["documents"] - small["documents"] for small, big in runs]
    shares = [own_cost(big) / big["library"] for big in bigs]
    marginal = [(own_cost(big) - own_cost(small)) / (big["library"] - small["library"]) for small, big in runs]
    per_document = [(own_cost(big) - own_cost(small)) / n for (small, big), n in zip(runs, extra)]
    library_per_document = [(big["library"] - small["library"]) / n for (small, big), n in zip(runs, extra)]
    share = statistics.median(shares)
    return [
        (f"run's own CPU s, one document (the flow's work, start-up excluded), median and range of {len(runs)}",
         f"{spread([own_cost(small) for small, _ in runs])}: main process "
         f"{spread([small['main'] for small, _ in runs])}, Prefect's server {spread([small['server'] for small, _ in runs])}"),
        (f"run's own CPU s, {documents} seed-sized documents (library counted inside the run: thread time of "
         f"build_edition), {len(runs)} runs alternated with the one-document run",
         f"library {spread([b['library'] for b in bigs])}; the run beyond it {spread([own_cost(b) for b in bigs])}: "
         f"main process {spread([b['main'] for b in bigs])}, Prefect's server {spread([b['server'] for b in bigs])}, "
         f"watchdog {spread([b['watchdog'] for b in bigs])}; wall {spread([b['wall'] for b in bigs])} s"),
        ("  a document beyond the first: the run's CPU against the library's",
         f"{spread(per_document, ' ms', 1000)} against {spread(library_per_document, ' ms', 1000)}: "
         f"{spread(marginal, '%', 100)}"),
        (f"GOAL (issue 32), the run's own CPU ≤ 15 % of the library's on many small documents ({documents})",
         f"{spread(shares, '%', 100)}: {'met' if share <= GOAL else 'NOT met'}"
         + (" (not on every run)" if share <= GOAL < max(shares) else "")),
    ]


def overhead_rows(work: Path, docs: int, pairs: int) -> list[tuple[str, str]]:
    """The benchmark's rows for ``docs`` seed-sized documents (bench.performance's corpus
    without its large documents) and ``pairs`` pairs of runs, in the folder ``work``."""
    from bench.performance import SMALL_DOCUMENT, seed_sized_corpus

    work.mkdir(parents=True, exist_ok=True)
    seed_sized_corpus(work / "many", docs)
    (work / "one").mkdir()
    (work / "one" / "one.txt").write_text(SMALL_DOCUMENT, encoding="utf-8")
    return describe_result(measure(work / "one", work / "many", work, pairs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500, help="seed-sized documents of the many-document run")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--child", nargs=2, type=Path, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_in_this_process(*args.child)))
        return
    with tempfile.TemporaryDirectory(prefix="scan2tei-overhead-") as folder:
        for label, value in overhead_rows(Path(folder), args.docs, args.pairs):
            print(f"{label}: {value}")


if __name__ == "__main__":
    main()
