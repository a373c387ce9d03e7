"""Which pairs of articles to compare, and how alike two articles' events are.

Candidates come from blocking, not from an n x n matrix: two articles are compared
only when the specific terms of their titles and leads (terms that at most
``max_df`` articles use) alone give a cosine of ``CANDIDATE_FLOOR``. On a pile of up to
100,000 articles every term with df <= 1,000 counts; on 100,000 articles this keeps
about 96% of the pairs that score 0.15 or more with all terms. Each candidate is then
scored with the full vectors:

    lexical  = cos(TF-IDF of title and lead)
    semantic = 0.6 * lexical + 0.4 * (cos(MiniLM of title and first sentence) - 0.35)
    score    = semantic when both articles were embedded, else lexical,
               minus a penalty for publication days far apart (or unknown)

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
UNDATED_PENALTY = 0.03
# Pairs scoring below this (before the date penalty) are left out of the graph: they
# would count as 0 anyway.
EDGE_FLOOR = 0.05
# A pair is scored only if its specific terms alone reach this cosine.
CANDIDATE_FLOOR = 0.05
PAIR_BATCH = 200_000
ROW_BATCH = 1_000


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Candidate pairs ``(i, j)`` with ``i < j`` and their lexical score and date penalty."""

    pairs: Pairs
    lexical: Floats
    penalty: Floats


def max_df_for(n: int) -> int:
    """Terms in more articles than this are too common to propose a pair: 1,000 (so on
    a pile of up to 1,000 articles every shared term can), or 1% of a larger pile."""
    return max(1000, n // 100)


def _specific(matrix: sp.csr_matrix, max_df: int) -> sp.csr_matrix:
    """The matrix with the columns of common terms (df > ``max_df``) emptied."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = ((df >= 2) & (df <= max_df))[matrix.indices]
    # Copies of indices and indptr: eliminate_zeros works in place and must not reach
    # the caller's matrix.
    out = sp.csr_matrix(
        (matrix.data * keep, matrix.indices.copy(), matrix.indptr.copy()),
        shape=matrix.shape,
        dtype=np.float32,
    )
    out.eliminate_zeros()
    out.sort_indices()
    return out


def candidate_pairs(signals: Signals, *, max_df: int) -> Pairs:
    """Pairs whose specific terms alone give a cosine of at least ``CANDIDATE_FLOOR``.

    The product runs over row blocks and is filtered block by block, so memory stays
    bounded however many weak pairs a term proposes.
    """
    n = signals.words.shape[0]
    specific = _specific(signals.words, max_df)
    transposed = sp.csr_matrix(specific.T)
    found: list[Pairs] = []
    for begin in range(0, n, ROW_BATCH):
        product = sp.coo_matrix(specific[begin : begin + ROW_BATCH] @ transposed)
        rows = product.row.astype(np.int64) + begin
        cols = product.col.astype(np.int64)
        keep = (rows < cols) & (product.data >= CANDIDATE_FLOOR)
        found.append(np.stack((rows[keep], cols[keep]), axis=1))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def rowwise_cosine(matrix: sp.csr_matrix, pairs: Pairs) -> Floats:
    """Dot products of the paired rows of a matrix with unit-length rows."""
    out = np.empty(len(pairs), dtype=np.float32)
    for begin in range(0, len(pairs), PAIR_BATCH):
        chunk = pairs[begin : begin + PAIR_BATCH]
        left = matrix[chunk[:, 0]]
        right = matrix[chunk[:, 1]]
        left.sort_indices()
        right.sort_indices()
        out[begin : begin + len(chunk)] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return out


def date_penalty(days: npt.NDArray[np.int64], pairs: Pairs) -> Floats:
    """0 within ``GRACE_DAYS``, then 1/``PENALTY_DAYS`` more a day, up to 1.

    A pair with an unknown date gets ``UNDATED_PENALTY``: without the calendar to rule
    out a report of the same kind from another week, it needs slightly more likeness.
    """
    a, b = days[pairs[:, 0]], days[pairs[:, 1]]
    gap = np.abs(a - b).astype(np.float32)
    penalty = np.clip((gap - GRACE_DAYS) / PENALTY_DAYS, 0.0, 1.0)
    return np.where((a >= 0) & (b >= 0), penalty, UNDATED_PENALTY).astype(np.float32)


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
