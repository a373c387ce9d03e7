"""Average-linkage clustering over a sparse graph of scored pairs.

Average linkage (UPGMA) merges two groups only when the mean score over *all* pairs
across them reaches the threshold, so one strong link cannot chain two events together
the way single linkage does. A pair without an edge counts as score 0, which lets the
graph stay sparse: 100,000 articles need only their candidate pairs, never an n x n
matrix. Negative edges (same words, publication dates too far apart) pull a merge down.

Every merge needs at least one pair scoring ``threshold`` or more across the two groups
(a mean never exceeds the maximum), so a group never reaches outside its connected
component of such strong pairs. Pairs between different components are dropped before
clustering: on 100,000 articles that removes most weak pairs and their memory, and
changes nothing in the result.

The merge order is the exact UPGMA order (best mean first, ties broken by group ids),
so the same pairs give the same groups every time.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

Progress = Callable[[str, int, int], None]
Pairs = npt.NDArray[np.int64]


def average_linkage(
    n: int,
    pairs: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float32],
    threshold: float,
    *,
    progress: Progress | None = None,
) -> npt.NDArray[np.int64]:
    """Group ``n`` items; return each item's label, the smallest index in its group.

    ``pairs`` holds ``(i, j)`` rows with ``i != j`` (each unordered pair once) and
    ``scores`` their similarity. Groups keep merging while some two of them have a mean
    pairwise score of at least ``threshold`` (which must be positive).
    """
    if threshold <= 0:
        raise ValueError("threshold must be positive: missing pairs count as score 0")
    strong = scores >= threshold
    component = components(n, pairs[strong])
    inside = component[pairs[:, 0]] == component[pairs[:, 1]]
    pairs, scores = pairs[inside], scores[inside]
    sums: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, score in zip(
        pairs[:, 0].tolist(), pairs[:, 1].tolist(), scores.tolist(), strict=True
    ):
        sums[i][j] = sums[i].get(j, 0.0) + score
        sums[j][i] = sums[j].get(i, 0.0) + score
    size = [1] * n
    version = [0] * n
    alive = [True] * n
    heap: list[tuple[float, int, int, int, int]] = []
    for i in range(n):
        for j, total in sums[i].items():
            if i < j and total >= threshold:
                heap.append((-total, i, j, 0, 0))
    heapq.heapify(heap)
    merged_into = list(range(n))
    merges = 0
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or version[a] != version_a or version[b] != version_b:
            continue
        # The group with the larger neighbour table survives, so that each merge costs
        # the size of the smaller table (a small-into-large merge).
        keep, gone = (a, b) if len(sums[a]) >= len(sums[b]) else (b, a)
        alive[gone] = False
        merged_into[gone] = keep
        table = sums[keep]
        table.pop(gone, None)
        for other, total in sums[gone].items():
            if other == keep:
                continue
            table[other] = table.get(other, 0.0) + total
            back = sums[other]
            back[keep] = back.get(keep, 0.0) + back.pop(gone)
        sums[gone] = {}
        size[keep] += size[gone]
        version[keep] += 1
        for other, total in table.items():
            mean = total / (size[keep] * size[other])
            if mean >= threshold:
                lo, hi = (keep, other) if keep < other else (other, keep)
                heapq.heappush(heap, (-mean, lo, hi, version[lo], version[hi]))
        merges += 1
        if progress and merges % 1000 == 0:
            progress("clustering", merges, n)
    roots = np.empty(n, dtype=np.int64)
    for i in range(n):
        root = i
        while merged_into[root] != root:
            root = merged_into[root]
        roots[i] = root
    first = np.full(n, n, dtype=np.int64)
    np.minimum.at(first, roots, np.arange(n))
    return first[roots]


def components(n: int, pairs: Pairs) -> npt.NDArray[np.int64]:
    """Connected components: each item's label is the smallest index in its component."""
    graph = sp.coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n)
    )
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    result: npt.NDArray[np.int64] = first[labels]
    return result
