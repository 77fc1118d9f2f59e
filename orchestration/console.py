"""What a run says on the console."""

from __future__ import annotations


def say(line: str) -> None:
    """Print a line at once (a run's console is read while it works)."""
    print(line, flush=True)
