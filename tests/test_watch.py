"""The feed watcher against a local HTTP server (127.0.0.1 only; nothing leaves the machine)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from copydesk.ingest.formats import content_id
from copydesk.models import RawDocument
from copydesk.watch import (
    FeedState,
    FetchError,
    MemoryWatchState,
    PoliteClient,
    RobotsDisallowed,
    RoundResult,
    backoff_delay,
    parse_interval,
    resolve_sources,
    user_agent,
    watch,
    watch_round,
)
from copydesk.watch.entries import decode_page, entry_key
from feedserver import FeedServer

# Fictional articles, written for these tests.
HARBOUR = "<html><body><h1>Ferry returns to Lowmoor</h1><p>The old ferry sailed again.</p>"
BRIDGE = "<html><body><h1>Bridge repainted</h1><p>Painters finished the green bridge.</p>"
MARKET = "<html><body><h1>Market moves</h1><p>The Tuesday market moves to the quay.</p>"


def rss(title: str, items: Sequence[dict[str, str]]) -> str:
    """An RSS 2.0 feed; each item's keys become elements (guid is not a permalink)."""
    parts = []
    for item in items:
        fields = "".join(
            f'<guid isPermaLink="false">{escape(v)}</guid>'
            if k == "guid"
            else f"<{k}>{escape(v)}</{k}>"
            for k, v in item.items()
        )
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
        f"{''.join(parts)}</channel></rss>"
    )


class Store:
    """An ``add`` that records every call; ids are the documents' own, None when rejected."""

    def __init__(self, reject: Sequence[str] = ()) -> None:
        self.calls: list[list[RawDocument]] = []
        self.reject = set(reject)

    def __call__(self, docs: list[RawDocument]) -> list[str | None]:
        self.calls.append(docs)
        return [None if doc.title in self.reject else doc.id for doc in docs]

    @property
    def docs(self) -> list[RawDocument]:
        return [doc for call in self.calls for doc in call]


class Clock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def client() -> PoliteClient:
    return PoliteClient(timeout=2.0, delay=0.0)


def item(server: FeedServer, n: int, **extra: str) -> dict[str, str]:
    return {"guid": f"story-{n}", "title": f"Story {n}", "link": server.url(f"/a/{n}"), **extra}


def test_second_round_adds_only_the_new_entry(server: FeedServer, client: PoliteClient) -> None:
    server.route("/a/1", HARBOUR)
    server.route("/a/2", BRIDGE)
    server.route("/a/3", MARKET)
    first = [
        item(server, 1, pubDate="Tue, 04 Mar 2025 08:00:00 GMT", author="kit@lowmoor.example"),
        item(server, 2),
    ]
    server.route("/feed", rss("Lowmoor Gazette", first), content_type="application/rss+xml")
    state, store = MemoryWatchState(), Store()

    one = watch_round([server.url("/feed")], state, store, client=client)
    assert (one.feeds_checked, one.entries_new, one.documents_added, one.errors) == (1, 2, 2, ())
    doc = store.docs[0]
    assert doc == RawDocument(
        source=server.url("/a/1"),
        raw=HARBOUR,
        kind="html",
        id=content_id("story-1"),
        title="Story 1",
        url=server.url("/a/1"),
        outlet="Lowmoor Gazette",
        published=dt.date(2025, 3, 4),
        author="kit@lowmoor.example",
    )

    server.route("/feed", rss("Lowmoor Gazette", [item(server, 3), *first]))
    two = watch_round([server.url("/feed")], state, store, client=client)
    assert (two.entries_new, two.documents_added) == (1, 1)
    assert [doc.raw for doc in store.calls[-1]] == [MARKET]
    assert len(server.hits("/a/1")) == 1
    assert set(state.seen_entries(server.url("/feed"))) == {"story-1", "story-2", "story-3"}


def test_not_modified_answers_use_the_stored_validators(
    server: FeedServer, client: PoliteClient
) -> None:
    server.route("/a/1", HARBOUR)
    feed = rss("Gazette", [item(server, 1)])
    stamp = "Wed, 05 Mar 2025 10:00:00 GMT"
    server.route("/etag", feed, etag='"v1"', last_modified=stamp)
    server.route("/lm", feed, last_modified=stamp)
    state, store = MemoryWatchState(), Store()
    feeds = [server.url("/etag"), server.url("/lm")]

    first = watch_round(feeds, state, store, client=client)
    assert first.feeds_not_modified == 0
    assert state.feed(server.url("/etag")) == FeedState(
        url=server.url("/etag"),
        etag='"v1"',
        last_modified=stamp,
        last_checked=state.feed(server.url("/etag")).last_checked,  # type: ignore[union-attr]
    )
    second = watch_round(feeds, state, store, client=client)
    assert (second.feeds_checked, second.feeds_not_modified, second.entries_new) == (2, 2, 0)
    assert len(store.calls) == 2  # one per feed in the first round only
    etag_hit, lm_hit = server.hits("/etag")[-1], server.hits("/lm")[-1]
    assert etag_hit.headers["If-None-Match"] == '"v1"'
    assert etag_hit.headers["If-Modified-Since"] == stamp
    assert lm_hit.headers["If-Modified-Since"] == stamp
    assert "If-None-Match" not in lm_hit.headers
    assert etag_hit.headers["User-Agent"] == user_agent()
    assert user_agent().startswith("copydesk/")


def test_a_slow_host_fails_alone_and_backs_off(server: FeedServer) -> None:
    client = PoliteClient(timeout=0.3, delay=0.0)
    clock = Clock()
    server.route("/a/1", HARBOUR)
    server.route("/slow", rss("Slow", [item(server, 1)]), delay=3.0)
    server.route("/fine", rss("Fine", [item(server, 1)]))
    state, store = MemoryWatchState(), Store()

    result = watch_round(
        [server.url("/slow"), server.url("/fine")], state, store, client=client, now=clock
    )
    assert (result.feeds_checked, result.feeds_failed, result.documents_added) == (2, 1, 1)
    [error] = result.errors
    assert error.source == server.url("/slow") and "timed out" in error.message
    slow = state.feed(server.url("/slow"))
    assert slow is not None and slow.failures == 1 and slow.next_attempt == clock.t + 60
    assert slow.last_error is not None and "timed out" in slow.last_error


def test_server_errors_back_off_exponentially_and_success_resets(
    server: FeedServer, client: PoliteClient
) -> None:
    server.route("/a/1", HARBOUR)
    server.route("/feed", "oops", status=500, content_type="text/plain")
    url = server.url("/feed")
    state, store, clock = MemoryWatchState(), Store(), Clock()

    def round_at(t: float) -> FeedState:
        clock.t = t
        watch_round([url], state, store, client=client, now=clock, backoff_base=60)
        feed = state.feed(url)
        assert feed is not None
        return feed

    start = clock.t
    assert round_at(start).next_attempt == start + 60
    assert round_at(start + 30).failures == 1  # skipped: still backing off
    assert len(server.hits("/feed")) == 1
    assert round_at(start + 60).next_attempt == start + 60 + 120
    assert round_at(start + 180).next_attempt == start + 180 + 240
    assert state.feed(url).failures == 3  # type: ignore[union-attr]

    server.route("/feed", rss("Back", [item(server, 1)]))
    healed = round_at(start + 420)
    assert (healed.failures, healed.next_attempt, healed.last_error) == (0, 0.0, None)
    assert len(store.docs) == 1
    assert backoff_delay(1, 60, 3600) == 60
    assert backoff_delay(4, 60, 3600) == 480
    assert backoff_delay(10_000, 60, 3600) == 3600


def test_retry_after_lengthens_the_back_off(server: FeedServer, client: PoliteClient) -> None:
    server.route("/feed", "busy", status=429, headers={"Retry-After": "900"})
    state, clock = MemoryWatchState(), Clock()
    watch_round([server.url("/feed")], state, Store(), client=client, now=clock)
    assert state.feed(server.url("/feed")).next_attempt == clock.t + 900  # type: ignore[union-attr]


def test_an_unparseable_feed_is_a_failure(server: FeedServer, client: PoliteClient) -> None:
    server.route("/feed", "<html><body>Not a feed at all</body></html>")
    state = MemoryWatchState()
    result = watch_round([server.url("/feed")], state, Store(), client=client)
    assert result.feeds_failed == 1 and "not an RSS/Atom feed" in result.errors[0].message
    assert state.feed(server.url("/feed")).failures == 1  # type: ignore[union-attr]


def test_a_redirected_page_reports_its_final_url(server: FeedServer, client: PoliteClient) -> None:
    server.route("/a/1", "", status=301, headers={"Location": "/stories/ferry"})
    server.route("/stories/ferry", HARBOUR)
    server.route("/feed", rss("Gazette", [item(server, 1)]))
    store = Store()
    watch_round([server.url("/feed")], MemoryWatchState(), store, client=client)
    [doc] = store.docs
    assert (doc.url, doc.raw, doc.source) == (
        server.url("/stories/ferry"),
        HARBOUR,
        server.url("/a/1"),
    )


def test_a_page_that_is_not_html_falls_back_to_the_feed_text(
    server: FeedServer, client: PoliteClient
) -> None:
    server.route("/a/1", b"%PDF-1.7 binary", content_type="application/pdf")
    teaser = "<p>The ferry sails again on Monday.</p>"
    server.route("/feed", rss("Gazette", [item(server, 1, description=teaser)]))
    store = Store()
    result = watch_round([server.url("/feed")], MemoryWatchState(), store, client=client)
    [doc] = store.docs
    assert (doc.raw, doc.kind, doc.url, doc.outlet) == (
        teaser,
        "html",
        server.url("/a/1"),
        "Gazette",
    )
    assert result.errors == ()


def test_a_missing_page_without_feed_text_is_an_error_and_retried(
    server: FeedServer, client: PoliteClient
) -> None:
    server.route("/a/2", BRIDGE)
    feed = rss("Gazette", [item(server, 1), item(server, 2)])
    server.route("/feed", feed, etag='"same"')
    state, store = MemoryWatchState(), Store()

    first = watch_round([server.url("/feed")], state, store, client=client)
    assert (first.entries_new, first.documents_added) == (2, 1)
    [error] = first.errors
    assert error.source == server.url("/a/1") and "HTTP 404" in error.message
    assert not state.seen(server.url("/feed"), "story-1")
    assert state.feed(server.url("/feed")).etag is None  # type: ignore[union-attr]

    server.route("/a/1", HARBOUR)
    second = watch_round([server.url("/feed")], state, store, client=client)
    assert (second.feeds_not_modified, second.entries_new, second.documents_added) == (0, 1, 1)
    assert state.seen(server.url("/feed"), "story-1")


def test_rejected_documents_are_marked_seen_but_not_counted(
    server: FeedServer, client: PoliteClient
) -> None:
    server.route("/a/1", HARBOUR)
    server.route("/a/2", BRIDGE)
    server.route("/feed", rss("Gazette", [item(server, 1), item(server, 2)]))
    state, store = MemoryWatchState(), Store(reject=["Story 2"])
    result = watch_round([server.url("/feed")], state, store, client=client)
    assert (result.entries_new, result.documents_added) == (2, 1)
    assert state.seen_entries(server.url("/feed")) == {
        "story-1": content_id("story-1"),
        "story-2": None,
    }


def test_robots_txt_disallowing_the_article_path(server: FeedServer, client: PoliteClient) -> None:
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.route("/private/1", HARBOUR)
    server.route("/a/2", BRIDGE)
    entries = [
        {
            "guid": "p1",
            "title": "Hidden",
            "link": server.url("/private/1"),
            "description": "Teaser",
        },
        item(server, 2),
    ]
    server.route("/feed", rss("Gazette", entries))
    store = Store()
    result = watch_round([server.url("/feed")], MemoryWatchState(), store, client=client)
    assert [doc.raw for doc in store.docs] == ["Teaser", BRIDGE]
    assert result.errors == ()
    assert server.hits("/private/1") == []
    assert len(server.hits("/robots.txt")) == 1  # once for the host, not once per page
    assert client.allowed(server.url("/a/9")) and not client.allowed(server.url("/private/9"))


def test_robots_txt_that_fails_means_disallow_for_a_while(
    server: FeedServer, client: PoliteClient
) -> None:
    server.route("/robots.txt", "down", status=503, content_type="text/plain")
    server.route("/a/1", HARBOUR)
    server.route("/feed", rss("Gazette", [item(server, 1, description="Teaser")]))
    store = Store()
    watch_round([server.url("/feed")], MemoryWatchState(), store, client=client)
    assert [doc.raw for doc in store.docs] == ["Teaser"]
    assert server.hits("/a/1") == []
    with pytest.raises(RobotsDisallowed, match=r"HTTP 503.*RFC 9309"):
        client.fetch(server.url("/a/1"))


def test_the_client_refuses_other_schemes_and_oversized_bodies(server: FeedServer) -> None:
    small = PoliteClient(timeout=2.0, delay=0.0, max_bytes=1000)
    server.route("/big", "x" * 5000)
    with pytest.raises(FetchError, match="limit"):
        small.fetch(server.url("/big"), robots=False)
    with pytest.raises(FetchError, match="http"):
        small.fetch("file:///etc/passwd")
    server.route("/loop", "", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="redirects"):
        small.fetch(server.url("/loop"), robots=False)


def test_pages_are_decoded_by_their_charset(server: FeedServer, client: PoliteClient) -> None:
    page = "<html><body><p>Caf\u00e9 \u201cSeaview\u201d reopens</p></body></html>"
    server.route("/a/1", page.encode("cp1252"), content_type="text/html; charset=iso-8859-1")
    server.route("/feed", rss("Gazette", [item(server, 1)]))
    store = Store()
    watch_round([server.url("/feed")], MemoryWatchState(), store, client=client)
    assert store.docs[0].raw == page
    meta = b'<html><head><meta charset="windows-1252"></head><body>Caf\xe9</body></html>'
    assert "Caf\u00e9" in decode_page(meta, None, "test")


def test_per_host_delay_spaces_requests(server: FeedServer) -> None:
    client = PoliteClient(timeout=2.0, delay=0.2)
    server.route("/a/1", HARBOUR)
    server.route("/a/2", BRIDGE)
    server.route("/feed", rss("Gazette", [item(server, 1), item(server, 2)]))
    watch_round([server.url("/feed")], MemoryWatchState(), Store(), client=client)
    times = [hit.at for hit in server.log]
    assert [hit.path for hit in server.log] == ["/feed", "/robots.txt", "/a/1", "/a/2"]
    assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(times))


def test_sources_from_opml_and_list_files(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        '<outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/>'
        '<outline text="Deep"><outline text="B" xmlUrl="https://b.example/atom"/></outline>'
        '</outline><outline text="Bad" xmlUrl="ftp://c.example/feed"/></body></opml>'
    )
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# my feeds\n\nhttps://c.example/feed.xml  # the good one\nfeeds.opml\n"
        "https://a.example/rss\nnot-a-file.txt\n"
    )
    urls, errors = resolve_sources([str(listing), "https://d.example/rss", str(tmp_path / "x")])
    assert urls == [
        "https://c.example/feed.xml",
        "https://a.example/rss",
        "https://b.example/atom",
        "https://d.example/rss",
    ]
    assert [(e.source, "ftp" in e.message or "neither" in e.message) for e in errors] == [
        (f"{opml}: Bad", True),
        (f"{listing}:6", True),
        (str(tmp_path / "x"), True),
    ]
    not_opml = tmp_path / "feed.xml"
    not_opml.write_text("<rss version='2.0'/>")
    assert resolve_sources([str(not_opml)])[1][0].message.startswith("an XML file, but not OPML")


def test_entry_keys_fall_back_to_link_then_a_content_hash() -> None:
    assert entry_key({"id": "urn:1", "link": "https://x.example/1"}) == "urn:1"
    assert entry_key({"link": "https://x.example/1"}) == "https://x.example/1"
    assert entry_key({"title": "T", "summary": "S"}) == content_id("T\nS")


def test_parse_interval() -> None:
    assert [parse_interval(t) for t in ("15m", "90s", "2h", "1h30m", "1d", "45")] == [
        900,
        90,
        7200,
        5400,
        86400,
        45,
    ]
    for bad in ("", "soon", "15x", "30m1h", "-5m"):
        with pytest.raises(ValueError, match="such as 90s, 15m"):
            parse_interval(bad)
    with pytest.raises(ValueError, match="longer than zero"):
        parse_interval("0m")


def test_watch_runs_rounds_until_interrupted(server: FeedServer, client: PoliteClient) -> None:
    server.route("/a/1", HARBOUR)
    server.route("/feed", rss("Gazette", [item(server, 1)]))
    clock = Clock()
    sleeps: list[float] = []
    rounds: list[RoundResult] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise KeyboardInterrupt
        clock.t += seconds

    last = watch(
        [server.url("/feed")],
        MemoryWatchState(),
        Store(),
        every=90,
        client=client,
        now=clock,
        sleep=sleep,
        on_round=rounds.append,
    )
    assert [r.documents_added for r in rounds] == [1, 0] and last is rounds[-1]
    assert sleeps == [60.0, 30.0, 60.0]  # waits in slices of at most a minute
    feeds = [server.url("/feed")]
    once = watch(feeds, MemoryWatchState(), Store(), every=60, once=True, client=client)
    assert once is not None and once.documents_added == 1
