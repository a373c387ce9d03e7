"""Sentences of a story as units of comparison, with one similarity matrix for all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from copydesk.analyze.similarity import combine_matrix, lexical_matrices, profile
from copydesk.embed import Embedder, encode_distinct
from copydesk.models import Article, Mention


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence (or one clause of a sentence) of one article, ready for comparison.

    ``sentence`` is the index of the sentence-level unit it comes from (its own index
    for a sentence); ``headline`` marks the article's title.
    """

    index: int
    article: str
    position: int
    start: int
    end: int
    text: str
    stems: frozenset[str]
    sentence: int = -1
    headline: bool = False

    @property
    def mention(self) -> Mention:
        return Mention(self.article, self.start, self.end)


@dataclass(frozen=True, slots=True)
class StoryUnits:
    """All units of a story and their pairwise same-fact scores (0 within an article)."""

    units: tuple[Unit, ...]
    scores: npt.NDArray[np.float32]
    vectors: npt.NDArray[np.float32]

    by_article: dict[str, tuple[int, ...]]

    def of(self, article: str) -> list[Unit]:
        """The units of one article, in order."""
        return [self.units[i] for i in self.by_article.get(article, ())]


def build_units(articles: Sequence[Article], embedder: Embedder) -> StoryUnits:
    """Embed every distinct sentence once and score every pair of sentences of different
    articles (a sentence two articles share is embedded once for both)."""
    units: list[Unit] = []
    for article in articles:
        for position, sentence in enumerate(article.sentences):
            text = article.text[sentence.start : sentence.end]
            units.append(
                Unit(
                    len(units),
                    article.id,
                    position,
                    sentence.start,
                    sentence.end,
                    text,
                    profile(text).stems,  # the profile the scorer reads, made once
                    sentence=len(units),
                    headline=bool(article.title) and sentence.start < article.body_start,
                )
            )
    return score_units(units, encode_distinct(embedder, [u.text for u in units]))


def _score_block(
    rows: Sequence[Unit],
    row_vectors: npt.NDArray[np.float32],
    cols: Sequence[Unit],
    col_vectors: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Same-fact scores of ``rows`` against ``cols``, 0 for two units of one article."""
    cosine = np.asarray(row_vectors @ col_vectors.T, dtype=np.float32)
    np.clip(cosine, -1.0, 1.0, out=cosine)
    same = rows is cols
    row_profiles = [profile(u.text) for u in rows]
    lexical = lexical_matrices(row_profiles, None if same else [profile(u.text) for u in cols])
    scores = combine_matrix(cosine, lexical)
    del cosine
    article_of: dict[str, int] = {}
    row_owner = np.array([article_of.setdefault(u.article, len(article_of)) for u in rows])
    col_owner = np.array([article_of.setdefault(u.article, len(article_of)) for u in cols])
    scores[row_owner[:, None] == col_owner[None, :]] = 0.0
    return scores


def _story_units(
    units: Sequence[Unit], scores: npt.NDArray[np.float32], vectors: npt.NDArray[np.float32]
) -> StoryUnits:
    by_article: dict[str, list[int]] = {}
    for u in units:
        by_article.setdefault(u.article, []).append(u.index)
    return StoryUnits(
        tuple(units), scores, vectors, {a: tuple(ids) for a, ids in by_article.items()}
    )


def score_units(units: Sequence[Unit], vectors: npt.NDArray[np.float32]) -> StoryUnits:
    """Score every pair of units of different articles from their vectors and stems."""
    return _story_units(units, _score_block(units, vectors, units, vectors), vectors)


def extend_units(
    base: StoryUnits, extra: Sequence[Unit], vectors: npt.NDArray[np.float32]
) -> StoryUnits:
    """``base`` with ``extra`` units after its own (their indices follow on), scoring only
    the pairs that involve a new unit: the pairs of ``base`` keep their scores."""
    n = len(base.units)
    units = (*base.units, *extra)
    all_vectors = np.concatenate([base.vectors, vectors]).astype(np.float32, copy=False)
    block = _score_block(extra, vectors, units, all_vectors)
    scores = np.empty((len(units), len(units)), dtype=np.float32)
    scores[:n, :n] = base.scores
    scores[n:, :] = block
    scores[:n, n:] = block[:, :n].T
    return _story_units(units, scores, all_vectors)
