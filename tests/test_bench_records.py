"""Benchmarks print their report and keep it in BENCHMARKS.md through one helper (bench/machine.py)."""

from __future__ import annotations

import argparse

from tests.conftest import ROOT


def test_a_report_is_printed_and_kept_unless_no_record(tmp_path, monkeypatch, capsys):
    import bench.machine

    log = tmp_path / "BENCHMARKS.md"
    log.write_text("# Benchmarks\n")
    monkeypatch.setattr(bench.machine, "BENCHMARKS", log)
    parser = argparse.ArgumentParser()
    bench.machine.add_record_option(parser)

    args = parser.parse_args(["--no-record"])
    bench.machine.publish("| a | 1 |", not args.no_record, heading="## A table\n\n")
    assert capsys.readouterr().out == "| a | 1 |\n" and log.read_text() == "# Benchmarks\n"

    args = parser.parse_args([])
    bench.machine.publish("| a | 1 |", not args.no_record, heading="## A table\n\n", console="all of it")
    assert capsys.readouterr().out == "all of it\n"
    assert log.read_text() == "# Benchmarks\n\n## A table\n\n| a | 1 |\n"


def test_no_benchmark_writes_benchmarks_md_itself():
    writers = [path.name for path in sorted((ROOT / "bench").glob("*.py"))
               if path.name != "machine.py" and '"BENCHMARKS.md", "a"' in path.read_text(encoding="utf-8")]
    assert writers == []
