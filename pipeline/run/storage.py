"""Writing into the output folder: a crash leaves the old file or the new one, never half of
one; runs on one folder take turns; a folder that cannot be used is said in one line."""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import errno
import fcntl
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over ``path``.
    Inside :func:`written_together`, the flush and the rename wait for the end of the group.
    ``durable=False``: not flushed (after a crash of the machine the file may be empty): for a
    file that only informs while its writer runs."""
    pending = _PENDING.get()
    fd, tmp_name = _temporary_beside(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, 0o644)
            if pending is None and durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if pending is not None:
            pending.append((tmp_name, path))
            return
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder, open for writing; the folder is made when it
    is missing (not asked of the file system before every write)."""
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except (FileNotFoundError, NotADirectoryError):
        path.parent.mkdir(parents=True, exist_ok=True)  # says what is in the way, if anything
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


# The files written inside written_together() in this thread: (temporary file, its place)
_PENDING: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar("pending", default=None)


@contextlib.contextmanager
def written_together(landed: Callable[[], None] | None = None,
                     landing: contextlib.AbstractContextManager | None = None) -> Iterator[None]:
    """The files written inside are flushed to disk together at the end, then put in place:
    one flush of the file system for a batch of documents instead of one per file (each costs
    milliseconds, tens of them on a busy disk). A name never points at data not yet on disk,
    as with single writes; if anything fails, no file of the group is put in place.
    ``landed`` is called once all are in place, inside ``landing`` (a lock held from the first
    rename on): who takes that lock finds the group put in place and said so, or not begun."""
    pending: list[tuple[str, Path]] = []
    placed = 0
    token = _PENDING.set(pending)
    try:
        yield
        _PENDING.reset(token)
        token = None
        flush_to_disk([tmp for tmp, _ in pending])
        with landing or contextlib.nullcontext():
            for tmp, path in pending:
                os.replace(tmp, path)
                placed += 1
            if landed is not None:
                landed()
    finally:
        if token is not None:
            _PENDING.reset(token)
        for tmp, _ in pending[placed:]:
            Path(tmp).unlink(missing_ok=True)  # what was not put in place


def _syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2): every file of one file system to disk, in one journal commit."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):
        return None


SYNCFS = _syncfs()


def flush_to_disk(files: list[str]) -> None:
    """Make the files' contents durable: one syncfs per file system where Linux has it, else
    an fsync each."""
    by_device: dict[int, str] = {}
    for name in {os.path.dirname(name): name for name in files}.values():  # a folder's files: its device
        by_device.setdefault(os.stat(name).st_dev, name)
    if SYNCFS is not None:
        for name in by_device.values():
            fd = os.open(name, os.O_RDONLY)
            try:
                if SYNCFS(fd) == 0:
                    continue
            finally:
                os.close(fd)
            break  # syncfs refused: fsync each, below
        else:
            return
    for name in files:
        fd = os.open(name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


LOCK_NAME = ".lock"
LOCK_OWNER = ".lock.owner"  # which process holds the lock: its id and command line, for a run that waits
LOCK_LINK = "{path} is a symbolic link; remove it (a run's lock file is an ordinary empty file)"


class OutputFolderError(Exception):
    """The output folder cannot be used; the message names it and says what to do."""


# What write_atomically leaves when its process is killed mid-write: ".<name>.<mkstemp's 8>.tmp"
UNFINISHED = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def remove_unfinished(output_dir: Path) -> int:
    """Delete the temporary files a killed run left half-written (runs on one output folder
    take turns, so under the lock every one is stale); returns how many. Editions are never
    among them: they are renamed into place whole or not at all."""
    removed = 0
    for folder, _subfolders, files in os.walk(output_dir):
        for name in files:
            if UNFINISHED.match(name):
                with contextlib.suppress(FileNotFoundError):
                    (Path(folder) / name).unlink()
                    removed += 1
    return removed


SCRATCH_NAME = ".scratch"  # the output folder's temporary area: one folder per running process


@contextlib.contextmanager
def scratch_folder(output_dir: Path) -> Iterator[Path]:
    """A folder for this process's temporary files (a local Dask cluster's spill and lock
    files), inside the output folder, removed when the run ends; what a killed run left there
    is removed by the next (its process is gone)."""
    area = output_dir / SCRATCH_NAME
    for left in area.glob("*"):
        if not (left.name.isdigit() and psutil.pid_exists(int(left.name))):
            shutil.rmtree(left, ignore_errors=True)
    mine = area / str(os.getpid())
    mine.mkdir(parents=True, exist_ok=True)
    try:
        yield mine
    finally:
        shutil.rmtree(mine, ignore_errors=True)
        with contextlib.suppress(OSError):
            area.rmdir()  # only when no other run has a folder there


def check_output_folder(folder: Path) -> None:
    """Make sure editions can be written into ``folder`` (creating it if needed), or say why not."""
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder}: the output path is a file, not a folder; choose another --output")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise OutputFolderError(f"{folder}: the output folder cannot be written ({error.strerror or error}); "
                                "choose another --output or give this user write access") from error
    if (folder / LOCK_NAME).is_symlink():
        raise OutputFolderError(LOCK_LINK.format(path=folder / LOCK_NAME))


@contextlib.contextmanager
def output_lock(output_dir: Path, waiting: Callable[[str], None] | None = None):
    """An exclusive lock on the output folder for the length of a run (released by the OS if
    the run dies). The lock file is never followed if it is a link, and never truncated.
    When another run holds it, ``waiting`` is told which process before this one waits."""
    path = output_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OutputFolderError(LOCK_LINK.format(path=path)) from error
        raise OutputFolderError(f"{path}: cannot open the lock file ({error.strerror})") from error
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(lock_holder(output_dir))
            fcntl.flock(fd, fcntl.LOCK_EX)
        owner = output_dir / LOCK_OWNER
        with contextlib.suppress(OSError):  # only for the message of a run that waits
            write_atomically(owner, f"{os.getpid()}\n{' '.join(sys.argv)}\n".encode(), durable=False)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                owner.unlink()
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder(output_dir: Path) -> str:
    """The process that holds the output folder's lock, as a run that waits says it:
    ``process 1234 (scan2tei run --input …)``, or ``another run`` when it cannot be told."""
    try:
        pid_line, command = ((output_dir / LOCK_OWNER).read_text(encoding="utf-8", errors="replace")
                             .split("\n", 2)[:2])
        pid = int(pid_line)
        if not psutil.pid_exists(pid):
            return "another run"
    except (OSError, ValueError):
        return "another run"
    return f"process {pid} ({command[:200]})" if command else f"process {pid}"
