"""``analyze --per-story``: one report per story and an index, for piles too big for one
page. Each story's files are the report of that story alone; the index links them,
escapes the untrusted titles, and opens in Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from copydesk.cli import app
from copydesk.models import StoryAnalysis
from copydesk.report.files import Content
from test_report_html import _run_chromium, _write_hostile


def _run(paths: list[str], out: Path, *flags: str) -> None:
    result = CliRunner().invoke(app, ["analyze", *paths, "--out", str(out), "--quiet", *flags])
    assert result.exit_code in (0, 1), result.output


def test_each_story_file_is_that_story_of_the_whole_report(tmp_path: Path):
    _run([str(SAMPLES)], tmp_path / "whole")
    _run([str(SAMPLES)], tmp_path / "split", "--per-story")
    whole = json.loads((tmp_path / "whole" / "report.json").read_text(encoding="utf-8"))
    index = json.loads((tmp_path / "split" / "report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in index["stories"]] == [s["id"] for s in whole["stories"]]
    assert index["articles"] == len(whole["articles"])
    articles = {a["id"]: a for a in whole["articles"]}
    for row, story in zip(index["stories"], whole["stories"], strict=True):
        one = json.loads((tmp_path / "split" / row["files"]["json"]).read_text("utf-8"))
        assert one["stories"] == [story]
        assert [a["id"] for a in one["articles"]] == [
            a for a in articles if a in set(story["articles"])
        ]
        assert one["articles"] == [articles[a["id"]] for a in one["articles"]]
        assert row["groups"] == len(story["groups"])
        md = (tmp_path / "split" / row["files"]["md"]).read_text("utf-8")
        assert md.startswith("# copydesk report") and row["files"]["md"] in (
            tmp_path / "split" / "report.md"
        ).read_text("utf-8")
        assert (tmp_path / "split" / row["files"]["html"]).stat().st_size > 1000


def test_a_second_run_replaces_the_stories_folder(tmp_path: Path):
    out = tmp_path / "out"
    _run([str(SAMPLES)], out, "--per-story")
    before = sorted(p.name for p in (out / "stories").iterdir())
    _run([str(SAMPLES / "story" / "01_wire_original.txt")], out, "--per-story")
    after = sorted(p.name for p in (out / "stories").iterdir())
    assert len(before) > 3 and len(after) == 3  # one story's json, md and html
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [f"stories/{name}" for name in after] == sorted(index["stories"][0]["files"].values())


def test_the_index_escapes_titles_and_opens_in_chromium(tmp_path: Path):
    out = tmp_path / "out"
    _run(_write_hostile(tmp_path), out, "--per-story")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Harbour &lt;/script&gt;&lt;script&gt;document.title=" in html  # the title, as text
    assert "<script" not in html and "<img" not in html
    dom = _run_chromium(tmp_path, out / "report.html", "--dump-dom")
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for row in index["stories"]:
        assert f'href="{row["files"]["html"]}"' in dom
    assert "<img" not in dom and "PWNED</title>" not in dom
    story = _run_chromium(tmp_path, out / index["stories"][0]["files"]["html"], "--dump-dom")
    assert "Lindenport" in story and "<img src=x" not in story and "PWNED</title>" not in story


def test_a_set_names_files_one_folder_deep_at_most(tmp_path: Path):
    from copydesk.report.files import write_report_set

    for name in ("a/b/c", "a/../b", "/abs", "a//b"):
        try:
            write_report_set(tmp_path / "out", {name: "x"})
        except ValueError:
            continue
        raise AssertionError(f"{name!r} was accepted")
    write_report_set(tmp_path / "out", {"a/b": "x", "c": lambda: "rendered when written"})
    assert (tmp_path / "out" / "a" / "b").read_text() == "x"
    assert (tmp_path / "out" / "c").read_text() == "rendered when written"


def test_report_json_in_pieces_is_the_whole_dump(tmp_path: Path):
    from copydesk import analyze
    from copydesk.models import Report
    from copydesk.report.files import dump_json
    from copydesk.report.serialize import report_json, report_to_dict

    for report in (
        analyze([str(SAMPLES)]),
        analyze(_write_hostile(tmp_path)),  # quotes, markup, newlines in every field
        Report(articles=(), stories=(), errors=()),
    ):
        assert "".join(report_json(report)) == dump_json(report_to_dict(report))


def test_dropping_the_raw_inputs_changes_no_report_file():
    from copydesk import analyze
    from copydesk.pipeline import AnalyzeOptions
    from copydesk.report.html import render_html
    from copydesk.report.markdown import render_markdown
    from copydesk.report.serialize import report_json

    kept = analyze([str(SAMPLES)])
    dropped = analyze([str(SAMPLES)], options=AnalyzeOptions(keep_raw=False))
    assert any(a.raw for a in kept.articles) and not any(a.raw for a in dropped.articles)
    assert "".join(report_json(dropped)) == "".join(report_json(kept))
    assert render_markdown(dropped) == render_markdown(kept)
    assert render_html(dropped) == render_html(kept)


def _rendered(files: Iterable[tuple[str, Content]]) -> dict[str, str]:
    out = {}
    for name, content in files:
        pieces = content() if callable(content) else content
        out[name] = pieces if isinstance(pieces, str) else "".join(pieces)
    return out


def test_stories_in_any_order_give_the_same_set():
    """Analyses come back as they finish: the set must not depend on that order."""
    from copydesk import analyze
    from copydesk.report.split import per_story_files, per_story_stream

    report = analyze([str(SAMPLES)])
    assert len(report.stories) > 2
    shuffled = list(enumerate(report.stories))[::-1]
    stories = [s.story for s in report.stories]
    streamed = per_story_stream(report.articles, report.errors, stories, shuffled)
    assert _rendered(streamed) == _rendered(per_story_files(report).items())


def test_each_story_is_written_before_the_next_is_taken(tmp_path: Path):
    """What bounds memory on a big pile: one story's analysis at a time, then let go."""
    from copydesk import analyze
    from copydesk.report.files import write_report_set
    from copydesk.report.split import per_story_stream

    report = analyze([str(SAMPLES)])
    out = tmp_path / "out"
    written_when_taken: list[int] = []

    def analyses() -> Iterator[tuple[int, StoryAnalysis]]:
        for k, analysis in enumerate(report.stories):
            # files of the stories already given, in the new set's working folder
            written_when_taken.append(len(list(tmp_path.glob(".out.new-*/stories/*.json"))))
            yield k, analysis

    stories = [s.story for s in report.stories]
    write_report_set(out, per_story_stream(report.articles, report.errors, stories, analyses()))
    assert written_when_taken == list(range(len(report.stories)))
    assert len(list((out / "stories").glob("*.json"))) == len(report.stories)


def test_a_story_that_never_comes_fails_the_set_and_keeps_the_old_one(tmp_path: Path):
    from copydesk import analyze
    from copydesk.report.files import write_report_set
    from copydesk.report.split import per_story_files, per_story_stream

    report = analyze([str(SAMPLES)])
    out = tmp_path / "out"
    write_report_set(out, per_story_files(report))
    before = sorted(p.name for p in (out / "stories").iterdir())
    stories = [s.story for s in report.stories]
    partial = list(enumerate(report.stories))[1:]
    with pytest.raises(ValueError, match="no analysis came for 1 stories"):
        write_report_set(out, per_story_stream(report.articles, report.errors, stories, partial))
    assert sorted(p.name for p in (out / "stories").iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
