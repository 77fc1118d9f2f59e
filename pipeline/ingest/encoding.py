"""Turn a file's bytes into text, saying which encoding was used and how sure we are.

Byte-order marks are believed. Otherwise every supported encoding decodes a sample and
:func:`pipeline.ingest.plausibility.plausibility` judges the results: the winner is the decoding
that reads most like human writing, not the first guess of a statistical detector (both
chardet and charset-normalizer misread short CJK texts and English saved as GB18030).
Invalid bytes inside otherwise good text are kept (as lone surrogates, ``surrogateescape``)
so that ingest records them as edits instead of failing the document.
"""

from __future__ import annotations

import codecs
import functools
import heapq
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipeline.errors import DocumentError
from pipeline.model import EncodingGuess
from pipeline.ingest.badness import BadnessCount, suspect_count
from pipeline.ingest.plausibility import Plausibility, case_mark, marks_penalty, plausibility

# Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# Candidates without a BOM: (decoder, narrower labels), in order of preference on a tie.
# A family is decoded with its widest member (GB18030's mapping is the standard one; GB2312
# maps A1AA to U+2015 where GBK and GB18030 give the em dash U+2014) and labelled with the
# narrowest member that reads the sample identically.
CANDIDATES: list[tuple[str, tuple[str, ...]]] = [
    ("utf-8", ()), ("gb18030", ("gb2312", "gbk")), ("big5hkscs", ("big5",)), ("cp932", ("shift_jis",)),
    ("cp949", ("euc-kr",)), ("cp1252", ()), ("latin-1", ()), ("utf-16-le", ()), ("utf-16-be", ()),
    ("cp1253", ("iso8859-7",)), ("cp1251", ()), ("koi8-r", ()),
]
# Greek and Cyrillic code pages: a text in one of them reads as letters in all of them (and
# as accented Latin in cp1252); plausibility tells them apart by letters out of place.
# Valid multi-byte UTF-8 wins whatever they score: they are not tried against it.
ALPHABET_CODE_PAGES = ("cp1253", "cp1251", "koi8-r")
SINGLE_BYTE = ("cp1252", "latin-1") + ALPHABET_CODE_PAGES
SAMPLE_BYTES = 32 * 1024
# A doubtful decoding: its plausibility is low, or the runner-up is nearly as plausible.
DOUBTFUL_SCORE = 0.5
DOUBTFUL_MARGIN = 0.05

# C0 controls that text does not use (tab, newlines, form feed and escape are plausible in text).
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))


# What a file no reader takes may be (PDFs and images have readers: a damaged one says so).
_SIGNATURES = ((b"PK\x03\x04", "a ZIP archive, or a Word or OpenDocument file: export it as text"),
               (b"\x7fELF", "a program"), (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
               (b"%PDF", "a PDF"), (b"\x89PNG", "an image"), (b"\xff\xd8\xff", "an image"), (b"GIF8", "an image"))


def looks_binary(data: bytes) -> str | None:
    """Say why ``data`` is not text at all, or None. Checked on a sample, before decoding."""
    sample = data[:65536]
    if not sample:
        return None
    for signature, what in _SIGNATURES:
        if sample.startswith(signature):
            return f"a binary file ({what})"
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return None
    nul_share = sample.count(0) / len(sample)
    if nul_share > 0.3:
        return None if _plausible_utf16_without_bom(sample) else f"a binary file ({nul_share:.0%} NUL bytes)"
    control_share = (len(sample) - len(sample.translate(None, _BINARY_CONTROLS))) / len(sample)  # one pass
    if control_share > 0.08 and _reads_as_utf16_text(sample):
        return None  # CJK in UTF-16 without a mark: its code units are full of low bytes
    if control_share > 0.08:  # text with a few stray controls is salvageable; this is not text
        return f"a binary file ({control_share:.0%} control bytes)"
    return None


def _reads_as_utf16_text(sample: bytes) -> bool:
    """Whether the bytes, read as UTF-16 (either byte order), are plausible text with hardly
    any control character: tried before calling a file binary for its control bytes."""
    even = sample[: len(sample) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        text = even.decode(codec, errors="replace")
        controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t")
        if text.count("\ufffd") <= 2 and controls <= 0.01 * len(text) and plausibility(text) >= 0.5:
            return True
    return False


def _plausible_utf16_without_bom(sample: bytes) -> bool:
    """UTF-16 text has its NUL bytes almost all on one parity (Latin text) — binary does not."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return max(even, odd) > 0.9 * (even + odd)


@dataclass(frozen=True)
class Candidate:
    """One encoding tried on the sample, with how plausible the text it gives is."""
    encoding: str  # the label: the narrowest encoding that reads the sample this way
    decoder: str  # the codec that decodes the whole file
    score: float
    invalid: int  # characters of the sample the encoding could not decode
    text: str = field(repr=False, compare=False, default="")  # the decoded sample


def _sample(data: bytes) -> bytes:
    """The first bytes, cut after a line end so that no multi-byte character is split."""
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
    return data[: cut + 1] if cut > SAMPLE_BYTES // 2 else data[:SAMPLE_BYTES]


class _Reading:
    """One encoding's reading of the sample, scored in steps: a bound without ftfy's badness
    (see ``Plausibility``), tighter bounds as badness is counted a stretch at a time, the score
    last; each step only when the ranking needs it."""

    def __init__(self, sample: bytes, decoder: str, labels: tuple[str, ...], text: str, invalid: int, rank: int):
        self.sample, self.decoder, self.labels, self.text, self.invalid, self.rank = (
            sample, decoder, labels, text, invalid, rank)
        # a single-byte reading's characters and damage are counted in its bytes
        self.code_page = (sample, _code_page(decoder)) if decoder in SINGLE_BYTE else None
        self.plausibility = Plausibility(text, code_page=self.code_page)
        self.damage = 1 - min(1.0, 20 * invalid / max(1, len(text)))
        # What a single-byte reading loses for its letters out of place: read off the bytes
        # (one character a byte) when the reading first needs refining; 0 for the others, and
        # for a code page without Greek or Cyrillic letters (cp1252, Latin-1: nothing to count).
        self.penalty: float | None = None if _has_case_marks(decoder) else 0.0
        self.bound = self._less_penalty(self.plausibility.bound())
        self.score: float | None = 0.0 if self.bound == 0.0 else None  # once scored (never above the bound)
        self._badness: BadnessCount | None = None

    def _less_penalty(self, plausibility: float) -> float:
        """The score of the reading, given its plausibility (or a bound of it: a bound of the
        score; so too before the penalty is known)."""
        score = plausibility * self.damage
        return max(0.0, score - self.penalty) if self.penalty else score

    def _read_penalty(self) -> None:
        marks = self.sample.translate(_case_marks(self.decoder)).decode("ascii")
        self.penalty = marks_penalty(marks)

    def label(self) -> str:
        """The narrowest encoding that reads the sample this way: only asked of readings ranked."""
        return next((name for name in self.labels if _reads_as(self.sample, name, self.text)), self.decoder)

    def key(self) -> tuple[float, int]:
        """The ranking's key: of the score once scored, of the bound before (never after it)."""
        return (-round(self.bound if self.score is None else self.score, 3), self.rank)

    def refine(self, rival: tuple[float, int] | None) -> None:
        """One step: a single-byte reading's penalty read; the C1 controls counted (a bound of
        badness without searching); the text searched for mojibake until enough is found to
        rank the reading after ``rival`` (the key of the reading next in line; None: until the
        end); the score once all is found. Once the bound is 0, the score is 0 (never below)."""
        plausibility = self.plausibility
        if self.penalty is None:  # the cheapest step first
            self._read_penalty()
            self.bound = self._less_penalty(plausibility.bound())
            if self.bound == 0.0:
                self.score = 0.0
        elif plausibility.needs_badness() and (self._badness is None or not self._badness.done):
            if self._badness is None:
                self._badness = BadnessCount(self.text, self.code_page, plausibility.codes)
                found = self._badness.at_least()
            else:
                found = self._badness.count_to(None, self._enough(rival))
            self.bound = self._less_penalty(plausibility.score(found))
            if self.bound == 0.0:
                self.score = 0.0
        else:
            self.score = self._full_score()

    def _enough(self, rival: tuple[float, int] | None) -> float:
        """How many mojibake-looking sequences bring the bound below ``rival``'s score (at the
        rounding of the key; None: to 0), or the plausibility to 0, whichever is fewer. If the
        count falls short by a rounding, the next step counts on: only keys are compared."""
        plausibility = self.plausibility
        zeroing = plausibility.zeroing_badness()
        scale = plausibility.latin_factor * self.damage
        if scale <= 0:
            return zeroing
        below = 0.0 if rival is None else -rival[0] - 0.0005  # below it, the bound rounds below the rival's
        needed = plausibility.total * (plausibility.before_badness - (below + (self.penalty or 0.0)) / scale)
        return min(zeroing, max(self._badness.found + 1, math.floor(needed) + 1))

    def _full_score(self) -> float:
        if self.penalty is None:
            self._read_penalty()
        found = self._badness.count_to() if self._badness else None
        return self._less_penalty(self.plausibility.score(found))

    def candidate(self) -> Candidate:
        """The reading as ranked, scored in full first if it is not yet."""
        if self.score is None:
            self.score = self._full_score()
        return Candidate(self.label(), self.decoder, self.score, self.invalid, self.text)


def _reading(sample: bytes, decoder: str, labels: tuple[str, ...], rank: int) -> _Reading | None:
    limit = max(2, len(sample) // 200)  # more than a few damaged bytes: not this encoding
    try:
        text, invalid = _decode_counting(sample, decoder, limit)
    except _TooDamaged:
        return None
    return _Reading(sample, decoder, labels, text, invalid, rank)


@functools.cache
def _has_case_marks(decoder: str) -> bool:
    """Whether a single-byte code page has Greek or Cyrillic letters, the letters
    marks_penalty() counts (without them, it is 0 whatever the text)."""
    return decoder in SINGLE_BYTE and any(mark in _case_marks(decoder) for mark in (b"l", b"U", b"f"))


@functools.cache
def _case_marks(decoder: str) -> bytes:
    """A bytes.translate table: each byte's case mark (see ``case_mark``) in a single-byte code page."""
    return "".join(map(case_mark, _code_page(decoder))).encode("ascii")


class _TooDamaged(Exception):
    pass


_damage = threading.local()  # the decoding in progress on this thread: its damaged bytes so far, its limit


def _replace_counting(error: UnicodeDecodeError) -> tuple[str, int]:
    """As the "replace" error handler (U+FFFD, then on after the damage), counting; stops the
    decoding once past the limit: the rest of a reading that is not this encoding is not needed."""
    _damage.count += 1
    if _damage.count > _damage.limit:
        raise _TooDamaged
    return "\ufffd", error.end


codecs.register_error("scan2tei-replace-counting", _replace_counting)


# Decoders whose "replace" is done inside the codec (no handler called for each damaged
# stretch): UTF-8 and the CJK codecs. Each damaged stretch is one U+FFFD, as with the handler.
_REPLACING_IN_C = ("utf-8", "gb18030", "big5hkscs", "cp932", "cp949")


def _decode_counting(sample: bytes, decoder: str, limit: int) -> tuple[str, int]:
    """The sample decoded as with errors="replace", and the number of damaged stretches (raise
    _TooDamaged past ``limit``)."""
    if decoder in SINGLE_BYTE:
        # A byte the code page leaves undefined is a damaged stretch of its own (the codec calls
        # the handler once for each, side by side or not): counted in C, before decoding.
        undefined = _undefined_bytes(decoder)
        invalid = len(sample) - len(sample.translate(None, undefined)) if undefined else 0
        if invalid > limit:
            raise _TooDamaged
        return sample.decode(decoder, errors="replace"), invalid
    own = _own_replacement(decoder)
    if decoder in _REPLACING_IN_C and (own is None or own not in sample):
        # Every U+FFFD is then a damaged stretch: counted in the text, a stretch of bytes at a
        # time, to stop once past the limit. An incremental decoder reads the stretches as one
        # decoding reads the whole (a character cut at a stretch's end waits for the next).
        decoding = codecs.getincrementaldecoder(decoder)(errors="replace")
        parts, invalid = [], 0
        for start in range(0, len(sample), DAMAGE_STRETCH):
            part = decoding.decode(sample[start:start + DAMAGE_STRETCH], final=start + DAMAGE_STRETCH >= len(sample))
            invalid += part.count("\ufffd")
            if invalid > limit:
                raise _TooDamaged
            parts.append(part)
        return "".join(parts), invalid
    _damage.count, _damage.limit = 0, limit
    return sample.decode(decoder, errors="scan2tei-replace-counting"), _damage.count


DAMAGE_STRETCH = 1024  # bytes decoded at a time while damage is counted (a wrong reading stops sooner)


@functools.cache
def _undefined_bytes(decoder: str) -> bytes:
    """The bytes a single-byte code page leaves undefined."""
    return bytes(byte for byte, ch in enumerate(_code_page(decoder)) if ch == "\ufffd")


@functools.cache
def _own_replacement(decoder: str) -> bytes | None:
    """The bytes that read as U+FFFD itself in ``decoder``, if any (of the CJK code pages, only
    GB18030 has it; no other bytes read as it in any of them)."""
    try:
        return "\ufffd".encode(decoder)
    except UnicodeEncodeError:
        return None


@functools.cache
def _code_page(decoder: str) -> str:
    """The character each byte stands for in a single-byte code page (U+FFFD where it has none)."""
    return bytes(range(256)).decode(decoder, errors="replace")


def _reads_as(sample: bytes, encoding: str, text: str) -> bool:
    try:
        return sample.decode(encoding) == text
    except UnicodeDecodeError:
        return False


def _multibyte_utf8(sample: bytes) -> str | None:
    """The sample read as UTF-8 if it is valid UTF-8 with characters beyond ASCII (hardly ever
    an accident), else None."""
    if sample.isascii():
        return None
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError:
        return None


def ranked_candidates(data: bytes, without: str | None = None) -> Iterator[Candidate]:
    """Every supported encoding that decodes the sample (but the decoder ``without``), most
    plausible first (ties in the order of CANDIDATES). Lazily: a reading is scored in full only
    once its bound could put it next."""
    sample = _sample(data)
    return _ranked(sample, len(data) % 2 == 1, _multibyte_utf8(sample) is not None, without)


def _ranked(sample: bytes, odd: bool, utf8: bool, without: str | None) -> Iterator[Candidate]:
    """ranked_candidates() of the sample of a file of an ``odd`` length, ``utf8`` if it is valid
    multi-byte UTF-8."""
    sample16 = sample[:-1] if len(sample) % 2 else sample  # an odd sample of an even file: cut inside a code unit
    tried = [(rank, decoder, labels) for rank, (decoder, labels) in enumerate(CANDIDATES)
             if decoder != without and not (decoder.startswith("utf-16") and odd)
             and not (utf8 and decoder in ALPHABET_CODE_PAGES)]
    readings = [_reading(sample16 if decoder.startswith("utf-16") else sample, decoder, labels, rank)
                for rank, decoder, labels in tried]
    # A heap by the ranking's key. A reading's score is at most its bound, so the first reading
    # is next once it is scored; until then its bound is tightened and it goes back in line.
    heap = [(reading.key(), reading) for reading in readings if reading]
    heapq.heapify(heap)
    while heap:
        _key, reading = heap[0]
        if reading.score is not None:
            heapq.heappop(heap)
            yield reading.candidate()
        else:
            rival = min((heap[child][0] for child in (1, 2) if child < len(heap)), default=None)
            reading.refine(rival)
            heapq.heapreplace(heap, (reading.key(), reading))


def decode(data: bytes, file_name: str) -> tuple[str, EncodingGuess]:
    """Decode ``data``; raise :class:`DocumentError` when no supported encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_all(data[len(bom):], encoding, file_name), EncodingGuess(
                encoding=encoding, confidence=1.0, bom=True)
    if data.isascii() and b"\x00" not in data:  # NULs: ASCII text in UTF-16
        return data.decode("ascii"), EncodingGuess(encoding="utf-8", confidence=1.0)
    sample = _sample(data)
    utf8 = _multibyte_utf8(sample)
    odd = len(data) % 2 == 1
    if utf8 is not None and b"\x00" not in sample:  # NULs: UTF-16 without a mark
        # Valid multi-byte UTF-8 by accident is vanishingly rare; a misreading that was then
        # saved as UTF-8 is the mojibake stage's job, not the decoder's. The other readings
        # are ranked only for the runner-up the header names.
        others = _ranked(sample, odd, True, "utf-8")
        runner_up = next((c for c in others if c.text != utf8), None)
        confidence = _utf8_confidence(_Reading(sample, "utf-8", (), utf8, 0, 0), runner_up)
        guess = _guess("utf-8", confidence, runner_up)
        return utf8 if len(sample) == len(data) else _decode_all(data, "utf-8", file_name), guess
    others = _ranked(sample, odd, utf8 is not None, None)
    best = next(others, None)
    if best is None:
        raise DocumentError(file_name, "cannot be decoded in any supported encoding",
                            "convert it to UTF-8, or report its encoding so it can be added")
    # The runner-up is the best reading that differs: cp1252 and Latin-1 often read alike.
    runner_up = next((c for c in others if c.text != best.text), None)
    guess = _guess(best.encoding, _confidence(best.score, runner_up), runner_up)
    if len(sample) == len(data) and not best.invalid:  # the whole file, read without an error: as decoded
        return best.text, guess
    return _decode_all(data, best.decoder, file_name), guess


def _confidence(score: float, runner_up: Candidate | None) -> float:
    """How sure a reading of this score is, against the runner-up: 0..1."""
    margin = score - runner_up.score if runner_up else score
    return round(max(0.0, min(1.0, score * (0.5 + 5 * margin))), 2)


def _utf8_confidence(reading: _Reading, runner_up: Candidate | None) -> float:
    """The confidence in valid multi-byte UTF-8: 0.99 at least. It never falls as the score
    rises, and the score lies between the reading's bound and its plausibility with as many
    mojibake-looking sequences as suspect characters (each sequence holds one): where the two
    give the same confidence, ftfy's pattern is not searched for."""
    plausibility = reading.plausibility
    highest = max(_confidence(plausibility.bound(), runner_up), 0.99)
    if plausibility.needs_badness():
        lowest = max(_confidence(plausibility.score(suspect_count(reading.text, plausibility.codes)), runner_up), 0.99)
        if lowest != highest:
            return max(_confidence(reading.candidate().score, runner_up), 0.99)
    return highest


def _guess(encoding: str, confidence: float, runner_up: Candidate | None) -> EncodingGuess:
    return EncodingGuess(encoding=encoding, confidence=confidence, runner_up=runner_up.encoding if runner_up else None,
                         runner_up_confidence=round(runner_up.score, 2) if runner_up else None)


def is_doubtful(guess: EncodingGuess) -> bool:
    """Whether the encoding was chosen on too little evidence to be trusted without a warning."""
    return guess.confidence < DOUBTFUL_SCORE


def _decode_all(data: bytes, encoding: str, file_name: str) -> str:
    """Decode everything; bytes that do not decode become lone surrogates (recorded later).
    UTF-16/32 keep lone surrogates of their own as they are, for the same reason."""
    errors = "surrogatepass" if encoding.startswith("utf-16") or encoding.startswith("utf-32") else "surrogateescape"
    try:
        return data.decode(encoding, errors=errors)
    except UnicodeDecodeError as error:  # surrogatepass does not cover truncated code units
        raise DocumentError(file_name, f"is not valid {encoding} (byte {error.start}: {error.reason})",
                            "check how the file was exported") from error
