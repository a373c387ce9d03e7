"""What a person calls an article: its outlet, else its site, else its title.

A hash id means nothing to a reader, so every page and report names an article the way
a journalist would: "Harbour Brief", "kestrowpost.example", or the headline when
neither is known. Within one story the names are unique: two articles of one outlet
take their date ("Harbour Brief, 2025-03-04") or, when that does not tell them apart,
a number ("Harbour Brief (2)"), in the story's order.

Library messages (group reasons, reuse evidence) name articles by id; :func:`humanise`
rewrites them with these names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from urllib.parse import urlsplit

from copydesk.models import Article

MAX_TITLE_CHARS = 40


def site_of(url: str | None) -> str | None:
    """The host of an http(s) URL without its ``www.``: ``kestrowpost.example``."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _short(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:–-") + "…"


def article_name(article: Article) -> str:
    """One article's name on its own: outlet, site, title, else its file's name."""
    for candidate in (article.outlet, site_of(article.url), article.title):
        if candidate and candidate.strip():
            return _short(candidate)
    stem = PurePath(article.source.split("#", 1)[0]).name
    return _short(stem) if stem else "untitled article"


def article_names(articles: Iterable[Article]) -> dict[str, str]:
    """Names unique among ``articles`` (one story), keyed by article id, in input order."""
    ordered = list(articles)
    base = {a.id: article_name(a) for a in ordered}
    clashes: dict[str, list[Article]] = {}
    for a in ordered:
        clashes.setdefault(base[a.id], []).append(a)
    names: dict[str, str] = {}
    taken = {n for n, members in clashes.items() if len(members) == 1}
    for name, members in clashes.items():
        if len(members) == 1:
            names[members[0].id] = name
            continue
        dates = [str(a.published) if a.published else "" for a in members]
        by_date = all(dates) and len(set(dates)) == len(dates)
        for k, a in enumerate(members, 1):
            candidate = f"{name}, {dates[k - 1]}" if by_date else f"{name} ({k})"
            while candidate in taken:
                candidate += "′"
            taken.add(candidate)
            names[a.id] = candidate
    return names


def humanise(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every article id in ``names`` replaced by the article's name."""
    ids = tuple(sorted((i for i in names if i), key=lambda i: (-len(i), i)))
    if not ids:
        return text
    return _id_pattern(ids).sub(lambda m: names[m.group()], text)


@functools.lru_cache(maxsize=256)
def _id_pattern(ids: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern per set of ids: a story page humanises hundreds of lines."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")
