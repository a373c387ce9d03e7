"""A report as a folder of per-story reports, for piles too big for one page.

The report of 10,000 articles is about 90 MB of HTML and as much JSON: no browser opens
the one, and a reader wants one story at a time anyway. ``analyze --per-story`` writes
each story's own report (the same JSON, Markdown and HTML as a report of that story
alone) under ``stories/``, and at the top an index: ``report.json`` (each story with its
counts and files, the inputs that could not be read), ``report.md`` and ``report.html``
linking the stories. Every file is rendered only when it is written, so the whole set is
never in memory at once; :func:`per_story_stream` goes further and takes each story's
analysis as it is done, so that the analyses of a pile are never all in memory either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from copydesk.models import Article, InputFailure, Report, Story, StoryAnalysis
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
    articles: Sequence[Article], analysis: StoryAnalysis, position: Mapping[str, int] | None = None
) -> Report:
    """The report of one story alone: its articles, in the pile's order, and no errors.
    ``position``: each article's index in ``articles`` (made once for many calls)."""
    where = position if position is not None else {a.id: k for k, a in enumerate(articles)}
    order = sorted(where[i] for i in analysis.story.articles)
    return Report(articles=tuple(articles[k] for k in order), stories=(analysis,), errors=())


def _stems(stories: Sequence[Story]) -> list[str]:
    """One distinct file stem per story (two ids that sanitise alike get a suffix)."""
    seen: dict[str, int] = {}
    out = []
    for s in stories:
        stem = story_file(s.id)
        count = seen.get(stem.lower(), 0) + 1
        seen[stem.lower()] = count
        out.append(stem if count == 1 else f"{stem}-{count}")
    return out


def index_row(analysis: StoryAnalysis, stem: str) -> dict[str, Any]:
    """A story's row of the index: what it is, how big, and where its report is."""
    story = analysis.story
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.articles),
        "groups": len(analysis.groups),
        "claims": len(analysis.claims),
        "discrepancies": len(analysis.discrepancies),
        "files": {k: f"{FOLDER}/{stem}.{k}" for k in ("json", "md", "html")},
    }


def _index(
    articles: int, rows: Sequence[dict[str, Any]], errors: Sequence[InputFailure]
) -> dict[str, Any]:
    return {
        "index_version": INDEX_VERSION,
        "articles": articles,
        "stories": list(rows),
        "errors": [failure_to_dict(f) for f in errors],
    }


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def render_index_markdown(index: Mapping[str, Any]) -> str:
    """The index (the dict written as the set's report.json) as Markdown links."""
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
    """The index (the dict written as the set's report.json) as a page of links."""
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
    """The whole set of a finished report, name -> what renders it."""
    return dict(
        per_story_stream(
            report.articles,
            report.errors,
            [s.story for s in report.stories],
            enumerate(report.stories),
        )
    )


def per_story_stream(
    articles: Sequence[Article],
    errors: Sequence[InputFailure],
    stories: Sequence[Story],
    analyses: Iterable[tuple[int, StoryAnalysis]],
) -> Iterator[tuple[str, Content]]:
    """The set as ``(name, what renders it)``, each story's three files as soon as its
    analysis comes (``(k, analysis of stories[k])``, in any order), the index last.

    Handed to :func:`~copydesk.report.files.write_report_set`, each story is written and
    let go before the next is taken: memory holds one story's analysis and the index
    rows (ids and counts), whatever the number of stories.
    """
    stems = _stems(stories)
    position = {a.id: k for k, a in enumerate(articles)}
    rows: list[dict[str, Any] | None] = [None] * len(stories)
    for k, analysis in analyses:
        row = rows[k] = index_row(analysis, stems[k])
        one = _Lazy(articles, analysis, position)
        yield row["files"]["json"], one.json
        yield row["files"]["md"], one.markdown
        yield row["files"]["html"], one.html
    missing = [stories[k].id for k, row in enumerate(rows) if row is None]
    if missing:
        raise ValueError(f"no analysis came for {len(missing)} stories, first {missing[0]!r}")
    index = _index(len(articles), [r for r in rows if r is not None], errors)
    yield "report.json", lambda: dump_json(index)
    yield "report.md", lambda: render_index_markdown(index)
    yield "report.html", lambda: render_index_html(index)


class _Lazy:
    """One story's three renderers, built when called (a closure per file would do the
    same; a class keeps the loop variable out of it)."""

    __slots__ = ("_analysis", "_articles", "_position")

    def __init__(
        self, articles: Sequence[Article], analysis: StoryAnalysis, position: Mapping[str, int]
    ) -> None:
        self._articles = articles
        self._analysis = analysis
        self._position = position

    def _one(self) -> Report:
        return story_report(self._articles, self._analysis, self._position)

    def json(self) -> Iterator[str]:
        return report_json(self._one())

    def markdown(self) -> str:
        return render_markdown(self._one())

    def html(self) -> str:
        return render_html(self._one())
