"""The text reader: bytes in any encoding -> the decoded text, with how it was decoded."""

from __future__ import annotations

import hashlib

from pipeline.config import PipelineConfig
from pipeline.errors import EmptyDocument
from pipeline.ingest.encoding import decode
from pipeline.model import Document, SourceInfo


def normalize_newlines(text: str) -> str:
    """CR LF and CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(data: bytes, file_name: str, config: PipelineConfig) -> Document:
    """The document of a text file: its bytes decoded in the encoding judged most likely, line ends as LF."""
    text, guess = decode(data, file_name)
    if not text or text.isspace():  # as "not text.strip()", without copying the text
        raise EmptyDocument(file_name, "is empty" if not data else "holds only whitespace")
    return Document(
        source=SourceInfo(file_name=file_name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                          encoding=guess),
        text=normalize_newlines(text),
    )
