"""The pipeline in one screen: each public verb chains the stages it needs."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from copydesk.analyze import analyze_story
from copydesk.analyze.brief import DEFAULT_WORDS
from copydesk.clean import clean_documents
from copydesk.embed import Embedder
from copydesk.ingest import DEFAULT_MAX_BYTES, load_documents
from copydesk.models import Article, Corpus, Report, Story
from copydesk.stories import group_stories

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
    progress: Progress | None = None,
) -> tuple[Corpus, list[Story]]:
    """Clean the inputs and split them into stories (no further analysis)."""
    corpus = clean(paths, max_bytes=max_bytes, progress=progress)
    return corpus, group_stories(corpus.articles, embedder=embedder, progress=progress)


@dataclass(frozen=True, slots=True)
class AnalyzeOptions:
    brief_words: int = DEFAULT_WORDS
    one_story: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


def analyze(
    paths: Iterable[str],
    *,
    options: AnalyzeOptions = AnalyzeOptions(),
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Report:
    """Clean the inputs, split them into stories, and analyse every story."""
    corpus = clean(paths, max_bytes=options.max_bytes, progress=progress)
    return analyze_corpus(corpus, options=options, embedder=embedder, progress=progress)


def analyze_corpus(
    corpus: Corpus,
    *,
    options: AnalyzeOptions = AnalyzeOptions(),
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Report:
    """Group the corpus into stories (unless ``one_story``) and analyse each one."""
    if options.one_story:
        found = one_story(corpus.articles)
    else:
        found = group_stories(corpus.articles, embedder=embedder, progress=progress)
    analyses = []
    for done, story in enumerate(found, 1):
        if story.articles:
            analyses.append(
                analyze_story(
                    story, corpus.articles, embedder=embedder, brief_words=options.brief_words
                )
            )
        if progress:
            progress("analysis", done, len(found))
    return Report(articles=corpus.articles, stories=tuple(analyses), errors=corpus.errors)
