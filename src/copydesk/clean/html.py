"""Main text and metadata of an HTML page, through trafilatura."""

from __future__ import annotations

import datetime as dt
import re
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


# Ruby annotations (<rt>, and the <rp> parentheses for browsers without ruby) are
# reading hints printed above the words: as text they run into them ("法律ほうりつ").
# The end tags are optional in HTML, so a hint ends at the next tag.
_RUBY_HINT = re.compile(r"<(rt|rp)(?:\s[^>]*)?>[^<]*(?:</\1\s*>)?", re.I)
# trafilatura breaks the line at an unknown inline tag: the <ruby> wrapper goes too.
_RUBY_TAG = re.compile(r"</?(?:ruby|rb|rtc)(?:\s[^>]*)?>|</(?:rt|rp)\s*>", re.I)
# A whole page, as opposed to a fragment such as a feed entry's HTML.
_PAGE = re.compile(r"<(?:html|body)[\s>]", re.I)
# Page furniture the fragment fallback must skip: it reads every paragraph and list item.
_FURNITURE = (
    "//nav|//header|//footer|//aside|//form|//menu|//script|//style|//noscript|"
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary']"
)
_FURNITURE_CLASS = re.compile(
    r"\b(?:menu|nav|navigation|share|sharing|sharedaddy|social|comments?|respond|"
    r"sidebar|breadcrumbs?|related)\b",
    re.I,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
MIN_WORDS = 20


def drop_ruby_hints(html: str) -> str:
    """``html`` without its ruby hints (``<rt>``, ``<rp>``), the annotated base text kept
    inline, as a reader sees it."""
    if not _RUBY_HINT.search(html):
        return html
    return _RUBY_TAG.sub("", _RUBY_HINT.sub("", html))


def text_size(text: str) -> float:
    """Length in words, where two CJK characters count as one: Chinese and Japanese put
    no spaces between words, so a whole paragraph would otherwise count as one word."""
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + cjk / 2


def _fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry) that trafilatura finds too short to judge.

    Navigation, share and comment blocks are skipped: on a whole page this reader would
    otherwise return the menu and "Comments are closed" along with the text.
    """
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several unrelated types for junk input
        return ""
    for bad in root.xpath(_FURNITURE):
        bad.drop_tree()
    # A block named like furniture that holds most of the text is the content all the
    # same ("entry-content sharing-enabled"): only the smaller ones are dropped.
    total = len(root.text_content())
    for element in root.xpath("//*[@class or @id]"):
        label = f"{element.get('class') or ''} {element.get('id') or ''}"
        if (
            _FURNITURE_CLASS.search(label)
            and element.getparent() is not None
            and len(element.text_content()) < total / 2
        ):
            element.drop_tree()
    blocks = root.xpath("//p|//li|//h1|//h2|//h3|//h4|//blockquote")
    if blocks:
        return "\n".join(" ".join(b.text_content().split()) for b in blocks)
    return "\n".join(" ".join(line.split()) for line in root.text_content().splitlines())


def extract_html(html: str, url: str | None = None) -> Extracted:
    """The page's main text (comments excluded) and the metadata it declares.

    The fallback reader of fragments only steps in for a fragment (a feed entry, an
    exported HTML body) that trafilatura finds too short, or for a page where trafilatura
    finds no text at all: on a whole page with a short text, trafilatura has already
    judged which blocks are the article, and the fallback would only add the furniture.
    """
    import trafilatura

    html = drop_ruby_hints(html)
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
    is_page = _PAGE.search(html[:20_000]) is not None
    if not text.strip() if is_page else text_size(text) < MIN_WORDS:
        fragment = _fragment_text(html)
        if text_size(fragment) > text_size(text):
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
