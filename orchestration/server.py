"""The long-lived local Prefect server that scheduling needs (Prefect's temporary embedded
server refuses schedules), and how a run on this machine finds one that is running."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
from prefect.settings import PREFECT_API_URL, PREFECT_HOME

from pipeline.run.storage import write_atomically

SERVER_URL_FILE = "url"  # under $PREFECT_HOME/server while serve's server runs
SERVER_LOG_FILE = "server-console.log"


def start_local_server() -> tuple[subprocess.Popen, str]:
    """A long-lived Prefect server on 127.0.0.1 (SQLite under $PREFECT_HOME/server), for
    scheduling: Prefect's temporary embedded server refuses schedules."""
    port = free_port()
    home = server_home()
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    log = open(home / SERVER_LOG_FILE, "ab")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped at start; see {home / SERVER_LOG_FILE}")
        if answers(url, timeout=2):
            write_atomically(home / SERVER_URL_FILE, url.encode())  # for runs on this machine to find
            return server, url
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"the Prefect server did not answer within 120 s; see {home / SERVER_LOG_FILE}")


def free_port() -> int:
    """A port on 127.0.0.1 free now (the system's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_home() -> Path:
    """Where `serve`'s own Prefect server keeps its database, console log and address."""
    return Path(PREFECT_HOME.value()) / "server"


def answers(url: str, timeout: float) -> bool:
    """Whether the Prefect server at ``url`` says it is healthy."""
    # Asked every 0.1 s while a server starts: a plain-http address needs no certificates, and
    # loading them for each request cost 22 ms of CPU a poll, taken from the starting server.
    try:
        return httpx.get(f"{url}/health", timeout=timeout, verify=url.startswith("https:")).status_code == 200
    except httpx.HTTPError:
        return False


def local_server_url() -> str | None:
    """The server a running `serve` started on this machine (same PREFECT_HOME), if it
    answers: runs use it instead of starting Prefect's temporary server (seconds saved)."""
    try:
        url = (server_home() / SERVER_URL_FILE).read_text().strip()
    except OSError:
        return None
    return url if answers(url, timeout=1) else None


def stop_server(server: subprocess.Popen) -> None:
    """Stop the server ``start_local_server`` started (and forget its address)."""
    with contextlib.suppress(OSError):
        (server_home() / SERVER_URL_FILE).unlink()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def temporary_api(dask_address: str | None) -> str | None:
    """The Prefect API for a run that has none yet (Prefect's embedded mode): the run's
    temporary server (orchestration/temporary_server.py), started now, so that its address
    travels with the tasks to Dask workers. None when the run has an API, or when its Dask
    workers are on other machines (said on the console).

    Left to Prefect, the embedded mode starts a temporary server in every process that needs
    one: each worker process would start its own at its first task (20-30 s of CPU beside
    the documents, a database of its own, the task runs recorded where no one looks). The
    run's server listens on 127.0.0.1, which another machine cannot reach."""
    if PREFECT_API_URL.value():
        return None
    if dask_address and not workers_on_this_machine(dask_address):
        print("NOTE    the Dask workers on other machines start a Prefect server each, and record the run's "
              "tasks there: set PREFECT_API_URL to a Prefect server they reach", flush=True)
        return None
    from orchestration.temporary_server import start_temporary_server

    return start_temporary_server()


def workers_on_this_machine(dask_address: str) -> bool:
    """Whether every worker of the Dask scheduler at ``dask_address`` runs on this machine
    (a scheduler without workers yet: whether it does). False when it does not answer: the
    run then says so itself."""
    from distributed import Client

    try:
        with Client(dask_address, timeout=10) as client:
            workers = list(client.scheduler_info(n_workers=-1)["workers"])
    except (OSError, TimeoutError):
        return False
    hosts = {urlparse(address if "://" in address else f"tcp://{address}").hostname
             for address in workers or [dask_address]}
    return hosts <= this_machines_addresses()


def this_machines_addresses() -> set[str]:
    """The names and addresses this machine answers to."""
    import psutil

    names = {"localhost", "127.0.0.1", "::1", socket.gethostname(), socket.getfqdn()}
    for addresses in psutil.net_if_addrs().values():
        names.update(address.address.split("%")[0] for address in addresses
                     if address.family in (socket.AF_INET, socket.AF_INET6))
    return names
