"""Page readers: what OCR engines write (hOCR, ALTO, PAGE, ABBYY FineReader XML), page
images (through Tesseract) and PDFs become pages of lines with their boxes
(:mod:`pipeline.ingest.pages.ocrpage`), and the pages one document
(:mod:`pipeline.ingest.pages.compose`) whose text the stages repair like any other, with
its facsimile beside it.
"""
