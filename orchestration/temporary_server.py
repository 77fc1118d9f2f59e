"""The run's temporary Prefect server: Prefect's own ephemeral server (the app, the database
under $PREFECT_HOME, the services that record flow and task runs), started as Prefect starts
it, but without its background worker.

That worker (docket's) runs the server's scheduled maintenance and background jobs, and to
be ready for them polls all the time: a scheduling loop every 250 ms, a cancellation
listener every 100 ms, a heartbeat, some 8 ms of CPU a second, with no setting to slow it
(Prefect 3.8). A server that lives for one run has none of its jobs to do: the jobs it
schedules in an ephemeral server are the hourly deletion of events over 90 days old (its
first run at the server's start), automations (turned off for the run, in
start_temporary_server) and telemetry (turned off, environment.py); the others serve
deployments, work queues, cancellations and deletions made through the API, which a run does
not make. What is given up: events over 90 days old in the run's database are no longer
deleted by runs (Prefect's own server, `scan2tei serve`'s or one started with `prefect server
start`, still does it).

    python -m orchestration.temporary_server PORT    # started by start_temporary_server
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import time

from orchestration.server import answers, free_port

STARTUP_ATTEMPTS = 3  # a server that stops at once (its port taken since it was chosen): another port
HEALTH_POLL_SECONDS = 0.1


class _Server:
    """The process's temporary server: started once, stopped when the process exits (a
    process killed with -9 leaves it to the watchdog, pipeline/run/watchdog.py)."""

    process: subprocess.Popen | None = None
    url: str | None = None


def start_temporary_server() -> str:
    """The API address of this process's temporary server, started now if it is not running."""
    if _Server.process is not None and _Server.process.poll() is None:
        return _Server.url  # type: ignore[return-value]
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, get_current_settings

    # as Prefect starts its own: the settings of this process (a profile, temporary_settings)
    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True),
           "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    # A server for one run: no automations to trigger on its events (their service reads each
    # event of each task, a tenth of the server's work), unless the user's settings say otherwise.
    env.setdefault("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "false")
    timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
    for _ in range(STARTUP_ATTEMPTS):
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "orchestration.temporary_server", str(port)], env=env)
        url = f"http://127.0.0.1:{port}/api"
        if _healthy(process, url, timeout):
            _Server.process, _Server.url = process, url
            atexit.register(stop_temporary_server)
            return url
        if process.poll() is None:  # running, not answering
            _stop(process)
            raise RuntimeError(f"Prefect's temporary server did not answer within {timeout} s "
                               "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")
    raise RuntimeError(f"Prefect's temporary server stopped at its start ({STARTUP_ATTEMPTS} attempts, "
                       f"exit code {process.returncode})")


def stop_temporary_server() -> None:
    """Stop the temporary server; it records what it was sent before it stops."""
    process, _Server.process = _Server.process, None
    if process is not None:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _healthy(process: subprocess.Popen, url: str, timeout: float) -> bool:
    """Wait until the server answers (True), stops or does not answer within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if answers(url, timeout=2):
            return True
        time.sleep(HEALTH_POLL_SECONDS)
    return False


def without_background_worker() -> None:
    """Start Prefect's server app without its background worker (see the module's text). If
    Prefect no longer has it where it had, the server starts with it (costs, works)."""
    import prefect.server.api.server as server

    if hasattr(server, "background_worker"):
        server.background_worker = _no_background_worker


@contextlib.asynccontextmanager
async def _no_background_worker(*_args, **_kwargs):
    yield


def serve(port: int) -> None:
    """Run the server app on 127.0.0.1:``port`` as Prefect's ephemeral mode runs it."""
    import uvicorn

    without_background_worker()
    uvicorn.run("prefect.server.api.server:create_app", factory=True, host="127.0.0.1", port=port,
                log_level="error", lifespan="on")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
