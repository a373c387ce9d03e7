"""Fit and measure the context score (``_context.py``, an experiment) on DUC 2007 SCU pairs.

Why: the aligner clusters a story's sentences on a same-fact score; the pair score
(fitted on MRPC, where a pair has no story around it) counts the topic that every
sentence of a story shares as agreement. This script measures, on the DUC 2007
SCU-marked topics, how well each signal ranks pairs of sentences of different articles
(1 when they share an SCU; only pairs whose two sentences carry an SCU, where the gold
is complete), and fits the logistic model over the pair score, the centred cosine and
the story TF-IDF cosine with topic-grouped 5-fold cross-validation, so that every figure
of the combination is read on topics its weights never saw.

    python benchmarks/context_scores.py --out /tmp/ctx.json     # figures; fit on every topic
    python benchmarks/align_duc.py --context /tmp/ctx.json --claim .5 --attach .6 --anchor .25

On one half of the topics, with a model fitted on the other half only:

    python benchmarks/context_scores.py --fit-half 1 --out /tmp/ctx-1.json
    python benchmarks/align_duc.py --half 1 --context /tmp/ctx-1.json --claim .5 --attach .6
        --anchor .25     (one command)

``--drop centred`` fits the pair score and the story TF-IDF cosine alone (stop 25: the
centring is what took the main event out).

Measured, not shipped (``_context.py`` says why).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

import _context as context
import align_duc

Array = npt.NDArray[np.float64]


def topic_features(prepared: align_duc.Prepared) -> tuple[Array, npt.NDArray[np.bool_]]:
    """One row per SCU pair of the topic: the pair score, centred and TF-IDF cosines."""
    units = prepared.units
    n = len(units.units)
    centred = context.centred_cosines(units.vectors.matrix, n)
    tfidf = context.tfidf_cosines([u.stems for u in units.units], n)
    mask = prepared.masks["scu"]
    columns = {"score": prepared.units.scores, "centred": centred, "tfidf": tfidf}
    x = np.column_stack([columns[f][mask] for f in context.FEATURES]).astype(np.float64)
    return x, prepared.gold[mask]


def curve(score: Array, y: npt.NDArray[np.bool_]) -> tuple[float, float, float, float]:
    """AUC, best-cut F1, and recall at precision 0.557 (the DUC target's floor)."""
    order = np.argsort(-score, kind="stable")
    tp = np.cumsum(y[order])
    precision = tp / np.arange(1, len(score) + 1)
    recall = tp / max(1, int(y.sum()))
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    floor = recall[precision >= 0.557]
    return (
        float(roc_auc_score(y, score)),
        float(f1.max()),
        float(floor.max()) if len(floor) else 0.0,
        float(recall[int(np.argmax(f1))]),
    )


def fit(x: Array, y: npt.NDArray[np.bool_]) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=5000).fit(x, y)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=align_duc.DEFAULT)
    parser.add_argument(
        "--fit-half",
        type=int,
        choices=(0, 1),
        help="fit the written model on the other half of the topics only (align_duc --half)",
    )
    parser.add_argument("--out", type=Path, help="write the fitted model (JSON) here")
    parser.add_argument(
        "--drop",
        action="append",
        choices=context.FEATURES[1:],
        default=[],
        help="fit without this signal (its weight written as 0); repeat for both",
    )
    args = parser.parse_args()
    began = time.perf_counter()
    topics = [align_duc.prepare(t) for t in align_duc.read_corpus(args.corpus)]
    if not topics:
        sys.exit(f"no .scu files under {args.corpus}")
    rows = [topic_features(p) for p in topics]
    x = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    topic = np.concatenate([np.full(len(r[1]), i) for i, r in enumerate(rows)])
    print(
        f"DUC 2007: {len(topics)} topics, {len(y)} SCU pairs ({int(y.sum())} sharing an SCU); "
        f"prepared in {time.perf_counter() - began:.0f} s"
    )
    print(f"{'signal':38} {'AUC':>6} {'best F1':>8} {'R@P.557':>8}")
    for k, name in enumerate(context.FEATURES):
        auc, f1, floor, _ = curve(x[:, k], y)
        print(f"{name:38} {auc:6.3f} {f1:8.3f} {floor:8.3f}")
    kept = [k for k, name in enumerate(context.FEATURES) if name not in args.drop]
    held = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, topic):
        held[test] = fit(x[train][:, kept], y[train]).predict_proba(x[test][:, kept])[:, 1]
    auc, f1, floor, _ = curve(held, y)
    print(f"{'context score (topic-grouped 5-fold)':38} {auc:6.3f} {f1:8.3f} {floor:8.3f}")
    chosen = np.ones(len(y), dtype=bool)
    if args.fit_half is not None:
        chosen = topic % 2 != args.fit_half
    model = fit(x[chosen][:, kept], y[chosen])
    fitted = dict(zip(kept, model.coef_[0], strict=True))
    weights = [round(float(fitted.get(k, 0.0)), 3) for k in range(len(context.FEATURES))]
    which = "every topic" if args.fit_half is None else f"the topics not in half {args.fit_half}"
    named = dict(zip(context.FEATURES, weights, strict=True))
    print(f"fitted on {which}: weights {named}, intercept {float(model.intercept_[0]):.3f}")
    if args.out:
        out = args.out
        data = {
            "about": "context score (experiment): logistic over the pair score, the story-"
            "centred cosine and the story TF-IDF cosine (benchmarks/context_scores.py)",
            "fitted_on": f"DUC 2007 SCU pairs of {which}: {int(chosen.sum())} pairs",
            "features": list(context.FEATURES),
            "weights": weights,
            "intercept": round(float(model.intercept_[0]), 3),
        }
        out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
