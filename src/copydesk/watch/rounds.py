"""One watch round: check every feed that is due, store its new entries, note failures.

For each feed, top to bottom: skip it while it backs off; conditional GET; on 304 stop;
parse; build a document for each entry not seen before; hand the feed's documents to
``add`` in one call; mark them seen; save the feed's state. The order is what makes a
crash harmless: entries are marked seen only after ``add`` returned, and the feed's new
validators are saved only after that, so a crash repeats work (``add`` is idempotent)
but never loses an entry behind a 304.

A failed feed (no answer, a timeout, an HTTP error status, not a feed) backs off
exponentially: after the n-th failure in a row it is skipped for
``min(backoff_base * 2**(n-1), max_backoff)`` seconds (longer if the server sent
``Retry-After``). One failing feed never stops the others.
"""

from __future__ import annotations

import email.utils
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from copydesk.models import InputFailure, RawDocument
from copydesk.watch.client import FetchError, PoliteClient, Response
from copydesk.watch.entries import entry_document, entry_key
from copydesk.watch.sources import resolve_sources
from copydesk.watch.state import FeedState, WatchState

Add = Callable[[list[RawDocument]], Sequence[str | None]]
"""Stores documents; returns, per document, the article id it became, or None if rejected."""
Progress = Callable[[str, int, int], None]
Clock = Callable[[], float]

DEFAULT_BACKOFF_BASE = 60.0
DEFAULT_MAX_BACKOFF = 6 * 3600.0
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class RoundResult:
    """What one round did. ``started`` is the round's clock (epoch seconds).

    ``feeds_checked`` counts feeds fetched (including the not modified and the failed);
    ``feeds_skipped`` those still backing off. ``entries_new`` counts entries not seen
    before, ``documents_added`` those that ``add`` stored (a non-None id). ``errors``
    names the feed or entry URL (or the source item) and the reason.
    """

    started: float
    feeds_checked: int = 0
    feeds_not_modified: int = 0
    feeds_skipped: int = 0
    feeds_failed: int = 0
    entries_new: int = 0
    documents_added: int = 0
    errors: tuple[InputFailure, ...] = ()


def backoff_delay(failures: int, base: float, max_backoff: float) -> float:
    """Seconds to skip a feed after ``failures`` consecutive failed rounds."""
    if failures <= 0:
        return 0.0
    return float(min(base * 2.0 ** min(failures - 1, 64), max_backoff))


def _retry_after(response: Response, now: float) -> float | None:
    value = (response.header("retry-after") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True, slots=True)
class _Tally:
    """One feed's contribution to the round."""

    not_modified: bool = False
    failed: bool = False
    new: int = 0
    added: int = 0
    errors: tuple[InputFailure, ...] = ()


class _Round:
    def __init__(
        self,
        state: WatchState,
        add: Add,
        client: PoliteClient,
        now: Clock,
        started: float,
        backoff_base: float,
        max_backoff: float,
    ) -> None:
        self.state = state
        self.add = add
        self.client = client
        self.now = now
        self.started = started
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff

    def fail(self, prior: FeedState, reason: str, retry_after: float | None = None) -> _Tally:
        failures = prior.failures + 1
        wait = backoff_delay(failures, self.backoff_base, self.max_backoff)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_backoff))
        self.state.save_feed(
            replace(
                prior,
                failures=failures,
                next_attempt=self.started + wait,
                last_checked=self.now(),
                last_error=reason,
            )
        )
        message = f"{reason}; failure {failures} in a row, next try in {wait:g} s"
        return _Tally(failed=True, errors=(InputFailure(prior.url, message),))

    def check(self, prior: FeedState) -> _Tally:
        url = prior.url
        headers = {"Accept": FEED_ACCEPT}
        if prior.etag:
            headers["If-None-Match"] = prior.etag
        if prior.last_modified:
            headers["If-Modified-Since"] = prior.last_modified
        try:
            response = self.client.fetch(url, headers=headers, robots=False)
        except FetchError as exc:
            return self.fail(prior, exc.reason)
        if response.status == 304:
            self.state.save_feed(
                replace(
                    prior,
                    etag=response.header("etag") or prior.etag,
                    last_modified=response.header("last-modified") or prior.last_modified,
                    failures=0,
                    next_attempt=0.0,
                    last_checked=self.now(),
                    last_error=None,
                )
            )
            return _Tally(not_modified=True)
        if not 200 <= response.status < 300:
            return self.fail(
                prior, f"feed answered HTTP {response.status}", _retry_after(response, self.now())
            )
        parsed = _parse(response)
        if isinstance(parsed, str):
            return self.fail(prior, parsed)
        return self.store(prior, response, parsed)

    def store(self, prior: FeedState, response: Response, parsed: Any) -> _Tally:
        url = prior.url
        title = parsed.feed.get("title")
        outlet = title.strip() if isinstance(title, str) and title.strip() else None
        keys: list[str] = []
        docs: list[RawDocument] = []
        errors: list[InputFailure] = []
        handled: set[str] = set()
        for entry in parsed.entries:
            key = entry_key(entry)
            if key in handled or self.state.seen(url, key):
                continue
            handled.add(key)
            result = entry_document(entry, feed_url=url, outlet=outlet, client=self.client)
            if result.document is not None:
                keys.append(key)
                docs.append(result.document)
            elif result.failure is not None:
                errors.append(result.failure)
        added = 0
        if docs:
            ids = list(self.add(docs))
            if len(ids) != len(docs):
                raise ValueError(f"add returned {len(ids)} ids for {len(docs)} documents")
            for key, article_id in zip(keys, ids, strict=True):
                self.state.mark_seen(url, key, article_id)
            added = sum(1 for article_id in ids if article_id is not None)
        # Failed entries must be retried, so no validators: the next GET is unconditional
        # and brings the whole feed back instead of a 304 that would hide them.
        self.state.save_feed(
            FeedState(
                url=url,
                etag=None if errors else response.header("etag"),
                last_modified=None if errors else response.header("last-modified"),
                failures=0,
                next_attempt=0.0,
                last_checked=self.now(),
                last_error=None,
            )
        )
        return _Tally(new=len(handled), added=added, errors=tuple(errors))


def _parse(response: Response) -> Any:
    """The parsed feed, or why the body is not one."""
    import feedparser

    headers = {"content-location": response.url}
    if response.header("content-type"):
        headers["content-type"] = response.header("content-type") or ""
    try:
        # A stream, never bytes: feedparser would treat a body that looks like a URL or a
        # path as something to open.
        parsed = feedparser.parse(io.BytesIO(response.body), response_headers=headers)
    except Exception as exc:  # a third-party parser over untrusted input
        return f"not an RSS/Atom feed ({exc.__class__.__name__}: {exc})"
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        return "not an RSS/Atom feed" + (f" ({why})" if why else "")
    return parsed


def watch_round(
    sources: Sequence[str],
    state: WatchState,
    add: Add,
    *,
    client: PoliteClient | None = None,
    now: Clock = time.time,
    progress: Progress | None = None,
    backoff_base: float = DEFAULT_BACKOFF_BASE,
    max_backoff: float = DEFAULT_MAX_BACKOFF,
) -> RoundResult:
    """Check every due feed once and store its new entries through ``add``.

    ``sources`` are feed URLs, OPML files or list files, resolved afresh each round so an
    edited list takes effect at the next one. ``add`` is called once per feed that has new
    documents. Exceptions from ``add`` propagate: a storage failure is not a feed's
    fault, and nothing it was given is marked seen. ``progress("feeds", done, total)``
    is called after each feed. Without ``client`` a fresh :class:`PoliteClient` serves
    this round only (robots.txt then fetched once per host per round); :func:`watch`
    keeps one client across rounds.
    """
    client = client if client is not None else PoliteClient()
    started = now()
    urls, source_errors = resolve_sources(sources)
    work = _Round(state, add, client, now, started, backoff_base, max_backoff)
    tallies: list[_Tally] = []
    skipped = 0
    for done, url in enumerate(urls, start=1):
        prior = state.feed(url) or FeedState(url=url)
        if started < prior.next_attempt:
            skipped += 1
        else:
            tallies.append(work.check(prior))
        if progress is not None:
            progress("feeds", done, len(urls))
    return RoundResult(
        started=started,
        feeds_checked=len(tallies),
        feeds_not_modified=sum(t.not_modified for t in tallies),
        feeds_skipped=skipped,
        feeds_failed=sum(t.failed for t in tallies),
        entries_new=sum(t.new for t in tallies),
        documents_added=sum(t.added for t in tallies),
        errors=(*source_errors, *(e for t in tallies for e in t.errors)),
    )
