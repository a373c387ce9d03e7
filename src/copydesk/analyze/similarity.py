"""Do two sentences state the same fact? A calibrated score from meaning and wording.

The score is a logistic model over three features: MiniLM cosine, Jaccard overlap of
content stems, and containment of the smaller stem set in the larger. Its weights were
fitted on MRPC train (``benchmarks/similarity_mrpc.py`` refits them and prints these
numbers); the output reads as a probability, and ``SAME_FACT_THRESHOLD`` is the cut-off
that maximised F1 in cross-validation there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from copydesk.analyze.tokens import content_stems
from copydesk.embed import Embedder, default_embedder

# Fitted on MRPC train by benchmarks/similarity_mrpc.py (5-fold cross-validated).
WEIGHTS = (-3.879, 4.38, 5.427, -2.085)
SAME_FACT_THRESHOLD = 0.43


def lexical_features(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Jaccard and containment of two content-stem sets."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


def combine(cosine: float, jaccard: float, containment: float) -> float:
    w0, w1, w2, w3 = WEIGHTS
    z = w0 + w1 * cosine + w2 * jaccard + w3 * containment
    return 1.0 / (1.0 + math.exp(-z))


def combine_matrix(
    cosine: npt.NDArray[np.float32],
    jaccard: npt.NDArray[np.float32],
    containment: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """``combine`` over whole matrices, in float32 and in place: a story of n sentences
    needs a few n x n matrices, so every copy saved is a bigger story analysed.
    ``jaccard`` is overwritten with the result; the other two are left as they are."""
    w0, w1, w2, w3 = WEIGHTS
    z = jaccard
    z *= np.float32(w2)
    z += np.float32(w0)
    z += np.float32(w1) * cosine
    z += np.float32(w3) * containment
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += np.float32(1.0)
    np.reciprocal(z, out=z)
    return z


def lexical_matrices(
    stems: Sequence[frozenset[str]], others: Sequence[frozenset[str]] | None = None
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Jaccard and containment of every stem set in ``stems`` with every one in
    ``others`` (``stems`` itself when not given), through a sparse product."""
    from scipy.sparse import csr_matrix

    columns = stems if others is None else others
    vocab: dict[str, int] = {}

    def incidence(sets: Sequence[frozenset[str]]) -> csr_matrix:
        rows, cols = [], []
        for i, stem_set in enumerate(sets):
            for s in stem_set:
                rows.append(i)
                cols.append(vocab.setdefault(s, len(vocab)))
        return csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(sets), max(1, len(vocab))),
        )

    left = incidence(stems)
    right = incidence(columns) if others is not None else left
    left.resize((len(stems), max(1, len(vocab))))
    common = np.asarray((left @ right.T).toarray(), dtype=np.float32)
    size_rows = np.array([len(s) for s in stems], dtype=np.float32)[:, None]
    size_cols = np.array([len(s) for s in columns], dtype=np.float32)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        # Containment: common over the smaller set.
        cont = np.minimum(size_rows, size_cols)
        np.divide(common, cont, out=cont, where=cont > 0)
        # Jaccard: common over the union, computed in the buffer of ``common``.
        union = size_rows + size_cols
        union -= common
        np.divide(common, union, out=common, where=union > 0)
    return common, cont


def similarity(a: str, b: str, *, embedder: Embedder | None = None) -> float:
    """How likely ``a`` and ``b`` state the same fact, from 0 to 1.

    Read a score of ``SAME_FACT_THRESHOLD`` (0.43) or more as "same fact". Scores are
    symmetric and deterministic for a given model.
    """
    model = embedder or default_embedder()
    vectors = model.encode([a, b])
    cosine = float(vectors[0] @ vectors[1])
    jaccard, containment = lexical_features(content_stems(a), content_stems(b))
    return combine(cosine, jaccard, containment)
