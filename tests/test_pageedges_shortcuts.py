"""The page-edge rules' shortcuts (pairs left out by a bound, a run's search stopped early, a
common line's edge word read without the general path) find exactly what the full
computation finds: each shortcut switched off, the stage's edits and findings stay the same,
on the seeds, real pages of the corpora (tests/data) and pages composed in the books' patterns."""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator

import pytest

from bench.scans import chinese_scan, english_scan
from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_document
from pipeline.stages import STAGES
from pipeline.stages.pageedges import feet, find_page_edges, heads, lines, margins, numbering
from pipeline.stages.textshape import without_engine_spaces
from tests.conftest import ROOT
from tests.test_book_furniture import _book_without_page_marks, body_lines, latin_book
from tests.test_margins import _greek_edition, _latin_edition, _latin_pages

DATA = ROOT / "tests" / "data"
BEFORE_PAGE_EDGES = STAGES[:[stage.name for stage in STAGES].index("page-edges")]


def _dedication() -> str:
    """An early print's unnumbered front matter, a gathering's foot inside it before a blank
    line (signature and catchword), then pages numbered without marks."""
    rng = random.Random(1670)
    lines = ["EPISTOLA DEDICATORIA", *body_lines(rng, 12), "a a a 2, pacem", "", "pacem et concordiam",
             *body_lines(rng, 9), "b b b 3, lex", "", "populus " + body_lines(rng, 1)[0], "", "Vale."]
    return "\n".join(lines) + "\n\n" + _book_without_page_marks()


def _book(folder: str) -> list[SourceFile]:
    return [SourceFile(path.name, path.read_bytes()) for path in sorted((DATA / folder).glob("*.hocr"))]


INPUTS = {
    **{f"seed {path.name}": lambda path=path: path.read_bytes() for path in sorted((ROOT / "seeds").glob("*.txt"))},
    "English scan (form feeds, heads, numbers)": lambda: english_scan(0).text.encode(),
    "English scan, another": lambda: english_scan(3).text.encode(),
    "Chinese scan": lambda: chinese_scan(1).text.encode(),
    "Greek edition, line numbers apart, pages by their numbers":
        lambda: _greek_edition(12, 6, "\n\n", column=False).encode(),
    "Greek edition, the margin's column, form feeds": lambda: _greek_edition(40, 5, "\f", column=True).encode(),
    "Latin edition, line numbers beside the lines": lambda: _latin_edition(40, 6).encode(),
    "Latin edition, a page's numbers garbled": lambda: _latin_pages(6, garbled={2, 5}).encode(),
    "Early print: signatures, catchwords, heads": lambda: latin_book().encode(),
    "Early print: a gathering's foot in unnumbered front matter": lambda: _dedication().encode(),
    "Swete (tess hOCR)": lambda: _book("swete-1901/tess-hocr"),
    "Arnobius (tess hOCR)": lambda: _book("arnobius-1875/tess-hocr"),
    "Arnobius (OCRopus hOCR)": lambda: _book("arnobius-1875/ocropus-hocr"),
    "Hobbes (OCRopus hOCR)": lambda: _book("hobbes-1668/ocropus-hocr"),
    "Grenzboten (tess hOCR)": lambda: _book("grenzboten-1841/tess-hocr"),
}


def _all_pairs(firsts: list[str], seconds: list[str], _threshold: float) -> Iterator[tuple[int, int]]:
    return ((i, j) for i in range(len(firsts)) for j in range(len(seconds)))


def _without_shortcuts(patch: pytest.MonkeyPatch) -> None:
    """Every pair of words to difflib, every margin's place searched for runs, every line's edge
    word by the general path, every foot inside a page read in full."""
    patch.setattr(heads, "within_bound", _all_pairs)
    patch.setattr(lines, "within_bound", _all_pairs)
    patch.setattr(lines, "_short", lambda text: len(without_engine_spaces(text)) <= lines.NUMBER_MAX_CHARS)
    patch.setattr(lines, "_may_be_framed", lambda _text: True)
    patch.setattr(heads, "_alike", heads._alike.__wrapped__)
    patch.setattr(lines, "_core", lines._core.__wrapped__)  # (a token read afresh each time)
    patch.setattr(lines, "_readings", lines._readings.__wrapped__)
    patch.setattr(margins, "_may_follow", lambda _tokens, _text_index: True)
    patch.setattr(margins, "_no_run_beside", lambda *_args: False)
    patch.setattr(feet, "_signed", lambda _lines: True)
    patch.setattr(feet, "_folded", feet._folded.__wrapped__)
    patch.setattr(margins, "_edge_token", lambda line, place, pieces=None, index=-1:
                  margins._any_token(line, place, pieces, index))


def _found(document) -> tuple:
    edits = [(e.start, e.end, e.kind, e.original, e.reason, e.confidence, sorted(e.attrs.items()))
             for e in document.edits]
    return edits, repr(document.findings), document.notes


@pytest.mark.parametrize("name", INPUTS)
def test_page_edges_the_same_without_shortcuts(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = INPUTS[name]()
    document = build_document(data, "book" if isinstance(data, list) else "text.txt", PipelineConfig(),
                              stages=BEFORE_PAGE_EDGES)
    copy = pickle.loads(pickle.dumps(document))
    find_page_edges(document)
    with monkeypatch.context() as patch:
        _without_shortcuts(patch)
        find_page_edges(copy)
    assert _found(copy) == _found(document)
    if not name.startswith("seed"):  # (a seed is an article without pages)
        assert document.edits, "the input has page furniture for the rules to find"


def test_the_bound_never_leaves_out_a_pair_difflib_takes() -> None:
    """The words at pages' tops as OCR varies them, and ones made to sit at the threshold:
    every pair whose difflib ratio reaches it is within the bound."""
    words = ["homine", "homtttc", "hominc", "homiue", "tarifs", "tariffs", "council", "counci1", "ΓΕΝΕΣΙΣ",
             "ΓΕΝΕΣΙΣ".lower(), "γενεσεως", "grenzboten", "grenzbotcn", "abcdefghij", "abcdefgxyz", "abcdeqrstu",
             "", "a", "ab", "ba", "leviathan", "leviatban", "aaaa", "aaab", "baaa", "abab", "baba"]
    import difflib
    for threshold in (0.7, 0.8):
        within = set(heads.within_bound(words, words, threshold))
        for i, a in enumerate(words):
            for j, b in enumerate(words):
                if difflib.SequenceMatcher(None, a, b).ratio() >= threshold:
                    assert (i, j) in within, (a, b, threshold)


def _chain_pair_by_pair(candidates: list[tuple[int, int]], per_page: float | None) -> list[int]:
    """The longest run of candidates, each asked of every earlier one (numbering._chain's spec)."""
    best, back = [1] * len(candidates), [-1] * len(candidates)
    for j, (line_j, value_j) in enumerate(candidates):
        for i, (line_i, value_i) in enumerate(candidates[:j]):
            skip = value_j - value_i
            if not 1 <= skip <= numbering.MAX_PAGE_SKIP or line_j - line_i < 3 * skip:
                continue
            if per_page is not None and not 0.7 * per_page <= (line_j - line_i) / skip <= 1.4 * per_page:
                continue
            if best[i] + 1 > best[j]:
                best[j], back[j] = best[i] + 1, i
    return numbering.walk_back(best, back)


def test_the_page_numbers_chain_is_the_one_asked_pair_by_pair() -> None:
    """Numbers read at pages' edges and in the text (a book's copies joined, numbers repeating,
    a line read two ways): the same longest run, ties to the earliest, with and without a page's length."""
    rng = random.Random(32)
    for trial in range(300):
        candidates, line = [], 0
        for _ in range(rng.randint(0, 60)):
            line += rng.choice([0, 1, 1, 2, 5, 9, 10, 11, 30])
            candidates.append((line, rng.choice([rng.randint(1, 30), (line // 10) % 25 + 1])))
        for per_page in (None, 10.0, rng.uniform(3, 40)):
            assert numbering._chain(candidates, per_page) == _chain_pair_by_pair(candidates, per_page), trial


def _no_run_beside_line_by_line(lines_, place, text_index, alone_lines, left_out, digit_lines) -> bool:
    """margins._no_run_beside's spec: every number read as printed asked of each line within
    REACH lines of text of it (MIN_STEP at least: a run's numbers are no closer), whether its
    word reads as a number that far from it."""
    def value(i: int) -> int | None:
        token = margins._any_token(lines_[i], place, None, i)
        read = token.text.translate(margins.NUMBER_LOOKALIKES) if token is not None and not token.glued else ""
        return int(read) if read.isascii() and read.isdecimal() and int(read) > 0 else None

    line_at = {text_index[k]: k for k in range(len(lines_)) if k not in alone_lines}
    for i in digit_lines:
        token = margins._any_token(lines_[i], place, None, i)
        if i in alone_lines or i in left_out or token is None or token.glued or not token.text.isdecimal():
            continue
        if (v := value(i)) is None:
            continue
        for step in range(-margins.REACH, margins.REACH + 1):
            j = line_at.get(text_index[i] + step)
            if abs(step) >= margins.MIN_STEP and j is not None and j not in left_out and value(j) == v + step:
                return False
    return True


def _numbered_lines(rng: random.Random, numbered: float = 0.3) -> str:
    """Lines of words, some (``numbered`` of them) with a number or its lookalikes at an edge
    (glued, apart, alone)."""
    words = ["et", "in", "Io", "lo", "is", "so", "I", "ιο", "«s", "20", "25.", "·30", "5", "10", "ab", "nunc"]
    rows = []
    for index in range(rng.randint(0, 80 if numbered > 0.1 else 150)):
        row = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        if rng.random() < numbered:
            row = f"{row} {index + rng.choice([0, 0, 1, 5])}" if rng.random() < 0.5 else f"{index} {row}"
        rows.append(rng.choice(["", "\f", " "]) + row if rng.random() < 0.1 else row)
    return "\n".join(rows)


def test_no_run_beside_is_the_line_by_line_search() -> None:
    """The search for a run's first pair by the value less the line's place (one scan of the
    joined lines for the words that may be numbers) decides as asking each line near each
    number does: on the inputs above and on composed lines of numbers, lookalikes and words."""
    rng = random.Random(2)
    texts = [_numbered_lines(rng) for _ in range(400)] + [_numbered_lines(rng, 0.03) for _ in range(600)]
    for apart in (1, 2, 3, 29, 30, 31):  # numbers as far apart as their lines, at the edges of the reach and beyond
        for first, second in ((f"verba sunt {5}", f"verba sunt {5 + apart}"),
                              ("Io verba sunt", f"{10 + apart} verba sunt")):  # (a lookalike: Io for 10)
            rows = ["verba sunt hic et nunc"] * 40
            rows[2], rows[2 + apart] = first, second
            texts.append("\n".join(rows))
    texts += [data.decode() for name, make in INPUTS.items() if isinstance(data := make(), bytes)]
    for text in texts:
        found = lines.page_lines(text)
        alone = {i for i, line in enumerate(found) if len(line.text) <= 6}
        text_index, count = [], 0
        for i in range(len(found)):
            text_index.append(count)
            count += i not in alone
        joined = lines.joined(found)
        digits = lines.lines_with(margins.DIGIT, joined)
        for left_out in (set(), set(range(0, len(found), 7))):
            for place in ("left", "right"):
                assert margins._no_run_beside(found, place, text_index, alone, left_out, digits, joined) \
                    == _no_run_beside_line_by_line(found, place, text_index, alone, left_out, digits), (text, place)


def test_a_run_beside_the_lines_needs_the_pair_may_follow_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wherever a run is read beside the lines (the document's words left out of the vocabulary:
    every lookalike a number), :func:`margins._may_follow` says it may be: composed tokens,
    numbers and lookalikes at every distance, runs and near misses."""
    rng = random.Random(5)

    class NoWords:
        def __contains__(self, _word: str) -> bool:
            return False

    may_follow = margins._may_follow
    monkeypatch.setattr(margins, "_may_follow", lambda _tokens, _text_index: True)  # (_runs asks every pair)
    runs = 0
    for _trial in range(3000):
        lines_count = rng.randint(2, 80)
        text_index = list(range(lines_count))
        tokens = {}
        step = rng.choice([1, 2, 3, 4, 5, 10])  # a margin's count every few lines, and lists counted line by line
        first = rng.randint(0, lines_count - 1)
        for i in range(first, lines_count, step * rng.choice([1, 1, 2])):  # (a number lost now and then)
            value = i + step - first % step
            text = str(value) if rng.random() < 0.5 else str(value).replace("1", "l").replace("0", "o")
            tokens[i] = margins._Token(i, 0, len(text), text, False, glued=rng.random() < 0.05)
        for i in rng.sample(range(lines_count), rng.randint(0, min(lines_count, 6))):  # words and stray numbers
            text = rng.choice(["et", "Io", "lo", "so", str(rng.randint(1, 99))])
            tokens[i] = margins._Token(i, 0, len(text), text, False)
        found = margins._runs(tokens, text_index, False, NoWords())
        runs += bool(found)
        if found:
            assert may_follow(tokens, text_index), (tokens, text_index)
    assert runs > 50  # (the composed tokens hold runs to find)


def _similar_by_difflib(first: str, key: str) -> bool:
    """SimilarTo's spec: keys of six characters or more whose difflib ratio reaches layout's
    threshold, shorter ones equal."""
    import difflib
    from pipeline.stages.layout import SIMILAR_HEADS
    if min(len(first), len(key)) < 6:
        return first == key
    return difflib.SequenceMatcher(None, key, first).ratio() >= SIMILAR_HEADS


def test_first_lines_compare_as_similar_to_does() -> None:
    """layout's groups of repeated lines: the first group whose first line a key is an OCR
    variant of, with matchers made only where the lengths allow, is the one SimilarTo finds
    asking every group in turn (running heads as OCR varies them, keys at the length bound)."""
    from pipeline.stages.layout import SIMILAR_HEADS, _FirstLines
    from pipeline.stages.textshape import SimilarTo
    rng = random.Random(9)
    heads_ = ["DieGrenzboten", "DieGrenzbotcn", "DieGrenzb", "CHAPTERONE", "CHAPTERONF", "Leviathan", "abcde",
              "abcdef", "abcdefghij", "abcdefghi", "abcdefgh", "蘇聯外交政策史論", "蘇聯外交政策史", "ΓΕΝΕΣΙΣ"]
    for trial in range(300):
        keys = [rng.choice(heads_) for _ in range(rng.randint(1, 12))]
        keys += ["".join(rng.choice("aeinrst") for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(0, 8))]
        rng.shuffle(keys)
        firsts, lazy = [], _FirstLines(keys if trial % 2 else [])  # with the bound, and without
        for key in keys:
            expected = next((g for g, first in enumerate(firsts) if _similar_by_difflib(first, key)), None)
            assert expected == next((g for g, first in enumerate(firsts) if SimilarTo(first, SIMILAR_HEADS)(key)), None)
            assert lazy.first_similar(key) == expected, (trial, key, firsts)
            if expected is None:
                firsts.append(key)
                lazy.append(key)


def test_a_framed_number_is_never_left_unasked() -> None:
    """Every line FRAMED reads a number in passes the first-characters test that lets it be
    asked: page numbers in brackets, dashes and ornaments, spaces of every kind around them."""
    rng = random.Random(5)
    pieces = ["(", ")", "[", "]", "-", "–", "—", "*", "X", "R", "190", "12", "iv", ".", " ", "\t", "\u2028", "\x0b",
              "\u3000", "一", "a"]
    texts = ["( 190 )", "[12]", "— 38 —", "* (190) *", "R ( 190.) X", " [12]", "\x0b(3)", "x\u2028[4]"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))) for _ in range(20000)]
    framed_ones = [text for text in texts if lines.FRAMED.match(text.strip())]  # (FRAMED asked of every text)
    assert len(framed_ones) > 100
    assert all(lines._may_be_framed(text) for text in framed_ones)
    for text in texts:  # framed() asks FRAMED only of those: it reads what FRAMED reads
        found = lines.FRAMED.match(text.strip())
        assert lines.framed(text) == ((found.group("a") or found.group("b")) if found else None), text


def test_few_pairs_asked_one_by_one_give_the_table_s_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound asked pair by pair (few strings) gives the pairs, in the order, that the table
    of all pairs at once gives: OCR variants, empty strings, strings at the threshold."""
    from pipeline.stages.pageedges import alike
    rng = random.Random(7)
    words = ["homine", "hominc", "", "a", "ab", "ba", "ΓΕΝΕΣΙΣ", "γενεσεως", "grenzboten", "grenzbotcn", "aaaa",
             "aaab", "abcdefghij", "abcdefgxyz", "蘇聯外交", "蘇聯外文"]
    for trial in range(400):
        firsts = [rng.choice(words) for _ in range(rng.randint(0, 9))]
        seconds = [rng.choice(words) for _ in range(rng.randint(0, 9))]
        threshold = rng.choice([0.7, 0.8, 0.9, 2 / 3])
        with monkeypatch.context() as patch:
            patch.setattr(alike, "FEW_PAIRS", 0)
            table = list(alike.within_bound(firsts, seconds, threshold))
        assert list(alike.within_bound(firsts, seconds, threshold)) == table, trial


def _covered_line_by_line(pages, edits) -> set[tuple[int, int]]:
    """turns.covered_lines as it was: every line of every page asked."""
    import bisect

    from pipeline.stages.pageedges import turns
    spans = {(e.start, e.end) for e in edits}
    ordered = sorted(spans)
    for page in pages:
        for line in page.lines:
            first = max(0, bisect.bisect_left(ordered, (line.start, line.start)) - 1)
            last = bisect.bisect_left(ordered, (line.end, line.end), first)
            if last - first < 2:
                continue
            inside = [span for span in ordered[first:last] if span[0] < line.end and line.start < span[1]]
            if len(inside) > 1 and not any(ch.strip() for ch in turns._uncovered(line, inside)):
                spans.add((line.start, line.end))
    return spans


def test_covered_lines_asks_only_the_lines_a_span_begins_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The furniture's lines found asking only the lines a span of it begins on are the ones
    asking every line finds: on the inputs above (their pages and edits as the stage has them)
    and on lines composed with spans over, across and beside them."""
    from pipeline.model import Edit
    from pipeline.stages.pageedges import turns
    from pipeline.stages.pageedges.numbering import Page
    calls = []
    real = turns.covered_lines

    def recorded(pages, edits):
        found = real(pages, edits)
        calls.append((set(found), _covered_line_by_line(pages, edits), {(e.start, e.end) for e in edits}))
        return found

    monkeypatch.setattr(turns, "covered_lines", recorded)
    import pipeline.stages.pageedges as stage
    monkeypatch.setattr(stage, "covered_lines", recorded)
    for make in INPUTS.values():
        data = make()
        document = build_document(data, "book" if isinstance(data, list) else "text.txt", PipelineConfig(),
                                  stages=BEFORE_PAGE_EDGES)
        find_page_edges(document)
    rng = random.Random(11)
    for _ in range(300):
        text = "".join(rng.choice("ab  \n") for _ in range(rng.randint(1, 80)))
        found = lines.page_lines(text)
        pages = [Page(found[k:k + 3]) for k in range(0, len(found), 3)]
        edits = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, len(text))
            edits.append(Edit(start=start, end=min(len(text), start + rng.randint(0, 6)), kind="signature",
                              original=text[start:start + 6], stage="page-edges", reason="composed"))
        calls.append((real(pages, edits), _covered_line_by_line(pages, edits), {(e.start, e.end) for e in edits}))
    assert sum(len(found - spans) for found, _, spans in calls) > 10  # lines covered in pieces were found
    for found, expected, _ in calls:
        assert found == expected
