"""Progress on stderr for long work: bars on a terminal, plain lines in a log, or nothing.

On a terminal every stage gets a rich bar. When stderr is a file or a pipe (a log, a CI
job) bars would be a stream of control codes, so each stage prints a plain line such as
``copydesk: cleaning 120/400`` at most every :data:`LINE_INTERVAL_S` seconds, and always
its last line, so that a log shows both that the work moves and where it ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from copydesk.pipeline import Progress as ProgressCallback

LINE_INTERVAL_S = 2.0


@contextmanager
def progress_bars(
    quiet: bool, *, console: Console | None = None
) -> Iterator[ProgressCallback | None]:
    """Yield a ``progress(stage, done, total)`` callback, or ``None`` when ``quiet``.

    ``console`` (stderr by default) decides: bars if it is a terminal, plain lines if not.
    """
    if quiet:
        yield None
        return
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield plain_lines(console.file)
        return
    bars = Progress(
        TextColumn("{task.description:>16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=max(total, 1))
        bars.update(tasks[stage], completed=done, total=max(total, 1))

    with bars:
        yield update


@dataclass(slots=True)
class _Stage:
    last_line: float
    finished: bool = False


def plain_lines(
    stream: IO[str],
    *,
    interval: float = LINE_INTERVAL_S,
    clock: Callable[[], float] = time.monotonic,
) -> ProgressCallback:
    """A callback printing ``copydesk: STAGE DONE/TOTAL`` lines to ``stream``.

    A stage prints once ``interval`` seconds have passed since it started or last
    printed, and always when it reaches its total (once; a stage that starts again
    afterwards counts as a new run). A stage quicker than ``interval`` prints one line.
    """
    stages: dict[str, _Stage] = {}

    def update(stage: str, done: int, total: int) -> None:
        now = clock()
        state = stages.get(stage)
        if state is None or (state.finished and done < total):
            state = stages[stage] = _Stage(last_line=now)
        if state.finished:
            return
        if done >= total:
            state.finished = True
        elif now - state.last_line < interval:
            return
        state.last_line = now
        stream.write(f"copydesk: {stage} {done}/{total}\n")
        stream.flush()

    return update
