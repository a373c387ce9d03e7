"""Stories as the store keeps them: members, copies, titles, and the merge trail."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from copydesk.errors import CopydeskError
from copydesk.models import Story, StoryInfo


class UnknownStory(CopydeskError):
    """No story of that id in the store."""

    def __init__(self, story: str) -> None:
        super().__init__(f"no story '{story}' in the store; 'copydesk stories' lists them")
        self.story = story


def resolve(conn: sqlite3.Connection, story: str) -> str:
    """The live story an id names: itself, or the story it was merged into."""
    seen = set()
    current = story
    while True:
        row = conn.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
        if row is None:
            raise UnknownStory(story)
        if row[0] is None or row[0] in seen:
            return current
        seen.add(current)
        current = str(row[0])


def story_title(conn: sqlite3.Connection, story: str) -> str | None:
    """The title of the story's most central representative, as batch grouping picks it:
    summed pair scores to the rest of the story, weighted by how many copies each
    representative stands for."""
    weight: dict[str, float] = {}
    order: dict[str, int] = {}
    title: dict[str, str | None] = {}
    rows = conn.execute(
        "SELECT a.id, a.n, v.title, (SELECT COUNT(*) FROM articles c WHERE c.copy_of = a.id) "
        "FROM articles a JOIN versions v ON v.article_id = a.id AND v.version = a.version "
        "WHERE a.story_id = ? AND a.copy_of IS NULL",
        (story,),
    )
    for aid, n, t, copies in rows:
        weight[aid] = 1.0 + copies
        order[aid] = n
        title[aid] = t
    central = {aid: w - 1.0 for aid, w in weight.items()}
    edges = conn.execute(
        "SELECT p.a, p.b, p.score FROM articles m JOIN pair_scores p ON p.a = m.id "
        "WHERE m.story_id = ?",
        (story,),
    )
    for a, b, score in edges:
        if a in weight and b in weight:
            central[a] += score * weight[b]
            central[b] += score * weight[a]
    ranked = sorted(central, key=lambda aid: (-central[aid], order[aid]))
    return next((title[aid] for aid in ranked if title[aid]), None)


def refresh_titles(conn: sqlite3.Connection, stories: set[str]) -> None:
    for story in sorted(stories):
        conn.execute("UPDATE stories SET title = ? WHERE id = ?", (story_title(conn, story), story))


def load_story(conn: sqlite3.Connection, story: str) -> Story:
    """The story (after following merges) with its members in the order they arrived."""
    live = resolve(conn, story)
    title = conn.execute("SELECT title FROM stories WHERE id = ?", (live,)).fetchone()[0]
    members = conn.execute(
        "SELECT id, copy_of FROM articles WHERE story_id = ? ORDER BY n", (live,)
    ).fetchall()
    copies: dict[str, list[str]] = defaultdict(list)
    for aid, copy_of in members:
        copies[copy_of or aid].append(aid)
    duplicates = tuple(tuple(group) for group in copies.values() if len(group) > 1)
    return Story(id=live, title=title, articles=tuple(r[0] for r in members), duplicates=duplicates)


_INFO = """
SELECT s.id, s.title, COUNT(a.id), s.representatives, s.created, s.updated, s.merged_into,
       MIN(v.published), MAX(v.published), GROUP_CONCAT(DISTINCT v.outlet)
FROM stories s
JOIN articles a ON a.story_id = s.id
JOIN versions v ON v.article_id = a.id AND v.version = a.version
WHERE s.merged_into IS NULL {where}
GROUP BY s.id
"""


def _info(row: sqlite3.Row) -> StoryInfo:
    outlets = tuple(sorted(o for o in (row[9] or "").split(",") if o))
    return StoryInfo(
        id=row[0],
        title=row[1],
        articles=int(row[2]),
        representatives=int(row[3]),
        created=row[4],
        updated=row[5],
        merged_into=row[6],
        first_published=row[7],
        last_published=row[8],
        outlets=outlets,
    )


def list_stories(
    conn: sqlite3.Connection, *, outlet: str | None = None, since: str | None = None
) -> list[StoryInfo]:
    """Live stories, largest first, then the most recently updated."""
    where, params = "", []
    if outlet:
        where += " AND s.id IN (SELECT a2.story_id FROM articles a2 JOIN versions v2 ON "
        where += "v2.article_id = a2.id AND v2.version = a2.version WHERE v2.outlet = ? COLLATE "
        where += "NOCASE)"
        params.append(outlet)
    rows = conn.execute(_INFO.format(where=where), params).fetchall()
    infos = [_info(r) for r in rows]
    if since:
        infos = [i for i in infos if (i.last_published or i.updated[:10]) >= since]
    infos.sort(key=lambda i: (-i.articles, i.id))
    return infos


def changed_stories(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT id FROM stories WHERE changed = 1 AND merged_into IS NULL")
    return [r[0] for r in rows]
