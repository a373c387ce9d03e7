"""report.html: render time of the seeds' report, and size of a real 100-article story's.

    .venv/bin/python benchmarks/report_html.py [--topics 4]

Targets (issue: HTML report): the seeds' report renders in well under a second, and a
100-article story's report stays under 5 MB. The seeds are analysed once, then
``render_html`` is timed alone (best of five, after one warm-up that loads the
templates). The 100-article story is four 25-article DUC 2007 topics analysed as one
story: real articles, real reuse, claims and discrepancies, as a user who hands copydesk
a large pile that it groups into one story would get.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analyze_speed import DEFAULT as DUC_MAIN
from analyze_speed import read_doc
from copydesk import analyze
from copydesk.analyze import analyze_story
from copydesk.clean import clean_documents
from copydesk.models import Report, Story
from copydesk.report.html import render_html

SEEDS = Path(__file__).resolve().parents[2] / "shared/seeds"


def _render(report: Report, repeat: int = 5) -> tuple[float, int]:
    render_html(report)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        html = render_html(report)
        best = min(best, time.perf_counter() - start)
    return best, len(html.encode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", type=int, default=4, help="DUC topics of 25 articles")
    args = parser.parse_args()
    seeds = sorted(SEEDS.glob("0*.txt"))
    if not seeds or not DUC_MAIN.is_dir():
        print("skipped: ../shared/seeds or the DUC 2007 corpus is missing")
        return 0
    seconds, size = _render(analyze([str(p) for p in seeds]))
    print(f"seeds (5 articles):  render_html {seconds * 1000:6.1f} ms, {size / 1e6:5.2f} MB")

    docs = [
        read_doc(p)
        for topic in sorted(DUC_MAIN.iterdir())[: args.topics]
        for p in sorted(topic.iterdir())
    ]
    articles, _ = clean_documents(docs)
    story = Story("story-1", articles[0].title, tuple(a.id for a in articles))
    start = time.perf_counter()
    analysis = analyze_story(story, articles)
    analysed = time.perf_counter() - start
    report = Report(articles=tuple(articles), stories=(analysis,))
    seconds, size = _render(report, repeat=2)
    print(
        f"one story of {len(articles)} DUC articles: render_html {seconds:5.2f} s, "
        f"{size / 1e6:5.2f} MB (target < 5 MB); {len(analysis.claims)} claims, "
        f"{len(analysis.discrepancies)} discrepancies (analysis {analysed:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
