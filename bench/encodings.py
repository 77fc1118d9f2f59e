"""Encoding, mojibake and language benchmark: the pipeline against each library alone.

    python -m bench.encodings            # prints the table and appends it to BENCHMARKS.md

The labelled set is generated here from bench/texts.py, deterministically: every paragraph
(long) and its first characters (short) in every encoding that can carry it; mojibake of
each kind made the way editors make it (errors="replace"); clean text for false positives.
An item counts as right when the decoded (or repaired) text equals the original exactly;
for lossy mojibake, when every character that survived the misreading comes back in place.
"""

from __future__ import annotations

import argparse
import difflib
import datetime
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import chardet
import charset_normalizer
import ftfy
from langdetect import DetectorFactory, detect

from bench.machine import add_record_option, describe, publish
from bench.texts import LEGACY_ENCODINGS, PARAGRAPHS, UNICODE_ENCODINGS
from pipeline.config import PipelineConfig
from pipeline.edits import reading_text
from pipeline.ingest.encoding import decode
from pipeline.errors import DocumentError
from pipeline.stages.mojibake import mojibake_edits
from pipeline.process import build_document
from pipeline.stages.textfix import ftfy_edits

CONFIG = PipelineConfig()
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Item:
    category: str
    data: bytes
    expected: str
    lang: str


def _short(text: str, lang: str) -> str:
    return text[:8] if lang in ("zh-Hans", "zh-Hant", "ja", "ko") else text[:24]


def encoding_items() -> list[Item]:
    items = []
    for lang, paragraphs in PARAGRAPHS.items():
        for encoding in LEGACY_ENCODINGS[lang] + UNICODE_ENCODINGS:
            for paragraph in paragraphs:
                for size, text in (("long", paragraph), ("short", _short(paragraph, lang))):
                    try:
                        data = text.encode(encoding)
                    except UnicodeEncodeError:
                        continue
                    family = "unicode" if encoding.startswith("utf") else encoding
                    items.append(Item(f"encoding {family} {size}", data, text, lang))
    return items


MISREADINGS = [  # (label, languages, really, misread as)
    ("UTF-8 read as GBK", ("zh-Hans", "zh-Hant"), "utf-8", "gbk"),
    ("UTF-8 read as GB18030", ("zh-Hans", "zh-Hant"), "utf-8", "gb18030"),
    ("Big5 read as GBK", ("zh-Hant",), "big5", "gbk"),
    ("Big5 read as GB18030", ("zh-Hant",), "big5", "gb18030"),
    ("GBK read as Big5", ("zh-Hans",), "gbk", "big5"),
    ("UTF-8 read as cp1252", ("fr", "de", "es", "en"), "utf-8", "cp1252"),
]


def mojibake_items() -> list[Item]:
    items = []
    for label, langs, really, misread in MISREADINGS:
        for lang in langs:
            for paragraph in PARAGRAPHS[lang]:
                try:
                    broken, loss = paragraph.encode(really).decode(misread), "lossless"
                except UnicodeDecodeError:
                    broken, loss = paragraph.encode(really).decode(misread, errors="replace"), "lossy"
                items.append(Item(f"mojibake {label} ({loss})", broken.encode("utf-8"), paragraph, lang))
    return items


def clean_items() -> list[Item]:
    return [Item(f"clean {lang}", p.encode("utf-8"), p, lang) for lang, ps in PARAGRAPHS.items() for p in ps]


# --- the contenders ---------------------------------------------------------------

def pipeline_decode(item: Item) -> str | None:
    try:
        return decode(item.data, "item")[0]
    except DocumentError:
        return None


def pipeline_reading(item: Item) -> str | None:
    """The whole pipeline: decoding, mojibake repair, ftfy; the text as the edition reads it."""
    try:
        doc = build_document(item.data, "item", CONFIG)
    except DocumentError:
        return None
    return reading_text(doc, 0, len(doc.text))


def chardet_decode(item: Item) -> str | None:
    guess = chardet.detect(item.data)["encoding"]
    try:
        return item.data.decode(guess) if guess else None
    except (UnicodeDecodeError, LookupError):
        return None


def charset_normalizer_decode(item: Item) -> str | None:
    best = charset_normalizer.from_bytes(item.data).best()
    return str(best) if best is not None else None


def ftfy_decode(item: Item) -> str | None:
    try:
        return ftfy.guess_bytes(item.data)[0]
    except UnicodeError:
        return None


def ftfy_fix(item: Item) -> str | None:
    return ftfy.fix_text(item.data.decode("utf-8"))


def pipeline_language(text: str) -> str:
    doc = build_document(text.encode("utf-8"), "item", CONFIG)
    return doc.blocks[0].lang if doc.blocks else "und"


def langdetect_language(text: str) -> str:
    DetectorFactory.seed = 0
    try:
        tag = detect(text)
    except Exception:
        return "und"
    return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(tag, tag)


# --- running ---------------------------------------------------------------------------

def matches(got: str | None, expected: str, destroyed: int | None = None) -> bool:
    """Exactly equal; for lossy mojibake (a misreading with errors="replace" destroyed some
    characters, one U+FFFD each, that no tool can bring back): every character that survived
    the misreading recovered in place."""
    if got is None:
        return False
    if destroyed is None:
        return got == expected
    matcher = difflib.SequenceMatcher(a=got, b=expected, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) >= len(expected) - destroyed


def score(items: list[Item], contenders: dict) -> dict[str, dict[str, tuple[int, int]]]:
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for item in items:
        for name, contender in contenders.items():
            cell = table[item.category][name]
            cell[1] += 1
            try:
                destroyed = item.data.decode("utf-8").count("\ufffd") if "(lossy)" in item.category else None
                cell[0] += matches(contender(item), item.expected, destroyed)
            except Exception:
                pass
    return {cat: {name: tuple(v) for name, v in row.items()} for cat, row in table.items()}


def language_items() -> list[Item]:
    return [Item(f"language {lang}", p.encode("utf-8"), lang, lang) for lang, ps in PARAGRAPHS.items() for p in ps]


def mixed_documents() -> list[tuple[str, list[str]]]:
    """Documents alternating paragraphs of two languages: labels must follow each paragraph."""
    pairs = [("en", "zh-Hans"), ("en", "zh-Hant"), ("fr", "de"), ("en", "ru"), ("ja", "en"), ("ko", "en"),
             ("es", "en")]
    docs = []
    for first, second in pairs:
        paragraphs, labels = [], []
        for a, b in zip(PARAGRAPHS[first], PARAGRAPHS[second]):
            paragraphs += [a, b]
            labels += [first, second]
        docs.append(("\n\n".join(paragraphs), labels))
    return docs


def format_table(title: str, results: dict, names: list[str]) -> list[str]:
    lines = [f"### {title}", "", "| category | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    totals = {n: [0, 0] for n in names}
    for category in sorted(results):
        row = results[category]
        cells = []
        for n in names:
            if n in row:
                ok, total = row[n]
                totals[n][0] += ok
                totals[n][1] += total
                cells.append(f"{ok}/{total} ({100 * ok / total:.0f}%)")
            else:
                cells.append("—")
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + " | ".join(
        f"**{t[0]}/{t[1]} ({100 * t[0] / t[1]:.1f}%)**" if t[1] else "—" for t in totals.values()) + " |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_record_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()

    decoders = {"pipeline": pipeline_decode, "chardet": chardet_decode,
                "charset-normalizer": charset_normalizer_decode, "ftfy": ftfy_decode}
    encodings = score(encoding_items(), decoders)

    repairers = {"pipeline": pipeline_reading, "ftfy": ftfy_fix,
                 "chardet": lambda i: chardet_decode(i), "charset-normalizer": charset_normalizer_decode}
    mojibake = score(mojibake_items() + clean_items(), repairers)

    languages = score(language_items(), {
        "pipeline": lambda i: pipeline_language(i.data.decode("utf-8")),
        "langdetect": lambda i: langdetect_language(i.data.decode("utf-8")),
    })
    mixed_right = mixed_total = 0
    for text, labels in mixed_documents():
        doc = build_document(text.encode("utf-8"), "mixed", CONFIG)
        got = [b.lang for b in doc.blocks]
        mixed_right += sum(g == e for g, e in zip(got, labels)) if len(got) == len(labels) else 0
        mixed_total += len(labels)
    languages["language: mixed-language documents, per paragraph"] = {"pipeline": (mixed_right, mixed_total)}

    seed_texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    false_repairs = sum(len(mojibake_edits(t)) + len(ftfy_edits(t)) for t in seed_texts)
    seed_lines = sum(t.count("\n") + 1 for t in seed_texts)
    seed_chars = sum(len(t) for t in seed_texts)

    lines = [f"## Encoding, mojibake and language detection ({datetime.date.today().isoformat()})", "",
             f"Machine: {describe()}. Command: `python -m bench.encodings`. "
             f"chardet {chardet.__version__}, charset-normalizer {charset_normalizer.__version__}, "
             f"ftfy {ftfy.__version__}. Right = decoded or repaired text identical to the original (lossy mojibake: every character that survived the misreading recovered in place).", ""]
    lines += format_table("Encodings (bytes → text)", encodings, list(decoders))
    lines += format_table("Mojibake repair, and clean text left alone (UTF-8 bytes → reading text)",
                          mojibake, list(repairers))
    lines += format_table("Paragraph language", languages, ["pipeline", "langdetect"])
    lines.append(f"False repairs on clean text: {false_repairs} edits on the five seeds "
                 f"({seed_lines} lines, {seed_chars:,} characters), and the clean rows above.")
    lines.append("")
    lines.append(f"Benchmark time: {time.perf_counter() - started:.1f} s.")
    lines.append("")
    report = "\n".join(lines)
    publish(report, not args.no_record)


if __name__ == "__main__":
    main()
