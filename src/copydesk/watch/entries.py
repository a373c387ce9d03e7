"""From one feed entry to one raw document: the article page, else the feed's own text.

An entry's page is the full article; the feed's text is often only a teaser, so it is
the fallback when the page cannot be had (error status, timeout, not HTML, robots.txt).
The document id is :func:`~copydesk.ingest.formats.content_id` of the entry key, as
:func:`~copydesk.ingest.formats.read_feed` does for saved feeds, so the same entry gets
the same id whichever way it arrived.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from copydesk.errors import InputError
from copydesk.ingest.decode import decode_bytes
from copydesk.ingest.formats import content_id
from copydesk.models import InputFailure, RawDocument
from copydesk.watch.client import FetchError, PoliteClient, Response

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: browsers read these labels as windows-1252, their superset; so do we.
_AS_CP1252 = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1"})


@dataclass(frozen=True, slots=True)
class EntryResult:
    """What became of one entry: a document, or why there is none."""

    key: str
    document: RawDocument | None
    failure: InputFailure | None = None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def entry_key(entry: Any) -> str:
    """The entry's id, else its link, else a hash of its title and summary."""
    key = _text(entry.get("id")) or _text(entry.get("link"))
    if key:
        return key
    title = _text(entry.get("title")) or ""
    summary = _text(entry.get("summary")) or ""
    return content_id(f"{title}\n{summary}")


def feed_text(entry: Any) -> str | None:
    """The entry's own text: its full content when the feed carries it, else the summary."""
    for content in entry.get("content") or []:
        value = _text(content.get("value"))
        if value:
            return value
    return _text(entry.get("summary"))


def entry_date(entry: Any) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).date()


def _known(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_page(body: bytes, charset: str | None, source: str) -> str:
    """Decode an HTML page: BOM, then the HTTP charset, then ``<meta charset>``, then sniff.

    Raises :class:`~copydesk.errors.InputError` for binary data.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    meta = _META_CHARSET.search(body[:2048])
    encoding = _known(charset) or _known(meta[1].decode("ascii") if meta else None)
    if encoding is not None:
        return body.decode(encoding, errors="replace")
    return decode_bytes(body, source)


def _looks_like_html(response: Response) -> bool:
    if response.content_type:
        return response.content_type in _HTML_TYPES
    head = response.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _page(client: PoliteClient, link: str) -> tuple[Response, str] | str:
    """The article page and its text, or the reason it is unusable."""
    try:
        response = client.fetch(link, headers={"Accept": PAGE_ACCEPT})
    except FetchError as exc:
        return exc.reason
    if not 200 <= response.status < 300:
        return f"page answered HTTP {response.status}"
    if not _looks_like_html(response):
        return f"page is not HTML ({response.content_type or 'no content type'})"
    try:
        text = decode_page(response.body, response.charset, response.url)
    except InputError as exc:
        return exc.reason
    if not text.strip():
        return "page is empty"
    return response, text


def entry_document(
    entry: Any, *, feed_url: str, outlet: str | None, client: PoliteClient
) -> EntryResult:
    """Fetch the entry's page into a document; fall back to the feed text; else a failure."""
    key = entry_key(entry)
    link = _text(entry.get("link"))
    title = _text(entry.get("title"))
    source = link or f"{feed_url}#{key}"
    if outlet is None and link is not None:
        from copydesk.clean.metadata import outlet_from_url

        outlet = outlet_from_url(link)
    published = entry_date(entry)
    author = _text(entry.get("author"))

    def document(raw: str, url: str | None) -> RawDocument:
        return RawDocument(
            source=source,
            raw=raw,
            kind="html",
            id=content_id(key),
            title=title,
            url=url,
            outlet=outlet,
            published=published,
            author=author,
        )

    reason = "the entry has no link"
    if link is not None:
        page = _page(client, link)
        if not isinstance(page, str):
            response, text = page
            return EntryResult(key, document(text, response.url))
        reason = page
    fallback = feed_text(entry)
    if fallback is not None:
        return EntryResult(key, document(fallback, link))
    message = f"{reason}, and the feed entry carries no text (feed {feed_url})"
    return EntryResult(key, None, InputFailure(source=source, message=message))
