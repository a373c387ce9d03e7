"""Citation faithfulness of the brief: does each cited article state the sentence in full?

Why: a brief sentence cites an article to say "this source says this". The aligner joins
sentences that state the same fact; the wording the brief shows may still say more than
some of the joined sentences (a second half only one article gives). This checker runs
the analysis and, for every (brief sentence, cited article) pair, asks whether the
article's aligned wording states the sentence in full: its figures, dates and names, and
enough of its content stems, or as many in other words with a sentence vector close to
the sentence's (:func:`copydesk.analyze.faithful.states`; the checker embeds with the
analysis's model). It prints the
share of pairs that do, per corpus (with the number of lines and of lines citing two
independent groups or more: what faithfulness costs in corroboration), and with
``--show`` the pairs that do not.

What is counted. Sentences of the ``corroborated`` and ``single-source`` sections. The
wording of an article is its mentions of the sentence's claim, read together; an article
with no mention in the claim (a copy, credited through its representative) is checked
against each of its sentences. Discrepancy lines (sentences giving a version of a
disputed detail, each citing the articles that give the version and state the sentence)
are counted apart, each cited article checked against each of its sentences (stems only).

Usage: ``python benchmarks/citations.py [--duc N] [--basil N] [--show]`` (defaults: 3 DUC
2007 topics, 5 BASIL events; about a minute on two cores, more on a shared machine).
``--fit`` prints instead the sweeps from which the bars of ``faithful`` were read: the
containment bar on the SCU-marked DUC 2007 corpus, and the rewrite test (cosine, length,
floor) on those pairs and on MRPC train (a minute: the sentences are embedded).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt

from _corpora import SHARED, load_basil, load_duc
from copydesk import analyze
from copydesk.analyze import analyze_story
from copydesk.analyze.faithful import (
    CONTAINMENT,
    RESTATED,
    REWRITE_FLOOR,
    REWRITE_LENGTH,
    Facts,
    containment,
    facts,
    joined,
    states,
    states_facts,
)
from copydesk.embed import Embedder, default_embedder, encode_distinct
from copydesk.models import Article, StoryAnalysis
from copydesk.pipeline import AnalyzeOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = SHARED / "seeds"
SAMPLES = ROOT / "samples"
SWEEP = (0.0, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0)


@dataclass(slots=True)
class Tally:
    pairs: int = 0
    full: int = 0
    lines: int = 0
    corroborated: int = 0  # lines citing two independent groups or more
    misses: list[str] = field(default_factory=list)

    def share(self) -> str:
        return f"{self.full / self.pairs:.3f}" if self.pairs else "n/a"


class Near:
    """Cosine of sentence vectors, each text embedded once: what ``faithful`` reads as a
    rewrite stating a sentence in other words (:data:`faithful.RESTATED`)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.vectors: dict[str, npt.NDArray[np.float32]] = {}

    def best(self, sentence: str, texts: Sequence[str]) -> float:
        """The best cosine of ``texts`` to ``sentence`` (or to each text's own sentence)."""
        missing = [t for t in dict.fromkeys([sentence, *texts]) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, encode_distinct(self.embedder, missing), strict=True))
        mine = self.vectors[sentence]
        return max((float(self.vectors[t] @ mine) for t in texts), default=0.0)


def check(
    story: StoryAnalysis, articles: dict[str, Article], claim: Tally, dispute: Tally, near: Near
) -> None:
    """Add every (brief sentence, cited article) pair of ``story`` to a tally."""
    mentions = {c.id: c.mentions for c in story.claims}
    for sentence in story.brief:
        tally = dispute if sentence.section.startswith("discrepancy") else claim
        tally.lines += 1
        tally.corroborated += sentence.groups >= 2
        for article in sentence.sources:
            texts = [
                articles[m.article].text[m.start : m.end]
                for m in mentions.get(sentence.claim or "", ())
                if m.article == article
            ]
            art = articles[article]
            if sentence.section.startswith("discrepancy"):  # the version, by its stems
                ok = any(states(art.sentence_text(s), sentence.text) for s in art.sentences)
            elif not texts:  # a copy, credited through its representative: any sentence
                ok = any(
                    states(t, sentence.text, cosine=near.best(sentence.text, [t]))
                    for t in (art.sentence_text(s) for s in art.sentences)
                )
            else:
                ok = states(joined(texts), sentence.text, cosine=near.best(sentence.text, texts))
            tally.pairs += 1
            tally.full += ok
            if not ok:
                tally.misses.append(f"{article}: {sentence.text[:110]}")


def check_claims(
    story: StoryAnalysis, articles: dict[str, Article], tally: Tally, near: Near, cited: Tally
) -> None:
    """Add every (claim of two articles or more, listed article) pair of ``story``: does
    the article's wording of the claim (its mentions read together) state the claim's
    ``text`` in full? ``tally`` counts every listed article, ``cited`` those that
    ``report.json`` does not mark ``partial`` (the articles it cites the text to)."""
    for c in story.claims:
        if c.kind != "statement" or len(c.articles) < 2:
            continue
        tally.lines += 1
        tally.corroborated += c.groups >= 2
        by: dict[str, list[str]] = defaultdict(list)
        for m in sorted(c.mentions, key=lambda m: (m.article, m.start)):
            by[m.article].append(articles[m.article].text[m.start : m.end])
        for article in c.articles:
            if article not in by:  # a copy, credited through its representative
                continue
            ok = states(joined(by[article]), c.text, cosine=near.best(c.text, by[article]))
            tally.pairs += 1
            tally.full += ok
            if not ok:
                tally.misses.append(f"{c.id} {article}: {c.text[:110]}")
            if article not in c.partial:  # what report.json cites the text to
                cited.pairs += 1
                cited.full += ok


def _stories_of(
    groups: Iterable[Sequence[Article]], embedder: Embedder
) -> Iterable[tuple[StoryAnalysis, dict[str, Article]]]:
    from copydesk.models import Story

    for arts in groups:
        story = Story(min(a.id for a in arts), arts[0].title, tuple(a.id for a in arts))
        yield analyze_story(story, list(arts), embedder=embedder), {a.id: a for a in arts}


def _labelled_groups(
    articles: Sequence[Article], labels: Sequence[str], n: int, per: int
) -> list[list[Article]]:
    by: dict[str, list[Article]] = defaultdict(list)
    for a, label in zip(articles, labels, strict=True):
        by[label].append(a)
    chosen = [by[k] for k in sorted(by)][:n]
    return [arts[:per] if per else arts for arts in chosen]


def run(args: argparse.Namespace) -> None:
    embedder = default_embedder()
    corpora: dict[str, Iterable[tuple[StoryAnalysis, dict[str, Article]]]] = {}

    def piles(paths: list[str], one: bool) -> Iterable[tuple[StoryAnalysis, dict[str, Article]]]:
        report = analyze(paths, options=AnalyzeOptions(one_story=one))
        by_id = {a.id: a for a in report.articles}
        return ((s, by_id) for s in report.stories)

    if SEEDS.exists():
        corpora["seeds"] = piles([str(p) for p in sorted(SEEDS.glob("*.txt"))], True)
    corpora["samples (story)"] = piles([str(SAMPLES / "story")], True)
    corpora["samples (all)"] = piles([str(SAMPLES)], False)
    if args.duc:
        duc = load_duc("main")
        groups = _labelled_groups(duc.articles, duc.labels, args.duc, args.per_topic)
        corpora[f"DUC 2007 ({args.duc} topics)"] = _stories_of(groups, embedder)
    if args.basil:
        basil = load_basil()
        groups = _labelled_groups(basil.articles, basil.labels, args.basil, 0)
        corpora[f"BASIL ({args.basil} events)"] = _stories_of(groups, embedder)
    near = Near(embedder)
    for name, stories in corpora.items():
        claim, dispute, listed, cited = Tally(), Tally(), Tally(), Tally()
        for story, by_id in stories:
            check(story, by_id, claim, dispute, near)
            check_claims(story, by_id, listed, near, cited)
        print(
            f"{name:24} claim lines: {claim.full}/{claim.pairs} = {claim.share()} "
            f"({claim.lines} lines, {claim.corroborated} of 2+ groups)   "
            f"discrepancy lines: {dispute.full}/{dispute.pairs} = {dispute.share()}   "
            f"report claims: {listed.full}/{listed.pairs} = {listed.share()} "
            f"({listed.lines} claims, {listed.corroborated} of 2+ groups; "
            f"less those marked partial: {cited.full}/{cited.pairs} = {cited.share()})"
        )
        if args.show:
            for miss in claim.misses:
                print(f"    not in full: {miss}")
            for miss in listed.misses:
                print(f"    claim text not in full: {miss}")
        sys.stdout.flush()


def fit() -> None:
    """Sweep the containment bar on SCU-marked DUC 2007 sentence pairs, then the rewrite
    test (:data:`faithful.RESTATED`, :data:`faithful.REWRITE_LENGTH`) on those pairs and
    on MRPC train.

    The population is what the brief compares: pairs of sentences of different articles
    that share a content unit (the aligner's job is to join those). A pair (A, B) is
    gold "B states A in full" when every SCU of A is an SCU of B. Figures, dates and
    names are required as in ``faithful``; the sweep reads the containment bar. On MRPC
    a pair is gold "in full" when it is a paraphrase (each states the other).
    """
    from align_duc import DEFAULT, read_corpus

    embedder = default_embedder()
    rows: list[Row] = []
    for topic in read_corpus(DEFAULT):
        sents = []
        for article in topic.articles:
            for s in article.sentences:
                sents.append((article.id, article.text[s.start : s.end]))
        marked = [k for k in range(len(sents)) if topic.scus[k]]
        found = encode_distinct(embedder, [sents[k][1] for k in marked])
        vectors = dict(zip(marked, found, strict=True))
        for i, j in combinations(marked, 2):
            (ai, ta), (aj, tb) = sents[i], sents[j]
            sa, sb = topic.scus[i], topic.scus[j]
            if ai == aj or not (sa & sb):
                continue
            cosine = float(vectors[i] @ vectors[j])
            fa, fb = facts(ta), facts(tb)
            rows.append(Row.of(fa, fb, cosine, sa <= sb))
            rows.append(Row.of(fb, fa, cosine, sb <= sa))
    gold = sum(r.gold for r in rows)
    print(f"{len(rows)} directed pairs sharing an SCU, {gold} in full by the SCUs")
    print("bar   precision recall  F1    F0.5  (pairs called 'in full')")
    for bar in SWEEP:
        called = [r for r in rows if r.given and r.containment >= bar]
        tp = sum(r.gold for r in called)
        p = tp / len(called) if called else 0.0
        r = tp / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        mark = "  <- CONTAINMENT" if abs(bar - CONTAINMENT) < 1e-9 else ""
        print(f"{bar:4.2f}  {p:9.3f} {r:6.3f} {f1:5.3f} {f05:5.3f}  ({len(called)}){mark}")
    _rewrite_sweep("DUC 2007 SCU pairs", rows)
    _rewrite_sweep("MRPC train (paraphrase = in full)", _mrpc_rows(embedder))


@dataclass(frozen=True, slots=True)
class Row:
    """One directed pair: does the wording state the sentence in full?"""

    containment: float
    given: bool  # every figure, date and name of the sentence
    cosine: float
    length: float  # the wording's content stems over the sentence's
    gold: bool

    @classmethod
    def of(cls, sentence: Facts, wording: Facts, cosine: float, gold: bool) -> Row:
        length = len(wording.stems) / max(1, len(sentence.stems))
        return cls(
            containment(sentence, wording),
            states_facts(sentence, wording, 0.0),
            cosine,
            length,
            gold,
        )


def _mrpc_rows(embedder: Embedder) -> list[Row]:
    from _mrpc import load_grouped
    from similarity_mrpc import DEFAULT as MRPC

    a, b, y, _ = load_grouped(MRPC)
    va, vb = encode_distinct(embedder, a), encode_distinct(embedder, b)
    return [
        Row.of(facts(x), facts(z), float(u @ v), bool(label))
        for x, z, u, v, label in zip(a, b, va, vb, y, strict=True)
    ]


def _rewrite_sweep(name: str, rows: Sequence[Row]) -> None:
    """What the rewrite test adds to the stem test: pairs and how many are in full."""
    stems = [r for r in rows if r.given and r.containment >= CONTAINMENT]
    rest = [r for r in rows if r.given and r.containment < CONTAINMENT]
    precision = sum(r.gold for r in stems) / max(1, len(stems))
    base = sum(r.gold for r in rest) / max(1, len(rest))
    print(f"\n{name}: the stem test calls {len(stems)} in full, precision {precision:.3f};")
    print(f"of the {len(rest)} it rejects with every figure, date and name given, {base:.3f} are")
    print("cosine  length  floor  added  in full")
    for cosine in (0.70, 0.75, 0.80, 0.85):
        for length, floor in ((0.0, 0.0), (REWRITE_LENGTH, 0.0), (REWRITE_LENGTH, REWRITE_FLOOR)):
            added = [
                r
                for r in rest
                if r.cosine >= cosine and r.length >= length and r.containment >= floor
            ]
            share = sum(r.gold for r in added) / len(added) if added else 0.0
            shipped = (cosine, length, floor) == (RESTATED, REWRITE_LENGTH, REWRITE_FLOOR)
            mark = "  <- shipped" if shipped else ""
            print(
                f"{cosine:6.2f}  {length:6.2f}  {floor:5.2f}  {len(added):5d}  {share:7.3f}{mark}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duc", type=int, default=3, help="DUC 2007 main topics (0: none)")
    parser.add_argument("--per-topic", type=int, default=12, help="articles a DUC topic (0: all)")
    parser.add_argument("--basil", type=int, default=5, help="BASIL events (0: none)")
    parser.add_argument("--show", action="store_true", help="print the pairs not in full")
    parser.add_argument("--fit", action="store_true", help="the DUC sweep of the bar instead")
    args = parser.parse_args()
    if args.fit:
        fit()
    else:
        run(args)


if __name__ == "__main__":
    main()
