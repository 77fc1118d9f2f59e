"""The language stage's shortcuts give what the plain computation gives: each fast path is
checked against the straightforward one on the seeds, the real corpora's texts and composed input."""

from __future__ import annotations

import random

from pipeline.stages.language import _fill_from_context


def _fill_from_context_plainly(labels: list[str | None], scripts: list[str | None]) -> None:
    """The rule as first written: for every block, the nearest judged block after and before
    it per script (None: any script), then the choice."""
    n = len(labels)
    following: list[dict[str | None, str]] = [{} for _ in range(n)]
    preceding: list[dict[str | None, str]] = [{} for _ in range(n)]
    seen: dict[str | None, str] = {}
    for i in range(n - 1, -1, -1):
        following[i] = dict(seen)
        if labels[i] is not None:
            seen[scripts[i]] = seen[None] = labels[i]
    seen = {}
    for i in range(n):
        preceding[i] = dict(seen)
        if labels[i] is not None:
            seen[scripts[i]] = seen[None] = labels[i]
    for i in range(n):
        if labels[i] is None:
            script = scripts[i]
            labels[i] = (following[i].get(script) or preceding[i].get(script)
                         or following[i].get(None) or preceding[i].get(None))


def test_unjudged_blocks_take_the_same_neighbours_language_as_the_plain_rule():
    """Random documents of blocks in a few scripts (some without letters), a few labelled."""
    rng = random.Random(5)
    for _ in range(3000):
        n = rng.randrange(0, 14)
        scripts = [rng.choice(["latin", "latin", "greek", "han", None]) for _ in range(n)]
        labels = [rng.choice([None, None, "en", "de", "el", "zh-Hant"]) for _ in range(n)]
        fast, plain = list(labels), list(labels)
        _fill_from_context(fast, scripts)
        _fill_from_context_plainly(plain, scripts)
        assert fast == plain, (labels, scripts)
