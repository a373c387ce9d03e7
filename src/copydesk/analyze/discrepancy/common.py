"""What every rule family of :mod:`copydesk.analyze.discrepancy` shares: the rule
signature, the text of a mention, and small readings of words and runs.

Kept apart so that no family imports another: each rule module depends on this one and
on :mod:`copydesk.analyze.tokens` only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# A rule reads one claim's mentions, grouped by article, against the articles' text.
Rule = Callable[[Claim, Mapping[str, list[Mention]], Mapping[str, Article]], list[Discrepancy]]


def mention_text(articles: Mapping[str, Article], m: Mention) -> str:
    """The text a mention points at: a mention is a span, never a copy."""
    return articles[m.article].text[m.start : m.end]


def matches(
    pattern: re.Pattern[str],
    by_article: Mapping[str, list[Mention]],
    articles: Mapping[str, Article],
) -> Iterator[tuple[re.Match[str], Variant]]:
    """Each match of ``pattern`` in the mentions, with its text and span as a variant."""
    for article, mentions in by_article.items():
        for m in mentions:
            for match in pattern.finditer(mention_text(articles, m)):
                span = (m.start + match.start(), m.start + match.end())
                yield match, Variant(article, match.group(), *span)


def run_at(longer: Sequence[str], shorter: Sequence[str]) -> int | None:
    """Where the words of ``shorter`` stand together in ``longer``, if they do."""
    n = len(shorter)
    return next((i for i in range(len(longer) - n + 1) if longer[i : i + n] == shorter), None)


def one_per_article(variants: list[Variant]) -> list[Variant]:
    """The first variant of each article, in order: one article saying a thing twice
    is one version of it, not two."""
    seen: set[str] = set()
    out = []
    for v in variants:
        if v.article not in seen:
            seen.add(v.article)
            out.append(v)
    return out


def lower_words(text: str) -> list[str]:
    """The words of ``text`` in lower case, punctuation dropped: what two variants are
    compared on."""
    return re.findall(r"\w+", text.lower())
