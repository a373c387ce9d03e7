"""report.html: one self-contained page that shows every finding next to its source text.

Python computes a plain view model (segments of article text with CSS classes, graph
coordinates, matrix cells) and Jinja2 templates with autoescaping emit it. Article text is
untrusted: it only ever reaches the page through autoescaped template variables, never
``|safe``, and no link target is built from article data (URLs are shown as text).
The only markup passed through unescaped is this module's own static script.
"""

from __future__ import annotations

import base64
import bisect
import difflib
import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

import jinja2
from markupsafe import Markup

from copydesk.models import (
    Article,
    BriefSentence,
    Claim,
    Mention,
    Report,
    Reuse,
    StoryAnalysis,
)
from copydesk.report.markdown import copies_summary

MAX_REUSE_PANELS = 60
MAX_MATRIX_ROWS = 300
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
BRIEF_SECTIONS = {
    "corroborated": "Corroborated",
    "single-source": "Single-source",
    "discrepancy": "Disputed",
}


@dataclass(frozen=True, slots=True)
class Seg:
    """A run of text with an optional CSS class and element id."""

    text: str
    cls: str = ""
    id: str = ""


@dataclass(slots=True)
class ArticleView:
    article: Article
    num: int
    label: str
    anchor: str
    group: int
    color: str
    copies: int = 0
    same_as: ArticleView | None = None  # an exact copy's representative: one text shown
    starts: list[int] = field(default_factory=list)
    segments: list[Seg] = field(default_factory=list)

    def sentence_anchor(self, offset: int) -> str:
        """The id of the sentence containing ``offset`` (or the article when none does)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return f"{self.anchor}-{self.starts[i]}" if i >= 0 else self.anchor


@dataclass(frozen=True, slots=True)
class Chip:
    label: str
    href: str
    title: str


@dataclass(frozen=True, slots=True)
class Node:
    view: ArticleView
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    lx: float
    ly: float
    label: str
    title: str
    directed: bool


@dataclass(frozen=True, slots=True)
class Graph:
    size: int
    radius: int
    nodes: list[Node]
    edges: list[Edge]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def _label(article: Article) -> str:
    if article.outlet:
        return article.outlet
    return PurePath(article.source).stem or article.id


def spans_to_segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Seg]:
    """Cut ``text`` at every span edge; each piece takes the class of the first span over it."""
    spans = [(max(0, s), min(len(text), e), c) for s, e, c in spans if e > s]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Seg] = []
    for lo, hi in itertools.pairwise(cuts):
        cls = next((c for s, e, c in spans if s <= lo and hi <= e), "")
        if out and out[-1].cls == cls:
            out[-1] = Seg(out[-1].text + text[lo:hi], cls)
        else:
            out.append(Seg(text[lo:hi], cls))
    return out


def _norm(word: str) -> str:
    """Compare words without case or surrounding punctuation: "Big" matches "big."."""
    return word.strip(".,;:!?\"'“”‘’()[]").casefold() or word


def word_diff(text: str, other: str) -> list[Seg]:
    """``text`` as segments, with the words that ``other`` lacks marked ``diff``."""
    words = re.findall(r"\S+|\s+", text)
    others = re.findall(r"\S+|\s+", other)
    out: list[Seg] = []
    matcher = difflib.SequenceMatcher(
        a=[_norm(w) for w in words], b=[_norm(w) for w in others], autojunk=False
    )
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        chunk = "".join(words[i1:i2])
        core = chunk.strip()
        if tag == "equal" or not core:
            out.append(Seg(chunk))
            continue
        lead = chunk[: len(chunk) - len(chunk.lstrip())]
        trail = chunk[len(chunk.rstrip()) :]
        out += [Seg(lead), Seg(core, "diff"), Seg(trail)]
    return [seg for seg in out if seg.text]


def _article_views(s: StoryAnalysis, articles: Mapping[str, Article]) -> list[ArticleView]:
    group_of = {a: i + 1 for i, g in enumerate(s.groups) for a in g.articles}
    sslug = _slug(s.story.id)
    views: list[ArticleView] = []
    seen: set[str] = set()
    for num, aid in enumerate(s.story.articles, 1):
        art = articles[aid]
        aslug = _slug(aid)
        if aslug in seen:
            aslug = f"{aslug}-{num}"
        seen.add(aslug)
        group = group_of.get(aid, 0)
        view = ArticleView(
            article=art,
            num=num,
            label=_label(art),
            anchor=f"s-{sslug}-{aslug}",
            group=group,
            color=PALETTE[(group - 1) % len(PALETTE)] if group else "#999999",
        )
        sentences = sorted(art.sentences, key=lambda x: x.start)
        view.starts = [x.start for x in sentences]
        pos = 0
        for sent in sentences:
            if sent.start < pos:
                continue
            if sent.start > pos:
                view.segments.append(Seg(art.text[pos : sent.start]))
            view.segments.append(
                Seg(art.text[sent.start : sent.end], "s", f"{view.anchor}-{sent.start}")
            )
            pos = sent.end
        if pos < len(art.text):
            view.segments.append(Seg(art.text[pos:]))
        views.append(view)
    return views


def _chips(
    b: BriefSentence,
    claim: Claim | None,
    views: Mapping[str, ArticleView],
    copy_of: Mapping[str, str],
) -> list[Chip]:
    """One chip per source; a copy is counted on its representative's chip (“A1 +199”)."""
    found: dict[str, Mention] = {m.article: m for m in claim.mentions} if claim else {}
    found.setdefault(b.mention.article, b.mention)
    copies = Counter(copy_of[a] for a in b.sources if a in copy_of)
    chips = []
    for aid in b.sources:
        v = views.get(aid)
        if v is None or aid in copy_of:
            continue
        m = found.get(aid)
        href = "#" + (v.sentence_anchor(m.start) if m else v.anchor)
        n = copies.get(aid, 0)
        label, more = (
            (f"A{v.num} +{n}", f" and {n} cop{'y' if n == 1 else 'ies'}")
            if n
            else (f"A{v.num}", "")
        )
        chips.append(Chip(label, href, f"{v.label}: {v.article.title or aid}{more}"))
    return chips


def _graph(views: Sequence[ArticleView], reuse: Iterable[Reuse]) -> Graph:
    ordered = sorted(views, key=lambda v: (v.group or 10**6, v.num))
    n = len(ordered)
    radius = max(110, int(n * 9))
    size = 2 * radius + 120
    c = size / 2
    nodes = []
    where: dict[str, tuple[float, float]] = {}
    for i, v in enumerate(ordered):
        angle = 2 * math.pi * i / max(n, 1) - math.pi / 2
        x, y = round(c + radius * math.cos(angle), 1), round(c + radius * math.sin(angle), 1)
        nodes.append(Node(v, x, y))
        where[v.article.id] = (x, y)
    num = {v.article.id: v.num for v in views}
    edges = []
    for r in reuse:
        if not r.substantial or r.a not in where or r.b not in where:
            continue
        src, dst = (r.b, r.a) if r.direction == "b->a" else (r.a, r.b)
        (x1, y1), (x2, y2) = where[src], where[dst]
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        gap = 16.0
        if r.direction:
            cov = r.coverage_a if src == r.b else r.coverage_b
            label = f"{cov:.0%}"
            title = f"A{num[dst]} derives from A{num[src]}: {cov:.0%} of A{num[dst]} covered"
        else:
            label = f"{r.coverage_a:.0%}/{r.coverage_b:.0%}"
            title = (
                f"A{num[r.a]} and A{num[r.b]} share text (direction unknown): "
                f"{r.coverage_a:.0%} of A{num[r.a]}, {r.coverage_b:.0%} of A{num[r.b]}"
            )
        edges.append(
            Edge(
                x1=round(x1 + ux * gap, 1),
                y1=round(y1 + uy * gap, 1),
                x2=round(x2 - ux * (gap + 2), 1),
                y2=round(y2 - uy * (gap + 2), 1),
                lx=round((x1 + x2) / 2 - uy * 9, 1),
                ly=round((y1 + y2) / 2 + ux * 9, 1),
                label=label,
                title=title,
                directed=bool(r.direction),
            )
        )
    return Graph(size=size, radius=radius, nodes=nodes, edges=edges)


def _matrix(s: StoryAnalysis, columns: Sequence[ArticleView]) -> list[dict[str, object]]:
    differently: set[tuple[str | None, str]] = {
        (d.claim, v.article) for d in s.discrepancies for v in d.variants
    }
    order = sorted(enumerate(s.claims), key=lambda ic: (-ic[1].groups, -len(ic[1].articles), ic[0]))
    rows = []
    for _, claim in order[:MAX_MATRIX_ROWS]:
        where = {m.article: m for m in claim.mentions}
        cells = []
        for v in columns:
            aid = v.article.id
            if (claim.id, aid) in differently:
                state = "d"
            elif aid in claim.partial:
                state = "p"
            elif aid in claim.articles:
                state = "y"
            else:
                cells.append(("", ""))
                continue
            m = where.get(aid)
            cells.append((state, "#" + (v.sentence_anchor(m.start) if m else v.anchor)))
        rows.append({"claim": claim, "cells": cells})
    return rows


def _reuse_panels(
    s: StoryAnalysis, views: Mapping[str, ArticleView], sslug: str
) -> list[dict[str, object]]:
    pairs = [r for r in s.reuse if (r.passages or r.paraphrases) and r.a in views and r.b in views]
    pairs.sort(key=lambda r: (not r.substantial, -max(r.coverage_a, r.coverage_b)))
    panels = []
    for i, r in enumerate(pairs[:MAX_REUSE_PANELS]):
        va, vb = views[r.a], views[r.b]
        spans_a = [(p.a_start, p.a_end, "v") for p in r.passages]
        spans_a += [(p.a.start, p.a.end, "p") for p in r.paraphrases]
        spans_b = [(p.b_start, p.b_end, "v") for p in r.passages]
        spans_b += [(p.b.start, p.b.end, "p") for p in r.paraphrases]
        arrow = {"a->b": f"A{va.num} → A{vb.num}", "b->a": f"A{vb.num} → A{va.num}"}
        panels.append(
            {
                "id": f"r-{sslug}-{i + 1}",
                "r": r,
                "a": va,
                "b": vb,
                "arrow": arrow.get(r.direction or "", f"A{va.num} — A{vb.num}"),
                "seg_a": spans_to_segments(va.article.text, spans_a),
                "seg_b": spans_to_segments(vb.article.text, spans_b),
            }
        )
    return panels


def _copy_sets(
    s: StoryAnalysis, articles: Mapping[str, Article], by_id: Mapping[str, ArticleView]
) -> list[dict[str, object]]:
    """Each copy set: its representative, its copies, and the edits of those that differ,
    the words of each side in the copy's own order."""
    out: list[dict[str, object]] = []
    for c in s.copies:
        edits: dict[str, list[tuple[str, str]]] = {}
        for e in c.differences:
            before = articles[c.representative].text[e.start : e.end]
            after = articles[e.article].text[e.copy_start : e.copy_end]
            edits.setdefault(e.article, []).append(
                (" ".join(before.split()), " ".join(after.split()))
            )
        out.append(
            {
                "rep": by_id[c.representative],
                "copies": [by_id[a] for a in c.copies if a in by_id],
                "exact": len(c.copies) - len(edits),
                "edited": [(by_id[a], found) for a, found in edits.items() if a in by_id],
            }
        )
    return out


def _story_view(s: StoryAnalysis, articles: Mapping[str, Article]) -> dict[str, object]:
    sslug = _slug(s.story.id)
    views = _article_views(s, articles)
    by_id = {v.article.id: v for v in views}
    copy_of = {a: c.representative for c in s.copies for a in c.copies}
    copied = set(copy_of)
    for c in s.copies:
        by_id[c.representative].copies = len(c.copies)
        edited = {e.article for e in c.differences}
        for a in c.copies:
            if a not in edited and articles[a].text == articles[c.representative].text:
                by_id[a].same_as = by_id[c.representative]
    # A copy states what its representative states: one column and one node stand for all.
    read = [v for v in views if v.article.id not in copied]
    claims = {c.id: c for c in s.claims}
    sections: dict[str, list[dict[str, object]]] = {k: [] for k in BRIEF_SECTIONS}
    for b in s.brief:
        key, _, kind = b.section.partition(":")
        sections.setdefault(key, []).append(
            {"b": b, "kind": kind, "chips": _chips(b, claims.get(b.claim or ""), by_id, copy_of)}
        )
    columns = sorted(read, key=lambda v: (v.group or 10**6, v.num))
    discrepancies = []
    for d in s.discrepancies:
        variants = []
        for i, var in enumerate(d.variants):
            other = d.variants[1 if i == 0 else 0].text if len(d.variants) > 1 else var.text
            v = by_id.get(var.article)
            variants.append(
                {
                    "view": v,
                    "segments": word_diff(var.text, other),
                    "href": "#" + v.sentence_anchor(var.start) if v else "",
                }
            )
        discrepancies.append({"d": d, "claim": claims.get(d.claim or ""), "variants": variants})
    framing = []
    for f in s.framing:
        outlets: dict[str, list[tuple[str, str]]] = {}
        for t in f.variants:
            v = by_id.get(t.article)
            name = t.outlet or (v.label if v else t.article)
            href = "#" + v.sentence_anchor(t.start) if v else ""
            outlets.setdefault(name, []).append((t.term, href))
        framing.append({"f": f, "claim": claims.get(f.claim or ""), "outlets": outlets})
    return {
        "s": s,
        "slug": sslug,
        "views": views,
        "groups": [[by_id[a] for a in g.articles if a in by_id] for g in s.groups],
        "group_reasons": [g.reasons for g in s.groups],
        "sections": [(BRIEF_SECTIONS.get(k, k), v) for k, v in sections.items() if v],
        "graph": _graph(read, s.reuse),
        "copy_sets": _copy_sets(s, articles, by_id),
        "copies_summary": copies_summary(s),
        "copied": len(copied),
        "columns": columns,
        "matrix": _matrix(s, columns),
        "hidden_rows": max(0, len(s.claims) - MAX_MATRIX_ROWS),
        "discrepancies": discrepancies,
        "framing": framing,
        "panels": _reuse_panels(s, by_id, sslug),
        "pair_count": len(s.reuse),
    }


# A claims-matrix cell: its sign and what it says, for the report and the web desk.
# "p": the article states the claim's fact but not all of its text (``Claim.partial``).
CELL_MARKS = {
    "y": ("●", "stated"),
    "d": ("◐", "stated differently"),
    "p": ("○", "stated in part"),
}


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("copydesk", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["marks"] = CELL_MARKS
    return env


def render_html(report: Report) -> str:
    """Render ``report`` as one HTML page that needs no network and no other file."""
    env = template_environment()
    script = env.get_template("report.js").render()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    articles = {a.id: a for a in report.articles}
    stories = [_story_view(s, articles) for s in report.stories]
    return env.get_template("report.html").render(
        report=report,
        stories=stories,
        script=Markup(script),  # our own static file, never article text
        script_hash=f"sha256-{digest}",
    )
