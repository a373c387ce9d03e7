"""Main text and metadata of an HTML page, through trafilatura."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from copydesk.ingest.formats import parse_iso_date


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    title: str | None
    published: dt.date | None
    sitename: str | None
    author: str | None
    url: str | None


def _fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry) that trafilatura finds too short to judge."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several unrelated types for junk input
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    blocks = root.xpath("//p|//li|//h1|//h2|//h3|//h4|//blockquote")
    if blocks:
        return "\n".join(" ".join(b.text_content().split()) for b in blocks)
    return "\n".join(" ".join(line.split()) for line in root.text_content().splitlines())


def extract_html(html: str, url: str | None = None) -> Extracted:
    """The page's main text (comments excluded) and the metadata it declares."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    text = ""
    meta: dict[str, object] = {}
    if doc is not None:
        meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        text = str(meta.get("text") or "")
    if len(text.split()) < 20:
        fragment = _fragment_text(html)
        if len(fragment.split()) > len(text.split()):
            text = fragment

    def field(name: str) -> str | None:
        value = meta.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    return Extracted(
        text=text,
        title=field("title"),
        published=parse_iso_date(meta.get("date")),
        sitename=field("sitename"),
        author=field("author"),
        url=field("url"),
    )
