"""The md5 of every edition the pipeline makes of a fixed set of inputs: proof that a refactor or an
optimisation left the editions byte-identical.

    python -m bench.fingerprint --save before.json   # before the change
    python -m bench.fingerprint --compare before.json  # after it: names every edition that differs

The inputs: the seeds, the benchmark corpus of bench.performance (``--docs``, seed-sized
documents and a few large ones in several encodings) and every real corpus input of
bench.rebuild (text exports, page-file books, METS workspaces, the METS + ALTO package). Each
part of an edition is hashed on its own: the TEI, the reading edition, the HTML preview, the
exports and the page images. The configuration fingerprint an edition's header records hashes
the pipeline's own code (:func:`pipeline.config.code_digest`), so any change of code changes it:
here it hashes a constant instead, and everything else must stay the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from bench.performance import build_corpus
import pipeline.config
from bench.rebuild import CORPORA, CORPUS_FOLDERS, corpus_inputs, package_input, workspace_inputs
from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.process import build_edition

ROOT = Path(__file__).resolve().parent.parent


def inputs(docs: int, real: bool):
    """(label, data, name) of every input."""
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        yield f"seeds/{path.name}", path.read_bytes(), path.name
    with tempfile.TemporaryDirectory() as folder:
        for path in build_corpus(Path(folder), docs):
            yield f"benchmark/{path.name}", path.read_bytes(), path.name
    if real and CORPORA.is_dir():
        for corpus in CORPUS_FOLDERS:
            for label, data, name, _, _ in corpus_inputs(corpus):
                yield label, data, name
        for label, data, name, _, _ in [*workspace_inputs(), *package_input()]:
            if data is not None:
                yield label, data, name


def fingerprint(data, name: str) -> dict[str, str]:
    """md5 of each part of the edition of ``data`` (or the one-line error it raised)."""
    def md5(data: bytes) -> str:
        return hashlib.md5(data).hexdigest()
    try:
        edition = build_edition(data, name, PipelineConfig())
    except DocumentError as error:
        return {"error": str(error)}
    parts = {"tei": md5(edition.xml), "preview": md5(edition.preview),
             "reading": md5(edition.reading_xml or b""), "errors": md5("\n".join(edition.errors).encode())}
    parts.update({f"export {path}": md5(data) for path, data in sorted(edition.exports.items())})
    parts.update({f"image {path}": md5(data) for path, data in sorted(edition.page_images.items())})
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="documents of the benchmark corpus")
    parser.add_argument("--no-real", action="store_true", help="leave out the real corpora")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the fingerprints to this JSON file")
    group.add_argument("--compare", type=Path, help="compare with the fingerprints in this JSON file")
    args = parser.parse_args()
    pipeline.config.code_digest = lambda *_: "the code"  # the one part of an edition that must change
    prints = {}
    for label, data, name in inputs(args.docs, not args.no_real):
        prints[label] = fingerprint(data, name)
        print(f"{label}: {prints[label].get('tei', prints[label].get('error'))}", file=sys.stderr, flush=True)
    if args.save:
        args.save.write_text(json.dumps(prints, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(prints)} inputs, {sum(map(len, prints.values()))} parts saved to {args.save}")
        return
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differing = [(label, part) for label in sorted(set(before) | set(prints))
                 for part in sorted(set(before.get(label, {})) | set(prints.get(label, {})))
                 if before.get(label, {}).get(part) != prints.get(label, {}).get(part)]
    for label, part in differing:
        print(f"DIFFERS: {label}: {part}")
    print(f"{len(prints)} inputs, {sum(map(len, prints.values()))} parts: "
          + ("all byte-identical" if not differing else f"{len(differing)} differ"))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
