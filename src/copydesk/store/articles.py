"""Articles and their versions as rows: the store converts at its edge, so the rest of
copydesk only ever sees the frozen :class:`~copydesk.models.Article`.

An article is named in later inputs by its *key* (its URL, else its source and id).
The same content again stores nothing; the same key with other content is a new
version, kept beside the old one with both timestamps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence

from copydesk.models import Article, ArticleVersion, Dropped, Sentence

_CHUNK = 500


def article_key(article: Article) -> str:
    """What names the same article in a later input: its URL, else its source and id."""
    return article.url or f"{article.source}#{article.id}"


def raw_hash(raw: str) -> str:
    return hashlib.sha1(raw.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def content_hash(article: Article) -> str:
    """The clean content: a new raw page (new ads, a new timestamp) with the same title and
    text is the same content, not a new version."""
    data = f"{article.title or ''}\0{article.text}".encode("utf-8", "surrogatepass")
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    """SQLite caps the number of ``?`` in one statement: ask in slices."""
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]


def known_raw_hashes(conn: sqlite3.Connection, hashes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(list(hashes)):
        marks = ",".join("?" * len(part))
        rows = conn.execute(f"SELECT raw_hash FROM versions WHERE raw_hash IN ({marks})", part)
        found.update(row[0] for row in rows)
    return found


def by_raw_hash(conn: sqlite3.Connection, digest: str) -> str | None:
    """The id of the article a stored input became."""
    row = conn.execute(
        "SELECT article_id FROM versions WHERE raw_hash = ? LIMIT 1", (digest,)
    ).fetchone()
    return str(row[0]) if row else None


def story_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    return str(row[0]) if row and row[0] else None


def by_key(conn: sqlite3.Connection, key: str) -> tuple[str, int, str] | None:
    """``(id, current version, its content hash)`` of the article stored under ``key``."""
    row = conn.execute(
        "SELECT a.id, a.version, v.content_hash FROM articles a JOIN versions v "
        "ON v.article_id = a.id AND v.version = a.version WHERE a.key = ?",
        (key,),
    ).fetchone()
    return (str(row[0]), int(row[1]), str(row[2])) if row else None


def free_id(conn: sqlite3.Connection, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``...: two inputs may bring the same id."""
    candidate, suffix = wanted, 2
    while conn.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone():
        candidate = f"{wanted}-{suffix}"
        suffix += 1
    return candidate


def _version_row(
    article: Article, version: int, now: str, digest: str | None
) -> tuple[object, ...]:
    return (
        article.id,
        version,
        now,
        digest or raw_hash(article.raw),
        content_hash(article),
        article.source,
        article.kind,
        article.raw,
        article.title,
        article.outlet,
        article.published.isoformat() if article.published else None,
        article.url,
        article.author,
        article.text,
        json.dumps([[s.start, s.end] for s in article.sentences]),
        json.dumps([{"text": d.text, "reason": d.reason} for d in article.dropped]),
    )


_INSERT_VERSION = (
    "INSERT INTO versions (article_id, version, added, raw_hash, content_hash, source, kind, "
    "raw, title, outlet, published, url, author, text, sentences, dropped) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_article(
    conn: sqlite3.Connection, article: Article, now: str, digest: str | None = None
) -> None:
    """Store a new article (its first version); ``article.id`` must be free. ``digest``
    names the input it came from (default: a hash of its raw text)."""
    conn.execute(
        "INSERT INTO articles (id, key, version, first_added, updated) VALUES (?, ?, 1, ?, ?)",
        (article.id, article_key(article), now, now),
    )
    conn.execute(_INSERT_VERSION, _version_row(article, 1, now, digest))


def insert_version(
    conn: sqlite3.Connection, article: Article, version: int, now: str, digest: str | None = None
) -> None:
    """Store ``article`` as version ``version`` of the stored article of the same id."""
    conn.execute(_INSERT_VERSION, _version_row(article, version, now, digest))
    conn.execute(
        "UPDATE articles SET version = ?, updated = ? WHERE id = ?", (version, now, article.id)
    )


_COLUMNS = (
    "v.article_id, v.source, v.text, v.title, v.outlet, v.published, v.url, v.author, "
    "v.sentences, v.dropped, v.raw, v.kind, v.version, v.added"
)


def _article(row: sqlite3.Row) -> Article:
    published = row["published"]
    return Article(
        id=row["article_id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        published=dt.date.fromisoformat(published) if published else None,
        url=row["url"],
        author=row["author"],
        sentences=tuple(Sentence(s, e) for s, e in json.loads(row["sentences"])),
        dropped=tuple(Dropped(d["text"], d["reason"]) for d in json.loads(row["dropped"])),
        raw=row["raw"],
        kind=row["kind"],
    )


def load_articles(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Article]:
    """The current version of each article, in the order of ``ids`` (unknown ids skipped)."""
    found: dict[str, Article] = {}
    for part in chunks(list(ids)):
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM articles a JOIN versions v "
            f"ON v.article_id = a.id AND v.version = a.version WHERE a.id IN ({marks})",
            part,
        )
        for row in rows:
            found[row["article_id"]] = _article(row)
    return [found[i] for i in ids if i in found]


def load_versions(conn: sqlite3.Connection, article_id: str) -> list[ArticleVersion]:
    """Every stored version of one article, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM versions v WHERE v.article_id = ? ORDER BY v.version",
        (article_id,),
    )
    return [ArticleVersion(_article(r), int(r["version"]), str(r["added"])) for r in rows]


def record_error(conn: sqlite3.Connection, source: str, message: str, now: str) -> None:
    conn.execute(
        "INSERT INTO input_errors (source, message, at) VALUES (?, ?, ?)", (source, message, now)
    )
