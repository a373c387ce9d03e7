"""Modality and negation: one article says a thing is planned or possible, or did not
happen, where another says plainly that it did.

:data:`MODALS` and :data:`NEGATION` are public: :mod:`copydesk.analyze.copies` reads
them to tell a copy edit that changes a finding from one that only rewords.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from copydesk.analyze.discrepancy.common import mention_text, one_per_article
from copydesk.analyze.tokens import STOP, stem, tokens
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# A participle after one of these is an adjective ("the automated terminals").
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those"}
# A modal or a plan and the verb it governs ("is expected to summon", "may also be").
MODALS = re.compile(
    r"\b(?:(?:is|are|was|were) (?:expected|set|due|likely|poised|scheduled|planning|"
    r"going) to|expects? to|intends? to|intended to|may|might|could|would|will|shall)"
    r"\s+(?:be\s+)?(?:also\s+)?(\w+)",
    re.I,
)
# A negator and what it negates: the first content word after it, past auxiliaries and
# adverbs ("did not immediately summon", "has never been charged").
NEGATION = re.compile(
    r"\b(?:not|never|no longer|n[o’']t)\s+(?:(?:\w+ly|be|been|being|have|has|had|to|even|yet)\s+)*"
    r"(\w+)",
    re.I,
)


def _verb_states(
    text: str, base: int, article: str
) -> tuple[dict[str, Variant], dict[str, Variant]]:
    """Verbs under a modal or plan ('expected to summon') and verbs stated as done."""
    planned: dict[str, Variant] = {}
    for match in MODALS.finditer(text):
        planned.setdefault(
            stem(match.group(1)),
            Variant(article, match.group(), base + match.start(), base + match.end()),
        )
    done: dict[str, Variant] = {}
    toks = tokens(text)
    for i, tok in enumerate(toks):
        key = stem(tok.text)
        # "the automated terminals" is an adjective, not an event that happened.
        if i and toks[i - 1].lower in _DETERMINERS:
            continue
        if tok.lower.endswith("ed") and key not in planned:
            done.setdefault(key, Variant(article, tok.text, base + tok.start, base + tok.end))
    return planned, done


def _later(day: dt.date | None, than: dt.date | None) -> bool:
    """``day`` is known to fall after ``than``: an undated paper is never later."""
    return day is not None and than is not None and day > than


def modality_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article says a thing is planned or possible; another says it happened."""
    planned: dict[str, list[Variant]] = {}
    done: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            p, d = _verb_states(mention_text(articles, m), m.start, article)
            for key, v in p.items():
                planned.setdefault(key, []).append(v)
            for key, v in d.items():
                done.setdefault(key, []).append(v)
    out = []
    for verb in sorted(planned.keys() & done.keys()):
        plan_arts = {v.article for v in planned[verb]}
        plan_dates = [articles[a].published for a in plan_arts]
        last_plan = max(d for d in plan_dates if d) if all(plan_dates) else None
        done_vs = [
            v
            for v in done[verb]
            if v.article not in plan_arts
            # A later paper saying that the plan happened is news, not a disagreement.
            and not _later(articles[v.article].published, last_plan)
        ]
        if done_vs:
            variants = one_per_article(planned[verb]) + one_per_article(done_vs)
            out.append(Discrepancy(kind="modality", claim=claim.id, variants=tuple(variants)))
    return out


def negation_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article negates a verb that another states plainly."""
    negated: dict[str, list[Variant]] = {}
    plain: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            text = mention_text(articles, m)
            neg_here = set()
            for match in NEGATION.finditer(text):
                # "not with", "not that" negate no event; "not Jerry" is a name.
                if match.group(1).lower() in STOP or not match.group(1).islower():
                    continue
                key = stem(match.group(1))
                neg_here.add(key)
                negated.setdefault(key, []).append(
                    Variant(article, match.group(), m.start + match.start(), m.start + match.end())
                )
            for tok in tokens(text):
                key = stem(tok.text)
                if key not in neg_here and len(tok.text) > 3 and tok.text.islower():
                    plain.setdefault(key, []).append(
                        Variant(article, tok.text, m.start + tok.start, m.start + tok.end)
                    )
    out = []
    for verb in sorted(negated.keys() & plain.keys()):
        neg_arts = {v.article for v in negated[verb]}
        others = [v for v in plain[verb] if v.article not in neg_arts]
        if others and verb not in {"rule", "only"}:
            out.append(
                Discrepancy(
                    kind="negation",
                    claim=claim.id,
                    variants=tuple(one_per_article(negated[verb]) + one_per_article(others)),
                )
            )
    return out
