"""RSS and Atom feeds: one document per entry, and a malformed feed read entry by entry.

feedparser falls back to a loose parser when a feed is not well-formed XML, and that
parser loses everything after the damage: an unclosed CDATA section in one entry
swallows the entries that follow. A malformed feed is therefore split into its
``<item>``/``<entry>`` elements, each parsed on its own in a minimal envelope; the
entries that parse are kept and the damage is reported as one failure of the file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from html import escape
from typing import Any

from copydesk.errors import InputError
from copydesk.ingest.paths import InputFile
from copydesk.ingest.records import ReadResult, content_id
from copydesk.models import InputFailure, RawDocument

_ITEM = re.compile(rb"<(item|entry)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_ITEM_START = re.compile(rb"<(?:item|entry)\b", re.I)
_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b[^>]*>", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")
_TITLE = re.compile(rb"<title\b[^>]*>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</title>", re.S | re.I)
_MAX_NAMED = 3  # lost entries named in the failure message


def _feed_date(entry: Any) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).date()


def _outlet_of(url: str | None) -> str | None:
    from copydesk.clean.metadata import outlet_from_url

    return outlet_from_url(url)


def _malformed(parsed: Any) -> Exception | None:
    """The XML error behind a bozo feed; None for the warnings feedparser also flags as
    bozo (a charset that the declaration got wrong, a text/html content type)."""
    import feedparser

    exc = getattr(parsed, "bozo_exception", None) if parsed.get("bozo") else None
    if exc is None or isinstance(exc, feedparser.ThingsNobodyCaresAboutButMe):
        return None
    return exc if isinstance(exc, Exception) else None


def _documents(item: InputFile, parsed: Any) -> list[RawDocument]:
    feed_title = parsed.feed.get("title") or None
    docs = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        body = contents[0].get("value") if contents else entry.get("summary")
        if not body:
            continue
        link = entry.get("link") or None
        ident = entry.get("id") or link
        docs.append(
            RawDocument(
                source=f"{item.source}#{ident}" if ident else item.source,
                raw=body,
                kind="html",
                id=content_id(ident or body),
                title=entry.get("title") or None,
                url=link,
                outlet=feed_title or _outlet_of(link),
                published=_feed_date(entry),
                author=entry.get("author") or None,
            )
        )
    return docs


def _envelope(data: bytes, feed_title: str | None) -> tuple[bytes, bytes] | None:
    """The start and end of a minimal feed around one entry: the XML declaration (it
    names the encoding), the root element with its namespaces, the feed's title."""
    root = _ROOT.search(data)
    if root is None:
        return None
    decl = _XML_DECL.match(data)
    start = (decl[0] if decl else b"") + root[0]
    title = f"<title>{escape(feed_title)}</title>".encode() if feed_title else b""
    name = root[1].lower()
    if name == b"rss":
        return start + b"<channel>" + title, b"</channel></rss>"
    if name == b"feed":
        return start + title, b"</feed>"
    return start + b'<channel rdf:about="">' + title + b"</channel>", b"</rdf:RDF>"


def _entry_label(chunk: bytes, number: int) -> str:
    match = _TITLE.search(chunk)
    title = " ".join(match[1].decode("utf-8", "replace").split()) if match else ""
    return f"entry {number} ('{title[:60]}')" if title else f"entry {number}"


def _read_entry_by_entry(item: InputFile, loose: Any, why: str) -> ReadResult:
    """Each entry of a malformed feed parsed alone; the lost ones named in one failure."""
    import feedparser

    envelope = _envelope(item.data, loose.feed.get("title") or None)
    chunks = list(_ITEM.finditer(item.data)) if envelope else []
    docs: list[RawDocument] = []
    lost: list[str] = []
    for number, match in enumerate(chunks, start=1):
        assert envelope is not None
        parsed = feedparser.parse(envelope[0] + match[0] + envelope[1])
        if _malformed(parsed) is not None or not parsed.entries:
            lost.append(_entry_label(match[0], number))
            continue
        docs.extend(_documents(item, parsed))
    unclosed = len(_ITEM_START.findall(item.data)) - len(chunks)
    if not chunks:
        docs = _documents(item, loose)  # no entry to cut out: what the loose parser saw
    if not docs:
        raise InputError(item.source, f"malformed feed ({why}), no entry could be read")
    parts = [f"malformed feed ({why})"]
    if lost:
        more = f" and {len(lost) - _MAX_NAMED} more" if len(lost) > _MAX_NAMED else ""
        parts.append(f"{', '.join(lost[:_MAX_NAMED])}{more} could not be read")
    if unclosed > 0:
        parts.append(f"{unclosed} entry start tag(s) never closed")
    parts.append(f"{len(docs)} entries were read one by one and kept")
    message = "; ".join(parts)
    return ReadResult.of(docs, [InputFailure(source=item.source, message=message)])


def read_feed(item: InputFile) -> ReadResult:
    """One document per feed entry that carries text (its content, else its summary)."""
    import feedparser

    parsed = feedparser.parse(item.data)
    error = _malformed(parsed)
    why = str(error) if error is not None else None
    starts = len(_ITEM_START.findall(item.data))
    if why is None and starts > len(parsed.entries):
        # Well-formed, yet entries are missing: an unclosed CDATA section ran on to the
        # next entry's "]]>", and its closing tags happened to match.
        why = (
            f"{starts} entry start tags but {len(parsed.entries)} entries parsed: an "
            "unclosed CDATA section or comment swallowed the rest"
        )
    if why is not None and starts:
        return _read_entry_by_entry(item, parsed, why)
    if not parsed.entries:
        detail = f" ({why})" if why else ""
        raise InputError(item.source, f"not an RSS/Atom feed, or a feed with no entries{detail}")
    docs = _documents(item, parsed)
    if not docs:
        raise InputError(item.source, "the feed's entries carry no text")
    return ReadResult.of(docs)
