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

from collections.abc import Sequence

from copydesk.analyze import analyze_story
from copydesk.embed import Embedder, default_embedder
from copydesk.engine.executor import Executor, Progress
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
    by_id = {a.id: a for a in articles}
    found = [s for s in stories if s.articles]
    if not executor.worth_sharing(sum(len(s.articles) for s in found)):
        model = embedder or default_embedder()
        out = []
        for done, story in enumerate(stories, 1):
            if story.articles:
                members = [by_id[i] for i in story.articles]
                out.append(analyze_story(story, members, embedder=model, brief_words=brief_words))
            if progress:
                progress("analysis", done, len(stories))
        return out
    size = [_sentences(s, by_id) for s in found]
    order = sorted(range(len(found)), key=lambda k: (-size[k], k))
    alone = [k for k in order if size[k] >= ALONE_SENTENCES]
    spec = spec_for(executor, embedder)
    # A story alone may use the cores of every worker (a worker's own session with that
    # many threads; at most the cores of this machine, the best guess for a cluster's).
    spec_alone = (
        min(executor.workers * executor.embed_threads, available_cores())
        if isinstance(spec, int)
        else spec
    )

    def item(k: int) -> tuple[Story, list[Article]]:
        return found[k], [without_raw(by_id[i]) for i in found[k].articles]

    def counted(offset: int) -> Progress | None:
        if progress is None:
            return None
        return lambda stage, done, _: progress(stage, offset + done, len(found))

    results: dict[int, StoryAnalysis] = {}
    for done, k in enumerate(alone):
        (results[k],) = executor.map(
            analyze_one,
            [item(k)],
            shared=(spec_alone, brief_words),
            stage="analysis",
            progress=counted(done),
        )
    rest = order[len(alone) :]
    together = executor.map(
        analyze_one,
        [item(k) for k in rest],
        shared=(spec, brief_words),
        stage="analysis",
        progress=counted(len(alone)),
    )
    results.update(zip(rest, together, strict=True))
    return [results[k] for k in range(len(found))]
