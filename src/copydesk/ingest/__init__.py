"""Ingest: find the inputs, read every supported format, report the ones that fail.

``load_documents`` never raises for a bad input: each failure becomes an
:class:`~copydesk.models.InputFailure` and the other inputs are still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from copydesk.errors import InputError
from copydesk.ingest.formats import read_documents
from copydesk.ingest.paths import DEFAULT_MAX_BYTES, read_input, walk
from copydesk.models import InputFailure, RawDocument

__all__ = [
    "DEFAULT_MAX_BYTES",
    "load_documents",
    "read_entry",
    "read_upload",
    "unique_ids",
    "walk",
]


def unique_ids(docs: list[RawDocument]) -> list[RawDocument]:
    """Two inputs may bring the same id (``a/x.txt`` and ``b/x.txt``): suffix the later."""
    seen: dict[str, int] = {}
    out = []
    for doc in docs:
        base = doc.id or "article"
        count = seen.get(base, 0) + 1
        seen[base] = count
        out.append(doc if count == 1 and doc.id else replace(doc, id=f"{base}-{count}"))
    return out


def load_documents(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[RawDocument], list[InputFailure]]:
    """Read every input under ``paths``; return the documents and the failures.

    The failures hold whole inputs that could not be read and single items of a
    container (a JSON line, a feed entry, a WARC record) that could not; each names the
    file as its ``source``. ``progress("reading", done, total)`` is called after each
    input; the paths are walked first so that ``total`` is known from the start.
    """
    entries = list(walk(paths))
    docs: list[RawDocument] = []
    failures: list[InputFailure] = []
    for done, entry in enumerate(entries, start=1):
        found, failed = read_entry(entry, max_bytes)
        docs.extend(found)
        failures.extend(failed)
        if progress is not None:
            progress("reading", done, len(entries))
    return unique_ids(docs), failures


def read_entry(
    entry: str | InputError, max_bytes: int = DEFAULT_MAX_BYTES, *, at: str | None = None
) -> tuple[list[RawDocument], list[InputFailure]]:
    """The documents of one input that :func:`walk` yielded, and its failures (a path
    that was bad from the start is one). Never raises for bad input. ``at``: where to
    open it, if not at its name (see :func:`read_input`)."""
    try:
        if isinstance(entry, InputError):
            raise entry
        result = read_documents(read_input(entry, max_bytes, at=at))
        return list(result.docs), list(result.failures)
    except InputError as exc:
        return [], [InputFailure(source=exc.source, message=exc.reason)]


def read_upload(
    name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[RawDocument], list[InputFailure]]:
    """Documents from bytes that did not come from a path (a web upload, pasted text):
    the same formats, limits and failures as a file of that name."""
    from copydesk.ingest.paths import InputFile

    try:
        if len(data) > max_bytes:
            raise InputError(name, f"too large ({len(data):,} bytes, the limit is {max_bytes:,})")
        if not data.strip():
            raise InputError(name, "empty file")
        result = read_documents(InputFile(source=name, name=name, data=data, max_bytes=max_bytes))
    except InputError as exc:
        return [], [InputFailure(source=exc.source, message=exc.reason)]
    return unique_ids(list(result.docs)), list(result.failures)
