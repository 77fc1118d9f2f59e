"""Measure an edition (or an OCR engine's own output) against ground truth, page by page.

For archivists checking a sample of pages before they trust a run, and for the project's
benchmarks. Usable without Prefect; ``python flows.py evaluate EDITION GROUND_TRUTH…`` is
its command line.

The API::

    from pipeline.evaluation import Options, evaluate, read_source
    edition = read_source([Path("output/book.tei.xml")])          # -> Source(pages, formats, unreadable)
    truth = read_source([Path("corpora/grenzboten-1841/gt")])      # a folder or files
    result = evaluate(edition.pages, truth.pages, Options())       # -> Evaluation
    result.text.characters.rate      # CER over all pages: summed distances / summed lengths
    for page in result.pages:        # PageResult: truth, edition (labels), text, main, furniture
        page.text.characters.errors, page.text.words.rate, page.text.bag_of_words.rate

Both sides are read by the same readers (:mod:`.readers`): an edition of ours or another
TEI edition (its reading text by default: corrections and regularizations applied; page
furniture ``fw`` and marginal notes kept apart by class), PAGE or ALTO XML (region types,
tags: furniture where marked), hOCR and ABBYY XML (through the pipeline's page readers),
plain text (one file per page, ``<stem>.gt.txt``, or pages parted by form feeds).

Pages are paired by file name (a ground-truth file's stems against the files an edition's
pages link to, or the files the other side's pages came from), else in order; where one side
has no pages at all it is compared with the other's pages joined. ``Evaluation`` says how,
and lists the pages without a partner. Our editions name a page's file only where they link
its image (``surface/graphic``; a ``surface/@source`` would be read too): pages between two
pages so paired are paired in order where both sides have as many; a caller that knows
which file each page came from may set ``Page.keys`` itself before calling ``evaluate``.

Measures (:mod:`.metrics`): CER on extended grapheme clusters (as dinglehopper counts them)
and WER on Unicode words, both by Levenshtein distance; a bag-of-words error (order aside: a
word missing and one too many are one error) that tells reading-order mistakes from
misreadings. ``Measures.text`` compares everything on the page, furniture where it stands;
where the ground truth marks furniture also ``main`` (running text only) and, per furniture
class, precision and recall (an item is found when an item of that class on the paired page
has at least half its characters right; a page number also by the ``pb/@n`` the edition
inferred) and the CER of its text. ``Options``: Unicode NFC (or NFKC, none), whitespace
collapsed (or ignored, kept), line-end hyphens joined on both sides (or kept), the edition's
reading or diplomatic text; ``Options.describe()`` states them.

Reports (:mod:`.report`, :mod:`.html`): ``table()``, ``to_json()``, ``to_html()``.
"""

from pipeline.evaluation.compare import Evaluation, FurnitureResult, PageResult, evaluate
from pipeline.evaluation.metrics import Counts, Measures, Options
from pipeline.evaluation.pages import Page, Segment
from pipeline.evaluation.readers import Source, UnreadableInput, read_source

__all__ = ["Counts", "Evaluation", "FurnitureResult", "Measures", "Options", "Page", "PageResult", "Segment",
           "Source", "UnreadableInput", "evaluate", "read_source"]
