"""Where ``analyze`` spends its time on real piles: a cProfile of the analysis stage,
summed per copydesk function, top items first.

    .venv/bin/python benchmarks/profile_analyze.py [--pile basil|duc|allsides] [--stories N]
        [--top 15]
    .venv/bin/python benchmarks/profile_analyze.py --folder PILE_FOLDER

``basil`` analyses the first N BASIL events (3 articles each, grouped by their gold
event); ``duc`` the first N DUC 2007 topics (25 articles each); ``allsides`` the first
N AllSides stories of the crawl. Stories are analysed one at a time, as ``analyze``
does after grouping; grouping itself is profiled by ``benchmarks/stories_scale.py``.
``--folder`` profiles the whole ``analyze`` of a folder instead (reading, cleaning,
grouping and analysis in one process, ``--workers 1``), for instance the pile that
``benchmarks/analyze_scale.py`` writes (``/tmp/copydesk/story-pile-1000-7``).
The model is loaded and warmed before the profile starts. It prints the wall time,
the share of it inside the ONNX model, and the functions with the most cumulative
time (``own`` is time in the function itself, not in what it calls).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict

from _corpora import Labelled, load_allsides_crawl, load_basil, load_duc
from copydesk.analyze import analyze_story
from copydesk.embed import default_embedder
from copydesk.engine import EngineOptions
from copydesk.models import Article, Story
from copydesk.pipeline import AnalyzeOptions, analyze

LOADERS = {
    "basil": load_basil,
    "duc": lambda: load_duc("main"),
    "allsides": load_allsides_crawl,
}


def gold_stories(pile: Labelled, count: int) -> list[tuple[Story, list[Article]]]:
    """The first ``count`` gold stories of the pile, each as copydesk would get it."""
    members: dict[str, list[Article]] = defaultdict(list)
    for article, label in zip(pile.articles, pile.labels, strict=True):
        members[label].append(article)
    chosen = [label for label in members if len(members[label]) > 1][:count]
    return [
        (
            Story(f"story-{k}", members[label][0].title, tuple(a.id for a in members[label])),
            members[label],
        )
        for k, label in enumerate(chosen, 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pile", choices=sorted(LOADERS), default="basil")
    parser.add_argument("--stories", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--folder", help="profile the whole analyze of this folder")
    args = parser.parse_args()
    embedder = default_embedder()
    embedder.encode(["warm up"])
    profile = cProfile.Profile()
    if args.folder:
        label = args.folder
        options = AnalyzeOptions(engine=EngineOptions(workers=1))
        start = time.perf_counter()
        profile.enable()
        report = analyze([args.folder], options=options, embedder=embedder)
        profile.disable()
        articles, count = len(report.articles), len(report.stories)
    else:
        label = args.pile
        stories = gold_stories(LOADERS[args.pile](), args.stories)
        articles, count = sum(len(m) for _, m in stories), len(stories)
        start = time.perf_counter()
        profile.enable()
        for story, members in stories:
            analyze_story(story, members, embedder=embedder)
        profile.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile)
    entries = stats.stats  # type: ignore[attr-defined]
    onnx = sum(
        ct
        for (path, _, name), (_, _, _, ct, _) in entries.items()
        if name == "run" and "onnx" in path
    )
    print(
        f"{label}: {count} stories, {articles} articles analysed in {wall:.1f} s "
        f"({articles / wall:.1f} articles/s); {onnx / wall:.0%} of it inside the ONNX model "
        "(cProfile adds its own overhead)"
    )
    rows = [
        (ct, tt, calls, f"{path.split('src/')[-1]}:{line} {name}")
        for (path, line, name), (_, calls, tt, ct, _) in entries.items()
        if "copydesk" in path and "benchmarks" not in path
    ]
    rows.sort(reverse=True)
    print(f"{'cumulative s':>13}{'share':>7}{'own s':>8}{'calls':>8}  function")
    for ct, tt, calls, where in rows[: args.top]:
        print(f"{ct:13.2f}{ct / wall:7.0%}{tt:8.2f}{calls:8d}  {where}")


if __name__ == "__main__":
    main()
