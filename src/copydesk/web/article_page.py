"""The article page's data: the clean text with what copydesk found in it.

The text is cut into sentences (each an element ``s-START``, which the story page's
chips link to) and, inside them, highlighted pieces: a variant of a discrepancy (linked
to the story's line), a passage reused verbatim or a paraphrased sentence (linked to
the same words in the other article), a claim (linked to the claim's entry below). A
piece that several findings cover takes the first in that order. The text itself is
never markup: templates escape every piece.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from copydesk.models import Article, ArticleVersion
from copydesk.report.html import word_diff
from copydesk.report.lines import discrepancy_line, names_text
from copydesk.report.serialize import article_to_dict
from copydesk.web.story_page import StoryContext, sources_label
from copydesk.web.urls import outlet_url, sentence_url, story_url

MAX_CLAIM_PEERS = 8
KINDS = {"d": "disputed detail", "v": "reused verbatim", "p": "paraphrased", "c": "claim"}

Span = tuple[int, int, str, str, str]  # start, end, kind, href, title


def _spans(article: Article, ctx: StoryContext | None) -> tuple[list[Span], list[dict[str, Any]]]:
    """Highlights in priority order, and the same as JSON values."""
    if ctx is None:
        return [], []
    aid = article.id
    spans: list[Span] = []
    story = ctx.analysis.story.id
    for n, d in enumerate(ctx.analysis.discrepancies, 1):
        mine = [v for v in d.variants if v.article == aid]
        if mine:
            line = discrepancy_line(d, ctx.articles, ctx.names).text()
            for v in mine:
                spans.append((v.start, v.end, "d", f"{story_url(story)}#d-{n}", line))
    for r in ctx.analysis.reuse:
        if aid not in (r.a, r.b):
            continue
        other_id = r.b if r.a == aid else r.a
        other = ctx.articles.get(other_id)
        name = ctx.names.get(other_id, other_id)
        for p in r.passages:
            mine_at, theirs_at = (p.a_start, p.a_end), p.b_start
            if r.b == aid:
                mine_at, theirs_at = (p.b_start, p.b_end), p.a_start
            href = sentence_url(other, theirs_at) if other else ""
            spans.append((*mine_at, "v", href, f"the same words in {name}"))
        for q in r.paraphrases:
            mine_m, theirs_m = (q.a, q.b) if q.a.article == aid else (q.b, q.a)
            href = sentence_url(other, theirs_m.start) if other else ""
            spans.append((mine_m.start, mine_m.end, "p", href, f"paraphrased in {name}"))
    for c in ctx.analysis.claims:
        for m in c.mentions:
            if m.article == aid:
                label = sources_label(c.groups, len(c.articles))
                spans.append((m.start, m.end, "c", f"#claim-{c.id}", f"claim: {label}"))
    order = {"d": 0, "v": 1, "p": 2, "c": 3}
    spans.sort(key=lambda s: order[s[2]])
    as_json = [
        {"start": s, "end": e, "kind": KINDS[k], "href": h, "title": t} for s, e, k, h, t in spans
    ]
    return spans, as_json


def text_blocks(article: Article, spans: Sequence[Span]) -> list[dict[str, Any]]:
    """The text as sentence blocks of pieces; a block's ``id`` is ``s-START`` or empty."""
    text = article.text
    bounds: list[tuple[int, int, str]] = []
    pos = 0
    for s in sorted(article.sentences, key=lambda x: x.start):
        if s.start < pos:
            continue
        if s.start > pos:
            bounds.append((pos, s.start, ""))
        bounds.append((s.start, s.end, f"s-{s.start}"))
        pos = s.end
    if pos < len(text):
        bounds.append((pos, len(text), ""))
    blocks = []
    for lo, hi, ident in bounds:
        inside = [s for s in spans if s[0] < hi and s[1] > lo]
        cuts = sorted({lo, hi, *(max(lo, s[0]) for s in inside), *(min(hi, s[1]) for s in inside)})
        pieces: list[dict[str, str]] = []
        for a, b in itertools.pairwise(cuts):
            span = next((s for s in inside if s[0] <= a and b <= s[1]), None)
            piece = {"text": text[a:b], "cls": "", "href": "", "title": ""}
            if span is not None:
                piece.update(cls=span[2], href=span[3], title=span[4])
            if pieces and all(pieces[-1][k] == piece[k] for k in ("cls", "href", "title")):
                pieces[-1]["text"] += piece["text"]
            else:
                pieces.append(piece)
        blocks.append({"id": ident, "pieces": pieces})
    return blocks


def _claims(article: Article, ctx: StoryContext | None) -> list[dict[str, Any]]:
    if ctx is None:
        return []
    out: list[dict[str, Any]] = []
    for c in ctx.analysis.claims:
        mine = [m for m in c.mentions if m.article == article.id]
        if not mine:
            continue
        peers: list[dict[str, Any]] = []
        for m in c.mentions:
            if m.article != article.id and m.article not in {p["id"] for p in peers}:
                peers.append(ctx.ref(m.article, m.start))
        out.append(
            {
                "id": c.id,
                "text": c.text,
                "kind": c.kind,
                "groups": c.groups,
                "label": sources_label(c.groups, len(c.articles)),
                "here": sentence_url(article, mine[0].start),
                "others": peers[:MAX_CLAIM_PEERS],
                "more_others": max(0, len(peers) - MAX_CLAIM_PEERS),
            }
        )
    out.sort(key=lambda c: (-c["groups"], c["id"]))
    return out


def _reuse(article: Article, ctx: StoryContext | None) -> list[dict[str, Any]]:
    if ctx is None:
        return []
    out: list[dict[str, Any]] = []
    for r in ctx.analysis.reuse:
        if article.id not in (r.a, r.b) or not (r.passages or r.paraphrases):
            continue
        other = r.b if r.a == article.id else r.a
        mine_cov = r.coverage_a if r.a == article.id else r.coverage_b
        if not r.direction:
            relation = "shares text with"
        elif (r.direction == "a->b") == (r.b == article.id):
            relation = "reuses"
        else:
            relation = "is reused by"
        out.append(
            {
                "other": ctx.ref(other),
                "relation": relation,
                "substantial": r.substantial,
                "coverage": round(mine_cov, 3),
                "verbatim_chars": r.verbatim_chars,
                "paraphrases": len(r.paraphrases),
            }
        )
    out.sort(key=lambda x: (not x["substantial"], -x["coverage"]))
    return out


def _versions(versions: Sequence[ArticleVersion]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    previous: ArticleVersion | None = None
    for v in versions:
        item: dict[str, Any] = {
            "version": v.version,
            "added": v.added,
            "title": v.article.title,
            "chars": len(v.article.text),
        }
        if previous is not None:
            item["removed"] = [
                {"text": s.text, "cls": s.cls}
                for s in word_diff(previous.article.text, v.article.text)
            ]
            item["added_words"] = [
                {"text": s.text, "cls": s.cls}
                for s in word_diff(v.article.text, previous.article.text)
            ]
        out.append(item)
        previous = v
    return out


def safe_link(url: str | None) -> str | None:
    """A URL fit for an href: http(s) only, so that a ``javascript:`` URL stays text."""
    if not url:
        return None
    lowered = url.strip().lower()
    return url.strip() if lowered.startswith(("http://", "https://")) else None


def article_data(
    article: Article, ctx: StoryContext | None, versions: Sequence[ArticleVersion]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The page's JSON data, and the text blocks the template draws from it."""
    spans, highlights = _spans(article, ctx)
    base = article_to_dict(article)
    base["name"] = ctx.names.get(article.id, article.id) if ctx else None
    base["link"] = safe_link(article.url)
    lines: list[dict[str, Any]] = []
    if ctx is not None:
        for n, d in enumerate(ctx.analysis.discrepancies, 1):
            if any(v.article == article.id for v in d.variants):
                line = discrepancy_line(d, ctx.articles, ctx.names)
                lines.append(
                    {"line": line.text(), "href": f"{story_url(ctx.analysis.story.id)}#d-{n}"}
                )
    data = {
        "article": base,
        "outlet_url": outlet_url(article.outlet) if article.outlet else None,
        "story": (
            {
                "id": ctx.analysis.story.id,
                "title": ctx.analysis.story.title,
                "url": story_url(ctx.analysis.story.id),
                "group": ctx.group_of.get(article.id),
                "group_names": names_text(
                    tuple(
                        ctx.names.get(a, a)
                        for g in ctx.analysis.groups
                        if article.id in g.articles
                        for a in g.articles
                        if a != article.id
                    ),
                    6,
                ),
            }
            if ctx
            else None
        ),
        "highlights": highlights,
        "reuse": _reuse(article, ctx),
        "claims": _claims(article, ctx),
        "discrepancies": lines,
        "versions": _versions(versions),
    }
    return data, text_blocks(article, spans)
