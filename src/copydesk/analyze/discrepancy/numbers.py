"""Numbers: the same counted thing given different figures, read so that rounding and
hedging ("about 300") are not disagreements; and :func:`same_version`, which reads two
variant texts the way the rules do, for the brief and the faithfulness check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from copydesk.analyze.discrepancy.common import lower_words, mention_text, one_per_article, run_at
from copydesk.analyze.tokens import quantities
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# Figures this close are one figure rounded, not two accounts; a hedged figure ("about",
# "almost", "more than") covers more.
ROUNDING = 0.02
HEDGED_ROUNDING = 0.1
# The words before a figure that hedge it ("about 300", "more than $5 million").
_HEDGE = re.compile(
    r"\b(?:about|around|almost|nearly|roughly|some|approximately|an estimated|more than|"
    r"over|up to|at least|close to|less than|fewer than)\s+(?:US|A|C)?(?:[$£€¥]\s*)?$",
    re.I,
)
# Counted things named differently by different outlets.
_UNIT_SYNONYMS = {
    "hurt": "injur",
    "wound": "injur",
    "injuri": "injur",
    "kill": "dead",
    "die": "dead",
    "death": "dead",
    "detain": "arrest",
    "detent": "arrest",
}


def number_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """The same counted thing ('injured') with different numbers in different articles."""
    by_unit: dict[str, dict[float, list[Variant]]] = {}
    hedged: set[float] = set()
    for article, mentions in by_article.items():
        for m in mentions:
            text = mention_text(articles, m)
            for q in quantities(text):
                if q.unit:
                    unit = _UNIT_SYNONYMS.get(q.unit, q.unit)
                    variant = Variant(article, q.text, m.start + q.start, m.start + q.end)
                    by_unit.setdefault(unit, {}).setdefault(q.value, []).append(variant)
                    if _HEDGE.search(text[: q.start]):
                        hedged.add(q.value)
    out = []
    for unit in sorted(by_unit):
        values = by_unit[unit]
        per_article: dict[str, set[float]] = {}
        for value, vs in values.items():
            for v in vs:
                per_article.setdefault(v.article, set()).add(value)
        sets = list(per_article.values())
        # Articles disagree when they share no value for the same counted thing, and no
        # article gives both (then the numbers count different things: 2 of 5 terminals).
        if any(len(a) > 1 for a in sets):
            continue
        if any(not _agree(a, b, hedged) for i, a in enumerate(sets) for b in sets[i + 1 :]):
            flat = [v for value in sorted(values) for v in one_per_article(values[value])]
            out.append(Discrepancy(kind="number", claim=claim.id, variants=tuple(flat)))
    return out


def _agree(a: set[float], b: set[float], hedged: set[float]) -> bool:
    """Some value of one close to some value of the other: a rounded figure ("335,000")
    does not contradict the exact one ("335,435"), nor a hedged one ("almost 20
    million") a figure it hedges ("19.5 million")."""
    return any(
        abs(x - y) <= (HEDGED_ROUNDING if {x, y} & hedged else ROUNDING) * max(abs(x), abs(y))
        for x in a
        for y in b
    )


def same_version(kind: str, a: str, b: str) -> bool:
    """Whether two variant texts of a discrepancy of ``kind`` give the same version:
    figures that agree as the number rule reads them ("48,000" / "48,215", "a third" /
    "one in three"), a date and the same date written with its weekday ("Saturday" /
    "Saturday, March 1"), otherwise the same words."""
    words_a, words_b = lower_words(a), lower_words(b)
    if words_a == words_b:
        return True
    if kind == "number":
        values_a, values_b = _figures(a), _figures(b)
        return bool(values_a and values_b) and _agree(values_a, values_b, set())
    if kind == "date":
        shorter, longer = sorted((words_a, words_b), key=len)
        return run_at(longer, shorter) is not None
    return False


def _figures(variant: str) -> set[float]:
    """The values of a number variant, which is the figure alone: "a third" was read as
    a share ("a third of ...") where it stood."""
    return {q.value for q in quantities(variant) or quantities(f"{variant} of")}
