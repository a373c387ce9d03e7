"""Units and their vectors: a story read from one article embeds only what the brief
reads, and says the same as when every sentence is embedded."""

from __future__ import annotations

import numpy as np

from conftest import SAMPLES, CountingEmbedder
from copydesk import clean
from copydesk.analyze import SAME_FACT_THRESHOLD, analyze_story
from copydesk.analyze.align import align_claims
from copydesk.analyze.brief import write_brief
from copydesk.analyze.clauses import split_clauses
from copydesk.analyze.units import build_units, score_units
from copydesk.embed import default_embedder
from copydesk.models import Article, Story

WIRE = SAMPLES / "story" / "01_wire_original.txt"
REWRITE = SAMPLES / "story" / "03_paraphrase_rewrite.txt"


def _article(path: object = WIRE) -> Article:
    (article,) = clean([str(path)]).articles
    return article


def test_a_story_of_one_article_embeds_only_the_lines_the_brief_weighs():
    article = _article()
    counting = CountingEmbedder()
    story = Story("story-1", article.title, (article.id,))
    analysis = analyze_story(story, [article], embedder=counting)
    assert analysis.brief and all(len(c.articles) == 1 for c in analysis.claims)
    # Far fewer than its sentences and clauses, and each embedded once.
    assert 0 < len(counting.seen) < len(article.sentences) // 2
    assert len(counting.seen) == len(set(counting.seen))


def test_embedding_on_demand_writes_the_brief_that_embedding_all_writes():
    article = _article()
    model = default_embedder()
    lazy = build_units([article], model)
    assert lazy.vectors.lazy and not lazy.scores.any()
    eager = score_units(list(lazy.units), model.encode([u.text for u in lazy.units]))
    assert not eager.vectors.lazy
    briefs = []
    for units in (lazy, eager):
        clauses = split_clauses(units, model)
        group_of = {article.id: 0}
        claims = align_claims(units, group_of, clauses)
        briefs.append(write_brief(claims, [], {article.id: article}, clauses, group_of))
    assert briefs[0] and briefs[0] == briefs[1]
    rows = list(range(len(lazy.units)))
    assert np.allclose(lazy.vectors[rows], eager.vectors[rows], atol=1e-5)


def test_a_story_of_two_articles_is_scored_across_them():
    a, b = _article(WIRE), _article(REWRITE)
    units = build_units([a, b], default_embedder())
    assert not units.vectors.lazy
    across = units.scores[np.ix_(units.by_article[a.id], units.by_article[b.id])]
    assert across.max() >= SAME_FACT_THRESHOLD  # the rewrite restates the wire
