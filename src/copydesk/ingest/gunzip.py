"""Gzip decompression with a bound on what comes out, so that a gzip bomb cannot fill memory.

``gzip.decompress`` builds the whole output before anyone can look at its size: 2 MB of
gzip can hold 2 GB of zeros. Here the output is produced in chunks and the limit is
checked after each, so memory never holds more than the limit and one chunk.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from copydesk.errors import InputError

_CHUNK = 256 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer, not a raw zlib stream
_MAGIC = b"\x1f\x8b"


def gunzip(data: bytes, source: str, max_bytes: int) -> bytes:
    """The decompressed ``data`` (every gzip member), or :class:`InputError` past ``max_bytes``.

    Broken or truncated gzip data is an error too: half an article is not an article.
    """
    out = bytearray()
    for chunk in _members(data, source):
        out += chunk
        if len(out) > max_bytes:
            raise InputError(
                source,
                f"decompresses to more than {max_bytes:,} bytes (a gzip bomb, or a very "
                "large file); raise the limit with --max-bytes if it is genuine",
            )
    return bytes(out)


def _members(data: bytes, source: str) -> Iterator[bytes]:
    """The decompressed chunks of every gzip member of ``data``, at most ``_CHUNK`` each."""
    pending = data
    inflate = zlib.decompressobj(_GZIP_WBITS)
    while True:
        try:
            chunk = inflate.decompress(pending, _CHUNK)
        except zlib.error as exc:
            raise InputError(source, f"broken gzip data ({exc})") from exc
        pending = inflate.unconsumed_tail
        if chunk:
            yield chunk
        elif inflate.eof:
            rest = inflate.unused_data
            if not rest.startswith(_MAGIC):
                return  # padding after the last member is ignored, as gzip(1) does
            inflate = zlib.decompressobj(_GZIP_WBITS)
            pending = rest
        elif not pending:
            raise InputError(source, "broken gzip data (truncated: the file is cut)")
