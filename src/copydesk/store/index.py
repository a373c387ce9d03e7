"""The grouping index in SQLite: what :class:`~copydesk.stories.incremental.StoryIndex`
asks, answered with indexed lookups so that the cost of one article stays flat as the
store grows.

- ``lsh_bands``: one row per (band, bucket) of every article's MinHash signature;
- ``lead_terms`` and ``postings``: each representative's title-and-lead terms, and for
  each term who uses it on which day, so that candidates come from an index range;
- ``term_df``: document frequencies among representatives (the IDF of batch TF-IDF);
- ``pair_scores``: scored pairs between representatives, the edges average linkage reads.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from copydesk.store.articles import chunks
from copydesk.stories.incremental import StoredCopy, StoredLead, Vector


def story_id_for(article: str) -> str:
    """A story is named after the article that opened it: stable whatever joins later."""
    digest = hashlib.sha1(article.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"story-{digest}"


def _vector(blob: bytes | None) -> Vector | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.float32)


class SqliteStoryIndex:
    """The :class:`StoryIndex` of one store, inside the caller's open transaction."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn = conn
        self.now = now
        self.changed: set[str] = set()

    def bucket_matches(self, article: str, buckets: Sequence[int]) -> list[StoredCopy]:
        clause = " OR ".join("(l.band = ? AND l.bucket = ?)" for _ in buckets)
        params: list[object] = [v for band, b in enumerate(buckets) for v in (band, b)]
        rows = self.conn.execute(
            "SELECT DISTINCT s.article_id, COALESCE(a.copy_of, a.id), a.story_id, s.day, "
            f"s.signature FROM lsh_bands l JOIN signatures s ON s.article_id = l.article_id "
            f"JOIN articles a ON a.id = s.article_id WHERE ({clause}) AND l.article_id != ? "
            "AND a.story_id IS NOT NULL",
            [*params, article],
        )
        return [
            StoredCopy(r[0], r[1], r[2], int(r[3]), np.frombuffer(r[4], dtype=np.uint64))
            for r in rows
        ]

    def add_buckets(
        self, article: str, day: int, signature: npt.NDArray[np.uint64], buckets: Sequence[int]
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO signatures (article_id, day, signature) VALUES (?, ?, ?)",
            (article, day, signature.astype(np.uint64).tobytes()),
        )
        self.conn.executemany(
            "INSERT INTO lsh_bands (band, bucket, article_id) VALUES (?, ?, ?)",
            [(band, bucket, article) for band, bucket in enumerate(buckets)],
        )

    def representatives(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM lead_terms").fetchone()[0])

    def add_lead(
        self,
        article: str,
        day: int,
        terms: Mapping[str, int],
        lead: str,
        weights: Mapping[str, float],
    ) -> None:
        self.conn.execute(
            "INSERT INTO lead_terms (article_id, day, terms, lead) VALUES (?, ?, ?, ?)",
            (article, day, json.dumps(dict(terms), ensure_ascii=False), lead),
        )
        self.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, 1) "
            "ON CONFLICT (term) DO UPDATE SET df = df + 1",
            [(t,) for t in terms],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO postings (term, article_id, day, weight) VALUES (?, ?, ?, ?)",
            [(t, article, day, weights[t]) for t in terms],
        )

    def set_embedding(self, article: str, embedding: Vector) -> None:
        self.conn.execute(
            "UPDATE lead_terms SET embedding = ? WHERE article_id = ?",
            (np.asarray(embedding, np.float32).tobytes(), article),
        )

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in chunks(list(terms)):
            marks = ",".join("?" * len(part))
            for term, df in self.conn.execute(
                f"SELECT term, df FROM term_df WHERE term IN ({marks})", part
            ):
                out[term] = int(df)
        return out

    def leads_with(
        self, article: str, query: Mapping[str, float], day: int, window: int, floor: float
    ) -> list[StoredLead]:
        """Representatives whose stored weights on the query's terms give a dot product of
        at least ``floor``, summed inside SQLite so that a common term's long posting list
        never reaches Python."""
        values = ",".join("(?, ?)" for _ in query)
        sql = (
            f"WITH q(term, w) AS (VALUES {values}) "
            "SELECT p.article_id FROM q JOIN postings p ON p.term = q.term "
            "WHERE p.article_id != ?"
        )
        params: list[object] = [v for item in query.items() for v in item]
        params.append(article)
        if window >= 0:
            sql += " AND (p.day = -1 OR p.day BETWEEN ? AND ?)"
            params += [day - window, day + window]
        sql += " GROUP BY p.article_id HAVING SUM(p.weight * q.w) >= ?"
        params.append(floor)
        ids = {r[0] for r in self.conn.execute(sql, params)}
        leads: list[StoredLead] = []
        for part in chunks(sorted(ids)):
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                "SELECT l.article_id, a.story_id, l.day, l.terms, l.lead, l.embedding "
                "FROM lead_terms l "
                f"JOIN articles a ON a.id = l.article_id WHERE l.article_id IN ({marks}) "
                "AND a.story_id IS NOT NULL",
                part,
            )
            leads.extend(
                StoredLead(r[0], r[1], int(r[2]), json.loads(r[3]), r[4], _vector(r[5]))
                for r in rows
            )
        leads.sort(key=lambda lead: lead.article)
        return leads

    def add_pairs(self, article: str, scores: Mapping[str, float]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO pair_scores (a, b, score) VALUES (?, ?, ?)",
            [(min(article, o), max(article, o), s) for o, s in scores.items()],
        )

    def story_sizes(self, stories: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in chunks(list(stories)):
            marks = ",".join("?" * len(part))
            for sid, reps in self.conn.execute(
                f"SELECT id, representatives FROM stories WHERE id IN ({marks})", part
            ):
                out[sid] = max(int(reps), 1)
        return out

    def story_links(self, story: str) -> dict[str, float]:
        """Summed pair scores from the story's representatives to every other story."""
        rows = self.conn.execute(
            "SELECT o.story_id, SUM(p.score) FROM articles m "
            "JOIN pair_scores p ON p.a = m.id JOIN articles o ON o.id = p.b "
            "WHERE m.story_id = ?1 AND o.story_id != ?1 GROUP BY o.story_id "
            "UNION ALL "
            "SELECT o.story_id, SUM(p.score) FROM articles m "
            "JOIN pair_scores p ON p.b = m.id JOIN articles o ON o.id = p.a "
            "WHERE m.story_id = ?1 AND o.story_id != ?1 GROUP BY o.story_id",
            (story,),
        )
        out: dict[str, float] = {}
        for other, total in rows:
            out[other] = out.get(other, 0.0) + float(total)
        return out

    def story_age(self, story: str) -> int:
        row = self.conn.execute("SELECT n FROM stories WHERE id = ?", (story,)).fetchone()
        return int(row[0]) if row else 1 << 62

    def open_story(self, article: str) -> str:
        story = story_id_for(article)
        self.conn.execute(
            "INSERT INTO stories (id, created, updated, representatives, changed) "
            "VALUES (?, ?, ?, 1, 1)",
            (story, self.now, self.now),
        )
        self.conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story, article))
        self.changed.add(story)
        return story

    def join_story(self, article: str, story: str, *, copy_of: str | None) -> None:
        self.conn.execute(
            "UPDATE articles SET story_id = ?, copy_of = ? WHERE id = ?", (story, copy_of, article)
        )
        self.conn.execute(
            "UPDATE stories SET representatives = representatives + ?, updated = ?, changed = 1 "
            "WHERE id = ?",
            (0 if copy_of else 1, self.now, story),
        )
        self.changed.add(story)

    def merge_stories(self, keep: str, gone: str) -> None:
        reps = self.conn.execute(
            "SELECT representatives FROM stories WHERE id = ?", (gone,)
        ).fetchone()[0]
        self.conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))
        self.conn.execute(
            "UPDATE stories SET representatives = representatives + ?, updated = ?, changed = 1 "
            "WHERE id = ?",
            (reps, self.now, keep),
        )
        self.conn.execute(
            "UPDATE stories SET merged_into = ?, representatives = 0, updated = ? "
            "WHERE id = ? OR merged_into = ?",
            (keep, self.now, gone, gone),
        )
        self.conn.execute("DELETE FROM story_analyses WHERE story_id = ?", (gone,))
        self.changed.discard(gone)
        self.changed.add(keep)
