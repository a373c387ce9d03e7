"""What the front page, search facets and outlet lists read: aggregate queries over the
store, each a plain function returning the frozen models.

Front-page rank (documented in the README): ``(1 + independent groups) / (1 + days since
an article last joined the story)``. Five independent sources a day old rank with two
that arrived just now (3.0 each), and a story seen only in copies of one wire needs to be
much fresher than a corroborated one to lead. Until a story is analysed its
representatives (articles that are not near-duplicates) stand in for its groups.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3

from copydesk.errors import CopydeskError
from copydesk.models import Facet, FrontRow, Page, SearchHit, SearchResult
from copydesk.store.search import TITLE_WEIGHT, plain_query


class BadCursor(CopydeskError):
    """A pagination cursor that this store did not hand out."""

    def __init__(self) -> None:
        super().__init__("bad 'after' cursor: use the 'next' value of the previous page")


def encode_cursor(*values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[object]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor() from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadCursor()
    return values


_FRONT = """
SELECT * FROM (
  SELECT s.id, s.title, COUNT(a.id) AS articles, s.groups, s.discrepancies,
         GROUP_CONCAT(DISTINCT v.outlet) AS outlets, MIN(v.published) AS first_published,
         MAX(v.published) AS last_published, s.updated,
         SUM(CASE WHEN a.first_added > :visited THEN 1 ELSE 0 END) AS new_articles,
         (1.0 + COALESCE(s.groups, s.representatives))
           / (1.0 + MAX(0.0, julianday(:now) - julianday(s.updated))) AS score
  FROM stories s
  JOIN articles a ON a.story_id = s.id
  JOIN versions v ON v.article_id = a.id AND v.version = a.version
  WHERE s.merged_into IS NULL {where}
  GROUP BY s.id
) WHERE {page}
ORDER BY score DESC, id
LIMIT :limit
"""


def front(
    conn: sqlite3.Connection,
    *,
    period_days: int | None = None,
    outlet: str | None = None,
    has_discrepancies: bool = False,
    single_source: bool = False,
    visited: str | None = None,
    after: str | None = None,
    limit: int = 30,
) -> Page:
    """Live stories by rank, one page at a time (keyset: the cursor holds the time the
    first page was ranked at, so later pages rank the same way)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    params: dict[str, object] = {"visited": visited or "9999", "limit": limit + 1}
    page = "1"
    if after:
        ranked_at, score, story = decode_cursor(after, 3)
        now = str(ranked_at)
        page = "(score < :score OR (score = :score AND id > :story))"
        params |= {"score": score, "story": story}
    params["now"] = now
    where = ""
    if period_days is not None:
        where += " AND s.updated >= :since"
        start = dt.datetime.fromisoformat(str(now)) - dt.timedelta(days=period_days)
        params["since"] = start.isoformat(timespec="seconds")
    if outlet:
        where += (
            " AND s.id IN (SELECT a2.story_id FROM articles a2 JOIN versions v2 ON "
            "v2.article_id = a2.id AND v2.version = a2.version "
            "WHERE v2.outlet = :outlet COLLATE NOCASE)"
        )
        params["outlet"] = outlet
    if has_discrepancies:
        where += " AND s.discrepancies > 0"
    if single_source:
        where += " AND COALESCE(s.groups, s.representatives) = 1"
    rows = conn.execute(_FRONT.format(where=where, page=page), params).fetchall()
    out = tuple(
        FrontRow(
            id=r["id"],
            title=r["title"],
            articles=int(r["articles"]),
            groups=r["groups"],
            discrepancies=r["discrepancies"],
            outlets=tuple(sorted(o for o in (r["outlets"] or "").split(",") if o)),
            first_published=r["first_published"],
            last_published=r["last_published"],
            last_added=r["updated"],
            new_articles=int(r["new_articles"] or 0),
            score=float(r["score"]),
        )
        for r in rows[:limit]
    )
    cursor = encode_cursor(now, out[-1].score, out[-1].id) if len(rows) > limit else None
    return Page(out, cursor)


_MATCHES = """
SELECT a.n, a.id, v.title, v.outlet, v.published, a.story_id,
       snippet(article_search, 1, '[', ']', '…', 16) AS snippet,
       bm25(article_search, {title}, 1.0) AS rank
FROM article_search
JOIN articles a ON a.n = article_search.rowid
JOIN versions v ON v.article_id = a.id AND v.version = a.version
WHERE article_search MATCH :query {where}
"""


def _facets(
    conn: sqlite3.Connection, sql: str, params: dict[str, object], column: str
) -> tuple[Facet, ...]:
    rows = conn.execute(
        f"SELECT {column} AS value, COUNT(*) AS n FROM ({sql}) GROUP BY value "
        "ORDER BY n DESC, value LIMIT 20",
        params,
    ).fetchall()
    return tuple(Facet(str(r["value"]), str(r["value"]), int(r["n"])) for r in rows if r["value"])


def search_page(
    conn: sqlite3.Connection,
    query: str,
    *,
    outlet: str | None = None,
    story: str | None = None,
    since: str | None = None,
    after: str | None = None,
    limit: int = 20,
) -> SearchResult:
    """Matches best first, with facets (outlet, story, day) over all of them."""
    params: dict[str, object] = {"query": query}
    where = ""
    if outlet:
        where += " AND v.outlet = :outlet COLLATE NOCASE"
        params["outlet"] = outlet
    if story:
        where += " AND a.story_id = :story"
        params["story"] = story
    if since:
        where += " AND v.published >= :since"
        params["since"] = since
    base = _MATCHES.format(title=TITLE_WEIGHT, where=where)
    try:
        total = int(conn.execute(f"SELECT COUNT(*) FROM ({base})", params).fetchone()[0])
    except sqlite3.OperationalError:
        params["query"] = plain_query(query)
        total = int(conn.execute(f"SELECT COUNT(*) FROM ({base})", params).fetchone()[0])
    page_where = "1"
    if after:
        rank, n = decode_cursor(after, 2)
        page_where = "(rank > :rank OR (rank = :rank AND n > :n))"
        params |= {"rank": rank, "n": n}
    rows = conn.execute(
        f"SELECT * FROM ({base}) WHERE {page_where} ORDER BY rank, n LIMIT :limit",
        params | {"limit": limit + 1},
    ).fetchall()
    hits = tuple(
        SearchHit(
            r["id"],
            r["title"],
            r["outlet"],
            r["published"],
            r["story_id"],
            r["snippet"],
            float(r["rank"]),
        )
        for r in rows[:limit]
    )
    cursor = (
        encode_cursor(rows[limit - 1]["rank"], rows[limit - 1]["n"]) if len(rows) > limit else None
    )
    day = "substr(published, 1, 10)"
    return SearchResult(
        hits=hits,
        outlets=_facets(conn, base, params, "outlet"),
        stories=_facets(conn, base, params, "story_id"),
        days=_facets(conn, base, params, day),
        total=total,
        next=cursor,
    )


def outlets(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every outlet with its number of stored articles, most articles first."""
    rows = conn.execute(
        "SELECT v.outlet, COUNT(*) FROM articles a JOIN versions v ON v.article_id = a.id "
        "AND v.version = a.version WHERE v.outlet IS NOT NULL GROUP BY v.outlet "
        "ORDER BY COUNT(*) DESC, v.outlet"
    )
    return [(str(r[0]), int(r[1])) for r in rows]


def outlet_articles(conn: sqlite3.Connection, outlet: str) -> list[tuple[str, str | None]]:
    """``(article, story)`` of every article of the outlet (case-insensitive name)."""
    rows = conn.execute(
        "SELECT a.id, a.story_id FROM articles a JOIN versions v ON v.article_id = a.id "
        "AND v.version = a.version WHERE v.outlet = ? COLLATE NOCASE ORDER BY a.n",
        (outlet,),
    )
    return [(str(r[0]), r[1]) for r in rows]
