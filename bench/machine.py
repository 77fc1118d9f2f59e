"""A one-line description of the machine, for benchmark records."""

from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path


def describe() -> str:
    """CPU, cores, memory, Python and system, in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages * size / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def add_record_option(parser: argparse.ArgumentParser) -> None:
    """The ``--no-record`` option every benchmark takes."""
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to BENCHMARKS.md")


def record(text: str) -> None:
    """Append ``text`` to BENCHMARKS.md as a section of its own (a blank line before it)."""
    with open(BENCHMARKS, "a", encoding="utf-8") as out:
        out.write("\n" + text.rstrip("\n") + "\n")


def publish(report: str, keep: bool, heading: str = "", console: str | None = None) -> None:
    """Print a benchmark's report (or ``console``, when the terminal is shown more) and, when
    ``keep`` (no --no-record), append ``heading`` (its title, what the figures mean) and the
    report to BENCHMARKS.md."""
    print(report if console is None else console)
    if keep:
        record(heading + report)
