"""An extractive brief: source sentences only, each citing every article that states it.

Claims backed by the most independent groups come first, then the most central; a
sentence too close to one already chosen is skipped. Then the single-source claims, then
the discrepancies, each variant in its own words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from copydesk.analyze.discrepancy import same_version
from copydesk.analyze.units import StoryUnits, Unit
from copydesk.models import Article, BriefSentence, Claim, Discrepancy, Mention

DEFAULT_WORDS = 150
REDUNDANT = 0.8  # cosine above which a sentence repeats one already in the brief
# Discrepancies whose versions cannot both be true. A qualifier is not one of them: "aid"
# does not deny "non-lethal aid".
CONTRADICTING = frozenset({"quote", "number", "date", "name", "modality", "negation"})


def _pick_mention(claim: Claim, units: StoryUnits, disputed: Sequence[Discrepancy] = ()) -> Mention:
    """The claim's most self-contained mention: long enough, few quotes, most central,
    a whole sentence rather than a clause that opens in lower case; first of all, a
    whole sentence that gives none of the claim's disputed details, when there is one
    (the discrepancies follow in the brief, each version in its own words)."""
    index = {u.mention: u for u in units.units}
    members = [index[m] for m in claim.mentions if m in index]
    if len(members) == 1:
        return members[0].mention
    ids = [u.index for u in members]
    block = units.scores[np.ix_(ids, ids)]

    def whole(unit: Unit) -> bool:
        return len(unit.text.split()) >= 8 and unit.text[:1].isupper()

    best = max(
        range(len(members)),
        key=lambda i: (
            whole(members[i]) and not _versions(disputed, members[i].mention),
            float(block[i].sum())
            - 0.5 * members[i].text.count("“")
            - 0.5 * members[i].text.count('"')
            - (1.0 if len(members[i].text.split()) < 8 else 0.0)
            - (0.5 if not members[i].text[:1].isupper() else 0.0),
            -i,
        ),
    )
    return members[best].mention


def _letters(text: str) -> str:
    """A text's letters and digits only, lower-cased: what two punctuations share."""
    return re.sub(r"[\W_]+", "", text.lower())


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .,")


def _given(d: Discrepancy, mention: Mention) -> set[str]:
    """The versions of a disputed detail that ``mention`` gives (none: it leaves it out)."""
    return {
        v.text
        for v in d.variants
        if v.article == mention.article and mention.start <= v.start < mention.end
    }


def _versions(
    disputed: Sequence[Discrepancy], mention: Mention
) -> list[tuple[Discrepancy, set[str]]]:
    """Each contradicted detail ``mention`` gives, with the versions of it it gives."""
    return [
        (d, given) for d in disputed if d.kind in CONTRADICTING and (given := _given(d, mention))
    ]


def _supporting(claim: Claim, mention: Mention, disputed: Sequence[Discrepancy]) -> tuple[str, ...]:
    """The claim's articles less those that give a disputed detail of the chosen
    sentence otherwise: "14 injured" is not cited to the article that says 17."""
    given = _versions(disputed, mention)

    def agrees(article: str) -> bool:
        for d, mine in given:
            theirs = {v.text for v in d.variants if v.article == article}
            if theirs and not any(same_version(d.kind, x, y) for x in mine for y in theirs):
                return False
        return True

    return tuple(a for a in claim.articles if agrees(a))


def _select(
    claims: Sequence[Claim],
    units: StoryUnits,
    words: int,
    section: str,
    picked: list[int],
    disputed: Mapping[str | None, Sequence[Discrepancy]],
    group_of: Mapping[str, int],
) -> list[BriefSentence]:
    """Greedy selection in claim order within a word budget, skipping near-repeats."""
    index = {u.mention: u for u in units.units}
    out: list[BriefSentence] = []
    used = 0
    for claim in claims:
        own = disputed.get(claim.id, ())
        mention = _pick_mention(claim, units, own)
        unit = index[mention]
        if picked and float(np.max(units.vectors[picked] @ units.vectors[unit.index])) > REDUNDANT:
            continue
        # Two wordings that differ only in punctuation ("dockworkers'" and "dockworkers’")
        # are one line, whatever their vectors.
        if _letters(unit.text) in {_letters(units.units[i].text) for i in picked}:
            continue
        size = len(unit.text.split())
        if out and used + size > words:
            continue
        sources = _supporting(claim, mention, own)
        groups = len({group_of.get(a, -1) for a in sources})
        out.append(BriefSentence(unit.text, sources, groups, claim.id, section, mention))
        picked.append(unit.index)
        used += size
        if used >= words:
            break
    return out


def write_brief(
    claims: Sequence[Claim],
    discrepancies: Sequence[Discrepancy],
    articles: Mapping[str, Article],
    units: StoryUnits,
    group_of: Mapping[str, int],
    words: int = DEFAULT_WORDS,
) -> list[BriefSentence]:
    """``words`` bounds the corroborated part; single-source claims get half as many more."""
    picked: list[int] = []
    # A detail's mentions are phrases, not sentences that could stand in a brief.
    stated = [c for c in claims if c.kind == "statement"]
    shared = [c for c in stated if len(c.articles) > 1]
    single = [c for c in stated if len(c.articles) == 1]
    disputed: dict[str | None, list[Discrepancy]] = {}
    for d in discrepancies:
        disputed.setdefault(d.claim, []).append(d)
    brief = _select(shared, units, words, "corroborated", picked, disputed, group_of)
    brief += _select(single, units, words // 2, "single-source", picked, disputed, group_of)
    brief += _disputed(discrepancies, articles, group_of)
    return brief


def _disputed(
    discrepancies: Sequence[Discrepancy],
    articles: Mapping[str, Article],
    group_of: Mapping[str, int],
) -> list[BriefSentence]:
    """One sentence per version of a disputed detail, citing every article that gives it."""
    out: list[BriefSentence] = []
    seen: set[tuple[str | None, str]] = set()
    for d in discrepancies:
        versions: dict[str, list[str]] = {}
        first: dict[str, Mention] = {}
        for v in d.variants:
            key = _norm(v.text)
            versions.setdefault(key, []).append(v.article)
            first.setdefault(key, _sentence_span(articles[v.article], v.start))
        for key, cited in versions.items():
            span = first[key]
            text = articles[span.article].text[span.start : span.end]
            if (d.claim, text) in seen:
                continue
            seen.add((d.claim, text))
            sources = tuple(dict.fromkeys(cited))
            groups = len({group_of.get(a, -1) for a in sources})
            out.append(BriefSentence(text, sources, groups, d.claim, f"discrepancy:{d.kind}", span))
    return out


def _sentence_span(article: Article, offset: int) -> Mention:
    for s in article.sentences:
        if s.start <= offset < s.end:
            return Mention(article.id, s.start, s.end)
    return Mention(article.id, offset, offset)
