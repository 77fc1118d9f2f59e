"""Library packages among the files a run found: a folder holding a METS file (``mets.xml``,
or any XML file whose root is ``mets:mets``) is one source, the METS and every file it names
inside the folder; those files are never read as sources of their own. A METS file given by
itself is the same source, named after its stem.

Which file of the package gives what is the reader's business
(:mod:`pipeline.ingest.mets.package`); here only which files belong to it, so that the run
reads them, hashes them (a changed page re-processes the package) and leaves them out of
every other source.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

from pipeline.errors import DocumentError
from pipeline.ingest.mets.mets import is_mets, parse_mets
from pipeline.ingest.pages.reader import natural_key

SNIFF_BYTES = 65536
METS_NAME = "mets.xml"


def looks_like_mets(path: Path) -> bool:
    if path.suffix.lower() != ".xml":
        return False
    try:
        with open(path, "rb") as handle:
            return is_mets(handle.read(SNIFF_BYTES))
    except OSError:
        return False


def package_files(mets: Path, present: set[Path]) -> list[Path]:
    """The files ``mets`` names that are in its folder (and among ``present``), in the order
    it names them; a METS that cannot be parsed names none (its reader says why)."""
    folder = mets.parent
    try:
        parsed = parse_mets(mets.read_bytes(), mets.name)
    except (DocumentError, OSError):
        return []
    named = []
    for file in parsed.files.values():
        href = unquote(file.href).replace("\\", "/")
        if ":" in href.split("/")[0] or href.startswith("/"):
            continue  # a URL or an absolute path: not in the package folder
        path = posixpath.normpath(href)
        if path != ".." and not path.startswith("../") and (folder / path) in present:
            named.append(folder / path)
    return list(dict.fromkeys(named))


def find_packages(files: list[Path]) -> tuple[list[tuple[Path, Path, tuple[str, ...]]], set[Path]]:
    """(packages as (folder, METS, file names relative to the folder, the METS first), every
    file they hold). A folder with several METS files: ``mets.xml`` (else the first by name)
    is the package; the others are handed to its reader, which says they were not read."""
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        if looks_like_mets(path):
            by_folder.setdefault(path.parent, []).append(path)
    present = set(files)
    packages, claimed = [], set()
    for folder in sorted(by_folder):
        found = sorted(by_folder[folder], key=lambda p: (p.name != METS_NAME, natural_key(p.name)))
        main, others = found[0], found[1:]
        members = [p for p in package_files(main, present) if p not in claimed and p not in found]
        names = tuple(p.relative_to(folder).as_posix() for p in [main, *members, *others])
        packages.append((folder, main, names))
        claimed.update([main, *members, *others])
    return packages, claimed


def package_of_file(path: Path) -> tuple[Path, tuple[str, ...]] | None:
    """A METS file given by itself: (its folder, the names of its files, the METS first)."""
    if not looks_like_mets(path):
        return None
    folder = path.parent
    present = {p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}
    members = [p for p in package_files(path, present) if p != path]
    return folder, tuple(p.relative_to(folder).as_posix() for p in [path, *members])
