"""Find the input files behind the paths a user gives, in a stable order."""

from __future__ import annotations

import glob
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from copydesk.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN = "-"


@dataclass(frozen=True, slots=True)
class InputFile:
    """The bytes of one input, the name to report it by, and the size limit it was read
    under, which also bounds what its gzip or WARC records may unpack to."""

    source: str
    name: str
    data: bytes
    max_bytes: int = DEFAULT_MAX_BYTES


def _is_documentation(path: Path) -> bool:
    """README.md, LICENSE, GOLD.md...: files named in capitals document a folder.

    They are skipped when a folder is walked (a file named explicitly is always read),
    so that a folder of articles with its own notes can be given as it is.
    """
    stem = path.name.split(".")[0]
    return path.name.startswith(".") or (stem.isupper() and len(stem) > 1)


_GLOB = re.compile(r"[*?\[]")


def walk(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Yield each file under ``paths`` (recursively, sorted; a path with ``*``, ``?`` or
    ``[`` that names no file is a glob pattern), or an error for a bad path."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if _is_documentation(child):
                    continue
                if child.is_file():
                    yield str(child)
                elif child.is_symlink() and not child.exists():
                    yield InputError(str(child), "no such file (a dangling link)")
        elif path.is_file():
            yield str(path)
        elif path.exists():
            yield InputError(raw, "not a regular file or folder")
        elif _GLOB.search(raw):
            # A pattern the shell left alone ('feeds/*.jsonl', 'pile/**/*.html'): what it
            # matches, in sorted order.
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield InputError(raw, "no file matches this pattern")
            yield from walk(matches)
        else:
            yield InputError(raw, "no such file or folder")


def read_input(
    source: str, max_bytes: int = DEFAULT_MAX_BYTES, *, at: str | None = None
) -> InputFile:
    """Read one input whole, refusing it when it is empty or larger than ``max_bytes``.

    ``at`` is where to open it when that differs from the name it is reported by (a
    worker in another folder opens the absolute path of the user's relative one)."""
    try:
        if source == STDIN:
            data = sys.stdin.buffer.read(max_bytes + 1)
            name = "stdin"
        else:
            path = Path(at or source)
            size = path.stat().st_size
            if size > max_bytes:
                raise InputError(
                    source,
                    f"too large ({size:,} bytes, the limit is "
                    f"{max_bytes:,}); raise it with --max-bytes",
                )
            data = path.read_bytes()
            name = path.name
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise InputError(
            source, f"too large (over {max_bytes:,} bytes); raise the limit with --max-bytes"
        )
    if not data.strip():
        raise InputError(source, "empty file")
    return InputFile(source=source, name=name, data=data, max_bytes=max_bytes)
