"""The desk: a store that follows the news as it arrives.

``Desk`` is the one orchestrator over a store: ``add`` ingests and cleans as
``copydesk clean`` does, stores each article (idempotently: the same content again
stores nothing; the same URL with other content is a new version), and places it in a
story incrementally; ``update`` re-analyses the stories that changed; ``stories``,
``story``, ``analysis``, ``report`` and ``search`` read. The CLI and the web app are
thin clients of these methods: neither holds SQL.

Crash safety: articles are committed in batches, each batch one transaction, and an
article is reported as added only after its batch committed; a killed process loses
at most the batch in flight, and adding the same inputs again completes the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from copydesk.analyze import analyze_story
from copydesk.analyze.brief import DEFAULT_WORDS
from copydesk.analyze.outlets import profile_outlet
from copydesk.clean import clean_documents
from copydesk.embed import Embedder, default_embedder
from copydesk.errors import CopydeskError
from copydesk.ingest import DEFAULT_MAX_BYTES, load_documents, read_upload
from copydesk.ingest.paths import walk
from copydesk.models import (
    Added,
    AddOutcome,
    AddReport,
    Article,
    ArticleVersion,
    InputFailure,
    OutletProfile,
    Page,
    RawDocument,
    Report,
    SearchHit,
    SearchResult,
    Story,
    StoryAnalysis,
    StoryInfo,
)
from copydesk.store import analyses, articles, overview, search, stories
from copydesk.store.database import Database, default_path
from copydesk.store.embeddings import CachedEmbedder
from copydesk.store.index import SqliteStoryIndex
from copydesk.stories.incremental import IncrementalGrouper

Progress = Callable[[str, int, int], None]
BATCH = 100


class UnknownArticle(CopydeskError):
    def __init__(self, article: str) -> None:
        super().__init__(f"no article '{article}' in the store; 'copydesk search' finds them")
        self.article = article


class UnknownOutlet(CopydeskError):
    def __init__(self, outlet: str) -> None:
        super().__init__(f"no article from the outlet '{outlet}' in the store")
        self.outlet = outlet


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def input_hash(doc: RawDocument) -> str:
    """The input as given: its raw text and the metadata its container carried, so that
    one wire text delivered by two outlets is two articles, and the same file read again
    is one."""
    parts = (doc.raw, doc.url or "", doc.outlet or "", doc.title or "", str(doc.published))
    return hashlib.sha1(
        "\0".join(parts).encode("utf-8", "surrogatepass"), usedforsecurity=False
    ).hexdigest()


class Desk:
    """A copydesk store: ``Desk()`` opens ``$COPYDESK_DB`` or ``./copydesk.db``.

    ``embedder`` defaults to the shared MiniLM model, loaded only when needed; it is
    wrapped in a cache kept in the store, so no text is embedded twice.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        embedder: Embedder | None = None,
        readonly: bool = False,
        group_with_embeddings: bool = True,
    ) -> None:
        self.db = Database(path if path is not None else default_path(), readonly=readonly)
        self._inner = embedder
        self._embedder: CachedEmbedder | None = None
        self.group_with_embeddings = group_with_embeddings

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def embedder(self) -> CachedEmbedder:
        if self._embedder is None:
            self._embedder = CachedEmbedder(self._inner or default_embedder(), self.db.conn)
        return self._embedder

    # -- writing -----------------------------------------------------------------

    def add(
        self,
        paths: Iterable[str],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        batch_size: int = BATCH,
        progress: Progress | None = None,
        on_batch: Callable[[AddReport], None] | None = None,
    ) -> AddReport:
        """Read, clean, store and place every article under ``paths``.

        Inputs are read file by file and committed every ``batch_size`` articles;
        ``on_batch`` is called after each commit with what that batch stored.
        """
        entries = list(walk(paths))
        done: list[Added] = []
        errors: list[InputFailure] = []
        merged: list[tuple[str, str]] = []
        pending: list[RawDocument] = []

        def flush() -> None:
            if pending:
                part = self.add_documents(pending)
                done.extend(part.added)
                errors.extend(part.errors)
                merged.extend(part.merged)
                pending.clear()
                if on_batch:
                    on_batch(part)

        for k, entry in enumerate(entries, 1):
            if isinstance(entry, Exception):
                failure = InputFailure(entry.source, entry.reason)
                errors.append(failure)
                with self.db.transaction() as conn:
                    articles.record_error(conn, failure.source, failure.message, _now())
                continue
            docs, failures = load_documents([entry], max_bytes=max_bytes)
            if failures:
                errors.extend(failures)
                with self.db.transaction() as conn:
                    for failure in failures:
                        articles.record_error(conn, failure.source, failure.message, _now())
            pending.extend(docs)
            if len(pending) >= batch_size:
                flush()
            if progress:
                progress("adding", k, len(entries))
        flush()
        return AddReport(tuple(done), tuple(errors), tuple(merged))

    def add_documents(self, docs: Sequence[RawDocument]) -> AddReport:
        """Clean and store raw documents (one transaction); what each one became."""
        conn = self.db.conn
        hashes = [input_hash(d) for d in docs]
        known = articles.known_raw_hashes(conn, hashes)
        fresh = [d for d, h in zip(docs, hashes, strict=True) if h not in known]
        cleaned, failures = clean_documents(fresh)
        report = self.add_articles(cleaned, raw_hashes=_hashes_for(cleaned, fresh))
        # Read after the batch, which may have merged their stories.
        seen = []
        for doc, digest in zip(docs, hashes, strict=True):
            if digest in known:
                stored = articles.by_raw_hash(conn, digest) or (doc.id or "")
                seen.append(Added(stored, doc.source, "unchanged", articles.story_of(conn, stored)))
        now = _now()
        if failures:
            with self.db.transaction() as tx:
                for failure in failures:
                    articles.record_error(tx, failure.source, failure.message, now)
        position = {doc.source: k for k, doc in reversed(list(enumerate(docs)))}
        in_order = sorted([*seen, *report.added], key=lambda a: position.get(a.source, len(docs)))
        return AddReport(tuple(in_order), tuple(failures) + report.errors, report.merged)

    def add_articles(
        self, cleaned: Sequence[Article], *, raw_hashes: Sequence[str] | None = None
    ) -> AddReport:
        """Store clean articles and place the new ones in stories: one transaction."""
        now = _now()
        outcomes: list[Added] = []
        new: list[Article] = []
        with self.db.transaction() as conn:
            for k, article in enumerate(cleaned):
                digest = raw_hashes[k] if raw_hashes else None
                outcome, stored = self._store(conn, article, digest, now)
                outcomes.append(Added(stored.id, article.source, outcome, None))
                if outcome == "added":
                    new.append(stored)
            index = SqliteStoryIndex(conn, now)
            grouper = IncrementalGrouper(
                index, self.embedder.encode if self.group_with_embeddings else None
            )
            placed: dict[str, tuple[str, str | None]] = {}
            merged: list[tuple[str, str]] = []
            for article in new:
                placement = grouper.place(article)
                placed[article.id] = (placement.story, placement.copy_of)
                merged.extend(placement.merged)
            stories.refresh_titles(conn, index.changed)
            final = {a.id: stories.resolve(conn, placed[a.id][0]) for a in new}
            result = []
            for added in outcomes:
                if added.outcome == "added":
                    kind: AddOutcome = "copy" if placed[added.article][1] else "added"
                    result.append(
                        dataclasses.replace(added, outcome=kind, story=final[added.article])
                    )
                else:
                    home = articles.story_of(conn, added.article)
                    result.append(dataclasses.replace(added, story=home))
        return AddReport(tuple(result), (), tuple(merged))

    def _store(
        self, conn: sqlite3.Connection, article: Article, digest: str | None, now: str
    ) -> tuple[AddOutcome, Article]:
        key = articles.article_key(article)
        content = articles.content_hash(article)
        existing = articles.by_key(conn, key)
        if existing is not None:
            stored_id, version, stored_content = existing
            same = dataclasses.replace(article, id=stored_id)
            if stored_content == content:
                return "unchanged", same
            articles.insert_version(conn, same, version + 1, now, digest)
            conn.execute(
                "UPDATE stories SET changed = 1, updated = ? WHERE id = "
                "(SELECT story_id FROM articles WHERE id = ?)",
                (now, stored_id),
            )
            return "version", same
        free = articles.free_id(conn, article.id)
        stored = article if free == article.id else dataclasses.replace(article, id=free)
        articles.insert_article(conn, stored, now, digest)
        return "added", stored

    def update(
        self, *, brief_words: int = DEFAULT_WORDS, progress: Progress | None = None
    ) -> list[str]:
        """Re-analyse every story that changed since its last analysis; their ids."""
        todo = stories.changed_stories(self.db.conn)
        for k, story in enumerate(todo, 1):
            self._analyse(story, brief_words)
            if progress:
                progress("analysis", k, len(todo))
        return todo

    def _analyse(self, story: str, brief_words: int) -> StoryAnalysis:
        with self.db.snapshot() as conn:
            record = stories.load_story(conn, story)
            members = articles.load_articles(conn, list(record.articles))
        result = analyze_story(record, members, embedder=self.embedder, brief_words=brief_words)
        with self.db.transaction() as conn:
            analyses.save_analysis(conn, result, _now())
        return result

    # -- reading -----------------------------------------------------------------

    def stories(self, *, outlet: str | None = None, since: str | None = None) -> list[StoryInfo]:
        """Live stories, largest first."""
        with self.db.snapshot() as conn:
            return stories.list_stories(conn, outlet=outlet, since=since)

    def story(self, story_id: str) -> Story:
        """A story by id; an id merged into another story resolves to that story."""
        with self.db.snapshot() as conn:
            return stories.load_story(conn, story_id)

    def articles(self, ids: Sequence[str]) -> list[Article]:
        with self.db.snapshot() as conn:
            return articles.load_articles(conn, ids)

    def versions(self, article_id: str) -> list[ArticleVersion]:
        with self.db.snapshot() as conn:
            return articles.load_versions(conn, article_id)

    def analysis(self, story_id: str, *, brief_words: int = DEFAULT_WORDS) -> StoryAnalysis:
        """The story's analysis: the stored one, or computed now if the story changed."""
        with self.db.snapshot() as conn:
            live = stories.resolve(conn, story_id)
            stored = analyses.load_analysis(conn, live)
        return stored if stored is not None else self._analyse(live, brief_words)

    def analysis_version(self, story_id: str) -> str | None:
        """A stamp of the story's current stored analysis (None when it must be
        recomputed): what a cache of anything derived from the analysis keys on."""
        with self.db.snapshot() as conn:
            return analyses.analysis_version(conn, stories.resolve(conn, story_id))

    def report(self, story_id: str, *, brief_words: int = DEFAULT_WORDS) -> Report:
        """A one-story :class:`Report`, the shape the report writers take."""
        result = self.analysis(story_id, brief_words=brief_words)
        return Report(articles=tuple(self.articles(list(result.story.articles))), stories=(result,))

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        since: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Articles matching ``query`` (BM25, best first) with their story."""
        with self.db.snapshot() as conn:
            return search.search(
                conn, query, outlet=outlet, since=since, limit=limit, offset=offset
            )

    def article(self, article_id: str) -> Article:
        """One article's current version; :class:`UnknownArticle` if there is none."""
        found = self.articles([article_id])
        if not found:
            raise UnknownArticle(article_id)
        return found[0]

    def story_of(self, article_id: str) -> str | None:
        with self.db.snapshot() as conn:
            return articles.story_of(conn, article_id)

    def front(
        self,
        *,
        period_days: int | None = None,
        outlet: str | None = None,
        has_discrepancies: bool = False,
        single_source: bool = False,
        visited: str | None = None,
        after: str | None = None,
        limit: int = 30,
    ) -> Page:
        """Live stories ranked by independent sources and recency (see
        :mod:`copydesk.store.overview`), a page at a time."""
        with self.db.snapshot() as conn:
            return overview.front(
                conn,
                period_days=period_days,
                outlet=outlet,
                has_discrepancies=has_discrepancies,
                single_source=single_source,
                visited=visited,
                after=after,
                limit=limit,
            )

    def search_page(
        self,
        query: str,
        *,
        outlet: str | None = None,
        story: str | None = None,
        since: str | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> SearchResult:
        """A page of search hits with facets by outlet, story and day."""
        with self.db.snapshot() as conn:
            return overview.search_page(
                conn, query, outlet=outlet, story=story, since=since, after=after, limit=limit
            )

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet in the store with its number of articles."""
        with self.db.snapshot() as conn:
            return overview.outlets(conn)

    def outlet_profile(self, name: str) -> OutletProfile:
        """How often the outlet is first, how much it reuses and from whom, whether it
        says so, its framing terms; analyses of its stories are computed if missing."""
        with self.db.snapshot() as conn:
            rows = overview.outlet_articles(conn, name)
        if not rows:
            raise UnknownOutlet(name)
        story_ids = sorted({story for _, story in rows if story})
        found = [self.analysis(story) for story in story_ids]
        members = self.articles([aid for a in found for aid in a.story.articles])
        return profile_outlet(name, found, {a.id: a for a in members})

    def add_upload(
        self, name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> AddReport:
        """Add the articles in uploaded or pasted bytes, read as a file called ``name``."""
        docs, failures = read_upload(name, data, max_bytes=max_bytes)
        report = self.add_documents(docs) if docs else AddReport((), ())
        return AddReport(report.added, tuple(failures) + report.errors, report.merged)

    def count(self) -> dict[str, int]:
        """How many articles, versions, live stories and recorded input errors."""
        conn = self.db.conn
        sql = {
            "articles": "SELECT COUNT(*) FROM articles",
            "versions": "SELECT COUNT(*) FROM versions",
            "stories": "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL",
            "errors": "SELECT COUNT(*) FROM input_errors",
        }
        with self.db.snapshot():
            return {k: int(conn.execute(q).fetchone()[0]) for k, q in sql.items()}


def _hashes_for(cleaned: Sequence[Article], fresh: Sequence[RawDocument]) -> list[str]:
    """The input hash of each clean article's document (cleaning skips empty ones but
    keeps the order, the source and the raw text)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for doc in fresh:
        grouped.setdefault((doc.source, doc.raw), []).append(input_hash(doc))
    queues: dict[tuple[str, str], Iterator[str]] = {k: iter(v) for k, v in grouped.items()}
    return [next(queues[(a.source, a.raw)]) for a in cleaned]
