"""Which file group of a METS gives the pages' text and which their images.

Text: the group the user names (``--file-group``); else a ground-truth group (``…-GT-…``,
``GROUND-TRUTH``) with text over any OCR group; else the group with text on most pages,
the fileSec's order deciding a tie. Images: the highest-resolution group present, by the
names the DFG-viewer profile and OCR-D give them (``MAX`` before ``DEFAULT`` before ``MIN``
and ``THUMBS``; an OCR-D workspace's ``OCR-D-IMG`` before its derivatives ``OCR-D-IMG-BIN``…),
groups that can be read (local files in the package, or http/https URLs) first.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.ingest.mets.mets import Mets, MetsFile

TEXT_TYPES = ("xml", "alto", "page", "hocr", "html")
TEXT_SUFFIXES = {".xml", ".hocr", ".html", ".htm", ".xhtml"}
IMAGE_SUFFIXES = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".jp2", ".j2k", ".jpx", ".bmp", ".gif"}
GROUND_TRUTH = re.compile(r"(^|[-_ ])GT([-_ ]|$)|GROUND.?TRUTH", re.IGNORECASE)
# Image groups, the highest resolution first; a name not listed comes after them, except these
IMAGE_RANKS = ("MAX", "ORIGINAL", "MASTER", "OCR-D-IMG", "IMG", "IMAGES", "DEFAULT", "PRESENTATION")
LOW_RESOLUTION = re.compile(r"^(MIN|THUMBS?|THUMBNAILS?|LOW|PREVIEW)$", re.IGNORECASE)


def file_kind(file: MetsFile) -> str | None:
    """"text", "image" or None, from the file's MIMETYPE, else its name (its bytes decide later)."""
    mimetype = file.mimetype.lower()
    if mimetype.startswith("image/"):
        return "image"
    if mimetype and any(word in mimetype for word in TEXT_TYPES):
        return "text"
    suffix = PurePosixPath(file.href.split("?")[0]).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def groups_of_kind(mets: Mets, kind: str) -> list[str]:
    """The groups whose files are of ``kind``, in the fileSec's order."""
    kinds: dict[str, set] = {}
    for file in mets.files.values():
        kinds.setdefault(file.group, set()).add(file_kind(file))
    return [group for group in mets.groups if kind in kinds.get(group, set())]


def is_ground_truth(group: str) -> bool:
    """Whether a file group's USE names ground truth (``OCR-D-GT-…``, ``GT``…)."""
    return bool(GROUND_TRUTH.search(group))


def choose_text_group(candidates: list[str], pages_with_text: dict[str, int]) -> tuple[str | None, str]:
    """(group, why) among ``candidates`` (in the fileSec's order), from how many pages each
    gave text."""
    with_text = [group for group in candidates if pages_with_text.get(group)]
    if not with_text:
        return None, "no file group has text on any page"
    truth = [group for group in with_text if is_ground_truth(group)]
    if truth:
        best = max(truth, key=lambda g: (pages_with_text[g], -candidates.index(g)))
        return best, f"ground truth, text on {pages_with_text[best]} pages"
    best = max(with_text, key=lambda g: (pages_with_text[g], -candidates.index(g)))
    return best, f"the group with text on most pages ({pages_with_text[best]})"


def image_rank(group: str, readable: int) -> tuple:
    """Sort key of an image group: readable ones first, then by resolution as named."""
    name = group.upper()
    rank = IMAGE_RANKS.index(name) if name in IMAGE_RANKS else len(IMAGE_RANKS) + (
        1 if LOW_RESOLUTION.match(name) else 0)
    return (readable == 0, rank, -readable)
