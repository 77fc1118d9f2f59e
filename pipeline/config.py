"""Pipeline configuration: one place, hashed into the cache key of every run."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from . import __version__


class PipelineConfig(BaseModel):
    max_document_bytes: int = 100 * 1024 * 1024
    langdetect_seed: int = 0
    # Blocks shorter than this (in letters) take the language of their context.
    min_letters_for_language: int = 80
    # …and below this langdetect probability a block also takes its context's language.
    min_language_probability: float = 0.9

    def fingerprint(self) -> str:
        """Hash of the configuration and pipeline version: part of every cache key."""
        payload = f"{__version__}\n{self.model_dump_json()}"
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
