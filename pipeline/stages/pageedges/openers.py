"""Pages the number sequence needs but whose number is not printed: an article's or chapter's
first page, which opens with its title after the closing article's signature or rule."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from pipeline.stages.pageedges.lines import Line, title_shaped
from pipeline.stages.textshape import RULE_LETTERS, RULE_MARKS, ends_text, typical_line_length

if TYPE_CHECKING:
    from pipeline.stages.pageedges.heads import HeadWords
    from pipeline.stages.pageedges.numbering import PageNumber

# What closes an article: who signed it, as initials and abbreviations in any alphabet
# ("J. Kuranda.", "Med. Dr. D.e.t.", "Sch.", "Dr. B. B."), or a rule the OCR read as marks.
SIGNATURE_LINE = re.compile(r"^(?=[^\W\d_])(?:[^\W\d_]{1,4}\.\s?)+(?:[^\W\d_]+\.?)?$")


def unnumbered_pages(lines: list[Line], numbered: list[tuple[int, PageNumber]],
                      per_page: float, heads: HeadWords | None = None) -> list[tuple[int, None]]:
    """Pages the sequence needs but whose number is not printed (an article's or chapter's
    first page, which opens with its title): the page starts at the title standing nearest
    to where the page should begin, after a line that ends a text. In a book whose numbers
    stand beside running heads (``heads``), a page whose number the OCR lost begins at its
    head, known by the heads' words; a title there is no evidence (a chapter's heading
    stands under the head), and without a head no page is found."""
    full = typical_line_length(lines)
    window = max(3, round(0.3 * per_page))
    # Some exports leave more blank lines between pages than between paragraphs: then that
    # gap alone says where a page begins.
    page_gap = Counter(number.line.blank_before for _, number in numbered).most_common(1)[0][0]
    paragraph_gap = Counter(line.blank_before for line in lines).most_common(1)[0][0]
    starts: list[tuple[int, None]] = []

    for (line_a, a), (line_b, b) in zip(numbered, numbered[1:]):
        for value in range(a.value + 1, b.value):
            expected = line_a + (value - a.value) * (line_b - line_a) / (b.value - a.value)
            near = range(max(line_a + 3, round(expected) - window), min(line_b, round(expected) + window))
            if heads is not None:
                titles = [i for i in near if len(lines[i].text) <= 0.8 * full and heads.has_head_word(lines[i].text)]
            elif page_gap > paragraph_gap:
                titles = [i for i in near if lines[i].blank_before >= page_gap]
            else:
                titles = [i for i in near if (ends_text(lines[i - 1].text) or len(lines[i - 1].core) <= 3)
                          and title_shaped(lines[i], full)]
            if titles:
                # A gap as wide as the export leaves between pages (wider says no more: a
                # title page's spacing); a title after an article's signature, or after a
                # finished text; the nearest.
                starts.append((min(titles, key=lambda i: (
                    -min(lines[i].blank_before, page_gap) if page_gap > paragraph_gap else 0,
                    not _after_closing(lines, i), not title_shaped(lines[i], full),
                    not ends_text(lines[_line_before(lines, i)].text),
                    _closes_article(lines, i), abs(i - expected))), None))
    return starts


def _closes_article(lines: list[Line], index: int) -> bool:
    """A rule, or a signature ("J. Kuranda.", "Dr. B. B.") after a finished text: what ends
    an article, not a title (a byline after "By" has the signature's shape, not its place)."""
    line = lines[index]
    marks = "".join(line.text.split())
    if len(marks) >= 3 and sum(ch.isalpha() for ch in marks) <= RULE_LETTERS * len(marks):
        return True
    if not any(ch.isalnum() for ch in marks) and any(ch in RULE_MARKS for ch in marks):
        return True  # a dash standing alone
    return line.text[:1].isupper() and SIGNATURE_LINE.match(line.text) is not None \
        and index > 0 and ends_text(lines[index - 1].text)


def _line_before(lines: list[Line], index: int) -> int:
    """The line of text before ``index``: a signature mark or speck of a few characters aside."""
    before = index - 1
    while before > 0 and len(lines[before].core) <= 3 and not _closes_article(lines, before):
        before -= 1
    return before


def _after_closing(lines: list[Line], index: int) -> bool:
    """The line before closes an article: a new one, opening with its title, may begin a
    page here."""
    before = _line_before(lines, index)
    return before >= 0 and _closes_article(lines, before)
