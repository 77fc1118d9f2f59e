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
