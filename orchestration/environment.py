"""The settings Prefect reads when it is first imported: a home under the project, quiet
consoles, and patience with a cold start. Set by the entry point (``flows.py``), before the
flow is imported; an environment that already sets one of them keeps its own."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def local_prefect_settings(root: Path = ROOT) -> dict[str, str]:
    """The environment variables ``use_local_prefect`` sets (where they are not set already)."""
    return {
        "PREFECT_HOME": str(root / ".prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # The server records task runs from the run's events one database write at a time by
        # default (some 20 ms of its CPU a task); together every 5 s, or at its stop, instead.
        "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
        "DASK_LOGGING__DISTRIBUTED": "warning",  # a local cluster's start and stop are not news
        # The embedded server's shutdown noise goes to $PREFECT_HOME/server.log (see the file).
        "PREFECT_LOGGING_SETTINGS_PATH": str(root / "prefect-logging.yml"),
    }


def use_local_prefect(root: Path = ROOT) -> None:
    """Set Prefect's settings for a run from this project; call it before importing Prefect."""
    for name, value in local_prefect_settings(root).items():
        os.environ.setdefault(name, value)
