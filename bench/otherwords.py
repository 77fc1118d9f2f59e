"""Words in another script than the page's, on composed page images: Greek words quoted in a
Latin commentary, Latin words in a Greek text, and the Latin page without its Greek.

    python -m bench.otherwords            # prints the table and appends it to BENCHMARKS.md
    python -m bench.otherwords --no-record

Each page is rendered here (DejaVu Serif, which has polytonic Greek, 300 dpi; clean, and
blurred and thresholded as a worn print scanned bitonal) from lines whose truth is known, read by the pipeline's recogniser with the page's model (``lat`` or
``grc``) once without the other-script word pass (before) and once with it (after): CER
(whitespace ignored), the other script's words read exactly, the page's own words changed by
the pass (none may be), and the words read again.
"""

from __future__ import annotations

import argparse
import datetime
import io
import time
import unicodedata

from bench.machine import add_record_option, describe, publish

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
DPI = 300
SIZE = 38  # pixels: about 9 pt at 300 dpi
WIDTH = 2000
MARGIN = 150

LATIN_WITH_GREEK = (
    "Aristoteles in libro primo Ethicorum docet finem omnium actionum humanarum esse "
    "quod Graeci εὐδαιμονία vocant, nos beatitudinem dicimus. Hoc autem bonum non in "
    "voluptate positum est, sed in operatione animae secundum virtutem, quam ille ἐνέργεια "
    "appellat. Animam vero duplicem esse statuit, alteram rationis participem, alteram "
    "expertem; quae rationem habet, eam λόγος regit et moderatur. Virtutem deinde in medio "
    "consistere contendit, quod μεσότης dicitur, inter duo vitia alterum excessus alterum "
    "defectus. Neque enim natura nobis insunt virtutes neque praeter naturam, sed apti sumus "
    "ad eas recipiendas, perficimur autem consuetudine, unde et nomen ἦθος ductum esse "
    "putat. Quare qui recte vivere cupit, is non solum scire debet quid sit honestum, sed "
    "etiam facere, quoniam τέλος huius disciplinae non cognitio est sed actio. Plato vero "
    "in Republica iustitiam definit tamquam animae harmoniam, in qua singulae partes suum "
    "officium faciunt; temperantiam autem, quam σωφροσύνη nominat, ordinem quendam esse et "
    "continentiam voluptatum. Ceterum commentatores veteres hunc locum varie interpretati "
    "sunt: alii enim ad vitam civilem, alii ad contemplationem referunt, quam θεωρία "
    "vocabant, quod autem secundum naturam est κατὰ φύσιν dicunt, essentiam rei τὸ τί ἦν εἶναι. "
    "Nobis satis sit monuisse utramque sententiam apud ipsum auctorem inveniri, "
    "neque alteram sine altera recte intellegi posse. Ita fit ut qui librum decimum cum "
    "primo conferat, facile perspiciat summum bonum in vita contemplativa collocari, "
    "civilem autem vitam secundo loco poni, quae tamen et ipsa beata dici possit."
)
GREEK = {"εὐδαιμονία": "felicitas", "ἐνέργεια": "actio", "λόγος": "ratio", "μεσότης": "medium", "ἦθος": "mores",
         "τέλος": "finis", "σωφροσύνη": "modestia", "θεωρία": "speculatio", "κατὰ φύσιν": "naturale",
         "τὸ τί ἦν εἶναι": "quidditatem"}
GREEK_WORDS = tuple(word for quoted in GREEK for word in quoted.split())

GREEK_WITH_LATIN = (
    "Πᾶσα τέχνη καὶ πᾶσα μέθοδος, ὁμοίως δὲ πρᾶξίς τε καὶ προαίρεσις, ἀγαθοῦ τινὸς "
    "ἐφίεσθαι δοκεῖ· διὸ καλῶς ἀπεφήναντο τἀγαθόν, οὗ πάντ᾽ ἐφίεται, ut ait Bekker. "
    "διαφορὰ δέ τις φαίνεται τῶν τελῶν· τὰ μὲν γάρ εἰσιν ἐνέργειαι, τὰ δὲ παρ᾽ αὐτὰς "
    "ἔργα τινά, cf. Metaphysica. ὧν δ᾽ εἰσὶ τέλη τινὰ παρὰ τὰς πράξεις, ἐν τούτοις "
    "βελτίω πέφυκε τῶν ἐνεργειῶν τὰ ἔργα. πολλῶν δὲ πράξεων οὐσῶν καὶ τεχνῶν καὶ "
    "ἐπιστημῶν πολλὰ γίνεται καὶ τὰ τέλη· ἰατρικῆς μὲν γὰρ ὑγίεια, ναυπηγικῆς δὲ "
    "πλοῖον, στρατηγικῆς δὲ νίκη, οἰκονομικῆς δὲ πλοῦτος, sic codices omnes. ὅσαι δ᾽ "
    "εἰσὶ τῶν τοιούτων ὑπὸ μίαν τινὰ δύναμιν, καθάπερ ὑπὸ τὴν ἱππικὴν ἡ χαλινοποιικὴ "
    "καὶ ὅσαι ἄλλαι τῶν ἱππικῶν ὀργάνων εἰσίν, αὕτη δὲ καὶ πᾶσα πολεμικὴ πρᾶξις ὑπὸ "
    "τὴν στρατηγικήν, vide Susemihl."
)
LATIN_WORDS = ("ut", "ait", "Bekker", "cf.", "Metaphysica", "sic", "codices", "omnes", "vide", "Susemihl")


def without_greek(text: str) -> str:
    """The Latin page's text with each Greek word or phrase replaced by a Latin word."""
    for quoted, filler in GREEK.items():
        text = text.replace(quoted, filler)
    return text


def wrap(text: str, face, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and face.getlength(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def render(text: str, size: int = SIZE, blur: float = 0.0):
    """The page image of ``text`` and its lines as printed; ``blur``: a Gaussian blur of that
    radius, then a threshold to black and white (a worn print, scanned bitonal)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    face = ImageFont.truetype(FONT, size)
    lines = wrap(text, face, WIDTH - 2 * MARGIN)
    image = Image.new("L", (WIDTH, 2 * MARGIN + int(1.6 * size) * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + int(1.6 * size) * n), line, font=face, fill=0)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur)).point(lambda value: 255 if value > 150 else 0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    buffer.seek(0)
    return Image.open(buffer), lines


def cer(read: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    read, truth = ("".join(unicodedata.normalize("NFC", t).split()) for t in (read, truth))
    return Levenshtein.distance(read, truth) / max(1, len(truth))


def bare(word: str) -> str:
    return unicodedata.normalize("NFC", word).strip(",.;:·")


def skeleton(word: str) -> str:
    """The word's letters without accents or breathings, in lower case."""
    return "".join(ch for ch in unicodedata.normalize("NFD", bare(word)) if not unicodedata.combining(ch)).lower()


def words_found(read: str, words: tuple[str, ...]) -> int:
    """How many of ``words`` (each once in the text) were read exactly, as words."""
    tokens = [bare(token) for token in read.split()]
    return sum(bare(word) in tokens for word in words)


def read_page(image, languages: str, words: bool):
    """The page read with ``languages``; ``words``: with the other-script word pass."""
    from pipeline.ingest.pages import ocr

    saved = ocr.WORD_DOUBTED
    if not words:
        ocr.WORD_DOUBTED = -1.0  # no word is doubted: the pass reads nothing
    try:
        with ocr.Recogniser(languages, "bench.png") as recogniser:
            started = time.perf_counter()
            page = recogniser.read(image, DPI)
            seconds = time.perf_counter() - started
    finally:
        ocr.WORD_DOUBTED = saved
    return page, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_record_option(parser)
    args = parser.parse_args()
    texts = [("Latin with Greek words", LATIN_WITH_GREEK, "lat", GREEK_WORDS),
             ("Greek with Latin words", GREEK_WITH_LATIN, "grc", LATIN_WORDS),
             ("Latin, no Greek", without_greek(LATIN_WITH_GREEK), "lat", ())]
    prints = [("", SIZE, 0.0), (", small and worn", 30, 1.0), (", smaller and more worn", 26, 1.6)]
    rows = ["| page | lines | CER before → after | other-script words read exactly | page's words changed wrongly "
            "| words replaced | s before → after | note |", "|---|---|---|---|---|---|---|---|"]
    for (name, text, languages, others), (how, size, blur) in ((t, p) for p in prints for t in texts):
        name += how
        image, lines = render(text, size, blur)
        truth = "\n".join(lines)
        before, t0 = read_page(image, languages, words=False)
        after, t1 = read_page(image, languages, words=True)
        old = [w.text for line in before.lines for w in line.words]
        new = [w.text for line in after.lines for w in line.words]
        pairs = [(a, b) for a, b in zip(old, new, strict=False) if a != b]
        # a word of the other script read with a wrong case or accent (Sic, τι) is no page word changed
        changed = sum(skeleton(b) not in {skeleton(w) for w in others} for _, b in pairs)
        print(name, "read again:", ", ".join(f"{a} → {b}" for a, b in pairs))
        text_before = "\n".join(line.text for line in before.lines)
        text_after = "\n".join(line.text for line in after.lines)
        found = f"{words_found(text_before, others)} → {words_found(text_after, others)} of {len(others)}" \
            if others else "—"
        identical = "byte-identical" if text_before == text_after else "differs"
        note = after.engine.split(": ", 1)[-1]
        note = note[note.find("; ") + 2:] if "word" in note else ""
        again = len(pairs)
        rows.append(f"| {name} | {len(lines)} | {100 * cer(text_before, truth):.2f}% → {100 * cer(text_after, truth):.2f}% "
                     f"| {found} | {changed} ({identical}) | {again} | {t0:.1f} → {t1:.1f} | {note} |")
        if len(old) != len(new):
            rows.append(f"| (word count changed: {len(old)} → {len(new)}) |")
    report = "\n".join(rows) + "\n"
    heading = (f"\n## Other-script words on composed pages ({datetime.date.today()}, `python -m bench.otherwords`)\n\n"
               f"{describe()}\n\n")
    publish(report, not args.no_record, heading)


if __name__ == "__main__":
    main()
