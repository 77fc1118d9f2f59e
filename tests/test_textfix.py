"""ftfy in the scholarly configuration: repairs mojibake, leaves CJK typography alone."""

from __future__ import annotations

from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source
from pipeline.ingest.textfix import ftfy_edits
from tests.conftest import parse

CJK_TYPOGRAPHY = "\u3000\u3000他說：「你好！」（見第三五七頁）；“引號”不變，ﬁ 與 豈 保留。"


def test_cjk_punctuation_ideographic_space_quotes_and_compatibility_ideographs_are_kept():
    assert ftfy_edits(CJK_TYPOGRAPHY) == []


def test_latin_mojibake_is_repaired_as_a_recorded_correction(config):
    broken = "The cafÃ© served crÃ¨me brÃ»lÃ©e.\n"
    edition = build_edition(broken.encode(), "menu.txt", config)
    corrections = [e for e in edition.document.edits if e.kind == "correction"]
    assert [(e.original, e.replacement) for e in corrections] == [
        ("Ã©", "é"), ("Ã¨", "è"), ("Ã»", "û"), ("Ã©", "é")]
    assert all(e.reason.startswith("ftfy:") for e in corrections)
    tree = parse(edition.xml)
    sics = tree.findall(".//{*}sic")
    corrs = tree.findall(".//{*}corr")
    assert [s.text for s in sics] == ["Ã©", "Ã¨", "Ã»", "Ã©"]
    assert [c.text for c in corrs] == ["é", "è", "û", "é"]
    assert rebuild_source(tree).strip() == broken.strip()
