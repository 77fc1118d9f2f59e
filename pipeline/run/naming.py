"""Edition names that are unique per source by construction.

A source's edition goes to ``<output>/<path under its input folder, suffix dropped>.tei.xml``
(``inbox/1841/p12.txt`` -> ``1841/p12.tei.xml``); beside it the preview ``.html`` and the
reading editions ``.<script>.tei.xml``, and the exports (``.manifest.json``, ``.alto/``,
``.txt``). Everything a base name may produce is its *claim*;
two sources never share a file because no base is given out whose claim meets another's
(``x.zh-Hant.txt`` beside ``x.txt`` would produce ``x.zh-Hant.tei.xml`` twice). When the
natural base is taken, the next free one of ``base~2``, ``base~3``, … is used.

Names stick: the manifest records each source's base, and a later run gives every known
source its old name first, so a new file never takes over an existing source's edition, and
a withdrawn source's kept edition is never overwritten by another document.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pipeline.export import alto_folder, text_file
from pipeline.export.iiif import manifest_name
from pipeline.process import pages_folder as pages_folder_beside
from pipeline.run.inputs import Source, source_key

READING_SCRIPTS = ("zh-Hans", "zh-Hant")  # the scripts a reading edition can be written in


def edition_file(base: str, lang: str | None = None) -> str:
    """The file name of an edition (of one language half when ``lang`` is given)."""
    return f"{base}.{lang}.tei.xml" if lang else f"{base}.tei.xml"


def preview_file(base: str) -> str:
    """The file name of an edition's HTML preview."""
    return f"{base}.html"


def pages_folder(base: str) -> str:
    """The folder of the PNG copies of a digitized source's page images, for the preview:
    where the library puts them beside the edition (:func:`pipeline.process.pages_folder`)."""
    return pages_folder_beside(edition_file(base))


def claim(base: str) -> set[str]:
    """Every file (relative to the output folder) that the edition named ``base`` may write."""
    exports = {manifest_name(base), alto_folder(base), text_file(base)}
    return {edition_file(base), preview_file(base), pages_folder(base)} | exports | {edition_file(base, s)
                                                                                    for s in READING_SCRIPTS}


def natural_base(relative: PurePosixPath, is_book: bool = False) -> str:
    """A file's path without its suffix; a book's folder as it is (``grenzboten.1841``)."""
    return str(relative.with_suffix("")) if relative.suffix and not is_book else str(relative)


class NameRegistry:
    """Hands out bases whose claims never meet."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}  # claimed file -> source key
        self.bases: dict[str, str] = {}  # source key -> base

    def free(self, base: str, key: str) -> bool:
        """Whether every file ``base`` would claim is free, or already the source ``key``'s."""
        return all(self.owner.get(name, key) == key for name in claim(base))

    def take(self, key: str, base: str) -> None:
        """Give ``base`` and the files it claims to the source ``key``."""
        self.bases[key] = base
        for name in claim(base):
            self.owner[name] = key

    def assign(self, key: str, wanted: str) -> str:
        """The base name for source ``key``: ``wanted``, or ``wanted~2``, ``~3``… when taken."""
        base, n = wanted, 1
        while not self.free(base, key):
            n += 1
            base = f"{wanted}~{n}"
        self.take(key, base)
        return base


def assign_names(sources: list[Source], output_dir: Path,
                 known: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(bases of this run's sources by key, bases of the sources not in this run whose editions
    are kept: withdrawn from its inputs, or another run's in a shared output folder).

    ``known``: source key -> base, as the last manifest recorded them."""
    registry = NameRegistry()
    current = {s.key for s in sources}
    kept = {}
    for key, base in sorted(known.items()):  # earlier names first: they were unique together
        if key in current or (output_dir / edition_file(base)).exists():
            if registry.free(base, key):
                registry.take(key, base)
                if key not in current:
                    kept[key] = base
    for source in sources:
        if source.key not in registry.bases:
            registry.assign(source.key, natural_base(source.relative, source.is_book))
    return {s.key: registry.bases[s.key] for s in sources}, kept


def known_names(documents, recorded: dict[str, str], output_dir: Path) -> dict[str, str]:
    """Source key -> base from a manifest: its own record, or (a manifest written before names
    were recorded) each document's edition path."""
    names = dict(recorded)
    for report in documents:
        key = source_key(report.source_path)
        if key in names or not report.edition_path:
            continue
        edition = Path(report.edition_path)
        try:
            relative = edition.relative_to(output_dir)
        except ValueError:
            relative = Path(edition.name)
        if relative.name.endswith(".tei.xml"):
            names[key] = relative.as_posix()[: -len(".tei.xml")]
    return names
