"""Pipeline configuration: one place, hashed into the cache key of every run."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel

from . import __version__


class PipelineConfig(BaseModel):
    max_document_bytes: int = 100 * 1024 * 1024
    langdetect_seed: int = 0
    # Language identification (see pipeline/language.py): blocks with at least
    # long_block_letters letters and this langdetect probability speak for themselves;
    # blocks from min_letters_for_language letters keep langdetect's answer when it agrees
    # with their context, or when it reaches switch_language_probability; shorter blocks
    # take their context's language.
    long_block_letters: int = 150
    min_letters_for_language: int = 30
    min_language_probability: float = 0.9
    switch_language_probability: float = 0.99
    # Standard that traditional Chinese is regularized to (OpenCC's Taiwan or Hong Kong
    # variant tables) and that reading editions convert with; "none" leaves variants alone.
    script_standard: Literal["tw", "hk", "none"] = "tw"
    # No HTML preview above this size: a browser cannot show it usefully, and rendering it
    # would double a big document's memory.
    preview_max_bytes: int = 10 * 1024 * 1024

    def fingerprint(self) -> str:
        """Hash of the configuration and pipeline version: part of every cache key."""
        payload = f"{__version__}\n{self.model_dump_json()}"
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
