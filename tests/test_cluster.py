"""A run on an external Dask cluster, as a deployment has one: a ``dask scheduler`` and two
``dask worker`` processes started beside the run (not a cluster inside the run's process). A
book's pages are read on the workers, and the files written are those of a run in one process,
byte for byte.

The book: three Grenzboten pages (1841), Tesseract's hOCR and the TIFF scans
(tests/data/grenzboten-1841, see its README for attribution)."""

from __future__ import annotations

import collections
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GRENZBOTEN = ROOT / "tests" / "data" / "grenzboten-1841"
DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ExternalCluster:
    """A scheduler and ``workers`` worker processes of one thread each, on this machine; the
    project's code on their path, as every machine of a cluster must have it."""

    def __init__(self, folder: Path, workers: int = 2):
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.env = dict(os.environ, PYTHONPATH=str(ROOT))
        folder.mkdir(parents=True)
        self.logs: list = []
        self.processes = [self._start(folder / "scheduler.log", "scheduler", "--host", "127.0.0.1",
                                      "--port", self.address.rsplit(":", 1)[1], "--no-dashboard")]
        self._wait_for(0)
        for n in range(workers):
            self.processes.append(self._start(folder / f"worker{n}.log", "worker", self.address, "--nthreads", "1",
                                              "--no-dashboard", "--local-directory", str(folder / f"worker{n}")))
        self._wait_for(workers)

    def _start(self, log: Path, *arguments: str) -> subprocess.Popen:
        self.logs.append(open(log, "wb"))
        return subprocess.Popen([str(DASK), *arguments], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=self.logs[-1])

    def _wait_for(self, workers: int, timeout: float = 120) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with Client(self.address, timeout=5) as client:
                    if len(client.scheduler_info()["workers"]) >= workers:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise TimeoutError(f"the cluster at {self.address} did not get {workers} workers")

    def tasks_run(self) -> collections.Counter:
        """How many tasks of each function the scheduler saw finish."""
        from distributed import Client

        def finished(dask_scheduler):
            return [str(entry[0]) for entry in dask_scheduler.transition_log if entry[2] == "memory"]
        with Client(self.address, timeout=10) as client:
            return collections.Counter(key.split("-", 1)[0] for key in client.run_on_scheduler(finished))

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


def run(inbox: Path, out: Path, home: Path, *extra: str) -> dict[str, bytes]:
    result = subprocess.run([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output",
                             str(out), *extra], capture_output=True, text=True, timeout=900, cwd=ROOT,
                            env=dict(os.environ, PREFECT_HOME=str(home)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}  # the manifest says when and how long


@pytest.mark.slow
def test_a_books_pages_read_on_an_external_cluster_give_the_same_files(tmp_path):
    book = tmp_path / "inbox" / "grenzboten"
    book.mkdir(parents=True)
    for scan in sorted((GRENZBOTEN / "tif").glob("*.tif")):
        shutil.copy(scan, book / scan.name)
        shutil.copy(GRENZBOTEN / "tess-hocr" / f"{scan.stem}.hocr", book / f"{scan.stem}.hocr")
    alone = run(book.parent, tmp_path / "alone", tmp_path / "home")
    cluster = ExternalCluster(tmp_path / "cluster")
    try:
        spread = run(book.parent, tmp_path / "spread", tmp_path / "home", "--dask", cluster.address)
        tasks = cluster.tasks_run()
    finally:
        cluster.stop()
    assert "grenzboten.tei.xml" in alone and len([name for name in alone if name.endswith(".png")]) == 3
    assert spread == alone
    # each page's hOCR read and display copy made by a task of its own, beside the book's
    assert tasks["parse_page_file"] == 3 and tasks["make_copy"] == 3, tasks
