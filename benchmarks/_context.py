"""Same-fact scores read in the story's context: an experiment, measured and not shipped.

The pair score (``copydesk.analyze.similarity``) judges two sentences on their own, as
MRPC does. Inside one story every sentence is about the same event, so a pair's cosine
and its shared words are inflated by what the whole story shares. Two story-level
corrections measure what two sentences share beyond that:

* the *centred cosine*: each vector less its projection on the story's mean direction,
  renormalised (the common component that SIF removes);
* the *story TF-IDF cosine*: content stems weighted by their inverse frequency among the
  story's sentences, so that a shared rare word counts more than a shared topic word.

The *context score* is a logistic model over the pair score and these two, fitted on the
DUC 2007 SCU pairs by ``context_scores.py``; ``align_duc.py --context MODEL`` clusters on
it. It ranks DUC pairs better (AUC 0.726 -> 0.803, topic-grouped folds) and lifts
held-out alignment on one half of the topics, but in a story of one event it also takes
out the main event itself (what every article shares), and the seeds' and samples' rows
split: see docs/benchmarks.md, "Context score".
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

from copydesk.analyze.units import StoryUnits

FEATURES = ("score", "centred", "tfidf")
Matrix = npt.NDArray[np.float32]


@dataclasses.dataclass(frozen=True, slots=True)
class ContextModel:
    """A logistic model over ``FEATURES`` (``context_scores.py --out PATH`` writes one)."""

    weights: tuple[float, ...]
    intercept: float

    @classmethod
    def read(cls, path: Path) -> ContextModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} are not {list(FEATURES)}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["intercept"]))


def without(vectors: Matrix, direction: Matrix) -> Matrix:
    """``vectors`` less their projection on ``direction`` (a unit vector), renormalised."""
    centred = vectors - np.outer(vectors @ direction, direction)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    return np.asarray(centred, dtype=np.float32)


def centred_cosines(vectors: Matrix, sentences: int) -> Matrix:
    """Cosines of ``vectors`` with the mean direction of the first ``sentences`` rows (the
    story's sentences; clauses after them are not counted twice) taken out."""
    mean = vectors[:sentences].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9:
        return np.asarray(vectors @ vectors.T, dtype=np.float32)
    centred = without(vectors, (mean / norm).astype(np.float32))
    return np.asarray(centred @ centred.T, dtype=np.float32)


def tfidf_cosines(stems: list[frozenset[str]], sentences: int) -> Matrix:
    """Cosines of the stem sets weighted by smoothed inverse frequency among the first
    ``sentences`` sets (``log((1 + n) / (1 + df)) + 1``, scikit-learn's smoothing)."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, members in enumerate(stems):
        for m in sorted(members):
            rows.append(i)
            cols.append(vocab.setdefault(m, len(vocab)))
    width = max(1, len(vocab))
    incidence = csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(stems), width)
    )
    df = np.asarray(incidence[:sentences].sum(axis=0), dtype=np.float32).ravel()
    idf = np.log((1.0 + sentences) / (1.0 + df)) + 1.0
    weighted = incidence.multiply(idf.astype(np.float32)[None, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    weighted = csr_matrix(weighted.multiply(1.0 / norms[:, None]))
    return np.asarray((weighted @ weighted.T).toarray(), dtype=np.float32)


def context_scores(model: ContextModel, units: StoryUnits, sentences: int | None = None) -> Matrix:
    """The context score of every pair of ``units`` (0 within an article).

    ``sentences`` is how many of the first units are the story's sentences (the rest
    are clauses of them, as ``split_clauses`` orders them); all of them when not given.
    A story of one article has no pair to score and is returned as it is scored."""
    n = len(units.units)
    sentences = n if sentences is None else sentences
    if units.vectors.lazy or sentences < 2:
        return units.scores
    weight = dict(zip(FEATURES, model.weights, strict=True))
    z = units.scores * np.float32(weight["score"])
    z += np.float32(model.intercept)
    centred = centred_cosines(units.vectors.matrix, sentences)
    centred *= np.float32(weight["centred"])
    z += centred
    del centred
    tfidf = tfidf_cosines([u.stems for u in units.units], sentences)
    tfidf *= np.float32(weight["tfidf"])
    z += tfidf
    del tfidf
    np.negative(z, out=z)
    with np.errstate(over="ignore"):
        np.exp(z, out=z)
    z += np.float32(1.0)
    np.reciprocal(z, out=z)
    owner: dict[str, int] = {}
    article = np.array([owner.setdefault(u.article, len(owner)) for u in units.units])
    z[article[:, None] == article[None, :]] = 0.0
    return z


def scored_in_context(
    model: ContextModel, units: StoryUnits, clauses: StoryUnits | None
) -> tuple[StoryUnits, StoryUnits | None]:
    """``units`` and ``clauses`` (whose first rows are ``units``) rescored in context."""
    if clauses is None:
        return dataclasses.replace(units, scores=context_scores(model, units)), None
    n = len(units.units)
    clauses = dataclasses.replace(clauses, scores=context_scores(model, clauses, n))
    units = dataclasses.replace(units, scores=np.ascontiguousarray(clauses.scores[:n, :n]))
    return units, clauses


def cluster_in_context(model: ContextModel, claim: float, attach: float, anchor: float) -> None:
    """Make ``align_claims`` (and ``analyze_story``, which imported it) cluster on the
    context score, at these thresholds: the experiment's switch for the benchmarks."""
    from copydesk.analyze import align

    # the package, not the function ``copydesk.analyze`` that ``copydesk`` exports
    package = sys.modules["copydesk.analyze"]

    shipped = align.align_claims

    def aligned(units, group_of, clauses=None, published=None):  # type: ignore[no-untyped-def]
        units, clauses = scored_in_context(model, units, clauses)
        return shipped(units, group_of, clauses, published)

    align.align_claims = aligned  # type: ignore[assignment]
    package.align_claims = aligned  # type: ignore[attr-defined]
    align.CLAIM_THRESHOLD, align.ATTACH_THRESHOLD, align.ANCHOR_MIN_SCORE = claim, attach, anchor
