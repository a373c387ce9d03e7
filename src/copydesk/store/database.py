"""One small object owns the SQLite connection, its settings and the schema.

WAL mode lets readers (``search``, ``stories``, the web app) run while a writer adds
articles, and a reader only ever sees committed transactions: never half an article.
Writes go through :meth:`Database.transaction` (``BEGIN IMMEDIATE``), so that each
batch of articles is one transaction and a killed process loses at most that batch.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from copydesk.errors import CopydeskError
from copydesk.store.schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "copydesk.db"
ENV_DB = "COPYDESK_DB"
BUSY_TIMEOUT_MS = 30_000


class StoreError(CopydeskError):
    """The store cannot be opened or used as asked; the message says what to do."""


def default_path() -> Path:
    """``$COPYDESK_DB`` when set, else ``copydesk.db`` in the working folder."""
    return Path(os.environ.get(ENV_DB) or DEFAULT_DB)


class Database:
    """A SQLite store at ``path`` (``":memory:"`` for a throw-away one), migrated on open."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory:
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: its folder does not exist; create it first")
            if readonly and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no such store; build one with 'copydesk add'")
        try:
            self.conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not memory:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a copydesk store ({exc})") from exc

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, target: int = SCHEMA_VERSION) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer copydesk (schema {current}, this one "
                f"knows {SCHEMA_VERSION}); upgrade copydesk to open it"
            )
        for version in range(current + 1, target + 1):
            script = MIGRATIONS[version - 1]
            try:
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole on success, rolled back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def open_at_version(path: str | Path, version: int) -> Database:
    """A store migrated only up to ``version``: how tests build an old store."""
    db = Database.__new__(Database)
    db.path = str(path)
    db.conn = sqlite3.connect(db.path, isolation_level=None)
    db.conn.row_factory = sqlite3.Row
    db.conn.execute("PRAGMA foreign_keys = ON")
    db._migrate(version)
    return db
