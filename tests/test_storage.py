"""Atomic writes: an interrupted write leaves the old edition, and no debris."""

from __future__ import annotations

import os

import pytest

from pipeline.run.storage import write_atomically


def test_write_replaces_the_file(tmp_path):
    target = tmp_path / "a.tei.xml"
    write_atomically(target, b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.tei.xml"]


def test_a_failure_before_the_rename_keeps_the_old_edition(tmp_path, monkeypatch):
    target = tmp_path / "a.tei.xml"
    write_atomically(target, b"old")

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomically(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.tei.xml"]


def test_what_a_killed_write_left_is_removed_and_nothing_else(tmp_path):
    """A run killed inside write_atomically leaves its temporary file; the next run on the
    folder removes it (runs take turns: it is stale), and never a file of anyone else's."""
    import tempfile

    from pipeline.run.storage import remove_unfinished

    (tmp_path / "1841").mkdir()
    left = [tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=tmp_path / folder)[1]
            for name, folder in (("p12.tei.xml", "1841"), ("p12.html", "1841"), ("manifest.json", "."))]
    kept = [tmp_path / "draft.tmp", tmp_path / ".notes.tmp", tmp_path / "1841" / "p12.tei.xml"]
    for path in kept:
        path.write_text("mine")
    assert remove_unfinished(tmp_path) == 3
    assert not any(os.path.exists(path) for path in left)
    assert all(path.read_text() == "mine" for path in kept)


def test_files_written_together_appear_together_after_one_flush(tmp_path, monkeypatch):
    """A batch's files are flushed to disk once, then put in place; until then the old
    editions stand, and a failure inside the batch puts none of its files in place."""
    from pipeline.run import storage

    flushes = []
    real_flush = storage.flush_to_disk
    monkeypatch.setattr(storage, "flush_to_disk", lambda files: (flushes.append(list(files)), real_flush(files)))
    old = tmp_path / "a.tei.xml"
    write_atomically(old, b"old")
    with storage.written_together():
        write_atomically(old, b"new")
        write_atomically(tmp_path / "1841" / "b.tei.xml", b"b")
        assert old.read_bytes() == b"old" and not (tmp_path / "1841" / "b.tei.xml").exists()
    assert old.read_bytes() == b"new" and (tmp_path / "1841" / "b.tei.xml").read_bytes() == b"b"
    assert len(flushes) == 1 and len(flushes[0]) == 2
    with pytest.raises(RuntimeError):
        with storage.written_together():
            write_atomically(old, b"newer")
            raise RuntimeError("a defect met in the middle of the batch")
    assert old.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["1841", "a.tei.xml", "b.tei.xml"]  # no debris
    write_atomically(old, b"alone")  # outside a group: in place at once
    assert old.read_bytes() == b"alone"
