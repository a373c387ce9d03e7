"""Where the versions of one claim differ: quotes, numbers, dates, names, modality, negation,
and qualifiers.

No NLI model with a clear licence ships on PyPI, so these are rules over aligned
mentions. Each rule compares the mentions of one claim article by article and reports
the variants with their spans, so a reader can check every one.

The rules are split by family because each family reads the text its own way, with its
own word lists and thresholds, and can be read and changed without the others: no
family imports another, only :mod:`.common`.

- :mod:`.quotes`: quoted characterisations, reworded quotes, quotes rendered unquoted;
- :mod:`.numbers`: counted things given different figures, and :func:`same_version`;
- :mod:`.dates`: weekdays and calendar dates read against publication, years of a span;
- :mod:`.names`: one name spelled two ways, in a claim and anywhere in the story;
- :mod:`.modality`: planned or possible against done, negated against stated;
- :mod:`.qualifiers`: a negating prefix ("non-lethal") one version lacks;
- :mod:`.common`: the rule signature and the helpers the families share.

:func:`find_discrepancies` is the one entry point: it runs :data:`RULES` in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from copydesk.analyze.discrepancy.common import Rule
from copydesk.analyze.discrepancy.dates import date_rule, year_rule
from copydesk.analyze.discrepancy.modality import modality_rule, negation_rule
from copydesk.analyze.discrepancy.names import name_rule, story_names
from copydesk.analyze.discrepancy.numbers import number_rule, same_version
from copydesk.analyze.discrepancy.qualifiers import qualifier_rule
from copydesk.analyze.discrepancy.quotes import quote_rule, rendered_quotes, reworded_quotes
from copydesk.models import Article, Claim, Discrepancy, Mention

__all__ = ["RULES", "find_discrepancies", "same_version"]

# Run in this order on each claim: its findings come out in the same order.
RULES: tuple[Rule, ...] = (
    quote_rule,
    reworded_quotes,
    rendered_quotes,
    number_rule,
    date_rule,
    year_rule,
    name_rule,
    modality_rule,
    negation_rule,
    qualifier_rule,
)


def find_discrepancies(
    claims: Sequence[Claim], articles: Mapping[str, Article], story: Sequence[Article] = ()
) -> list[Discrepancy]:
    """Every rule on every claim stated by two or more articles, then names spelled two
    ways anywhere in ``story`` (its articles, when given)."""
    out: list[Discrepancy] = []
    for claim in claims:
        if len(claim.articles) < 2:
            continue
        by_article: dict[str, list[Mention]] = {}
        for m in claim.mentions:
            by_article.setdefault(m.article, []).append(m)
        for rule in RULES:
            out.extend(rule(claim, by_article, articles))
    return out + story_names(story, out)
