"""The domain model: immutable records that every stage reads and returns.

An :class:`Article` owns its clean text; everything found later (sentences, reused
passages, claim mentions, citations) points into that text by character offsets, so
every finding can show the exact words it rests on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

DocumentKind = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as a reader found it, before cleaning.

    ``raw`` is the decoded input, unmodified. The other fields are hints taken from the
    container (a JSON object, a feed entry, a WARC header); cleaning may refine them
    from the page's own metadata but never invents them.
    """

    source: str
    raw: str
    kind: DocumentKind
    id: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a ``[start, end)`` character span of its article's ``text``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Dropped:
    """A line removed by cleaning, kept so that a user can audit the removal."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article. ``text`` starts with the headline (once) when there is one."""

    id: str
    source: str
    text: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None
    author: str | None
    sentences: tuple[Sentence, ...]
    dropped: tuple[Dropped, ...]
    raw: str = field(repr=False)
    kind: DocumentKind = "text"

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]

    @property
    def body_start(self) -> int:
        """Offset of the first body character: just past the headline, if any."""
        if self.title and self.text.startswith(self.title):
            return min(len(self.text), len(self.title) + 2)
        return 0


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read, reported instead of sinking the batch."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """Clean articles and the inputs that failed, in input order."""

    articles: tuple[Article, ...]
    errors: tuple[InputFailure, ...] = ()

    def get(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report one event. ``duplicates`` lists near-identical copies."""

    id: str
    title: str | None
    articles: tuple[str, ...]
    duplicates: tuple[tuple[str, ...], ...] = ()
