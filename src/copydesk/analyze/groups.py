"""Independent source groups: articles tied by substantial reuse count as one source."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models import Reuse, SourceGroup


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
        ) or ("no substantial reuse with any other article",)
        groups.append(SourceGroup(articles=tuple(ids), reasons=reasons))
    return groups
