"""Which files a run reads: files and folders as given, folders walked in a stable order."""

from __future__ import annotations

from pathlib import Path


def discover_sources(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """(source files, problems). Hidden files and folders are skipped; order is stable."""
    sources: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(f"{path}: folder has no files to process")
            sources.extend(found)
        elif path.is_file():
            sources.append(path)
        elif path.exists():
            problems.append(f"{path}: not a regular file or folder")
        else:
            problems.append(f"{path}: no such file or folder")
    return sources, problems
