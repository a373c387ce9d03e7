"""Plain-dict forms of the domain objects, the shapes that report files pin down."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from copydesk.models import (
    Article,
    BriefSentence,
    Claim,
    CopySet,
    Corpus,
    Discrepancy,
    Framing,
    InputFailure,
    Mention,
    Report,
    Reuse,
    Story,
    StoryAnalysis,
)


def article_to_dict(article: Article, *, with_raw: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "author": article.author,
        "text": article.text,
        "sentences": [{"start": s.start, "end": s.end} for s in article.sentences],
        "dropped": [{"text": d.text, "reason": d.reason} for d in article.dropped],
    }
    if with_raw:
        out["raw"] = article.raw
    return out


def failure_to_dict(failure: InputFailure) -> dict[str, str]:
    return {"source": failure.source, "message": failure.message}


def corpus_to_dict(corpus: Corpus, *, with_raw: bool = False) -> dict[str, Any]:
    return {
        "articles": [article_to_dict(a, with_raw=with_raw) for a in corpus.articles],
        "errors": [failure_to_dict(f) for f in corpus.errors],
    }


def _mention(m: Mention) -> dict[str, Any]:
    return {"article": m.article, "start": m.start, "end": m.end}


def reuse_to_dict(r: Reuse) -> dict[str, Any]:
    return {
        "a": r.a,
        "b": r.b,
        "verbatim_chars": r.verbatim_chars,
        "passages": [
            {"a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start, "b_end": p.b_end}
            for p in r.passages
        ],
        "paraphrases": [
            {"a": _mention(p.a), "b": _mention(p.b), "score": p.score} for p in r.paraphrases
        ],
        "coverage_a": r.coverage_a,
        "coverage_b": r.coverage_b,
        "direction": r.direction,
        "evidence": list(r.evidence),
        "substantial": r.substantial,
    }


def claim_to_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "text": c.text,
        "mentions": [_mention(m) for m in c.mentions],
        "articles": list(c.articles),
        "partial": list(c.partial),
        "groups": c.groups,
        "single_source": c.single_source,
        "kind": c.kind,
    }


def discrepancy_to_dict(d: Discrepancy) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "claim": d.claim,
        "variants": [
            {"article": v.article, "text": v.text, "start": v.start, "end": v.end}
            for v in d.variants
        ],
    }


def framing_to_dict(f: Framing) -> dict[str, Any]:
    return {
        "claim": f.claim,
        "family": f.family,
        "variants": [
            {
                "article": v.article,
                "term": v.term,
                "outlet": v.outlet,
                "start": v.start,
                "end": v.end,
            }
            for v in f.variants
        ],
    }


def brief_to_dict(b: BriefSentence) -> dict[str, Any]:
    return {
        "text": b.text,
        "sources": list(b.sources),
        "groups": b.groups,
        "claim": b.claim,
        "section": b.section,
        "mention": _mention(b.mention),
    }


def copies_to_dict(c: CopySet) -> dict[str, Any]:
    return {
        "representative": c.representative,
        "copies": list(c.copies),
        "differences": [
            {
                "article": e.article,
                "start": e.start,
                "end": e.end,
                "copy_start": e.copy_start,
                "copy_end": e.copy_end,
            }
            for e in c.differences
        ],
    }


def story_to_dict(s: StoryAnalysis) -> dict[str, Any]:
    return {
        "id": s.story.id,
        "title": s.story.title,
        "articles": list(s.story.articles),
        "duplicates": [list(d) for d in s.story.duplicates],
        "copies": [copies_to_dict(c) for c in s.copies],
        "groups": [list(g.articles) for g in s.groups],
        "group_reasons": [list(g.reasons) for g in s.groups],
        "reuse": [reuse_to_dict(r) for r in s.reuse],
        "claims": [claim_to_dict(c) for c in s.claims],
        "discrepancies": [discrepancy_to_dict(d) for d in s.discrepancies],
        "framing": [framing_to_dict(f) for f in s.framing],
        "brief": [brief_to_dict(b) for b in s.brief],
    }


def stories_to_dict(stories: Sequence[Story], errors: Sequence[InputFailure]) -> dict[str, Any]:
    """The shape ``copydesk stories`` writes."""
    return {
        "stories": [
            {
                "id": s.id,
                "title": s.title,
                "articles": list(s.articles),
                "duplicates": [list(d) for d in s.duplicates],
            }
            for s in stories
        ],
        "errors": [failure_to_dict(f) for f in errors],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "articles": [article_to_dict(a) for a in report.articles],
        "stories": [story_to_dict(s) for s in report.stories],
        "errors": [failure_to_dict(f) for f in report.errors],
    }


def report_json(report: Report) -> Iterator[str]:
    """``dump_json(report_to_dict(report))``, character for character, in pieces of one
    article or story each: the report of a big pile is never one dict in memory (a
    Python dict of it is about ten times its JSON)."""
    parts: tuple[tuple[str, int, Iterator[dict[str, Any]]], ...] = (
        ("articles", len(report.articles), (article_to_dict(a) for a in report.articles)),
        ("stories", len(report.stories), (story_to_dict(s) for s in report.stories)),
        ("errors", len(report.errors), (failure_to_dict(f) for f in report.errors)),
    )
    yield "{"
    for k, (key, count, items) in enumerate(parts):
        yield f'{"," if k else ""}\n  "{key}": '
        if not count:
            yield "[]"
            continue
        yield "["
        for n, item in enumerate(items):
            text = json.dumps(item, ensure_ascii=False, indent=2)
            yield ("," if n else "") + "\n    " + text.replace("\n", "\n    ")
        yield "\n  ]"
    yield "\n}\n"
