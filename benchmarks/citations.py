"""Citation faithfulness of the brief: does each cited article state the sentence in full?

Why: a brief sentence cites an article to say "this source says this". The aligner joins
sentences that state the same fact; the wording the brief shows may still say more than
some of the joined sentences (a second half only one article gives). This checker runs
the analysis and, for every (brief sentence, cited article) pair, asks whether the
article's aligned wording states the sentence in full: its figures, dates and names, and
enough of its content stems (:func:`copydesk.analyze.faithful.states`). It prints the
share of pairs that do, per corpus (with the number of lines and of lines citing two
independent groups or more: what faithfulness costs in corroboration), and with
``--show`` the pairs that do not.

What is counted. Sentences of the ``corroborated`` and ``single-source`` sections. The
wording of an article is its mentions of the sentence's claim, read together; an article
with no mention in the claim (a copy, credited through its representative) is checked
against each of its sentences. Discrepancy lines (one per version of a disputed detail,
citing every article that gives the version) are counted apart: they promise the version,
not the whole sentence around it.

Usage: ``python benchmarks/citations.py [--duc N] [--basil N] [--show]`` (defaults: 3 DUC
2007 topics, 5 BASIL events; about a minute on two cores, more on a shared machine).
``--fit`` prints instead the sweep on the SCU-marked DUC 2007 corpus from which the
containment bar of ``faithful`` was read (lexical only, no model; seconds).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from _corpora import SHARED, load_basil, load_duc
from copydesk import analyze
from copydesk.analyze import analyze_story
from copydesk.analyze.faithful import CONTAINMENT, containment, facts, joined, states, states_facts
from copydesk.embed import Embedder, default_embedder
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


def check(story: StoryAnalysis, articles: dict[str, Article], claim: Tally, dispute: Tally) -> None:
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
            if sentence.section.startswith("discrepancy") or not texts:
                art = articles[article]
                texts = [art.text[s.start : s.end] for s in art.sentences]
                ok = any(states(t, sentence.text) for t in texts)
            else:
                ok = states(joined(texts), sentence.text)
            tally.pairs += 1
            tally.full += ok
            if not ok:
                tally.misses.append(f"{article}: {sentence.text[:110]}")


def check_claims(story: StoryAnalysis, articles: dict[str, Article], tally: Tally) -> None:
    """Add every (claim of two articles or more, listed article) pair of ``story``: does
    the article's wording of the claim (its mentions read together) state the claim's
    ``text`` in full? What ``report.json`` promises about a claim's ``articles``."""
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
            ok = states(joined(by[article]), c.text)
            tally.pairs += 1
            tally.full += ok
            if not ok:
                tally.misses.append(f"{c.id} {article}: {c.text[:110]}")


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
    for name, stories in corpora.items():
        claim, dispute, listed = Tally(), Tally(), Tally()
        for story, by_id in stories:
            check(story, by_id, claim, dispute)
            check_claims(story, by_id, listed)
        print(
            f"{name:24} claim lines: {claim.full}/{claim.pairs} = {claim.share()} "
            f"({claim.lines} lines, {claim.corroborated} of 2+ groups)   "
            f"discrepancy lines: {dispute.full}/{dispute.pairs} = {dispute.share()}   "
            f"report claims: {listed.full}/{listed.pairs} = {listed.share()} "
            f"({listed.lines} claims, {listed.corroborated} of 2+ groups)"
        )
        if args.show:
            for miss in claim.misses:
                print(f"    not in full: {miss}")
            for miss in listed.misses:
                print(f"    claim text not in full: {miss}")
        sys.stdout.flush()


def fit() -> None:
    """Sweep the containment bar on SCU-marked DUC 2007 sentence pairs.

    The population is what the brief compares: pairs of sentences of different articles
    that share a content unit (the aligner's job is to join those). A pair (A, B) is
    gold "B states A in full" when every SCU of A is an SCU of B. Figures, dates and
    names are required as in ``faithful``; the sweep reads the containment bar.
    """
    from align_duc import DEFAULT, read_corpus

    rows: list[tuple[float, bool, bool]] = []  # containment, other facts given, gold
    for topic in read_corpus(DEFAULT):
        sents = []
        for article in topic.articles:
            for s in article.sentences:
                sents.append((article.id, facts(article.text[s.start : s.end])))
        for (i, (ai, fa)), (j, (aj, fb)) in combinations(enumerate(sents), 2):
            sa, sb = topic.scus[i], topic.scus[j]
            if ai == aj or not (sa & sb):
                continue
            for f, g, s, t in ((fa, fb, sa, sb), (fb, fa, sb, sa)):
                rows.append((containment(f, g), states_facts(f, g, 0.0), s <= t))
    gold = sum(r[2] for r in rows)
    print(f"{len(rows)} directed pairs sharing an SCU, {gold} in full by the SCUs")
    print("bar   precision recall  F1    F0.5  (pairs called 'in full')")
    for bar in SWEEP:
        called = [r for r in rows if r[1] and r[0] >= bar]
        tp = sum(r[2] for r in called)
        p = tp / len(called) if called else 0.0
        r = tp / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        mark = "  <- CONTAINMENT" if abs(bar - CONTAINMENT) < 1e-9 else ""
        print(f"{bar:4.2f}  {p:9.3f} {r:6.3f} {f1:5.3f} {f05:5.3f}  ({len(called)}){mark}")


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
