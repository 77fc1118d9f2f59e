"""Remote files a METS names, read only when the user asks (``--fetch``): http and https
only, a time-out, a size limit, and a cache (one file per URL, named by its SHA-256) so that
a package is fetched once."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from pathlib import Path

TIMEOUT_SECONDS = 30
MAX_BYTES = 50 * 1024 * 1024
SCHEMES = ("http://", "https://")


class FetchError(Exception):
    """A remote file that could not be read: the message says why, in a few words."""


class _NoOtherSchemes(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(SCHEMES):
            raise FetchError(f"redirected to {newurl}, which is not http or https")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, cache: Path | None) -> bytes:
    """The bytes at an http(s) URL, from ``cache`` when fetched before (FetchError otherwise)."""
    if not url.lower().startswith(SCHEMES):
        raise FetchError("not an http or https URL")
    cached = cache / hashlib.sha256(url.encode()).hexdigest() if cache else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    opener = urllib.request.build_opener(_NoOtherSchemes)
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchError(f"could not be fetched ({getattr(error, 'reason', error)})") from error
    if len(data) > MAX_BYTES:
        raise FetchError(f"is over the limit of {MAX_BYTES:,} bytes for a fetched file")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(cached)
    return data
