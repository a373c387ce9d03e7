"""Cross-source analysis of one story: copies, reuse, independent groups, claims, disagreements.

``analyze_story`` is the whole stage in one screen: every step below is a plain
function of its own module, fed by the one before.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from copydesk.analyze.align import align_claims
from copydesk.analyze.brief import DEFAULT_WORDS, write_brief
from copydesk.analyze.clauses import split_clauses
from copydesk.analyze.copies import expand_brief, expand_claims, find_copies
from copydesk.analyze.details import find_details
from copydesk.analyze.discrepancy import find_discrepancies
from copydesk.analyze.framing import find_framing
from copydesk.analyze.groups import independent_groups, with_copies
from copydesk.analyze.reuse import find_reuse
from copydesk.analyze.similarity import SAME_FACT_THRESHOLD, similarity
from copydesk.analyze.units import build_units
from copydesk.embed import Embedder, default_embedder
from copydesk.models import Article, Story, StoryAnalysis

__all__ = ["SAME_FACT_THRESHOLD", "analyze_story", "similarity"]


def analyze_story(
    story: Story,
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    brief_words: int = DEFAULT_WORDS,
) -> StoryAnalysis:
    """Analyse the articles of one story (in the story's order).

    Copies (:mod:`copydesk.analyze.copies`) are analysed once, through their
    representative, and put back at the end: in its group, and in the claims and brief
    sentences that their text states.
    """
    by_id = {a.id: a for a in articles}
    members = [by_id[i] for i in story.articles]
    copies = find_copies(members)
    copied = {c for s in copies for c in s.copies}
    read = [a for a in members if a.id not in copied]
    model = embedder or default_embedder()
    units = build_units(read, model)
    reuse = [find_reuse(a, b, units) for a, b in combinations(read, 2)]
    groups = independent_groups([a.id for a in read], reuse)
    group_of = {a: i for i, g in enumerate(groups) for a in g.articles}
    clauses = split_clauses(units, model)
    claims = align_claims(units, group_of, clauses, {a.id: a.published for a in read})
    claims += find_details(read, claims, group_of)
    discrepancies = find_discrepancies(claims, by_id, read)
    framing = find_framing(claims, {a.id: a for a in read})
    brief = write_brief(claims, discrepancies, by_id, clauses, group_of, words=brief_words)
    if copies:
        groups = with_copies(groups, copies, story.articles)
        brief = expand_brief(brief, copies)
        claims = expand_claims(claims, copies)
    return StoryAnalysis(
        story=story,
        groups=tuple(groups),
        reuse=tuple(reuse),
        claims=tuple(claims),
        discrepancies=tuple(discrepancies),
        framing=tuple(framing),
        brief=tuple(brief),
        copies=tuple(copies),
    )
