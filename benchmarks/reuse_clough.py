"""Text reuse on the Clough & Stevenson short-answer corpus: does copydesk see copying?

Why: ``copydesk.analyze.reuse.find_reuse`` decides whether one article reuses another
(``substantial``), how much of each the other covers and who copied whom. The corpus has
95 answers to five questions, each written against a Wikipedia source with a known level
of reuse: ``cut`` (copy and paste), ``light`` and ``heavy`` revision, or ``non``
(written independently from other material). A good reuse score ranks them in that
order, flags the first three as substantial and not the last, and, when it flags reuse,
says the answer derives from the source.

How: ``python benchmarks/reuse_clough.py [--corpus PATH]``, where ``--corpus`` is the
folder holding ``all-plagiarised-files.txt`` and the texts (default
``../shared/corpora/clough-short-answers/Corpus``).

For each listed pair the source (id ``orig_taskX``) and the answer (id: its file stem)
are cleaned together with ``clean_documents`` (text kind), scored with ``build_units``
and ``find_reuse(source, answer, units)``, so ``a`` is the source and ``b`` the answer:
``coverage_b`` is the share of the answer that the source covers and a correct direction
is ``"a->b"``. ``phrase_overlap`` gives the share of each text's word trigrams that the
other has; its larger share is the second score. ``coverage_a`` (the share of the source
that the answer covers) and ``verbatim_chars`` are printed too, for context: the direction
rests on the two coverages. Texts are read as UTF-8 (every file of the distributed corpus
decodes as UTF-8) and fall back to cp1252 for any that does not.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from copydesk.analyze.reuse import find_reuse, phrase_overlap
from copydesk.analyze.units import build_units
from copydesk.clean import clean_documents
from copydesk.embed import default_embedder
from copydesk.models import RawDocument

DEFAULT = Path(__file__).resolve().parents[2] / "shared/corpora/clough-short-answers/Corpus"
LISTING = "all-plagiarised-files.txt"
LABELS = ("cut", "light", "heavy", "non")  # most reuse first
ORDINAL = {"cut": 3, "light": 2, "heavy": 1, "non": 0}


@dataclass(frozen=True, slots=True)
class Result:
    """What copydesk found for one (source, answer) pair."""

    answer: str
    label: str
    coverage_a: float
    coverage_b: float
    phrase_share: float
    verbatim_chars: int
    substantial: bool
    direction: str | None


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_listing(base: Path) -> list[tuple[str, str, str]]:
    rows = []
    with (base / LISTING).open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) == 3 and row[2].strip() in ORDINAL:
                rows.append((row[0].strip(), row[1].strip(), row[2].strip()))
    return rows


def score_pair(base: Path, orig: str, derived: str, label: str) -> Result:
    a_id, b_id = Path(orig).stem, Path(derived).stem
    docs = [
        RawDocument(source=str(base / name), raw=read_text(base / name), kind="text", id=doc_id)
        for name, doc_id in ((orig, a_id), (derived, b_id))
    ]
    articles, failures = clean_documents(docs)
    if failures or len(articles) != 2:
        lost = ", ".join(f.source for f in failures)
        raise RuntimeError(f"cleaning gave no text for {lost or derived}")
    a, b = articles
    units = build_units([a, b], default_embedder())
    reuse = find_reuse(a, b, units)
    phrases = phrase_overlap(a.text, b.text)
    return Result(
        answer=b_id,
        label=label,
        coverage_a=reuse.coverage_a,
        coverage_b=reuse.coverage_b,
        phrase_share=max(phrases.share_a, phrases.share_b),
        verbatim_chars=reuse.verbatim_chars,
        substantial=reuse.substantial,
        direction=reuse.direction,
    )


def report(results: list[Result]) -> None:
    ordinal = np.array([ORDINAL[r.label] for r in results])
    scores = {
        "coverage_b": np.array([r.coverage_b for r in results]),
        "max phrase share": np.array([r.phrase_share for r in results]),
        "coverage_a": np.array([r.coverage_a for r in results]),
        "verbatim chars": np.array([r.verbatim_chars for r in results], dtype=float),
    }
    labels = np.array([r.label for r in results])
    print(f"{'score':18} {'label':6} {'n':>3} {'mean':>8} {'median':>8} {'min':>8} {'max':>8}")
    for name, values in scores.items():
        means = {}
        for label in LABELS:
            chosen = values[labels == label]
            means[label] = float(chosen.mean())
            print(
                f"{name:18} {label:6} {len(chosen):3d} {chosen.mean():8.3f} "
                f"{np.median(chosen):8.3f} {chosen.min():8.3f} {chosen.max():8.3f}"
            )
        ordered = all(means[x] > means[y] for x, y in pairwise(LABELS))
        rho = spearmanr(values, ordinal).statistic
        print(
            f"{name:18} means rank cut > light > heavy > non: {'yes' if ordered else 'no'}; "
            f"Spearman rho with the label (cut=3 ... non=0): {rho:.3f}\n"
        )

    print(
        f"{'label':6} {'n':>3} {'substantial':>12} {'ideal':>6} {'a->b':>6} {'b->a':>6} {'none':>6}"
    )
    for label in LABELS:
        chosen = [r for r in results if r.label == label]
        flagged = [r for r in chosen if r.substantial]
        directions = [r.direction for r in flagged]
        print(
            f"{label:6} {len(chosen):3d} {len(flagged) / len(chosen):12.1%} "
            f"{'no' if label == 'non' else 'yes':>6} {directions.count('a->b'):6d} "
            f"{directions.count('b->a'):6d} {directions.count(None):6d}"
        )
    reused = [r for r in results if r.label != "non"]
    non = [r for r in results if r.label == "non"]
    hits = sum(r.substantial for r in reused)
    false_alarms = sum(r.substantial for r in non)
    print(
        f"substantial: {hits}/{len(reused)} reused answers flagged (recall "
        f"{hits / len(reused):.1%}), {false_alarms}/{len(non)} independent answers flagged"
    )
    flagged = [r for r in results if r.substantial]
    if flagged:
        right = sum(r.direction == "a->b" for r in flagged)
        print(
            f"direction among the {len(flagged)} substantial pairs: {right} "
            f"({right / len(flagged):.1%}) source -> answer ('a->b'), "
            f"{sum(r.direction == 'b->a' for r in flagged)} reversed, "
            f"{sum(r.direction is None for r in flagged)} undecided"
        )
    missed = [r.answer for r in reused if not r.substantial]
    alarms = [r.answer for r in non if r.substantial]
    print(f"missed reuse: {', '.join(missed) or 'none'}")
    print(f"false alarms: {', '.join(alarms) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT, help=f"the folder holding {LISTING}"
    )
    args = parser.parse_args()
    if not (args.corpus / LISTING).is_file():
        sys.exit(
            f"Clough & Stevenson corpus not found: no {LISTING} in {args.corpus}; pass --corpus"
        )
    began = time.perf_counter()
    rows = read_listing(args.corpus)
    if not rows:
        sys.exit(f"{args.corpus / LISTING} lists no (source, answer, label) rows")
    results = [score_pair(args.corpus, *row) for row in rows]
    counts = ", ".join(f"{sum(r.label == x for r in results)} {x}" for x in LABELS)
    print(f"Clough & Stevenson short answers: {len(results)} pairs ({counts})\n")
    report(results)
    print(f"\nwall time: {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
