"""Turn a file's bytes into text, saying which encoding was used and how sure we are."""

from __future__ import annotations

import codecs

from .errors import DocumentError
from .model import EncodingGuess

# Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


# C0 controls that text does not use (tab, newlines, form feed and escape are plausible in text).
_BINARY_CONTROLS = [b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B)]


def looks_binary(data: bytes) -> str | None:
    """Say why ``data`` is not text at all, or None. Checked on a sample, before decoding."""
    sample = data[:65536]
    if not sample:
        return None
    if sample.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04")):
        return "a binary file (PDF, image or archive signature)"
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return None
    nul_share = sample.count(0) / len(sample)
    if nul_share > 0.3:
        return None if _plausible_utf16_without_bom(sample) else f"a binary file ({nul_share:.0%} NUL bytes)"
    control_share = sum(sample.count(b) for b in _BINARY_CONTROLS) / len(sample)
    if control_share > 0.08:  # text with a few stray controls is salvageable; this is not text
        return f"a binary file ({control_share:.0%} control bytes)"
    return None


def _plausible_utf16_without_bom(sample: bytes) -> bool:
    """UTF-16 text has its NUL bytes almost all on one parity (Latin text) — binary does not."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return max(even, odd) > 0.9 * (even + odd)


def decode(data: bytes, file_name: str) -> tuple[str, EncodingGuess]:
    """Decode ``data``; raise :class:`DocumentError` when no encoding we support fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), EncodingGuess(
                    encoding=encoding, confidence=1.0, bom=True
                )
            except UnicodeDecodeError as error:
                raise DocumentError(
                    file_name,
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {error.start + len(bom)}: {error.reason})",
                    "check how the file was exported",
                ) from error
    try:
        return data.decode("utf-8"), EncodingGuess(encoding="utf-8", confidence=1.0)
    except UnicodeDecodeError as error:
        raise DocumentError(
            file_name,
            f"is not valid UTF-8 (byte {error.start}: {error.reason})",
            "re-save it as UTF-8; other encodings are not supported yet",
        ) from error
