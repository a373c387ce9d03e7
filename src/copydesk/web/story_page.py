"""The story page's data: the analysis arranged for a reader, as plain JSON values.

The same dict is the ``.json`` twin and what the template formats. What the first read
of the static report found wrong is decided here:

- the brief is an account: *corroborated* means two or more independent groups; a
  sentence backed by one group says so ("1 source, 5 copies"), however many copies;
- each discrepancy is one line (:mod:`copydesk.report.lines`), its sides side by side;
- articles are named by outlet, site or title (:mod:`copydesk.report.names`);
- the claims matrix has one column per independent group (at most
  :data:`MAX_GROUP_COLUMNS`), corroborated claims first, single-source ones folded,
  claims that differ only by punctuation merged into one row, and pages of
  :data:`CLAIMS_PER_PAGE` rows past the first :data:`CLAIMS_ON_STORY`;
- a section with nothing in it is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from copydesk.analyze.brief import CONTRADICTING
from copydesk.models import Article, Claim, Discrepancy, StoryAnalysis
from copydesk.report.html import word_diff
from copydesk.report.lines import DiscrepancyLine, discrepancy_line, names_text
from copydesk.report.markdown import copies_summary, edit_text
from copydesk.report.names import article_names, humanise
from copydesk.web.graph import group_class
from copydesk.web.urls import article_url, claims_url, outlet_url, sentence_url, story_url

MAX_GROUP_COLUMNS = 12
CLAIMS_ON_STORY = 20
CLAIMS_PER_PAGE = 50
MAX_CHIPS = 8
MAX_CHIP_CHARS = 22


class BadClaimsCursor(ValueError):
    """An ``after`` that names no claim row of this story."""


def sources_label(groups: int, articles: int) -> str:
    """ "3 independent sources", or for one group "1 source, 5 copies"."""
    if groups >= 2:
        return f"{groups} independent sources"
    if articles <= 1:
        return "1 source"
    return f"1 source, {articles} copies"


@dataclass(frozen=True, slots=True)
class StoryContext:
    """What every part of the page needs: the articles, their names and groups."""

    analysis: StoryAnalysis
    articles: Mapping[str, Article]
    names: Mapping[str, str]
    group_of: Mapping[str, int]

    @classmethod
    def build(cls, analysis: StoryAnalysis, articles: Sequence[Article]) -> StoryContext:
        by_id = {a.id: a for a in articles}
        ordered = [by_id[a] for a in analysis.story.articles if a in by_id]
        names = article_names(ordered)
        group_of = {a: i + 1 for i, g in enumerate(analysis.groups) for a in g.articles}
        return cls(analysis, by_id, names, group_of)

    def href(self, article: str, offset: int | None = None) -> str:
        found = self.articles.get(article)
        if found is None or offset is None:
            return article_url(article)
        return sentence_url(found, offset)

    def ref(self, article: str, offset: int | None = None) -> dict[str, Any]:
        return {
            "id": article,
            "name": self.names.get(article, article),
            "href": self.href(article, offset),
        }


def _chips(
    ctx: StoryContext, sources: Sequence[str], where: Mapping[str, int]
) -> list[dict[str, Any]]:
    """One chip per independent group among ``sources``, linking to its first article's
    sentence; the chip counts the group's other copies."""
    by_group: dict[int, list[str]] = {}
    for aid in sources:
        by_group.setdefault(ctx.group_of.get(aid, 0) or -len(by_group) - 1, []).append(aid)
    chips = []
    for group, members in list(by_group.items())[:MAX_CHIPS]:
        first = members[0]
        name = ctx.names.get(first, first)
        name = name if len(name) <= MAX_CHIP_CHARS else name[: MAX_CHIP_CHARS - 1].rstrip() + "…"
        label = name + (f" +{len(members) - 1}" if len(members) > 1 else "")
        chips.append(
            {
                "label": label,
                "href": ctx.href(first, where.get(first)),
                "title": names_text(tuple(ctx.names.get(a, a) for a in members), 12),
                "cls": group_class(max(group, 0)),
            }
        )
    return chips


def _claim_offsets(claim: Claim | None) -> dict[str, int]:
    out: dict[str, int] = {}
    if claim is not None:
        for m in claim.mentions:
            out.setdefault(m.article, m.start)
    return out


def _line_dict(ctx: StoryContext, line: DiscrepancyLine, d: Discrepancy, n: int) -> dict[str, Any]:
    offsets = {v.article: v.start for v in d.variants}
    sides = [
        {"text": line.value(side), "articles": [ctx.ref(a, offsets.get(a)) for a in side.articles]}
        for side in line.sides
    ]
    first_variants = []
    seen_sides: set[str] = set()
    for side in line.sides:
        aid = side.articles[0]
        variant = next(v for v in d.variants if v.article == aid)
        if side.text in seen_sides:
            continue
        seen_sides.add(side.text)
        first_variants.append(variant)
    context: list[dict[str, Any]] = []
    for i, v in enumerate(first_variants):
        article = ctx.articles.get(v.article)
        if article is None:
            continue
        sentence = _sentence(article, v.start, v.end)
        other = first_variants[1 if i == 0 else 0] if len(first_variants) > 1 else v
        other_article = ctx.articles.get(other.article)
        other_text = _sentence(other_article, other.start, other.end) if other_article else sentence
        context.append(
            {
                "article": ctx.ref(v.article, v.start),
                "segments": [
                    {"text": s.text, "cls": s.cls} for s in word_diff(sentence, other_text)
                ],
            }
        )
    return {
        "id": f"d-{n}",
        "kind": d.kind,
        "claim": d.claim,
        "subject": line.subject,
        "line": line.text(),
        "sides": sides,
        "context": context,
    }


def _sentence(article: Article, start: int, end: int) -> str:
    for s in article.sentences:
        if s.start <= start < s.end:
            return article.text[s.start : max(s.end, min(end, len(article.text)))]
    return article.text[start:end]


def discrepancies(ctx: StoryContext) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, d in enumerate(ctx.analysis.discrepancies, 1):
        line = discrepancy_line(d, ctx.articles, ctx.names)
        out.append(_line_dict(ctx, line, d, n))
    return out


def brief(ctx: StoryContext, lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    claims = {c.id: c for c in ctx.analysis.claims}
    corroborated: list[dict[str, Any]] = []
    one_source: list[dict[str, Any]] = []
    for b in ctx.analysis.brief:
        if b.section.startswith("discrepancy"):
            continue
        where = _claim_offsets(claims.get(b.claim or ""))
        where.setdefault(b.mention.article, b.mention.start)
        item = {
            "text": b.text,
            "claim": b.claim,
            "groups": b.groups,
            "articles": len(b.sources),
            "label": sources_label(b.groups, len(b.sources)),
            "chips": _chips(ctx, b.sources, where),
        }
        (corroborated if b.groups >= 2 else one_source).append(item)
    disputed = [
        {"id": line["id"], "line": line["line"]} for line in lines if line["kind"] in CONTRADICTING
    ]
    return {"corroborated": corroborated, "one_source": one_source, "disputed": disputed}


def groups(ctx: StoryContext) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, g in enumerate(ctx.analysis.groups, 1):
        out.append(
            {
                "number": i,
                "name": ctx.names.get(g.articles[0], g.articles[0]) if g.articles else "",
                "cls": group_class(i),
                "articles": [ctx.ref(a) for a in g.articles],
                "reasons": [humanise(r, ctx.names) for r in g.reasons],
            }
        )
    return out


MAX_COPIES_NAMED = 8
MAX_EDITED_SHOWN = 5


def copy_sets(ctx: StoryContext) -> dict[str, Any]:
    """The story's copy sets: each representative, its copies (the first few named) and
    what the edited ones change, in the words of the Markdown report."""
    sets = []
    for c in ctx.analysis.copies:
        edits: dict[str, list[str]] = {}
        for e in c.differences:
            if e.article in ctx.articles and c.representative in ctx.articles:
                edits.setdefault(e.article, []).append(edit_text(e, ctx.articles, c.representative))
        sets.append(
            {
                "representative": ctx.ref(c.representative),
                "count": len(c.copies),
                "copies": [ctx.ref(a) for a in c.copies[:MAX_COPIES_NAMED]],
                "more": max(0, len(c.copies) - MAX_COPIES_NAMED),
                "exact": len(c.copies) - len(edits),
                "edited": [
                    {"article": ctx.ref(a), "changes": found[:3], "more": max(0, len(found) - 3)}
                    for a, found in list(edits.items())[:MAX_EDITED_SHOWN]
                ],
            }
        )
    return {"summary": copies_summary(ctx.analysis), "sets": sets}


def copies(ctx: StoryContext) -> list[dict[str, Any]]:
    """Substantial reuse, original first: who copied whom and how much."""
    out: list[dict[str, Any]] = []
    for r in ctx.analysis.reuse:
        if not r.substantial:
            continue
        src, dst = (r.b, r.a) if r.direction == "b->a" else (r.a, r.b)
        coverage = r.coverage_a if dst == r.a else r.coverage_b
        out.append(
            {
                "original": ctx.ref(src),
                "derived": ctx.ref(dst),
                "direction_known": bool(r.direction),
                "coverage": round(coverage, 3),
                "verbatim_chars": r.verbatim_chars,
                "evidence": [humanise(e, ctx.names) for e in r.evidence],
            }
        )
    out.sort(key=lambda c: (not c["direction_known"], -c["coverage"]))
    return out


def timeline(ctx: StoryContext, added: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each article by when it appeared (publication date, else when the desk got it),
    which came first, what it copied and who copied it."""
    order = list(ctx.analysis.story.articles)
    position = {a: i for i, a in enumerate(order)}

    def when(aid: str) -> str:
        article = ctx.articles.get(aid)
        if article is not None and article.published:
            return article.published.isoformat()
        return added.get(aid, "")[:10]

    derived: dict[str, list[tuple[str, float]]] = {}
    sources: dict[str, list[str]] = {}
    for r in ctx.analysis.reuse:
        if r.substantial and r.direction:
            src, dst = (r.b, r.a) if r.direction == "b->a" else (r.a, r.b)
            cov = r.coverage_a if dst == r.a else r.coverage_b
            derived.setdefault(dst, []).append((src, cov))
            sources.setdefault(src, []).append(dst)
    ranked = sorted(order, key=lambda a: (when(a) or "9999", position[a]))
    first_day = when(ranked[0]) if ranked else ""
    out: list[dict[str, Any]] = []
    for aid in ranked:
        out.append(
            {
                "article": ctx.ref(aid),
                "title": (ctx.articles[aid].title if aid in ctx.articles else None),
                "appeared": when(aid) or None,
                "added": added.get(aid),
                "first": bool(first_day) and when(aid) == first_day,
                "copies": [
                    {**ctx.ref(src), "coverage": round(cov, 3), "appeared": when(src) or None}
                    for src, cov in sorted(derived.get(aid, []), key=lambda t: -t[1])
                ],
                "copied_by": [
                    {**ctx.ref(dst), "appeared": when(dst) or None}
                    for dst in sorted(sources.get(aid, []), key=lambda a: (when(a), position[a]))
                ],
            }
        )
    return out


def _claim_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def claim_rows(ctx: StoryContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All claim rows in page order (corroborated first), and the group columns."""
    ngroups = len(ctx.analysis.groups)
    shown = list(range(1, min(ngroups, MAX_GROUP_COLUMNS) + 1))
    columns = [
        {
            "group": g,
            "name": ctx.names.get(ctx.analysis.groups[g - 1].articles[0], f"group {g}"),
            "cls": group_class(g),
        }
        for g in shown
    ]
    differently: set[tuple[str | None, str]] = {
        (d.claim, v.article) for d in ctx.analysis.discrepancies for v in d.variants
    }
    merged: dict[str, list[Claim]] = {}
    for c in ctx.analysis.claims:
        merged.setdefault(_claim_key(c.text) or c.id, []).append(c)
    rows: list[dict[str, Any]] = []
    for index, same in enumerate(merged.values()):
        head = same[0]
        articles = list(dict.fromkeys(a for c in same for a in c.articles))
        where: dict[str, int] = {}
        for c in same:
            for m in c.mentions:
                where.setdefault(m.article, m.start)
        in_groups = {ctx.group_of.get(a, 0) for a in articles} - {0}
        group_count = max(len(in_groups), max(c.groups for c in same))
        cells: list[dict[str, Any]] = []
        for g in shown:
            members = [a for a in articles if ctx.group_of.get(a) == g]
            if not members:
                cells.append({"state": "", "href": "", "count": 0})
                continue
            disputed = any((c.id, a) in differently for c in same for a in members)
            in_full = any(a in c.articles and a not in c.partial for c in same for a in members)
            cells.append(
                {
                    "state": "d" if disputed else ("y" if in_full else "p"),
                    "href": ctx.href(members[0], where.get(members[0])),
                    "count": len(members),
                }
            )
        rows.append(
            {
                "id": head.id,
                "ids": [c.id for c in same],
                "text": head.text,
                "kind": head.kind,
                "groups": group_count,
                "articles": len(articles),
                "single_source": group_count <= 1,
                "label": sources_label(group_count, len(articles)),
                "cells": cells,
                "more_groups": len([g for g in in_groups if g > MAX_GROUP_COLUMNS]),
                "_order": (group_count <= 1, -group_count, -len(articles), index),
            }
        )
    rows.sort(key=lambda r: r["_order"])
    for r in rows:
        del r["_order"]
    return rows, columns


def claims_page(
    ctx: StoryContext, after: str | None, limit: int = CLAIMS_PER_PAGE
) -> dict[str, Any]:
    """One page of claim rows after the row ``after`` (a claim id), keyset-style."""
    rows, columns = claim_rows(ctx)
    start = 0
    if after:
        ids = [r["id"] for r in rows]
        if after not in ids:
            raise BadClaimsCursor(
                f"bad 'after' cursor {after!r}: use the 'next' value of the previous page"
            )
        start = ids.index(after) + 1
    page = rows[start : start + limit]
    more = start + limit < len(rows)
    next_cursor = page[-1]["id"] if more and page else None
    return {
        "story": summary(ctx),
        "columns": columns,
        "total": len(rows),
        "claims": page,
        "next": next_cursor,
        "next_url": claims_url(ctx.analysis.story.id, next_cursor) if next_cursor else None,
    }


def framing(ctx: StoryContext) -> list[dict[str, Any]]:
    claims = {c.id: c for c in ctx.analysis.claims}
    out: list[dict[str, Any]] = []
    for f in ctx.analysis.framing:
        outlets: dict[str, list[dict[str, Any]]] = {}
        for t in f.variants:
            name = t.outlet or ctx.names.get(t.article, t.article)
            outlets.setdefault(name, []).append(
                {"term": t.term, "href": ctx.href(t.article, t.start)}
            )
        claim = claims.get(f.claim or "")
        out.append(
            {
                "family": f.family,
                "about": claim.text if claim else None,
                "outlets": [{"name": k, "terms": v} for k, v in outlets.items()],
            }
        )
    return out


def summary(ctx: StoryContext) -> dict[str, Any]:
    story = ctx.analysis.story
    members = [ctx.articles[a] for a in story.articles if a in ctx.articles]
    dates = sorted(a.published.isoformat() for a in members if a.published)
    outlets = sorted({a.outlet for a in members if a.outlet})
    return {
        "id": story.id,
        "title": story.title,
        "url": story_url(story.id),
        "articles": len(story.articles),
        "groups": len(ctx.analysis.groups),
        "claims": len(ctx.analysis.claims),
        "discrepancies": len(ctx.analysis.discrepancies),
        "outlets": [{"name": o, "href": outlet_url(o)} for o in outlets],
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
    }


def story_data(ctx: StoryContext, added: Mapping[str, str]) -> dict[str, Any]:
    """The whole story page."""
    lines = discrepancies(ctx)
    rows, columns = claim_rows(ctx)
    several = len(ctx.analysis.story.articles) > 1
    corroborated = [r for r in rows if not r["single_source"]]
    single = [r for r in rows if r["single_source"]]
    shown = corroborated[:CLAIMS_ON_STORY] + single[:CLAIMS_ON_STORY]
    articles = []
    for aid in ctx.analysis.story.articles:
        a = ctx.articles.get(aid)
        if a is None:
            continue
        articles.append(
            {
                **ctx.ref(aid),
                "title": a.title,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else None,
                "group": ctx.group_of.get(aid),
                "cls": group_class(ctx.group_of.get(aid, 0)),
            }
        )
    return {
        "story": summary(ctx),
        "brief": brief(ctx, lines),
        "discrepancies": lines,
        "groups": groups(ctx) if several else [],
        "copies": copies(ctx),
        "copy_sets": copy_sets(ctx),
        "timeline": timeline(ctx, added) if several else [],
        "claims": {
            "total": len(rows),
            "columns": columns,
            "corroborated": [r for r in shown if not r["single_source"]],
            "single_source": [r for r in shown if r["single_source"]],
            "corroborated_total": len(corroborated),
            "single_source_total": len(single),
            "all_url": claims_url(ctx.analysis.story.id),
        }
        if several
        else None,
        "framing": framing(ctx),
        "articles": articles,
    }
