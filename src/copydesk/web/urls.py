"""The web desk's URLs, built in one place: ids and names are quoted, never trusted."""

from __future__ import annotations

import bisect
from urllib.parse import quote, urlencode

from copydesk.models import Article


def story_url(story: str, *, json: bool = False) -> str:
    return f"/stories/{quote(story, safe='')}" + (".json" if json else "")


def claims_url(story: str, after: str | None = None) -> str:
    base = f"/stories/{quote(story, safe='')}/claims"
    return base + (f"?{urlencode({'after': after})}" if after else "")


def article_url(article: str, fragment: str = "") -> str:
    return f"/articles/{quote(article, safe='')}" + (f"#{fragment}" if fragment else "")


def outlet_url(outlet: str) -> str:
    return f"/outlets/{quote(outlet, safe='')}"


def sentence_id(article: Article, offset: int) -> str:
    """The element id of the sentence of ``article`` that holds ``offset``."""
    starts = [s.start for s in article.sentences]
    i = bisect.bisect_right(starts, offset) - 1
    return f"s-{starts[i]}" if i >= 0 else "text"


def sentence_url(article: Article, offset: int) -> str:
    """The article page, scrolled to (and highlighting) the sentence at ``offset``."""
    return article_url(article.id, sentence_id(article, offset))


def with_query(path: str, params: dict[str, str | None]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return path + (f"?{urlencode(kept)}" if kept else "")
