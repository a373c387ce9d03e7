"""Cleaning: raw documents in, clean articles with sentences and an audit trail out.

HTML goes through trafilatura first, then every text through the same furniture
filter, so scraped text and saved pages are held to one standard.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from copydesk.clean.html import extract_html, text_size
from copydesk.clean.metadata import outlet_from_url
from copydesk.clean.sentences import split_sentences
from copydesk.clean.text import clean_lines, recurring_lines
from copydesk.ingest.decode import repair_text
from copydesk.ingest.formats import content_id
from copydesk.models import Article, InputFailure, RawDocument

__all__ = [
    "Prepared",
    "clean_documents",
    "finish_documents",
    "prepare_document",
    "recurring_by_outlet",
    "split_sentences",
]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document reduced to text lines plus whatever metadata the container had."""

    doc: RawDocument
    text: str
    title: str | None
    outlet: str | None
    url: str | None
    author: str | None
    published: dt.date | None


def prepare_document(doc: RawDocument) -> Prepared:
    """A document's text and metadata, before the filter that needs its outlet's other
    pages (the slow step for HTML: trafilatura)."""
    if doc.kind == "html":
        page = extract_html(repair_text(doc.raw), url=doc.url)
        url = doc.url or page.url
        return Prepared(
            doc=doc,
            text=page.text,
            title=doc.title or page.title,
            outlet=doc.outlet or page.sitename or outlet_from_url(url),
            url=url,
            author=doc.author or page.author,
            published=doc.published or page.published,
        )
    return Prepared(
        doc=doc,
        text=repair_text(doc.raw),
        title=doc.title,
        outlet=doc.outlet or outlet_from_url(doc.url),
        url=doc.url,
        author=doc.author,
        published=doc.published,
    )


def _finish(item: Prepared, recurring: frozenset[str]) -> Article:
    cleaned = clean_lines(item.text, title=item.title, recurring=recurring)
    text = cleaned.render()
    published = item.published or cleaned.published
    return Article(
        id=item.doc.id or content_id(text),
        source=item.doc.source,
        text=text,
        title=cleaned.title,
        outlet=item.outlet,
        published=published,
        url=item.url,
        author=item.author or cleaned.author,
        sentences=split_sentences(text),
        dropped=cleaned.dropped,
        raw=item.doc.raw,
        kind=item.doc.kind,
    )


# An article needs this many words (two CJK characters counting as one) and a sentence.
MIN_ARTICLE_WORDS = 5


def clean_documents(
    docs: Sequence[RawDocument],
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[Article], list[InputFailure]]:
    """Clean every document; one that yields no article text is reported, not raised.

    ``progress("cleaning", done, total)`` is called after each document's extraction,
    the slow step (trafilatura).
    """
    prepared = []
    for done, doc in enumerate(docs, start=1):
        prepared.append(prepare_document(doc))
        if progress is not None:
            progress("cleaning", done, len(docs))
    return finish_documents(prepared, recurring_by_outlet(prepared))


def recurring_by_outlet(prepared: Sequence[Prepared]) -> dict[str, frozenset[str]]:
    """Each outlet's recurring lines (its page furniture), read across all its documents."""
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for item in prepared:
        if item.outlet:
            by_outlet[item.outlet].append(item.text)
    return {outlet: recurring_lines(texts) for outlet, texts in by_outlet.items()}


def finish_documents(
    prepared: Sequence[Prepared], recurring: Mapping[str, frozenset[str]]
) -> tuple[list[Article], list[InputFailure]]:
    """Clean articles from prepared documents, their outlets' furniture dropped; a
    document left with no article text is a failure."""
    articles: list[Article] = []
    failures: list[InputFailure] = []
    for item in prepared:
        article = _finish(item, recurring.get(item.outlet or "", frozenset()))
        if not article.sentences or text_size(article.text) < MIN_ARTICLE_WORDS:
            failures.append(InputFailure(item.doc.source, "no article text found"))
        else:
            articles.append(article)
    return articles, failures
