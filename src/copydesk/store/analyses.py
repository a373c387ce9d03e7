"""Per-story analyses kept in the store, so that a story is re-analysed only when it
changed. They are stored as the ``report.json`` story object (readable in Datasette)
and read back into the frozen dataclasses here, at the store's edge."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from copydesk.models import (
    BriefSentence,
    Claim,
    CopyEdit,
    CopySet,
    Discrepancy,
    Framing,
    FramingTerm,
    Mention,
    Paraphrase,
    Passage,
    Reuse,
    SourceGroup,
    Story,
    StoryAnalysis,
    Variant,
)
from copydesk.report.serialize import story_to_dict


def _mention(d: dict[str, Any]) -> Mention:
    return Mention(d["article"], d["start"], d["end"])


def _reuse(d: dict[str, Any]) -> Reuse:
    return Reuse(
        a=d["a"],
        b=d["b"],
        passages=tuple(
            Passage(p["a_start"], p["a_end"], p["b_start"], p["b_end"]) for p in d["passages"]
        ),
        paraphrases=tuple(
            Paraphrase(_mention(p["a"]), _mention(p["b"]), p["score"]) for p in d["paraphrases"]
        ),
        verbatim_chars=d["verbatim_chars"],
        coverage_a=d["coverage_a"],
        coverage_b=d["coverage_b"],
        direction=d["direction"],
        evidence=tuple(d["evidence"]),
        substantial=d["substantial"],
    )


def _copies(d: dict[str, Any]) -> CopySet:
    return CopySet(
        representative=d["representative"],
        copies=tuple(d["copies"]),
        differences=tuple(
            CopyEdit(e["article"], e["start"], e["end"], e["copy_start"], e["copy_end"])
            for e in d["differences"]
        ),
    )


def analysis_from_dict(d: dict[str, Any]) -> StoryAnalysis:
    """The inverse of :func:`copydesk.report.serialize.story_to_dict`. An analysis stored
    before copy sets existed has no ``copies``: it reads as a story without copies."""
    story = Story(
        id=d["id"],
        title=d["title"],
        articles=tuple(d["articles"]),
        duplicates=tuple(tuple(g) for g in d["duplicates"]),
    )
    groups = tuple(
        SourceGroup(tuple(g), tuple(r))
        for g, r in zip(d["groups"], d["group_reasons"], strict=True)
    )
    claims = tuple(
        Claim(
            id=c["id"],
            text=c["text"],
            mentions=tuple(_mention(m) for m in c["mentions"]),
            articles=tuple(c["articles"]),
            groups=c["groups"],
            kind=c["kind"],
            partial=tuple(c.get("partial", ())),
        )
        for c in d["claims"]
    )
    discrepancies = tuple(
        Discrepancy(
            kind=x["kind"],
            claim=x["claim"],
            variants=tuple(
                Variant(v["article"], v["text"], v["start"], v["end"]) for v in x["variants"]
            ),
        )
        for x in d["discrepancies"]
    )
    framing = tuple(
        Framing(
            claim=f["claim"],
            family=f["family"],
            variants=tuple(
                FramingTerm(v["article"], v["term"], v["outlet"], v["start"], v["end"])
                for v in f["variants"]
            ),
        )
        for f in d["framing"]
    )
    brief = tuple(
        BriefSentence(
            text=b["text"],
            sources=tuple(b["sources"]),
            groups=b["groups"],
            claim=b["claim"],
            section=b["section"],
            mention=_mention(b["mention"]),
        )
        for b in d["brief"]
    )
    return StoryAnalysis(
        story=story,
        groups=groups,
        reuse=tuple(_reuse(r) for r in d["reuse"]),
        claims=claims,
        discrepancies=discrepancies,
        framing=framing,
        brief=brief,
        copies=tuple(_copies(c) for c in d.get("copies", ())),
    )


def save_analysis(conn: sqlite3.Connection, analysis: StoryAnalysis, now: str) -> None:
    """Store the analysis of a story and mark the story up to date."""
    conn.execute(
        "INSERT OR REPLACE INTO story_analyses (story_id, computed, analysis) VALUES (?, ?, ?)",
        (analysis.story.id, now, json.dumps(story_to_dict(analysis), ensure_ascii=False)),
    )
    conn.execute(
        "UPDATE stories SET changed = 0, groups = ?, discrepancies = ? WHERE id = ?",
        (len(analysis.groups), len(analysis.discrepancies), analysis.story.id),
    )


def _current(conn: sqlite3.Connection, story: str, column: str) -> str | None:
    """A column of the story's stored analysis, if the analysis is still current."""
    row = conn.execute(
        f"SELECT x.{column} FROM story_analyses x JOIN stories s ON s.id = x.story_id "
        "WHERE x.story_id = ? AND s.changed = 0",
        (story,),
    ).fetchone()
    return str(row[0]) if row else None


def load_analysis(conn: sqlite3.Connection, story: str) -> StoryAnalysis | None:
    """The stored analysis, or None when there is none or the story changed since."""
    stored = _current(conn, story, "analysis")
    return analysis_from_dict(json.loads(stored)) if stored else None


def analysis_version(conn: sqlite3.Connection, story: str) -> str | None:
    """When the story's stored analysis was computed, if it is still current."""
    return _current(conn, story, "computed")
