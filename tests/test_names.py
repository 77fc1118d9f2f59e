"""Edition names unique per source, inputs that never include what we wrote (no Prefect)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from pipeline.config import PipelineConfig
from pipeline.run.inputs import Source, discover_sources
from pipeline.run.manifest import build_manifest, write_manifest
from pipeline.run.naming import assign_names, claim, known_names
from pipeline.run.document import process_file
from tests.conftest import SEEDS

CONFIG = PipelineConfig()


def _bases(root: Path, out: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    sources, problems = discover_sources([root], exclude=(out,))
    assert problems == []
    bases, _ = assign_names(sources, out, known or {})
    return {str(s.relative): bases[s.key] for s in sources}


def test_the_same_file_name_in_two_subfolders_gets_two_editions(tmp_path):
    root, out = tmp_path / "in", tmp_path / "out"
    for folder, seed in (("1841", SEEDS[3]), ("1842", SEEDS[4])):
        (root / folder).mkdir(parents=True)
        shutil.copy(seed, root / folder / "page.txt")
    assert _bases(root, out) == {"1841/page.txt": "1841/page", "1842/page.txt": "1842/page"}

    sources, _ = discover_sources([root])
    bases, _ = assign_names(sources, out, {})
    for source in sources:
        assert process_file(source.path, out, CONFIG, bases[source.key]).status == "ok"
    assert b"CONSIDERATIONS" in (out / "1841" / "page.tei.xml").read_bytes()  # 003 is the dispatch
    assert b"CONSIDERATIONS" not in (out / "1842" / "page.tei.xml").read_bytes()


def test_a_source_named_like_another_ones_reading_edition_never_shares_a_file(tmp_path):
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    shutil.copy(SEEDS[2], root / "book.txt")  # traditional Chinese: its reading edition is book.zh-Hans.tei.xml
    shutil.copy(SEEDS[0], root / "book.zh-Hans.txt")
    shutil.copy(SEEDS[4], root / "book.md")  # the same stem as book.txt
    bases = _bases(root, out)
    claims = [claim(base) for base in bases.values()]
    assert all(not (a & b) for i, a in enumerate(claims) for b in claims[i + 1:]), bases
    assert len(set(bases.values())) == 3


def test_names_stick_across_runs_and_a_newcomer_never_takes_one(tmp_path):
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    shutil.copy(SEEDS[3], root / "x.txt")
    first = _bases(root, out)
    assert first == {"x.txt": "x"}
    known = {os.path.abspath(root / "x.txt"): "x"}
    shutil.copy(SEEDS[4], root / "x.md")  # sorts before x.txt, wants the same base
    assert _bases(root, out, known) == {"x.md": "x~2", "x.txt": "x"}


def test_a_withdrawn_sources_kept_edition_is_never_given_to_another(tmp_path):
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    old = root / "x.txt"
    shutil.copy(SEEDS[3], old)
    sources, _ = discover_sources([root])
    bases, _ = assign_names(sources, out, {})
    reports = [process_file(old, out, CONFIG, bases[sources[0].key])]
    write_manifest(build_manifest([root], out, reports, CONFIG.fingerprint(), 0.0, bases), out)
    old.unlink()
    shutil.copy(SEEDS[4], root / "x.md")  # a different document wanting the same name
    sources, _ = discover_sources([root])
    from pipeline.run.manifest import read_manifest

    previous = read_manifest(out)
    bases, withdrawn = assign_names(sources, out, known_names(previous.documents, previous.editions, out))
    assert list(withdrawn.values()) == ["x"] and list(bases.values()) == ["x~2"]


def test_the_output_folder_and_other_output_folders_are_never_input(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SEEDS[3], root / "a.txt")
    out = root / "editions"
    reports = [process_file(root / "a.txt", out, CONFIG)]
    write_manifest(build_manifest([root], out, reports, CONFIG.fingerprint(), 0.0, {}), out)
    sources, problems = discover_sources([root], exclude=(out,))
    assert [s.relative for s in sources] == [PurePosixPath("a.txt")] and problems == []
    shutil.copytree(out, root / "old-run")  # an earlier run's output, recognised by its manifest
    sources, problems = discover_sources([root], exclude=(out,))
    assert [s.relative for s in sources] == [PurePosixPath("a.txt")] and problems == []


def test_links_out_of_the_input_folder_are_not_read_unless_asked(tmp_path):
    root, secret = tmp_path / "in", tmp_path / "secret.txt"
    root.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (root / "inside.txt").write_text("An ordinary page.\n")
    (root / "passwd.txt").symlink_to(secret)
    (root / "again.txt").symlink_to(root / "inside.txt")  # a link that stays inside is fine
    sources, problems = discover_sources([root])
    assert sorted(str(s.relative) for s in sources) == ["again.txt", "inside.txt"]
    assert len(problems) == 1 and problems[0].path.name == "passwd.txt"
    assert "outside the input folder" in problems[0].problem and "--follow-links" in problems[0].problem
    sources, problems = discover_sources([root], follow_links=True)
    assert len(sources) == 3 and problems == []


def test_a_manifest_without_recorded_names_gives_them_from_its_edition_paths(tmp_path):
    out = tmp_path / "out"
    source = tmp_path / "a.txt"
    shutil.copy(SEEDS[3], source)
    report = process_file(source, out, CONFIG)
    assert known_names([report], {}, out) == {os.path.abspath(source): "a"}
    assert Source(source, PurePosixPath("a.txt")).key == os.path.abspath(source)


def test_a_reading_edition_points_to_its_masters_actual_name(tmp_path):
    source = tmp_path / "book.txt"
    shutil.copy(SEEDS[2], source)  # traditional Chinese: a zh-Hans reading edition
    report = process_file(source, tmp_path / "out", CONFIG, "book~2")
    assert report.status == "ok" and report.reading_edition_path.endswith("book~2.zh-Hans.tei.xml")
    reading = (tmp_path / "out" / "book~2.zh-Hans.tei.xml").read_text(encoding="utf-8")
    assert 'type="master" target="book~2.tei.xml"' in reading


def test_a_shared_output_folder_does_not_call_another_runs_books_withdrawn(tmp_path):
    """Two runs with different inputs write into one folder: the second leaves the first's
    editions alone and unlisted; a book gone from a run's own input is still withdrawn."""
    from pipeline.run.manifest import read_manifest

    out = tmp_path / "out"

    def run(root: Path):
        sources, _ = discover_sources([root])
        previous = read_manifest(out)
        known = known_names(previous.documents, previous.editions, out) if previous else {}
        bases, kept = assign_names(sources, out, known)
        reports = [process_file(s.path, out, CONFIG, bases[s.key]) for s in sources]
        manifest = build_manifest([root], out, reports, CONFIG.fingerprint(), 0.0, bases, kept)
        write_manifest(manifest, out)
        return manifest

    for name, seed in (("first", SEEDS[3]), ("second", SEEDS[4])):
        (tmp_path / name).mkdir()
        shutil.copy(seed, tmp_path / name / f"{name}.txt")
    run(tmp_path / "first")
    second = run(tmp_path / "second")
    assert second.withdrawn == []
    assert sorted(second.editions.values()) == ["first", "second"]  # the first run's name still reserved
    (tmp_path / "second" / "second.txt").unlink()
    again = run(tmp_path / "second")
    assert again.withdrawn == ["second.tei.xml"] and (out / "first.tei.xml").exists()
