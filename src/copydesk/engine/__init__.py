"""Where the work runs: in this process, in local worker processes, or on Dask.

The stages are written once against an :class:`~copydesk.engine.executor.Executor`
(map over items, shuffle by key) and every executor gives the same stories and the
same report, byte for byte:

* ``local`` with ``workers=1``: everything in this process, as copydesk always did;
* ``local`` with ``workers=N`` (default: the cores): grouping here, then one call per
  story in a pool of N processes (``engine.local``); by default a pile of fewer than
  ``SMALL_PILE`` articles stays in this process;
* ``dask``: grouping in stages on the cluster (``engine.grouping``) and one task per
  story, on a running scheduler (``scheduler``) or on a ``LocalCluster`` started for
  the run (``engine.dask``; needs ``pip install 'copydesk[dask]'``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from copydesk.embed import Embedder
from copydesk.engine.analysis import analyze_stories, each_analysis
from copydesk.engine.dask import require_dask
from copydesk.engine.executor import Executor, InProcess, Progress
from copydesk.engine.grouping import group_stories_staged
from copydesk.engine.local import LocalPool, available_cores
from copydesk.errors import EngineError
from copydesk.models import Article, Story
from copydesk.stories import group_stories

EngineName = Literal["local", "dask"]
ENGINES: tuple[EngineName, ...] = ("local", "dask")


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """``workers``: local processes (default: the cores) or, for a local Dask cluster,
    its workers (default 2); ``scheduler``: a Dask scheduler address (``dask`` only)."""

    name: EngineName = "local"
    workers: int | None = None
    scheduler: str | None = None

    def __post_init__(self) -> None:
        """Wrong options fail here, before any input is read."""
        if self.name not in ENGINES:
            raise EngineError(f"unknown engine {self.name!r}: use local or dask")
        if self.workers is not None and self.workers < 1:
            raise EngineError(f"--workers must be 1 or more, not {self.workers}")
        if self.scheduler and self.name != "dask":
            raise EngineError("--scheduler needs --engine dask")
        if self.name == "dask":
            require_dask()


# The default: local processes, one per core.
DEFAULT_ENGINE = EngineOptions()


@contextmanager
def open_executor(options: EngineOptions = DEFAULT_ENGINE) -> Iterator[Executor]:
    """The executor that ``options`` name, its processes or cluster closed at the end."""
    if options.name == "dask":
        from copydesk.engine.dask import dask_executor  # imports distributed: only here

        with dask_executor(options.workers, options.scheduler) as executor:
            yield executor
        return
    workers = options.workers or available_cores()
    if workers == 1:
        yield InProcess()
        return
    pool = LocalPool(workers, chosen=options.workers is not None)
    try:
        yield pool
    finally:
        pool.close()


def group(
    executor: Executor,
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> list[Story]:
    """The pile's stories: staged on a cluster, in this process otherwise (grouping a
    pile of 100,000 takes minutes here; its stages pay off across machines)."""
    if executor.name == "dask":
        return group_stories_staged(executor, articles, embedder=embedder, progress=progress)
    return group_stories(articles, embedder=embedder, progress=progress)


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "EngineName",
    "EngineOptions",
    "Executor",
    "InProcess",
    "analyze_stories",
    "each_analysis",
    "group",
    "group_stories_staged",
    "open_executor",
]
