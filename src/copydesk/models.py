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


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an article states something: a ``[start, end)`` span of its text."""

    article: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A verbatim run shared by two articles: its span in each."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True, slots=True)
class Paraphrase:
    """Two sentences, one in each article, that state the same thing in other words."""

    a: Mention
    b: Mention
    score: float


@dataclass(frozen=True, slots=True)
class Reuse:
    """Text shared between articles ``a`` and ``b``.

    ``coverage_a`` is the share of a's text that b covers (verbatim or paraphrased),
    ``coverage_b`` the converse: a derived text is covered more by its original than the
    other way round. ``direction`` is ``"a->b"`` when b derives from a.
    """

    a: str
    b: str
    passages: tuple[Passage, ...]
    paraphrases: tuple[Paraphrase, ...]
    verbatim_chars: int
    coverage_a: float
    coverage_b: float
    direction: str | None
    evidence: tuple[str, ...]
    substantial: bool


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """Articles tied by substantial reuse: one independent source, however many copies."""

    articles: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact, stated by one or more sentences in one or more articles.

    ``kind`` is ``"statement"`` for a fact aligned from sentences and clauses, and
    ``"detail"`` for a fact given as a phrase inside sentences about other things (a
    place, a ranking); a detail's mentions are the phrases, and its text is the
    wording most articles use.

    ``articles`` state the fact, each in its own words; ``partial`` are those of them
    whose wording does not state all of ``text`` (its figures, dates, names and content:
    :func:`copydesk.analyze.faithful.states`), as when the text says more than the fact
    they share ("..., allowing Tessau to draw from the Orlen reservoir"). A citation of
    the text is to the others. Empty, not known, for a claim stored before it was kept.
    """

    id: str
    text: str
    mentions: tuple[Mention, ...]
    articles: tuple[str, ...]
    groups: int
    kind: str = "statement"
    partial: tuple[str, ...] = ()

    @property
    def single_source(self) -> bool:
        return self.groups <= 1


@dataclass(frozen=True, slots=True)
class Variant:
    """One article's version of a disputed detail."""

    article: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """Where versions of one claim differ: a quote, a number, a date, a name, modality...

    ``claim`` is None for a name spelled two ways anywhere in the story's articles: a
    person is the same person in every sentence, whatever the claim.
    """

    kind: str
    claim: str | None
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class FramingTerm:
    article: str
    term: str
    outlet: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Framing:
    """Loaded or evaluative wording that differs between outlets for the same thing."""

    claim: str | None
    family: str
    variants: tuple[FramingTerm, ...]


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """An extractive brief sentence with the articles that support it."""

    text: str
    sources: tuple[str, ...]
    groups: int
    claim: str | None
    section: str
    mention: Mention


@dataclass(frozen=True, slots=True)
class CopyEdit:
    """One place where a copy's words differ from its representative's.

    ``[start, end)`` is the span of the representative's text, ``[copy_start, copy_end)``
    the span of the copy's (``article``); a span is empty where one side has no words
    there (a word added or cut).
    """

    article: str
    start: int
    end: int
    copy_start: int
    copy_end: int


@dataclass(frozen=True, slots=True)
class CopySet:
    """Articles that carry the representative's text, word for word or nearly.

    The story is analysed through the representative only: a copy is no source of its
    own, joins the representative's independent group, and states what the
    representative states. ``differences`` lists every copy's edits, copy by copy; an
    exact copy has none.
    """

    representative: str
    copies: tuple[str, ...]
    differences: tuple[CopyEdit, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryAnalysis:
    """Everything copydesk finds in one story. ``copies`` are its copy sets: articles
    analysed once, through a representative, instead of pair by pair."""

    story: Story
    groups: tuple[SourceGroup, ...]
    reuse: tuple[Reuse, ...]
    claims: tuple[Claim, ...]
    discrepancies: tuple[Discrepancy, ...]
    framing: tuple[Framing, ...]
    brief: tuple[BriefSentence, ...]
    copies: tuple[CopySet, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """The result of ``copydesk.analyze``: clean articles, their stories, input failures."""

    articles: tuple[Article, ...]
    stories: tuple[StoryAnalysis, ...]
    errors: tuple[InputFailure, ...] = ()


# The desk: what the store holds and returns beyond the pile records above.


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """One stored version of an article: its text as it was when ``added``."""

    article: Article
    version: int
    added: str


@dataclass(frozen=True, slots=True)
class StoryInfo:
    """A stored story as a list shows it: no analysis, just who and when."""

    id: str
    title: str | None
    articles: int
    representatives: int
    outlets: tuple[str, ...]
    first_published: str | None
    last_published: str | None
    created: str
    updated: str
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article that matches a full-text query, with its story and a snippet."""

    article: str
    title: str | None
    outlet: str | None
    published: str | None
    story: str | None
    snippet: str
    rank: float


AddOutcome = Literal["added", "copy", "version", "unchanged"]


@dataclass(frozen=True, slots=True)
class Added:
    """What ``Desk.add`` did with one article: stored new, as a copy, as a new version of
    an article already stored, or nothing (the same content was already there)."""

    article: str
    source: str
    outcome: AddOutcome
    story: str | None


@dataclass(frozen=True, slots=True)
class AddReport:
    """Everything one ``Desk.add`` call did, in input order, and the inputs that failed."""

    added: tuple[Added, ...]
    errors: tuple[InputFailure, ...]
    merged: tuple[tuple[str, str], ...] = ()

    def count(self, outcome: AddOutcome) -> int:
        return sum(1 for a in self.added if a.outcome == outcome)


# The web desk's reading models: what a page shows, as the library computes it.


@dataclass(frozen=True, slots=True)
class FrontRow:
    """One story on the front page. ``groups`` and ``discrepancies`` come from the stored
    analysis (None until the story is analysed); ``new_articles`` counts the articles
    added after the reader's last visit."""

    id: str
    title: str | None
    articles: int
    groups: int | None
    discrepancies: int | None
    outlets: tuple[str, ...]
    first_published: str | None
    last_published: str | None
    last_added: str
    new_articles: int
    score: float


@dataclass(frozen=True, slots=True)
class Page:
    """One page of rows and the keyset cursor of the next page (None on the last)."""

    rows: tuple[FrontRow, ...]
    next: str | None


@dataclass(frozen=True, slots=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Search hits and their facets (counts over all matches, not just this page)."""

    hits: tuple[SearchHit, ...]
    outlets: tuple[Facet, ...]
    stories: tuple[Facet, ...]
    days: tuple[Facet, ...]
    total: int
    next: str | None = None


@dataclass(frozen=True, slots=True)
class OutletFigure:
    """A figure about an outlet and the articles it rests on."""

    count: int
    total: int
    articles: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class OutletProfile:
    """What copydesk can say about one outlet from the stories it appears in.

    ``first``: facts (multi-article claims) this outlet published first, of all the
    claims it states. ``reused``: its articles derived from another outlet's, of all its
    articles in multi-article stories; ``reused_from`` counts those by source outlet.
    ``attributed``: of its derived articles, those that credit a source ("according
    to", "told", "reported by"). ``framing``: loaded terms it uses, with counts.
    """

    outlet: str
    articles: tuple[str, ...]
    stories: tuple[str, ...]
    first: OutletFigure
    reused: OutletFigure
    reused_from: tuple[tuple[str, OutletFigure], ...]
    attributed: OutletFigure
    framing: tuple[tuple[str, OutletFigure], ...]
