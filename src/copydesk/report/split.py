"""A report as a folder of per-story reports, for piles too big for one page.

The report of 10,000 articles is about 90 MB of HTML and as much JSON: no browser opens
the one, and a reader wants one story at a time anyway. ``analyze --per-story`` writes
each story's own report (the same JSON, Markdown and HTML as a report of that story
alone) under ``stories/``, and at the top an index: ``report.json`` (each story with its
counts and files, the inputs that could not be read), ``report.md`` and ``report.html``
linking the stories. Every file is rendered only when it is written, so the whole set is
never in memory at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from copydesk.models import Report, StoryAnalysis
from copydesk.report.files import Content, dump_json
from copydesk.report.html import render_html, template_environment
from copydesk.report.markdown import escape_markdown as _md
from copydesk.report.markdown import render_markdown
from copydesk.report.serialize import failure_to_dict, report_json

FOLDER = "stories"
INDEX_VERSION = 1


def story_file(story_id: str) -> str:
    """The file stem of a story's report: its id, with anything but letters, digits,
    ``.``, ``_`` and ``-`` replaced (an id is data, not a path)."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", story_id).lstrip(".")
    return stem or "story"


def story_report(
    report: Report, analysis: StoryAnalysis, position: Mapping[str, int] | None = None
) -> Report:
    """The report of one story alone: its articles, in the report's order, and no errors.
    ``position``: each article's index in ``report.articles`` (made once for many calls)."""
    where = position if position is not None else {a.id: k for k, a in enumerate(report.articles)}
    order = sorted(where[i] for i in analysis.story.articles)
    return Report(articles=tuple(report.articles[k] for k in order), stories=(analysis,), errors=())


def _stems(report: Report) -> list[str]:
    """One distinct file stem per story (two ids that sanitise alike get a suffix)."""
    seen: dict[str, int] = {}
    out = []
    for s in report.stories:
        stem = story_file(s.story.id)
        count = seen.get(stem.lower(), 0) + 1
        seen[stem.lower()] = count
        out.append(stem if count == 1 else f"{stem}-{count}")
    return out


def index_to_dict(report: Report) -> dict[str, Any]:
    """The index: what each story is, how big, and where its report is."""
    rows = []
    for s, stem in zip(report.stories, _stems(report), strict=True):
        rows.append(
            {
                "id": s.story.id,
                "title": s.story.title,
                "articles": list(s.story.articles),
                "groups": len(s.groups),
                "claims": len(s.claims),
                "discrepancies": len(s.discrepancies),
                "files": {k: f"{FOLDER}/{stem}.{k}" for k in ("json", "md", "html")},
            }
        )
    return {
        "index_version": INDEX_VERSION,
        "articles": len(report.articles),
        "stories": rows,
        "errors": [failure_to_dict(f) for f in report.errors],
    }


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def render_index_markdown(index: Mapping[str, Any]) -> str:
    """The index (from :func:`index_to_dict`) as Markdown links."""
    lines = [
        "# copydesk report",
        "",
        f"{_count(index['articles'], 'article')} in "
        f"{_count(len(index['stories']), 'story', 'stories')}, one report each.",
        "",
    ]
    for row in index["stories"]:
        title = _md(row["title"] or row["id"])
        lines.append(
            f"- [{title}]({row['files']['md']}): {_count(len(row['articles']), 'article')}, "
            f"{_count(row['groups'], 'independent source')}, "
            f"{_count(row['discrepancies'], 'discrepancy', 'discrepancies')}"
        )
    if index["errors"]:
        lines += ["", "## Inputs that could not be read", ""]
        lines += [f"- {_md(e['source'])}: {_md(e['message'])}" for e in index["errors"]]
    return "\n".join(lines) + "\n"


def render_index_html(index: Mapping[str, Any]) -> str:
    """The index (from :func:`index_to_dict`) as a page of links."""
    rows = [
        {
            "title": row["title"] or row["id"],
            "html": row["files"]["html"],
            "articles": len(row["articles"]),
            "groups": row["groups"],
            "discrepancies": row["discrepancies"],
        }
        for row in index["stories"]
    ]
    return (
        template_environment()
        .get_template("index.html")
        .render(articles=index["articles"], rows=rows, errors=index["errors"], script_hash=None)
    )


def per_story_files(report: Report) -> dict[str, Content]:
    """The whole set, name -> what renders it: the index, then each story's three files."""
    index = index_to_dict(report)  # small: one row per story, made once for all three
    files: dict[str, Content] = {
        "report.json": lambda: dump_json(index),
        "report.md": lambda: render_index_markdown(index),
        "report.html": lambda: render_index_html(index),
    }
    position = {a.id: k for k, a in enumerate(report.articles)}
    for s, row in zip(report.stories, index["stories"], strict=True):
        one = _Lazy(report, s, position)
        files[row["files"]["json"]] = one.json
        files[row["files"]["md"]] = one.markdown
        files[row["files"]["html"]] = one.html
    return files


class _Lazy:
    """One story's three renderers, built when called (a closure per file would do the
    same; a class keeps the loop variable out of it)."""

    __slots__ = ("_analysis", "_position", "_report")

    def __init__(
        self, report: Report, analysis: StoryAnalysis, position: Mapping[str, int]
    ) -> None:
        self._report = report
        self._analysis = analysis
        self._position = position

    def _one(self) -> Report:
        return story_report(self._report, self._analysis, self._position)

    def json(self) -> Iterator[str]:
        return report_json(self._one())

    def markdown(self) -> str:
        return render_markdown(self._one())

    def html(self) -> str:
        return render_html(self._one())
