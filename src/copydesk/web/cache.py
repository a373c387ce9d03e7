"""Small caches for pages that only change when their story's analysis does.

A story page costs a few milliseconds of data shaping and template rendering, and a
desk reads the same few stories all day; under 50 concurrent readers that cost decides
the latency. So the rendered bytes are kept, keyed by the story, the stamp of its stored
analysis (:meth:`copydesk.desk.Desk.analysis_version`) and the format: a new article in
the story changes the stamp, and the next read renders afresh. Nothing here is ever
stale by time, only by a changed key, so there is no expiry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """A thread-safe LRU bounded by entry count and, for bytes values, by total size
    (a story page of 200 articles is a few hundred kB; the cache must not grow a
    server's memory without bound)."""

    def __init__(self, size: int = 128, max_bytes: int | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.items: OrderedDict[Hashable, V] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    @staticmethod
    def _weight(value: object) -> int:
        return len(value) if isinstance(value, bytes | bytearray) else 0

    def get(self, key: Hashable) -> V | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            return None

    def put(self, key: Hashable, value: V) -> None:
        with self.lock:
            if key in self.items:
                self.bytes -= self._weight(self.items.pop(key))
            self.items[key] = value
            self.bytes += self._weight(value)
            while len(self.items) > self.size or (
                self.max_bytes is not None and self.bytes > self.max_bytes and self.items
            ):
                _, dropped = self.items.popitem(last=False)
                self.bytes -= self._weight(dropped)

    def __len__(self) -> int:
        return len(self.items)
