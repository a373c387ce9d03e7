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


Matrix = npt.NDArray[np.float32]


class Vectors:
    """The units' sentence vectors, each embedded at most once, some only when read.

    A story read from one article (one article, or one and its copies) has no pair of
    units to score: every score is 0, so its sentences need no vectors for alignment.
    Only the brief reads a few of them (is a line redundant with one already picked?),
    and the model is most of the cost of an analysis, so such a story embeds just the
    sentences the brief asks about, when it asks. Rows are read with ``vectors[i]`` or
    ``vectors[[i, j]]``, whichever form holds them.
    """

    __slots__ = ("_embedder", "_matrix", "_rows", "_texts")

    def __init__(
        self, texts: Sequence[str], embedder: Embedder | None, matrix: Matrix | None = None
    ) -> None:
        self._texts = tuple(texts)
        self._embedder = embedder
        self._matrix = matrix  # every row, or None: embedded on demand into _rows
        self._rows: dict[int, Matrix] = {}

    @classmethod
    def embedded(cls, matrix: Matrix) -> Vectors:
        return cls((), None, matrix)

    @property
    def lazy(self) -> bool:
        """Whether rows are embedded only when read."""
        return self._matrix is None

    @property
    def matrix(self) -> Matrix:
        """Every row (a lazy form embeds what it has not yet)."""
        if self._matrix is not None:
            return self._matrix
        return self[list(range(len(self._texts)))]

    def __getitem__(self, index: int | Sequence[int]) -> Matrix:
        if self._matrix is not None:
            return np.asarray(self._matrix[index], dtype=np.float32)
        if isinstance(index, int):
            return np.asarray(self[[index]][0], dtype=np.float32)
        missing = [i for i in dict.fromkeys(index) if i not in self._rows]
        if missing:
            assert self._embedder is not None
            found = encode_distinct(self._embedder, [self._texts[i] for i in missing])
            self._rows.update(zip(missing, found, strict=True))
        if not index:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._rows[i] for i in index])

    def extended(self, texts: Sequence[str], matrix: Matrix | None) -> Vectors:
        """These vectors and those of ``texts`` after them (embedded: ``matrix``)."""
        if self._matrix is not None and matrix is not None:
            joined = np.concatenate([self._matrix, matrix]).astype(np.float32, copy=False)
            return Vectors.embedded(joined)
        if self._matrix is not None:
            raise ValueError("embedded vectors extend with embedded vectors only")
        lazy = Vectors((*self._texts, *texts), self._embedder)
        lazy._rows = dict(self._rows)
        return lazy


@dataclass(frozen=True, slots=True)
class StoryUnits:
    """All units of a story and their pairwise same-fact scores (0 within an article)."""

    units: tuple[Unit, ...]
    scores: Matrix
    vectors: Vectors

    by_article: dict[str, tuple[int, ...]]
    # Each mention's unit (a later unit of the same span wins): claims name mentions,
    # and the brief looks each one up for every claim.
    by_mention: dict[Mention, Unit]

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
    texts = [u.text for u in units]
    if len({u.article for u in units}) <= 1:
        return _story_units(units, _unscored(len(units)), Vectors(texts, embedder))
    return score_units(units, encode_distinct(embedder, texts))


def _unscored(n: int) -> Matrix:
    """The scores of units of one article: none to score, all 0."""
    return np.zeros((n, n), dtype=np.float32)


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


def _story_units(units: Sequence[Unit], scores: Matrix, vectors: Vectors) -> StoryUnits:
    by_article: dict[str, list[int]] = {}
    for u in units:
        by_article.setdefault(u.article, []).append(u.index)
    return StoryUnits(
        tuple(units),
        scores,
        vectors,
        {a: tuple(ids) for a, ids in by_article.items()},
        {u.mention: u for u in units},
    )


def score_units(units: Sequence[Unit], vectors: Matrix) -> StoryUnits:
    """Score every pair of units of different articles from their vectors and stems."""
    return _story_units(
        units, _score_block(units, vectors, units, vectors), Vectors.embedded(vectors)
    )


def extend_units(base: StoryUnits, extra: Sequence[Unit], embedder: Embedder) -> StoryUnits:
    """``base`` with ``extra`` units after its own (their indices follow on), embedding
    and scoring only the pairs that involve a new unit: the pairs of ``base`` keep their
    scores. Units of a single article stay unembedded until read (:class:`Vectors`)."""
    n = len(base.units)
    units = (*base.units, *extra)
    texts = [u.text for u in extra]
    if base.vectors.lazy and len({u.article for u in units}) <= 1:
        return _story_units(units, _unscored(len(units)), base.vectors.extended(texts, None))
    vectors = encode_distinct(embedder, texts)
    all_vectors = base.vectors.extended(texts, vectors)
    block = _score_block(extra, vectors, units, all_vectors.matrix)
    scores = np.empty((len(units), len(units)), dtype=np.float32)
    scores[:n, :n] = base.scores
    scores[n:, :] = block
    scores[:n, n:] = block[:, :n].T
    return _story_units(units, scores, all_vectors)
