"""Qualifiers: one article limits with a negating prefix ("non-lethal military
equipment") what another states without it.

:data:`NEGATED_QUALIFIER` is public: :mod:`copydesk.analyze.copies` reads it to tell a
copy edit that changes a finding from one that only rewords.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from copydesk.analyze.discrepancy.common import mention_text, one_per_article
from copydesk.analyze.tokens import STOP, WORD, stem, tokens
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# A negating prefix limits what its noun phrase covers ("non-lethal aid", "non-binding").
# Lower case only: "Non-Proliferation Treaty" is a name, not a limit.
NEGATED_QUALIFIER = re.compile(r"\bnon-([a-z]+)\s+([a-z]+)")


def _phrase(text: str, start: int, end: int, words: int = 3) -> tuple[int, int]:
    """Grow ``text[start:end]`` over the content words right after it, up to ``words``
    in all: "military" -> "military equipment", "civil" -> "civil rights group". The
    whole phrase is what a qualifier limits (in "non-profit civil rights group" the
    group, not civil rights). Never backwards: without a tagger the word before may be
    a verb ("sent aid") as easily as an adjective."""
    count = len(WORD.findall(text[start:end]))
    while count < words and text[end : end + 1] == " ":
        after = WORD.match(text, end + 1)
        if not after or after.group().lower() in STOP:
            break
        end, count = after.end(), count + 1
    return start, end


def qualifier_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article limits with a negating prefix ("non-lethal military equipment") what
    another states without it ("military equipment"): not the same thing was said."""
    qualified: dict[tuple[str, ...], list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            text = mention_text(articles, m)
            for match in NEGATED_QUALIFIER.finditer(text):
                if match.group(2) in STOP:
                    continue
                _, b = _phrase(text, match.start(2), match.end(2))
                a = match.start()
                # What is limited: the words after the qualifier ("military equipment").
                key = tuple(stem(w) for w in WORD.findall(text[match.start(2) : b]))
                qualified.setdefault(key, []).append(
                    Variant(article, text[a:b], m.start + a, m.start + b)
                )
    out = []
    for key in sorted(qualified):
        limited = {v.article for v in qualified[key]}
        plain: list[Variant] = []
        for article, mentions in by_article.items():
            if article in limited:
                continue
            for m in mentions:
                text = mention_text(articles, m)
                toks = tokens(text)
                for k, tok in enumerate(toks):
                    words = toks[k : k + len(key)]
                    if tok.text.islower() and tuple(stem(t.text) for t in words) == key:
                        a, b = tok.start, words[-1].end
                        plain.append(Variant(article, text[a:b], m.start + a, m.start + b))
        if plain:
            variants = one_per_article(qualified[key]) + one_per_article(plain)
            out.append(Discrepancy(kind="qualifier", claim=claim.id, variants=tuple(variants)))
    return out
