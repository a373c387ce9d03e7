"""Near-duplicates: one-permutation MinHash and LSH over word shingles, all in NumPy.

Syndicated copies and light edits share most of their three-word shingles. Classic
MinHash hashes every shingle once per permutation (128 passes); one-permutation
hashing (Li, Owen and Zhang 2012) hashes it once and keeps the minimum per bin, with
empty bins filled by rotation (Shrivastava and Li 2014), so a pile of 100,000 articles
takes seconds. Banded LSH proposes pairs; each pair is then kept only when its
estimated Jaccard similarity reaches the threshold, and kept pairs are joined into
groups.

Word hashes come from BLAKE2b, so signatures are the same in every process and on
every machine (Python's own ``hash`` is salted per process).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

Progress = Callable[[str, int, int], None]
U64 = npt.NDArray[np.uint64]
Pairs = npt.NDArray[np.int64]

SHINGLE = 3
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
DUPLICATE_JACCARD = 0.5
# Articles hashed per NumPy batch: bounds memory at about 30 MB per batch.
BATCH = 4000
# A bucket this large (hundreds of identical signatures) is linked as a star plus a chain
# instead of all pairs, which keeps 10,000 copies of one text from making 50 million pairs.
BUCKET_ALL_PAIRS = 64

_WORD = re.compile(r"\w+")
_BIN_SHIFT = np.uint64(64 - 7)  # 2**7 == NUM_PERM bins, taken from the top bits
_VALUE_MASK = np.uint64((1 << 56) - 1)
_EMPTY = np.uint64(np.iinfo(np.uint64).max)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_P = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


class _WordHashes(dict[str, int]):
    """Word -> 64-bit BLAKE2b hash, computed once per distinct word."""

    def __missing__(self, word: str) -> int:
        value = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        self[word] = value
        return value


def _mix(x: U64) -> U64:
    """SplitMix64's finaliser, in place: spreads every input bit over every output bit."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def _shingles(words: U64, lengths: npt.NDArray[np.int64]) -> tuple[U64, npt.NDArray[np.int64]]:
    """Hashes of every run of ``SHINGLE`` words inside each text, and each one's text."""
    doc = np.repeat(np.arange(len(lengths)), lengths)
    if len(words) < SHINGLE:
        return words.copy(), doc
    with np.errstate(over="ignore"):
        h = words[: len(words) - SHINGLE + 1] * _P[0]
        for k in range(1, SHINGLE):
            h += words[k : len(words) - SHINGLE + 1 + k] * _P[k]
    same = doc[: len(h)] == doc[SHINGLE - 1 :]
    h, owner = h[same], doc[: len(h)][same]
    # A text shorter than a shingle is one shingle: the hash of its words.
    short = np.flatnonzero((lengths > 0) & (lengths < SHINGLE))
    if len(short):
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        extra = np.array([words[starts[i] : starts[i] + lengths[i]].sum() for i in short])
        h = np.concatenate((h, extra.astype(np.uint64)))
        owner = np.concatenate((owner, short))
    return _mix(h), owner


def _densify(sig: U64, first_row: int) -> U64:
    """Fill empty bins from the next non-empty bin to the right, offset by the distance."""
    empty = sig == _EMPTY
    if not empty.any():
        return sig
    k = sig.shape[1]
    wide = np.concatenate((sig, sig), axis=1)
    filled = np.concatenate((~empty, ~empty), axis=1)
    position = np.where(filled, np.arange(2 * k), 2 * k)
    nearest = np.minimum.accumulate(position[:, ::-1], axis=1)[:, ::-1][:, :k]
    blank = nearest >= 2 * k  # a text without a single shingle
    nearest = np.minimum(nearest, 2 * k - 1)
    distance = (nearest - np.arange(k)).astype(np.uint64)
    borrowed = np.take_along_axis(wide, nearest, axis=1)
    out = np.where(empty, borrowed + (distance << np.uint64(56)), sig)
    rows = np.flatnonzero(blank.all(axis=1))
    if len(rows):
        # No shingle, no signature: values of its own per text, so that it matches nothing.
        seed = (rows + first_row + 1).astype(np.uint64)[:, None] * np.uint64(NUM_PERM)
        out[rows] = _mix((seed + np.arange(k, dtype=np.uint64)).astype(np.uint64))
    return out


def signatures(texts: Sequence[str], *, progress: Progress | None = None, offset: int = 0) -> U64:
    """One-permutation MinHash signatures, ``(len(texts), NUM_PERM)`` unsigned 64-bit.

    ``offset`` is the pile index of ``texts[0]`` when a pile is signed in parts (the
    engine's partitions): a text without a shingle gets values of its own from its pile
    index, so the parts give the same rows as the whole.
    """
    hashes = _WordHashes()
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint64)
    for begin in range(0, len(texts), BATCH):
        chunk = texts[begin : begin + BATCH]
        tokens = [_WORD.findall(text.lower()) for text in chunk]
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        flat = np.fromiter(
            (hashes[w] for t in tokens for w in t), dtype=np.uint64, count=int(lengths.sum())
        )
        shingles, owner = _shingles(flat, lengths)
        sig = np.full((len(chunk), NUM_PERM), _EMPTY, dtype=np.uint64)
        bins = (shingles >> _BIN_SHIFT).astype(np.int64)
        np.minimum.at(sig.reshape(-1), owner * NUM_PERM + bins, shingles & _VALUE_MASK)
        out[begin : begin + len(chunk)] = _densify(sig, offset + begin)
        if progress:
            progress("near-duplicates", begin + len(chunk), len(texts))
    return out


def _band_keys(sig: U64, band: int) -> U64:
    block = sig[:, band * ROWS : (band + 1) * ROWS]
    key = np.zeros(len(sig), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(ROWS):
            key = _mix(key ^ block[:, column])
    return key


def _bucket_pairs(key: U64) -> Pairs:
    """Pairs of rows that share a key: all pairs in small buckets, star + chain in big ones."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    pairs: list[Pairs] = []
    for size in np.unique(sizes[sizes > 1]):
        group_starts = starts[sizes == size]
        members = order[group_starts[:, None] + np.arange(size)]
        if size <= BUCKET_ALL_PAIRS:
            a, b = np.triu_indices(size, 1)
        else:
            a = np.r_[np.zeros(size - 1, dtype=np.int64), np.arange(1, size - 1)]
            b = np.r_[np.arange(1, size), np.arange(2, size)]
        pairs.append(np.stack((members[:, a].ravel(), members[:, b].ravel()), axis=1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(sig: U64) -> Pairs:
    """Distinct ``(i, j)`` with ``i < j`` that agree on every row of at least one band."""
    found = [_bucket_pairs(_band_keys(sig, band)) for band in range(BANDS)]
    pairs = np.concatenate(found)
    if not len(pairs):
        return pairs
    pairs.sort(axis=1)
    code = np.unique(pairs[:, 0] * len(sig) + pairs[:, 1])
    return np.stack((code // len(sig), code % len(sig)), axis=1)


def estimate_jaccard(sig: U64, pairs: Pairs) -> npt.NDArray[np.float32]:
    """The share of signature bins on which both texts of each pair agree."""
    out = np.empty(len(pairs), dtype=np.float32)
    for begin in range(0, len(pairs), 50_000):
        chunk = pairs[begin : begin + 50_000]
        out[begin : begin + len(chunk)] = (sig[chunk[:, 0]] == sig[chunk[:, 1]]).mean(axis=1)
    return out


def duplicate_pairs(
    texts: Sequence[str],
    *,
    threshold: float = DUPLICATE_JACCARD,
    progress: Progress | None = None,
) -> tuple[Pairs, npt.NDArray[np.float32]]:
    """Pairs of texts whose estimated shingle Jaccard similarity is at least ``threshold``."""
    sig = signatures(texts, progress=progress)
    pairs = candidate_pairs(sig)
    jaccard = estimate_jaccard(sig, pairs)
    keep = jaccard >= threshold
    return pairs[keep], jaccard[keep]


def band_keys(sig: U64) -> U64:
    """Every row's LSH bucket in every band, ``(len(sig), BANDS)``: what a persistent index
    stores so that a new text finds its near-duplicates without rebuilding the buckets."""
    return np.stack([_band_keys(sig, band) for band in range(BANDS)], axis=1)
