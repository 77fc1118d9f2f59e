"""Text from page images, by Tesseract 5 through tesserocr (the optional ``ocr`` extra).

The models are Debian's (``tesseract-ocr-deu``, ``-frk``, ``-script-frak``, ``-grc``,
``-chi-tra``, …). Without languages given, each page's script is detected first (Tesseract's
OSD) and the installed models for that script are used. A script many languages write (Latin,
Cyrillic) says little about the language: the page read with the script's models says it, and
the language's own model, if installed, reads the page again and the document's later pages.
Either way the choice is recorded with the page. Tesseract writes hOCR, which :mod:`hocr`
reads like any engine's.
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.ingest.pages import hocr, textsize
from pipeline.ingest.pages.ocrpage import OcrPage, OcrWord

TESSDATA_FOLDERS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                    "/usr/share/tessdata", "/usr/local/share/tessdata")
# The models to read each script OSD names, best first; those installed are used together.
# Fraktur: on four Grenzboten pages (600 dpi, after long s is regularized) Fraktur alone reads
# at 2.98 % CER, frk at 2.76 %, both together at 1.74 % (Fraktur+deu 3.15 %), for 1.5x the time.
SCRIPT_MODELS = {
    "Fraktur": ("Fraktur", "frk"),
    "Latin": ("Latin", "eng"),
    "Greek": ("grc", "ell", "Greek"),
    "Han": ("chi_tra", "chi_sim"),
    "HanT": ("chi_tra",),
    "HanS": ("chi_sim",),
    "Cyrillic": ("Cyrillic", "rus"),
}
FALLBACK_SCRIPT = "Latin"
# OSD's confidence in the script it names, below which a few of the page's lines say it instead:
# on Swete's polytonic Greek (1901, 600 dpi) OSD said Cyrillic at 0.5-1.4 (Greek once, at 1.1);
# Latin and Fraktur pages of the corpora 2.2-37.5; rendered Chinese pages Han at 1.0-1.3.
OSD_SURE = 3.0
SAMPLE_LINES = 3  # lines of the page's text recognised with one model of each script
# A script read on them with a mean confidence this much above OSD's script's replaces it
# (Swete: grc 78-90 against eng 41, Fraktur 46-54; Arnobius: eng 78, grc 22; Chinese: chi_tra 84-85).
SURER_BY = 10
# Scripts many languages write, and the models of those languages (Tesseract names them by
# ISO 639-2/T codes). German in Antiqua read with eng loses its umlauts and ß (8.5 % CER on a
# rendered page, 0 % with deu); clean Latin reads alike with eng and lat, old prints' ligatures,
# long s and abbreviation marks are lat's.
SHARED_SCRIPTS = ("Latin", "Cyrillic")
# Scripts whose models each know one form of it: the page is read with each alone and the
# reading the engine is surest of (its mean word confidence) chooses the model. Chinese pages
# read with chi_tra+chi_sim together come out in a mixture of both scripts (simplified pages
# 13-17 % CER against 4 % with chi_sim); each model alone reads every page in its own script,
# so the readings' scripts tell nothing, but its confidence is higher on its own script's
# pages: 12 of 12 rendered pages (traditional: 81-88 against 70-77; simplified: 81-87
# against 73-83).
ONE_MODEL_EACH = ("Han",)
# Polytonic Greek (breathings, circumflexes, graves, iota subscript) is the Ancient Greek
# model's: on two Swete pages (1901) grc alone read 4.7 and 4.2 % CER (a few lines transcribed
# here), grc+ell 5.6 and 4.5 %, ell 8.9 %; a rendered page of modern monotonic Greek grc+ell
# 0.4 %, ell 0.8 %, grc 2.0 %. A Greek page read with the script's models is read again with
# grc when its words show the marks.
POLYTONIC_MODEL = "grc"
POLYTONIC_MARKS = frozenset("\u0313\u0314\u0342\u0300\u0345")  # psili, dasia, perispomeni, varia, iota (NFD)
POLYTONIC_SHARE = 0.2  # of the page's Greek words, marked: the page is polytonic
# A line in another script than the page's (a Latin running head or foot line on a Greek page,
# a Greek line on a Latin one) comes out of the page's model as garbage in the page's script,
# and rated low: "118. ΧΙ. ΟΑΡ ΠΙ|." for "LIB. XI. CAP. III." on a rendered Greek page, its
# words at 0.48-0.92, the Greek lines' at 0.96. A doubted line is recognised again alone with
# the other script's model, and that reading kept where the engine is clearly surer of it.
OTHER_SCRIPT_MODELS = {"Greek": ("lat", "eng"), "Latin": ("grc", "ell")}
LINE_DOUBTED = 0.75  # a line's mean word confidence below which its script is checked
LINE_SURER_BY = 0.15
# A word in the other script within a line of the page's (Greek quoted in a Latin commentary,
# Latin in a Greek apparatus) leaves the line's mean high: the word alone is doubted. On
# composed pages (DejaVu Serif, 300 dpi) lat read the Greek words at 0.18-0.89, its Latin words
# at 0.91-0.97; grc the Latin words at 0.00-0.76. A doubted word is recognised again alone
# (its box, its line's height) with the other script's model and replaced where that reading
# is one word in the other script, rated at least WORD_SURE, LINE_SURER_BY above the page's
# model in the line and WORD_SURER_BY above each model of the page's script (grc and ell, lat
# and eng) on the same crop, a reading in capitals aside (see _rival). grc read the composed
# Greek words alone at 0.90-0.96, the Latin words at 0.00-0.81. On Swete (1901) lat read sigla
# and "om" right (0.92-0.97, the Greek models 0.00-0.61), but also "TOV" for τὸν (grc 0.97 on
# the crop) and "erm" for the apparatus's unaccented ετη at 0.93-0.94 (grc 0.00-0.58, ell
# 0.69-0.92): the rival models' margin keeps them Greek.
WORD_DOUBTED = 0.9
WORD_SURE = 0.85
WORD_SURER_BY = 0.3
LANGUAGE_MODELS = {
    "en": "eng", "de": "deu", "la": "lat", "fr": "fra", "it": "ita", "es": "spa", "pt": "por", "nl": "nld",
    "da": "dan", "sv": "swe", "no": "nor", "fi": "fin", "pl": "pol", "cs": "ces", "sk": "slk", "hu": "hun",
    "ro": "ron", "hr": "hrv", "sl": "slv", "tr": "tur", "ru": "rus", "uk": "ukr", "bg": "bul", "sr": "srp",
}
# The scripts whose models a page's language (or form) chooses among, where the pipeline otherwise
# judges it from a first reading: a library's record naming the language answers instead. A
# record's language never chooses the script: "ger" is said of Fraktur and Antiqua prints alike
# (Pembroke 1766, a Fraktur page whose MODS says ger, read with deu while OSD named Fraktur at 18).
CHOSEN_BY_LANGUAGE = (*SHARED_SCRIPTS, "Greek", *ONE_MODEL_EACH)
CYRILLIC_LANGUAGES = ("ru", "uk", "bg", "sr")
# Letters a page's text needs for its language to choose the model of the document's later pages
# (a title page or a plate with a caption says too little), and pages read one at a time, in
# order, while none has: the choice never depends on which thread finishes first.
LETTERS_TO_CHOOSE = 200
PAGES_TO_CHOOSE = 3
INSTALL_ADVICE = ("install OCR: pip install -e '.[ocr]' and Debian's models, e.g. "
                  "apt-get install tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-frk (see the README)")
# The judge of a text's language: its text -> its language (a BCP 47 tag, or None) and its letters.
# The language stage's (:func:`pipeline.stages.language.page_language`), handed in by whoever
# reads pages (ingest does not import the stages). Without one, the script's models read every page.
LanguageOf = Callable[[str], tuple[str | None, int]]


def tessdata() -> str | None:
    """The folder holding Tesseract's models: TESSDATA_PREFIX, or where Debian puts them."""
    for folder in ([os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []) \
            + list(TESSDATA_FOLDERS):
        if Path(folder).is_dir() and any(Path(folder).glob("*.traineddata")):
            return folder
    return None


def installed_models() -> set[str]:
    """The names of the Tesseract models installed (``deu``, ``Fraktur``, ``osd``, …)."""
    folder = tessdata()
    return {p.name.removesuffix(".traineddata") for p in Path(folder).glob("*.traineddata")} if folder else set()


def available() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "tesserocr is not installed"
    if not installed_models() - {"osd"}:
        return "no Tesseract models found (TESSDATA_PREFIX or /usr/share/tesseract-ocr/5/tessdata)"
    return None


class _CropWithoutText(logging.Filter):
    """tesserocr logs a warning ("RuntimeError while iterating words: No text returned") when a
    crop read again alone holds no text: no words is the answer there, not a line for the console."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "No text returned" not in record.getMessage()


_CROP_WITHOUT_TEXT = _CropWithoutText()


class Recogniser:
    """One per document: Tesseract's models are loaded once for all its pages."""

    def __init__(self, languages: str | None, file_name: str, choices: LanguageChoices | None = None,
                 language_of: LanguageOf | None = None, hint: str | None = None):
        """``languages``: the models the user chose (every page read with them); ``hint``: the
        models the document's own metadata call for (a library's MODS languages), used for a
        page whose script they are models of (see :meth:`models_for`)."""
        if (why := available()) is not None:
            raise DocumentError(file_name, f"holds page images, and OCR cannot run: {why}", INSTALL_ADVICE)
        import tesserocr

        logging.getLogger("tesserocr").addFilter(_CROP_WITHOUT_TEXT)  # once: a logger keeps no duplicates
        self.tesserocr = tesserocr
        self.file_name = file_name
        self.languages = languages
        self.hint = [m for m in (hint or "").split("+") if m in installed_models()]
        self.choices = choices if choices is not None else LanguageChoices()
        self.language_of = language_of
        self.folder = tessdata()
        self.installed = installed_models()
        self.apis: dict[str, object] = {}
        # the page being read: (reduction factor or None, its lines' height, the reduced image)
        self._size: tuple[int | None, int | None, object] | None = None
        self.version = tesserocr.tesseract_version().split()[1] if tesserocr.tesseract_version() else "5"
        if languages:
            missing = [m for m in languages.split("+") if m not in self.installed]
            if missing:
                raise DocumentError(file_name, f"asks for Tesseract models that are not installed: "
                                               f"{', '.join(missing)} (installed: {', '.join(sorted(self.installed))})",
                                    "install Debian's tesseract-ocr-<model> package, or choose others")

    def __enter__(self) -> Recogniser:
        return self

    def __exit__(self, *_exc) -> None:
        for api in self.apis.values():
            api.End()
        self.apis.clear()

    def _api(self, languages: str, psm=None):
        key = f"{languages}|{psm}"
        if key not in self.apis:
            tesserocr = self.tesserocr
            self.apis[key] = tesserocr.PyTessBaseAPI(path=self.folder, lang=languages,
                                                     psm=psm if psm is not None else tesserocr.PSM.AUTO)
        return self.apis[key]

    def script_of(self, image) -> tuple[str | None, float]:
        """The page's script as Tesseract's OSD names it and OSD's confidence in it, or None
        (no OSD model, or no answer)."""
        if "osd" not in self.installed:
            return None, 0.0
        api = self._api("osd", self.tesserocr.PSM.OSD_ONLY)
        api.SetImage(image)
        try:
            found = api.DetectOrientationScript()
        except RuntimeError:
            found = None
        return (found.get("script_name"), found.get("script_conf", 0.0)) if found else (None, 0.0)

    def script_by_reading(self, image) -> dict[str, float]:
        """A few lines of the page's text (the middle quartiles of its full lines) recognised
        with one model of each script installed: each script's mean confidence on them."""
        tesserocr = self.tesserocr
        layout = self._api(next(iter(sorted(self.installed - {"osd"}))), tesserocr.PSM.AUTO_ONLY)
        layout.SetImage(image)
        boxes = [box for _, box, _, _ in layout.GetComponentImages(tesserocr.RIL.TEXTLINE, True) or []]
        if not boxes:
            return {}
        heights = sorted(box["h"] for box in boxes)
        height, widest = heights[len(heights) // 2], max(box["w"] for box in boxes)
        full = [box for box in boxes if 0.7 * height <= box["h"] <= 1.5 * height and box["w"] >= 0.5 * widest]
        sample = [full[len(full) * k // (SAMPLE_LINES + 1)] for k in range(1, SAMPLE_LINES + 1)] if full else []
        scores = {}
        for script, models in SCRIPT_MODELS.items():
            model = next((m for m in models if m in self.installed), None)
            if model is None or script in ("HanT", "HanS"):
                continue
            api = self._api(model, tesserocr.PSM.SINGLE_LINE)
            confidences = []
            for box in dict.fromkeys((b["x"], b["y"], b["w"], b["h"]) for b in sample):
                x, y, w, h = box
                api.SetImage(image.crop((max(0, x - h // 3), max(0, y - h // 3), x + w + h // 3, y + h + h // 3)))
                api.GetUTF8Text()
                confidences.append(api.MeanTextConf())
            scores[script] = sum(confidences) / len(confidences) if confidences else 0.0
        return scores

    def models_for(self, image) -> tuple[str, str, str | None]:
        """(Tesseract languages, how they were chosen, the script they are models of: None when
        the languages were given or chosen before, or no model of the page's script is installed)."""
        if self.languages:
            return self.languages, "as given", None
        script, sure = self.script_of(image)
        how = f"script {script} detected by Tesseract's OSD" if script else "no script detected"
        if script is None or sure < OSD_SURE or not any(m in self.installed for m in SCRIPT_MODELS.get(script, ())):
            scores = self.script_by_reading(image)
            best = max(sorted(scores), key=lambda name: scores[name], default=None)
            if best is not None and best != script and scores[best] >= scores.get(script or "", 0.0) + SURER_BY:
                how = (f"script {script} detected by Tesseract's OSD (confidence {sure:.1f}); {best} read surer on "
                       f"{SAMPLE_LINES} of the page's lines (" + ", ".join(
                           f"{name} {scores[name]:.0f}" for name in sorted(scores, key=lambda n: -scores[n])) + ")")
                script = best
        if (hinted := self._hinted(script)) is not None:
            return hinted, how + f"; {hinted} for the language the document's record names", None
        if (chosen := self.choices.for_script(script)) is not None:
            return *chosen, None
        models = [m for m in SCRIPT_MODELS.get(script or "", ()) if m in self.installed]
        if not models:
            models = [m for m in SCRIPT_MODELS[FALLBACK_SCRIPT] if m in self.installed] or \
                sorted(self.installed - {"osd"})[:1]
            how += f"; no model for it installed, {FALLBACK_SCRIPT} used" if script else f", {FALLBACK_SCRIPT} used"
            script = None  # a text read with another script's models says nothing of its language
        return "+".join(models), how, script

    def _hinted(self, script: str | None) -> str | None:
        """The record's models of the page's script, where its language chooses the script's
        model (CHOSEN_BY_LANGUAGE); all of them where no script could be detected; None where
        none reads the page's script (a record's "ger" on a Fraktur page: the script's models)."""
        if not self.hint:
            return None
        if script is None:
            return "+".join(self.hint)
        if script not in CHOSEN_BY_LANGUAGE:
            return None
        models = [m for m in self.hint if _script_of_model(m) == script]
        if not models or script in ONE_MODEL_EACH and len(models) > 1:
            return None  # (a record saying "zh" chooses neither form: the page's readings do)
        return "+".join(models)

    def read(self, image, dpi: int | None = None) -> OcrPage:
        """The page read from ``image``, with the models chosen for it and why, said in its ``engine``."""
        languages, how, script = self.models_for(image)
        self._size = None  # the page's text size: known from its first reading (see _recognise)
        if script in ONE_MODEL_EACH and "+" in languages:
            page, languages, how = self._surest(image, dpi, languages.split("+"), how, script)
        else:
            page = self._recognise(image, dpi, languages)
            if script in SHARED_SCRIPTS:
                page, languages, how = self._in_its_language(image, dpi, page, languages, how, script)
            elif script == "Greek" and languages != POLYTONIC_MODEL and POLYTONIC_MODEL in self.installed \
                    and _polytonic(page):
                how += f"; the page read with {languages} is polytonic: read again with {POLYTONIC_MODEL}"
                languages = POLYTONIC_MODEL
                page = self._recognise(image, dpi, languages)
                self.choices.choose(script, languages, f"script {script}; {languages} chosen from an earlier page, "
                                                       f"polytonic")
            else:
                self.choices.close()  # nothing to choose: the pages may be read in parallel
        if self._size is not None and self._size[0] is not None:
            factor, height = self._size[0], self._size[1]
            how += f"; its lines {height} px tall: read at 1/{factor} of its size"
        self._size = None  # (the reduced image is let go)
        if (other := self._other_script_lines(image, dpi, page, languages)) is not None:
            how += other
        if (other := self._other_script_words(image, dpi, page, languages)) is not None:
            how += other
        page.engine = f"Tesseract {self.version} ({languages}: {how})"
        page.width, page.height = image.size
        return page

    def _in_its_language(self, image, dpi: int | None, page: OcrPage, languages: str, how: str,
                         script: str) -> tuple[OcrPage, str, str]:
        """A page in a script many languages write, read again with its language's model."""
        if self.language_of is None:
            self.choices.close()
            return page, languages, how + f"; no judge of languages given: {languages} kept"
        language, letters = self.language_of("\n".join(line.text for line in page.lines))
        model = LANGUAGE_MODELS.get(language or "")
        if model in self.installed and model != languages:
            how += f"; the page read with {languages} is in {language}: read again with {model}"
            languages = model
            page = self._recognise(image, dpi, languages)
        elif language:
            how += f"; the page is in {language}: {languages} kept"
        if letters >= LETTERS_TO_CHOOSE:
            self.choices.choose(script, languages, f"script {script} detected by Tesseract's OSD; "
                                                   f"{languages} chosen from an earlier page, in {language}")
        return page, languages, how

    def _surest(self, image, dpi: int | None, models: list[str], how: str, script: str) -> tuple[OcrPage, str, str]:
        """The page read with each model alone; the reading with the highest mean word
        confidence wins, and chooses the model for the document's later pages when the page
        has text enough."""
        readings = [(self._recognise(image, dpi, model), model) for model in models]
        rated = [(_mean_confidence(page), -n, page, model) for n, (page, model) in enumerate(readings)]
        best = max(rated, key=lambda rating: rating[:2])
        page, model = best[2], best[3]
        how += "; read with " + " and ".join(f"{m} (confidence {100 * c:.1f})" for c, _, _, m in rated) \
            + f": {model} kept"
        if sum(len(line.text) for line in page.lines) >= LETTERS_TO_CHOOSE:
            self.choices.choose(script, model, f"script {script} detected by Tesseract's OSD; {model} chosen "
                                               f"from an earlier page, which it read with the highest confidence")
        else:
            self.choices.close()
        return page, model, how

    def _other_script_lines(self, image, dpi: int | None, page: OcrPage, languages: str) -> str | None:
        """Lines the page's model doubted, read again alone with the other script's model (see
        OTHER_SCRIPT_MODELS) where the engine is surer of that reading; what was done, for the note."""
        script = _script_of_models(languages)
        other = next((m for m in OTHER_SCRIPT_MODELS.get(script or "", ()) if m in self.installed), None)
        if other is None:
            return None
        sure = [line.box[3] - line.box[1] for line in page.lines if line.box and _line_confidence(line) >= 0.9]
        if not sure:
            return None
        height = sorted(sure)[len(sure) // 2]  # of the lines of text the engine read surely
        api = self._api(other, self.tesserocr.PSM.SINGLE_LINE)
        again = 0
        for line in page.lines:
            confidence = _line_confidence(line)
            if line.box is None or confidence >= LINE_DOUBTED or line.box[3] - line.box[1] < 0.6 * height \
                    or sum(ch.isalnum() for ch in line.text) < 3:
                continue
            ulx, uly, lrx, lry = line.box
            pad = (lry - uly) // 3
            api.SetImage(image.crop((max(0, ulx - pad), max(0, uly - pad), lrx + pad, lry + pad)))
            if dpi:
                api.SetSourceResolution(dpi)
            api.Recognize()
            words = [OcrWord(text, rating / 100) for text, rating in api.MapWordConfidences() if text.strip()]
            if words and (mean := sum(w.confidence for w in words) / len(words)) >= confidence + LINE_SURER_BY \
                    and mean >= LINE_DOUBTED and not (other in OTHER_SCRIPT_MODELS["Latin"] and _capitals(words)):
                line.words = words
                again += 1
        return f"; {again} line(s) the page's models doubted read again with {other}, surer" if again else None

    def _other_script_words(self, image, dpi: int | None, page: OcrPage, languages: str) -> str | None:
        """Words the page's model doubted, read again alone with the other script's model (see
        WORD_DOUBTED) and replaced where the engine is clearly surer of a reading in that script;
        what was done, for the note."""
        script = _script_of_models(languages)
        other_script = {"Latin": "Greek", "Greek": "Latin"}.get(script or "")
        other = next((m for m in OTHER_SCRIPT_MODELS.get(script or "", ()) if m in self.installed), None)
        if other is None or other_script is None:
            return None
        # the page's script read by each of its models: the one surest of the crop is the rival
        rivals = [m for m in dict.fromkeys([*languages.split("+"), *OTHER_SCRIPT_MODELS[other_script]])
                  if m in self.installed]  # (loaded when a word first needs them)
        theirs = self._api(other, self.tesserocr.PSM.SINGLE_LINE)
        doubted = again = 0
        for line in page.lines:
            for n, word in enumerate(line.words):
                if word.box is None or line.box is None or word.confidence is None \
                        or word.confidence >= WORD_DOUBTED or sum(ch.isalnum() for ch in word.text) < 2:
                    continue
                doubted += 1
                pad = (line.box[3] - line.box[1]) // 3
                crop = image.crop((max(0, word.box[0] - pad), max(0, line.box[1] - pad),
                                   word.box[2] + pad, line.box[3] + pad))
                read = _read_alone(self.tesserocr, theirs, crop, dpi)
                if len(read) != 1 or not _in_script(read[0].text, other_script) \
                        or read[0].confidence < max(WORD_SURE, word.confidence + LINE_SURER_BY):
                    continue
                line_apis = (self._api(model, self.tesserocr.PSM.SINGLE_LINE) for model in rivals)
                if read[0].confidence >= max(_rival(_read_alone(self.tesserocr, api, crop, dpi)) for api in line_apis) \
                        + WORD_SURER_BY:
                    line.words[n] = OcrWord(read[0].text, read[0].confidence, word.box)
                    again += 1
        return f"; {doubted} word(s) the page's models doubted read again alone with {other}: {again} replaced, " \
            f"read surer" if again else None

    def _recognise(self, image, dpi: int | None, languages: str) -> OcrPage:
        """The page read with ``languages``; a page whose text is far larger than Tesseract reads
        best (see :mod:`textsize`: known from the page's first reading) read at a reduced size,
        its boxes in the page's own pixels."""
        if self._size is None:
            page = self._hocr(image, dpi, languages)
            factor = textsize.reduction(page)
            self._size = (factor, textsize.line_height(page),
                          textsize.reduced(image, factor) if factor else None)
            if factor is None:
                return page
        factor, _height, smaller = self._size
        if factor is None:
            return self._hocr(image, dpi, languages)
        return textsize.scaled_back(self._hocr(smaller, dpi // factor if dpi else None, languages), factor)

    def _hocr(self, image, dpi: int | None, languages: str) -> OcrPage:
        api = self._api(languages)
        api.SetImage(image)
        if dpi:
            api.SetSourceResolution(dpi)
        page_hocr = api.GetHOCRText(0)
        return hocr.parse(f"<html><body>{page_hocr}</body></html>".encode(), self.file_name)[0]


def _polytonic(page: OcrPage) -> bool:
    """Whether a good share of the page's Greek words carry the marks only polytonic Greek has."""
    words = [unicodedata.normalize("NFD", word.text) for line in page.lines for word in line.words
             if any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in word.text)]
    marked = sum(any(ch in POLYTONIC_MARKS for ch in word) for word in words)
    return len(words) >= 20 and marked >= POLYTONIC_SHARE * len(words)


def _script_of_model(model: str) -> str:
    """The script a model reads: its script's (SCRIPT_MODELS), else a language's, whose letters
    are Latin but for the Cyrillic languages'."""
    for script, models in SCRIPT_MODELS.items():
        if model in models and script not in ("HanT", "HanS"):
            return script
    cyrillic = {LANGUAGE_MODELS[language] for language in CYRILLIC_LANGUAGES}
    return "Cyrillic" if model in cyrillic else "Latin"


def _script_of_models(languages: str) -> str | None:
    """Greek or Latin when every model of ``languages`` reads that script, else None."""
    models = set(languages.split("+"))
    if models <= set(SCRIPT_MODELS["Greek"]):
        return "Greek"
    latin = {model for code, model in LANGUAGE_MODELS.items() if code not in ("ru", "uk", "bg", "sr")}
    return "Latin" if models <= latin | set(SCRIPT_MODELS["Latin"]) else None


def _read_alone(tesserocr, api, image, dpi: int | None) -> list[OcrWord]:
    """The words ``api`` reads in ``image`` (a crop of the page), with its confidence in each."""
    api.SetImage(image)
    if dpi:
        api.SetSourceResolution(dpi)
    api.Recognize()
    iterator = api.GetIterator()
    if iterator is None:
        return []
    words = []
    try:
        for word in tesserocr.iterate_level(iterator, tesserocr.RIL.WORD):
            text = word.GetUTF8Text(tesserocr.RIL.WORD)
            if text and text.strip():
                words.append(OcrWord(text.strip(), word.Confidence(tesserocr.RIL.WORD) / 100))
    except RuntimeError:  # tesserocr's word of a crop with no text in it
        return []
    return words


def _in_script(text: str, script: str) -> bool:
    """Two letters or more, all of ``script`` (Greek, or Latin: none Greek), and not a Greek word
    in capitals only (Latin capitals read as the Greek ones that look the same)."""
    letters = [ch for ch in text if ch.isalpha()]
    greek = [ch for ch in letters if "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff"]
    if len(letters) < 2:
        return False
    if script == "Greek":
        return len(greek) == len(letters) and not all(ch.isupper() for ch in letters)
    return not greek


def _rival(words: list[OcrWord]) -> float:
    """How sure a model of the page's script is of its reading of a crop: its surest word's
    confidence, nothing for capitals only (eng read a lowercase τέλος as "TEAOC" at 0.92:
    capitals look alike across the scripts)."""
    letters = [ch for word in words for ch in word.text if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return 0.0
    return max((word.confidence for word in words), default=0.0)


def _capitals(words: list[OcrWord]) -> bool:
    """Mostly capitals: a Latin line in capitals (a title, a head) the Greek model reads as Greek
    capitals that look the same, and is sure of: no evidence of Greek."""
    letters = [ch for word in words for ch in word.text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) > 0.5 * len(letters)


def _line_confidence(line) -> float:
    rated = [word.confidence for word in line.words if word.confidence is not None]
    return sum(rated) / len(rated) if rated else 1.0


def _mean_confidence(page: OcrPage) -> float:
    rated = [word.confidence for line in page.lines for word in line.words if word.confidence is not None]
    return sum(rated) / len(rated) if rated else 0.0


class LanguageChoices:
    """The models chosen for the pages of a script from the language of a page's text, shared by
    a document's recognisers. Open while the pages are read one at a time in document order."""

    def __init__(self):
        self.by_script: dict[str, tuple[str, str]] = {}
        self.open = True
        self.lock = threading.Lock()

    def for_script(self, script: str | None) -> tuple[str, str] | None:
        """The models chosen for a script, and why (None: not chosen yet)."""
        with self.lock:
            return self.by_script.get(script or "")

    def choose(self, script: str, languages: str, how: str) -> None:
        """Record the models a page's language chose for ``script``; the first choice closes the choosing."""
        with self.lock:
            if self.open and script not in self.by_script:
                self.by_script[script] = (languages, how)
                self.open = False

    def close(self) -> None:
        """Take no more choices: the pages still to come keep the models chosen so far."""
        with self.lock:
            self.open = False

    def snapshot(self) -> tuple[tuple[tuple[str, tuple[str, str]], ...], bool]:
        """The choices as data, for a page read in another process (see :mod:`pagework`)."""
        with self.lock:
            return tuple(sorted(self.by_script.items())), self.open

    @classmethod
    def restored(cls, snapshot: tuple) -> LanguageChoices:
        """The choices a :meth:`snapshot` describes."""
        choices = cls()
        choices.by_script, choices.open = dict(snapshot[0]), snapshot[1]
        return choices


class RecogniserPool:
    """Pages read by ``threads`` threads, each with its own Recogniser (an API is not shared
    between threads): Tesseract lets go of Python's lock while it reads, so two threads read
    1.94x the pages of one on two cores (four Grenzboten pages, measured here)."""

    def __init__(self, languages: str | None, file_name: str, threads: int = 1, language_of: LanguageOf | None = None,
                 hint: str | None = None):
        self.languages, self.file_name, self.threads = languages, file_name, max(1, threads)
        self.language_of, self.hint = language_of, hint
        self.choices = LanguageChoices()
        if languages:
            self.choices.close()  # the models are given: nothing to choose
        self.local = threading.local()
        self.recognisers: list[Recogniser] = []
        self.lock = threading.Lock()
        self._recogniser()  # in the calling thread: a missing engine or model is said before any page

    def _recogniser(self) -> Recogniser:
        recogniser = getattr(self.local, "recogniser", None)
        if recogniser is None:
            recogniser = self.local.recogniser = Recogniser(self.languages, self.file_name, self.choices,
                                                            self.language_of, self.hint)
            with self.lock:
                self.recognisers.append(recogniser)
        return recogniser

    def read(self, image, dpi: int | None = None) -> OcrPage:
        """The page read from ``image`` by this thread's recogniser."""
        return self._recogniser().read(image, dpi)

    def map(self, read: Callable, jobs: Iterable) -> Iterator:
        """``read(job)`` for each job, in order; at most two jobs a thread are waiting (each
        holds a decoded page image: a 600-page book is never in memory at once). The first
        pages are read one at a time, until one has chosen the document's models."""
        jobs = iter(jobs)
        for _ in range(PAGES_TO_CHOOSE):
            if not self.choices.open:
                break
            job = next(jobs, None)
            if job is None:
                return
            yield read(job)
        self.choices.close()
        if self.threads == 1:
            yield from map(read, jobs)
            return
        with ThreadPoolExecutor(self.threads) as executor:
            waiting: deque = deque()
            for job in jobs:
                waiting.append(executor.submit(read, job))
                if len(waiting) >= 2 * self.threads:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()

    def __enter__(self) -> RecogniserPool:
        return self

    def __exit__(self, *_exc) -> None:
        for recogniser in self.recognisers:
            recogniser.__exit__()
