"""Refit the same-fact model shipped in ``copydesk/analyze/samefact.json``, and say how good it is.

What is fitted: a logistic model over the MiniLM cosine and the lexical features of
``copydesk.analyze.similarity`` named in ``FEATURES``, on two dev sets at once, each
weighing the same: MRPC train (4,076 pairs: are the two sentences paraphrases?) and the
DUC 2007 SCU pairs (23,208 pairs of SCU-marked sentences of different articles of one
topic: do they share a content unit?). MRPC alone teaches "same length, same words"
(its weight on containment is negative), which is what alignment must not learn: two
articles state one fact in sentences of different lengths. ``SAME_FACT_THRESHOLD`` is
the best-F1 cut of grouped out-of-fold predictions on MRPC.

How good: 5-fold GROUPED cross-validation on both sets at once (an MRPC group is all the
pairs that share a sentence, a DUC group is a topic), each fold's threshold chosen on its
training part only (inner grouped 3-fold predictions). Printed: MRPC F1 and accuracy
pooled over the held-out folds, DUC AUC and best-cut F1 of held-out topics, for the
model that was shipped before, the refit and two baselines. ``samefact_candidates.py``
compares every other candidate the same way.

Usage: ``python benchmarks/similarity_mrpc.py [--write]`` (``--write`` replaces the
shipped JSON; without it the figures are printed only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _duc import all_scu_pairs
from _mrpc import load_grouped
from align_duc import DEFAULT as DUC_DEFAULT
from copydesk.analyze.similarity import LEXICAL, MODEL_PATH, pair_features, profile
from copydesk.embed import Embedder, default_embedder

DEFAULT = Path(__file__).resolve().parents[2] / "shared/corpora/mrpc-train/msr_paraphrase_train.txt"
FEATURES = ("cosine", "jaccard", "containment")
PREVIOUS = {"intercept": -3.879, "cosine": 4.38, "jaccard": 5.427, "containment": -2.085}


def best_f1(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The best F1 of a cut ``scores >= t`` and that cut (the lowest score it keeps)."""
    order = np.argsort(-scores, kind="stable")
    ranked, labels = scores[order], y[order]
    tp = np.cumsum(labels)
    kept = np.arange(1, len(ranked) + 1)
    last = np.r_[ranked[1:] != ranked[:-1], True]  # cut only between distinct scores
    f1 = np.where(last, 2 * tp / (kept + max(1, int(y.sum()))), 0.0)
    i = int(np.argmax(f1))
    return float(f1[i]), float(ranked[i])


def duc_pairs(base: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Every pair of SCU-marked sentences of different articles of one topic; positive
    if they share an SCU; the group is the topic (``_duc.all_scu_pairs``)."""
    a, b, y, groups = all_scu_pairs("all", base)
    return a, b, np.array(y), np.array(groups)


def features(a: list[str], b: list[str], embedder: Embedder | None = None) -> dict[str, np.ndarray]:
    """MiniLM cosine (``embedder``'s, the shared model by default) and every lexical
    feature of each pair, by name."""
    texts = sorted(set(a) | set(b))
    vectors = (embedder or default_embedder()).encode(texts)
    row = {t: i for i, t in enumerate(texts)}
    va, vb = vectors[[row[t] for t in a]], vectors[[row[t] for t in b]]
    out = {"cosine": np.clip(np.sum(va * vb, axis=1), -1.0, 1.0).astype(np.float64)}
    pairs = [pair_features(profile(x), profile(z)) for x, z in zip(a, b, strict=True)]
    for name in LEXICAL:
        out[name] = np.array([p[name] for p in pairs])
    return out


def fit(xm: np.ndarray, ym: np.ndarray, xd: np.ndarray, yd: np.ndarray) -> tuple[float, np.ndarray]:
    """Logistic fit on MRPC and DUC rows, each set weighing the same; raw-feature
    weights (no scaler to ship)."""
    x = np.vstack([xm, xd])
    y = np.r_[ym, yd]
    w = np.r_[np.ones(len(ym)), np.full(len(yd), len(ym) / max(1, len(yd)))]
    clf = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w)
    return float(clf.intercept_[0]), clf.coef_[0].astype(np.float64)


def predict(model: tuple[float, np.ndarray], x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(model[0] + x @ model[1])))


def out_of_fold(
    xm: np.ndarray,
    ym: np.ndarray,
    gm: np.ndarray,
    xd: np.ndarray,
    yd: np.ndarray,
    gd: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]]:
    """Held-out scores of both sets from grouped k-fold (fold i of MRPC with fold i of DUC)."""
    held_m, held_d = np.zeros(len(ym)), np.zeros(len(yd))
    folds = list(
        zip(
            GroupKFold(n_splits=k).split(xm, ym, gm),
            GroupKFold(n_splits=k).split(xd, yd, gd),
            strict=True,
        )
    )
    for (trm, tem), (trd, ted) in folds:
        model = fit(xm[trm], ym[trm], xd[trd], yd[trd])
        held_m[tem], held_d[ted] = predict(model, xm[tem]), predict(model, xd[ted])
    return held_m, held_d, [(trm, tem, trd, ted) for (trm, tem), (trd, ted) in folds]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT, help="MRPC train file")
    parser.add_argument("--duc", type=Path, default=DUC_DEFAULT, help="the DUC2007 folder")
    parser.add_argument("--write", action="store_true", help="replace samefact.json")
    args = parser.parse_args()
    if not args.corpus.exists() or not args.duc.is_dir():
        sys.exit(f"MRPC train ({args.corpus}) or DUC 2007 ({args.duc}) not found")
    am, bm, ym, gm = load_grouped(args.corpus)
    ad, bd, yd, gd = duc_pairs(args.duc)
    fm, fd = features(am, bm), features(ad, bd)
    xm = np.column_stack([fm[f] for f in FEATURES])
    xd = np.column_stack([fd[f] for f in FEATURES])
    print(f"MRPC train: {len(ym)} pairs, {ym.mean():.1%} paraphrases, {len(set(gm))} groups")
    print(
        f"DUC 2007 SCU pairs: {len(yd)} pairs, {yd.mean():.1%} share an SCU, {len(set(gd))} topics"
    )

    print(
        f"\n{'held-out figures (5-fold grouped)':44} {'MRPC F1':>8} {'acc':>6} {'DUC AUC':>8} "
        f"{'best F1':>8}"
    )
    held_m, held_d, folds = out_of_fold(xm, ym, gm, xd, yd, gd, 5)
    predicted = np.zeros(len(ym), dtype=bool)
    for trm, tem, trd, _ in folds:  # each fold's cut from its own training part
        inner_m, _, _ = out_of_fold(xm[trm], ym[trm], gm[trm], xd[trd], yd[trd], gd[trd], 3)
        predicted[tem] = held_m[tem] >= best_f1(inner_m, ym[trm])[1]

    def line(name: str, sm: np.ndarray | None, pm: np.ndarray | None, sd: np.ndarray) -> None:
        mrpc = f"{f1_score(ym, pm):8.3f} {np.mean(pm == ym):6.3f}" if pm is not None else " " * 15
        print(f"{name:44} {mrpc} {roc_auc_score(yd, sd):8.3f} {best_f1(sd, yd)[0]:8.3f}")

    line("refit (shipped with --write)", held_m, predicted, held_d)
    old = np.array([PREVIOUS[f] for f in FEATURES])
    old_model = (PREVIOUS["intercept"], old)
    line(
        "previous model at 0.43 (fitted on all MRPC)",
        None,
        predict(old_model, xm) >= 0.43,
        predict(old_model, xd),
    )
    line(
        "MiniLM cosine (MRPC cut on all MRPC)",
        None,
        fm["cosine"] >= best_f1(fm["cosine"], ym)[1],
        fd["cosine"],
    )
    line(
        "word overlap (MRPC cut on all MRPC)",
        None,
        fm["jaccard"] >= best_f1(fm["jaccard"], ym)[1],
        fd["jaccard"],
    )

    intercept, weights = fit(xm, ym, xd, yd)
    _, threshold = best_f1(held_m, ym)
    data = {
        "about": "copydesk same-fact model; refit by benchmarks/similarity_mrpc.py --write",
        "fitted_on": "MRPC train + DUC 2007 SCU pairs, each set weighing the same",
        "features": list(FEATURES),
        "weights": [round(float(w), 4) for w in weights],
        "intercept": round(intercept, 4),
        "threshold": round(threshold, 3),
        "grouped_cv_mrpc_f1": round(float(f1_score(ym, predicted)), 3),
        "grouped_cv_duc_auc": round(float(roc_auc_score(yd, held_d)), 3),
    }
    print("\nfitted on everything:", json.dumps(data))
    print("fine-tuned BERT-base reaches F1 0.87 on MRPC (published), for reference")
    if args.write:
        MODEL_PATH.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"written: {MODEL_PATH}")


if __name__ == "__main__":
    main()
