"""An edition re-processed from a changed source keeps its history and says what changed."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.run.document import process_file
from tests.conftest import parse


def test_history_is_kept_and_extended(tmp_path):
    source, out = tmp_path / "letter.txt", tmp_path / "out"
    source.write_text("A Letter\n\nThe first version of the letter.\n")
    process_file(source, out, PipelineConfig())
    source.write_text("A Letter\n\nThe second version of the letter, with a stray 结.\n")
    process_file(source, out, PipelineConfig())
    source.write_text("A Letter\n\nThe third version.\n")
    report = process_file(source, out, PipelineConfig(script_standard="hk"))
    changes = ["".join(c.itertext()) for c in parse((out / "letter.tei.xml").read_bytes()).iter("{*}change")]
    assert len(changes) == 3
    assert changes[0].startswith("Edition generated")
    assert all("source changed" in c for c in changes[1:])
    assert report.status == "ok"
