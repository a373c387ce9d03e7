"""Sentence boundaries on DUC 2007: copydesk's splitter (nupunkt), sentencex, and both.

    .venv/bin/python benchmarks/sentences_duc.py            # the table
    .venv/bin/python benchmarks/sentences_duc.py --errors   # copydesk's disagreements

The SCU-marked DUC 2007 documents give every article as a list of sentences (the same
files as ``align_duc.py``). Each article's sentences are joined with single spaces into
one paragraph, split again, and every predicted sentence start is compared with the
true ones: precision, recall and F1 of boundaries, summed over all articles.

This is why copydesk splits with nupunkt and not sentencex: sentencex finds a few
boundaries that nupunkt misses ("could enter. Witnesses said"), but the union of the two
also inherits sentencex's abbreviation errors ("Ms. | Price", "8:38 p.m. | Friday") and
measures lower here. copydesk instead takes a second look at full stops after ordinary
lower-case words that nupunkt's learned abbreviation list swallows, and after dotted
acronyms, initials, titles and state, month and company abbreviations
(``clean/sentences.py``).

The gold boundaries come from the corpus's own splitter and are noisy exactly where the
abbreviation rules act: it keeps "hepatitis C. The virus" and "Devil's Lake, N.D. Each
year" as one sentence and splits "Sens. | John McCain". ``--errors`` prints every
disagreement with its context so that a change can be read, not only counted. Times
are measured after one warm-up pass (nupunkt loads its model and fills its caches on
first use, which made whichever splitter ran first look slow).
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


def _print_errors(docs: list[tuple[str, set[int]]]) -> None:
    """copydesk's false splits and missed boundaries, each with 45 characters of context."""
    for paragraph, truth in docs:
        found = _copydesk(paragraph)
        for label, offsets in (("split", found - truth), ("missed", truth - found)):
            for at in sorted(offsets):
                left, right = paragraph[max(0, at - 45) : at], paragraph[at : at + 35]
                print(f"{label:6s} {left!r} | {right!r}")


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--errors"]
    base = Path(args[0]) if args else DEFAULT
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
    if "--errors" in sys.argv[1:]:
        _print_errors(docs)
        return 0
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
    for paragraph, _ in docs:  # warm-up: nupunkt's model and its caches fill on first use
        _copydesk(paragraph)
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
