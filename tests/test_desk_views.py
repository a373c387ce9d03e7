"""The desk's reading API for the web: front page, search facets, outlets, uploads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import SAMPLES
from copydesk.desk import Desk, UnknownArticle, UnknownOutlet
from copydesk.embed import default_embedder
from copydesk.store.overview import BadCursor

FOLLOWUP = SAMPLES.parent / "samples-followup"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("views") / "desk.db"
    with Desk(path, embedder=default_embedder()) as opened:
        opened.add([str(SAMPLES), str(FOLLOWUP)])
        opened.update()
        yield opened


def test_front_pages_join_up_without_gaps_or_repeats(desk: Desk) -> None:
    everything = desk.front(limit=100)
    assert everything.next is None
    ids, cursor = [], None
    while True:
        page = desk.front(limit=2, after=cursor)
        ids += [r.id for r in page.rows]
        if page.next is None:
            break
        cursor = page.next
    assert ids == [r.id for r in everything.rows]
    scores = [r.score for r in everything.rows]
    assert scores == sorted(scores, reverse=True)
    top = everything.rows[0]
    # The dock-strike story has three independent groups: it leads.
    assert top.groups == 3 and top.articles == 9 and top.discrepancies
    with pytest.raises(BadCursor):
        desk.front(after="not-a-cursor")


def test_front_filters(desk: Desk) -> None:
    single = desk.front(single_source=True).rows
    assert single and all(r.groups == 1 for r in single)
    disputed = desk.front(has_discrepancies=True).rows
    assert [r.id for r in disputed] == [desk.front().rows[0].id]
    harbour = desk.front(outlet="harbour brief").rows
    assert harbour and all("Harbour Brief" in r.outlets for r in harbour)
    assert desk.front(period_days=1).rows  # everything arrived just now


def test_new_articles_since_the_last_visit(tmp_path: Path) -> None:
    with Desk(tmp_path / "d.db", embedder=default_embedder()) as desk:
        desk.add([str(SAMPLES), str(FOLLOWUP / "11_cargo_diverted.txt")])
        visited = dt.datetime.now(dt.UTC).isoformat()
        assert all(r.new_articles == 0 for r in desk.front(visited=visited).rows)
        desk.add([str(FOLLOWUP)])
        (top, *_) = desk.front(visited=visited).rows
        assert top.new_articles == 1 and top.articles == 9


def test_search_page_facets_and_cursor(desk: Desk) -> None:
    full = desk.search_page("kestrow", limit=50)
    assert full.total == len(full.hits) and full.next is None
    assert sum(f.count for f in full.days) <= full.total
    outlets = {f.value: f.count for f in full.outlets}
    assert outlets.get("Harbour Brief") == sum(h.outlet == "Harbour Brief" for h in full.hits)
    paged, cursor = [], None
    while True:
        page = desk.search_page("kestrow", limit=3, after=cursor)
        assert page.total == full.total
        paged += [h.article for h in page.hits]
        if page.next is None:
            break
        cursor = page.next
    assert paged == [h.article for h in full.hits]
    story = full.hits[0].story
    assert story is not None
    only = desk.search_page("kestrow", story=story, limit=50)
    assert {h.story for h in only.hits} == {story}


def test_outlet_profile_figures_rest_on_the_outlets_articles(desk: Desk) -> None:
    assert dict(desk.outlets())["Harbour Brief"] == 2
    profile = desk.outlet_profile("harbour brief")
    mine = set(profile.articles)
    assert profile.outlet == "Harbour Brief" and len(mine) == 2
    for figure in (profile.first, profile.reused, profile.attributed):
        assert set(figure.articles) <= mine and figure.count <= figure.total
    assert profile.reused.count == 1  # the feed's Kestrow item derives from the wire
    assert profile.framing
    with pytest.raises(UnknownOutlet):
        desk.outlet_profile("No Such Gazette")
    with pytest.raises(UnknownArticle):
        desk.article("no-such-article")


def test_upload_of_pasted_text_and_of_bad_bytes(tmp_path: Path) -> None:
    with Desk(tmp_path / "u.db", embedder=default_embedder()) as desk:
        text = (
            "Late ferry strands forty passengers at Lowmoor\n\nForty passengers spent the "
            "night at the Lowmoor ferry terminal after the last crossing was cancelled on "
            "Friday, the operator said."
        )
        report = desk.add_upload("pasted.txt", text.encode())
        (added,) = report.added
        assert added.outcome == "added" and added.story and not report.errors
        bad = desk.add_upload("broken.json", b'{"title": "x", ')
        assert not bad.added and "malformed JSON" in bad.errors[0].message
        big = desk.add_upload("big.txt", b"word " * 1000, max_bytes=100)
        assert "too large" in big.errors[0].message
        assert desk.count()["articles"] == 1
