"""Line numbers printed in the margin: every fifth (third, tenth …) line of a critical
edition or a poem, beside the line (OCR glues them to its end or start) or on a line of their
own (a text export writes the margin's column apart).

They are told from page numbers by their own evidence: a page number grows by one a page, a
line number grows with the lines it counts. Where the OCR kept a line's text whole, a number
``v`` beside line ``i`` and one ``w`` beside line ``j`` of the same margin differ as the lines
do (``w - v == j - i``); numbers on lines of their own grow by their step (5) at about one
line of text a unit, or all at once where the margin's column was written as a block. Runs of
such numbers (restarting on every page or running on) are line numbers; where a run says a
number must stand and the OCR garbled it (``ιο``, ``2o``, ``l5``, ``ao``), the short token
there is read as that number, if the document does not use it as a word.

On page images the geometry has already set the margins' words apart (:mod:`pipeline.ingest.pages.asides`)
and written them at the start of the line they stand beside: there a line's margin candidates are those
pieces, left or right of it, and its own words begin after them. Where the OCR gave line boxes
only (:mod:`pipeline.stages.pageedges.protrusions`), the pieces whose boxes stand out into the
margin are candidates: every fifth (tenth) line at the same lines of page after page, and some of
them read as the count says, they are the numbers.

A line number is never a page number: the page rules skip the lines found here.
"""

from __future__ import annotations

import bisect
import re
from math import gcd
from collections import Counter
from dataclasses import dataclass

from pipeline.stages.textshape import OCR_DIGITS
from pipeline.stages.pageedges.lines import Line, lines_with
from pipeline.stages.pageedges.lines import joined as lines_joined

# OCR's confusions of digits with letters, also with Greek ones (a Greek model reads a Latin
# margin's 10 as ιο, 20 as πο or 2ο)
NUMBER_LOOKALIKES = str.maketrans({**{chr(k): v for k, v in OCR_DIGITS.items()},
                                   "ι": "1", "ί": "1", "Ι": "1", "ο": "0", "Ο": "0", "ό": "0", "σ": "6"})
EDGE_PUNCTUATION = "·.,;:'’‘`\"»«„“”*()[]{}<>|-—_~^°"
# a margin's number the OCR glued to the line's first or last word, a stop at most between them
GLUED = {"left": re.compile(r"^(?P<digits>\d{1,3})[·.,'’]?[^\W\d_]{2,}$"),
         "right": re.compile(r"^[^\W\d_]{2,}[·.,'’]?(?P<digits>\d{1,3})$")}
PIECE_MAX = 3  # characters of a margin's piece that may be a number the OCR garbled beyond its lookalikes (w, ac)
MIN_STEP = 3  # printed every 3rd, 4th, 5th, 10th line: a list numbered line by line is no margin
MAX_GAP_STEPS = 3  # a run goes on over two numbers the OCR lost
MIN_RUN = 3  # numbers a run needs (garbled ones found where it says included)
MIN_READ = 2  # ... of which read as numbers
PAGES_AGREEING = 3  # pages whose runs restart at one line of the page: the book numbers each page's lines
AGREEING_SHARE = 0.75  # ... of the runs read on one page each
HEAD_SHIFTS = (0, -1, 1, -2, 2)  # lines a page's head may have gained or lost in the OCR
RARE_WORD = 3  # a token the document uses inside its lines this often at most is no word of its own,
LINES_PER_USE = 100  # ... nor, in a long book, once in so many lines (OCR's debris recurs: s, ao)


@dataclass(frozen=True)
class LineNumber:
    """A line number printed in the margin (5, 10, …), where it stands in the text."""
    start: int  # the number's characters in the document's text
    end: int
    value: int
    exact: bool  # the OCR read it as printed (else the value is the one its place in the run gives)
    alone: bool  # on a line of its own (else glued to a line of text)


@dataclass(frozen=True)
class MarginPiece:
    """What a page image shows in a margin beside a line, written at the line's start."""
    start: int
    end: int
    side: str  # "left" or "right" of the text block


@dataclass(frozen=True)
class _Token:
    line: int  # index among the text's lines
    start: int
    end: int
    text: str
    alone: bool
    piece: bool = False  # a piece of the margin the page image set apart (no word of the line)
    glued: bool = False  # digits the OCR glued to the line's first or last word (25·derata)


def _edge_token(line: Line, place: str, pieces: dict[str, MarginPiece] | None = None, index: int = -1) -> _Token | None:
    """The first ("left") or last ("right") word of a line of text, or a whole short line
    ("alone"), trimmed of the punctuation OCR scatters around a margin's number; where the page
    image set the margin's pieces apart, the piece on that side (and the line's own words after
    the pieces). ``index``: the line's among the text's lines."""
    if not pieces and place != "alone":
        return _word_token(line, place == "left", index)  # most lines: the same token, sooner
    return _any_token(line, place, pieces, index)


def _any_token(line: Line, place: str, pieces: dict[str, MarginPiece] | None, index: int) -> _Token | None:
    """:func:`_edge_token` of any line, the margin's pieces or not."""
    text = line.text
    if pieces and place in pieces:
        start, end = pieces[place].start - line.start, pieces[place].end - line.start
        words = list(re.finditer(r"\S+", text[start:end]))
        if len(words) > 1:  # the margin's number and specks beside it: the word nearest the text
            word = words[-1] if place == "left" else words[0]
            start, end = start + word.start(), start + word.end()
    elif place == "alone":
        start, end = 0, len(text)
    else:
        own = max((piece.end - line.start for piece in pieces.values()), default=0) if pieces else 0
        rest = text[own:]  # split at the same whitespace as \S+, without a match object per word
        if place == "left":
            words = rest.split(None, 1)
            start = own + len(rest) - len(rest.lstrip())
            end = start + len(words[0]) if words else start
        else:
            words = rest.rsplit(None, 1)
            end = own + len(rest.rstrip())
            start = end - len(words[-1]) if words else end
        if len(words) < 2:
            return None
    while start < end and (text[start] in EDGE_PUNCTUATION or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in EDGE_PUNCTUATION or text[end - 1].isspace()):
        end -= 1
    core = text[start:end]
    if place != "alone" and not (pieces and place in pieces) and (glued := GLUED[place].match(core)):
        digits = glued.span("digits")
        return _Token(index, line.start + start + digits[0], line.start + start + digits[1], glued["digits"], False,
                      glued=True)
    if not 1 <= len(core) <= 4 or " " in core:
        return None
    return _Token(index, line.start + start, line.start + end, core, place == "alone",
                  piece=bool(pieces) and place in pieces)


def _word_token(line: Line, left: bool, index: int) -> _Token | None:
    """:func:`_edge_token` of a line without the margin's pieces: its first or last word (of
    two at least), trimmed, where it is short or digits stand at its edge (glued to a word)."""
    text = line.text
    words = text.split(None, 1) if left else text.rsplit(None, 1)
    if len(words) < 2:
        return None
    word = words[0] if left else words[1]
    core = word.strip(EDGE_PUNCTUATION)  # (no whitespace in a word to trim)
    if not core or len(core) > 4 and not core[0 if left else -1].isdecimal():
        return None  # most lines' words: no number, nor digits glued at its edge
    start = (len(text) - len(text.lstrip()) if left else len(text.rstrip()) - len(word)) \
        + len(word) - len(word.lstrip(EDGE_PUNCTUATION))
    if glued := GLUED["left" if left else "right"].match(core):
        digits = glued.span("digits")
        return _Token(index, line.start + start + digits[0], line.start + start + digits[1], glued["digits"], False,
                      glued=True)
    if len(core) > 4:
        return None
    return _Token(index, line.start + start, line.start + start + len(core), core, False)


def _value(token: str, vocabulary: _Vocabulary) -> int | None:
    """The number a token reads as: as printed, or with OCR's lookalikes (ιο) if the document does
    not use the token as a word."""
    if token.isascii() and token.isdecimal():
        return int(token)
    read = token.translate(NUMBER_LOOKALIKES)
    return int(read) if read.isascii() and read.isdecimal() and token.lower() not in vocabulary else None


def _looks_numeric(token: str) -> bool:
    """A garbled number: digits or their lookalikes in it (ιο, ao, «s, l5), not a word of letters alone
    longer than a number."""
    read = token.translate(NUMBER_LOOKALIKES)
    return 2 * sum(map(str.isdigit, read)) >= len(read) and len(token) <= 3


def line_numbers(lines: list[Line], pieces: list[MarginPiece] = (), page_starts: list[int] = (),
                 protruding: list[MarginPiece] = (), together: tuple[str, list[int]] | None = None,
                 with_decimal: list[int] | None = None) -> list[LineNumber]:
    """The margin's line numbers among the text's lines (see the module's docstring); ``pieces``:
    the margins' words the page images set apart, if any; ``page_starts``: where the page
    images' pages start (else the page marks of the text say it); ``protruding``: the pieces
    at lines' edges whose boxes stand out into the margin, where the OCR gave no word boxes;
    ``together``: the lines joined (:func:`lines.joined`), and ``with_decimal`` the lines that hold
    a decimal digit of any script (:func:`lines.decimal_lines`), where the caller has them."""
    beside = _pieces_by_line(lines, pieces)
    vocabulary = _Vocabulary(lines, beside)
    found: dict[int, LineNumber] = {}
    alone_lines = {i for i, line in enumerate(lines) if len(line.text) <= 6
                   and (t := _edge_token(line, "alone")) is not None and _looks_numeric(t.text)}
    # a line's place among the lines of text: numbers on lines of their own are not counted
    text_index, count = [], 0
    for i in range(len(lines)):
        text_index.append(count)
        count += i not in alone_lines
    candidates: dict[str, dict[int, _Token]] = {}
    runs: list[tuple[str, list[tuple[int, LineNumber]]]] = []
    unread: dict[str, set[int]] = {}  # a margin without a run, read only if the others' runs need it
    joined = together or lines_joined(lines)
    # (the lines with an ASCII digit are among those with a decimal digit: only these are searched again)
    digit_lines = ([] if beside else lines_with(DIGIT, joined) if with_decimal is None
                   else [i for i in with_decimal if DIGIT.search(lines[i].text)])
    for place in ("right", "left", "alone"):
        if place != "alone" and not beside \
                and _no_run_beside(lines, place, text_index, alone_lines, found, digit_lines, joined):
            unread[place] = set(found)  # (the lines its tokens leave out)
            continue
        tokens = candidates[place] = _tokens(lines, place, beside, alone_lines, found)
        for run in _runs(tokens, text_index, place == "alone", vocabulary):
            if numbers := _fill(run, tokens, text_index, vocabulary, place == "alone"):
                runs.append((place, numbers))
                found.update(numbers)
    if not runs and not protruding:
        return sorted(found.values(), key=lambda number: number.start)  # (no run: no page's count to follow)
    for place, left_out in unread.items():
        candidates[place] = _tokens(lines, place, beside, alone_lines, left_out)
    places = _places_on_pages(lines, text_index, page_starts)
    found.update(_by_the_pages_count(runs, candidates, found, places, vocabulary))
    if protruding:
        found.update(_by_protrusions(lines, protruding, places, found, vocabulary))
    return sorted(found.values(), key=lambda number: number.start)


def _tokens(lines: list[Line], place: str, beside: dict[int, dict[str, MarginPiece]], alone_lines: set[int],
            left_out) -> dict[int, _Token]:
    """The tokens at one place of the lines ("alone": the lines of their own), by line, but
    those ``left_out`` (lines whose number another margin's run holds)."""
    return {i: token for i, line in enumerate(lines)
            if (place == "alone") == (i in alone_lines) and i not in left_out
            and (token := _edge_token(line, place, beside.get(i), i)) is not None}


REACH = MAX_GAP_STEPS * 10  # lines of text between two numbers of a run at most (_follows)
_E = re.escape(EDGE_PUNCTUATION)
_D = "0-9" + re.escape("".join(map(chr, NUMBER_LOOKALIKES)))  # digits and their lookalikes
# a line's first word (its last, the line read backwards) that may be a number, or its lookalikes
READ_FIRST = re.compile(rf"\s*[{_E}]*[{_D}]{{1,4}}[{_E}]*\s")
DIGIT = re.compile("[0-9]")


# READ_FIRST at a line's start in the lines joined by newlines (a newline before the first): the
# newline that begins the line, where the line's spaces, a number and a space follow (its spaces
# kept inside the line, so that it matches before every line READ_FIRST matches, and a few more, whose
# word the newline ends: :func:`_read_first_lines` asks READ_FIRST of each)
READ_FIRST_JOINED = re.compile(rf"\n(?=[^\S\n]*[{_E}]*[{_D}]{{1,4}}[{_E}]*\s)")


def _read_first_lines(lines: list[Line], place: str, joined: tuple[str, list[int]]) -> list[int]:
    """The lines whose first ("left") or last ("right") word READ_FIRST may read as a number,
    found in one scan of the joined text (read backwards for the last words)."""
    text, starts = joined
    found = []
    if place == "left":
        for match in READ_FIRST_JOINED.finditer("\n" + text):
            i = bisect.bisect_right(starts, match.start()) - 1  # (the line starts after the newline)
            if READ_FIRST.match(lines[i].text):
                found.append(i)
    else:
        backwards = "\n" + text[::-1]
        for match in READ_FIRST_JOINED.finditer(backwards):
            # the line's end, read backwards, follows the newline
            i = bisect.bisect_right(starts, len(text) - 1 - match.start()) - 1
            if READ_FIRST.match(lines[i].text[::-1]):
                found.append(i)
    return found


def _no_run_beside(lines: list[Line], place: str, text_index: list[int], alone_lines: set[int],
                   left_out, digit_lines: list[int], joined: tuple[str, list[int]]) -> bool:
    """Whether the lines' words at ``place`` (lines without the margin's pieces) certainly hold
    no run, found without reading every line's word: a run holds a number read as printed
    (on a line with a digit) and another number (or its lookalike) that follows it MIN_STEP to
    REACH lines from it, its value as far from it as its line (:func:`_may_follow`). Only the words
    that a pattern finds digits or lookalikes alone in (one scan of the joined lines) are read:
    no other word has a value."""
    values: dict[int, int | None] = {}  # line -> the value its token may read as (None: none)

    def value(i: int) -> int | None:
        if i not in values:
            text = lines[i].text
            token = _edge_token(lines[i], place, None, i) \
                if READ_FIRST.match(text if place == "left" else text[::-1]) else None
            read = token.text.translate(NUMBER_LOOKALIKES) if token is not None and not token.glued else ""
            values[i] = int(read) if read.isascii() and read.isdecimal() and int(read) > 0 else None
        return values[i]

    printed = []  # (line of text, its value) of the numbers read as printed
    for i in digit_lines:  # (the lines READ_FIRST reads, with a digit: few, asked one by one)
        text = lines[i].text
        if i in alone_lines or i in left_out or not READ_FIRST.match(text if place == "left" else text[::-1]):
            continue
        token = _edge_token(lines[i], place, None, i)
        if token is None or token.glued or not token.text.isdecimal() or (v := value(i)) is None:
            continue
        printed.append((text_index[i], v))
    if not printed:
        return True  # (most documents: the lines' words not read at all)
    readable = _read_first_lines(lines, place, joined)  # (no other line's word has a value)
    # a number w on line of text t follows one v on line s where w - v == t - s, t MIN_STEP to REACH
    # lines from s (a run's numbers are no closer: :func:`_step`):
    # the lines whose value less their place is the same are the only ones to compare
    by_offset: dict[int, list[int]] = {}
    reached = sorted(s for s, _ in printed)  # (a word no number read reaches is not read)
    for j in readable:
        if j in alone_lines or j in left_out:
            continue
        nearest = bisect.bisect_left(reached, text_index[j] - REACH)
        if nearest < len(reached) and reached[nearest] <= text_index[j] + REACH and (w := value(j)) is not None:
            by_offset.setdefault(text_index[j] - w, []).append(text_index[j])
    return not any(MIN_STEP <= abs(t - s) <= REACH for s, v in printed for t in by_offset.get(s - v, ()))


WORD_IN_LINE = re.compile(r"\w+")
FIRST_WORD = re.compile(r"^[^\w\n]*(\w+)", re.MULTILINE)
ONE_WORD = re.compile(r"^[^\w\n]*(\w+)[^\w\n]*$", re.MULTILINE)


class _Vocabulary:
    """The words the document uses inside its lines (a margin's number stands at their edges),
    more than a few times: a token that is one is no garbled number. Counted when first asked:
    most documents have no token to ask about."""

    def __init__(self, lines: list[Line], beside: dict[int, dict[str, MarginPiece]]):
        self.lines, self.beside = lines, beside
        self.words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self.words is None:
            # the words inside the lines: all the lines' words (one scan of their text, a word never
            # crossing a line's end) but each line's first and last (once where it is both)
            text = "\n".join(_own_text(line, self.beside.get(i)) for i, line in enumerate(self.lines))
            uses = Counter(map(str.lower, WORD_IN_LINE.findall(text)))
            uses.subtract(map(str.lower, FIRST_WORD.findall(text)))
            uses.subtract(word[::-1].lower() for word in FIRST_WORD.findall(text[::-1]))  # the last ones
            uses.update(map(str.lower, ONE_WORD.findall(text)))
            rare = max(RARE_WORD, len(self.lines) // LINES_PER_USE)
            self.words = {word for word, count in uses.items() if count > rare}
        return word in self.words


GEOMETRIC_STEPS = (5, 10)  # every fifth or tenth line: what a run seen only in the boxes may count
DOMINANT = 0.6  # of a page's pieces on one side: at the lines of the run


def _by_protrusions(lines: list[Line], protruding: list[MarginPiece], places: list[tuple[int, int]],
                    found: dict[int, LineNumber], vocabulary: _Vocabulary) -> dict[int, LineNumber]:
    """Pieces standing out into the margin every fifth (tenth) line of a page, at the same lines
    of the page on PAGES_AGREEING pages at least (a book numbering each page's lines, or its
    chapter's: the run's lines agree), whatever the OCR read there: the margin's numbers. Their
    values count the lines from the step (5 on most pages' first line of the run), where
    MIN_READ of the pieces at least read as that count says; never from the boxes alone."""
    starts = [line.start for line in lines]
    sides: dict[tuple[int, str], list[tuple[int, MarginPiece]]] = {}
    for piece in protruding:
        index = bisect.bisect_right(starts, piece.start) - 1
        if index >= 0 and piece.end <= lines[index].end and index not in found:
            sides.setdefault((places[index][0], piece.side), []).append((index, piece))
    for step in GEOMETRIC_STEPS:
        runs: dict[int, list[list[tuple[int, MarginPiece]]]] = {}  # the run's lines' place modulo the step
        for pieces in sides.values():
            residues = Counter(places[i][1] % step for i, _piece in pieces)
            residue, count = residues.most_common(1)[0]
            run = [(i, piece) for i, piece in pieces if places[i][1] % step == residue]
            gaps = [places[j][1] - places[i][1] for (i, _), (j, _) in zip(run, run[1:])]
            if count >= MIN_RUN and count >= DOMINANT * len(pieces) and max(gaps) <= MAX_GAP_STEPS * step:
                runs.setdefault(residue, []).append(run)
        if not runs:
            continue
        residue, agreeing = max(runs.items(), key=lambda item: (len(item[1]), -item[0]))
        if len(agreeing) < PAGES_AGREEING:
            continue
        pieces = [(i, piece) for run in agreeing for i, piece in run]
        # the count: most pages' runs begin with the step's number (5 on the fifth line), and the
        # pieces read as numbers (their OCR lookalikes too) agree with it
        shift = Counter(step - min(places[i][1] for i, _piece in run) for run in agreeing).most_common(1)[0][0]
        agree = sum(_value(_trimmed(lines[i], piece), vocabulary) == places[i][1] + shift for i, piece in pieces)
        if agree < MIN_READ:
            continue
        numbers = {}
        for i, piece in pieces:
            value = places[i][1] + shift
            if value > 0:
                text = _trimmed(lines[i], piece)
                numbers[i] = LineNumber(piece.start, piece.end, value, text == str(value), False)
        return numbers
    return {}


def _trimmed(line: Line, piece: MarginPiece) -> str:
    return line.text[piece.start - line.start:piece.end - line.start].strip(EDGE_PUNCTUATION + " ")


def _places_on_pages(lines: list[Line], text_index: list[int], page_starts: list[int]) -> list[tuple[int, int]]:
    """Each line's page and its place among the page's lines of text (from 0, the page's first
    line: a running head, where the page has one)."""
    places, page, first = [], -1, 0
    for i, line in enumerate(lines):
        at = bisect.bisect_right(page_starts, line.start) - 1 if page_starts else page + line.page_mark
        if at != page or i == 0:
            page, first = max(at, 0), text_index[i]
        places.append((page, text_index[i] - first))
    return places


def _by_the_pages_count(runs: list[tuple[str, list[tuple[int, LineNumber]]]], candidates: dict[str, dict[int, _Token]],
                        found: dict[int, LineNumber], places: list[tuple[int, int]],
                        vocabulary: _Vocabulary) -> dict[int, LineNumber]:
    """Where the runs read restart on every page at the same line of the page (a book that numbers
    each page's lines: the number is the line's place), the numbers that count gives on pages
    whose own run the OCR garbled beyond reading: tokens at those places in one margin, read as
    the number or garbled, MIN_RUN on a page's margin with those found there before."""
    counts = Counter()
    for _place, numbers in runs:
        pages = {places[i][0] for i, _ in numbers}
        offsets = {number.value - places[i][1] for i, number in numbers}
        if len(pages) == 1 and len(offsets) == 1:
            counts[(offsets.pop(), _step([(i, n.value) for i, n in numbers]))] += 1
    if not counts:
        return {}
    (offset, step), agreeing = counts.most_common(1)[0]
    if step is None or agreeing < PAGES_AGREEING or agreeing < AGREEING_SHARE * len(runs):
        return {}
    highest = max(number.value for _place, numbers in runs for _i, number in numbers if number.exact)
    added: dict[int, LineNumber] = {}
    for place in ("right", "left"):
        tokens = candidates[place]
        pages: dict[int, list[int]] = {}
        for i in tokens:
            if i not in found:
                pages.setdefault(places[i][0], []).append(i)
        for page, lines in pages.items():
            before = [i for i in found if places[i][0] == page and i in tokens]
            best: list[tuple[int, int]] = []
            for shift in HEAD_SHIFTS:  # the count from the page's top, or a head the OCR read as more lines or fewer
                numbers = [(i, value) for i in lines if step <= (value := places[i][1] + offset + shift) <= highest
                           and not value % step and _fits(tokens[i], value, vocabulary)]
                if any(found[i].value != places[i][1] + offset + shift for i in before):
                    continue  # the page's own run counts otherwise
                if shift and not any(_value(tokens[i].text, vocabulary) == value for i, value in numbers):
                    continue  # another count than the book's needs a number read on the page
                if len(numbers) + len(before) >= MIN_RUN and len(numbers) > len(best):
                    best = numbers
            added |= {i: LineNumber(tokens[i].start, tokens[i].end, value, tokens[i].text == str(value), False)
                      for i, value in best}
    return added


def _pieces_by_line(lines: list[Line], pieces: list[MarginPiece]) -> dict[int, dict[str, MarginPiece]]:
    """The margin's pieces of each line (by index), by side."""
    starts = [line.start for line in lines]
    beside: dict[int, dict[str, MarginPiece]] = {}
    for piece in pieces:
        index = bisect.bisect_right(starts, piece.start) - 1
        if index >= 0 and piece.end <= lines[index].end:
            beside.setdefault(index, {})[piece.side] = piece
    return beside


def _own_text(line: Line, pieces: dict[str, MarginPiece] | None) -> str:
    """The line's text without the margin's pieces written at its start."""
    own = max((piece.end - line.start for piece in (pieces or {}).values()), default=0)
    return line.text[own:]


def _runs(tokens: dict[int, _Token], text_index: list[int], alone: bool,
          vocabulary: _Vocabulary) -> list[list[tuple[int, int]]]:
    """Runs of (line, value) read as numbers whose values grow with the lines: by a step of at
    least MIN_STEP, each value a multiple of it; one at least read as printed."""
    if not alone and not _may_follow(tokens, text_index):
        return []  # (without asking the document's words of the lookalikes: most documents have no run)
    read = [(i, v) for i, token in sorted(tokens.items())
            if not token.glued and (v := _value(token.text, vocabulary)) is not None and v > 0]
    runs: list[list[tuple[int, int]]] = []
    used: set[int] = set()
    for k, (i, v) in enumerate(read):
        if i in used:
            continue
        run = [(i, v)]
        for n in range(k + 1, len(read)):
            j, w = read[n]
            last_i, last_v = run[-1]
            # no number this far below the run's last follows it (_follows: MAX_GAP_STEPS * 10 + 1
            # lines at most), nor any after it (the lines only go on): the run is complete
            if text_index[j] - text_index[last_i] > (MAX_GAP_STEPS + 1) * 10:
                break
            if j in used or w <= last_v or not _follows(last_i, last_v, j, w, text_index, alone):
                continue
            run.append((j, w))
        if len(run) < MIN_READ or not any(tokens[i].text.isdecimal() for i, _ in run):
            continue
        step = _step(run)
        gaps = any(w - v != step for (_, v), (_, w) in zip(run, run[1:])) if step else True
        if step is None or (alone and gaps):
            continue  # lines of their own carry no text to count: their numbers must go step by step
        if step % 5 and (gaps or len(run) < 4):
            continue  # every 3rd or 4th line is rare: verse numbers may chance on it, four in a row do not
        runs.append(run)
        used.update(i for i, _ in run)
    return runs


def _may_follow(tokens: dict[int, _Token], text_index: list[int]) -> bool:
    """Whether a run beside the lines may be read: a token read as printed and another that may
    read as a number (its lookalikes too, whatever the document's words) follow one another as
    :func:`_follows` has it, their values as far apart as their lines, MIN_STEP to REACH lines
    apart (a run's printed number and its neighbour in the run: :func:`_step` keeps no run
    whose numbers are closer). Without such a pair no run can be read."""
    lines_by_offset: dict[int, list[int]] = {}  # value minus line -> the lines
    printed: list[tuple[int, int]] = []  # (offset, line) of the tokens read as printed
    for i, token in tokens.items():
        read = token.text.translate(NUMBER_LOOKALIKES)
        if not token.glued and read.isascii() and read.isdecimal() and int(read) > 0:
            lines_by_offset.setdefault(int(read) - text_index[i], []).append(text_index[i])
            if token.text.isdecimal():
                printed.append((int(read) - text_index[i], text_index[i]))
    return any(_within_reach(sorted(lines_by_offset[offset]), line) for offset, line in printed)


def _within_reach(lines: list[int], line: int) -> bool:
    """Whether one of the sorted ``lines`` stands MIN_STEP to REACH lines before or after ``line``."""
    after = bisect.bisect_left(lines, line + MIN_STEP)
    before = bisect.bisect_right(lines, line - MIN_STEP) - 1
    return after < len(lines) and lines[after] <= line + REACH or before >= 0 and lines[before] >= line - REACH


def _follows(i: int, v: int, j: int, w: int, text_index: list[int], alone: bool) -> bool:
    lines_between = text_index[j] - text_index[i]
    if w - v > MAX_GAP_STEPS * 10:
        return False
    if alone:  # the margin's column written apart (no lines between) or beside its lines
        return lines_between == 0 or abs(lines_between - (w - v)) <= 1
    return lines_between == w - v


def _step(run: list[tuple[int, int]]) -> int | None:
    """The run's step: the greatest common divisor of its values, at least MIN_STEP."""
    step = 0
    for _, value in run:
        step = gcd(step, value)
    differences = {w - v for (_, v), (_, w) in zip(run, run[1:])}
    if step < MIN_STEP or min(differences) < MIN_STEP:
        return None
    return step


def _fill(run: list[tuple[int, int]], tokens: dict[int, _Token], text_index: list[int], vocabulary: _Vocabulary,
          alone: bool) -> list[tuple[int, LineNumber]]:
    """The run with the garbled numbers where it says one must stand (between its numbers and a
    step before and after them); kept when it has MIN_RUN numbers in all."""
    step = _step(run) or 0
    where = {text_index[i]: i for i in tokens}  # glued tokens: the line of text a value stands on
    numbers = {i: LineNumber(tokens[i].start, tokens[i].end, v, tokens[i].text == str(v), tokens[i].alone)
               for i, v in run}
    if not alone:
        first_i, first_v = run[0]
        offset = first_v - text_index[first_i]  # value minus the line of text's place

        def garbled_at(value: int) -> int | None:
            i = where.get(value - offset)
            if i is None or i in numbers or not _fits(tokens[i], value, vocabulary):
                return None
            numbers[i] = LineNumber(tokens[i].start, tokens[i].end, value, tokens[i].text == str(value), False)
            return i

        for value in range(run[0][1] + step, run[-1][1], step):
            garbled_at(value)
        value = run[0][1] - step  # before the first number read and after the last, while they go on
        while value >= step and garbled_at(value) is not None:
            value -= step
        value = run[-1][1] + step
        while garbled_at(value) is not None:
            value += step
    else:  # lines of their own between two numbers read: as many as the numbers missing there
        for (i, v), (j, w) in zip(run, run[1:]):
            between = [k for k in tokens if i < k < j]
            if len(between) == (w - v) // step - 1:
                numbers |= {k: LineNumber(tokens[k].start, tokens[k].end, v + step * (n + 1), False, True)
                            for n, k in enumerate(between)}
    if len(numbers) < MIN_RUN:
        return []
    return sorted(numbers.items())


def _fits(token: _Token, value: int, vocabulary: _Vocabulary) -> bool:
    """Whether the token may be the number ``value`` a run or the page's count needs there: read
    as it (glued to a word too), or garbled."""
    return token.text == str(value) or _garbled_number(token, vocabulary)


def _garbled_number(token: _Token, vocabulary: _Vocabulary) -> bool:
    """A short token that reads as digits with OCR's confusions and that the document does not
    otherwise use as a word; or a short piece of the margin, no word of the text by where it
    stands, whatever the OCR made of its digits (w, ac for 20)."""
    if token.text.isdecimal():
        return False  # read as printed: another number
    if token.piece:
        return len(token.text) <= PIECE_MAX
    return _looks_numeric(token.text) and token.text.lower() not in vocabulary
