"""An embedder that remembers: every text is embedded once for the life of the store.

It wraps the real model behind the same :class:`~copydesk.embed.Embedder` protocol, so
analysis code does not know it is there. Vectors are keyed by model name and text.
"""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np

from copydesk.embed import Embedder, Matrix
from copydesk.store.articles import chunks


def _key(model: str, text: str) -> str:
    data = f"{model}\0{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


class CachedEmbedder:
    """``inner`` with a cache in the store's ``embeddings`` table."""

    def __init__(self, inner: Embedder, conn: sqlite3.Connection) -> None:
        self.inner = inner
        self.conn = conn
        self.name = inner.name
        self.computed = 0

    def encode(self, texts: list[str]) -> Matrix:
        keys = [_key(self.name, t) for t in texts]
        found: dict[str, Matrix] = {}
        for part in chunks(sorted(set(keys))):
            marks = ",".join("?" * len(part))
            for key, blob in self.conn.execute(
                f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", part
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            # Length-sorted, so that each model batch pads little.
            missing.sort(key=lambda item: len(item[1]))
            vectors = self.inner.encode([t for _, t in missing])
            self.computed += len(missing)
            rows = []
            for (key, _), vector in zip(missing, vectors, strict=True):
                v = np.ascontiguousarray(vector, dtype=np.float32)
                found[key] = v
                rows.append((key, self.name, v.tobytes()))
            self.conn.executemany(
                "INSERT OR IGNORE INTO embeddings (key, model, vector) VALUES (?, ?, ?)", rows
            )
        if not texts:
            return np.zeros((0, int(getattr(self.inner, "dim", 384))), dtype=np.float32)
        return np.stack([found[k] for k in keys])
