"""A run on an external Dask cluster, as a deployment has one: a ``dask scheduler`` and two
``dask worker`` processes started beside the run (not a cluster inside the run's process). A
book's pages are read on the workers, documents are built there, their tasks report to the
run's Prefect server (no worker starts one of its own), and the files written are those of a
run in one process, byte for byte.

The book: three Grenzboten pages (1841), Tesseract's hOCR and the TIFF scans
(tests/data/grenzboten-1841, see its README for attribution); the documents: the seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from bench.scaleout import ExternalCluster

ROOT = Path(__file__).resolve().parent.parent
GRENZBOTEN = ROOT / "tests" / "data" / "grenzboten-1841"


def run(inbox: Path, out: Path, home: Path, *extra: str) -> dict[str, bytes]:
    result = subprocess.run([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output",
                             str(out), *extra], capture_output=True, text=True, timeout=900, cwd=ROOT,
                            env=dict(os.environ, PREFECT_HOME=str(home)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}  # the manifest says when and how long


def servers_started_by(process: subprocess.Popen) -> list[str]:
    """The Prefect servers (uvicorn) among a process's descendants."""
    found = []
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if "uvicorn" in command or "prefect server" in command:
            found.append(command)
    return found


@pytest.mark.slow
def test_a_book_and_documents_on_an_external_cluster_give_the_same_files(tmp_path):
    book = tmp_path / "inbox" / "grenzboten"
    book.mkdir(parents=True)
    for scan in sorted((GRENZBOTEN / "tif").glob("*.tif")):
        shutil.copy(scan, book / scan.name)
        shutil.copy(GRENZBOTEN / "tess-hocr" / f"{scan.stem}.hocr", book / f"{scan.stem}.hocr")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for seed in seeds:
        shutil.copy(seed, tmp_path / "inbox" / seed.name)
    alone = run(book.parent, tmp_path / "alone", tmp_path / "home")
    with ExternalCluster(tmp_path / "cluster", workers=2) as cluster:
        spread = run(book.parent, tmp_path / "spread", tmp_path / "home", "--dask", cluster.address)
        tasks = cluster.tasks_run()
        servers = [command for worker in cluster.processes[1:] for command in servers_started_by(worker)]
    assert "grenzboten.tei.xml" in alone and len([name for name in alone if name.endswith(".png")]) == 3
    assert all(f"{seed.stem}.tei.xml" in alone for seed in seeds)
    assert spread == alone
    # each page's hOCR read and display copy made by a task of its own, beside the book's
    assert tasks["parse_page_file"] == 3 and tasks["make_copy"] == 3, tasks
    assert tasks["build_batch_task"] >= 2, tasks  # the documents in tasks of their own, beside the book's
    # the tasks reported to the run's own Prefect server: no worker started one (20-30 s each)
    assert servers == []
