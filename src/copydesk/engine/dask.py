"""The Dask engine: the same calls on a ``dask.distributed`` cluster.

``--scheduler ADDRESS`` connects to a running scheduler (any deployment: a
``dask scheduler`` and ``dask worker`` processes, dask-jobqueue, Kubernetes); without
one, a ``LocalCluster`` of worker processes is started on 127.0.0.1 for the run and
closed after. Workers need copydesk installed (calls travel by reference to
``copydesk.engine`` functions), and load the MiniLM model once per process.

The client scatters each call's item straight to the workers (never through the
scheduler), and a shuffle is Dask's own task-based kind: one call per item splits it
into buckets, one small call per (item, bucket) picks a part on the worker that holds
it, and one call per bucket combines its parts.
"""

from __future__ import annotations

import importlib.util
import logging
import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from copydesk.engine.executor import MapByEach, Progress
from copydesk.engine.local import available_cores
from copydesk.errors import EngineError, MissingDependency

R = TypeVar("R")
T = TypeVar("T")

LOCAL_WORKERS = 2
CONNECT_TIMEOUT_S = 10
_PLAIN = (int, float, str, bool, type(None))


def require_dask() -> None:
    """Raise the pip line when the optional Dask extra is not installed."""
    if importlib.util.find_spec("distributed") is None:
        raise MissingDependency("distributed", "--engine dask", "'copydesk[dask]'")


class DaskExecutor(MapByEach):
    """Calls run as Dask tasks through ``client``."""

    name = "dask"
    remote = True

    def __init__(self, client: Any, *, embed_threads: int) -> None:
        self._client = client
        self.workers = max(1, sum(client.nthreads().values()))
        self.embed_threads = embed_threads

    def worth_sharing(self, articles: int) -> bool:
        return True

    def _send(self, values: Sequence[Any]) -> list[Any]:
        """Plain values as they are, anything else scattered to the workers once."""
        # Scattered in a list of one: a dict or list handed to scatter is scattered item
        # by item (and an empty one fails), a value must arrive whole.
        return [
            v if isinstance(v, _PLAIN) else self._client.scatter([v], hash=False)[0] for v in values
        ]

    def each(
        self,
        fn: Callable[..., R],
        items: Sequence[Any],
        *,
        shared: Sequence[Any] = (),
        stage: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[int, R]]:
        from distributed import as_completed

        if not items:
            return
        extra = self._send(shared)
        sent = self._client.scatter(list(items), hash=False)
        futures = [
            self._client.submit(fn, item, *extra, pure=False, priority=len(items) - k)
            for k, item in enumerate(sent)
        ]
        index = {future.key: k for k, future in enumerate(futures)}
        del sent  # the workers hold the items now; the futures keep them alive there
        try:
            for done, future in enumerate(as_completed(futures), 1):
                result = future.result()
                future.release()
                if progress and stage:
                    progress(stage, done, len(items))
                yield index[future.key], result
        finally:
            self._client.cancel(futures)

    def shuffle(
        self,
        split: Callable[..., list[T]],
        items: Sequence[Any],
        combine: Callable[..., R],
        *,
        buckets: int,
        shared: Sequence[Any] = (),
    ) -> list[R]:
        client = self._client
        extra = self._send(shared)
        sent = client.scatter(list(items), hash=False)
        parts = [client.submit(split, item, buckets, *extra, pure=False) for item in sent]
        picked = [
            [client.submit(operator.getitem, part, b, pure=False) for part in parts]
            for b in range(buckets)
        ]
        combined = [client.submit(combine, pieces, pure=False) for pieces in picked]
        try:
            return list(client.gather(combined))
        finally:
            client.cancel([*parts, *[p for ps in picked for p in ps], *combined])


@contextmanager
def dask_executor(workers: int | None, scheduler: str | None) -> Iterator[DaskExecutor]:
    """A Dask executor on the cluster at ``scheduler``, or on a new local cluster of
    ``workers`` processes (``LOCAL_WORKERS`` by default) closed at the end."""
    require_dask()
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise EngineError(
                f"cannot reach the Dask scheduler at {scheduler} ({reason}): start one "
                "('dask scheduler') or leave out --scheduler for a local cluster"
            ) from None
        threads = 1
    else:
        n = workers or LOCAL_WORKERS
        if n < 1:
            raise EngineError("--workers must be 1 or more")
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        threads = max(1, available_cores() // n)
    try:
        yield DaskExecutor(client, embed_threads=threads)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
