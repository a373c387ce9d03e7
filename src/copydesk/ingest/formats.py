"""Readers that turn one input file into raw documents, one reader per format.

Readers only unpack containers (JSON objects, feed entries, WARC records); turning
HTML into text and removing page furniture is the cleaning stage's job. Each reader
returns a :class:`ReadResult`: the documents, and a failure for every item (a JSON line,
a list item, a feed entry, a WARC record) that could not be read, so that one bad item
never sinks its file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from copydesk.errors import InputError
from copydesk.ingest.decode import decode_bytes
from copydesk.ingest.feeds import read_feed
from copydesk.ingest.gunzip import gunzip
from copydesk.ingest.paths import InputFile
from copydesk.ingest.records import ReadResult, content_id
from copydesk.ingest.warc import read_warc
from copydesk.models import DocumentKind, InputFailure, RawDocument

__all__ = ["ReadResult", "content_id", "parse_iso_date", "read_documents", "reader_for"]

Reader = Callable[[InputFile], ReadResult]

_TEXT_EXT = {"", ".txt", ".text", ".md", ".markdown"}
_HTML_EXT = {".html", ".htm", ".xhtml"}
_JSON_EXT = {".json"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_FEED_EXT = {".xml", ".rss", ".atom", ".rdf"}
_WARC_EXT = {".warc", ".arc", ".warc.gz", ".arc.gz"}


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


def read_text(item: InputFile) -> ReadResult:
    text = decode_bytes(item.data, item.source)
    kind: DocumentKind = "text"
    if text.lstrip().startswith("<") and re.search(r"<(html|body|p|div)[\s>]", text[:5000], re.I):
        kind = "html"
    return ReadResult.of(
        [RawDocument(source=item.source, raw=text, kind=kind, id=_stem(item.name))]
    )


def read_html(item: InputFile) -> ReadResult:
    text = decode_bytes(item.data, item.source)
    return ReadResult.of(
        [RawDocument(source=item.source, raw=text, kind="html", id=_stem(item.name))]
    )


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


# Matches clean_documents, which drops an article of fewer words: a shorter headline-only
# item is refused here, where the message can say what the item lacks.
_MIN_HEADLINE_WORDS = 5


def _from_object(obj: object, source: str, where: str) -> RawDocument:
    """One JSON object as a document; :class:`InputError` names ``where`` it failed.

    A headline-only object (a title, an empty ``text``: common in exports of feeds and
    archives) becomes an article of one sentence, its title, when the title is long
    enough to stand as one.
    """
    if not isinstance(obj, dict):
        raise InputError(source, f"{where} is not a JSON object")
    html = _str(obj, "html")
    text = _str(obj, "text")
    title = _str(obj, "title")
    if html is None and text is None:
        if title is None:
            raise InputError(source, f"{where} has neither 'text' nor 'html'")
        from copydesk.clean.html import text_size  # cleaning imports ingest: import late

        if text_size(title) < _MIN_HEADLINE_WORDS:
            raise InputError(
                source,
                f"{where} has neither 'text' nor 'html', and its title is too short "
                f"(under {_MIN_HEADLINE_WORDS} words) to stand as a headline-only article",
            )
        text = title
    body = html if html is not None else text
    assert body is not None
    raw_id = obj.get("id")
    return RawDocument(
        source=source,
        raw=body,
        kind="html" if html is not None else "text",
        id=str(raw_id) if raw_id not in (None, "") else content_id(body),
        title=title,
        url=_str(obj, "url"),
        outlet=_str(obj, "outlet"),
        published=parse_iso_date(obj.get("published")),
        author=_str(obj, "author"),
    )


def _from_objects(objects: list[Any], source: str) -> ReadResult:
    """Every object that makes a document, and a failure for each one that does not."""
    docs: list[RawDocument] = []
    failures: list[InputFailure] = []
    for i, obj in enumerate(objects):
        try:
            docs.append(_from_object(obj, source, f"item {i}"))
        except InputError as exc:
            failures.append(InputFailure(source=source, message=exc.reason))
    return ReadResult.of(docs, failures)


def read_json(item: InputFile) -> ReadResult:
    """A JSON object, a list of them, or ``{"articles": [...]}``; bad list items are
    reported one by one, a bad lone object fails the file."""
    text = decode_bytes(item.data, item.source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            item.source, f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if not isinstance(data, list):
        doc = _from_object(data, item.source, "the JSON object")
        return ReadResult.of([doc if "id" in data else replace(doc, id=_stem(item.name))])
    if not data:
        raise InputError(item.source, "an empty JSON list, no articles")
    return _from_objects(data, item.source)


def read_jsonl(item: InputFile) -> ReadResult:
    """One JSON object per line; a malformed or unusable line is reported by its number."""
    text = decode_bytes(item.data, item.source)
    docs: list[RawDocument] = []
    failures: list[InputFailure] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    item.source, f"malformed JSON on line {lineno} ({exc.msg})"
                ) from exc
            docs.append(_from_object(obj, item.source, f"line {lineno}"))
        except InputError as exc:
            failures.append(InputFailure(source=item.source, message=exc.reason))
    if not docs and not failures:
        raise InputError(item.source, "no JSON objects")
    return ReadResult.of(docs, failures)


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


def read_documents(item: InputFile) -> ReadResult:
    """The raw documents in one input and its items that failed, or :class:`InputError`
    saying why the input as a whole gives none.

    Gzipped input is unpacked up to ``item.max_bytes``, the limit it was read under, so
    that a small gzip bomb is refused like a large file.
    """
    if item.data.startswith(b"\x1f\x8b") and _suffix(item.name) not in _WARC_EXT:
        data = gunzip(item.data, item.source, item.max_bytes)
        name = item.name[:-3] if item.name.lower().endswith(".gz") else item.name
        item = replace(item, name=name, data=data)
    return reader_for(item)(item)
