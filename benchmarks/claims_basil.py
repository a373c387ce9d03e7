"""Claim precision on BASIL events against a read gold set: are the joins right?

Why: a claim says "these sentences of different articles state one fact", and every
count copydesk gives (corroboration, single-source flags, discrepancies) rests on it.
DUC 2007 SCUs only mark what made it into summaries; BASIL's political stories from
three outlets are where wrong joins show (a shared year, one speaker's two remarks, a
headline beside an unrelated sentence). ``claims_gold_basil/claims.jsonl`` holds the
multi-article claims of 15 BASIL events, each read and marked (see its GUIDELINES.md):
which of its member sentences state the same fact.

How: ``python benchmarks/claims_basil.py [--show wrong|unjudged|all]``. The events are
analysed as one story each (as ``findings_basil.py`` does), and every claim that more
than one article states is matched to the gold by its member sentences: a sentence is
found by the hash of its text, or else by its span overlapping a gold sentence of the
same article by half its length (the sentence splitter may have moved a boundary). Each
pair of members from different articles is then looked up: two members of one gold
group state the same fact, two of different groups of one gold claim do not.

* right: every cross-article pair of the claim was judged the same fact;
* wrong: some pair was judged two different facts;
* unjudged: some pair was never judged (a join the gold never saw), the rest agree.

Precision is right / (right + wrong); the unjudged count says how much of the output
the gold does not cover (read those with ``--show unjudged`` and add them to the gold,
as a new round, rather than guess; ``--export FILE`` writes them, texts included, for a
reader outside the repository, as round 2 was made). No sentence text is stored in the
gold: it holds article ids, offsets and hashes; ``--show`` prints the texts from the
corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from _corpora import load_basil
from copydesk.analyze import analyze_story
from copydesk.embed import default_embedder
from copydesk.models import Article, Claim, Mention, Story

GOLD = Path(__file__).resolve().parent / "claims_gold_basil" / "claims.jsonl"

Node = tuple[str, str]  # (article id, sentence hash)


def sentence_hash(text: str) -> str:
    """The hash a gold member is stored under: SHA-1 of the whitespace-normalised text."""
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Gold:
    """Pair verdicts read from the gold claims, and where each gold sentence lies."""

    same: frozenset[frozenset[Node]]
    different: frozenset[frozenset[Node]]
    spans: dict[str, list[tuple[int, int, str]]]  # article -> (start, end, hash)
    events: tuple[str, ...]
    claims: int
    wrong: int


def load_gold(path: Path = GOLD) -> Gold:
    same: set[frozenset[Node]] = set()
    different: set[frozenset[Node]] = set()
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    events: dict[str, None] = {}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for row in rows:
        events[row["event"]] = None
        nodes = [(m["article"], m["sha1"]) for m in row["members"]]
        for m in row["members"]:
            spans[m["article"]].append((m["start"], m["end"], m["sha1"]))
        group_of = {k: g for g, members in enumerate(row["groups"]) for k in members}
        for i, j in combinations(range(len(nodes)), 2):
            if nodes[i][0] == nodes[j][0]:
                continue
            pair = frozenset((nodes[i], nodes[j]))
            (same if group_of[i] == group_of[j] else different).add(pair)
    # A pair judged both ways (in two claims) counts as different: it was wrong once.
    same -= different
    wrong = sum(1 for row in rows if row["verdict"] == "wrong")
    return Gold(frozenset(same), frozenset(different), spans, tuple(events), len(rows), wrong)


def node_of(gold: Gold, article: Article, mention: Mention) -> Node:
    """The gold sentence a mention is: same text, or else a gold span it half overlaps."""
    digest = sentence_hash(article.text[mention.start : mention.end])
    if any(h == digest for _, _, h in gold.spans.get(article.id, ())):
        return (article.id, digest)
    for start, end, h in gold.spans.get(article.id, ()):
        overlap = min(end, mention.end) - max(start, mention.start)
        if overlap > 0 and 2 * overlap >= min(end - start, mention.end - mention.start):
            return (article.id, h)
    return (article.id, digest)


def verdict(gold: Gold, nodes: list[Node]) -> str:
    seen = "right"
    for a, b in combinations(dict.fromkeys(nodes), 2):
        if a[0] == b[0]:
            continue
        pair = frozenset((a, b))
        if pair in gold.different:
            return "wrong"
        if pair not in gold.same:
            seen = "unjudged"
    return seen


def _unjudged_row(event: str, claim: Claim, by_id: dict[str, Article]) -> str:
    """One claim as a JSON line in the gold's form, texts added and no verdict yet."""
    members = []
    for m in claim.mentions:
        text = by_id[m.article].text[m.start : m.end]
        members.append(
            {
                "article": m.article,
                "start": m.start,
                "end": m.end,
                "sha1": sentence_hash(text),
                "text": " ".join(text.split()),
            }
        )
    return json.dumps({"event": event, "claim": claim.id, "members": members}, ensure_ascii=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", choices=("wrong", "unjudged", "all"), default=None)
    parser.add_argument(
        "--export",
        type=Path,
        help="append the unjudged claims to this JSONL file, with their sentence texts, "
        "for a reader to judge (keep it outside the repository: BASIL text stays in "
        "../shared); the verdicts then go into claims.jsonl without the texts",
    )
    parser.add_argument(
        "--context",
        type=Path,
        help="experiment: cluster on the context score of this model "
        "(benchmarks/context_scores.py --out PATH) at claim 0.5, attach 0.6, anchor 0.25",
    )
    args = parser.parse_args()
    if args.context:
        import _context

        _context.cluster_in_context(_context.ContextModel.read(args.context), 0.5, 0.6, 0.25)
    gold = load_gold()
    corpus = load_basil()
    events: dict[str, list[Article]] = defaultdict(list)
    for article, label in zip(corpus.articles, corpus.labels, strict=True):
        events[label].append(article)
    embedder = default_embedder()
    tally: dict[str, int] = defaultdict(int)
    unjudged: list[str] = []
    for event in gold.events:
        arts = sorted(events[event], key=lambda a: a.id)
        by_id = {a.id: a for a in arts}
        story = Story(event[:8], arts[0].title, tuple(a.id for a in arts))
        result = analyze_story(story, arts, embedder=embedder)
        claims: list[Claim] = [
            c for c in result.claims if c.kind == "statement" and len(c.articles) > 1
        ]
        for claim in claims:
            nodes = [node_of(gold, by_id[m.article], m) for m in claim.mentions]
            v = verdict(gold, nodes)
            tally[v] += 1
            if v == "unjudged":
                unjudged.append(_unjudged_row(event, claim, by_id))
            if args.show in (v, "all"):
                print(f"{event[:8]} {claim.id} {v}")
                for m in claim.mentions:
                    text = " ".join(by_id[m.article].text[m.start : m.end].split())
                    print(f"    [{m.article[-1]} {m.start}-{m.end}] {text}")
    if args.export and unjudged:
        with args.export.open("a", encoding="utf-8") as handle:
            handle.writelines(row + "\n" for row in unjudged)
    judged = tally["right"] + tally["wrong"]
    precision = tally["right"] / judged if judged else float("nan")
    print(
        f"gold: {len(gold.events)} events, {gold.claims} claims read, {gold.wrong} wrong "
        f"(precision of the output read: {(gold.claims - gold.wrong) / gold.claims:.3f})"
    )
    print(
        f"now: {sum(tally.values())} multi-article claims: {tally['right']} right, "
        f"{tally['wrong']} wrong, {tally['unjudged']} unjudged; "
        f"claim precision {precision:.3f} over the judged"
    )


if __name__ == "__main__":
    main()
