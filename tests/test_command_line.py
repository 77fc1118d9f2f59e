"""The command line as a new user meets it: the installed `scan2tei` command, the README's
commands as written, the settings its error messages name, the test tiers."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
VENV_BIN = ".venv/bin/"


def shell_lines(markdown: str) -> list[list[str]]:
    """The commands of the README's ```sh blocks, each as its words (comments left out; a
    line of several commands joined by `&&` or `;` is several)."""
    commands = []
    for block in re.findall(r"^```(?:sh|bash|console)\n(.*?)^```", markdown, flags=re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            words: list[str] = []
            for word in lexer:
                if word in ("&&", ";", "||", "|"):
                    commands.append(words)
                    words = []
                else:
                    words.append(word)
            commands.append(words)
    return [words for words in commands if words]


def scan2tei_commands(markdown: str) -> list[list[str]]:
    """Each README command of the pipeline, as the words typed."""
    return [words for words in shell_lines(markdown) if words[0].endswith("scan2tei")]


def test_the_readme_shows_only_the_installed_command():
    commands = shell_lines(README.read_text(encoding="utf-8"))
    assert commands, "the README shows no command"
    old = [shlex.join(words) for words in commands if "flows.py" in words]
    assert not old, f"the README still says `python flows.py`: {old}"
    # every command after the set-up works as written, outside an activated venv
    assert all(w.startswith(VENV_BIN) for w in [c[0] for c in scan2tei_commands(README.read_text())])


def test_every_readme_command_is_one_the_command_line_knows():
    import flows

    commands = scan2tei_commands(README.read_text(encoding="utf-8"))
    assert {c[1] for c in commands if len(c) > 1} >= {"run", "serve", "source", "validate", "evaluate"}
    parser = flows.build_parser()
    for words in commands:
        try:
            parser.parse_args(words[1:])
        except SystemExit:
            pytest.fail(f"the README's command does not exist as written: {' '.join(words)}")


def test_the_command_is_installed_by_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["scan2tei"] == "flows:cli"
    assert "flows" in project["tool"]["setuptools"]["py-modules"]
    script = Path(sys.executable).parent / "scan2tei"
    assert script.exists(), f"{script} missing: pip install -e . (the README's first command) installs it"
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's flows.py, whichever one the venv points to
    result = subprocess.run([str(script), "run", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("usage: scan2tei run"), result.stderr
    assert "--config FILE" in result.stdout


@pytest.mark.slow
def test_the_readme_commands_run_as_written(tmp_path):
    """Each command in the README's order, verbatim, in a folder that looks like a fresh clone
    after the first command (seeds/, tests/data, examples/, .venv/bin). `serve` and commands on an
    archive's paths (/archive/…) are only parsed above: serving is tested in test_serve.py."""
    for name in ("seeds", "tests", "schemas", "examples"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect-home"))
    ran = 0
    for words in scan2tei_commands(README.read_text(encoding="utf-8")):
        if words[1:2] == ["serve"] or any(w.startswith("/") for w in words):
            continue
        result = subprocess.run(words, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, f"{shlex.join(words)}:\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stdout + result.stderr
        ran += 1
    assert ran >= 4


def test_help_says_what_input_and_output_are():
    import flows

    parser = flows.build_parser()
    for command in ("run", "serve"):
        sub = parser._subparsers._group_actions[0].choices[command]
        for action in sub._actions:
            assert action.help, f"{command} {action.option_strings} has no help text"


def test_a_setting_is_set_from_a_toml_file_and_a_misspelt_one_is_said(tmp_path):
    import flows
    from pipeline.config import load_config

    good = tmp_path / "settings.toml"
    good.write_text('max_document_bytes = 2048\nscript_standard = "hk"\n')
    config = load_config(good, ocr_languages="deu")
    assert (config.max_document_bytes, config.script_standard, config.ocr_languages) == (2048, "hk", "deu")

    bad = tmp_path / "bad.toml"
    bad.write_text("max_docment_bytes = 3\n")
    result = subprocess.run([sys.executable, str(ROOT / "flows.py"), "run", "--config", str(bad), "--output",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert str(bad) in line and "max_docment_bytes is no setting" in line and "max_document_bytes" in line
    assert not (tmp_path / "out").exists()
    assert flows.main(["run", "--config", str(tmp_path / "missing.toml")]) == 2


@pytest.mark.slow
def test_the_setting_an_error_names_can_be_raised_from_the_command_line(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "long.txt").write_text("A line of a long document.\n" * 100)
    small = tmp_path / "small.toml"
    small.write_text("max_document_bytes = 1000\n")
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
    command = [sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output", str(tmp_path / "out")]
    result = subprocess.run(command + ["--config", str(small)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1 and "raise max_document_bytes" in result.stdout and "--config" in result.stdout
    small.write_text("max_document_bytes = 100000\n")
    result = subprocess.run(command + ["--config", str(small)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_setting_is_described_and_the_exported_schema_is_current():
    from pipeline.config import SCHEMA_PATH, PipelineConfig, config_schema

    for name, field in PipelineConfig.model_fields.items():
        assert field.description, f"the setting {name} has no description"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == config_schema(), "run: python -m pipeline.config"
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["additionalProperties"] is False and "max_document_bytes" in schema["properties"]


def test_the_report_line_of_page_images_names_no_encoding_none():
    from pipeline.run.document import DocumentReport

    report = DocumentReport(file_name="book", source_path="book", status="ok", encoding="none",
                            languages={"de": 100}, interventions={"hyphenation": 3})
    line = report.console_line()
    assert "none," not in line and "OCR" in line


def test_pytest_runs_the_fast_tier_by_default_and_ci_runs_everything():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "not slow" in options["addopts"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert '-m "slow or not slow"' in ci  # CI still runs every test
    readme = README.read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1].removeprefix("sh ") in readme.replace("\n", " ") or \
        ci.strip().splitlines()[-1] in readme  # .ci/run runs the README's test command verbatim
    assert "not slow" in readme or "fast tier" in readme


@pytest.mark.skipif(shutil.which("true") is None, reason="no shell")
def test_serve_prints_a_way_to_trigger_the_run_that_works_from_the_venv():
    from orchestration.serve import trigger_command

    line = trigger_command("http://127.0.0.1:4200/api")
    words = shlex.split(line)
    assert words[0] == "PREFECT_API_URL=http://127.0.0.1:4200/api"
    assert Path(words[1]).is_absolute() and Path(words[1]).exists()  # no `prefect` on the PATH needed
    assert words[-3:] == ["deployment", "run", "build-editions/nightly"]


DOCS = ROOT / "docs"
PHASES = ("ingest", "pages", "repairs", "scripts", "structure", "tei", "operations", "digitization")


def test_the_readme_is_short_and_links_a_page_for_every_phase():
    readme = README.read_text(encoding="utf-8")
    assert 60 <= len(readme.splitlines()) <= 80
    assert max(map(len, readme.splitlines())) < 300
    links = re.findall(r"\]\(([^)#]+)", readme)
    for phase in PHASES:
        assert f"docs/{phase}.md" in links, phase
    for link in links:
        assert (ROOT / link).exists(), f"the README links {link}, which does not exist"
    for page in DOCS.glob("*.md"):  # and the pages link back and to each other truly
        for link in re.findall(r"\]\(([^)#:]+)", page.read_text(encoding="utf-8")):
            assert (page.parent / link).exists(), f"{page.name} links {link}, which does not exist"


def test_every_command_in_the_docs_is_one_the_command_line_knows():
    import flows

    parser = flows.build_parser()
    for page in DOCS.glob("*.md"):
        for words in scan2tei_commands(page.read_text(encoding="utf-8")):
            assert words[0] == ".venv/bin/scan2tei", f"{page.name}: {shlex.join(words)}"
            try:
                parser.parse_args(words[1:])
            except SystemExit:
                pytest.fail(f"{page.name}: the command does not exist as written: {shlex.join(words)}")


def test_the_readmes_python_example_works_as_written(tmp_path):
    [example] = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid ")
    edition = (tmp_path / "003.tei.xml").read_bytes()
    assert edition.startswith(b"<?xml") and b"<TEI" in edition
    assert "prefect" not in result.stderr.lower()


def test_the_readmes_before_and_after_is_what_the_pipeline_makes_of_that_page():
    """The README's example: Tesseract's text of Die Grenzboten pages 8 and 9 (tests/data),
    joined by a form feed; each abridged line of the edition it shows is in the edition."""
    from pipeline.config import PipelineConfig
    from pipeline.process import build_edition

    readme = README.read_text(encoding="utf-8")
    [before] = re.findall(r"^```text\n(.*?)^```", readme, flags=re.S | re.M)
    [after] = re.findall(r"^```xml\n(.*?)^```", readme, flags=re.S | re.M)
    pages = [(ROOT / "tests" / "data" / "grenzboten-1841" / "tess-txt" / f"{n}.tess.txt").read_text(encoding="utf-8")
             for n in (179399, 179400)]
    source = "\f".join(pages)
    for line in before.replace("␌", "\f").splitlines():
        assert line in source, line
    xml = build_edition(source.encode(), "grenzboten.txt", PipelineConfig()).xml.decode()
    xml = re.sub(r"#reason-[0-9a-f]+", "#reason-…", xml)
    for part in re.split(r"\s*…\s*", after.replace("\n  ", " ")):
        assert part in xml, part
    assert '<pb ana="#kind-page-break #reason-…" n="9" break="no"/><fw type="pageNum"' in xml


def test_export_given_twice_writes_both_formats(tmp_path, monkeypatch):
    """`--export alto --export text` (each format its own option, as the README's lines show them)
    asks the run for both: the second option once replaced the first, and no ALTO was written, unsaid."""
    from orchestration import cli
    from pipeline.run.document import process_file

    given = {}
    monkeypatch.setattr(cli, "command_run", lambda inputs, output, *args, config: given.update(config=config) or 0)
    assert cli.main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "out"),
                     "--export", "alto", "--export", "text", "--export", "alto"]) == 0
    assert given["config"].exports == ["alto", "text"]
    book = tmp_path / "in" / "Grenzboten 1841"  # and the run writes both, as the document's task does
    book.mkdir(parents=True)
    data = ROOT / "tests" / "data" / "grenzboten-1841"
    shutil.copy(data / "tess-hocr" / "179399.hocr", book)
    shutil.copy(data / "tif" / "179399.tif", book)
    out = tmp_path / "out"
    report = process_file(book, out, given["config"], "Grenzboten 1841", "Grenzboten 1841", ("179399.hocr", "179399.tif"))
    assert report.status == "ok", report.errors
    assert (out / "Grenzboten 1841.txt").is_file()
    assert sorted(path.name for path in (out / "Grenzboten 1841.alto").iterdir()) == ["0001.xml"]


def test_serve_schedules_runs_with_the_exports_and_settings_run_takes(tmp_path, monkeypatch):
    """`serve` takes run's options (exports, base URL, OCR models, file group, fetching) and
    hands them to the scheduled runs as the deployment's parameters: none is dropped."""
    from orchestration import cli
    from orchestration.serve import deployment_parameters
    from pipeline.config import PipelineConfig

    given = {}
    monkeypatch.setattr(cli, "command_serve", lambda inputs, output, cron, interval, config: given.update(
        inputs=inputs, output=output, config=config) or 0)
    out = tmp_path / "out"
    assert cli.main(["serve", "--input", str(tmp_path), "--output", str(out), "--export", "alto", "text",
                       "--base-url", "https://example.org/editions/", "--ocr-languages", "deu+frk",
                       "--file-group", "FULLTEXT", "--fetch", "--text-notes", "append"]) == 0
    parameters = deployment_parameters(given["inputs"], given["output"], given["config"])
    scheduled = PipelineConfig.model_validate(parameters["config"])
    assert scheduled.exports == ["alto", "text"] and scheduled.base_url == "https://example.org/editions/"
    assert (scheduled.ocr_languages, scheduled.file_group, scheduled.fetch, scheduled.text_notes) == (
        "deu+frk", "FULLTEXT", True, "append")
    assert scheduled.fetch_cache == str(out.resolve() / ".fetched")
    assert "config" not in deployment_parameters([tmp_path], out, PipelineConfig())
