"""Speed and memory of ``analyze`` on one 25-article DUC 2007 topic, end to end.

Model load is timed apart from the analysis. Target: under 10 s on the 2-core machine.
Usage: ``python benchmarks/analyze_speed.py [--topic D0701A] [--corpus PATH]``;
``--topics N`` analyses the first N topics as one story of 25 x N articles instead, to
see how time and memory grow with the size of a story.
"""

from __future__ import annotations

import argparse
import html
import re
import resource
import sys
import time
from pathlib import Path

from copydesk.analyze import analyze_story
from copydesk.clean import clean_documents
from copydesk.embed import default_embedder
from copydesk.models import RawDocument, Story

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared/corpora/duc2007/DUC_data/DUC2007/duc2007_testdocs/main"
)
_TAG = re.compile(r"<(HEADLINE|TEXT)>(.*?)</\1>", re.S)


def read_doc(path: Path) -> RawDocument:
    """A DUC document as the plain text a user would have: headline, then paragraphs."""
    fields = dict(_TAG.findall(path.read_text(encoding="latin-1")))
    paragraphs = re.split(r"</?P>", fields.get("TEXT", ""))
    body = "\n\n".join(" ".join(html.unescape(p).split()) for p in paragraphs if p.strip())
    title = " ".join(fields.get("HEADLINE", "").split())
    return RawDocument(source=str(path), raw=f"{title}\n\n{body}", kind="text", id=path.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--topic", default="D0701A")
    parser.add_argument("--topics", type=int, default=0, help="first N topics as one story")
    args = parser.parse_args()
    folder = args.corpus / args.topic
    if not folder.is_dir():
        sys.exit(f"DUC 2007 topic not found at {folder}; pass --corpus and --topic")
    folders = sorted(args.corpus.iterdir())[: args.topics] if args.topics else [folder]
    docs = [read_doc(p) for f in folders for p in sorted(f.iterdir())]

    start = time.perf_counter()
    embedder = default_embedder()
    embedder.encode(["warm up"])
    load = time.perf_counter() - start

    start = time.perf_counter()
    articles, failures = clean_documents(docs)
    cleaned = time.perf_counter() - start
    story = Story("story-1", articles[0].title, tuple(a.id for a in articles))
    start = time.perf_counter()
    result = analyze_story(story, articles, embedder=embedder)
    analysed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sentences = sum(len(a.sentences) for a in articles)
    print(
        f"{'topic ' + args.topic if not args.topics else f'{args.topics} topics'}: "
        f"{len(articles)} articles, {sentences} sentences "
        f"({len(failures)} failed)"
    )
    print(f"model load      {load:6.2f} s")
    print(f"clean           {cleaned:6.2f} s")
    target = "" if args.topics else "  (target: clean + analyse under 10 s)"
    print(f"analyse         {analysed:6.2f} s{target}")
    print(f"total           {load + cleaned + analysed:6.2f} s")
    print(f"peak RSS        {peak_mb:6.0f} MB")
    print(
        f"found: {len(result.groups)} groups, {len(result.claims)} claims, "
        f"{len(result.discrepancies)} discrepancies, {len(result.framing)} framing"
    )


if __name__ == "__main__":
    main()
