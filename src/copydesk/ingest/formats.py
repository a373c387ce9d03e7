"""Readers that turn one input file into raw documents, one reader per format.

Readers only unpack containers (JSON objects, feed entries, WARC records); turning
HTML into text and removing page furniture is the cleaning stage's job.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from copydesk.errors import InputError
from copydesk.ingest.decode import decode_bytes
from copydesk.ingest.paths import InputFile
from copydesk.models import RawDocument

Reader = Callable[[InputFile], list[RawDocument]]

_TEXT_EXT = {"", ".txt", ".text", ".md", ".markdown"}
_HTML_EXT = {".html", ".htm", ".xhtml"}
_JSON_EXT = {".json"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_FEED_EXT = {".xml", ".rss", ".atom", ".rdf"}
_WARC_EXT = {".warc", ".arc", ".warc.gz", ".arc.gz"}


def content_id(text: str) -> str:
    """A stable id for an article that brings none: a hash of its content."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _suffix(name: str) -> str:
    path = PurePath(name.lower())
    suffixes = path.suffixes
    if len(suffixes) >= 2 and suffixes[-1] == ".gz":
        return "".join(suffixes[-2:])
    return path.suffix


def _stem(name: str) -> str:
    stem = PurePath(name).name
    suffix = _suffix(name)
    return stem[: len(stem) - len(suffix)] if suffix else stem


def parse_iso_date(value: object) -> dt.date | None:
    """Read an ISO 8601 date or datetime; anything else is unknown (None), never guessed."""
    if not isinstance(value, str) or not value.strip():
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def read_text(item: InputFile) -> list[RawDocument]:
    text = decode_bytes(item.data, item.source)
    if text.lstrip().startswith("<") and re.search(r"<(html|body|p|div)[\s>]", text[:5000], re.I):
        return [RawDocument(source=item.source, raw=text, kind="html", id=_stem(item.name))]
    return [RawDocument(source=item.source, raw=text, kind="text", id=_stem(item.name))]


def read_html(item: InputFile) -> list[RawDocument]:
    text = decode_bytes(item.data, item.source)
    return [RawDocument(source=item.source, raw=text, kind="html", id=_stem(item.name))]


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _from_object(obj: object, source: str, where: str) -> RawDocument:
    if not isinstance(obj, dict):
        raise InputError(source, f"{where} is not a JSON object")
    html = _str(obj, "html")
    text = _str(obj, "text")
    if html is None and text is None:
        raise InputError(source, f"{where} has neither 'text' nor 'html'")
    body = html if html is not None else text
    assert body is not None
    raw_id = obj.get("id")
    return RawDocument(
        source=source,
        raw=body,
        kind="html" if html is not None else "text",
        id=str(raw_id) if raw_id not in (None, "") else content_id(body),
        title=_str(obj, "title"),
        url=_str(obj, "url"),
        outlet=_str(obj, "outlet"),
        published=parse_iso_date(obj.get("published")),
        author=_str(obj, "author"),
    )


def read_json(item: InputFile) -> list[RawDocument]:
    text = decode_bytes(item.data, item.source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            item.source, f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    objects = data if isinstance(data, list) else [data]
    docs = [_from_object(obj, item.source, f"item {i}") for i, obj in enumerate(objects)]
    if len(docs) == 1 and isinstance(data, dict) and "id" not in data:
        docs = [_with_id(docs[0], _stem(item.name))]
    return docs


def _with_id(doc: RawDocument, new_id: str) -> RawDocument:
    return replace(doc, id=new_id)


def read_jsonl(item: InputFile) -> list[RawDocument]:
    text = decode_bytes(item.data, item.source)
    docs = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(item.source, f"malformed JSON on line {lineno} ({exc.msg})") from exc
        docs.append(_from_object(obj, item.source, f"line {lineno}"))
    if not docs:
        raise InputError(item.source, "no JSON objects")
    return docs


def _feed_date(entry: Any) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).date()


def _outlet_of(url: str | None) -> str | None:
    from copydesk.clean.metadata import outlet_from_url

    return outlet_from_url(url)


def read_feed(item: InputFile) -> list[RawDocument]:
    import feedparser

    parsed = feedparser.parse(item.data)
    if not parsed.entries:
        why = getattr(parsed, "bozo_exception", None)
        detail = f" ({why})" if why else ""
        raise InputError(item.source, f"not an RSS/Atom feed, or a feed with no entries{detail}")
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
    if not docs:
        raise InputError(item.source, "the feed's entries carry no text")
    return docs


def read_warc(item: InputFile) -> list[RawDocument]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    docs = []
    try:
        for record in ArchiveIterator(io.BytesIO(item.data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            payload = record.content_stream().read()
            if not payload.strip():
                continue
            html = decode_bytes(payload, f"{item.source}#{url}")
            docs.append(
                RawDocument(
                    source=f"{item.source}#{url}",
                    raw=html,
                    kind="html",
                    id=content_id(url or html),
                    url=url,
                )
            )
    except (ArchiveLoadFailed, ValueError, OSError, gzip.BadGzipFile) as exc:
        raise InputError(item.source, f"not a readable WARC file ({exc})") from exc
    if not docs:
        raise InputError(item.source, "the WARC file holds no HTML responses")
    return docs


def _sniff(item: InputFile) -> Reader | None:
    head = item.data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return read_warc
    if head.startswith((b"{", b"[")):
        return read_json
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return read_feed
    return None


def reader_for(item: InputFile) -> Reader:
    """Pick the reader by file extension; stdin and unknown names are sniffed."""
    suffix = _suffix(item.name)
    if item.source == "-":
        return _sniff(item) or read_text
    if suffix in _WARC_EXT:
        return read_warc
    if suffix in _HTML_EXT:
        return read_html
    if suffix in _JSONL_EXT:
        return read_jsonl
    if suffix in _JSON_EXT:
        return read_json
    if suffix in _FEED_EXT:
        return read_feed
    if suffix in _TEXT_EXT or (suffix.startswith(".") and not suffix[1:].isalpha()):
        return read_text
    raise InputError(
        item.source,
        f"unknown format '{suffix}'; copydesk reads .txt, .md, "
        ".html, .json, .jsonl, .xml/.rss/.atom feeds and .warc(.gz)",
    )


def read_documents(item: InputFile) -> list[RawDocument]:
    """All raw documents in one input, or :class:`InputError` saying why there are none."""
    if item.data.startswith(b"\x1f\x8b") and _suffix(item.name) not in _WARC_EXT:
        try:
            data = gzip.decompress(item.data)
        except (OSError, EOFError) as exc:
            raise InputError(item.source, f"broken gzip data ({exc})") from exc
        name = item.name[:-3] if item.name.lower().endswith(".gz") else item.name
        item = InputFile(source=item.source, name=name, data=data)
    return reader_for(item)(item)
