"""Story grouping quality on BASIL, DUC 2007 and WikiRef, against baselines.

    .venv/bin/python benchmarks/stories_quality.py [--quick]

Prints B-cubed precision / recall / F1, adjusted Rand index and NMI for
``copydesk.stories.group_stories`` (with MiniLM, lexical only, and without publication
dates) and for three baselines: TF-IDF + agglomerative and MiniLM + agglomerative,
both told the true number of groups (an oracle the real tool never has), and
near-duplicate groups alone (MinHash). ``--quick`` skips the MiniLM rows.

BASIL and AllSides (the NeuS crawl of full articles, and the NeuS val+test snippet
triplets with their neutral summaries, undated) group articles by event, which is what
copydesk's stories are: AllSides has many events per topic, so it is the hard test of
"same event, not same topic". DUC 2007 and
WikiRef group them by *topic* (a subject followed over months or years: "Microsoft's
antitrust problems", "Michelle Obama"), so event-level stories split those topics by
design: there precision (are our stories pure?) is the figure that should stay high,
and recall measures how far a topic is from a single event.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import (
    CorpusMissing,
    Labelled,
    load_allsides_crawl,
    load_basil,
    load_duc,
    load_neus,
    load_wikiref,
    scores,
)
from copydesk.models import Article
from copydesk.stories import find_near_duplicates, group_stories
from copydesk.stories.features import lead_text

Grouper = Callable[[Sequence[Article], int], list[str]]


def _labels_from_stories(articles: Sequence[Article], stories: list[list[str]]) -> list[str]:
    where = {aid: str(n) for n, members in enumerate(stories) for aid in members}
    return [where[a.id] for a in articles]


def copydesk_grouper(embed_budget: int, dates: bool = True) -> Grouper:
    def run(articles: Sequence[Article], k: int) -> list[str]:
        pile = articles if dates else [dataclasses.replace(a, published=None) for a in articles]
        stories = group_stories(pile, embed_budget=embed_budget)
        return _labels_from_stories(articles, [list(s.articles) for s in stories])

    return run


def minhash_only(articles: Sequence[Article], k: int) -> list[str]:
    groups = find_near_duplicates(articles)
    grouped = {aid for g in groups for aid in g}
    singles = [[a.id] for a in articles if a.id not in grouped]
    return _labels_from_stories(articles, [list(g) for g in groups] + singles)


def _agglomerative(vectors: np.ndarray, k: int) -> list[str]:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
    return [str(x) for x in model.fit_predict(vectors)]


def tfidf_agglomerative(articles: Sequence[Article], k: int) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [a.text for a in articles]
    )
    return _agglomerative(matrix.toarray(), k)


def minilm_agglomerative(articles: Sequence[Article], k: int) -> list[str]:
    from copydesk.embed import default_embedder

    return _agglomerative(default_embedder().encode([lead_text(a) for a in articles]), k)


def evaluate(corpus: Labelled, methods: dict[str, Grouper]) -> None:
    k = len(set(corpus.labels))
    dated = sum(1 for a in corpus.articles if a.published)
    print(f"\n{corpus.name}: {len(corpus.articles)} articles, {k} gold groups, {dated} dated")
    print(f"  {'method':36s} {'P':>6s} {'R':>6s} {'F1':>6s} {'ARI':>6s} {'NMI':>6s} {'groups':>6s}")
    for name, method in methods.items():
        start = time.perf_counter()
        predicted = method(corpus.articles, k)
        seconds = time.perf_counter() - start
        s = scores(corpus.labels, predicted)
        print(
            f"  {name:36s} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['ARI']:6.3f}"
            f" {s['NMI']:6.3f} {int(s['groups']):6d}  ({seconds:.1f} s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the MiniLM rows")
    args = parser.parse_args()
    methods: dict[str, Grouper] = {}
    if not args.quick:
        methods["copydesk group_stories"] = copydesk_grouper(10**9)
    methods["copydesk, lexical only (no MiniLM)"] = copydesk_grouper(0)
    if not args.quick:
        methods["copydesk, publication dates hidden"] = copydesk_grouper(10**9, dates=False)
    methods["copydesk, lexical, dates hidden"] = copydesk_grouper(0, dates=False)
    methods["baseline TF-IDF + agglomerative (k)"] = tfidf_agglomerative
    if not args.quick:
        methods["baseline MiniLM + agglomerative (k)"] = minilm_agglomerative
    methods["baseline MinHash near-duplicates"] = minhash_only
    loaders: list[Callable[[], Labelled]] = [
        load_basil,
        load_allsides_crawl,
        load_neus,
        lambda: load_duc("main"),
        lambda: load_duc("update"),
        lambda: load_wikiref("WikiRef220"),
        lambda: load_wikiref("WikiRef186"),
        lambda: load_wikiref("WikiRef150"),
    ]
    for load in loaders:
        try:
            corpus = load()
        except CorpusMissing as exc:
            print(f"skipped: {exc}")
            continue
        evaluate(corpus, methods)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
