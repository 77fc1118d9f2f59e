"""What each kind of edit means, described once.

The edit bookkeeping (which edits may hold others), the TEI writer (which element, which
reading keeps the source, how the header counts it), hyphenation (what page furniture is) and
the report all read this table; adding an edit kind is one row here and its rendering in the
writer. The groups the header's normalization statement counts regularizations in are
declared here too: a stage names the group on the edits it makes (``Edit.group``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditKindInfo:
    """One kind of edit: the TEI element that carries it and what it is."""
    name: str
    element: str  # the TEI element that carries it
    source_reading: str | None = None  # in a <choice>: the child that keeps the source (sic, orig)
    edited_reading: str | None = None  # ... and the child with the edited text (corr, reg)
    fw_type: str | None = None  # page furniture rendered as <fw type="…">
    furniture: bool = False  # part of the page, not of the text: stands where the page turned
    container: bool = False  # its element may hold other edits (a footnote's flagged letter)
    beside_line: bool = False  # furniture printed beside a line of text (a margin's number): its line breaks stay
    # counted in the header's normalization statement, in this group unless the edit names its own
    normalization_group: str | None = None
    description: str = ""  # its category in the header's taxonomy; each edit's own reason is kept beside it


KINDS: tuple[EditKindInfo, ...] = (
    EditKindInfo("illegal-character", "choice", "sic", "corr",
                 description=("a character XML cannot carry, or a byte that did not decode: kept as g, declared "
                              "in charDecl")),
    EditKindInfo("correction", "choice", "sic", "corr",
                 description=("a source error corrected (mojibake, a character of the other Chinese script, a letter "
                              "lost in extraction)")),
    EditKindInfo("regularization", "choice", "orig", "reg", normalization_group="other",
                 description=("a regularization: a variant form, invisible or layout characters, markup the export "
                              "wrote as text")),
    EditKindInfo("hyphenation", "choice", "orig", "reg",
                 description="an end-of-line hyphen inside a word: the reading text joins the word"),
    EditKindInfo("running-head", "fw", fw_type="header", furniture=True,
                 description="a running head"),
    EditKindInfo("page-number", "fw", fw_type="pageNum", furniture=True,
                 description="a page number"),
    EditKindInfo("catalogue-number", "fw", fw_type="catalogue", furniture=True,
                 description="a library catalogue or shelf number stamped on the page"),
    EditKindInfo("signature", "fw", fw_type="sig", furniture=True,
                 description="a signature mark at the foot of the page"),
    EditKindInfo("catchword", "fw", fw_type="catch", furniture=True,
                 description="a catchword at the foot of the page"),
    EditKindInfo("line-number", "fw", fw_type="lineNum", furniture=True, beside_line=True,
                 description="a line number printed in the margin (every fifth line, say), beside the line it counts"),
    EditKindInfo("page-break", "pb", furniture=True,
                 description="a page boundary"),
    EditKindInfo("missing-page", "pb", furniture=True,
                 description=("a page the source names whose text is not there (its file absent, remote and not "
                              "fetched, or its image not recognised): its page break, and a gap for its text")),
    EditKindInfo("column-break", "cb", furniture=True,
                 description="a column boundary: the next column of a page set in columns begins"),
    EditKindInfo("garbled", "unclear",
                 description="garbled text, flagged and kept"),
    EditKindInfo("truncation", "gap",
                 description="the source breaks off here"),
    EditKindInfo("omission", "gap",
                 description="an omission the source itself marks"),
    EditKindInfo("note-anchor", "ref", normalization_group="note references",
                 description="a footnote reference: a word processor's, or a printed note's mark in the text"),
    EditKindInfo("footnote", "note", container=True,
                 description="a footnote: a word processor's, tied to its reference, or a printed one where it "
                             "stands at the page's foot"),
    EditKindInfo("margin-note", "note", container=True,
                 description=("printed in the page's margin (a siglum, a marginal note, a verse or line number), "
                              "out of the running text")),
    EditKindInfo("flag", "unclear",
                 description="an artefact flagged, not changed"),
    EditKindInfo("low-confidence", "unclear", container=True,
                 description="a word the OCR engine doubted, kept as read (its letterforms regularized inside it)"),
    EditKindInfo("layout", "fw",
                 description="characters that are layout, not text"),
    EditKindInfo("paragraph-join", "lb",
                 description=("two paragraphs of the source read as one: a sentence goes on over a blank line "
                              "where the text shows no page")),
)

BY_NAME: dict[str, EditKindInfo] = {kind.name: kind for kind in KINDS}

# Derived sets, for the places that ask one question of every edit.
READING_KINDS = frozenset(k.name for k in KINDS if k.source_reading)  # rendered as choice
PAGE_FURNITURE = frozenset(k.name for k in KINDS if k.furniture)
PAGE_TURN_FURNITURE = frozenset(k.name for k in KINDS if k.furniture and not k.beside_line)  # where pages turn
CONTAINER_KINDS = frozenset(k.name for k in KINDS if k.container)
FW_TYPES = {k.name: k.fw_type for k in KINDS if k.fw_type}


@dataclass(frozen=True)
class RegularizationGroup:
    """Regularizations the header's normalization statement counts together, in this order."""

    name: str  # what a stage names on its edits (Edit.group)
    description: str  # after the count; ``{standard}``: the Chinese script standard the run chose


REGULARIZATION_GROUPS: tuple[RegularizationGroup, ...] = (
    RegularizationGroup("script", "Chinese variant forms regularized to {standard}"),
    RegularizationGroup("invisible", "invisible characters (byte-order marks inside the text, zero-width spaces, "
                                     "word joiners, soft hyphens inside lines) left out of the reading text"),
    RegularizationGroup("whitespace", "runs of layout whitespace (no-break or doubled spaces) read as one space"),
    RegularizationGroup("note references", "footnote references read as their number (the export's "
                                           "[footnoteRef:n] kept as orig)"),
    RegularizationGroup("export syntax", "brackets of the export's footnote syntax ([n: …]) left out of the "
                                         "note's reading text"),
    RegularizationGroup("bullets", "bullets left to the list's markup (list/@rend)"),
    RegularizationGroup("other", "other regularizations, each with its reason in @ana"),
)
GROUP_NAMES = frozenset(group.name for group in REGULARIZATION_GROUPS)


def normalization_group(kind: str, group: str = "") -> str | None:
    """The group of the normalization statement an edit of ``kind`` naming ``group`` is counted
    in (None: not counted there); a group not declared above is a ValueError, never "other".

    >>> normalization_group("regularization", "bullets")
    'bullets'
    >>> normalization_group("regularization", "bulets")
    Traceback (most recent call last):
    ValueError: an edit of kind 'regularization' names the regularization group 'bulets', ..."""
    default = BY_NAME[kind].normalization_group
    if default is None:
        return None
    if group and group not in GROUP_NAMES:
        raise ValueError(f"an edit of kind {kind!r} names the regularization group {group!r}, which "
                         f"pipeline/kinds.py does not declare (it declares {', '.join(sorted(GROUP_NAMES))})")
    return group or default


def category_id(kind: str) -> str:
    """The header's category of an edit kind (the closed set of the taxonomy)."""
    return f"kind-{kind}"
