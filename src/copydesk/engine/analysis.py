"""Analysis of every story of a pile: one call per story, wherever the executor runs it.

A story's analysis reads only its own articles, and every article is in exactly one
story, so each call carries its story's articles and the pile travels once in all.
Calls are sent largest story first (the cost grows with the square of a story's
sentences), so that one long story does not start last and leave the other workers
idle; results come back in the stories' order, the order of the report.
"""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.analyze import analyze_story
from copydesk.embed import Embedder, default_embedder
from copydesk.engine.executor import Executor, Progress
from copydesk.engine.worker import analyze_one, spec_for, without_raw
from copydesk.models import Article, Story, StoryAnalysis


def _cost(story: Story, by_id: dict[str, Article]) -> int:
    sentences = sum(len(by_id[i].sentences) for i in story.articles)
    return sentences * sentences


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
    order = sorted(range(len(found)), key=lambda k: (-_cost(found[k], by_id), k))
    items = [(found[k], [without_raw(by_id[i]) for i in found[k].articles]) for k in order]
    results = executor.map(
        analyze_one,
        items,
        shared=(spec_for(executor, embedder), brief_words),
        stage="analysis",
        progress=progress,
    )
    out_of_order = dict(zip(order, results, strict=True))
    return [out_of_order[k] for k in range(len(found))]
