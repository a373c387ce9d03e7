"""Independent source groups: articles tied by substantial reuse count as one source."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models import CopySet, Reuse, SourceGroup

ALONE = "no substantial reuse with any other article"


def independent_groups(article_ids: Sequence[str], reuse: Sequence[Reuse]) -> list[SourceGroup]:
    """Connected components of the substantial-reuse graph, each with the ties that made it.

    Shared quotes never tie articles (reuse ignores quoted words), so two outlets quoting
    the same speaker stay independent.
    """
    parent = {a: a for a in article_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in reuse:
        if r.substantial:
            ra, rb = find(r.a), find(r.b)
            if ra != rb:
                parent[max(ra, rb, key=article_ids.index)] = min(ra, rb, key=article_ids.index)
    members: dict[str, list[str]] = {}
    for a in article_ids:
        members.setdefault(find(a), []).append(a)
    groups = []
    for ids in members.values():
        reasons = tuple(
            f"{r.a} and {r.b}: " + "; ".join(r.evidence)
            for r in reuse
            if r.substantial and r.a in ids and r.b in ids
        ) or (ALONE,)
        groups.append(SourceGroup(articles=tuple(ids), reasons=reasons))
    return groups


def with_copies(
    groups: Sequence[SourceGroup], sets: Sequence[CopySet], order: Sequence[str]
) -> list[SourceGroup]:
    """``groups`` with each copy in its representative's group: a copy is never a source
    of its own, however many outlets publish it. The tie is said once per copy set."""
    by_rep = {s.representative: s for s in sets}
    position = {a: i for i, a in enumerate(order)}
    out = []
    for g in groups:
        found = [by_rep[a] for a in g.articles if a in by_rep]
        if not found:
            out.append(g)
            continue
        articles = sorted(
            {*g.articles, *(c for s in found for c in s.copies)}, key=position.__getitem__
        )
        ties = tuple(_copies_reason(s) for s in found)
        alone = g.reasons == (ALONE,)
        out.append(SourceGroup(tuple(articles), ties if alone else (*g.reasons, *ties)))
    return out


def _copies_reason(s: CopySet) -> str:
    n = len(s.copies)
    edited = ", some with a few words changed" if s.differences else ""
    return f"{n} cop{'y' if n == 1 else 'ies'} of {s.representative} (the same text{edited})"
