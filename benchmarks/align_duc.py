"""Claim alignment on the SCU-marked DUC 2007 documents: pairwise P, R and F1.

Why: ``copydesk.analyze.align`` groups sentences of different articles into claims (one
fact, many mentions). The University of Ottawa SCU-marked DUC 2007 corpus tags source
sentences with the pyramid content units (SCUs) they express, which gives a gold answer
to "do these two sentences of different articles state the same thing?". This script
measures how well the claims answer it and sweeps the two thresholds of ``align`` so that
they can be picked on this corpus.

How: ``python benchmarks/align_duc.py [--corpus PATH] [--sweep]``. ``--corpus`` is the
``DUC2007`` folder holding "2007 SCU-marked corpus" and "2007 SCU-marked update corpus"
(default ``../shared/corpora/duc2007/DUC_data/DUC2007``). Without ``--sweep`` it prints
the figure at the thresholds now in ``align``; ``--sweep`` adds the threshold sweep.

What is measured. Each ``.scu`` file (a main-task topic, or one A/B/C slice of an update
topic) is one story; each ``<document>`` one article; each ``<line>`` one sentence, so the
corpus's own sentence boundaries are used, not copydesk's splitter. Every line is a unit,
annotated or not, and every document is kept, including those without any SCU: a real
story has such sentences and the aligner must cope with them. A line's gold content is
the set of SCU uids in its ``<annotation>`` (possibly empty; ``sum-count`` without SCUs
counts as empty). Pairs are sentences of different articles; a pair is gold-positive if
the two share an SCU, and predicted-positive if some claim has both as mentions (a
sentence may be in several claims). Counts are summed over topics (micro-average).

Two views of the same predictions are printed:

* ``all pairs``: every cross-article pair. SCUs were only marked for content that made
  it into the human summaries, so two unannotated sentences reporting the same minor fact
  count as a false positive here: this precision is a lower bound.
* ``SCU pairs``: only pairs whose two sentences both carry at least one SCU, where the
  gold is complete (the negatives are summary-worthy sentences about other content).

Every article is its own source group. Baselines: every sentence its own claim (no
predicted pairs: P undefined, R 0), and thresholding a pair score directly at its best
F1 (MiniLM cosine, and copydesk's same-fact score ``units.scores``): an upper reference
for a pairwise decision, whose threshold is fitted on the test data itself.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

import _context
import _duc
from copydesk.analyze import align
from copydesk.analyze import units as units_module
from copydesk.analyze.clauses import split_clauses
from copydesk.analyze.units import StoryUnits, build_units
from copydesk.embed import Embedder, MiniLMEmbedder, default_embedder
from copydesk.models import Article, Claim, Sentence

DEFAULT = _duc.DEFAULT
CORPORA = dict(zip(("main", "update"), _duc.CORPORA, strict=True))
SWEEP = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
NO_ATTACH = 2.0  # above any score: no sentence is ever attached to a second claim
VIEWS = ("all", "scu")
BINS = np.linspace(-1.0, 1.0, 2001)

Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Topic:
    """One SCU-marked file: its articles and the gold SCUs of each sentence, in order."""

    corpus: str
    name: str
    articles: tuple[Article, ...]
    scus: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A topic embedded and scored once, with its gold pair matrix and pair masks."""

    topic: Topic
    units: StoryUnits
    clauses: StoryUnits  # what align_claims runs on, as in copydesk.analyze_story
    gold: Bool
    masks: dict[str, Bool]  # view -> cross-article upper-triangle pairs counted in it


@dataclass(slots=True)
class Counts:
    """Pair counts summed over topics: true positives, predicted and gold positives."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    def prf(self) -> tuple[float | None, float, float]:
        precision = self.tp / self.predicted if self.predicted else None
        recall = self.tp / self.gold if self.gold else 0.0
        if precision is None or precision + recall == 0:
            return precision, recall, 0.0
        return precision, recall, 2 * precision * recall / (precision + recall)


@dataclass(slots=True)
class PairHistogram:
    """Histograms of a pair score over all pairs and gold pairs, to find the best cut."""

    total: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(len(BINS) - 1, np.int64))
    positive: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(len(BINS) - 1, np.int64)
    )

    def add(self, scores: npt.NDArray[np.floating], gold: Bool, mask: Bool) -> None:
        self.total += np.histogram(scores[mask], BINS)[0]
        self.positive += np.histogram(scores[mask & gold], BINS)[0]

    def best(self) -> tuple[float, float, float, float]:
        """Precision, recall, F1 and threshold of the best-F1 cut ``score >= threshold``."""
        predicted = np.cumsum(self.total[::-1])[::-1]
        tp = np.cumsum(self.positive[::-1])[::-1]
        gold = max(1, int(self.positive.sum()))
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = np.where(predicted > 0, tp / predicted, 0.0)
            recall = tp / gold
            f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0)
        i = int(np.argmax(f1))
        return float(precision[i]), float(recall[i]), float(f1[i]), float(BINS[i])


# ---- reading --------------------------------------------------------------------------


def _article(doc_id: str, source: str, lines: Sequence[str]) -> Article:
    text = "\n".join(lines)
    sentences = []
    start = 0
    for line in lines:
        sentences.append(Sentence(start, start + len(line)))
        start += len(line) + 1
    return Article(
        id=doc_id,
        source=source,
        text=text,
        title=None,
        outlet=None,
        published=_duc.wire_date(doc_id),
        url=None,
        author=None,
        sentences=tuple(sentences),
        dropped=(),
        raw=text,
    )


def read_topic(path: Path, corpus: str) -> Topic:
    name, lines = _duc.read(path)
    by_article: dict[str, list[str]] = {}
    for line in lines:
        by_article.setdefault(line.article, []).append(line.text)
    articles = tuple(_article(a, f"{path}#{a}", texts) for a, texts in by_article.items())
    return Topic(corpus, name, articles, tuple(line.scus for line in lines))


def read_corpus(base: Path) -> Iterator[Topic]:
    for path in _duc.topic_files(base):
        yield read_topic(path, "main" if path.parent.name == CORPORA["main"] else "update")


# ---- scoring --------------------------------------------------------------------------


def prepare(topic: Topic, embedder: Embedder | None = None) -> Prepared:
    embedder = embedder or default_embedder()
    units = build_units(topic.articles, embedder)
    if len(units.units) != len(topic.scus):
        raise RuntimeError(f"{topic.name}: {len(units.units)} units for {len(topic.scus)} lines")
    n = len(units.units)
    vocab = sorted(set().union(*topic.scus))
    column = {uid: j for j, uid in enumerate(vocab)}
    marks = np.zeros((n, max(1, len(vocab))), dtype=np.float32)
    for i, uids in enumerate(topic.scus):
        for uid in uids:
            marks[i, column[uid]] = 1.0
    gold = (marks @ marks.T) > 0
    owner = np.array([u.article for u in units.units])
    cross = np.triu(owner[:, None] != owner[None, :], k=1)
    annotated = marks.any(axis=1)
    masks = {"all": cross, "scu": cross & annotated[:, None] & annotated[None, :]}
    return Prepared(topic, units, split_clauses(units, embedder), gold, masks)


def predicted_pairs(prepared: Prepared, claims: Sequence[Claim]) -> Bool:
    """Sentence pairs that share a claim (a clause's mention counts for its sentence)."""
    index = {(u.article, u.start, u.end): u.sentence for u in prepared.clauses.units}
    n = len(prepared.units.units)
    pairs = np.zeros((n, n), dtype=bool)
    for claim in claims:
        members = [index[(m.article, m.start, m.end)] for m in claim.mentions]
        pairs[np.ix_(members, members)] = True
    return pairs


def count(prepared: Prepared, pairs: Bool) -> dict[str, Counts]:
    out = {}
    for view, mask in prepared.masks.items():
        out[view] = Counts(
            tp=int(np.count_nonzero(pairs & prepared.gold & mask)),
            predicted=int(np.count_nonzero(pairs & mask)),
            gold=int(np.count_nonzero(prepared.gold & mask)),
        )
    return out


def evaluate(
    topics: Sequence[Prepared], claim: float, attach: float
) -> tuple[dict[tuple[str, str], Counts], int]:
    """Counts per (corpus, view), with corpus ``overall`` too, and the number of claims."""
    saved = align.CLAIM_THRESHOLD, align.ATTACH_THRESHOLD
    align.CLAIM_THRESHOLD, align.ATTACH_THRESHOLD = claim, attach
    totals: dict[tuple[str, str], Counts] = {}
    claims_made = 0
    try:
        for prepared in topics:
            groups = {a.id: i for i, a in enumerate(prepared.topic.articles)}
            published = {a.id: a.published for a in prepared.topic.articles}
            claims = align.align_claims(prepared.units, groups, prepared.clauses, published)
            claims_made += len(claims)
            for view, counts in count(prepared, predicted_pairs(prepared, claims)).items():
                for corpus in (prepared.topic.corpus, "overall"):
                    totals.setdefault((corpus, view), Counts()).add(counts)
    finally:
        align.CLAIM_THRESHOLD, align.ATTACH_THRESHOLD = saved
    return totals, claims_made


# ---- printing -------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "    n/a" if value is None else f"{value:7.3f}"


def _row(label: str, counts: Counts) -> str:
    p, r, f = counts.prf()
    return (
        f"{label:24} {_fmt(p)} {_fmt(r)} {_fmt(f)} {counts.tp:9d} {counts.predicted:10d} "
        f"{counts.gold:8d}"
    )


HEADER = f"{'':24} {'P':>7} {'R':>7} {'F1':>7} {'TP':>9} {'predicted':>10} {'gold':>8}"


def print_sweep(topics: Sequence[Prepared], attach_offset: float | None) -> None:
    title = (
        f"ATTACH_THRESHOLD = CLAIM_THRESHOLD + {attach_offset}"
        if attach_offset is not None
        else f"attach disabled (ATTACH_THRESHOLD = {NO_ATTACH})"
    )
    print(f"\nSweep, {title}; F1 per corpus, P/R/F1 overall")
    print(
        f"{'claim':>5} {'attach':>6} | {'all pairs: main':>15} {'update':>7} {'P':>7} {'R':>7} "
        f"{'F1':>7} | {'SCU pairs: main':>15} {'update':>7} {'P':>7} {'R':>7} {'F1':>7}"
    )
    for claim in SWEEP:
        attach = round(claim + attach_offset, 3) if attach_offset is not None else NO_ATTACH
        totals, _ = evaluate(topics, claim, attach)
        cells = []
        for view in VIEWS:
            main_f = totals[("main", view)].prf()[2]
            update_f = totals[("update", view)].prf()[2]
            p, r, f = totals[("overall", view)].prf()
            cells.append(f"{main_f:15.3f} {update_f:7.3f} {_fmt(p)} {r:7.3f} {f:7.3f}")
        print(f"{claim:5.2f} {attach:6.2f} | {cells[0]} | {cells[1]}")


def centre_topic(fit: str) -> None:
    """An experiment (``--centre``), not the shipped scorer: score with the story's topic
    taken out of the sentence vectors (each vector less its projection on the story's
    mean direction, renormalised, as SIF removes a common component), then ``fit`` the
    centred cosines to the raw ones: ``none``, ``shift`` (same mean) or ``scale`` (same
    mean and spread), so that the thresholds tuned on raw scores still mean something."""
    raw_block = units_module._score_block
    combine = units_module.combine_matrix

    def block(rows, row_vectors, cols, col_vectors):  # type: ignore[no-untyped-def]
        mean = col_vectors.mean(axis=0)
        u = mean / max(float(np.linalg.norm(mean)), 1e-9)
        raw = row_vectors @ col_vectors.T
        cosine = _context.without(row_vectors, u) @ _context.without(col_vectors, u).T
        if fit in ("shift", "scale"):
            spread = float(raw.std()) / max(float(cosine.std()), 1e-6) if fit == "scale" else 1.0
            cosine = (cosine - cosine.mean()) * spread + raw.mean()
        units_module.combine_matrix = lambda _c, lexical: combine(
            np.asarray(cosine, dtype=np.float32), lexical
        )
        try:
            return raw_block(rows, row_vectors, cols, col_vectors)
        finally:
            units_module.combine_matrix = combine

    units_module._score_block = block


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT,
        help="the DUC2007 folder holding the SCU-marked corpora",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="also sweep CLAIM_THRESHOLD, with and without attaching",
    )
    parser.add_argument(
        "--half",
        type=int,
        choices=(0, 1),
        help="only the topics of this half (even or odd index; benchmarks/_duc.py): the "
        "half an encoder trained with train.py --duc on the other half never saw",
    )
    parser.add_argument(
        "--model",
        type=Path,
        help="a folder with another encoder's model.onnx (and its samefact.json combiner)",
    )
    parser.add_argument("--claim", type=float, help="CLAIM_THRESHOLD for this run")
    parser.add_argument("--attach", type=float, help="ATTACH_THRESHOLD for this run")
    parser.add_argument("--anchor", type=float, help="ANCHOR_MIN_SCORE for this run")
    parser.add_argument(
        "--context",
        type=Path,
        help="experiment: cluster on the context score of this model "
        "(benchmarks/context_scores.py --out PATH; not shipped)",
    )
    parser.add_argument(
        "--centre",
        choices=("none", "shift", "scale"),
        help="experiment: score with the story's topic direction taken out of the "
        "vectors, the centred cosines fitted to the raw ones as named (not shipped)",
    )
    args = parser.parse_args()
    if args.centre:
        centre_topic(args.centre)
    for name, value in (
        ("CLAIM_THRESHOLD", args.claim),
        ("ATTACH_THRESHOLD", args.attach),
        ("ANCHOR_MIN_SCORE", args.anchor),
    ):
        if value is not None:
            setattr(align, name, value)
    if args.context:
        _context.cluster_in_context(
            _context.ContextModel.read(args.context),
            align.CLAIM_THRESHOLD,
            align.ATTACH_THRESHOLD,
            align.ANCHOR_MIN_SCORE,
        )
    missing = [f for f in CORPORA.values() if not (args.corpus / f).is_dir()]
    if missing:
        sys.exit(
            f"SCU-marked DUC 2007 corpus not found: {args.corpus} lacks "
            f"{', '.join(repr(m) for m in missing)}; pass --corpus"
        )
    began = time.perf_counter()
    embedder = None
    if args.model is not None:
        # Another encoder (training/samefact) with the combiner fitted for it, if any.
        embedder = MiniLMEmbedder(model=args.model / "model.onnx", name=args.model.name)
        # the module, not the function copydesk.analyze exports under the same name
        similarity = importlib.import_module("copydesk.analyze.similarity")
        if (args.model / "samefact.json").exists():
            similarity.MODEL_PATH = args.model / "samefact.json"
            similarity.model.cache_clear()
        print(f"encoder {args.model / 'model.onnx'}, combiner {similarity.model()}")
    topics = [
        prepare(topic, embedder)
        for index, topic in enumerate(read_corpus(args.corpus))
        if args.half is None or index % 2 == args.half
    ]
    if not topics:
        sys.exit(f"no .scu files under {args.corpus}")
    prepared_s = time.perf_counter() - began
    print("DUC 2007 SCU-marked documents (a line = a sentence; all lines kept as units)")
    for corpus in CORPORA:
        chosen = [p for p in topics if p.topic.corpus == corpus]
        sentences = sum(len(p.units.units) for p in chosen)
        marked = sum(1 for p in chosen for s in p.topic.scus if s)
        docs = sum(len(p.topic.articles) for p in chosen)
        print(
            f"  {corpus:6}: {len(chosen)} topics, {docs} articles, {sentences} sentences, "
            f"{marked} with an SCU ({marked / max(1, sentences):.1%})"
        )
    print(f"embedding and scoring: {prepared_s:.1f} s")

    claim, attach = align.CLAIM_THRESHOLD, align.ATTACH_THRESHOLD
    totals, claims_made = evaluate(topics, claim, attach)
    for view, name in (("all", "all cross-article pairs"), ("scu", "SCU pairs (both marked)")):
        print(f"\nCurrent thresholds (CLAIM_THRESHOLD={claim}, ATTACH_THRESHOLD={attach}), {name}")
        print(HEADER)
        for corpus in (*CORPORA, "overall"):
            print(_row(f"align_claims, {corpus}", totals[(corpus, view)]))
        none = Counts(0, 0, totals[("overall", view)].gold)
        print(_row("each sentence own claim", none))
    print(f"({claims_made} claims over {len(topics)} topics)")

    print("\nReference: one pair score thresholded at its best F1 (cut fitted on this data)")
    print(f"{'':40} {'P':>7} {'R':>7} {'F1':>7} {'threshold':>9}")
    for view, name in (("all", "all pairs"), ("scu", "SCU pairs")):
        cosine, combined = PairHistogram(), PairHistogram()
        for p in topics:
            vectors = p.units.vectors.matrix
            cosine.add(np.clip(vectors @ vectors.T, -1.0, 1.0), p.gold, p.masks[view])
            combined.add(p.units.scores, p.gold, p.masks[view])
        for label, hist in (
            ("MiniLM cosine", cosine),
            ("same-fact score (units.scores)", combined),
        ):
            pr, rc, f1, t = hist.best()
            print(f"{label + ', ' + name:40} {pr:7.3f} {rc:7.3f} {f1:7.3f} {t:9.3f}")

    if args.sweep:
        print_sweep(topics, 0.1)
        print_sweep(topics, None)
    print(f"\nwall time: {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
