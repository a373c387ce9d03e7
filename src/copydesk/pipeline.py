"""The pipeline in one screen: each public verb chains the stages it needs."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from copydesk.analyze.brief import DEFAULT_WORDS
from copydesk.clean import clean_documents
from copydesk.embed import Embedder
from copydesk.engine import (
    DEFAULT_ENGINE,
    EngineOptions,
    Executor,
    analyze_stories,
    each_analysis,
    group,
    open_executor,
)
from copydesk.engine.executor import in_order
from copydesk.engine.reading import clean_inputs
from copydesk.engine.worker import without_raw
from copydesk.ingest import DEFAULT_MAX_BYTES, load_documents
from copydesk.models import Article, Corpus, Report, Story, StoryAnalysis

Progress = Callable[[str, int, int], None]


def _progress_kwargs(stage: Callable[..., Any], progress: Progress | None) -> dict[str, Any]:
    """``{"progress": progress}`` if ``stage`` reports progress, else nothing to pass."""
    accepts = "progress" in inspect.signature(stage).parameters
    return {"progress": progress} if accepts and progress is not None else {}


def clean(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> Corpus:
    """Read every input under ``paths`` and return clean articles and input failures.

    A bad input never stops the others: it becomes an entry of ``Corpus.errors``.
    ``progress`` is called for the stages ``reading`` and ``cleaning``.
    """
    docs, failures = load_documents(
        paths, max_bytes=max_bytes, **_progress_kwargs(load_documents, progress)
    )
    articles, empty = clean_documents(docs, **_progress_kwargs(clean_documents, progress))
    return Corpus(articles=tuple(articles), errors=tuple(failures + empty))


def one_story(articles: Iterable[Article]) -> list[Story]:
    """Treat every article as part of one story (``--one-story``)."""
    members = tuple(articles)
    title = members[0].title if members else None
    return [Story(id="story-1", title=title, articles=tuple(a.id for a in members))]


def stories(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    embedder: Embedder | None = None,
    engine: EngineOptions = DEFAULT_ENGINE,
    progress: Progress | None = None,
) -> tuple[Corpus, list[Story]]:
    """Clean the inputs and split them into stories (no further analysis), on ``engine``."""
    with open_executor(engine) as executor:
        corpus = _clean_on(executor, list(paths), max_bytes, progress)
        found = group(executor, corpus.articles, embedder=embedder, progress=progress)
    return corpus, found


def _clean_on(
    executor: Executor, paths: list[str], max_bytes: int, progress: Progress | None
) -> Corpus:
    """:func:`clean`, on the executor's workers where it has any."""
    on_workers = clean_inputs(executor, paths, max_bytes=max_bytes, progress=progress)
    if on_workers is not None:
        return on_workers
    return clean(paths, max_bytes=max_bytes, progress=progress)


@dataclass(frozen=True, slots=True)
class AnalyzeOptions:
    """``keep_raw=False`` drops each article's raw input once it is cleaned: no report
    reads it, and for saved pages it is most of a pile's memory (the CLI drops it)."""

    brief_words: int = DEFAULT_WORDS
    one_story: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    engine: EngineOptions = DEFAULT_ENGINE
    keep_raw: bool = True


def analyze(
    paths: Iterable[str],
    *,
    options: AnalyzeOptions = AnalyzeOptions(),
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Report:
    """Clean the inputs, split them into stories, and analyse every story."""
    with analysis_run(paths, options=options, embedder=embedder, progress=progress) as run:
        analyses = in_order(run.analyses, run.stories)
    return Report(articles=run.corpus.articles, stories=tuple(analyses), errors=run.corpus.errors)


@dataclass(frozen=True, slots=True)
class AnalysisRun:
    """An analysis under way: the clean corpus, its stories (those with articles, in the
    report's order) and ``analyses``, which gives ``(k, analysis of stories[k])`` as each
    story is done. Taking them one at a time and writing each away keeps one story's
    analysis in memory, not the pile's (``analyze --per-story``)."""

    corpus: Corpus
    stories: tuple[Story, ...]
    analyses: Iterator[tuple[int, StoryAnalysis]]


@contextmanager
def analysis_run(
    paths: Iterable[str],
    *,
    options: AnalyzeOptions = AnalyzeOptions(),
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Iterator[AnalysisRun]:
    """:func:`analyze`, one story at a time: the engine stays open until the block ends."""
    with open_executor(options.engine) as executor:
        corpus = _clean_on(executor, list(paths), options.max_bytes, progress)
        if not options.keep_raw:
            corpus = Corpus(tuple(without_raw(a) for a in corpus.articles), corpus.errors)
        grouped = _stories_of(executor, corpus, options, embedder, progress)
        found = tuple(s for s in grouped if s.articles)
        analyses = each_analysis(
            executor,
            found,
            corpus.articles,
            embedder=embedder,
            brief_words=options.brief_words,
            progress=progress,
        )
        yield AnalysisRun(corpus, found, analyses)


def analyze_corpus(
    corpus: Corpus,
    *,
    options: AnalyzeOptions = AnalyzeOptions(),
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Report:
    """Group the corpus into stories (unless ``one_story``) and analyse each one, on the
    engine of ``options`` (the same report on every engine)."""
    with open_executor(options.engine) as executor:
        return _analyze_on(executor, corpus, options, embedder, progress)


def _analyze_on(
    executor: Executor,
    corpus: Corpus,
    options: AnalyzeOptions,
    embedder: Embedder | None,
    progress: Progress | None,
) -> Report:
    analyses = analyze_stories(
        executor,
        _stories_of(executor, corpus, options, embedder, progress),
        corpus.articles,
        embedder=embedder,
        brief_words=options.brief_words,
        progress=progress,
    )
    return Report(articles=corpus.articles, stories=tuple(analyses), errors=corpus.errors)


def _stories_of(
    executor: Executor,
    corpus: Corpus,
    options: AnalyzeOptions,
    embedder: Embedder | None,
    progress: Progress | None,
) -> list[Story]:
    if options.one_story:
        return one_story(corpus.articles)
    return group(executor, corpus.articles, embedder=embedder, progress=progress)
