"""Grouping in stages that an executor can spread: the same stories as ``group_stories``.

``copydesk.stories.group_stories`` runs the stages in one process. Here each stage is
a map over partitions of the pile, a shuffle by key, or a map over groups, built from
the same functions, so that the stories come out identical (every float is computed by
the same NumPy or SciPy call on the same rows):

1. MinHash signatures per partition (each partition signed at its pile offset);
2. LSH candidates by a shuffle on (band, bucket key): a bucket's rows meet in one call,
   in pile order, and give the pairs that the whole pile's buckets give;
3. the candidates' estimated Jaccard per chunk of pairs, copies joined on the client;
4. the title-and-lead terms of every representative per partition; the TF-IDF matrix
   (one vocabulary and IDF for the pile) on the client;
5. blocking candidates per block of rows of the specific-term matrix (row blocks, not a
   shuffle on terms: a pair's cosine summed over terms in another order could land on
   the other side of the floor, and the result would change);
6. pair scores per chunk of pairs, MiniLM per slice of texts (one ``encode`` call per
   slice, as in one process);
7. components of the strong pairs on the client, average linkage within each
   component as a call of its own (small components several to a call);
8. stories assembled on the client.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from copydesk.embed import Embedder
from copydesk.engine.executor import Executor, Progress
from copydesk.engine.worker import EmbedderSpec, encode_slice, spec_for, without_raw
from copydesk.models import Article, Story
from copydesk.stories import (
    DUPLICATE_JACCARD,
    EMBED_BATCH,
    EMBED_BUDGET,
    STORY_THRESHOLD,
    blended_scores,
    copy_groups,
    to_embed,
)
from copydesk.stories.assemble import build_stories, centrality
from copydesk.stories.cluster import average_linkage, components
from copydesk.stories.features import Signals, lead_terms, lead_text, publication_days, tfidf
from copydesk.stories.minhash import _bucket_pairs, band_keys, estimate_jaccard, signatures
from copydesk.stories.pairs import (
    ROW_BATCH,
    ScoredPairs,
    _specific,
    max_df_for,
    score_pairs,
)

Ints = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
# Articles per partition; a multiple of pairs.ROW_BATCH so that row blocks line up.
PARTITION = 4 * ROW_BATCH
PAIR_CHUNK = 200_000
# Small components go several to a call, up to this many articles in all.
CLUSTER_CALL = 2_000


def _ranges(n: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)]


# ---- calls (module level: they travel to the workers by reference) ------------------


def _sign(part: tuple[int, list[str]]) -> U64:
    offset, texts = part
    return signatures(texts, offset=offset)


def _band_split(part: tuple[int, U64], buckets: int) -> list[tuple[Ints, U64, Ints]]:
    """Every row's (band, key, pile index), split by key into ``buckets`` parts."""
    offset, sig = part
    keys = band_keys(sig)
    band = np.tile(np.arange(keys.shape[1], dtype=np.int64), len(sig))
    index = np.repeat(np.arange(offset, offset + len(sig), dtype=np.int64), keys.shape[1])
    key = keys.ravel()
    dest = (key % np.uint64(buckets)).astype(np.int64)
    return [(band[dest == b], key[dest == b], index[dest == b]) for b in range(buckets)]


def _bucket_candidates(parts: list[tuple[Ints, U64, Ints]]) -> Ints:
    """The pairs of the buckets that met here, as ``minhash.candidate_pairs`` makes them."""
    band = np.concatenate([p[0] for p in parts])
    key = np.concatenate([p[1] for p in parts])
    index = np.concatenate([p[2] for p in parts])
    found = [np.zeros((0, 2), dtype=np.int64)]
    for b in np.unique(band).tolist():
        rows = np.flatnonzero(band == b)
        rows = rows[np.argsort(index[rows], kind="stable")]
        local = _bucket_pairs(key[rows])
        found.append(index[rows][local])
    pairs = np.concatenate(found)
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0) if len(pairs) else pairs


def _jaccard(pairs: Ints, sig: U64) -> npt.NDArray[np.float32]:
    return estimate_jaccard(sig, pairs)


def _terms(part: list[Article]) -> list[list[str]]:
    return [lead_terms(a) for a in part]


def _block_candidates(part: tuple[int, sp.csr_matrix], transposed: sp.csr_matrix) -> Ints:
    """``pairs.candidate_pairs`` for one block of rows (``pairs.ROW_BATCH`` at a time)."""
    from copydesk.stories.pairs import CANDIDATE_FLOOR

    offset, rows = part
    found = [np.zeros((0, 2), dtype=np.int64)]
    for begin in range(0, rows.shape[0], ROW_BATCH):
        product = sp.coo_matrix(rows[begin : begin + ROW_BATCH] @ transposed)
        r = product.row.astype(np.int64) + offset + begin
        c = product.col.astype(np.int64)
        keep = (r < c) & (product.data >= CANDIDATE_FLOOR)
        found.append(np.stack((r[keep], c[keep]), axis=1))
    return np.concatenate(found)


def _score(pairs: Ints, signals: Signals) -> ScoredPairs:
    return score_pairs(signals, pairs)


def _cluster(item: list[tuple[int, Ints, npt.NDArray[np.float32]]]) -> list[Ints]:
    """Average linkage of each component of the call, in its own local indices."""
    return [average_linkage(n, pairs, scores, STORY_THRESHOLD) for n, pairs, scores in item]


# ---- the stages ---------------------------------------------------------------------


def _near_duplicates(
    executor: Executor, articles: Sequence[Article], progress: Progress | None
) -> Ints:
    parts = [
        (lo, [a.text for a in articles[lo:hi]]) for lo, hi in _ranges(len(articles), PARTITION)
    ]
    sigs = executor.map(_sign, parts, stage="near-duplicates", progress=progress)
    sig = np.concatenate(sigs)
    buckets = max(1, min(executor.workers, len(parts)) * 2 if executor.remote else 1)
    offsets = [lo for lo, _ in _ranges(len(articles), PARTITION)]
    found = executor.shuffle(
        _band_split, list(zip(offsets, sigs, strict=True)), _bucket_candidates, buckets=buckets
    )
    pairs = np.concatenate(found)
    pairs = np.unique(pairs, axis=0) if len(pairs) else np.zeros((0, 2), dtype=np.int64)
    chunks = [pairs[lo:hi] for lo, hi in _ranges(len(pairs), PAIR_CHUNK)]
    jaccard = executor.map(_jaccard, chunks, shared=(sig,))
    keep = np.concatenate(jaccard) >= DUPLICATE_JACCARD if chunks else np.zeros(0, dtype=bool)
    return copy_groups(articles, pairs[keep])


def _signals(executor: Executor, reps: Sequence[Article], progress: Progress | None) -> Signals:
    parts = [[without_raw(a) for a in reps[lo:hi]] for lo, hi in _ranges(len(reps), PARTITION)]
    terms = [
        t for part in executor.map(_terms, parts, stage="features", progress=progress) for t in part
    ]
    return Signals(words=tfidf(terms), days=publication_days(reps))


def _scored_candidates(executor: Executor, signals: Signals) -> ScoredPairs:
    n = signals.words.shape[0]
    specific = _specific(signals.words, max_df_for(n))
    transposed = sp.csr_matrix(specific.T)
    blocks = [(lo, specific[lo:hi]) for lo, hi in _ranges(n, PARTITION)]
    found = executor.map(_block_candidates, blocks, shared=(transposed,))
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    chunks = [pairs[lo:hi] for lo, hi in _ranges(len(pairs), PAIR_CHUNK)]
    if not chunks:
        return score_pairs(signals, pairs)
    scored = executor.map(_score, chunks, shared=(signals,))
    return ScoredPairs(
        np.concatenate([s.pairs for s in scored]),
        np.concatenate([s.lexical for s in scored]),
        np.concatenate([s.penalty for s in scored]),
    )


def _scores(
    executor: Executor,
    reps: Sequence[Article],
    scored: ScoredPairs,
    spec: EmbedderSpec,
    budget: int,
    progress: Progress | None,
) -> npt.NDArray[np.float32]:
    chosen = to_embed(scored, len(reps), budget)
    texts = [lead_text(reps[k]) for k in chosen.tolist()]
    slices = [texts[lo:hi] for lo, hi in _ranges(len(texts), EMBED_BATCH)]
    vectors = executor.map(
        encode_slice, slices, shared=(spec,), stage="embedding", progress=progress
    )
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
    return blended_scores(scored, chosen, matrix, len(reps))


def _labels(
    executor: Executor,
    n: int,
    pairs: Ints,
    scores: npt.NDArray[np.float32],
    progress: Progress | None,
) -> Ints:
    """``average_linkage`` over the pile, one component of strong pairs at a time."""
    component = components(n, pairs[scores >= STORY_THRESHOLD])
    inside = component[pairs[:, 0]] == component[pairs[:, 1]]
    pairs, scores = pairs[inside], scores[inside]
    owner = component[pairs[:, 0]]
    order = np.argsort(owner, kind="stable")
    starts = (
        np.flatnonzero(np.r_[True, owner[order][1:] != owner[order][:-1]]) if len(order) else order
    )
    ends = np.r_[starts[1:], len(order)]
    by_component = np.argsort(component, kind="stable")
    sorted_component = component[by_component]
    calls: list[list[tuple[int, Ints, npt.NDArray[np.float32]]]] = []
    members_of: list[list[Ints]] = []
    size = CLUSTER_CALL
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        rows = order[lo:hi]  # this component's pairs, in pile order
        label = component[pairs[rows[0], 0]]
        first, last = np.searchsorted(sorted_component, [label, label + 1])
        members = by_component[first:last]  # ascending: the sort was stable
        local = np.searchsorted(members, pairs[rows])
        if size + len(members) > CLUSTER_CALL:
            calls.append([])
            members_of.append([])
            size = 0
        calls[-1].append((len(members), local, scores[rows]))
        members_of[-1].append(members)
        size += len(members)
    labels = np.arange(n, dtype=np.int64)
    for found, groups in zip(executor.map(_cluster, calls), members_of, strict=True):
        for local_labels, group in zip(found, groups, strict=True):
            labels[group] = group[local_labels]
    if progress:
        progress("clustering", n, n)
    return labels


def group_stories_staged(
    executor: Executor,
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    embed_budget: int = EMBED_BUDGET,
) -> list[Story]:
    """``copydesk.stories.group_stories`` with its stages run by ``executor``."""
    if not articles:
        return []
    duplicate_of = _near_duplicates(executor, articles, progress)
    representatives = np.flatnonzero(duplicate_of == np.arange(len(articles)))
    reps = [articles[k] for k in representatives.tolist()]
    signals = _signals(executor, reps, progress)
    if progress:
        progress("candidates", 0, 1)
    scored = _scored_candidates(executor, signals)
    if progress:
        progress("candidates", 1, 1)
    scores = _scores(executor, reps, scored, spec_for(executor, embedder), embed_budget, progress)
    labels = _labels(executor, len(reps), scored.pairs, scores, progress)
    weights = np.bincount(duplicate_of, minlength=len(articles))[representatives]
    central = centrality(labels, weights, scored.pairs, scores)
    return build_stories(articles, duplicate_of, representatives, labels, central)
