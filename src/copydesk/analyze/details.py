"""Facts stated as a phrase inside a sentence about something else: where an event took
place ("at Gate 3") and how a thing ranks ("Ostrevia's second-largest port").

Claims are aligned by sentence and clause. A detail that several articles mention in
passing, each in a sentence about another fact ("the smell of tear gas still hung over
the car park at Gate 3", "the picket at Gate 3 had been peaceful"), lands in as many
claims as there are sentence topics, and nobody counts who confirms it. Such details
are found by pattern, keyed so that rewordings meet ("second-largest port",
"second-busiest harbour"), and reported as claims of kind ``detail`` unless one claim
already holds every mention of them.

Patterns rather than a parser: a named place after a locative preposition and a
possessive ranking are easy to read without a tagger, and they are the two kinds of
passing detail that news copy repeats most and that fact-checkers check (where did it
happen; is it really the second largest). People and organisations are not details:
that two articles name the same minister says nothing about what happened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from copydesk.analyze.tokens import MONTHS, STOP, WEEKDAYS, WORD, stem, topic_stems
from copydesk.models import Article, Claim, Mention

# A named place: capitalised words, a number ("Gate 3") or "of" ("Port of Kestrow")
# inside; two words at least, as one capitalised word after "at" is as often a town or
# a company as a place within the event.
_PLACE_WORD = r"[A-Z][\w'’-]*"
_PLACE = re.compile(
    r"\b(?P<prep>(?i:at|outside|inside|near|opposite|in front of))\s+(?:the\s+)?"
    rf"(?P<place>{_PLACE_WORD}(?:\s+(?:of\s+(?:the\s+)?)?(?:{_PLACE_WORD}|\d+[A-Za-z]?\b))+)"
)
_ORDINAL = r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
_OWNER = (
    r"[A-Z][\w-]*|the\s+(?:country|nation|world|region|city|state|continent|island|"
    r"kingdom|republic|province|county|EU|US|UK)"
)
_RANK = re.compile(
    rf"\b(?P<owner>{_OWNER})['’]s?\s+(?:(?P<rank>{_ORDINAL})[- ])?"
    r"(?P<sup>(?:most|least)\s+[a-z]+|[a-z]{2,}est)\b(?:\s+(?P<head>[a-z]+))?"
)
# Words in -est that are not superlatives.
_NOT_SUPERLATIVE = frozenset(
    [
        "arrest",
        "attest",
        "behest",
        "bequest",
        "chest",
        "conquest",
        "contest",
        "crest",
        "digest",
        "earnest",
        "forest",
        "guest",
        "harvest",
        "honest",
        "infest",
        "inquest",
        "interest",
        "invest",
        "lest",
        "manifest",
        "midwest",
        "modest",
        "nest",
        "northwest",
        "pest",
        "priest",
        "protest",
        "quest",
        "request",
        "rest",
        "southwest",
        "suggest",
        "test",
        "unrest",
        "vest",
        "west",
        "wrest",
        "zest",
    ]
)
_SAME_MEASURE = {"biggest": "largest"}
_NEXT_WORD = re.compile(r" ([a-z]+)\b")
_WEEKDAYS_MONTHS = frozenset(WEEKDAYS + MONTHS)


@dataclass(frozen=True, slots=True)
class _Found:
    key: tuple[str, ...]
    text: str
    mention: Mention


def _places(article: Article, topic: frozenset[str]) -> list[_Found]:
    out = []
    for match in _PLACE.finditer(article.text):
        words = [w for w in WORD.findall(match.group("place")) if w.lower() not in {"of", "the"}]
        stems = tuple(stem(w) for w in words)
        if any(w.lower() in _WEEKDAYS_MONTHS for w in words) or topic.intersection(stems):
            continue
        # The place alone is the key: "at Gate 3" and "outside Gate 3" are one detail.
        out.append(_Found(("place", *stems), match.group(), Mention(article.id, *match.span())))
    return out


def _ranks(article: Article) -> list[_Found]:
    out = []
    for match in _RANK.finditer(article.text):
        superlative = match.group("sup").split()[-1]
        if superlative in _NOT_SUPERLATIVE or superlative in STOP:
            continue
        owner = " ".join(match.group("owner").lower().split())
        rank = match.group("rank") or "first"
        head = match.group("head")
        start, end = match.span()
        if head is None or head in STOP:
            head, end = None, match.end("sup")
        else:
            # The whole noun: "the world's largest software company", not "... software".
            while (after := _NEXT_WORD.match(article.text, end)) and after.group(1) not in STOP:
                end = after.end()
        # An ordinal and an owner are specific enough to meet across rewordings
        # ("second-largest port", "second-busiest harbour"); "the world's largest"
        # needs its measure and its noun too, as a story may rank several things first
        # ("the world's largest software company", "... most valuable software company").
        key: tuple[str, ...] = ("rank", stem(owner), rank)
        if rank == "first":
            measure = _SAME_MEASURE.get(superlative, superlative)
            key += (measure, stem(head) if head else "?")
        out.append(_Found(key, article.text[start:end], Mention(article.id, start, end)))
    return out


def _covered(found: Sequence[_Found], claims: Sequence[Claim]) -> bool:
    """One claim already has, in every article that gives the detail, a mention
    containing it."""
    articles = {f.mention.article for f in found}
    for claim in claims:
        holding = {
            f.mention.article
            for f in found
            for m in claim.mentions
            if m.article == f.mention.article
            and m.start <= f.mention.start
            and f.mention.end <= m.end
        }
        if holding == articles:
            return True
    return False


def find_details(
    articles: Sequence[Article], claims: Sequence[Claim], group_of: Mapping[str, int]
) -> list[Claim]:
    """Detail claims (``kind="detail"``) for places and rankings given by two or more
    articles that the sentence claims do not already bring together. Their ids follow
    the last of ``claims``; the most corroborated come first."""
    # The story's own place ("the Port of Kestrow" in a story titled "... at Kestrow
    # port") is what it is about, not a detail of it.
    topic = topic_stems([a.title for a in articles if a.title])
    by_key: dict[tuple[str, ...], list[_Found]] = {}
    for article in articles:
        for one in _places(article, topic) + _ranks(article):
            by_key.setdefault(one.key, []).append(one)
    order = {a.id: i for i, a in enumerate(articles)}
    raw = []
    for found in by_key.values():
        cited = sorted({f.mention.article for f in found}, key=order.__getitem__)
        if len(cited) < 2 or _covered(found, claims):
            continue
        wording: dict[str, set[str]] = {}
        for f in found:
            wording.setdefault(f.text, set()).add(f.mention.article)
        # The wording most articles use, mid-sentence ("at", not "At") on a tie, then
        # the first one met.
        text = max(wording, key=lambda t: (len(wording[t]), t[:1].islower()))
        mentions = tuple(
            sorted((f.mention for f in found), key=lambda m: (order[m.article], m.start))
        )
        groups = len({group_of[a] for a in cited})
        raw.append((groups, tuple(cited), mentions, text))
    raw.sort(key=lambda c: (-c[0], -len(c[1]), order[c[2][0].article], c[2][0].start))
    first = len(claims) + 1
    return [
        Claim(
            id=f"c{first + i}",
            text=text,
            mentions=mentions,
            articles=cited,
            groups=groups,
            kind="detail",
        )
        for i, (groups, cited, mentions, text) in enumerate(raw)
    ]
