"""What to watch: feed URLs given directly, in OPML files, or in plain list files.

A list file holds one item a line (a feed URL, or the path of an OPML or another list
file, relative to the list's own folder); ``#`` starts a comment at the start of a line
or after a space. OPML outlines are read at any depth; every ``xmlUrl`` is a feed. A bad
item is reported as an :class:`~copydesk.models.InputFailure` and the rest still count.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from copydesk.models import InputFailure

_MAX_FILE_BYTES = 20 * 1024 * 1024
_COMMENT = re.compile(r"(^|\s)#.*$")


def is_feed_url(item: str) -> bool:
    parts = urlsplit(item)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


class _Resolver:
    def __init__(self) -> None:
        self.urls: dict[str, None] = {}
        self.errors: list[InputFailure] = []
        self._open: set[Path] = set()

    def item(self, item: str, where: str, base: Path | None) -> None:
        item = item.strip()
        if is_feed_url(item):
            self.urls.setdefault(item)
            return
        if "://" in item:
            self.errors.append(InputFailure(where, f"{item!r} is not an http(s) feed URL"))
            return
        path = Path(item).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        if not path.is_file():
            self.errors.append(
                InputFailure(where, f"{item!r} is neither a feed URL nor an existing file")
            )
            return
        self.file(path)

    def file(self, path: Path) -> None:
        resolved = path.resolve()
        if resolved in self._open:
            self.errors.append(InputFailure(str(path), "lists itself (a cycle); skipped"))
            return
        self._open.add(resolved)
        try:
            with path.open("rb") as handle:
                data = handle.read(_MAX_FILE_BYTES + 1)
        except OSError as exc:
            self.errors.append(InputFailure(str(path), f"cannot read ({exc.strerror})"))
            self._open.discard(resolved)
            return
        try:
            if len(data) > _MAX_FILE_BYTES:
                self.errors.append(InputFailure(str(path), "larger than 20 MB; not a feed list"))
            elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                self.opml(path, data)
            else:
                self.listing(path, data)
        finally:
            self._open.discard(resolved)

    def opml(self, path: Path, data: bytes) -> None:
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            self.errors.append(InputFailure(str(path), f"malformed OPML ({exc})"))
            return
        if root.tag.lower() != "opml":
            self.errors.append(
                InputFailure(str(path), f"an XML file, but not OPML (root <{root.tag}>)")
            )
            return
        found = 0
        for outline in root.iter("outline"):
            attrs = {name.lower(): value for name, value in outline.attrib.items()}
            url = attrs.get("xmlurl", "").strip()
            if not url:
                continue
            found += 1
            label = attrs.get("title") or attrs.get("text") or url
            if is_feed_url(url):
                self.urls.setdefault(url)
            else:
                self.errors.append(
                    InputFailure(f"{path}: {label}", f"xmlUrl {url!r} is not an http(s) URL")
                )
        if not found:
            self.errors.append(InputFailure(str(path), "no outline with an xmlUrl"))

    def listing(self, path: Path, data: bytes) -> None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.errors.append(InputFailure(str(path), "not UTF-8 text; not a feed list"))
            return
        for lineno, line in enumerate(text.splitlines(), start=1):
            item = _COMMENT.sub("", line).strip()
            if item:
                self.item(item, f"{path}:{lineno}", path.parent)


def resolve_sources(items: Sequence[str]) -> tuple[list[str], list[InputFailure]]:
    """Feed URLs from URLs, OPML files and list files, first mention first, no repeats."""
    resolver = _Resolver()
    for item in items:
        resolver.item(item, item, None)
    return list(resolver.urls), resolver.errors
