"""What every engine can do: map a function over items, and shuffle items by key.

The stages (``analysis``, ``grouping``) are written once against :class:`Executor`;
the executor decides where each call runs: in this process, in a pool of local
processes, or on a Dask cluster. A step never knows where it runs, so every engine
gives the same output. Functions handed to an executor must be module-level (they
travel by reference to other processes) and must not depend on the order in which
calls finish: ``map`` gives results in the order of the items; ``each`` gives them as
they finish, so that a caller who writes each result away (a per-story report) holds
only the results not yet taken, never all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

Progress = Callable[[str, int, int], None]
R = TypeVar("R")
T = TypeVar("T")


class Executor(Protocol):
    """Runs the calls of a stage; ``remote`` when they leave this process."""

    name: str
    workers: int
    remote: bool
    # onnxruntime threads per MiniLM session in a worker: the cores a worker may use.
    embed_threads: int

    def worth_sharing(self, articles: int) -> bool:
        """Whether to send out the analysis of a pile of ``articles`` at all, or keep it
        in this process because starting workers would cost more than they save."""
        ...

    def map(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> list[R]:
        """``[fn(item, *shared) for item in items]``, in that order, run where the engine
        runs; ``shared`` values are sent once, not once per call, where the engine can.
        ``progress(stage, done, total)`` is called as calls finish."""
        ...

    def each(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[int, R]]:
        """``(k, fn(items[k], *shared))`` for every item, as the calls finish (in any
        order); a result is the caller's once taken: the executor keeps no reference."""
        ...

    def shuffle(
        self,
        split: Callable[..., list[T]],
        items: Sequence[Any],
        combine: Callable[..., R],
        *,
        buckets: int,
        shared: Sequence[Any] = (),
    ) -> list[R]:
        """``split(item, buckets, *shared)`` gives one part per bucket; ``combine(parts)``
        then gets, for each bucket, that bucket's part of every item (in item order)."""
        ...


class MapByEach:
    """``map`` for an executor that gives ``each``: its results put back in item order."""

    def each(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[int, R]]:
        raise NotImplementedError

    def map(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> list[R]:
        return in_order(self.each(fn, items, shared=shared, stage=stage, progress=progress), items)


class InProcess(MapByEach):
    """Every call here, one after the other: today's behaviour, and the reference."""

    name = "local"
    workers = 1
    remote = False
    embed_threads = 0

    def worth_sharing(self, articles: int) -> bool:
        return False

    def each(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[int, R]]:
        for k, item in enumerate(items):
            result = fn(item, *shared)
            if progress and stage:
                progress(stage, k + 1, len(items))
            yield k, result

    def shuffle(
        self,
        split: Callable[..., list[T]],
        items: Sequence[Any],
        combine: Callable[..., R],
        *,
        buckets: int,
        shared: Sequence[Any] = (),
    ) -> list[R]:
        parts = [split(item, buckets, *shared) for item in items]
        return [combine([p[b] for p in parts]) for b in range(buckets)]


def in_order(results: Iterable[tuple[int, R]], items: Sequence[Any]) -> list[R]:
    """The results of :meth:`Executor.each` over ``items``, in the items' order."""
    out: list[Any] = [None] * len(items)
    for k, result in results:
        out[k] = result
    return out
