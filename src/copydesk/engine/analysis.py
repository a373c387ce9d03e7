"""Analysis of every story of a pile: one call per story, wherever the executor runs it.

A story's analysis reads only its own articles, and every article is in exactly one
story, so each call carries its story's articles and the pile travels once in all.
Calls are sent largest story first (the cost grows with the square of a story's
sentences), so that one long story does not start last and leave the other workers
idle; results come back in the stories' order, the order of the report.

Memory follows the same square: a story of 2,500 sentences peaks near 0.65 GB, one of
7,800 near 2.2 GB (``benchmarks/analyze_speed.py --topics N``). A story of
:data:`ALONE_SENTENCES` or more is therefore analysed on its own, with no other story
in the workers at the same time, so that two big stories never add up: the peak is
bounded by the biggest story, not by the two biggest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from copydesk.analyze import analyze_story
from copydesk.embed import Embedder, default_embedder, release_default_embedder
from copydesk.engine.executor import Executor, Progress, in_order
from copydesk.engine.local import available_cores
from copydesk.engine.worker import analyze_one, spec_for, without_raw
from copydesk.models import Article, Story, StoryAnalysis

# Stories with this many sentences or more run one at a time (about 120 articles of
# news): under it, two stories at once stay under about 0.7 GB each.
ALONE_SENTENCES = 3000


def _sentences(story: Story, by_id: dict[str, Article]) -> int:
    return sum(len(by_id[i].sentences) for i in story.articles)


def analyze_stories(
    executor: Executor,
    stories: Sequence[Story],
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    brief_words: int,
    progress: Progress | None = None,
) -> list[StoryAnalysis]:
    """The analysis of every story that has articles, in the stories' order.

    ``progress("analysis", done, total)`` counts stories, as in one process.
    """
    found = [s for s in stories if s.articles]
    done = each_analysis(
        executor, found, articles, embedder=embedder, brief_words=brief_words, progress=progress
    )
    return in_order(done, found)


def each_analysis(
    executor: Executor,
    stories: Sequence[Story],
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    brief_words: int,
    progress: Progress | None = None,
) -> Iterator[tuple[int, StoryAnalysis]]:
    """``(k, analysis of stories[k])`` for every story, as each one is done (in any
    order): a caller that writes each away holds one story's analysis at a time, not the
    pile's. Every story must have articles."""
    by_id = {a.id: a for a in articles}
    if not executor.worth_sharing(sum(len(s.articles) for s in stories)):
        model = embedder or default_embedder()
        for k, story in enumerate(stories):
            members = [by_id[i] for i in story.articles]
            analysis = analyze_story(story, members, embedder=model, brief_words=brief_words)
            if progress:
                progress("analysis", k + 1, len(stories))
            yield k, analysis
        return
    size = [_sentences(s, by_id) for s in stories]
    order = sorted(range(len(stories)), key=lambda k: (-size[k], k))
    alone = [k for k in order if size[k] >= ALONE_SENTENCES]
    spec = spec_for(executor, embedder)
    if executor.remote:
        # The workers embed with their own sessions: this one (grouping's) is not needed
        # again, and its working memory would add to theirs for the rest of the run.
        release_default_embedder()
    # A story alone may use the cores of every worker (a worker's own session with that
    # many threads; at most the cores of this machine, the best guess for a cluster's).
    spec_alone = (
        min(executor.workers * executor.embed_threads, available_cores())
        if isinstance(spec, int)
        else spec
    )

    def item(k: int) -> tuple[Story, list[Article]]:
        return stories[k], [without_raw(by_id[i]) for i in stories[k].articles]

    def counted(offset: int) -> Progress | None:
        if progress is None:
            return None
        return lambda stage, done, _: progress(stage, offset + done, len(stories))

    for done, k in enumerate(alone):
        for _, analysis in executor.each(
            analyze_one,
            [item(k)],
            shared=(spec_alone, brief_words),
            stage="analysis",
            progress=counted(done),
        ):
            yield k, analysis
    rest = order[len(alone) :]
    for j, analysis in executor.each(
        analyze_one,
        [item(k) for k in rest],
        shared=(spec, brief_words),
        stage="analysis",
        progress=counted(len(alone)),
    ):
        yield rest[j], analysis
