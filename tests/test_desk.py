"""The desk: idempotent adds, versions, incremental stories against batch, search, merges,
migrations, and the store surviving kills and concurrent readers."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES, seed_files
from copydesk import clean, group_stories
from copydesk.desk import Desk
from copydesk.embed import default_embedder
from copydesk.store import articles as stored_articles
from copydesk.store.database import Database, StoreError, open_at_version
from copydesk.store.schema import SCHEMA_VERSION
from copydesk.store.stories import UnknownStory
from desk_fixtures import write_events

ROOT = Path(__file__).resolve().parent.parent
COPYDESK = [sys.executable, "-c", "from copydesk.cli import main; main()"]


@pytest.fixture
def desk(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Desk(tmp_path / "desk.db", embedder=default_embedder()) as opened:
        yield opened


def _partition(groups: list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups}


def test_adding_the_same_inputs_again_stores_nothing(desk: Desk) -> None:
    first = desk.add([str(SAMPLES)])
    counts = desk.count()
    assert first.count("added") + first.count("copy") == counts["articles"] == 11
    again = desk.add([str(SAMPLES)])
    assert again.count("unchanged") == 11
    assert again.count("added") == again.count("copy") == again.count("version") == 0
    assert desk.count() == counts
    # Unchanged articles still say where they are.
    assert all(a.story for a in again.added)


def test_same_url_with_other_content_is_a_new_version(desk: Desk, tmp_path: Path) -> None:
    item = {
        "id": "quay-1",
        "url": "https://velin.example/quay",
        "title": "Northern quay closed at Port Velin",
        "outlet": "Velin Courier",
        "published": "2025-03-04",
        "text": "The harbour authority of Port Velin closed the northern quay on Monday "
        "after a crane collapsed. Nobody was hurt, director Mara Olsen said.",
    }
    path = tmp_path / "quay.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    (added,) = desk.add([str(path)]).added
    assert added.outcome == "added"
    story = added.story
    fixed = item | {"text": item["text"].replace("Monday", "Tuesday") + " Cargo is diverted."}
    path.write_text(json.dumps(fixed), encoding="utf-8")
    (changed,) = desk.add([str(path)]).added
    assert (changed.outcome, changed.article, changed.story) == ("version", "quay-1", story)
    versions = desk.versions("quay-1")
    assert [v.version for v in versions] == [1, 2]
    assert "Monday" in versions[0].article.text and "Tuesday" in versions[1].article.text
    assert versions[0].added <= versions[1].added
    (current,) = desk.articles(["quay-1"])
    assert "Cargo is diverted" in current.text
    # Search reads the current version only.
    assert [h.article for h in desk.search("Tuesday")] == ["quay-1"]
    assert desk.search("Monday") == []
    assert desk.count()["articles"] == 1


def test_the_same_text_from_two_outlets_is_two_articles(desk: Desk, tmp_path: Path) -> None:
    text = (
        "Ferry services between Arvel and Brisk were suspended on Friday after a storm "
        "damaged the Arvel landing stage. The operator said repairs would take a week."
    )
    rows = [
        {"id": "a", "outlet": "Arvel Post", "title": "Ferries halted", "text": text},
        {"id": "b", "outlet": "Brisk Daily", "title": "Ferries halted", "text": text},
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = desk.add([str(path)])
    assert [a.outcome for a in report.added] == ["added", "copy"]
    assert len({a.story for a in report.added}) == 1


def _date_order(paths: list[Path]) -> list[str]:
    corpus = clean([str(p) for p in paths])
    ordered = sorted(
        corpus.articles, key=lambda a: (a.published.isoformat() if a.published else "9", a.id)
    )
    return [a.id for a in ordered]


@pytest.mark.parametrize("which", ["samples", "seeds"])
def test_one_article_at_a_time_gives_the_batch_stories(which: str, tmp_path: Path) -> None:
    if which == "seeds":
        paths = seed_files()
        if not paths:
            pytest.skip("../shared/seeds is absent")
    else:
        paths = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name[0].isdigit())
    corpus = clean([str(p) for p in paths])
    batch = group_stories(corpus.articles)
    by_id = {a.id: a for a in corpus.articles}
    order = sorted(by_id.values(), key=lambda a: (str(a.published or "9"), a.id))
    with Desk(tmp_path / "stream.db", embedder=default_embedder()) as desk:
        for article in order:
            desk.add_articles([article])
        streamed = [desk.story(info.id).articles for info in desk.stories()]
        stored_copies = {
            frozenset(group) for info in desk.stories() for group in desk.story(info.id).duplicates
        }
    assert _partition(streamed) == _partition([s.articles for s in batch])
    assert stored_copies == {frozenset(g) for s in batch for g in s.duplicates}


FOLLOWUP = ROOT / "samples-followup"


def test_a_roundup_bridges_two_stories_and_the_older_keeps_its_id(desk: Desk) -> None:
    first = desk.add([str(SAMPLES), str(FOLLOWUP / "11_cargo_diverted.txt")])
    where = {a.article: a.story for a in first.added}
    clash, diversion = where["01_wire_original"], where["11_cargo_diverted"]
    assert clash != diversion and not first.merged
    second = desk.add([str(FOLLOWUP)])
    (roundup,) = [a for a in second.added if a.outcome == "added"]
    assert second.merged == ((clash, diversion),)
    assert roundup.story == clash
    assert desk.story(diversion).id == clash
    members = set(desk.story(clash).articles)
    assert {"01_wire_original", "11_cargo_diverted", "12_roundup"} <= members
    assert diversion not in {s.id for s in desk.stories()}


def test_merge_mechanics_follow_chains_of_merged_ids(desk: Desk) -> None:
    conn = desk.db.conn
    from copydesk.store.index import SqliteStoryIndex

    corpus = clean([str(SAMPLES / "other")])
    with desk.db.transaction():
        for article in corpus.articles:
            stored_articles.insert_article(conn, article, "2025-01-01T00:00:00")
        index = SqliteStoryIndex(conn, "2025-01-01T00:00:00")
        older, newer, newest = (index.open_story(a.id) for a in corpus.articles[:3])
        index.merge_stories(newer, newest)
        index.merge_stories(older, newer)
    # A link to a story merged twice still lands on the live one.
    assert desk.story(newest).id == desk.story(newer).id == older
    assert set(desk.story(older).articles) == {a.id for a in corpus.articles[:3]}
    assert {s.id for s in desk.stories()} == {older}
    with pytest.raises(UnknownStory):
        desk.story("story-000000000000")


def test_search_ranks_titles_and_filters_by_outlet_and_date(desk: Desk) -> None:
    desk.add([str(SAMPLES)])
    hits = desk.search("tear gas")
    assert hits and all(h.story for h in hits)
    assert all("[" in h.snippet for h in hits)
    assert {h.outlet for h in desk.search("tear gas", outlet="harbour brief")} == {"Harbour Brief"}
    assert all(
        h.published and h.published >= "2025-03-04"
        for h in desk.search("Kestrow", since="2025-03-04")
    )
    # A stray quote or colon is read as words, not as broken FTS5 syntax.
    assert desk.search('Kestrow" port:') != []
    assert [h.article for h in desk.search("museum")] == ["10_unrelated_b"]


def test_a_store_of_the_first_schema_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = open_at_version(path, 1)
    (article,) = clean([str(SAMPLES / "other" / "10_unrelated_b.txt")]).articles
    with old.transaction() as conn:
        stored_articles.insert_article(conn, article, "2025-01-01T00:00:00")
    old.close()
    with Desk(path, embedder=default_embedder()) as desk:
        assert desk.db.schema_version == SCHEMA_VERSION
        assert [h.article for h in desk.search("museum")] == [article.id]
        (back,) = desk.articles([article.id])
        assert back == article
        report = desk.add([str(SAMPLES / "other")])
        assert report.count("unchanged") == 1 and report.count("added") == 2


def test_figures_of_stories_analysed_before_schema_4_are_filled_in(tmp_path: Path) -> None:
    path = tmp_path / "three.db"
    with Desk(path, embedder=default_embedder()) as desk:
        desk.add([str(SAMPLES / "story")])
        desk.update()
        expected = {r.id: (r.groups, r.discrepancies) for r in desk.front().rows}
        # Back to schema 3 exactly: what migration 4 adds, removed.
        desk.db.conn.executescript(
            "DROP INDEX stories_updated; DROP INDEX versions_outlet; "
            "ALTER TABLE stories DROP COLUMN groups; "
            "ALTER TABLE stories DROP COLUMN discrepancies; PRAGMA user_version = 3;"
        )
    with Desk(path, embedder=default_embedder()) as desk:
        assert {r.id: (r.groups, r.discrepancies) for r in desk.front().rows} == expected
        assert (3, 5) in expected.values()


def test_a_store_from_a_newer_copydesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer copydesk"):
        Database(path)


def test_lazy_analysis_is_stored_and_recomputed_only_when_the_story_changes(desk: Desk) -> None:
    desk.add([str(SAMPLES / "story")])
    (story,) = [s for s in desk.stories() if s.articles > 1]
    first = desk.analysis(story.id)
    assert {frozenset(g.articles) for g in first.groups} and first.claims
    computed = desk.embedder.computed
    # Read again: the stored analysis, nothing embedded.
    assert desk.analysis(story.id) == first
    assert desk.embedder.computed == computed
    assert set(desk.update()) == {s.id for s in desk.stories() if s.id != story.id}
    assert desk.update() == []
    desk.add([str(SAMPLES / "other")])
    assert story.id not in desk.update()


def _cli(args: list[str], db: Path, **kwargs: object) -> subprocess.Popen[str]:
    env = os.environ | {"COPYDESK_DB": str(db), "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [*COPYDESK, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **kwargs,  # type: ignore[call-overload]
    )


def _check_store(db: Path, reported: set[str]) -> int:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    rows = conn.execute(
        "SELECT a.id, a.story_id, v.text, v.sentences FROM articles a "
        "JOIN versions v ON v.article_id = a.id AND v.version = a.version"
    ).fetchall()
    found = {r[0] for r in rows}
    assert reported <= found
    for _, story, text, sentences in rows:
        assert story is not None and text.strip()
        assert json.loads(sentences)
    orphans = conn.execute(
        "SELECT COUNT(*) FROM articles a LEFT JOIN versions v ON v.article_id = a.id "
        "WHERE v.n IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    conn.close()
    return len(found)


@pytest.mark.slow
def test_sigkill_while_adding_loses_nothing_committed(tmp_path: Path) -> None:
    """Kill ``copydesk add`` at random points (after a random number of committed
    articles were reported, so mid-batch), then check the store and finish the add."""
    total = 150
    inputs = tmp_path / "in"
    write_events(inputs, total)
    db = tmp_path / "killed.db"
    rng = random.Random(11)
    reported: set[str] = set()
    stored_after_kills = []
    for _ in range(3):
        proc = _cli(["add", str(inputs), "--batch", "7", "--quiet"], db)
        assert proc.stdout is not None
        wanted = rng.randint(1, 40)
        got = 0
        for line in proc.stdout:
            fields = line.split("\t")
            if fields[0] in ("added", "copy"):
                reported.add(fields[1])
                got += 1
            if got >= wanted:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored_after_kills.append(_check_store(db, reported))
    # Each kill came before the add could finish: the store was left part-filled.
    assert all(n < total for n in stored_after_kills)
    assert stored_after_kills == sorted(stored_after_kills)
    proc = _cli(["add", str(inputs), "--batch", "7", "--quiet"], db)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert _check_store(db, reported) == total
    with Desk(db, readonly=True) as desk:
        assert desk.count()["articles"] == total


@pytest.mark.slow
def test_readers_never_see_half_an_article_while_a_writer_adds(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write_events(inputs, 60)
    db = tmp_path / "shared.db"
    Database(db).close()
    writer = _cli(["add", str(inputs), "--batch", "3", "--quiet"], db)
    seen_counts: list[int] = []
    with Desk(db, readonly=True) as desk:
        while writer.poll() is None or not seen_counts:
            with desk.db.snapshot():
                infos = desk.stories()
                ids = [aid for info in infos for aid in desk.story(info.id).articles]
                loaded = desk.articles(ids)
                assert len(loaded) == len(ids)
                assert all(a.text and a.sentences for a in loaded)
                assert sum(i.articles for i in infos) == len(ids) == desk.count()["articles"]
            desk.search("council")
            seen_counts.append(len(ids))
        _, err = writer.communicate()
    assert writer.returncode == 0, err
    # The reader saw the store grow batch by batch, never shrink.
    assert len(set(seen_counts)) > 2
    assert seen_counts == sorted(seen_counts)
    assert seen_counts[-1] <= 60
    with Desk(db, readonly=True) as desk:
        assert desk.count()["articles"] == 60
