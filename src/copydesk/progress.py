"""Progress bars on stderr for long work; silent when asked or when stderr is no terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from copydesk.pipeline import Progress as ProgressCallback


@contextmanager
def progress_bars(quiet: bool) -> Iterator[ProgressCallback | None]:
    """Yield a ``progress(stage, done, total)`` callback drawing one bar per stage."""
    if quiet:
        yield None
        return
    console = Console(stderr=True)
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
