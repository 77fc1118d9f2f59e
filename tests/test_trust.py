"""The command line on folders that used to make one document's edition replace another's,
on killed runs, and on output folders and files that cannot be used."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def _flows(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "flows.py"), *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=timeout)


def _env(tmp_path) -> dict[str, str]:
    return dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))


def _sha256_in(edition: Path) -> str:
    return etree.parse(str(edition)).findtext(".//{*}idno[@type='sha256']")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("manifest.json", ".lock")}


def test_a_folder_of_look_alike_names_gives_each_source_its_own_edition(tmp_path):
    inbox, secret = tmp_path / "inbox", tmp_path / "secret.txt"
    out = inbox / "editions"  # the output folder inside the input folder
    secret.write_text("root:x:0:0:a secret outside the input folder\n")
    for folder, seed in (("1841", SEEDS[3]), ("1842", SEEDS[4])):
        (inbox / folder).mkdir(parents=True)
        shutil.copy(seed, inbox / folder / "page.txt")
    shutil.copy(SEEDS[2], inbox / "book.txt")  # traditional Chinese: a reading edition book.zh-Hans.tei.xml
    shutil.copy(SEEDS[0], inbox / "book.zh-Hans.txt")
    forged = "note\x1b[2J\nOK      forged.txt"
    (inbox / forged).write_text("A file whose name holds a newline and a terminal escape.\n")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blank.txt").write_bytes(b"  \n\t\n")
    (inbox / "passwd.txt").symlink_to(secret)

    first = _flows("run", "--input", inbox, "--output", out, env=_env(tmp_path))
    assert first.returncode == 1, first.stdout + first.stderr  # the link out of the folder is not read
    assert "Traceback" not in first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert not any(line.startswith("OK      forged.txt") for line in lines)  # no forged report line
    assert any("note\\x1b[2J\\nOK      forged.txt" in line for line in lines), lines
    assert sum(line.startswith("EMPTY   ") for line in lines) == 2
    assert any(line.startswith("FAILED") and "passwd.txt" in line and "--follow-links" in line for line in lines)

    masters = {p.relative_to(out).as_posix() for p in out.rglob("*.tei.xml")}
    sources = {"1841/page.tei.xml": inbox / "1841/page.txt", "1842/page.tei.xml": inbox / "1842/page.txt",
               "book.tei.xml": inbox / "book.txt", "book.zh-Hans~2.tei.xml": inbox / "book.zh-Hans.txt"}
    for edition, source in sources.items():
        assert _sha256_in(out / edition) == hashlib.sha256(source.read_bytes()).hexdigest(), edition
    reading = etree.parse(str(out / "book.zh-Hans.tei.xml"))
    assert _sha256_in(out / "book.zh-Hans.tei.xml") == hashlib.sha256((inbox / "book.txt").read_bytes()).hexdigest()
    assert reading.find(".//{*}text").get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert not any(name.startswith(("empty", "blank")) for name in masters)
    assert not any(b"a secret outside" in data for data in _files(out).values())
    from pipeline.run.manifest import RunManifest

    manifest = RunManifest.model_validate_json((out / "manifest.json").read_text())
    assert manifest.empty == 2 and manifest.failed == 1

    before = _files(out)
    second = _flows("run", "--input", inbox, "--output", out, env=_env(tmp_path))
    assert "Traceback" not in second.stdout + second.stderr
    assert _files(out) == before  # nothing new read from the output folder, nothing rewritten
    assert sum("(unchanged)" in line for line in second.stdout.splitlines()) == 5, second.stdout


def _ours(home: Path) -> list:
    """Processes started for this test's Prefect home (the run's servers and workers)."""
    import psutil

    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("PREFECT_HOME") == str(home):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def test_a_run_killed_twice_and_resumed_ends_as_a_clean_run_with_no_process_left(tmp_path):
    inbox = tmp_path / "many"
    inbox.mkdir()
    for i in range(40):
        seed = SEEDS[i % len(SEEDS)]
        (inbox / f"{i:03d}-{seed.name}").write_bytes(seed.read_bytes() + f"\n\nCopy {i}.\n".encode())
    env = _env(tmp_path)
    clean = tmp_path / "clean"
    assert _flows("run", "--input", inbox, "--output", clean, env=env).returncode == 0

    out = tmp_path / "killed"
    rng = random.Random(7)
    for _ in range(2):
        process = subprocess.Popen([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox),
                                    "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=env)
        deadline = time.time() + 240
        target = rng.randint(3, 30)
        while time.time() < deadline and len(list(out.glob("*.tei.xml"))) < target:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)  # the run only: what it started must go with it
        process.wait()
        deadline = time.time() + 20
        while _ours(Path(env["PREFECT_HOME"])) and time.time() < deadline:
            time.sleep(0.5)
        assert _ours(Path(env["PREFECT_HOME"])) == []
    resumed = _flows("run", "--input", inbox, "--output", out, env=env)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert _files(out) == _files(clean)  # byte-identical, histories included
    time.sleep(6)  # the watchdog of the last run has its grace period
    assert _ours(Path(env["PREFECT_HOME"])) == []


def test_output_folders_that_cannot_be_used_get_one_line(tmp_path):
    env = _env(tmp_path)
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    for output in (a_file, a_file / "below"):
        result = _flows("run", "--input", ROOT / "seeds", "--output", output, env=env, timeout=120)
        assert result.returncode == 2
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert str(a_file) in result.stderr and "--output" in result.stderr
    missing = _flows("run", "--input", tmp_path / "nowhere", "--output", tmp_path / "out", env=env, timeout=120)
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    assert not (tmp_path / "out").exists()


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(tmp_path):
    out, victim = tmp_path / "out", tmp_path / "precious.txt"
    out.mkdir()
    victim.write_text("Someone's precious file.\n")
    (out / ".lock").symlink_to(victim)
    result = _flows("run", "--input", SEEDS[3], "--output", out, env=_env(tmp_path))
    assert result.returncode == 2 and "symbolic link" in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert victim.read_text() == "Someone's precious file.\n"


def test_source_prints_what_it_can_and_refuses_tei_it_did_not_make(tmp_path):
    import codecs

    from pipeline.config import PipelineConfig
    from pipeline.run.document import process_file

    source = tmp_path / "surrogate.txt"
    source.write_bytes(codecs.BOM_UTF16_LE + "before ".encode("utf-16-le") + b"\x00\xd8" + " after".encode("utf-16-le"))
    report = process_file(source, tmp_path / "out", PipelineConfig())
    assert report.status == "ok", report.errors
    printed = _flows("source", report.edition_path, timeout=120)
    assert printed.returncode == 0, printed.stderr
    assert "before" in printed.stdout and "\\ud800" in printed.stdout and "after" in printed.stdout
    assert "escape" in printed.stderr

    foreign = tmp_path / "foreign.xml"
    foreign.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>'
                       '<choice><abbr>Dr.</abbr><expan>Doctor</expan></choice> Faustus</p></body></text></TEI>')
    refused = _flows("source", foreign, timeout=120)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "not an edition made by scan2tei" in refused.stderr
