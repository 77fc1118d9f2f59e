"""ftfy in the scholarly configuration: repairs mojibake, leaves CJK typography alone."""

from __future__ import annotations

from pipeline.process import build_edition
from pipeline.tei.reader import rebuild_source
from pipeline.stages.textfix import ftfy_edits
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


def test_a_repair_into_a_script_the_document_never_uses_is_refused():
    """ftfy reads the Fraktur "ß¬" ending a line (U+00DF U+00AC) as the UTF-8 of the NKo mark
    U+07EC: in a German text that is no repair, and the line-end hyphen must stay a hyphen."""
    from pipeline.stages.textfix import ftfy_edits

    text = "Er sah den groß¬\nartigen Anblick, und deß¬\nhalb blieb er. Das CafÃ© war offen.\n"
    edits = ftfy_edits(text)
    assert [(e.original, e.replacement) for e in edits] == [("Ã©", "é")]  # the real mojibake only
