"""The Prefect flow: one task per document, per-document errors, caching by content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from lxml import etree

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SEEDS[2], folder)
    shutil.copy(SEEDS[3], folder)
    (folder / "scan.pdf.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    (folder / "controls.txt").write_bytes("Text with a bell\x07 and a NUL\x00.\n".encode())
    return folder


def test_flow_writes_good_documents_and_reports_bad_ones(prefect_harness, inbox, tmp_path):
    import flows

    out = tmp_path / "out"
    reports = {r.file_name: r for r in flows.build_editions([inbox], out)}
    assert reports["scan.pdf.txt"].status == "failed"
    assert "is a PDF that cannot be read" in reports["scan.pdf.txt"].errors[0]
    assert reports["controls.txt"].status == "ok"
    assert reports["controls.txt"].interventions == {"illegal-character": 2}
    written = sorted(p.name for p in out.glob("*.tei.xml"))
    assert (out / "manifest.json").exists()
    assert written == ["002_492f708f3fafdf19.tei.xml", "002_492f708f3fafdf19.zh-Hans.tei.xml",
                       "003_22d16b25c756b627.tei.xml", "controls.tei.xml"]


def test_unchanged_sources_are_not_rewritten_and_changed_ones_are(prefect_harness, inbox, tmp_path):
    import flows

    out = tmp_path / "out"
    flows.build_editions([inbox], out)
    edition = out / "003_22d16b25c756b627.tei.xml"
    before = edition.stat().st_mtime_ns, edition.read_bytes()
    second = {r.file_name: r for r in flows.build_editions([inbox], out)}
    assert second["003_22d16b25c756b627.txt"].unchanged
    assert (edition.stat().st_mtime_ns, edition.read_bytes()) == before

    source = inbox / "003_22d16b25c756b627.txt"
    source.write_bytes(source.read_bytes() + b"\nA postscript.\n")
    third = {r.file_name: r for r in flows.build_editions([inbox], out)}
    assert not third["003_22d16b25c756b627.txt"].unchanged
    assert b"A postscript." in edition.read_bytes()
    changes = ["".join(c.itertext()) for c in etree.parse(str(edition)).iter("{*}change")]
    assert len(changes) == 2 and changes[0].startswith("Edition generated")  # the history is kept
    assert "source changed" in changes[1] and "interventions" in changes[1]

    edition.unlink()  # a deleted edition is rebuilt even though its source is unchanged
    flows.build_editions([inbox], out)
    assert edition.exists()


def test_command_line_run_prints_one_line_per_document_and_fails_on_bad_input(inbox, tmp_path):
    out = tmp_path / "cli-out"
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5  # four documents and the summary
    assert sum(line.startswith("OK ") for line in lines) == 3
    assert any(line.startswith("FAILED  scan.pdf.txt") for line in lines)
    assert "Traceback" not in result.stdout + result.stderr
    assert len(list(out.glob("*.tei.xml"))) == 4  # three editions and one reading edition

    edition = out / "003_22d16b25c756b627.tei.xml"
    source = subprocess.run([sys.executable, str(ROOT / "flows.py"), "source", str(edition)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert source.returncode == 0
    assert "".join(source.stdout.split()) == "".join(SEEDS[3].read_text().split())

    check = subprocess.run([sys.executable, str(ROOT / "flows.py"), "validate", str(edition), str(inbox / "controls.txt")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert check.returncode == 1
    assert f"valid   {edition}" in check.stdout
    assert "INVALID" in check.stdout and "line 1" in check.stdout


def test_a_transient_failure_is_retried_and_a_lasting_one_is_not_retried_forever(prefect_harness, tmp_path, monkeypatch):
    import flows
    from orchestration import flow

    source = tmp_path / "in" / "flaky.txt"
    source.parent.mkdir()
    source.write_text("A document on a flaky network share.\n")
    steady = tmp_path / "in" / "steady.txt"
    steady.write_text("A document beside it, read without trouble.\n")
    monkeypatch.setattr(flow, "MIN_BATCHES", 1)  # both in one task
    calls = {"n": 0, "steady": 0}
    real = flow.process_file

    def flaky(path, output_dir, config, *names, **options):
        if path.name == "steady.txt":
            calls["steady"] += 1
            return real(path, output_dir, config, *names, **options)
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(5, "Input/output error")
        return real(path, output_dir, config, *names, **options)

    monkeypatch.setattr(flow, "process_file", flaky)
    reports = flows.build_editions([source.parent], tmp_path / "out")
    assert [r.status for r in reports] == ["ok", "ok"] and calls["n"] == 2
    assert calls["steady"] == 1  # the retry redid only the document that failed
    steady_edition = etree.parse(str(tmp_path / "out" / "steady.tei.xml"))
    assert len(list(steady_edition.iter("{*}change"))) == 1
    steady.unlink()

    def broken(path, output_dir, config, *names, **options):
        calls["n"] += 1
        raise OSError(5, "Input/output error")

    calls["n"] = 0
    source.write_text("Changed, so that the cache does not answer.\n")
    monkeypatch.setattr(flow, "process_file", broken)
    [report] = flows.build_editions([source.parent], tmp_path / "out")
    assert report.status == "failed" and "Input/output error" in report.errors[0]
    assert calls["n"] == 3  # the first attempt and two retries


def test_every_run_leaves_a_manifest_and_withdrawn_sources_keep_their_editions(prefect_harness, inbox, tmp_path):
    import flows
    from pipeline.run.manifest import RunManifest

    out = tmp_path / "out"
    flows.build_editions([inbox], out)
    manifest = RunManifest.model_validate_json((out / "manifest.json").read_text())
    by_name = {d.file_name: d for d in manifest.documents}
    assert by_name["scan.pdf.txt"].status == "failed" and "PDF that cannot be read" in by_name["scan.pdf.txt"].errors[0]
    assert by_name["003_22d16b25c756b627.txt"].sha256 and by_name["003_22d16b25c756b627.txt"].encoding == "utf-8"
    assert manifest.written == 3 and manifest.failed == 1

    (inbox / "controls.txt").unlink()
    flows.build_editions([inbox], out)
    manifest = RunManifest.model_validate_json((out / "manifest.json").read_text())
    assert manifest.withdrawn == ["controls.tei.xml"]
    assert (out / "controls.tei.xml").exists()  # nothing is deleted
    assert manifest.unchanged == 2


def test_the_manifest_schema_in_schemas_is_current():
    from pipeline.run.manifest import SCHEMA_PATH, manifest_schema

    assert SCHEMA_PATH.read_text(encoding="utf-8") == manifest_schema(), "run: python -m pipeline.run.manifest"


def test_two_runs_at_once_on_one_output_folder(inbox, tmp_path):
    out = tmp_path / "shared-out"
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
    command = [sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output", str(out)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    for run in runs:
        run.communicate(timeout=300)
        assert run.returncode == 1  # the binary file fails in both; everything else is written
    from pipeline.run.manifest import RunManifest
    from pipeline.tei.validate import validate_file

    RunManifest.model_validate_json((out / "manifest.json").read_text())
    editions = sorted(out.glob("*.tei.xml"))
    assert len(editions) == 4 and all(validate_file(e) == [] for e in editions)
    assert not list(out.glob(".*.tmp"))


def test_a_local_dask_cluster_gives_byte_identical_editions_and_leaves_no_scratch(tmp_path):
    """--workers 2: the same editions; the workers' files kept inside the output folder (Dask's
    default is the machine's temporary folder, where they outlive the run) and removed."""
    machine_tmp = tmp_path / "machine-tmp"
    machine_tmp.mkdir()
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"), TMPDIR=str(machine_tmp))
    outputs = {}
    for name, extra in (("sequential", []), ("dask", ["--workers", "2"])):
        out = tmp_path / name
        result = subprocess.run([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(ROOT / "seeds"),
                                 "--output", str(out), *extra], capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        outputs[name] = {p.name: p.read_bytes() for p in out.glob("*.tei.xml")}
    assert len(outputs["sequential"]) == 7 and outputs["dask"] == outputs["sequential"]
    assert list(machine_tmp.iterdir()) == [] and not (tmp_path / "dask" / ".scratch").exists()


def test_the_run_table_and_summary_are_prefect_artifacts(prefect_harness, inbox, tmp_path):
    import flows
    from prefect.artifacts import Artifact

    flows.build_editions([inbox], tmp_path / "out")
    table = Artifact.get("editions")
    summary = Artifact.get("editions-summary")
    assert table is not None and "scan.pdf.txt" in str(table.data) and "PDF that cannot be read" in str(table.data)
    assert summary is not None and "4 documents" in str(summary.data)


def test_documents_are_batched_into_few_tasks_and_big_ones_stand_alone(tmp_path):
    from orchestration import flow

    small = []
    for i in range(100):
        small.append(tmp_path / f"s{i:03d}.txt")
        small[-1].write_bytes(b"x" * 10_000)
    groups = flow.batches(small)
    assert [p for g in groups for p in g] == small  # every document once, in order
    assert len(groups) >= flow.MIN_BATCHES and max(map(len, groups)) <= flow.BATCH_DOCUMENTS
    one_at_a_time = flow.batches(small, spread=1)  # as few as the limits allow
    assert [p for g in one_at_a_time for p in g] == small
    assert len(one_at_a_time) == 2  # one would hold them all: two, so that the first ones land midway
    assert len(flow.batches(small * 3, spread=1)) == -(-300 // flow.BATCH_DOCUMENTS_ONE_PROCESS)
    # a few dozen documents in one process: two batches, the first editions land midway; fewer: one
    assert len(flow.batches(small[:flow.FIRST_BATCH + 1], spread=1)) == 2
    assert len(flow.batches(small[:flow.FIRST_BATCH], spread=1)) == 1
    # on three workers: a multiple of three batches of about one weight, big and small documents mixed
    mixed = []
    for i in range(90):
        mixed.append(tmp_path / f"m{i:03d}.txt")
        mixed[-1].write_bytes(b"x" * (60_000 if i < 30 else 2_000))  # the big ones first
    groups = flow.batches(mixed, spread=3)
    assert [p for g in groups for p in g] == mixed and len(groups) % 3 == 0 and len(groups) >= flow.MIN_BATCHES
    weights = [sum(p.stat().st_size + flow.DOCUMENT_BYTES for p in group) for group in groups]
    assert max(weights) < 1.25 * min(weights), weights
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (flow.BATCH_BYTES + 1))
    groups = flow.batches(small[:20] + [big] + small[20:40])
    assert [big] in groups
    assert flow.batches([]) == []


def test_a_defect_met_on_one_document_fails_that_document_only(prefect_harness, tmp_path, monkeypatch):
    """Whatever a document makes the library raise is its own report: the other documents
    of its task are built."""
    import flows
    from orchestration import flow
    import pipeline.run.document

    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(6):
        shutil.copy(SEEDS[i % 5], inbox / f"{i}.txt")
    real = pipeline.run.document.build_edition

    def defective(data, file_name, *args, **kwargs):
        if file_name == "3.txt":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(data, file_name, *args, **kwargs)

    monkeypatch.setattr(pipeline.run.document, "build_edition", defective)
    monkeypatch.setattr(flow, "MIN_BATCHES", 1)  # all six in one task
    reports = {r.file_name: r for r in flows.build_editions([inbox], tmp_path / "out")}
    assert reports["3.txt"].status == "failed" and "internal error (UnicodeEncodeError" in reports["3.txt"].errors[0]
    assert [reports[f"{i}.txt"].status for i in (0, 1, 2, 4, 5)] == ["ok"] * 5


def test_a_full_disk_for_the_manifest_still_reports_every_document(prefect_harness, inbox, tmp_path, monkeypatch,
                                                                     capsys):
    import errno

    import flows
    from orchestration import flow

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(flow, "write_manifest", full)
    monkeypatch.setattr(flow, "CHECKPOINT_SECONDS", 0)  # a checkpoint after every document
    reports = flows.build_editions([inbox], tmp_path / "out")
    assert len(reports) == 4 and sum(r.status == "ok" for r in reports) == 3
    printed = capsys.readouterr().out
    assert printed.count("WARNING") == 2  # said once during the run, once at its end
    assert "manifest.json could not be written: No space left on device" in printed
    assert len(list((tmp_path / "out").glob("*.tei.xml"))) == 4


def test_the_temporary_servers_shutdown_complaints_stay_off_the_console(tmp_path):
    """What SQLAlchemy, aiosqlite and asyncio log when the temporary server's database is
    closed under a query (CancelledError tracebacks, one run in ten) goes to the server's log
    under PREFECT_HOME, never to the archivist's console."""
    script = ("import logging, flows\n"
              "try:\n    raise RuntimeError('connection closed at shutdown')\n"
              "except RuntimeError:\n"
              "    for name in ('sqlalchemy.pool.impl.AsyncAdaptedQueuePool', 'aiosqlite', 'asyncio'):\n"
              "        logging.getLogger(name).error('Exception terminating connection', exc_info=True)\n")
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert (tmp_path / "home" / "server.log").read_text().count("connection closed at shutdown") == 3
