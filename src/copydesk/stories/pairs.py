"""Which pairs of articles to compare, and how alike two articles' events are.

Candidates come from blocking, not from an n x n matrix: two articles are compared
only when their title and lead share a specific term (one that at most ``max_df``
articles use). Each candidate is then scored with the full vectors:

    lexical  = cos(TF-IDF of title and lead)
    semantic = 0.6 * lexical + 0.4 * (cos(MiniLM of title and first sentence) - 0.35)
    score    = semantic when both articles were embedded, else lexical,
               minus a penalty for publication days far apart

The 0.35 offset puts MiniLM's cosines (unrelated news still scores 0.1 to 0.3) on the
scale of the TF-IDF cosines (unrelated news scores about 0), so that one threshold
serves pairs with and without embeddings. Weights, offset and threshold were chosen on
the public development sets (BASIL, AllSides/NeuS, DUC 2007, WikiRef; see
benchmarks/stories_quality.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from copydesk.stories.features import Signals

Pairs = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]

SEMANTIC_WEIGHT = 0.4
SEMANTIC_OFFSET = 0.35
# Reports of one event come out within a few days of each other; from GRACE_DAYS apart
# the penalty grows until, PENALTY_DAYS later, it outweighs any textual likeness.
GRACE_DAYS = 3
PENALTY_DAYS = 7
# Pairs scoring below this (before the date penalty) are left out of the graph: they
# would count as 0 anyway.
EDGE_FLOOR = 0.05
PAIR_BATCH = 200_000
ROW_BATCH = 2_000


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Candidate pairs ``(i, j)`` with ``i < j`` and their lexical score and date penalty."""

    pairs: Pairs
    lexical: Floats
    penalty: Floats


def max_df_for(n: int) -> int:
    """Terms used by more articles than this are too common to propose a pair: all
    terms on a pile of up to 1,000 articles, then the rarest 1% of the articles' range."""
    return max(1000, n // 100)


def _specific(matrix: sp.csr_matrix, max_df: int) -> sp.csr_matrix:
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = np.flatnonzero((df >= 2) & (df <= max_df))
    return sp.csr_matrix(matrix[:, keep])


def candidate_pairs(signals: Signals, *, max_df: int) -> Pairs:
    """Pairs whose title and lead share a specific term, each once as ``i < j``."""
    n = signals.words.shape[0]
    blocks = _specific(signals.words, max_df)
    blocks.data[:] = 1
    blocks = sp.csr_matrix(blocks, dtype=np.float32)
    transposed = sp.csr_matrix(blocks.T)
    found: list[Pairs] = []
    for begin in range(0, n, ROW_BATCH):
        product = sp.coo_matrix(blocks[begin : begin + ROW_BATCH] @ transposed)
        rows = product.row.astype(np.int64) + begin
        cols = product.col.astype(np.int64)
        upper = rows < cols
        found.append(np.stack((rows[upper], cols[upper]), axis=1))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def rowwise_cosine(matrix: sp.csr_matrix, pairs: Pairs) -> Floats:
    """Dot products of the paired rows of a matrix with unit-length rows."""
    out = np.empty(len(pairs), dtype=np.float32)
    for begin in range(0, len(pairs), PAIR_BATCH):
        chunk = pairs[begin : begin + PAIR_BATCH]
        left = matrix[chunk[:, 0]]
        right = matrix[chunk[:, 1]]
        out[begin : begin + len(chunk)] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return out


def date_penalty(days: npt.NDArray[np.int64], pairs: Pairs) -> Floats:
    """0 within ``GRACE_DAYS``, then 1/``PENALTY_DAYS`` more a day; 0 if a date is unknown."""
    a, b = days[pairs[:, 0]], days[pairs[:, 1]]
    gap = np.abs(a - b).astype(np.float32)
    penalty = np.clip((gap - GRACE_DAYS) / PENALTY_DAYS, 0.0, 1.0)
    return np.where((a >= 0) & (b >= 0), penalty, 0.0).astype(np.float32)


def score_pairs(signals: Signals, pairs: Pairs) -> ScoredPairs:
    """Lexical score and date penalty of each pair; pairs below ``EDGE_FLOOR`` dropped."""
    lexical = rowwise_cosine(signals.words, pairs)
    keep = lexical >= EDGE_FLOOR
    pairs, lexical = pairs[keep], lexical[keep]
    return ScoredPairs(pairs, lexical, date_penalty(signals.days, pairs))


def blend(lexical: Floats, semantic: Floats) -> Floats:
    """The pair score when both articles have a MiniLM vector (``semantic`` is a cosine)."""
    mixed = (1 - SEMANTIC_WEIGHT) * lexical + SEMANTIC_WEIGHT * (semantic - SEMANTIC_OFFSET)
    return mixed.astype(np.float32)
