"""Which files a run reads: files and folders as given, folders walked in a stable order.

Everything that cannot be read as a file is reported by name with the reason, never skipped
silently: a broken or looping symbolic link, a special file, a path that does not exist.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


def _problem(path: Path) -> str | None:
    if path.is_symlink() and not path.exists():
        try:
            os.stat(path)
        except OSError as error:
            if error.errno == errno.ELOOP:
                return f"{path}: symbolic link loop; remove or fix the link"
        return f"{path}: symbolic link to a file that does not exist; remove or fix the link"
    if not path.exists():
        return f"{path}: no such file or folder"
    if not path.is_file() and not path.is_dir():
        return f"{path}: not a regular file (device, socket or pipe); remove it from the input"
    return None


def discover_sources(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """(source files, problems). Hidden files and folders are skipped; order is stable.
    Symbolic links to folders are not followed (no loops); links to files are read."""
    sources: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = []
            for candidate in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in candidate.relative_to(path).parts):
                    continue
                if candidate.is_file():
                    found.append(candidate)
                elif not candidate.is_dir() and (problem := _problem(candidate)):
                    problems.append(problem)
            if not found and not problems:
                problems.append(f"{path}: folder has no files to process")
            sources.extend(found)
        elif (problem := _problem(path)) is None:
            sources.append(path)
        else:
            problems.append(problem)
    return sources, problems
