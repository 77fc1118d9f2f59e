"""Scheduled serving: a real Prefect server, a deployment, a run triggered through the API."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def test_serve_registers_a_deployment_that_the_api_can_run(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEEDS[3], inbox)
    shutil.copy(SEEDS[4], inbox)
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "home"), PREFECT_RUNNER_POLL_FREQUENCY="2")
    env.pop("PREFECT_API_URL", None)
    serve = subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "serve", "--input", str(inbox),
                              "--output", str(out), "--cron", "0 3 1 1 *"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = None
        deadline = time.time() + 180
        while url is None and time.time() < deadline:
            line = serve.stdout.readline()
            if line.startswith("Prefect server at "):
                url = line.split()[3].rstrip(";")
            assert serve.poll() is None, line
        assert url, "the server did not start"
        from prefect.deployments import run_deployment
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: url}):
            deadline = time.time() + 60
            while True:  # serve registers the deployment just after printing the URL
                try:
                    run = run_deployment(name="build-editions/nightly", timeout=240)
                    break
                except Exception:
                    if time.time() > deadline:
                        raise
                    time.sleep(1)
        assert run.state.is_completed(), run.state
        assert sorted(p.name for p in out.glob("*.tei.xml")) == sorted(f"{s.stem}.tei.xml" for s in SEEDS[3:5])
        assert (out / "manifest.json").exists()
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
