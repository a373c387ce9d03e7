"""WARC files: one document per HTML response, and a cut file's whole records kept.

A crawl that was interrupted leaves a WARC whose last record is cut. warcio hands such
a record over as if it were whole (an article that stops mid-sentence), or drops it
without a word (cut in its headers, or in a ``.warc.gz`` member), or raises on it.
Here a record whose payload is shorter than its declared ``Content-Length`` is reported
and not kept, bytes left after the last whole record are reported, and the records
before the damage are kept.
"""

from __future__ import annotations

import io
from typing import Any

from copydesk.errors import InputError
from copydesk.ingest.decode import decode_bytes
from copydesk.ingest.paths import InputFile
from copydesk.ingest.records import ReadResult, content_id
from copydesk.models import InputFailure, RawDocument


def _missing_bytes(record: Any) -> int:
    """How many bytes of the record's declared block the file does not hold.

    The payload reader may stop before the block's end (after the last chunk of a
    chunked body, say), so the rest is drained first: only bytes that the file lacks
    count as missing.
    """
    raw = record.raw_stream
    if getattr(raw, "limit", 0) > 0:
        while raw.read(64 * 1024):
            pass
    missing = getattr(raw, "limit", 0)
    return missing if isinstance(missing, int) else 0


def _ends_inside_a_record(iterator: Any, data: bytes) -> bool:
    """Whether bytes beyond the last whole record remain: a record cut in its headers,
    or a cut gzip member, which warcio skips without a word."""
    try:
        iterator.read_to_end()
        end = iterator.get_record_offset() + iterator.get_record_length()
    except (TypeError, AttributeError):  # no record at all: nothing was cut off
        return False
    return isinstance(end, int) and bool(data[end:].strip(b" \t\r\n\x00"))


def read_warc(item: InputFile) -> ReadResult:
    """One document per complete HTML response record; each bad record a failure."""
    from warcio.archiveiterator import ArchiveIterator

    docs: list[RawDocument] = []
    failures: list[InputFailure] = []
    records = 0
    iterator: Any = None
    try:
        iterator = ArchiveIterator(io.BytesIO(item.data))
        for record in iterator:
            records += 1
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"record {records} ({url})"
            payload = record.content_stream().read(item.max_bytes + 1)
            if len(payload) > item.max_bytes:
                failures.append(
                    InputFailure(
                        item.source,
                        f"{where} is larger than {item.max_bytes:,} bytes; not kept "
                        "(raise the limit with --max-bytes)",
                    )
                )
                continue
            missing = _missing_bytes(record)
            if missing > 0:
                declared = record.length or 0
                failures.append(
                    InputFailure(
                        item.source,
                        f"{where} is truncated ({declared - missing:,} of its {declared:,} "
                        "declared bytes); not kept",
                    )
                )
                continue
            if not payload.strip():
                continue
            source = f"{item.source}#{url}"
            try:
                html = decode_bytes(payload, source, content_type=ctype)
            except InputError as exc:
                failures.append(InputFailure(item.source, f"{where}: {exc.reason}"))
                continue
            docs.append(
                RawDocument(
                    source=source, raw=html, kind="html", id=content_id(url or html), url=url
                )
            )
    # warcio raises many unrelated types on damaged input (ArchiveLoadFailed, zlib.error,
    # EOFError, even AttributeError on a cut header): the records read so far still count.
    except Exception as exc:
        if not docs and not failures:
            raise InputError(item.source, f"not a readable WARC file ({exc})") from exc
        failures.append(
            InputFailure(
                item.source,
                f"cut or damaged after record {records} ({type(exc).__name__}: {exc}); "
                "the records before it were kept",
            )
        )
    else:
        if _ends_inside_a_record(iterator, item.data):
            failures.append(
                InputFailure(
                    item.source,
                    f"the file is cut inside the record after record {records}; that record "
                    "is lost, the records before it were kept",
                )
            )
    if not docs and not failures:
        raise InputError(item.source, "the WARC file holds no HTML responses")
    return ReadResult.of(docs, failures)
