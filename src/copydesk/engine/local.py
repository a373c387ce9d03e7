"""The local engine: calls spread over a pool of processes on this machine.

Processes, not threads: most of analysis is Python (alignment, discrepancies) that
holds the GIL. The pool is started with ``spawn``, never ``fork``: the parent may
already run onnxruntime's thread pool (grouping embeds titles), and a forked copy of
a running thread pool can hang. Each worker is started once with its share of the
cores (``embed_threads``, and the same limit for NumPy's BLAS), loads the model on
its first story and keeps it; each call carries only its own item, so a story's
articles travel to one worker, once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from copydesk.engine.executor import InProcess, MapByEach, Progress
from copydesk.errors import EngineError

R = TypeVar("R")
T = TypeVar("T")

# A pile this small is analysed in this process unless --workers says otherwise: the
# workers would still be loading their model when one process is done.
SMALL_PILE = 24


def available_cores() -> int:
    """The cores this process may run on (the affinity mask, not the whole machine)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(threads: int) -> None:
    """A worker's first act: keep NumPy's BLAS to the worker's share of the cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn brings it; without it BLAS keeps its default
        return
    threadpool_limits(limits=threads)


class LocalPool(MapByEach):
    """``workers`` processes on this machine; with one call to make, that call runs here."""

    name = "local"
    remote = True

    def __init__(self, workers: int, *, chosen: bool = True) -> None:
        if workers < 1:
            raise EngineError("--workers must be 1 or more")
        self.workers = workers
        self._chosen = chosen
        self.embed_threads = max(1, available_cores() // workers)
        self._pool: ProcessPoolExecutor | None = None

    def worth_sharing(self, articles: int) -> bool:
        """Always when the caller chose the number of workers; by default, from
        ``SMALL_PILE`` articles (starting a worker and its model takes seconds)."""
        return self._chosen or articles >= SMALL_PILE

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.embed_threads,),
            )
        return self._pool

    def each(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[int, R]]:
        if len(items) <= 1:
            yield from InProcess().each(fn, items, shared=shared, stage=stage, progress=progress)
            return
        pool = self._started()
        futures: dict[Future[R], int] = {
            pool.submit(fn, item, *shared): k for k, item in enumerate(items)
        }
        try:
            for done, future in enumerate(as_completed(futures), 1):
                k = futures.pop(future)  # the result is the caller's from here
                result = future.result()
                if progress and stage:
                    progress(stage, done, len(items))
                yield k, result
        except BrokenProcessPool as exc:
            raise EngineError(
                "a worker process died (out of memory?): try fewer --workers"
            ) from exc
        finally:
            for future in futures:
                future.cancel()

    def shuffle(
        self,
        split: Callable[..., list[T]],
        items: Sequence[Any],
        combine: Callable[..., R],
        *,
        buckets: int,
        shared: Sequence[Any] = (),
    ) -> list[R]:
        parts = self.map(split, items, shared=(buckets, *shared))
        return self.map(combine, [[p[b] for p in parts] for b in range(buckets)])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
