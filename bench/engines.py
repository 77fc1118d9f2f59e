"""Tesseract as the pipeline runs it against the `tesseract` command, page by page, raw.

    python -m bench.engines [--corpus NAME] [--pages N] [--cache DIR] [--no-record]

bench.corpora sets the edition of page images beside `tesseract` out of the box. The two do
not run the same Tesseract: the pipeline reads through tesserocr, whose wheel carries its own
libtesseract and leptonica (5.5 and 1.87 here), the command is the system's (Debian: 5.3 and
1.82); the models are the same files. This benchmark reads each page with a ground truth both
ways with nothing of the pipeline's in between (the library handed the image file, page
segmentation 3 as the command's default, the models the pipeline chooses for the corpus) and
scores both as bench.corpora scores the engine's side (furniture out, line-end hyphens
joined, whitespace-blind): what differs between the two is the engine's version, not the
pipeline's preprocessing, parameters or edits. It says, too, the parameters whose values
differ between the library and the command (``--print-parameters``): two do on Debian's 5.3,
neither a difference in reading. The command prints ``tessedit_pageseg_mode`` 6, the variable's
default, but reads with page segmentation 3 unless told (its output with ``--psm 3`` is the
same file); ``dotproduct`` is ``generic`` in the command's print, ``auto`` in the library, and
the library reads the same text with each of generic, avx2, avx512, fma and native (measured
on Grenzboten page 179392: the models are integer models).

Per corpus: errors of each reading per page, the CER of each, and on how many pages each
reads better. Recognition takes 2-10 s a page each way, one page at a time; ``--cache`` keeps
the readings (per engine version) for a rerun.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpora import CORPORA, cer, corpus_truth, natural, tesseract_versions, without_furniture
from bench.digitization import _join_hyphens, _join_over_pages
from bench.machine import add_record_option, describe, publish
from pipeline.ingest.pages.ocr import tessdata

# The corpora whose pages have a ground truth, and the models the pipeline reads them with
# (bench.corpora's image rows name them: Fraktur+frk for OSD's Fraktur, lat for Hobbes's Latin).
MODELS = {"grenzboten-1841": "Fraktur+frk", "hobbes-1668": "lat"}
ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def parameters_differing(models: str) -> dict[str, tuple[str, str]]:
    """Parameters whose value the command prints differs from the library's: name -> (command, library)."""
    import tesserocr

    printed = subprocess.run([shutil.which("tesseract"), "--print-parameters", "-l", models],
                             capture_output=True, check=True, env=ONE_THREAD).stdout.decode()
    differing = {}
    with tesserocr.PyTessBaseAPI(path=tessdata(), lang=models) as api:
        for line in printed.split("\n"):
            name, _, rest = line.partition("\t")
            value = rest.split("\t")[0]
            if not rest or name == "debug_file":  # where its debug output goes
                continue
            ours = api.GetVariableAsString(name)
            if ours is not None and ours != value:
                differing[name] = (value, ours)
    return differing


def readings(image: Path, models: str, cache: Path | None, versions: tuple[str, str]) -> dict[str, str]:
    """The page's plain text from the command and from the library."""
    cached = cache / f"{image.parent.parent.name}-{image.stem}-{models}.json" if cache else None
    if cached and cached.exists():
        kept = json.loads(cached.read_text(encoding="utf-8"))
        if kept.get("versions") == list(versions):
            return kept
    import tesserocr

    command = subprocess.run([shutil.which("tesseract"), str(image), "stdout", "-l", models],
                             capture_output=True, check=True, env=ONE_THREAD).stdout.decode("utf-8")
    with tesserocr.PyTessBaseAPI(path=tessdata(), lang=models) as api:  # page segmentation 3, as the command
        api.SetImageFile(str(image))
        library = api.GetUTF8Text()
    found = {"versions": list(versions), "command": command, "library": library}
    if cached:
        cached.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return found


@dataclass
class Comparison:
    corpus: str
    models: str
    pages: list[str] = field(default_factory=list)
    errors: dict[str, list[int]] = field(default_factory=lambda: {"command": [], "library": []})
    lengths: list[int] = field(default_factory=list)

    def cer(self, side: str) -> float:
        return sum(self.errors[side]) / max(1, sum(self.lengths))

    def better(self, side: str, other: str) -> int:
        return sum(a < b for a, b in zip(self.errors[side], self.errors[other]))


def compare(corpus: str, pages: int | None, cache: Path | None, versions: tuple[str, str]) -> Comparison:
    folder = CORPORA / corpus
    truths = corpus_truth(corpus, folder)
    images = [p for p in natural((folder / "tif").glob("*.tif")) if p.stem in truths and truths[p.stem].body]
    images = images[:pages] if pages else images
    models = MODELS[corpus]
    found: dict[str, list[str]] = {"command": [], "library": []}
    for image in images:
        read = readings(image, models, cache, versions)
        for side in found:
            lines = [line for line in read[side].split("\n") if line.strip()]
            found[side].append(_join_hyphens(without_furniture(lines, truths[image.stem])))
        print(f"  {corpus} {image.stem}", flush=True)
    gts = _join_over_pages([_join_hyphens(truths[image.stem].body) for image in images])
    result = Comparison(corpus, models, [image.stem for image in images])
    for side, texts in found.items():
        counted = [cer(text, truth) for text, truth in zip(_join_over_pages(texts), gts)]
        result.errors[side] = [errors for errors, _ in counted]
        result.lengths = [length for _, length in counted]
    return result


def table(results: list[Comparison]) -> str:
    lines = ["| corpus | models | pages | CER command | CER library | pages better: command / library / equal |",
             "|---|---|---|---|---|---|"]
    for r in results:
        equal = len(r.pages) - r.better("command", "library") - r.better("library", "command")
        lines.append(f"| {r.corpus} | {r.models} | {len(r.pages)} | {r.cer('command'):.2%} ({sum(r.errors['command'])}) "
                     f"| {r.cer('library'):.2%} ({sum(r.errors['library'])}) | "
                     f"{r.better('command', 'library')} / {r.better('library', 'command')} / {equal} |")
    lines.append("")
    for r in results:
        lines.append(f"{r.corpus}, errors per page (command/library of characters): " + ", ".join(
            f"{stem} {c}/{lib} of {n}" for stem, c, lib, n in
            zip(r.pages, r.errors["command"], r.errors["library"], r.lengths)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=sorted(MODELS), help="only this corpus (repeatable)")
    parser.add_argument("--pages", type=int, help="the first N pages with a ground truth (default: all)")
    parser.add_argument("--cache", type=Path, help="folder keeping the readings for a rerun")
    add_record_option(parser)
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        raise SystemExit("the `tesseract` command is not installed: nothing to compare with")
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    versions = tesseract_versions()
    results = [compare(corpus, args.pages, args.cache, versions) for corpus in args.corpus or sorted(MODELS)]
    differing = {models: parameters_differing(models) for models in sorted({r.models for r in results})}
    notes = "; ".join(f"{models}: " + (", ".join(f"{name} command {a!r}, library {b!r}" for name, (a, b) in d.items())
                                         or "none") for models, d in differing.items())
    publish(table(results) + f"\n\nParameters differing between command and library: {notes}.", not args.no_record,
            heading=(f"## Tesseract: the command against the library the pipeline reads with "
                     f"({datetime.date.today()}, python -m bench.engines)\n\n"
                     f"Machine: {describe()}. Command: {versions[0]}; library (tesserocr): {versions[1]}; the same "
                     "models, page segmentation 3, the image file handed to both, nothing of the pipeline's in "
                     "between. CER as bench.corpora counts the engine's side (furniture out, line-end hyphens "
                     "joined, whitespace-blind), in brackets the errors.\n\n"))


if __name__ == "__main__":
    main()
