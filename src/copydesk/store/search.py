"""Full-text search over the store: FTS5 with BM25 ranking, titles weighted above text.

A user types words, not FTS5 syntax: a query is read as FTS5 when it parses as such
(``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``) and otherwise as its words, all
required, so that a stray quote or colon never turns into an error.
"""

from __future__ import annotations

import re
import sqlite3

from copydesk.errors import CopydeskError
from copydesk.models import SearchHit

TITLE_WEIGHT = 3.0
_WORD = re.compile(r"\w+", re.UNICODE)

_SQL = """
SELECT a.id, v.title, v.outlet, v.published, a.story_id,
       snippet(article_search, 1, '[', ']', '…', 16) AS snippet,
       bm25(article_search, {title}, 1.0) AS rank
FROM article_search
JOIN articles a ON a.n = article_search.rowid
JOIN versions v ON v.article_id = a.id AND v.version = a.version
WHERE article_search MATCH ? {where}
ORDER BY rank, a.n
LIMIT ? OFFSET ?
"""


class BadQuery(CopydeskError):
    """A search query with no words to look for."""


def plain_query(query: str) -> str:
    """The words of ``query``, each quoted, all required."""
    words = _WORD.findall(query)
    if not words:
        raise BadQuery(f"nothing to search for in {query!r}; give one or more words")
    return " ".join(f'"{w}"' for w in words)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    outlet: str | None = None,
    since: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    where, params = "", []
    if outlet:
        where += " AND v.outlet = ? COLLATE NOCASE"
        params.append(outlet)
    if since:
        where += " AND v.published >= ?"
        params.append(since)
    sql = _SQL.format(title=TITLE_WEIGHT, where=where)
    try:
        rows = conn.execute(sql, [query, *params, limit, offset]).fetchall()
    except sqlite3.OperationalError:
        rows = conn.execute(sql, [plain_query(query), *params, limit, offset]).fetchall()
    return [
        SearchHit(
            article=r[0],
            title=r[1],
            outlet=r[2],
            published=r[3],
            story=r[4],
            snippet=r[5],
            rank=float(r[6]),
        )
        for r in rows
    ]
