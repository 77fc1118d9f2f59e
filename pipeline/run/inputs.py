"""Which files a run reads: files and folders as given, folders walked in a stable order.

The page files of one folder (page images and OCR engines' XML, one page each) are one
source, a book named after its folder; a PDF, a multi-page TIFF and every other file are a
source each.

Everything that cannot be read as a file is reported by name with the reason, never skipped
silently: a broken or looping symbolic link, a special file, a path that does not exist, a
link that leads out of the folder it was found in. What the project itself wrote (the output
folder, or any folder holding one of our manifests) is never read as input.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from pipeline import PIPELINE_NAME
from pipeline.ingest.pages.formats import IMAGE_SUFFIXES, OCR_SUFFIXES, page_kind
from pipeline.ingest.pages.images import frame_count
from pipeline.ingest.pages.reader import natural_key
from pipeline.run.packages import find_packages, package_of_file

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Source:
    """A file to turn into an edition, and where it sits under the input it was found in."""

    path: Path  # the file, or the folder of a book
    relative: PurePosixPath  # under its input folder; a file given by itself: its name
    pages: tuple[str, ...] = ()  # a book: its page files (names in ``path``), in natural order
    left_out: tuple[str, ...] = ()  # a library package: a line for each file of its folder not read
    identity: Path | None = None  # a package given by a METS that is not its folder's own: that file

    @property
    def is_book(self) -> bool:
        """Whether the source is a folder of page files read as one book."""
        return bool(self.pages)

    @cached_property  # asked for at every step of the run
    def key(self) -> str:
        """How runs recognise this source: its absolute path (links not resolved); a second
        METS of a package folder, given by itself, is a source apart from the folder's own."""
        return source_key(self.identity or self.path)

    @property
    def display_name(self) -> str:
        """The source as the console and the report name it: its path under its input folder."""
        return str(self.relative)


@dataclass(frozen=True)
class InputProblem:
    """A path given or found that cannot be read as a source."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def source_key(path: Path | str) -> str:
    """The key a source is known by in the manifest: its absolute path."""
    return os.path.abspath(path)


def is_output_folder(folder: Path) -> bool:
    """A folder one of our runs wrote into (it holds our manifest)."""
    try:
        head = (folder / MANIFEST_NAME).read_bytes()[:200]
    except OSError:
        return False
    return f'"pipeline": "{PIPELINE_NAME}"'.encode() in head


def _problem(path: Path) -> str | None:
    if path.is_symlink() and not path.exists():
        try:
            os.stat(path)
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "symbolic link loop; remove or fix the link"
        return "symbolic link to a file that does not exist; remove or fix the link"
    if not path.exists():
        return "no such file or folder"
    if not path.is_file() and not path.is_dir():
        return "not a regular file (device, socket or pipe); remove it from the input"
    return None


def _inside(path: Path, folder: Path) -> bool:
    """``path == folder or folder in path.parents``, as one comparison of their parts."""
    depth = len(folder.parts)
    return path.parts[:depth] == folder.parts and (depth > 0 or not path.anchor)  # "." holds no absolute path


def discover_sources(paths: list[Path], exclude: tuple[Path, ...] = (),
                     follow_links: bool = False) -> tuple[list[Source], list[InputProblem]]:
    """(sources, problems). Hidden files and folders are skipped; order is stable.

    ``exclude``: folders never read (the run's output folder). Symbolic links to folders are
    not followed (no loops); a link to a file is read when it stays inside the input folder,
    or anywhere with ``follow_links``."""
    excluded = tuple(p.resolve() for p in exclude)
    sources: list[Source] = []
    problems: list[InputProblem] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found, trouble = _walk(path, excluded, follow_links)
            found = _books(found, path)  # library packages (METS) first: their files are theirs
            if not found and not trouble:
                trouble.append(InputProblem(path, "folder has no files to process"))
            sources.extend(found)
            problems.extend(trouble)
        elif (problem := _problem(path)) is None and (given := package_of_file(path)):
            package, folders_own = given
            sources.append(Source(package.folder, PurePosixPath(path.stem), package.names,
                                  identity=None if folders_own else path))
        elif problem is None:
            sources.append(Source(path, PurePosixPath(path.name)))
        else:
            problems.append(InputProblem(path, problem))
    return sources, problems


def _walk(root: Path, excluded: tuple[Path, ...], follow_links: bool) -> tuple[list[Source], list[InputProblem]]:
    """The files under ``root``, hidden ones, excluded folders and output folders left out
    of the walk itself (their contents are never listed); links to folders not followed."""
    real_root = root.resolve()
    found: list[Source] = []
    problems: list[InputProblem] = []
    for folder, subfolders, files in os.walk(root):  # does not descend into links to folders
        here = Path(folder)
        subfolders[:] = [name for name in subfolders if not name.startswith(".")
                         and not (here / name).is_symlink() and not _skipped(here / name, excluded)]
        real_here = None  # the folder's real path, resolved once: a file that is no link lies in it
        for name in files:
            if name.startswith("."):
                continue
            candidate = here / name
            try:
                ordinary = stat.S_ISREG(os.lstat(candidate).st_mode)  # a regular file, not a link
            except OSError:
                ordinary = False
            if ordinary:
                real_here = real_here or here.resolve()
                real, link = real_here / name, False
            elif not candidate.is_file():  # a broken or looping link, a device, a socket
                if problem := _problem(candidate):
                    problems.append(InputProblem(candidate, problem))
                continue
            else:
                real, link = candidate.resolve(), candidate.is_symlink()
            if any(_inside(real, other) for other in excluded):
                continue
            if link and not follow_links and not _inside(real, real_root):
                problems.append(InputProblem(candidate, "symbolic link to a file outside the input folder; "
                                                        "not read (pass --follow-links to read it)"))
                continue
            found.append(Source(candidate, PurePosixPath(candidate.relative_to(root).as_posix())))
    found.sort(key=lambda source: source.path.parts)  # as paths sort, part by part
    problems.sort(key=lambda problem: problem.path.parts)
    return found, problems


SNIFF_BYTES = 65536


def _is_page(path: Path) -> bool:
    """One page of a book: a single-page image, or an OCR engine's XML (judged by its bytes)."""
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES and suffix not in OCR_SUFFIXES:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
        kind = page_kind(head, path.name)
        return kind == "ocr" or (kind == "image" and frame_count(path) == 1)
    except Exception:  # whatever a damaged file raises: read again when processed, and reported then
        return False


def _books(sources: list[Source], root: Path) -> list[Source]:
    """Each library package (a folder with a METS file) becomes one source named after its
    folder, the files below it that its METS does not name none; the page files of each
    other folder, one source named after the folder."""
    packages, claimed = find_packages([source.path for source in sources])
    pages: dict[Path, list[Source]] = {}
    others = [Source(p.folder, _folder_name(p.folder, root), p.names, p.left_out) for p in packages]
    for source in (s for s in sources if s.path not in claimed):
        if _is_page(source.path):
            pages.setdefault(source.path.parent, []).append(source)
        else:
            others.append(source)
    for folder, found in pages.items():
        names = tuple(sorted((s.path.name for s in found), key=natural_key))
        others.append(Source(folder, _folder_name(folder, root), names))
    return sorted(others, key=lambda source: source.path.parts)  # as paths sort, part by part


def _folder_name(folder: Path, root: Path) -> PurePosixPath:
    return PurePosixPath(folder.relative_to(root).as_posix() if folder != root else root.resolve().name)


def _skipped(folder: Path, excluded: tuple[Path, ...]) -> bool:
    """A folder the run never reads: its output folder, or one an earlier run wrote."""
    real = folder.resolve()
    return any(_inside(real, other) for other in excluded) or is_output_folder(folder)
