"""The watch loop: a round, a wait until the next one, and so on until Ctrl-C.

No threads: a round runs in the caller's thread and the wait is a plain sleep, so a
KeyboardInterrupt lands either in the sleep or in a round, and both are safe places to
stop (see :mod:`copydesk.watch.rounds` for why a half-done round loses nothing).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from copydesk.watch.client import PoliteClient
from copydesk.watch.rounds import (
    DEFAULT_MAX_BACKOFF,
    Add,
    Clock,
    Progress,
    RoundResult,
    watch_round,
)
from copydesk.watch.state import WatchState

_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_NUMBER = r"(\d+(?:\.\d+)?)"
_INTERVAL = re.compile("".join(f"(?:{_NUMBER}{unit})?" for unit in _UNITS))


def parse_interval(text: str) -> float:
    """Seconds in ``"90s"``, ``"15m"``, ``"2h"``, ``"1h30m"``, ``"1d"`` or a bare ``"900"``."""
    value = text.strip().lower().replace(" ", "")
    seconds: float | None = None
    if re.fullmatch(_NUMBER, value):
        seconds = float(value)
    elif value and (match := _INTERVAL.fullmatch(value)):
        seconds = sum(
            float(n) * _UNITS[u] for n, u in zip(match.groups(), _UNITS, strict=True) if n
        )
    if seconds is None:
        raise ValueError(
            f"invalid interval {text!r}: give a number and a unit, largest unit first, "
            "such as 90s, 15m, 2h or 1h30m (units d, h, m, s)"
        )
    if seconds <= 0:
        raise ValueError(f"invalid interval {text!r}: it must be longer than zero")
    return seconds


def watch(
    sources: Sequence[str],
    state: WatchState,
    add: Add,
    *,
    every: float,
    once: bool = False,
    client: PoliteClient | None = None,
    now: Clock = time.time,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    on_round: Callable[[RoundResult], None] | None = None,
    max_backoff: float = DEFAULT_MAX_BACKOFF,
) -> RoundResult | None:
    """Run :func:`watch_round` every ``every`` seconds (once with ``once``) until Ctrl-C.

    Rounds start ``every`` seconds apart (at once when a round took longer); a failing
    feed backs off in multiples of ``every``, so after one failure it is retried at the
    next round. ``on_round`` sees each result as it ends. Returns the last finished
    round's result (None when interrupted during the first); KeyboardInterrupt ends the
    loop quietly.
    """
    if every <= 0:
        raise ValueError(f"every must be a positive number of seconds, not {every!r}")
    client = client if client is not None else PoliteClient()
    last: RoundResult | None = None
    try:
        while True:
            last = watch_round(
                sources,
                state,
                add,
                client=client,
                now=now,
                progress=progress,
                backoff_base=every,
                max_backoff=max_backoff,
            )
            if on_round is not None:
                on_round(last)
            if once:
                return last
            # Wait on the same clock that stamped the round, so that a feed backing off
            # for one interval is due again exactly at the next round.
            next_round = last.started + every
            while (left := next_round - now()) > 0:
                sleep(min(left, 60.0))
    except KeyboardInterrupt:
        return last
