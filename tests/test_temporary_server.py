"""The run's temporary Prefect server (orchestration/temporary_server.py): Prefect's ephemeral
server without its background worker. It records the run as Prefect's own does, and the
run stops it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import psutil
import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def test_a_run_records_its_flow_and_tasks_on_its_temporary_server_and_stops_it(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS[:2]:
        (inbox / seed.name).write_bytes(seed.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "home")
    run = subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output",
                            str(tmp_path / "out")], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    servers, environment = [], {}
    while run.poll() is None and not servers:  # the run's server, while it runs
        try:
            servers = [child for child in psutil.Process(run.pid).children(recursive=True)
                       if "orchestration.temporary_server" in " ".join(child.cmdline())]
            environment = servers[0].environ() if servers else {}
        except psutil.Error:
            pass
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stdout + stderr
    assert servers, "the run did not start its temporary server"
    assert environment.get("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED") == "false"  # no automations for one run
    psutil.wait_procs(servers, timeout=10)
    assert not any(server.is_running() for server in servers), "the run's server outlived it"
    with sqlite3.connect(tmp_path / "home" / "prefect.db") as database:
        flows = database.execute("SELECT state_type FROM flow_run").fetchall()
        tasks = database.execute("SELECT name, state_type FROM task_run").fetchall()
        artifacts = {key for (key,) in database.execute("SELECT key FROM artifact")}
    assert flows == [("COMPLETED",)]
    assert tasks == [(f"{SEEDS[0].name} (+1 more)", "COMPLETED")]  # recorded from the task's events
    assert artifacts == {"editions", "editions-summary"}


def test_the_background_worker_it_leaves_out_is_where_prefect_starts_it():
    """If Prefect moves it, the server still works but starts it again: say so here."""
    import prefect.server.api.server as server

    assert callable(getattr(server, "background_worker", None))
