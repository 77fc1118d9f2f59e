"""Scheduled serving as a user meets it: `serve` with a schedule, and the schedule fires.

Nothing is triggered through the API: the test waits for the run that Prefect's scheduler
creates by itself, then checks its editions and its completed state in the API."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def _read_lines(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


def test_a_scheduled_run_fires_by_itself_and_writes_the_editions(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEEDS[3], inbox)
    shutil.copy(SEEDS[4], inbox)
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "home"), PREFECT_RUNNER_POLL_FREQUENCY="2",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5")
    env.pop("PREFECT_API_URL", None)
    serve = subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "serve", "--input", str(inbox),
                              "--output", str(out), "--cron", "* * * * *"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=_read_lines, args=(serve.stdout, lines), daemon=True).start()
    try:
        deadline = time.time() + 150
        while not any(line.startswith("Prefect server at ") for line in lines) and time.time() < deadline:
            assert serve.poll() is None, "".join(lines)
            time.sleep(0.5)
        url = next(line for line in lines if line.startswith("Prefect server at ")).split()[3].rstrip(";")

        completed = []
        deadline = time.time() + 240  # the next minute boundary, the scheduler's loop, the runner's poll
        while not completed and time.time() < deadline:
            assert serve.poll() is None, "".join(lines)
            time.sleep(3)
            response = httpx.post(f"{url}/flow_runs/filter", json={
                "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=10)
            completed = [run for run in response.json() if run.get("deployment_id")]
        assert completed, "no scheduled run completed within 4 minutes:\n" + "".join(lines)
        assert completed[0]["auto_scheduled"] is True  # made by the scheduler, not by anyone's call
        assert sorted(p.name for p in out.glob("*.tei.xml")) == sorted(f"{s.stem}.tei.xml" for s in SEEDS[3:5])
        assert (out / "manifest.json").exists()
        assert not any("WARNING" in line or "ERROR" in line for line in lines), "".join(lines)

        # The way serve says to run it now works as printed, from a shell without the venv on its PATH
        [trigger] = [line.split(": ", 1)[1].strip() for line in lines if line.startswith("To run it now: ")]
        shell_env = {k: v for k, v in env.items() if k not in ("PREFECT_API_URL", "VIRTUAL_ENV")}
        shell_env["PATH"] = "/usr/bin:/bin"
        result = subprocess.run(trigger, shell=True, env=shell_env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, trigger + "\n" + result.stdout + result.stderr
        deadline, by_hand = time.time() + 120, []
        while not by_hand and time.time() < deadline:
            time.sleep(3)
            response = httpx.post(f"{url}/flow_runs/filter", json={
                "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=10)
            by_hand = [run for run in response.json() if run.get("deployment_id") and not run["auto_scheduled"]]
        assert by_hand, "the run triggered as serve says did not complete:\n" + "".join(lines)

        # A run on this machine finds serve's server and uses it (no temporary server of its own)
        run_env = {k: v for k, v in env.items() if k != "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS"}
        result = subprocess.run([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output",
                                 str(tmp_path / "by-hand")], cwd=ROOT, env=run_env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        response = httpx.post(f"{url}/flow_runs/filter", json={
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=10)
        assert any(run["deployment_id"] is None for run in response.json())
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)


def test_serve_says_when_its_server_fails(tmp_path):
    """A server that stops is said on the console, and serve stops with it, instead of
    polling for runs that will never come."""
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "home"))
    env.pop("PREFECT_API_URL", None)
    serve = subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "serve", "--input", str(ROOT / "seeds"),
                              "--output", str(tmp_path / "out")], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=_read_lines, args=(serve.stdout, lines), daemon=True).start()
    try:
        deadline = time.time() + 150
        while not any(line.startswith("Prefect server at ") for line in lines) and time.time() < deadline:
            time.sleep(0.5)
        import psutil

        servers = [p for p in psutil.Process(serve.pid).children(recursive=True)
                   if "server" in p.cmdline() and "start" in p.cmdline()]
        assert servers, "".join(lines)
        for process in servers:
            process.kill()
        assert serve.wait(timeout=90) != 0
        output = "".join(lines)
        assert "the Prefect server stopped" in output and "No scheduled run will happen" in output
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
