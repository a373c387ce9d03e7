"""What the watcher remembers between rounds, behind a Protocol so any store can hold it.

The watcher needs two things to be polite and to do no work twice: per feed, the HTTP
validators and the back-off clock (:class:`FeedState`); per entry, whether it was
already stored. :class:`MemoryWatchState` keeps both in dictionaries, for tests and for
library users who watch within one process; a SQLite store implements the same four
methods to survive restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class FeedState:
    """One feed's conditional-GET validators and back-off.

    ``failures`` counts consecutive failed rounds; the feed is skipped until
    ``next_attempt`` (epoch seconds). A successful check resets both.
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_attempt: float = 0.0
    last_checked: float | None = None
    last_error: str | None = None


class WatchState(Protocol):
    """Storage for the watcher. ``entry`` is the entry key (its id, link or content hash).

    ``mark_seen`` is called only after ``add`` stored the documents, so an entry is never
    marked seen without having been stored (or rejected, ``article_id`` None).
    """

    def feed(self, url: str) -> FeedState | None: ...

    def save_feed(self, state: FeedState) -> None: ...

    def seen(self, feed_url: str, entry: str) -> bool: ...

    def mark_seen(self, feed_url: str, entry: str, article_id: str | None) -> None: ...


class MemoryWatchState:
    """A :class:`WatchState` in dictionaries: lost when the process ends."""

    def __init__(self) -> None:
        self._feeds: dict[str, FeedState] = {}
        self._seen: dict[tuple[str, str], str | None] = {}

    def feed(self, url: str) -> FeedState | None:
        return self._feeds.get(url)

    def save_feed(self, state: FeedState) -> None:
        self._feeds[state.url] = state

    def seen(self, feed_url: str, entry: str) -> bool:
        return (feed_url, entry) in self._seen

    def mark_seen(self, feed_url: str, entry: str, article_id: str | None) -> None:
        self._seen[(feed_url, entry)] = article_id

    def seen_entries(self, feed_url: str) -> dict[str, str | None]:
        """The entries of one feed already handled, each with the article id it became."""
        return {entry: aid for (feed, entry), aid in self._seen.items() if feed == feed_url}
