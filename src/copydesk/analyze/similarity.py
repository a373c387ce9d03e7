"""Do two sentences state the same fact? A calibrated score from meaning and wording.

The score is a logistic model over the MiniLM cosine of the two sentences and a few
lexical features that cosine is blind to: how much of their content words they share,
whether each has a number or a name the other lacks (a changed figure or actor is a
different fact however close the wording), whether one is negated and the other not, and
how different their lengths are. Its weights are data (``samefact.json`` beside this
module), fitted on MRPC train by ``benchmarks/similarity_mrpc.py``, which also picks
``SAME_FACT_THRESHOLD`` by grouped cross-validation; ``benchmarks/samefact_candidates.py``
compares this model with the other encoders and combiners that were tried.

A story scores every pair of its n sentences, so each feature is computed for whole
n x n matrices from sparse incidence products, in float32, one feature at a time added
into the logit: memory stays at a few n x n buffers whatever the number of features.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from copydesk.analyze.tokens import _NUMBER_WORDS, STOP, content_stems, stem, tokens
from copydesk.embed import Embedder, default_embedder

MODEL_PATH = Path(__file__).with_name("samefact.json")
Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Profile:
    """What the pair features read of one sentence; computed once per sentence text."""

    stems: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool
    length: int


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion"})
_NUMBER_NAMES = {w: str(v) for w, v in _NUMBER_WORDS.items() if 2 <= v <= 50}
_NEGATION = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without"}
)


@functools.lru_cache(maxsize=100_000)
def profile(text: str) -> Profile:
    """Content stems, numbers, names and negation of a sentence.

    Numbers are normalised ("1,200" is "1200", "three" is "3") and scale words count as
    numbers, so that "2 million" and "2 billion" differ. A name is a capitalised word
    that does not open the sentence (where any word is capitalised), or an acronym.
    """
    words = tokens(text)
    numbers = {m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}
    names: set[str] = set()
    negated = False
    for i, token in enumerate(words):
        lower = token.lower
        if lower in _SCALES:
            numbers.add(lower)
        elif lower in _NUMBER_NAMES:
            numbers.add(_NUMBER_NAMES[lower])
        if lower in _NEGATION or lower.endswith("n't"):
            negated = True
        if token.text[0].isupper() and lower not in STOP and (i > 0 or token.text.isupper()):
            names.add(stem(token.text))
    return Profile(content_stems(text), frozenset(numbers), frozenset(names), negated, len(words))


# ---- features ---------------------------------------------------------------------------

LEXICAL = (
    "jaccard",
    "containment",
    "number_conflict",
    "number_unshared",
    "name_conflict",
    "name_unshared",
    "negation",
    "length_ratio",
)


def _set_pair(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Conflict (each has one the other lacks) and the unshared share of the two sets."""
    common = len(a & b)
    total = len(a) + len(b)
    conflict = float(len(a) > common and len(b) > common)
    return conflict, (total - 2 * common) / total if total else 0.0


def pair_features(a: Profile, b: Profile) -> dict[str, float]:
    """The lexical features of one pair, by name; ``lexical_matrices`` gives the same
    numbers for every pair of two lists at once."""
    common = len(a.stems & b.stems)
    union = len(a.stems) + len(b.stems) - common
    smaller = min(len(a.stems), len(b.stems))
    number = _set_pair(a.numbers, b.numbers)
    name = _set_pair(a.names, b.names)
    longer = max(a.length, b.length)
    return {
        "jaccard": common / union if union else 0.0,
        "containment": common / smaller if smaller else 0.0,
        "number_conflict": number[0],
        "number_unshared": number[1],
        "name_conflict": name[0],
        "name_unshared": name[1],
        "negation": float(a.negated != b.negated),
        "length_ratio": min(a.length, b.length) / longer if longer else 1.0,
    }


def _common(
    rows: Sequence[frozenset[str]], cols: Sequence[frozenset[str]] | None
) -> tuple[Matrix, Matrix, Matrix]:
    """Shared members of every row set with every column set (a sparse product), and
    the sizes of the row sets (a column) and column sets (a row)."""
    from scipy.sparse import csr_matrix

    columns = rows if cols is None else cols
    vocab: dict[str, int] = {}

    def incidence(sets: Sequence[frozenset[str]]) -> csr_matrix:
        r, c = [], []
        for i, members in enumerate(sets):
            for m in members:
                r.append(i)
                c.append(vocab.setdefault(m, len(vocab)))
        return csr_matrix(
            (np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(sets), max(1, len(vocab)))
        )

    left = incidence(rows)
    right = incidence(columns) if cols is not None else left
    width = max(1, len(vocab))
    left.resize((len(rows), width))
    right.resize((len(columns), width))
    common = np.asarray((left @ right.T).toarray(), dtype=np.float32)
    size_rows = np.array([len(s) for s in rows], dtype=np.float32)[:, None]
    size_cols = np.array([len(s) for s in columns], dtype=np.float32)[None, :]
    return common, size_rows, size_cols


def _set_matrices(common: Matrix, size_rows: Matrix, size_cols: Matrix) -> tuple[Matrix, Matrix]:
    """``_set_pair`` over matrices; ``common`` is overwritten."""
    conflict = ((size_rows - common) > 0) & ((size_cols - common) > 0)
    total = size_rows + size_cols
    common *= np.float32(-2.0)
    common += total
    np.divide(common, total, out=common, where=total > 0)
    return conflict.astype(np.float32), common


def lexical_matrices(
    rows: Sequence[Profile], cols: Sequence[Profile] | None = None
) -> Iterator[tuple[str, Matrix]]:
    """Each feature of ``LEXICAL`` for every profile in ``rows`` against every one in
    ``cols`` (``rows`` itself when not given), one n x m float32 matrix at a time, so
    that a caller adding them up holds only a few matrices at once."""
    columns = rows if cols is None else cols
    other = None if cols is None else [p.stems for p in cols]
    common, size_rows, size_cols = _common([p.stems for p in rows], other)
    smaller = np.minimum(size_rows, size_cols)
    union = size_rows + size_cols
    union -= common
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(common, union, out=union, where=union > 0)
        yield "jaccard", union
        del union
        np.divide(common, smaller, out=smaller, where=smaller > 0)
        yield "containment", smaller
        del smaller, common
        for kind in ("number", "name"):
            other = None if cols is None else [getattr(p, f"{kind}s") for p in cols]
            conflict, unshared = _set_matrices(
                *_common([getattr(p, f"{kind}s") for p in rows], other)
            )
            yield f"{kind}_conflict", conflict
            yield f"{kind}_unshared", unshared
            del conflict, unshared
    neg_rows = np.array([p.negated for p in rows])[:, None]
    neg_cols = np.array([p.negated for p in columns])[None, :]
    yield "negation", (neg_rows != neg_cols).astype(np.float32)
    len_rows = np.array([p.length for p in rows], dtype=np.float32)[:, None]
    len_cols = np.array([p.length for p in columns], dtype=np.float32)[None, :]
    longer = np.maximum(len_rows, len_cols)
    ratio = np.minimum(len_rows, len_cols)
    np.divide(ratio, longer, out=ratio, where=longer > 0)
    ratio[longer == 0] = 1.0
    yield "length_ratio", ratio


# ---- the model --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic model over named features: ``cosine`` and those of ``LEXICAL``."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float


@functools.cache
def model() -> Model:
    """The shipped model, read once from ``samefact.json``."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return Model(
        tuple(data["features"]),
        tuple(float(w) for w in data["weights"]),
        float(data["intercept"]),
        float(data["threshold"]),
    )


SAME_FACT_THRESHOLD = model().threshold


def combine(cosine: float, features: dict[str, float]) -> float:
    """The same-fact score of one pair from its cosine and its ``pair_features``."""
    m = model()
    values = {"cosine": cosine, **features}
    z = m.intercept + sum(w * values[f] for f, w in zip(m.features, m.weights, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def combine_matrix(cosine: Matrix, lexical: Iterator[tuple[str, Matrix]]) -> Matrix:
    """``combine`` over whole matrices, in float32: each lexical matrix is added into the
    logit as it comes and then dropped. ``cosine`` is left as it is."""
    m = model()
    weight = dict(zip(m.features, m.weights, strict=True))
    z = np.multiply(cosine, np.float32(weight.get("cosine", 0.0)), dtype=np.float32)
    z += np.float32(m.intercept)
    # Stop as soon as the model has every feature it weighs: the matrices come one at a
    # time, so the ones it does not use are never computed.
    wanted = set(weight) - {"cosine"}
    for name, matrix in lexical if wanted else ():
        if name in weight:
            matrix *= np.float32(weight[name])
            z += matrix
            wanted.discard(name)
        del matrix
        if not wanted:
            break
    # Close the generator here, in this thread's context: left to the garbage collector,
    # its numpy error-state block would be exited from another context and complain.
    close = getattr(lexical, "close", None)
    if close is not None:
        close()
    np.negative(z, out=z)
    with np.errstate(over="ignore"):  # exp of a large logit is inf: a score of 0
        np.exp(z, out=z)
    z += np.float32(1.0)
    np.reciprocal(z, out=z)
    return z


def similarity(a: str, b: str, *, embedder: Embedder | None = None) -> float:
    """How likely ``a`` and ``b`` state the same fact, from 0 to 1.

    Read a score of ``SAME_FACT_THRESHOLD`` or more as "same fact". Scores are symmetric
    and deterministic for a given model.
    """
    vectors = (embedder or default_embedder()).encode([a, b])
    cosine = float(np.clip(vectors[0] @ vectors[1], -1.0, 1.0))
    return combine(cosine, pair_features(profile(a), profile(b)))
