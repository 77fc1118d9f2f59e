"""Leave no process behind: when a run dies, even by ``kill -9``, the processes it started die too.

A run starts processes of its own (Prefect's temporary server, ~210 MB listening on
127.0.0.1; Dask workers). A killed parent cannot stop them, so a small separate process
does: it notes the run's descendants twice a second and, once the run is gone, terminates
the ones it noted (checked by creation time, so that a reused process id is never hit).

    python -m pipeline.run.watchdog PID      # started by the command line (orchestration/cli.py) for its own PID
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import psutil

POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0


def watch(pid: int) -> None:
    """Note the descendants of process ``pid`` while it lives; once it is gone, terminate them."""
    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    seen: dict[int, psutil.Process] = {}
    me = os.getpid()
    while parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE:
        try:
            children = descendants(parent)
        except psutil.NoSuchProcess:
            break
        for child in children:
            if child not in seen and child != me:
                with contextlib.suppress(psutil.NoSuchProcess):  # gone already: nothing to stop
                    seen[child] = psutil.Process(child)  # with its creation time, for is_running
        time.sleep(POLL_SECONDS)
    left = [p for p in seen.values() if p.is_running()]  # is_running compares creation times
    for process in left:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(left, timeout=GRACE_SECONDS)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


def descendants(process: psutil.Process) -> list[int]:
    """The ids of the process's descendants. Linux lists each thread's children in /proc: a
    few small files, read twice a second for as long as the run lasts, where psutil's
    ``children`` reads every process of the machine (a shared one has hundreds)."""
    found, parents = [], [process.pid]
    while parents:
        parent = parents.pop()
        try:
            threads = os.listdir(f"/proc/{parent}/task")
        except OSError:  # not Linux, or the process is gone
            if parent == process.pid:
                return [child.pid for child in process.children(recursive=True)]
            continue
        for thread in threads:
            try:
                with open(f"/proc/{parent}/task/{thread}/children", encoding="ascii") as listing:
                    children = [int(pid) for pid in listing.read().split()]
            except FileNotFoundError:  # a kernel without the listing, or a thread just ended
                if not os.path.exists(f"/proc/{parent}/task/{thread}"):
                    continue
                return [child.pid for child in process.children(recursive=True)]
            except OSError:
                continue
            found += children
            parents += children
    return found


def start_watchdog() -> subprocess.Popen | None:
    """Watch this process from another one. Not in a process of its own group's signals: a
    Ctrl-C for the run must not stop the watchdog before it has cleaned up."""
    try:
        return subprocess.Popen([sys.executable, "-m", "pipeline.run.watchdog", str(os.getpid())],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True)
    except OSError:
        return None  # a run without a watchdog still works; only a kill -9 would leave debris


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch(int(sys.argv[1]))
