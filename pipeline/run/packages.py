"""Library packages among the files a run found: a folder holding a METS file (``mets.xml``,
or any XML file whose root is ``mets:mets``) is one source, the METS and every file it names
inside the folder; those files are never read as sources of their own, and the files below
the folder that the METS does not name are left out, a line each in the package's report (a
file given by itself is read, wherever it is). A METS file given by itself is the same
source, named after its stem.

Which file of the package gives what is the reader's business
(:mod:`pipeline.ingest.mets.package`); here only which files belong to it, so that the run
reads them, hashes them (a changed page re-processes the package) and leaves them out of
every other source.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from pipeline.errors import DocumentError
from pipeline.ingest.mets.mets import is_mets, parse_mets
from pipeline.ingest.pages.reader import natural_key

SNIFF_BYTES = 65536
METS_NAME = "mets.xml"


def looks_like_mets(path: Path) -> bool:
    """Whether an .xml file opens as a METS document (its first bytes sniffed; unreadable: no)."""
    if path.suffix.lower() != ".xml":
        return False
    try:
        with open(path, "rb") as handle:
            return is_mets(handle.read(SNIFF_BYTES))
    except OSError:
        return False


MAX_LEFT_OUT_SAID = 12  # files of a package folder the METS does not name, a line each; the rest counted


@dataclass(frozen=True)
class Package:
    """A library package among the files of a run: its folder, its METS, the files it names
    (relative to the folder, the METS first) and a line for each file of the folder it
    leaves out (another METS, a file the METS does not name)."""

    folder: Path
    mets: Path
    names: tuple[str, ...]
    left_out: tuple[str, ...] = ()


def named_files(mets: Path) -> list[str] | None:
    """The local files ``mets`` names, relative to its folder, in the order it names them
    (files outside the folder and URLs left out); None: it cannot be parsed (its reader says why)."""
    try:
        parsed = parse_mets(mets.read_bytes(), mets.name)
    except (DocumentError, OSError):
        return None
    named = []
    for file in parsed.files.values():
        href = unquote(file.href).replace("\\", "/")
        if ":" in href.split("/")[0] or href.startswith("/"):
            continue  # a URL or an absolute path: not in the package folder
        path = posixpath.normpath(href)
        if path != ".." and not path.startswith("../"):
            named.append(path)
    return list(dict.fromkeys(named))


def package_files(mets: Path, present: set[Path]) -> list[Path]:
    """The files ``mets`` names that are in its folder (and among ``present``), in the order
    it names them; a METS that cannot be parsed names none (its reader says why)."""
    return [mets.parent / name for name in named_files(mets) or [] if (mets.parent / name) in present]


def _other_mets(other: Path, main: Path) -> str:
    """Why a second METS file in a package folder is not read: a folder is one package (its
    ``mets.xml``), and a run cannot tell a variant of it from another book's METS other than
    by the files they name."""
    theirs, ours = set(named_files(other) or []), set(named_files(main) or [])
    shared = len(theirs & ours)
    what = (f"another METS of the files of {main.name} ({shared} of its {len(theirs)} files named by both)"
            if shared else f"a METS of other files than {main.name}")
    return f"{other.name}: {what}: not read, a folder is one package (give it as input by itself to read it)"


def find_packages(files: list[Path]) -> tuple[list[Package], set[Path]]:
    """(the packages among ``files``, every file they hold or leave out). A folder with
    several METS files: ``mets.xml`` (else the first by name) is the package; the others are
    said and not read. A file under a package folder that its METS does not name (in the
    folder or below it, outside a package of its own) is left out, and said."""
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        if looks_like_mets(path):
            by_folder.setdefault(path.parent, []).append(path)
    present = set(files)
    found: list[tuple[Path, Path, list[Path], list[str]]] = []
    claimed: set[Path] = set()
    for folder in sorted(by_folder):
        metses = sorted(by_folder[folder], key=lambda p: (p.name != METS_NAME, natural_key(p.name)))
        main, others = metses[0], metses[1:]
        members = [p for p in package_files(main, present) if p not in claimed and p not in metses]
        found.append((folder, main, members, [_other_mets(other, main) for other in others]))
        claimed.update([main, *members, *others])
    unnamed: dict[Path, list[Path]] = {}
    folders = {folder for folder, *_rest in found}
    for path in sorted(present - claimed) if folders else ():  # no package: no file is under one
        # the package folder nearest above the file
        owner = next((parent for parent in path.parents if parent in folders), None)
        if owner is not None:
            unnamed.setdefault(owner, []).append(path)
            claimed.add(path)
    packages = []
    for folder, main, members, lines in found:
        left = [f"{p.relative_to(folder).as_posix()}: not in the METS, left out" for p in unnamed.get(folder, [])]
        if len(left) > MAX_LEFT_OUT_SAID:
            left[MAX_LEFT_OUT_SAID:] = [f"… and {len(left) - MAX_LEFT_OUT_SAID} more files not in the METS, left out"]
        names = tuple(p.relative_to(folder).as_posix() for p in [main, *members])
        packages.append(Package(folder, main, names, tuple(lines + left)))
    return packages, claimed


def package_of_file(path: Path) -> tuple[Package, bool] | None:
    """A METS file given by itself: (its package, whether it is its folder's own METS, the
    one a run of the folder reads: ``mets.xml``, else the first by name)."""
    if not looks_like_mets(path):
        return None
    folder = path.parent
    present = {p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}
    members = [p for p in package_files(path, present) if p != path]
    metses = sorted((p for p in present if p.parent == folder and looks_like_mets(p)),
                    key=lambda p: (p.name != METS_NAME, natural_key(p.name)))
    names = tuple(p.relative_to(folder).as_posix() for p in [path, *members])
    return Package(folder, path, names), not metses or metses[0] == path
