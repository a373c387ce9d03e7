"""What the rule-based findings report on real stories without gold: discrepancies by
kind and detail claims, over the DUC 2007 main-task topics, each one printed to read.

Why: discrepancy rules and details have no gold in the dev corpora, so their precision
is read by eye. This prints every finding of the kinds asked for (default: ``quote``
discrepancies and details) and the counts of all kinds, so a change to a rule can be
judged on stories it was not written for. Each topic is analysed as one story, each
document dated as its id says.
Usage: ``python benchmarks/findings_duc.py [--topics N] [--show quote,qualifier,detail]``
(about 7 s a topic on two cores).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
from collections import Counter
from pathlib import Path

from analyze_speed import DEFAULT, read_doc
from copydesk.analyze import analyze_story
from copydesk.clean import clean_documents
from copydesk.embed import default_embedder
from copydesk.models import RawDocument, Story


def dated(path: Path) -> RawDocument:
    """The document with its publication date, which its id carries (APW20000831.0201),
    as a feed or a crawl would give it: the date rule reads weekdays against it."""
    doc = read_doc(path)
    found = re.search(r"(\d{4})(\d{2})(\d{2})\.", path.name)
    if not found:
        return doc
    return dataclasses.replace(doc, published=dt.date(*map(int, found.groups())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--topics", type=int, default=0, help="the first N topics (0: all)")
    parser.add_argument("--show", default="quote,detail", help="kinds to print one by one")
    args = parser.parse_args()
    show = set(args.show.split(","))
    folders = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    folders = folders[: args.topics] if args.topics else folders
    embedder = default_embedder()
    counts: Counter[str] = Counter()
    for folder in folders:
        articles, _ = clean_documents([dated(p) for p in sorted(folder.iterdir())])
        texts = {a.id: a.text for a in articles}
        story = Story(folder.name, articles[0].title, tuple(a.id for a in articles))
        result = analyze_story(story, articles, embedder=embedder)
        for d in result.discrepancies:
            counts[d.kind] += 1
            if d.kind in show:
                variants = " | ".join(f"{v.article}: {v.text}" for v in d.variants)
                print(f"{folder.name} {d.kind}: {variants}")
        for c in result.claims:
            if c.kind != "detail":
                continue
            counts["detail"] += 1
            if "detail" in show:
                wordings = sorted({texts[m.article][m.start : m.end] for m in c.mentions})
                print(
                    f"{folder.name} detail: {c.text!r} in {len(c.articles)} articles, "
                    f"{c.groups} groups; wordings {wordings}"
                )
    print(f"\n{len(folders)} topics: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
