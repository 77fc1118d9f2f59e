"""Pair an edition's pages with the ground truth's and measure each pair and the total."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.evaluation.metrics import Measures, Options, distance, characters, measure, normalize
from pipeline.evaluation.pages import Page

# Furniture found is the ground truth's item when at least this share of its characters
# agree (whitespace aside): a running head read with a few errors is found, another line is not.
FURNITURE_LIKENESS = 0.5


@dataclass
class FurnitureResult:
    """One furniture class on a page (or in total): items paired with the ground truth's,
    and the error of their text."""

    expected: int = 0  # items in the ground truth
    found: int = 0  # items in the edition
    paired: int = 0
    text: Measures = field(default_factory=Measures)

    @property
    def precision(self) -> float | None:
        """Share of the furniture found that the ground truth has (None: nothing found)."""
        return self.paired / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        """Share of the ground truth's furniture that was found (None: none expected)."""
        return self.paired / self.expected if self.expected else None

    def __add__(self, other: FurnitureResult) -> FurnitureResult:
        return FurnitureResult(self.expected + other.expected, self.found + other.found,
                               self.paired + other.paired, self.text + other.text)


@dataclass
class PageResult:
    """One page of the edition measured against its ground-truth page."""
    truth: str  # the ground truth page's label
    edition: str  # the edition page's label
    text: Measures  # everything on the page, furniture where it stands
    main: Measures | None  # running text only, furniture left out (when the ground truth marks furniture)
    furniture: dict[str, FurnitureResult]  # by class (when the ground truth marks furniture)
    truth_text: str  # both full texts as compared (normalized), for showing the differences
    edition_text: str


@dataclass
class Evaluation:
    """An edition measured against ground truth: the pages paired, how, and what was left over."""
    options: Options
    matched_by: str  # "file name", "order", "whole text" (or "none")
    pages: list[PageResult] = field(default_factory=list)
    truth_without_partner: list[str] = field(default_factory=list)
    edition_without_partner: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> Measures:
        """Errors over every page, furniture included where it stands."""
        return sum((page.text for page in self.pages), Measures())

    @property
    def main(self) -> Measures | None:
        """Errors in the running text of the pages whose ground truth marks furniture (None: none does)."""
        marked = [page.main for page in self.pages if page.main is not None]
        return sum(marked, Measures()) if marked else None

    @property
    def furniture(self) -> dict[str, FurnitureResult]:
        """Furniture found and expected, per kind, summed over the pages."""
        total: dict[str, FurnitureResult] = {}
        for page in self.pages:
            for kind, result in page.furniture.items():
                total[kind] = total.get(kind, FurnitureResult()) + result
        return dict(sorted(total.items()))


def evaluate(edition_pages: list[Page], truth_pages: list[Page], options: Options | None = None) -> Evaluation:
    """Measure the edition's pages against the ground truth's (see the package's docstring)."""
    options = options or Options()
    pairs, matched_by, notes = match_pages(edition_pages, truth_pages)
    evaluation = Evaluation(options, matched_by, notes=notes)
    paired_edition = {id(edition) for edition, _truth in pairs}
    paired_truth = {id(truth) for _edition, truth in pairs}
    evaluation.truth_without_partner = [page.label for page in truth_pages if id(page) not in paired_truth]
    evaluation.edition_without_partner = [page.label for page in edition_pages
                                          if id(page) not in paired_edition and not page.is_empty()]
    for edition, truth in pairs:
        evaluation.pages.append(compare_page(edition, truth, options))
    return evaluation


def compare_page(edition: Page, truth: Page, options: Options) -> PageResult:
    """Measure one edition page against its ground truth: all text, running text, furniture."""
    truth_text, edition_text = normalize(truth.full_text, options), normalize(edition.full_text, options)
    main, furniture = None, {}
    if truth.marks_furniture:
        main = measure(normalize(truth.main_text, options), normalize(edition.main_text, options))
        furniture = compare_furniture(edition, truth, options)
    return PageResult(truth.label, edition.label, measure(truth_text, edition_text), main, furniture,
                      truth_text, edition_text)


def compare_furniture(edition: Page, truth: Page, options: Options) -> dict[str, FurnitureResult]:
    """Per kind of furniture, how many lines the truth marks, the edition marks, and both share."""
    expected, found = truth.furniture(), edition.furniture()
    results = {}
    for kind in sorted(set(expected) | set(found)):
        wanted, offered = expected.get(kind, []), found.get(kind, [])
        readings = [[item] + ([edition.number] if kind == "page-number" and edition.number else [])
                    for item in offered]
        joined = measure(normalize("\n".join(wanted), options), normalize("\n".join(offered), options))
        results[kind] = FurnitureResult(len(wanted), len(offered), _pair(wanted, readings, options), joined)
    return results


def _pair(wanted: list[str], readings: list[list[str]], options: Options) -> int:
    """How many of the ground truth's items are paired with one of the edition's, best
    likeness first, each used once."""
    candidates = []
    for i, item in enumerate(wanted):
        for j, alternatives in enumerate(readings):
            likeness = max(_likeness(item, reading, options) for reading in alternatives)
            if likeness >= FURNITURE_LIKENESS:
                candidates.append((-likeness, i, j))
    used_truth, used_edition = set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_truth and j not in used_edition:
            used_truth.add(i)
            used_edition.add(j)
    return len(used_truth)


def _likeness(truth: str, other: str, options: Options) -> float:
    a = characters("".join(normalize(truth, options).split()))
    b = characters("".join(normalize(other, options).split()))
    if not a and not b:
        return 1.0
    return 1 - distance(a, b) / max(len(a), len(b))


def match_pages(edition: list[Page], truth: list[Page]) -> tuple[list[tuple[Page, Page]], str, list[str]]:
    """Pairs of (edition page, ground-truth page): by the files' names where they share
    any, and in order between pages so paired where both sides have as many pages there
    (an edition names only the files of pages it links to an image); with no name in
    common, in order; when one side is one text without pages, it is compared with the
    other's pages joined."""
    notes: list[str] = []
    edition = [page for page in edition if not page.is_empty()]
    named = _pairs_by_name(edition, truth)
    if named:
        between = _pairs_between(edition, truth, named)
        pairs = sorted(named + between, key=lambda pair: pair[1])
        how = "file name" + (f", and in order between pages so paired ({len(between)})" if between else "")
        return [(edition[e], truth[t]) for e, t in pairs], how, notes
    if not edition or not truth:
        return [], "none", notes
    if len(edition) == 1 and len(truth) > 1:
        notes.append(f"the edition is one page (or has no page breaks): compared with the {len(truth)} "
                     "ground-truth pages joined")
        return [(edition[0], _joined(truth))], "whole text", notes
    if len(truth) == 1 and len(edition) > 1 and not truth[0].keys:
        notes.append(f"the ground truth has no page breaks: compared with the edition's {len(edition)} pages joined")
        return [(_joined(edition), truth[0])], "whole text", notes
    if len(edition) != len(truth):
        notes.append(f"pages paired in order, though the edition has {len(edition)} and the ground truth "
                     f"{len(truth)}: no file names in common to pair them by (an edition names its pages' "
                     "files where it links their images)")
    return list(zip(edition, truth)), "order", notes


def _pairs_by_name(edition: list[Page], truth: list[Page]) -> list[tuple[int, int]]:
    """(edition index, truth index) of pages whose files share a name; each page once."""
    by_key: dict[str, int] = {}
    for index, page in enumerate(edition):
        for key in page.keys:
            by_key.setdefault(key, index)
    pairs, used = [], set()
    for index, page in enumerate(truth):
        partner = next((by_key[key] for key in page.keys if key in by_key and by_key[key] not in used), None)
        if partner is not None:
            used.add(partner)
            pairs.append((partner, index))
    return pairs


def _pairs_between(edition: list[Page], truth: list[Page], named: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pages between two pairs (or before the first, after the last) paired in order, where
    the edition's pages there name no file and both sides have as many."""
    anchors = sorted(named, key=lambda pair: pair[1])
    if any(a[0] >= b[0] for a, b in zip(anchors, anchors[1:])):
        return []  # the two sides' orders disagree: no order to go by
    bounds = [(-1, -1)] + anchors + [(len(edition), len(truth))]
    pairs = []
    for (e0, t0), (e1, t1) in zip(bounds, bounds[1:]):
        pages, truths = list(range(e0 + 1, e1)), list(range(t0 + 1, t1))
        if pages and len(pages) == len(truths) and not any(edition[e].keys for e in pages):
            pairs.extend(zip(pages, truths))
    return pairs


def _joined(pages: list[Page]) -> Page:
    whole = Page(f"{pages[0].label} … {pages[-1].label}" if len(pages) > 1 else pages[0].label,
                 marks_furniture=all(page.marks_furniture for page in pages))
    for page in pages:
        for segment in page.segments:
            whole.start(segment.furniture)
            whole.add(segment.text, segment.furniture)
    return whole
