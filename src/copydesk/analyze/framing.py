"""Framing: outlets naming the same thing with differently loaded words.

The lexicon groups contested terms into families (how a war, a leader, a government,
armed groups, protests, strikes or migrants are named, and how a statement is
attributed: "claimed" against "said"). Within a family, the terms an
outlet picks for the same target — the same claim, or the same named place or person —
are compared across outlets; a family in which outlets differ is a framing difference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from copydesk.models import Article, Claim, Framing, FramingTerm

FAMILIES: dict[str, tuple[str, ...]] = {
    "military action": (
        "full-scale invasion",
        "invasion",
        "special military operation",
        "military operation",
        "aggression",
        "war",
        "offensive",
        "incursion",
        "occupation",
        "intervention",
        "campaign",
        "actions",
        "efforts",
        "operation",
        "conflict",
    ),
    "leader": (
        "dictator",
        "despot",
        "tyrant",
        "autocrat",
        "strongman",
        "warlord",
        "president",
        "leader",
        "head of state",
        "prime minister",
        "premier",
    ),
    "government": ("regime", "junta", "government", "administration", "authorities", "leadership"),
    "armed group": (
        "terrorists",
        "terrorist",
        "militants",
        "militant",
        "insurgents",
        "rebels",
        "fighters",
        "freedom fighters",
        "separatists",
        "gunmen",
    ),
    "protest": (
        "riot",
        "rioters",
        "mob",
        "looters",
        "unrest",
        "protest",
        "protesters",
        "demonstration",
        "demonstrators",
    ),
    "strike": (
        "illegal strike",
        "wildcat strike",
        "walkout",
        "strike",
        "industrial action",
        "stoppage",
    ),
    "police action": ("crackdown", "clampdown", "police operation", "operation", "intervention"),
    "migrants": (
        "illegal immigrants",
        "illegal aliens",
        "illegals",
        "undocumented immigrants",
        "migrants",
        "asylum seekers",
        "refugees",
    ),
    # How a statement is attributed: "claimed" and "admitted" cast doubt or guilt where
    # "said" reports (Recasens et al. 2013, assertive and factive verbs).
    "attribution": (
        "claimed",
        "alleged",
        "admitted",
        "conceded",
        "said",
        "says",
        "stated",
        "told",
        "added",
        "noted",
    ),
}
# Terms that load nothing: outlets differing only in these ("said" / "told") do not frame.
NEUTRAL = {"attribution": frozenset({"said", "says", "stated", "told", "added", "noted"})}
# Families compared within claims only: every article says "said" somewhere.
_CLAIM_ONLY = {"attribution"}

# What follows a verb that introduces a statement: "that", a comma, a subject or an
# object ("admitted the charge"); not a quote mark ("alleged “shadow banning”" is an
# adjective).
_INTRODUCES = r"\s*(?:,|(?:that|he|she|they|it|the|a|an|his|her|their|its|to|on|in)\b)"
_TARGETED = {"military action", "leader", "government", "armed group", "migrants"}
_NAME = r"(?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+)*"


def _pattern(family: str) -> re.Pattern[str]:
    terms = sorted(FAMILIES[family], key=len, reverse=True)
    alt = "|".join(re.escape(t) for t in terms)
    if family == "leader":
        # "Russian dictator", "Kremlin leader": a proper adjective or name, then the term.
        return re.compile(rf"\b(?P<target>{_NAME})\s+(?P<term>(?i:{alt}))\b")
    if family == "attribution":
        # A loaded verb only where it introduces what was said ("claimed that", "alleged
        # he", "admitted the"), not as an adjective ("Brell's alleged fraud"); the
        # neutral verbs wherever they stand.
        neutral = "|".join(sorted(NEUTRAL[family]))
        loaded = "|".join(t for t in terms if t not in NEUTRAL[family])
        return re.compile(
            rf"\b(?P<term>(?i:{neutral})\b|(?<!['’]s )(?i:{loaded})(?={_INTRODUCES}))(?P<target>)"
        )
    if family not in _TARGETED:
        # Strikes, protests, police actions: within one story they name the same thing.
        return re.compile(rf"\b(?P<term>(?i:{alt}))\b(?P<target>)")
    # "invasion of Ukraine", "actions in Ukraine": the term, then what it is about.
    return re.compile(rf"\b(?P<term>(?i:{alt}))\s+(?:of|in|against|on|at)\s+(?P<target>{_NAME})")


_PATTERNS = {family: _pattern(family) for family in FAMILIES}


def _target_key(target: str, family: str) -> str:
    if not target:
        return "*"
    if family == "leader":
        # "Russian", "Kremlin", "Russia's" all point at one state's leader.
        return {
            "kremlin": "russia",
            "russian": "russia",
            "white": "us",
            "american": "us",
            "chinese": "china",
            "beijing": "china",
        }.get(target.split()[-1].lower(), target.split()[-1].lower())
    return target.split()[0].lower()


def _terms_in(article: Article, start: int, end: int) -> list[tuple[str, str, FramingTerm]]:
    text = article.text[start:end]
    found = []
    for family, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            term = match.group("term")
            key = _target_key(match.group("target"), family)
            found.append(
                (
                    family,
                    key,
                    FramingTerm(
                        article.id,
                        term.lower(),
                        article.outlet,
                        start + match.start("term"),
                        start + match.end("term"),
                    ),
                )
            )
    return found


def find_framing(claims: Sequence[Claim], articles: Mapping[str, Article]) -> list[Framing]:
    """Framing differences, first within claims, then across whole articles by target."""
    out: list[Framing] = []
    seen: set[tuple[str, str]] = set()
    for claim in claims:
        if len(claim.articles) < 2:
            continue
        by_family: dict[tuple[str, str], list[FramingTerm]] = {}
        for m in claim.mentions:
            for family, key, term in _terms_in(articles[m.article], m.start, m.end):
                by_family.setdefault((family, key), []).append(term)
        for (family, _key), terms in sorted(by_family.items()):
            if _differs(terms, NEUTRAL.get(family, frozenset())):
                out.append(Framing(claim=claim.id, family=family, variants=_dedupe(terms)))
                seen |= {(t.article, t.term) for t in terms}
    by_target: dict[tuple[str, str], list[FramingTerm]] = {}
    for article in articles.values():
        for family, key, term in _terms_in(article, 0, len(article.text)):
            by_target.setdefault((family, key), []).append(term)
    for (family, _key), terms in sorted(by_target.items()):
        if family in _CLAIM_ONLY:
            continue
        if _differs(terms) and not {(t.article, t.term) for t in terms} <= seen:
            out.append(Framing(claim=None, family=family, variants=_dedupe(terms)))
    return out


def _differs(terms: Sequence[FramingTerm], neutral: frozenset[str] = frozenset()) -> bool:
    """Outlets differ when an article uses a term another does not, unless all such
    terms are ``neutral``."""
    per_article: dict[str, set[str]] = {}
    for t in terms:
        per_article.setdefault(t.article, set()).add(t.term)
    if len(per_article) < 2:
        return False
    sets = list(per_article.values())
    return any(a - b - neutral for a in sets for b in sets)


def _dedupe(terms: Sequence[FramingTerm]) -> tuple[FramingTerm, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for t in terms:
        if (t.article, t.term) not in seen:
            seen.add((t.article, t.term))
            out.append(t)
    return tuple(out)
