"""Plain-dict forms of the domain objects, the shapes that report files pin down."""

from __future__ import annotations

from typing import Any

from copydesk.models import Article, Corpus, InputFailure


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
