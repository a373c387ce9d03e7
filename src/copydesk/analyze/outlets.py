"""What copydesk can say about a source that nobody else measures automatically: how often
it is first with a fact, how much of what it publishes is reused from others and from
whom, whether it says so when it reuses, and the loaded terms it uses.

Everything is read off stored story analyses; each figure keeps the articles it rests
on, so that a reader can check it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from copydesk.models import Article, OutletFigure, OutletProfile, StoryAnalysis

# Credit given in the text: "according to Reuters", "told the Kestrow Post",
# "reported by", "first reported", a wire tag such as "(AP)" or "— Reuters".
ATTRIBUTION = re.compile(
    r"\baccording to\b|\btold (?:the )?[A-Z]\w+|\b(?:first |as )?reported by\b|"
    r"\bfirst reported\b|\(\s*(?:AP|AFP|Reuters|dpa|PA|ANSA|EFE)\s*\)|[—–-]\s*Reuters\b|"
    r"\bcited by\b|\bquoted by\b",
)


def _figure(hits: Sequence[str], total: int) -> OutletFigure:
    return OutletFigure(count=len(hits), total=total, articles=tuple(hits))


def _same(outlet: str | None, name: str) -> bool:
    return outlet is not None and outlet.casefold() == name.casefold()


def profile_outlet(
    name: str, analyses: Sequence[StoryAnalysis], articles: Mapping[str, Article]
) -> OutletProfile:
    """The profile of outlet ``name`` over the stories in ``analyses``; ``articles`` holds
    every article of those stories."""
    own = [a for a in articles.values() if _same(a.outlet, name)]
    own_ids = {a.id for a in own}
    first_hits: list[str] = []
    first_total = 0
    derived: dict[str, str] = {}
    in_multi: set[str] = set()
    framing: dict[str, list[str]] = defaultdict(list)
    for analysis in analyses:
        members = analysis.story.articles
        if len(members) > 1:
            in_multi |= own_ids & set(members)
        for claim in analysis.claims:
            mine = [a for a in claim.articles if a in own_ids]
            if len(claim.articles) < 2 or not mine:
                continue
            # Only dated articles can be first; the claim counts when this outlet's
            # version and at least one other are dated.
            dates = {a: d for a in claim.articles if a in articles and (d := articles[a].published)}
            if len(dates) < 2 or not any(a in dates for a in mine):
                continue
            first_total += 1
            # First means alone on the earliest day: a tie with another outlet is no lead.
            earliest = min(dates.values())
            leaders = [a for a, d in dates.items() if d == earliest]
            firsts = leaders if all(a in own_ids for a in leaders) else []
            if firsts:
                first_hits.append(firsts[0])
        for reuse in analysis.reuse:
            if not reuse.substantial or reuse.direction is None:
                continue
            source, copy = (reuse.a, reuse.b) if reuse.direction == "a->b" else (reuse.b, reuse.a)
            if copy in own_ids and source in articles:
                other = articles[source].outlet
                if not _same(other, name):
                    derived.setdefault(copy, other or "unknown outlet")
        # A copy derives from its representative, the earliest version of its text.
        for copy_set in analysis.copies:
            original = articles.get(copy_set.representative)
            for copy in copy_set.copies:
                if copy in own_ids and original and not _same(original.outlet, name):
                    derived.setdefault(copy, original.outlet or "unknown outlet")
        for found in analysis.framing:
            for term in found.variants:
                if term.article in own_ids:
                    framing[term.term.lower()].append(term.article)
    by_source: dict[str, list[str]] = defaultdict(list)
    for copy, source in derived.items():
        by_source[source].append(copy)
    attributed = [a for a in derived if ATTRIBUTION.search(articles[a].text)]
    return OutletProfile(
        outlet=own[0].outlet if own and own[0].outlet else name,
        articles=tuple(a.id for a in own),
        stories=tuple(a.story.id for a in analyses if own_ids & set(a.story.articles)),
        first=OutletFigure(len(first_hits), first_total, tuple(sorted(set(first_hits)))),
        reused=_figure(sorted(derived), len(in_multi)),
        reused_from=tuple(
            (source, _figure(sorted(ids), len(derived)))
            for source, ids in sorted(by_source.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ),
        attributed=_figure(sorted(attributed), len(derived)),
        framing=tuple(
            (term, _figure(sorted(set(ids)), len(own)))
            for term, ids in sorted(framing.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ),
    )
