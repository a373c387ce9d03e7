"""How good is a fine-tuned MiniLM (``training/samefact/train.py``) at the same-fact task?

For each fold K that has a model in ``MODELS/foldK/model.onnx``, on the rows that
``train.py`` saved for it (``calibrate_rows.npy``, ``test_rows.npy``): the model never
saw either part. On the calibration part a logistic model over the cosine and the
lexical features (``FEATURES``) is fitted and its best-F1 threshold chosen on its own
predictions there (one to three weights on about 650 pairs: inner folds of so small a
part gave cuts that moved more than the models differ); F1 is then read on the test
part, pooled over the folds.
The base all-MiniLM-L6-v2 goes through exactly the same protocol on the same rows, so
the two rows of the table differ only by the encoder.

DUC 2007 SCU pairs (another task: one shared content unit between sentences of
different lengths) with ``MODELS/all/model.onnx`` when present: the AUC and best-cut F1
of its cosine and of the combiner fitted on that model's calibration part.

Not shipped yet (docs/benchmarks.md says why): the analysis still embeds with the
published MiniLM.

    python benchmarks/samefact_finetuned.py --models /tmp/samefact
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mrpc import load_grouped
from align_duc import DEFAULT as DUC_DEFAULT
from copydesk.embed import MiniLMEmbedder
from similarity_mrpc import DEFAULT as MRPC_DEFAULT
from similarity_mrpc import best_f1, duc_pairs, features

FEATURES = ("cosine", "jaccard", "containment")
Array = npt.NDArray[np.float64]


def columns(model: Path | None, a: list[str], b: list[str]) -> Array:
    """One row per pair: the model's cosine, then the lexical features."""
    found = features(a, b, MiniLMEmbedder(model=model))
    return np.column_stack([found[name] for name in FEATURES])


def fit(x: Array, y: npt.NDArray[np.int64]) -> Callable[[Array], Array]:
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    return lambda rows: model.predict_proba(rows)[:, 1]


def calibrate(x: Array, y: npt.NDArray[np.int64]) -> tuple[Callable[[Array], Array], float]:
    """The combiner fitted on the calibration part and its best-F1 cut there."""
    score = fit(x, y)
    return score, best_f1(score(x), y)[1]


def evaluate(models: Path, mrpc: Path) -> None:
    a, b, y, _ = load_grouped(mrpc)
    folds = sorted(p for p in models.glob("fold*") if (p / "model.onnx").exists())
    print(f"MRPC train, folds with a model: {', '.join(p.name for p in folds)}")
    kinds = {"cosine": 1, "cosine + jaccard + containment, LR": len(FEATURES)}
    for label, use_tuned in (("all-MiniLM-L6-v2 (base)", False), ("fine-tuned", True)):
        predicted: dict[str, list[npt.NDArray[np.bool_]]] = {what: [] for what in kinds}
        fold_f1: dict[str, list[float]] = {what: [] for what in kinds}
        truth = []
        for fold in folds:
            cal = np.load(fold / "calibrate_rows.npy")
            test = np.load(fold / "test_rows.npy")
            rows = np.r_[cal, test]
            x = columns(
                fold / "model.onnx" if use_tuned else None,
                [a[i] for i in rows],
                [b[i] for i in rows],
            )
            truth.append(y[test])
            for what, k in kinds.items():  # one embedding of the fold for both
                xc, xt = x[: len(cal), :k], x[len(cal) :, :k]
                score, cut = calibrate(xc, y[cal])
                predicted[what].append(score(xt) >= cut)
                fold_f1[what].append(float(f1_score(y[test], predicted[what][-1])))
        t = np.concatenate(truth)
        for what in kinds:
            p = np.concatenate(predicted[what])
            print(
                f"  {label:26} {what:36} F1 {f1_score(t, p):.3f} "
                f"(sd {np.std(fold_f1[what]):.3f}) acc {np.mean(p == t):.3f}"
            )


def duc(models: Path, mrpc: Path, base: Path) -> None:
    final = models / "all"
    if not (final / "model.onnx").exists():
        return
    a, b, y, _ = load_grouped(mrpc)
    cal = np.load(final / "calibrate_rows.npy")
    da, db, dy, _ = duc_pairs(base)
    print(f"DUC 2007 SCU pairs ({len(dy)} pairs, {int(dy.sum())} positive)")
    for label, model in (("base", None), ("fine-tuned", final / "model.onnx")):
        xc = columns(model, [a[i] for i in cal], [b[i] for i in cal])
        xd = columns(model, da, db)
        for what, k in (("cosine", 1), ("LR", 3)):
            score, cut = calibrate(xc[:, :k], y[cal])
            s = score(xd[:, :k])
            pred = s >= cut
            tp = int(np.sum(pred & (dy == 1)))
            prec, rec = tp / max(1, int(pred.sum())), tp / max(1, int(dy.sum()))
            print(
                f"  {label:10} {what:6} AUC {roc_auc_score(dy, s):.3f} "
                f"best-cut F1 {best_f1(s, dy)[0]:.3f}  at the MRPC cut P {prec:.3f} R {rec:.3f}"
            )


def write_combiner(folder: Path, mrpc: Path) -> None:
    """Fit the shipped combiner's form (cosine, jaccard, containment; raw weights) for the
    model in ``folder`` on its MRPC calibration part, which it never saw, and write it
    beside the model as ``samefact.json`` (what ``align_duc.py --model`` reads)."""
    a, b, y, _ = load_grouped(mrpc)
    cal = np.load(folder / "calibrate_rows.npy")
    x = columns(folder / "model.onnx", [a[i] for i in cal], [b[i] for i in cal])
    clf = LogisticRegression(C=1.0, max_iter=5000).fit(x, y[cal])
    cut = best_f1(clf.predict_proba(x)[:, 1], y[cal])[1]
    data = {
        "about": f"combiner for {folder / 'model.onnx'}, fitted by samefact_finetuned.py",
        "fitted_on": "MRPC calibration part of the model's fold",
        "features": list(FEATURES),
        "weights": [round(float(w), 3) for w in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 3),
        "threshold": round(float(cut), 3),
    }
    (folder / "samefact.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"{folder / 'samefact.json'}: {data['weights']} {data['intercept']} cut {cut:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--mrpc", type=Path, default=MRPC_DEFAULT)
    parser.add_argument("--duc", type=Path, default=DUC_DEFAULT)
    parser.add_argument(
        "--write-combiner",
        action="store_true",
        help="only fit each model's combiner on its calibration part into samefact.json",
    )
    args = parser.parse_args()
    if args.write_combiner:
        for folder in sorted(args.models.iterdir()):
            if (folder / "model.onnx").exists():
                write_combiner(folder, args.mrpc)
        return
    evaluate(args.models, args.mrpc)
    duc(args.models, args.mrpc, args.duc)


if __name__ == "__main__":
    main()
