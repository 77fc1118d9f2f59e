"""``scan2tei serve``: the flow served as a deployment that re-processes the input on a
schedule, against a real Prefect server, and a watch that says what goes wrong with it."""

from __future__ import annotations

import _thread
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from prefect.settings import PREFECT_API_URL, temporary_settings

from orchestration.console import say
from orchestration.flow import FETCH_CACHE, build_editions
from orchestration.server import SERVER_LOG_FILE, answers, server_home, start_local_server, stop_server
from pipeline.config import PipelineConfig
from pipeline.run.document import printable

SERVER_CHECK_SECONDS = 10
SERVER_ERROR = re.compile(r"(Traceback|\bERROR\b|Error:|Exception:)")


class ServerWatch(threading.Thread):
    """Say on the console what goes wrong with the Prefect server while ``serve`` waits for
    its schedule: a server that stopped, one that no longer answers, errors in its log (a
    scheduler that fails every minute schedules nothing, and polling on would hide it)."""

    def __init__(self, url: str, server: subprocess.Popen | None, log: Path | None):
        super().__init__(name="prefect-server-watch", daemon=True)
        self.url, self.server, self.log = url, server, log
        self.offset = log.stat().st_size if log and log.exists() else 0
        self.reported: set[str] = set()
        self.stopping = threading.Event()

    def run(self) -> None:
        """Check the server every few seconds until stopped; interrupt serve when it stops."""
        failures = 0
        while not self.stopping.wait(SERVER_CHECK_SECONDS):
            if self.server_stopped():
                _thread.interrupt_main()
                return
            failures = 0 if answers(self.url, timeout=5) else failures + 1
            if failures == 2:
                say(f"WARNING the Prefect server at {self.url} does not answer; scheduled runs cannot start")
            self.scan_log()

    def server_stopped(self) -> bool:
        """Whether our own server has stopped; said once."""
        if self.server is None or self.server.poll() is None:
            return False
        if not self.stopping.is_set():
            self.stopping.set()
            say(f"ERROR   the Prefect server stopped (exit code {self.server.returncode}); see {self.log}."
                " No scheduled run will happen: serve stops.")
        return True

    def scan_log(self) -> None:
        """Say each new error line in the server's log, once."""
        if self.log is None:
            return
        try:
            with open(self.log, "rb") as handle:
                handle.seek(self.offset)
                fresh = handle.read()
        except OSError:
            return
        self.offset += len(fresh)
        for line in fresh.decode("utf-8", "replace").splitlines():
            line = line.strip()
            # (a traceback's first line and its frames say less than the exception line that ends it)
            if SERVER_ERROR.search(line) and not line.startswith(("File ", "Traceback")) \
                    and line not in self.reported:
                self.reported.add(line)
                say(f"WARNING the Prefect server logged an error: {printable(line[:300])} (see {self.log})")


def trigger_command(url: str) -> str:
    """A command line that starts the served deployment now, from any shell on this machine."""
    prefect = Path(sys.executable).parent / "prefect"
    program = shlex.quote(str(prefect)) if prefect.exists() else f"{shlex.quote(sys.executable)} -m prefect"
    return f"PREFECT_API_URL={url} {program} deployment run build-editions/nightly"


def deployment_parameters(inputs: list[Path], output_dir: Path, config: PipelineConfig | None) -> dict:
    """The scheduled runs' parameters: the folders, and every setting that differs from the
    defaults (exports, OCR models, file group, fetching with its cache under the output)."""
    parameters = {"inputs": [str(p.resolve()) for p in inputs], "output_dir": str(output_dir.resolve())}
    if config is not None and config.fetch:
        config = config.model_copy(update={"fetch_cache": str(output_dir.resolve() / FETCH_CACHE)})
    if config is not None and config != PipelineConfig(ocr_threads=config.ocr_threads):
        # every setting, those left out of the fingerprint too (exports, base URL, fetch cache:
        # model_dump drops them); the threads are the serving machine's own
        parameters["config"] = {name: value for name, value in config if name != "ocr_threads"}
    return parameters


def command_serve(inputs: list[Path], output_dir: Path, cron: str | None, interval: float | None = None,
                  config: PipelineConfig | None = None) -> int:
    """Serve the flow as a deployment that re-processes ``inputs`` on ``cron`` (or every
    ``interval`` seconds); only sources whose content changed are processed."""
    url, server, log = os.environ.get("PREFECT_API_URL"), None, None
    if not url:
        server, url = start_local_server()
        log = server_home() / SERVER_LOG_FILE
    when = f"every {interval:g} s" if interval else f"on cron {cron!r}"
    say(f"Prefect server at {url}; serving deployment build-editions/nightly {when}")
    say(f"To run it now: {trigger_command(url)}")
    watch = ServerWatch(url, server, log)
    watch.start()
    schedule = {"interval": interval} if interval else {"cron": cron}
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            parameters = deployment_parameters(inputs, output_dir, config)
            # (Prefect's own hint names a `prefect` command that may not be on the PATH: ours above)
            build_editions.serve(name="nightly", **schedule, parameters=parameters, print_starting_message=False)
    except KeyboardInterrupt:
        pass
    except Exception as error:  # the runner lost its server: say so in one line, not a traceback
        time.sleep(1)  # a server that died is seen dead, not only unreachable
        if not watch.server_stopped():
            say(f"ERROR   serving stopped: the Prefect server at {url} failed ({type(error).__name__}: "
                f"{printable(str(error))})" + (f"; see {log}" if log else ""))
        return 1
    finally:
        watch.stopping.set()
        if server is not None:
            stop_server(server)
    return 0 if server is None or server.returncode in (0, -signal.SIGTERM, -signal.SIGINT, None) else 1
