"""The book's logical structure from the METS: each division of the logical map with its
type, its title (its MODS record's, else its LABEL) and the page it begins on (the first
page the structLink ties it to, as an index into the physical order), nested as in the map.

The outermost division, alone at the top of the map, is the book itself (``monograph``,
``volume``, ``periodical_volume``…), not a division of its text: its children are (a map
with that division only leaves the structure the pipeline finds as it is). A division no
link ties to a page begins where the first of its children does; one with neither is left
out (nothing says where it is).
"""

from __future__ import annotations

from pipeline.ingest.mets.mets import LogicalDiv, Mets
from pipeline.ingest.mets.mods import read_record
from pipeline.model import Division



def divisions(mets: Mets) -> list[Division]:
    """The book's divisions from the METS's logical structure map, each with the page it begins on."""
    pages = {page.id: index for index, page in enumerate(mets.pages)}
    top = mets.logical
    while len(top) == 1:
        top = top[0].children
    return [division for div in top if (division := _division(div, mets, pages)) is not None]


def _division(div: LogicalDiv, mets: Mets, pages: dict[str, int]) -> Division | None:
    children = [d for child in div.children if (d := _division(child, mets, pages)) is not None]
    linked = [pages[target] for target in mets.links.get(div.id, []) if target in pages]
    start = min(linked) if linked else min((c.page for c in children if c.page is not None), default=None)
    if start is None:
        return None
    head = None
    if div.dmdid and div.dmdid in mets.dmd:
        head = read_record(mets.dmd[div.dmdid]).title
    return Division(type=div.type, head=head or div.label, page=start, children=children)
