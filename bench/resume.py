"""Kill a run at random points, resume it, and compare with an uninterrupted run.

    python -m bench.resume [--documents 300] [--kills 3] [--seed 1]

A corpus of seed-based documents is built once into an output folder without interruption,
and once by a run killed with SIGKILL (the run's own process only: what it started must go
with it) at random moments, then resumed to the end. Prints whether every file of the two
output folders is byte-identical (manifests aside: they hold timings) and whether any
process of ours (a Prefect server or worker started for this benchmark) is left, and
appends the figures to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from bench.machine import record

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def corpus(folder: Path, documents: int) -> None:
    folder.mkdir(parents=True)
    for i in range(documents):
        seed = SEEDS[i % len(SEEDS)]
        (folder / f"{i // 100:02d}" if i >= 100 else folder).mkdir(exist_ok=True)
        target = (folder / f"{i // 100:02d}" if i >= 100 else folder) / f"{i:04d}-{seed.name}"
        target.write_bytes(seed.read_bytes() + f"\n\nCopy {i}.\n".encode())


def run(inbox: Path, out: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output",
                             str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("manifest.json", ".lock")}


def ours(home: Path) -> list[str]:
    left = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("PREFECT_HOME") == str(home) and process.pid != os.getpid():
                left.append(f"{process.pid} {' '.join(process.cmdline())[:80]}")
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-resume-"))
    home = work / "prefect-home"
    env = dict(os.environ, PREFECT_HOME=str(home))
    inbox = work / "inbox"
    corpus(inbox, args.documents)

    started = time.perf_counter()
    clean = run(inbox, work / "clean", env)
    clean.wait()
    clean_seconds = time.perf_counter() - started
    print(f"clean run: {args.documents} documents in {clean_seconds:.1f} s (exit {clean.returncode})")

    out = work / "killed"
    leftovers = []
    for k in range(args.kills):
        process = run(inbox, out, env)
        delay = rng.uniform(8, max(9, clean_seconds * 0.9))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        editions = len(list(out.rglob("*.tei.xml")))
        deadline = time.time() + 20
        while ours(home) and time.time() < deadline:
            time.sleep(0.5)
        left = ours(home)
        leftovers += left
        print(f"kill {k + 1}: after {delay:.1f} s, {editions} edition files on disk; processes left: {len(left)}")
    resumed = run(inbox, out, env)
    resumed.wait()
    time.sleep(7)  # the last watchdog's grace period
    leftovers += ours(home)
    a, b = files(work / "clean"), files(out)
    differing = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
    identical = not differing and resumed.returncode == 0
    print(f"resumed run exit {resumed.returncode}; {len(b)} files; byte-identical to the clean run: "
          f"{'yes' if identical else 'NO: ' + ', '.join(differing[:5])}; processes of ours left: {len(leftovers)}")
    record(f"## Killed and resumed runs ({time.strftime('%Y-%m-%d')}, python -m bench.resume)\n\n"
           f"{args.documents} documents, {args.kills} SIGKILLs of the run's process at random moments "
           f"(seed {args.seed}), then a resumed run: {len(b)} files, byte-identical to an uninterrupted "
           f"run: {'yes' if identical else 'no (' + str(len(differing)) + ' files differ)'}; processes of "
           f"ours left after the kills and the end: {len(leftovers)}. Clean run {clean_seconds:.1f} s.")
    sys.exit(0 if identical and not leftovers else 1)


if __name__ == "__main__":
    main()
