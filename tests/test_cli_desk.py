"""The desk's commands, in-process through typer's runner, and ``watch --once`` against a
local feed server."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from typer.testing import CliRunner

from conftest import SAMPLES
from copydesk.cli import app
from copydesk.desk import Desk
from feedserver import FeedServer

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_then_stories_search_update_and_report(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    code, out, err = _run("add", str(SAMPLES / "story"), "--db", db, "--quiet")
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert {fields[0] for fields in lines} == {"added", "copy"}
    kestrow = {fields[2] for fields in lines if fields[1] == "01_wire_original"}.pop()
    # The second round brings three more stories and nothing already stored again.
    code, out, err = _run("add", str(SAMPLES), "--db", db)
    assert code == 0, err
    assert "3 added, 0 copies, 0 new versions, 8 unchanged" in err, err
    code, out, _ = _run("stories", "--db", db)
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0][0] == kestrow and rows[0][1] == "7 articles"
    assert len(rows) == 5
    code, out, _ = _run("search", "tear gas", "--db", db, "--json")
    hits = json.loads(out)
    assert hits and {h["story"] for h in hits} == {kestrow}
    code, _, err = _run("update", "--db", db)
    assert code == 0 and "analysed 5 changed stories" in err
    code, _, err = _run("report", kestrow, "--db", db, "--out", str(tmp_path / "rep"))
    assert code == 0, err
    data = json.loads((tmp_path / "rep" / "report.json").read_text())
    (story,) = data["stories"]
    assert story["id"] == kestrow and len(story["articles"]) == 7
    assert (tmp_path / "rep" / "report.html").read_text().lower().startswith("<!doctype html>")


def test_bad_store_paths_and_unknown_stories_are_one_line_errors(tmp_path: Path) -> None:
    code, _, err = _run("add", str(SAMPLES), "--db", str(tmp_path / "no" / "such" / "d.db"))
    assert code == 2 and "does not exist" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run("search", "x", "--db", str(tmp_path / "absent.db"))
    assert code == 2 and "no such store" in err
    not_a_db = tmp_path / "text.db"
    not_a_db.write_text("just text, not SQLite " * 100)
    code, _, err = _run("stories", "--db", str(not_a_db))
    assert code == 2 and "not a copydesk store" in err
    db = str(tmp_path / "d.db")
    _run("add", str(SAMPLES / "other"), "--db", db, "--quiet")
    code, _, err = _run("report", "story-nope", "--db", db, "--out", str(tmp_path / "r"))
    assert code == 2 and "no story 'story-nope'" in err


def _rss(server: FeedServer, entries: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<item><guid>{slug}</guid><title>{escape(title)}</title>"
        f"<link>{server.url('/a/' + slug)}</link></item>"
        for slug, title in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Lowmoor Gazette</title>{items}</channel></rss>"
    )


def _page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"


FERRY = (
    "<p>LOWMOOR, 2 June 2025 — The old chain ferry across the Lowmoor estuary sailed "
    "again on Monday after two years of repairs, the county council said.</p>"
    "<p>The crossing saves drivers a detour of forty kilometres, ferry master Ilse Brand "
    "said, and will run every twenty minutes from six in the morning.</p>"
)
FERRY_FOLLOWUP = (
    "<p>LOWMOOR, 3 June 2025 — Queues of cars formed on both banks as the repaired "
    "Lowmoor chain ferry carried its first full day of passengers, the county said.</p>"
    "<p>Ferry master Ilse Brand said the ferry made thirty crossings on Monday and that "
    "a second boat could join it by the autumn.</p>"
)


def test_watch_once_adds_new_entries_into_their_story(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    with FeedServer() as server:
        server.route("/robots.txt", "", status=404)
        server.route("/a/ferry", _page("Chain ferry returns to Lowmoor estuary", FERRY))
        server.route(
            "/feed.xml",
            _rss(server, [("ferry", "Chain ferry returns")]),
            content_type="application/rss+xml",
            etag='"v1"',
        )
        code, out, err = _run("watch", server.url("/feed.xml"), "--db", db, "--once")
        assert code == 0, err
        assert out.startswith("added\t")
        server.route("/a/follow", _page("Queues for the Lowmoor ferry", FERRY_FOLLOWUP))
        server.route(
            "/feed.xml",
            _rss(server, [("follow", "Queues for the ferry"), ("ferry", "Chain ferry returns")]),
            content_type="application/rss+xml",
            etag='"v2"',
        )
        code, out, err = _run("watch", server.url("/feed.xml"), "--db", db, "--once")
        assert code == 0, err
        # Only the new entry's page was fetched in the second round.
        assert len(server.hits("/a/ferry")) == 1 and len(server.hits("/a/follow")) == 1
        assert server.hits("/feed.xml")[-1].headers.get("If-None-Match") == '"v1"'
    with Desk(db, readonly=True) as desk:
        (story,) = desk.stories()
        assert story.articles == 2 and story.outlets == ("Lowmoor Gazette",)
        urls = {a.url for a in desk.articles(list(desk.story(story.id).articles))}
        assert urls == {server.url("/a/ferry"), server.url("/a/follow")}
