"""What a TEI editor reads in the editions: structure and header that say what the source is
(issue 18), on the seeds and on documents composed here with the same cues in other words."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from tests.conftest import SEEDS, parse

CONFIG = PipelineConfig()
TEI = "{http://www.tei-c.org/ns/1.0}"

DISPATCH = """SECRET

THE GRAIN QUESTION IN THE NORTHERN PROVINCES

Sir,
\tI have the honour to report on the state of the harvest in the northern provinces, where the
autumn rains have delayed the gathering of the grain by several weeks this year.
[...]
\t5. The governor has asked the capital for grain, and the request is being considered.
[...]
\t9. To sum up, the shortage is real but it is not yet a famine, and it need not become one.
"""


def _edition(text: str, name: str):
    edition = build_edition(text.encode("utf-8"), name, CONFIG)
    assert edition.errors == []
    return parse(edition.xml)


def test_a_classification_marking_is_never_the_title():
    for tree, title in ((_edition(SEEDS[3].read_text(encoding="utf-8"), SEEDS[3].name),
                         "CONSIDERATIONS ON SOVIET FOREIGN POLICY"),
                        (_edition(DISPATCH, "dispatch.txt"), "THE GRAIN QUESTION IN THE NORTHERN PROVINCES")):
        assert tree.findtext(f".//{TEI}titleStmt/{TEI}title") == title
        classification = [fw.text for fw in tree.iter(f"{TEI}fw") if fw.get("type") == "classification"]
        assert classification in (["CONFIDENTIAL"], ["SECRET"])


def test_an_omission_on_a_line_of_its_own_is_not_a_heading():
    for tree in (_edition(SEEDS[3].read_text(encoding="utf-8"), SEEDS[3].name), _edition(DISPATCH, "dispatch.txt")):
        gaps = list(tree.iter(f"{TEI}gap"))
        assert len(gaps) == 2
        assert all(gap.getparent().tag == f"{TEI}p" for gap in gaps)
        assert not any(head.find(f"{TEI}gap") is not None for head in tree.iter(f"{TEI}head"))
