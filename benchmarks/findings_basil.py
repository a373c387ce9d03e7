"""What the rule-based findings report on BASIL events, each one printed to read.

Why: BASIL (EMNLP 2019) holds 100 events, each reported by Fox News, The New York Times
and HuffPost, with titles, outlets and dates: the closest of the dev corpora to what
copydesk is for (one event, several outlets). It has no gold for discrepancies or
framing, so this prints every discrepancy and framing finding with the words around
each variant, to be judged by reading, and counts them by kind. Each event is analysed
as one story.

Usage: ``python benchmarks/findings_basil.py [--events ID,...] [--limit N]``. An event
is named by the first characters of its articles' file names in
``../shared/corpora/basil/articles/<year>/`` (``85475456``); by default every event.
About 1.5 s an event on two cores.

``--corpus neus`` reads the AllSides stories of NeuS instead (left, centre and right
snippets and the editors' summary, validation and test splits; named ``test-4`` and the
like): news the rules were not written on, to read what they report there.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from _corpora import load_basil, load_neus
from copydesk.analyze import analyze_story
from copydesk.embed import default_embedder
from copydesk.models import Article, Story

CONTEXT = 50


def _around(article: Article, start: int, end: int) -> str:
    text = article.text
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return " ".join(f"{before}[[{text[start:end]}]]{after}".split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", default="", help="file-name prefixes of events to read")
    parser.add_argument("--limit", type=int, default=0, help="the first N events (0: all)")
    parser.add_argument("--corpus", choices=("basil", "neus"), default="basil")
    args = parser.parse_args()
    wanted = [p for p in args.events.split(",") if p]
    corpus = load_basil() if args.corpus == "basil" else load_neus()
    events: dict[str, list[Article]] = defaultdict(list)
    for article, label in zip(corpus.articles, corpus.labels, strict=True):
        events[label].append(article)
    chosen = [
        (label, arts)
        for label, arts in sorted(events.items(), key=lambda e: min(a.id for a in e[1]))
        if not wanted or any(a.id.startswith(tuple(wanted)) for a in arts)
    ]
    chosen = chosen[: args.limit] if args.limit else chosen
    embedder = default_embedder()
    counts: Counter[str] = Counter()
    for label, arts in chosen:
        by_id = {a.id: a for a in arts}
        name = min(a.id for a in arts)[:8] if args.corpus == "basil" else label
        story = Story(name, arts[0].title, tuple(a.id for a in arts))
        result = analyze_story(story, arts, embedder=embedder)
        counts["claims, 2+ articles"] += sum(1 for c in result.claims if len(c.articles) > 1)
        for d in result.discrepancies:
            counts[f"discrepancy {d.kind}"] += 1
            print(f"{name} {d.kind} ({d.claim}):")
            for v in d.variants:
                outlet = by_id[v.article].outlet
                print(f"    {outlet}: {_around(by_id[v.article], v.start, v.end)}")
        for f in result.framing:
            counts[f"framing {f.family}"] += 1
            print(f"{name} framing {f.family} ({f.claim}):")
            for t in f.variants:
                print(f"    {t.outlet}: {_around(by_id[t.article], t.start, t.end)}")
    print(f"\n{len(chosen)} events: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
