"""Watch RSS/Atom feeds: fetch new entries' article pages politely and store them.

``watch(sources, state, add, every=...)`` runs :func:`watch_round` in a loop. The caller
supplies the storage: ``state`` (a :class:`WatchState`, e.g. :class:`MemoryWatchState`)
remembers validators, back-off and seen entries; ``add`` stores documents and returns
their article ids. Everything on the network goes through a :class:`PoliteClient`.
"""

from __future__ import annotations

from copydesk.watch.client import (
    FetchError,
    PoliteClient,
    Response,
    RobotsDisallowed,
    user_agent,
)
from copydesk.watch.loop import parse_interval, watch
from copydesk.watch.rounds import Add, RoundResult, backoff_delay, watch_round
from copydesk.watch.sources import resolve_sources
from copydesk.watch.state import FeedState, MemoryWatchState, WatchState

__all__ = [
    "Add",
    "FeedState",
    "FetchError",
    "MemoryWatchState",
    "PoliteClient",
    "Response",
    "RobotsDisallowed",
    "RoundResult",
    "WatchState",
    "backoff_delay",
    "parse_interval",
    "resolve_sources",
    "user_agent",
    "watch",
    "watch_round",
]
