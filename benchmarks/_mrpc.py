"""MRPC train read with a group per pair, for grouped cross-validation.

Kept free of copydesk imports: the training environment (``training/``) reads it too.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold


def load_grouped(path: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """MRPC pairs with a group per pair: pairs that share a sentence (by MRPC id or by
    text) are one group, so grouped folds keep every sentence on one side."""
    a, b, y, ids = [], [], [], []
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) != 5 or row[0] not in {"0", "1"}:
                continue
            y.append(int(row[0]))
            a.append(row[3])
            b.append(row[4])
            ids.append((f"id:{row[1]}", f"id:{row[2]}", f"text:{row[3]}", f"text:{row[4]}"))
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for keys in ids:
        root = find(keys[0])
        for key in keys[1:]:
            parent[find(key)] = root
    roots: dict[str, int] = {}
    groups = [roots.setdefault(find(keys[0]), len(roots)) for keys in ids]
    return a, b, np.array(y), np.array(groups)


def training_split(groups: np.ndarray, fold: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row indices to train on, to calibrate on and to test on (empty for ``all``).

    ``fold`` is 0..4 (grouped 5-fold: its test part is that fold) or ``all``. The
    calibration part is a fifth of the training part's groups, which the encoder never
    sees: the combiner and threshold are fitted there."""
    rows = np.arange(len(groups))
    if fold == "all":
        train, test = rows, rows[:0]
    else:
        train, test = list(GroupKFold(n_splits=5).split(rows, groups=groups))[int(fold)]
    inner = next(iter(GroupKFold(n_splits=5).split(train, groups=groups[train])))
    return train[inner[0]], train[inner[1]], test
