"""What a run says on the console."""

from __future__ import annotations

import sys


def say(line: str) -> None:
    """Print a line at once (a run's console is read while it works). One write of the line
    with its end: a Ctrl-C between two writes (print's way) left a line without its newline,
    and the run's last word, "interrupted: …", ran on at its end."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
