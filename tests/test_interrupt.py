"""Ctrl-C on a run, a run killed, and a second run on a busy output folder, as a user at a
terminal meets them: real runs on copies of the seeds, the signal sent to the whole process
group as a terminal sends it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def masters(out) -> list:
    return [p for p in out.glob("*.tei.xml") if not re.search(r"\.zh-Han[st]\.tei\.xml$", p.name)]


def seed_copies(inbox, count: int) -> None:
    """``count`` documents in ``inbox``: the seeds over and over, each copy its own text."""
    inbox.mkdir()
    for i in range(count):
        seed = SEEDS[i % len(SEEDS)]
        (inbox / f"{i:03d}-{seed.name}").write_bytes(seed.read_bytes() + f"\n\nCopy {i}.\n".encode())


# `flows.py` on a slow disk: each edition put in place a tenth of a second after the one before,
# so that a batch (its editions put in place together, at its end) takes seconds to land.
SLOW_DISK = """
import os, runpy, sys, time
sys.path.insert(0, sys.argv[1])
import pipeline.run.storage as storage

class SlowDisk:
    def __getattr__(self, name):
        return getattr(os, name)

    def replace(self, source, target):
        os.replace(source, target)
        if str(target).endswith(".tei.xml"):
            time.sleep(0.1)

storage.os = SlowDisk()
sys.argv = [os.path.join(sys.argv[1], "flows.py"), *sys.argv[2:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def start_run(inbox, out, tmp_path, slow_disk: bool = False) -> subprocess.Popen:
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
    flows = [sys.executable, "-c", SLOW_DISK, str(ROOT)] if slow_disk else [sys.executable, str(ROOT / "flows.py")]
    return subprocess.Popen([*flows, "run", "--input", str(inbox), "--output", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def interrupted_count(stderr: str) -> int:
    """How many editions the run's one line on the error stream says it wrote."""
    return int(re.fullmatch(r"interrupted: (\d+) written, rerun to resume", stderr.strip()).group(1))


def test_ctrl_c_stops_a_run_at_once_keeps_what_was_done_and_a_rerun_resumes(tmp_path):
    inbox, out = tmp_path / "many", tmp_path / "out"
    seed_copies(inbox, 40)
    run = start_run(inbox, out, tmp_path)
    deadline = time.time() + 240
    while time.time() < deadline and len(masters(out)) < 3 and run.poll() is None:
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be interrupted"
    interrupted = time.time()
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C at the terminal does
    stdout, stderr = run.communicate(timeout=60)
    seconds = time.time() - interrupted
    assert run.returncode == 130, stdout + stderr
    assert seconds < 2, f"took {seconds:.1f} s to stop"
    said = stdout + stderr
    assert "Traceback" not in said and "Crash detected" not in said, said
    # (from the error stream itself: stdout's last report line may be cut by the Ctrl-C, and
    # joined to stderr's text it would run on into the line looked for)
    [line] = [line for line in stderr.splitlines() if "interrupted" in line]
    assert stderr.strip().splitlines() == [line]  # one line, and nothing else on the error stream
    assert stdout.endswith("\n") or not stdout, stdout[-200:]  # the report's lines whole, none cut by the Ctrl-C
    written = interrupted_count(line)
    assert 2 <= written < 40

    manifest = json.loads((out / "manifest.json").read_text())
    done = [d for d in manifest["documents"] if d["status"] == "ok"]
    assert len(done) == written
    assert all((out / d["edition_path"]).exists() for d in done)  # (an absolute path stays itself)

    rerun = start_run(inbox, out, tmp_path)
    stdout, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stdout + stderr
    assert stdout.count("(unchanged)") == written  # what the interrupted run did is not done again
    assert len(masters(out)) == 40


def test_ctrl_c_while_a_batch_lands_records_every_edition_it_put_in_place(tmp_path):
    """A batch's editions are put in place together at its end; on a slow disk that takes a
    while. A Ctrl-C meanwhile lets the batch land and records it whole: every edition on disk
    is in the manifest and in the count (they were neither, and a rerun made them again)."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    seed_copies(inbox, 12)  # one batch
    run = start_run(inbox, out, tmp_path, slow_disk=True)
    deadline = time.time() + 240
    while time.time() < deadline and not masters(out) and run.poll() is None:
        time.sleep(0.01)
    assert run.poll() is None, "the run ended before it could be interrupted"
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stdout + stderr
    manifest = json.loads((out / "manifest.json").read_text())
    done = [d for d in manifest["documents"] if d["status"] == "ok"]
    assert len(masters(out)) == len(done) == interrupted_count(stderr) == 12


def test_killing_a_run_leaves_only_whole_editions(tmp_path):
    inbox, out = tmp_path / "many", tmp_path / "out"
    seed_copies(inbox, 60)
    run = start_run(inbox, out, tmp_path)
    deadline = time.time() + 240
    while time.time() < deadline and len(list(out.glob("*.tei.xml"))) < 5:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate()
    editions = list(out.glob("*.tei.xml"))
    assert 5 <= len(editions) < 60 + 24  # stopped part-way
    from pipeline.tei.validate import validate_file

    for edition in editions:
        assert validate_file(edition) == [], edition


def test_a_second_run_says_it_waits_and_for_which_process(tmp_path):
    from pipeline.run.storage import output_lock

    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    for seed in SEEDS[3:5]:
        (inbox / seed.name).write_bytes(seed.read_bytes())
    lines: list[str] = []
    with output_lock(out):  # this test process is the run that holds the folder
        second = start_run(inbox, out, tmp_path)
        threading.Thread(target=lambda: lines.extend(second.stdout), daemon=True).start()
        deadline = time.time() + 240
        while time.time() < deadline and not any("waiting" in line for line in lines):
            assert second.poll() is None, "".join(lines) + second.stderr.read()
            time.sleep(0.2)
        [waiting] = [line for line in lines if "waiting" in line]
        assert f"process {os.getpid()}" in waiting and str(out) in waiting
        assert "pytest" in waiting  # the holder's command line says which run it is
        time.sleep(1)
        assert not masters(out)  # it really waits
    assert second.wait(timeout=300) == 0, "".join(lines) + second.stderr.read()
    assert len(masters(out)) == 2
