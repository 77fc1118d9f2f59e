"""Which sources a run skips: same bytes, same configuration, editions still on disk."""

from __future__ import annotations

import shutil

from pipeline.config import PipelineConfig
from pipeline.run.incremental import carried_over as _carried_over
from pipeline.run.inputs import discover_sources
from pipeline.run.manifest import build_manifest, read_manifest, write_manifest
from pipeline.run.naming import assign_names
from pipeline.run.document import process_file
from tests.conftest import SEEDS


def _sources(paths):
    found, problems = discover_sources(paths)
    assert problems == []
    bases, _ = assign_names(found, paths[0].parent, {})
    return found, bases


def _run(paths, out, config):
    sources, bases = _sources(paths)
    reports = [process_file(s.path, out, config, bases[s.key]) for s in sources]
    write_manifest(build_manifest(paths, out, reports, config.fingerprint(), 0.0, bases), out)
    return reports


def carried_over(paths, out, config):
    """The carried-over reports by source path, as the flow asks for them."""
    sources, bases = _sources(paths)
    carried = _carried_over(sources, bases, out, config, read_manifest(out))
    return {s.path: carried[s.key] for s in sources if s.key in carried}


def test_only_unchanged_sources_with_their_editions_are_carried_over(tmp_path):
    inbox, out, config = tmp_path / "in", tmp_path / "out", PipelineConfig()
    inbox.mkdir()
    sources = [inbox / SEEDS[i].name for i in (1, 2, 3)]  # 002 also has a reading edition
    for seed, source in zip((SEEDS[1], SEEDS[2], SEEDS[3]), sources):
        shutil.copy(seed, source)
    assert carried_over(sources, out, config) == {}  # no manifest yet
    first = _run(sources, out, config)

    carried = carried_over(sources, out, config)
    assert set(carried) == set(sources)
    assert all(r.unchanged and r.seconds == 0.0 for r in carried.values())
    assert [carried[s].interventions for s in sources] == [r.interventions for r in first]

    sources[0].write_bytes(sources[0].read_bytes() + b"\nA postscript.\n")
    (out / f"{sources[1].stem}.zh-Hans.tei.xml").unlink()  # the reading edition is gone
    assert set(carried_over(sources, out, config)) == {sources[2]}
    (out / f"{sources[2].stem}.tei.xml").unlink()
    assert carried_over(sources, out, config) == {}
    _run(sources, out, config)
    assert carried_over(sources, out, PipelineConfig(script_standard="hk")) == {}  # another configuration


def test_a_checkpoint_does_not_call_pending_editions_withdrawn(tmp_path):
    out, config = tmp_path / "out", PipelineConfig()
    source = tmp_path / SEEDS[3].name
    shutil.copy(SEEDS[3], source)
    _run([source], out, config)
    assert build_manifest([tmp_path], out, [], config.fingerprint(), 0.0, {}).withdrawn == [f"{source.stem}.tei.xml"]
    pending = {str(source): source.stem}  # a source of the run not yet built
    assert build_manifest([tmp_path], out, [], config.fingerprint(), 0.0, pending).withdrawn == []


def test_the_fingerprint_covers_the_code_that_makes_editions_and_only_that(tmp_path):
    """An upgrade re-processes what it may change, even with the same version number."""
    from pipeline.config import PACKAGE, code_digest

    copy = tmp_path / "project" / "pipeline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PACKAGE.parent / "schemas", copy.parent / "schemas")
    before = code_digest(copy)
    assert before == code_digest.__wrapped__(PACKAGE)  # the same files, the same digest
    manifest = copy / "run" / "manifest.py"
    manifest.write_text(manifest.read_text() + "\n# a run module\n")
    assert code_digest.__wrapped__(copy) == before
    garbled = copy / "stages" / "garbled.py"
    garbled.write_text(garbled.read_text().replace("0.8", "0.7", 1))
    assert code_digest.__wrapped__(copy) != before
