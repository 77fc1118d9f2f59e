"""Every seed becomes a valid edition that rebuilds its source, deterministically."""

from __future__ import annotations

import pytest

from pipeline.config import PipelineConfig
from pipeline.stages.language import letter_script
from pipeline.process import build_edition
from pipeline.tei import XML_LANG, local_name
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import SEEDS, parse

SEED_NAMES = [p.name for p in SEEDS]


def test_the_five_seeds_are_there():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_edition_is_valid_against_the_project_schema(seed_editions, name):
    assert seed_editions[name][1].errors == []


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_edition_rebuilds_its_source(seed_editions, name):
    source, edition = seed_editions[name]
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(source)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_edition_is_byte_identical_when_built_again(seed_editions, name):
    source, edition = seed_editions[name]
    again = build_edition(source.encode("utf-8"), name, PipelineConfig())
    assert again.xml == edition.xml


@pytest.mark.slow
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_edition_is_valid_against_tei_all(seed_editions, tei_all, name):
    tree = parse(seed_editions[name][1].xml)
    assert tei_all.validate(tree), [str(e) for e in tei_all.error_log][:5]


def _effective_lang(element) -> str:
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    raise AssertionError("no xml:lang in scope")


def test_bilingual_article_blocks_carry_their_language(seed_editions):
    """Judged independently of the pipeline: a block whose letters are mostly Han is the
    simplified Chinese original, one whose letters are mostly Latin the English translation."""
    tree = parse(seed_editions["000_98e9ae74c10308c1.txt"][1].xml)
    blocks = [e for e in tree.iter() if local_name(e) in ("p", "head") and e.get("{http://www.w3.org/XML/1998/namespace}id")]
    judged = 0
    for block in blocks:
        text = "".join(block.itertext())
        scripts = [letter_script(ch) for ch in text]
        han, latin = scripts.count("han"), scripts.count("latin")
        if han + latin < 3:
            continue
        expected = "zh-Hans" if han > latin else "en"
        assert _effective_lang(block) == expected, text[:60]
        judged += 1
    assert judged >= 60


@pytest.mark.parametrize("name,expected", [
    ("000_98e9ae74c10308c1.txt", {"en", "zh-Hans"}),
    ("001_9e5dab48311fb8fa.txt", {"en"}),
    ("002_492f708f3fafdf19.txt", {"zh-Hant"}),
    ("003_22d16b25c756b627.txt", {"en"}),
    ("004_1bc1af4be75deadb.txt", {"en"}),
])
def test_seed_language_usage(seed_editions, name, expected):
    tree = parse(seed_editions[name][1].xml)
    usage = {e.get("ident"): int(e.get("usage")) for e in tree.iter("{*}language")}
    assert set(usage) == expected
    assert sum(usage.values()) == 100


def test_metadata_lines_fill_the_header_and_stay_in_front(seed_editions):
    tree = parse(seed_editions["000_98e9ae74c10308c1.txt"][1].xml)
    bibl = tree.find(".//{*}sourceDesc/{*}bibl")
    assert bibl.findtext("{*}title") == "On the Characteristics of Soviet Foreign Policy"
    assert bibl.findtext("{*}author") == "Ke Bonian"
    assert bibl.find("{*}date").get("when") == "1949-09-23"
    assert bibl.findtext("{*}biblScope[@unit='page']") == "5"
    front = [p.text for p in tree.findall(".//{*}front//{*}p")]
    assert front[:4] == ["Title: On the Characteristics of Soviet Foreign Policy", "Author: Ke Bonian",
                         "Date: 1949-09-23", "Page: 5"]


def test_header_names_the_source_file_and_its_hash(seed_editions):
    import hashlib

    for path in SEEDS:
        tree = parse(seed_editions[path.name][1].xml)
        assert tree.findtext(".//{*}idno[@type='filename']") == path.name
        assert tree.findtext(".//{*}idno[@type='sha256']") == hashlib.sha256(path.read_bytes()).hexdigest()


def test_document_title_never_invented(seed_editions):
    """The dispatch states a title line; the header takes it as written."""
    tree = parse(seed_editions["004_1bc1af4be75deadb.txt"][1].xml)
    assert tree.findtext(".//{*}titleStmt/{*}title") == "The Foreign Policy of Soviet Russia"
