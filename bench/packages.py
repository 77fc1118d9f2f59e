"""Library packages (METS/MODS): seconds per page for a package of ALTO pages beside the same
pages as a plain folder, and what the OCR-D workspaces give.

    python -m bench.packages [--no-record] [--memory-only]

The package: the Grenzboten's 100 ABBYY XML pages (../shared/corpora/grenzboten-1841)
written out as ALTO v2 under UUID names, a METS/MODS listing them in the book's order; the
folder: the same ALTO files named by their scan number. Both read through the run's own
steps (inputs, then one document built and written). The workspaces are read in place.

Scale: a METS of 100, 1,000 and 10,000 tiny ALTO pages (one line of five words each), each
built in a process of its own: seconds per page (flat: no step looks at every page for each
page) and peak resident set size (getrusage) beside the size of the edition it writes (the
peak grows with the edition, not with every file or object held).
"""

from __future__ import annotations

import argparse
import datetime
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import add_record_option, describe, publish
from pipeline.config import PipelineConfig
from pipeline.ingest.pages import abbyy
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.run.naming import assign_names
from tests.library_packages import alto, mets, page_name, tiny_package

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
WORKSPACES = CORPORA / "ocrd-workspaces"


def build(inputs: Path, output: Path) -> tuple[float, list]:
    started = time.perf_counter()
    sources, _problems = discover_sources([inputs], exclude=(output,))
    bases, _ = assign_names(sources, output, {})
    reports = [process_file(s.path, output, PipelineConfig(), bases[s.key], s.display_name, s.pages)
               for s in sources]
    return time.perf_counter() - started, reports


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def memory_child(pages: int) -> None:
    """In a process of its own: build a package of ``pages`` tiny pages; print one line
    "pages files_MiB before_MiB peak_MiB edition_MiB seconds status"."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in" / "tiny"
        tiny_package(folder, pages)
        files = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
        before = peak_rss_mib()
        seconds, reports = build(folder.parent, Path(tmp) / "out")
        edition = sum(p.stat().st_size for p in (Path(tmp) / "out").rglob("*.tei.xml")) / 2**20
        print(pages, f"{files:.1f}", f"{before:.0f}", f"{peak_rss_mib():.0f}", f"{edition:.1f}", f"{seconds:.2f}",
              reports[0].status)


def memory_rows() -> list[str]:
    rows = []
    for pages in (100, 1000, 10000):
        out = subprocess.run([sys.executable, "-m", "bench.packages", "--memory-child", str(pages)],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        n, files, before, peak, edition, seconds, status = out[-7:]
        rows.append(f"| {int(n):,} | {files} | {before} | {peak} | {int(peak) - int(before)} | {edition} | "
                    f"{seconds} | {float(seconds) / int(n):.4f} | {status} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_record_option(parser)
    parser.add_argument("--memory-only", action="store_true", help="only the 100-, 1,000- and 10,000-page METS")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    memory = ["", "Peak memory of a METS of tiny ALTO pages (one line of five words each), each size built in a "
              "process of its own (MiB; resident set size from getrusage, before = after the imports and the "
              "package written):", "",
              "| pages | files MiB | before MiB | peak MiB | growth MiB | edition MiB | seconds | s/page | status |",
              "|---|---|---|---|---|---|---|---|---|", *memory_rows()]
    if args.memory_only:
        title = f"## Library packages: time and memory of a 10,000-page METS ({datetime.date.today().isoformat()})"
        report = "\n".join([title, "", f"Machine: {describe()}. Command: `python -m bench.packages --memory-only`.",
                            *memory]) + "\n"
        publish(report, not args.no_record)
        return
    scans = sorted((CORPORA / "grenzboten-1841" / "abbyy-xml").glob("*.xml"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        package, folder = Path(tmp) / "in-package" / "grenzboten", Path(tmp) / "in-folder" / "grenzboten"
        (package / "FULLTEXT").mkdir(parents=True)
        folder.mkdir(parents=True)
        pages = []
        for path in scans:
            scan = path.name.split(".")[0]
            page = abbyy.parse(path.read_bytes(), path.name)[0]
            (package / page_name(scan)).write_bytes(alto(page, scan))
            (folder / f"{scan}.alto.xml").write_bytes(alto(page, scan))
            pages.append((scan, None, page_name(scan)))
        (package / "mets.xml").write_text(mets(pages), encoding="utf-8")
        for name, inputs in (("package (METS + UUID-named ALTO)", package.parent),
                             ("plain folder of the same ALTO", folder.parent)):
            seconds, reports = build(inputs, Path(tmp) / f"out-{inputs.name}")
            rows.append((name, len(scans), seconds, reports[0].status))
        for workspace in sorted(p for p in WORKSPACES.iterdir() if p.is_dir()):
            seconds, reports = build(workspace, Path(tmp) / f"out-{workspace.name}")
            for report in reports:
                rows.append((f"OCR-D workspace {report.file_name} ({len(report.problems)} problems said)", None,
                             seconds, report.status))
    lines = [f"## Library packages (METS/MODS) ({datetime.date.today().isoformat()})", "",
             f"Machine: {describe()}. Command: `python -m bench.packages`. Grenzboten 1841, ABBYY XML written as "
             "ALTO v2; OCR-D workspaces read in place (their pages without text are recognised where an image is "
             "local).", "",
             "| input | pages | seconds | s/page | status |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {n or ''} | {s:.1f} | {f'{s / n:.3f}' if n else ''} | {status} |"
              for name, n, s, status in rows]
    lines += memory
    report = "\n".join(lines) + "\n"
    publish(report, not args.no_record)


if __name__ == "__main__":
    main()
