"""Sentence boundaries on DUC 2007: copydesk's splitter (nupunkt), sentencex, and both.

    .venv/bin/python benchmarks/sentences_duc.py

The SCU-marked DUC 2007 documents give every article as a list of sentences (the same
files as ``align_duc.py``). Each article's sentences are joined with single spaces into
one paragraph, split again, and every predicted sentence start is compared with the
true ones: precision, recall and F1 of boundaries, summed over all articles.

This is why copydesk splits with nupunkt and not sentencex: sentencex finds a few
boundaries that nupunkt misses ("could enter. Witnesses said"), but the union of the two
also inherits sentencex's abbreviation errors ("Ms. | Price", "8:38 p.m. | Friday") and
measures lower here. copydesk instead recovers the full stops after ordinary lower-case
words that nupunkt's learned abbreviation list swallows (``clean/sentences.py``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from align_duc import DEFAULT, read_corpus

Splitter = Callable[[str], set[int]]


def _nupunkt(paragraph: str) -> set[int]:
    import nupunkt

    return {start for start, _ in nupunkt.sent_spans(paragraph) if start > 0}


def _sentencex(paragraph: str) -> set[int]:
    from sentencex import segment

    starts, cursor = set(), 0
    for piece in segment("en", paragraph):
        chunk = piece.strip()
        found = paragraph.find(chunk, cursor) if chunk else -1
        if found >= 0:
            starts.add(found)
            cursor = found + len(chunk)
    return starts - {0}


def _copydesk(paragraph: str) -> set[int]:
    from copydesk.clean import split_sentences

    return {s.start for s in split_sentences(paragraph)} - {0}


def _union(paragraph: str) -> set[int]:
    return _nupunkt(paragraph) | _sentencex(paragraph)


def main() -> int:
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not base.exists():
        print(f"skipped: {base} not found (the DUC 2007 corpus lives in ../shared/corpora)")
        return 0
    docs: list[tuple[str, set[int]]] = []
    for topic in read_corpus(base):
        for article in topic.articles:
            lines = article.text.split("\n")
            paragraph = " ".join(lines)
            truth, offset = set(), 0
            for line in lines[:-1]:
                offset += len(line) + 1
                truth.add(offset)
            docs.append((paragraph, truth))
    print(
        f"DUC 2007 SCU-marked articles: {len(docs)}, true boundaries {sum(len(t) for _, t in docs)}"
    )
    print(f"  {'splitter':28s} {'P':>6s} {'R':>6s} {'F1':>6s} {'time':>7s}")
    splitters: dict[str, Splitter] = {
        "copydesk split_sentences": _copydesk,
        "nupunkt 0.8 alone": _nupunkt,
        "sentencex 1.0": _sentencex,
        "union of both": _union,
    }
    for name, split in splitters.items():
        tp = predicted = gold = 0
        began = time.perf_counter()
        for paragraph, truth in docs:
            found = split(paragraph)
            tp += len(found & truth)
            predicted += len(found)
            gold += len(truth)
        elapsed = time.perf_counter() - began
        p, r = tp / max(1, predicted), tp / max(1, gold)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {name:28s} {p:6.3f} {r:6.3f} {f:6.3f} {elapsed:6.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
