"""PDFs, read with PDFium (pypdfium2): a page's text layer when it is real text, otherwise
the page rendered and recognised. A hidden layer (render mode 3, what OCR'd PDFs carry over
their scans) counts only when it reads as text; a page whose hidden layer does not is
recognised, or read from the text it shows. Boxes are given in pixels at RENDER_DPI, the
resolution the pages are rendered at for OCR, whichever way the text was read."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipeline.errors import DocumentError
from pipeline.ingest.plausibility import reads_as_text
from pipeline.ingest.pages.ocrpage import OcrLine, OcrPage, words_of

RENDER_DPI = 300
TEXT_LAYER = "the PDF's text layer (PDFium)"  # the engine of a page whose text the PDF gives
MIN_LETTERS_PER_PAGE = 20  # a text layer with fewer is empty or a stray stamp
MIN_LETTER_SHARE = 0.5  # of the non-space characters: below, the layer is glyph garbage


DECRYPT = "decrypt it first, e.g. qpdf --password=PASSWORD --decrypt in.pdf out.pdf, and give the decrypted copy"


def _open(data: bytes, name: str):
    """The PDF opened; a DocumentError saying what it is when it cannot be read: locked by a
    password, without pages, damaged."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise DocumentError(name, "is a PDF locked with a password: its pages cannot be read", DECRYPT) from None
        if code == raw.FPDF_ERR_SECURITY:
            raise DocumentError(name, "is a PDF encrypted in a way PDFium does not support", DECRYPT) from None
        if _declares_no_pages(data):
            raise DocumentError(name, "is a PDF with no pages (its page tree counts 0)") from None
        raise DocumentError(name, f"is a PDF that cannot be read ({error})") from error
    if len(pdf) == 0:
        pdf.close()
        raise DocumentError(name, "is a PDF with no pages (its page tree counts 0)")
    return pdf


def _declares_no_pages(data: bytes) -> bool:
    """The PDF's page tree says it counts no page, and no page object is to be seen (PDFium
    refuses such a file as a damaged one)."""
    return re.search(rb"/Count\s+0\b", data) is not None and re.search(rb"/Type\s*/Page\b(?!s)", data) is None


def real_text(text: str) -> bool:
    """Whether a page's text layer holds text: letters enough, and most of what it shows."""
    visible = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    return letters >= MIN_LETTERS_PER_PAGE and letters >= MIN_LETTER_SHARE * len(visible)


@dataclass
class Layer:
    """What one page's text layer gives: its lines (``page``), whether they are real text,
    and, when the page's hidden layer (render mode 3) was left out, why."""

    page: OcrPage
    real: bool
    hidden: bool = False  # the text taken is (partly) a hidden layer, as OCR'd PDFs carry
    hidden_refused: str | None = None  # why the hidden layer was left out: it does not read as text
    hidden_characters: int = 0

    @property
    def refused(self) -> bool:
        """A hidden layer was left out and no real text is left: the page is to be recognised."""
        return self.hidden_refused is not None and not self.real


def page_count(data: bytes, name: str) -> int:
    """How many pages the PDF has (a DocumentError saying why when it cannot be read)."""
    pdf = _open(data, name)
    try:
        return len(pdf)
    finally:
        pdf.close()


def text_layers(data: bytes, name: str) -> list[Layer]:
    """Each page's text layer. A hidden layer counts as text only when it reads as text
    (:func:`pipeline.ingest.plausibility.reads_as_text`): otherwise it is taken off the
    page, and what the page shows is what is left."""
    pdf = _open(data, name)
    try:
        return [_layer(pdf[index]) for index in range(len(pdf))]
    finally:
        pdf.close()


def mostly_text(layers: list[Layer]) -> bool:
    """Most pages carry real text: a PDF made from text, whose pages without text are blank
    or pictures, not scans to be recognised."""
    return bool(layers) and sum(layer.real for layer in layers) * 2 > len(layers)


def _layer(page) -> Layer:
    shown, hidden = _texts_by_visibility(page)
    characters = len("".join(hidden.split()))
    why = reads_as_text(hidden) if characters else None
    if why is not None and not _remove_hidden(page):  # in a form PDFium cannot edit: trust nothing of the page's
        width, height = page.get_size()
        return Layer(OcrPage(width=round(width * RENDER_DPI / 72), height=round(height * RENDER_DPI / 72)), False,
                     hidden_refused=why, hidden_characters=characters)
    lines = _text_page(page)
    return Layer(lines, real_text(" ".join(line.text for line in lines.lines)), hidden=bool(characters) and not why,
                 hidden_refused=why, hidden_characters=characters)


def _texts_by_visibility(page) -> tuple[str, str]:
    """(the text the page shows, the text drawn invisibly): PDFium's characters by the render
    mode of the text object each belongs to (the spaces PDFium adds belong to none)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    shown, hidden = [], []
    try:
        for index in range(textpage.count_chars()):
            obj = raw.FPDFText_GetTextObject(textpage, index)
            char = chr(raw.FPDFText_GetUnicode(textpage, index))
            invisible = bool(obj) and raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE
            (hidden if invisible else shown).append(char)
    finally:
        textpage.close()
    return "".join(shown), "".join(hidden)


def _remove_hidden(page) -> bool:
    """Take every text object drawn invisibly off the page (in memory), in forms too; False
    if one could not be."""
    import pypdfium2.raw as raw

    def hidden(obj) -> bool:
        return raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_TEXT \
            and raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE

    def clear(count, get, remove) -> bool:
        removed = True
        for index in reversed(range(count())):
            obj = get(index)
            if hidden(obj):
                if remove(obj):
                    raw.FPDFPageObj_Destroy(obj)
                else:
                    removed = False
            elif raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_FORM:
                removed &= clear(lambda o=obj: raw.FPDFFormObj_CountObjects(o),
                                 lambda i, o=obj: raw.FPDFFormObj_GetObject(o, i),
                                 lambda x, o=obj: raw.FPDFFormObj_RemoveObject(o, x))
        return removed

    return clear(lambda: raw.FPDFPage_CountObjects(page), lambda i: raw.FPDFPage_GetObject(page, i),
                 lambda x: raw.FPDFPage_RemoveObject(page, x))


def _text_page(page) -> OcrPage:
    scale = RENDER_DPI / 72
    width_pt, height_pt = page.get_size()
    textpage = page.get_textpage()
    rows: list[list[float]] = []  # merged line boxes in points: left, bottom, right, top
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        row = next((r for r in rows if min(r[3], top) - max(r[1], bottom) > 0.5 * min(r[3] - r[1], top - bottom)),
                   None)
        if row is None:
            rows.append([left, bottom, right, top])
        else:
            row[:] = [min(row[0], left), min(row[1], bottom), max(row[2], right), max(row[3], top)]
    rows.sort(key=lambda r: (-r[3], r[0]))
    lines = []
    for left, bottom, right, top in rows:
        text = textpage.get_text_bounded(left, bottom, right, top)
        if text.strip():
            box = (round(left * scale), round((height_pt - top) * scale), round(right * scale),
                   round((height_pt - bottom) * scale))
            lines.append(OcrLine(words_of(" ".join(text.split())), box))
    textpage.close()
    return OcrPage(paragraphs=[lines] if lines else [], width=round(width_pt * scale),
                   height=round(height_pt * scale), engine=TEXT_LAYER)


MIN_RENDER_DPI = 100  # coarser, a page's type is too small to recognise


@dataclass
class Rendering:
    """One page rendered (``image`` at ``dpi``), or the one-line reason it was not."""

    number: int  # 1-based
    image: object | None
    dpi: int
    problem: str | None = None


def render_dpi(size_pt: tuple[float, float], dpi: int, max_pixels: int) -> int:
    """``dpi``, or the highest resolution that keeps the page within ``max_pixels``: a page
    declared 200 inches wide, or a scan saved at 72 dpi (Pillow's default), is not rendered
    at gigapixels."""
    inches = max(size_pt[0], 1) / 72 * max(size_pt[1], 1) / 72
    return max(1, min(dpi, int(math.sqrt(max_pixels / inches))))


def rendered_pages(data: bytes, name: str, dpi: int, max_pixels: int, min_dpi: int = MIN_RENDER_DPI,
                   numbers: set[int] | None = None):
    """Each page (or those of 1-based ``numbers``) rendered in grey at ``dpi`` (less where the
    page would exceed ``max_pixels``; a page that would need less than ``min_dpi`` is not
    rendered, said in its Rendering), the PDF opened once for all of them."""
    pdf = _open(data, name)
    try:
        for index in range(len(pdf)):
            if numbers is not None and index + 1 not in numbers:
                continue
            page = pdf[index]
            width, height = page.get_size()
            scaled = render_dpi((width, height), dpi, max_pixels)
            if scaled < min_dpi:
                yield Rendering(index + 1, None, scaled, (
                    f"a page of {width / 72:,.0f} × {height / 72:,.0f} inches is "
                    f"{round(width * dpi / 72):,} × {round(height * dpi / 72):,} pixels at {dpi} dpi; within "
                    f"max_render_pixels ({max_pixels / 1e6:,.0f} megapixels) only {scaled} dpi, too coarse to read; "
                    "not rendered (raise max_render_pixels to read it)"))
                continue
            yield Rendering(index + 1, page.render(scale=scaled / 72, grayscale=True).to_pil(), scaled,
                            None if scaled == dpi else f"rendered at {scaled} dpi, not {dpi}, to stay within "
                                                       f"max_render_pixels ({max_pixels / 1e6:,.0f} megapixels)")
    finally:
        pdf.close()


def document_title(data: bytes, name: str) -> str | None:
    """The title the PDF's document information gives, when it names something: not empty,
    not the file's own name, with a word in it."""
    pdf = _open(data, name)
    try:
        title = " ".join((pdf.get_metadata_dict().get("Title") or "").split())
    finally:
        pdf.close()
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not title or title in (name, stem) or title.lower() in ("untitled", "title") \
            or not any(c.isalpha() for c in title):
        return None
    return title
