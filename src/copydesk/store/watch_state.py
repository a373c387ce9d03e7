"""The feed watcher's memory in the store (``feeds``, ``feed_entries``): validators and
back-off per feed, and which entries were already stored, so that a watcher restarted
by cron or after a crash neither refetches nor re-adds what it had."""

from __future__ import annotations

import datetime as dt

from copydesk.store.database import Database
from copydesk.watch.state import FeedState


class SqliteWatchState:
    """:class:`~copydesk.watch.state.WatchState` over a store; each call commits."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def feed(self, url: str) -> FeedState | None:
        row = self.db.conn.execute(
            "SELECT url, etag, last_modified, failures, next_attempt, last_checked, last_error "
            "FROM feeds WHERE url = ?",
            (url,),
        ).fetchone()
        return FeedState(*row) if row else None

    def save_feed(self, state: FeedState) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO feeds (url, etag, last_modified, failures, "
                "next_attempt, last_checked, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    state.url,
                    state.etag,
                    state.last_modified,
                    state.failures,
                    state.next_attempt,
                    state.last_checked,
                    state.last_error,
                ),
            )

    def seen(self, feed_url: str, entry: str) -> bool:
        row = self.db.conn.execute(
            "SELECT 1 FROM feed_entries WHERE feed_url = ? AND entry = ?", (feed_url, entry)
        ).fetchone()
        return row is not None

    def mark_seen(self, feed_url: str, entry: str, article_id: str | None) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?)", (feed_url,))
            conn.execute(
                "INSERT OR REPLACE INTO feed_entries (feed_url, entry, article_id, seen) "
                "VALUES (?, ?, ?, ?)",
                (feed_url, entry, article_id, now),
            )
