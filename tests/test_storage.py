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
