"""Align the sentences of a story's articles into claims: one fact, many mentions.

Sentences are clustered by their same-fact score (average linkage, so a claim is a set
of sentences that agree with one another on the whole, not a chain of near misses). A
news sentence often carries two facts, so a sentence may then join a second claim whose
mentions it matches as well as they match each other. A rewrite often folds a fact into
a sentence about something else ("analysts expected pressure on Seoul, especially as Kim
pledged full support"): such a sentence's clause joins the claim of its fact too.

Claims are formed from whole sentences (the thresholds were chosen on whole sentences),
and clauses only attach to them: clustering clauses as units of their own measured
worse on DUC 2007 (SCU-pairs F1 0.366 and 0.377 against 0.386 for sentences). Only a
claim whose compound sentences carry facts that different articles state is split into
one claim per fact (``_split_facts``; DUC unchanged at 0.391), so that a fact is not
credited to an article that states only its neighbour.

Attributed sentences look alike in their attribution ("Tomas Reuvel, chairman of the
United Harbour Workers' Union, said ..."), so one speaker's different remarks can
cluster as one claim. A member that shares none of what was said with most of the
claim's other articles leaves it (``_drop_other_statements``; DUC unchanged at 0.391).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from copydesk.analyze.reuse import PARAPHRASE_SCORE
from copydesk.analyze.tokens import STOP, WORD, stem, topic_stems
from copydesk.analyze.units import StoryUnits, Unit
from copydesk.models import Claim, Mention

# Chosen on the DUC 2007 SCU-marked documents (benchmarks/align_duc.py --sweep): the
# best all-pairs F1 before anchoring (0.091; SCU-pairs F1 0.202). With anchoring below:
# all-pairs F1 0.103, SCU-pairs F1 0.386 (precision 0.56, recall 0.30).
CLAIM_THRESHOLD = 0.35
ATTACH_THRESHOLD = 0.45
# A word found in no more sentences than about once or twice per article is distinctive
# enough to anchor a fact ("summon", "Vietnam", "non-lethal"); a word used more often is
# the story's topic. Two shared anchors plus a weak semantic match let a long sentence
# that restates the fact among others join the claim.
ANCHOR_PER_ARTICLE = 1.5
ANCHOR_MIN_SCORE = 0.2
_SPECIFIC_NUMBER = re.compile(r"\d[\d,.]*\d")


_SAID = re.compile(
    r"\b(?:said|says|told|added|warned|stated|explained|complained|accused|insisted|"
    r"argued|noted|claimed|announced|declared|stressed|urged)\b"
)
_APPOSITIVE = re.compile(r",\s+(?:who\s+\w+\s+)?[^,.;]{0,80}?(?:,|\.|$)")
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'-]+\s+){1,3}[A-Z][\w’'-]+")
# All quotation, or the start of a quotation that runs on into the next sentence.
_WHOLLY_QUOTED = re.compile(r"^[\"“][^\"“”]*(?:[\"”]\W*)?$")


def _statement_stems(text: str) -> set[str] | None:
    """The content stems of an attributed sentence without its attribution (the
    speaker's name, title and verb of saying), or of a sentence that is all quotation
    (the speaker named in the next one); None for any other sentence."""
    if _WHOLLY_QUOTED.match(text):
        return {stem(w) for w in WORD.findall(text) if w.lower() not in STOP and len(w) > 2}
    if not _SAID.search(text):
        return None
    words = WORD.findall(text)
    names = {stem(w) for w in words[1:] if w[:1].isupper()}
    if not names:
        return None
    attribution = set(names)
    for match in _NAME_RUN.finditer(text):
        attribution |= {stem(w) for w in WORD.findall(match.group())}
        after = _APPOSITIVE.match(text, match.end())
        if after and not _SAID.search(after.group()):
            attribution |= {stem(w) for w in WORD.findall(after.group())}
    said = {stem(m.group()) for m in _SAID.finditer(text)}
    content = {
        stem(w)
        for w in words
        if w.lower() not in STOP and stem(w) not in attribution | said and len(w) > 2
    }
    return content or None


def _drop_other_statements(units: StoryUnits, members: list[int]) -> list[int]:
    """The members without those that share only their speaker with the claim: "Reuvel
    said the union had not been warned" and "Reuvel accused the authorities of trying to
    break the strike" are alike in every word of the attribution and in nothing the
    speaker said. A member is kept when it shares what was said with at least half of
    the claim's members from other articles."""
    content = {i: _statement_stems(units.units[i].text) for i in members}
    kept = []
    for i in members:
        own = content[i]
        others = [content[j] for j in members if units.units[j].article != units.units[i].article]
        if own is None or not others:
            kept.append(i)
            continue
        # Two quotations are one statement when they share words of it, not one word
        # ("town" in "never seen anything like it in this town" and "a small town").
        least = 2 if _WHOLLY_QUOTED.match(units.units[i].text) else 1
        sharing = sum(1 for other in others if other is None or len(own & other) >= least)
        if 2 * sharing >= len(others):
            kept.append(i)
    # When no two articles are left, the sentences left out become claims of their own.
    return kept or members[:1]


def _clusters(scores: npt.NDArray[np.float32]) -> list[list[int]]:
    """Average-linkage groups of the rows of a same-fact score matrix, cut at
    ``CLAIM_THRESHOLD``, as lists of row numbers."""
    n = len(scores)
    if n < 2:
        return [[0]] if n else []
    distance = 1.0 - scores
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - CLAIM_THRESHOLD, criterion="distance")
    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        clusters.setdefault(int(label), []).append(index)
    return list(clusters.values())


def _attach(units: StoryUnits, members: list[int]) -> list[int]:
    """Add, per article not yet in the claim, its sentence that matches all members well."""
    present = {units.units[i].article for i in members}
    mean = units.scores[:, members].mean(axis=1)
    added = []
    for article in sorted({u.article for u in units.units} - present):
        candidates = [u.index for u in units.of(article)]
        best = candidates[int(np.argmax(mean[candidates]))]
        if mean[best] >= ATTACH_THRESHOLD:
            added.append(best)
    return members + added


def _anchor_expand(units: StoryUnits, members: list[int], share: dict[str, float]) -> list[int]:
    """Add, per article not in the claim, a sentence sharing two of the claim's anchors.

    A sentence that is the version of another sentence of one of the claim's articles,
    which has the same anchors, shares them because two neighbouring facts do: "cargo
    handling at Ostrevia's port is at a halt" does not state "the port handles a third
    of Ostrevia's traffic" (``_version_of_another``: on DUC 2007 it moves SCU-pairs F1
    by 0.001, 0.392 without it and 0.391 with it).
    """
    by_article: dict[str, set[str]] = {}
    for i in members:
        u = units.units[i]
        by_article.setdefault(u.article, set()).update(
            s for s in u.stems if share.get(s, 2.0) <= 1.0
        )
    counts: dict[str, int] = {}
    for stems in by_article.values():
        for s in stems:
            counts[s] = counts.get(s, 0) + 1
    if len(by_article) >= 2:
        anchors = {s for s, n in counts.items() if n >= 2}
        needed: set[str] = set()
    else:
        # One article's sentence: its distinctive words anchor only together with a
        # specific figure ("1,200"), the detail that makes a fact checkable. Measured on
        # DUC 2007: SCU-pairs F1 0.386 -> 0.391, all-pairs F1 unchanged (0.103).
        anchors = set(counts)
        needed = {s for s in anchors if _SPECIFIC_NUMBER.fullmatch(s)}
        if not needed:
            return members
    if len(anchors) < 2:
        return members
    mean = units.scores[:, members].mean(axis=1)
    added = []
    for article in sorted(units.by_article.keys() - by_article.keys()):
        best: tuple[int, float, int] | None = None
        for u in units.of(article):
            used = anchors & u.stems
            hits = len(used)
            if hits < 2 or mean[u.index] < ANCHOR_MIN_SCORE or (needed and not needed & u.stems):
                continue
            if _version_of_another(units, u, members, by_article, used):
                continue
            key = (hits, float(mean[u.index]), -u.index)
            if best is None or key > best:
                best = key
        if best is not None:
            added.append(-best[2])
    return members + added


def _version_of_another(
    units: StoryUnits, unit: Unit, members: Sequence[int], articles: Iterable[str], used: set[str]
) -> bool:
    """Whether ``unit`` is a version (copied or paraphrased, as ``reuse`` reads a pair
    of sentences) of another sentence of one of the claim's articles that has every
    anchor ``unit`` shares with the claim: it then states what that sentence states."""
    row = units.scores[unit.index]
    for article in articles:
        own = units.by_article[article]
        best = own[int(np.argmax(row[list(own)]))]
        if (
            best not in members
            and row[best] >= PARAPHRASE_SCORE
            and used <= units.units[best].stems
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _ClauseIndex:
    """The clauses of each article and of each compound sentence, as rows of ``clauses``
    (whose first rows are the sentences, in the same order as ``units``)."""

    parts: dict[str, list[int]]  # article -> rows of its compound sentences' clauses
    pieces: dict[int, list[int]]  # compound sentence -> rows of its clauses

    @classmethod
    def of(cls, units: StoryUnits, clauses: StoryUnits) -> _ClauseIndex:
        parts: dict[str, list[int]] = {}
        pieces: dict[int, list[int]] = {}
        for u in clauses.units[len(units.units) :]:
            parts.setdefault(u.article, []).append(u.index)
            pieces.setdefault(u.sentence, []).append(u.index)
        return cls(parts, pieces)


def _attach_clauses(
    units: StoryUnits, clauses: StoryUnits, index: _ClauseIndex, members: list[int]
) -> list[int]:
    """Clause units (rows of ``clauses``), one per article not in the claim, that match
    the claim's sentences as well as ``_attach`` asks of a whole sentence."""
    present = {units.units[i].article for i in members}
    absent = [a for a in sorted(index.parts) if a not in present]
    if not members or not absent:
        return []
    mean = clauses.scores[:, members].mean(axis=1)
    added = []
    for article in absent:
        parts = index.parts[article]
        best = parts[int(np.argmax(mean[parts]))]
        if mean[best] >= ATTACH_THRESHOLD:
            added.append(best)
    return added


def _split_facts(clauses: StoryUnits, index: _ClauseIndex, rows: list[int]) -> list[list[int]]:
    """A claim whose compound sentences carry facts stated by different articles, as one
    claim per fact.

    When two or more of the claim's sentences are compound, their clauses are clustered
    like sentences are. If that gives two or more facts each stated in two or more
    articles, and not all by the same articles, each fact becomes a claim: a compound
    sentence counts for the facts its clauses state, a simple sentence for every fact
    (it was aligned as a whole), and a compound sentence none of whose clauses found a
    fact joins the fact its best clause matches.
    """
    compound = [r for r in rows if r in index.pieces]
    if len(compound) < 2:
        return [rows]
    pieces = [p for r in compound for p in index.pieces[r]]
    facts = [
        [pieces[k] for k in group] for group in _clusters(clauses.scores[np.ix_(pieces, pieces)])
    ]
    shared = [f for f in facts if len({clauses.units[p].article for p in f}) > 1]
    article_sets = {frozenset(clauses.units[p].article for p in f) for f in shared}
    if len(shared) < 2 or len(article_sets) < 2:
        return [rows]
    placed = {p for f in shared for p in f}
    for row in compound:
        if placed.isdisjoint(index.pieces[row]):
            fit = {
                (p, k): float(clauses.scores[p, f].mean())
                for p in index.pieces[row]
                for k, f in enumerate(shared)
            }
            piece, k = max(fit, key=lambda key: (fit[key], -key[0], -key[1]))
            shared[k].append(piece)
    simple = [r for r in rows if r not in index.pieces]
    return [sorted(f + simple) for f in shared]


def _stem_share(units: StoryUnits) -> dict[str, float]:
    """Each stem's sentence count over the most an anchor may have (1.0 is the limit).

    A headline restates its article's lead: its words count only where the article's
    body does not use them, or the words of the main event would look twice as common
    as they are. Words in half the headlines or more are the story's topic, never an
    anchor: "tear gas" in a story of police firing tear gas does not tell which of its
    facts a sentence states.
    """
    body: dict[str, set[str]] = {}
    for u in units.units:
        if not u.headline:
            body.setdefault(u.article, set()).update(u.stems)
    counts: dict[str, int] = {}
    for u in units.units:
        for s in u.stems:
            if not (u.headline and s in body.get(u.article, ())):
                counts[s] = counts.get(s, 0) + 1
    limit = max(2.0, ANCHOR_PER_ARTICLE * len(units.by_article))
    # A figure is never the topic: "14" in half the headlines is the fact they report.
    topic = {s for s in topic_stems([u.text for u in units.units if u.headline]) if s.isalpha()}
    return {s: float("inf") if s in topic else c / limit for s, c in counts.items()}


def _wordings(units: StoryUnits, members: Sequence[int]) -> tuple[str, ...]:
    """The members' texts, the one that agrees most with the others first (ties: the
    earliest sentence)."""
    if len(members) == 1:
        return (units.units[members[0]].text,)
    centrality = units.scores[np.ix_(members, members)].sum(axis=1)
    ranked = sorted(range(len(members)), key=lambda k: (-float(centrality[k]), k))
    return tuple(dict.fromkeys(units.units[members[k]].text for k in ranked))


@dataclass(frozen=True, slots=True)
class _Draft:
    """A claim before it is numbered: ``wordings`` are its candidate texts, best first."""

    groups: int
    articles: tuple[str, ...]
    mentions: tuple[Mention, ...]
    wordings: tuple[str, ...]


def align_claims(
    units: StoryUnits, group_of: Mapping[str, int], clauses: StoryUnits | None = None
) -> list[Claim]:
    """Claims ordered by independent support, then by articles, then by first mention.

    ``units`` are whole sentences; ``clauses`` (from ``split_clauses``), when given,
    lets the clauses of compound sentences join claims too.
    """
    order = {u.article: i for i, u in reversed(list(enumerate(units.units)))}
    drafts: list[_Draft] = []
    share = _stem_share(units)
    index = _ClauseIndex.of(units, clauses) if clauses is not None else None
    left_out: list[int] = []
    for members in _clusters(units.scores):
        members = _anchor_expand(units, _attach(units, sorted(members)), share)
        if len({units.units[i].article for i in members}) > 1:
            members = [i for i in members if len(units.units[i].text.split()) >= 3]
            kept = _drop_other_statements(units, members)
            left_out += [i for i in members if i not in kept]
            members = kept
        if clauses is None or index is None:
            facts = [(units, members)]
        else:
            rows = members + _attach_clauses(units, clauses, index, members)
            facts = [(clauses, fact) for fact in _split_facts(clauses, index, rows)]
        for level, fact in facts:
            mentions = sorted(
                {level.units[i].mention for i in fact}, key=lambda m: (order[m.article], m.start)
            )
            if not mentions:
                continue
            articles = tuple(dict.fromkeys(m.article for m in mentions))
            groups = len({group_of[a] for a in articles})
            drafts.append(_Draft(groups, articles, tuple(mentions), _wordings(level, fact)))
    # A sentence that joined the claim of its fact in other articles is not also a
    # single-source claim of its own. (When it joined by anchoring, it may say more than
    # that fact; what more it says is then not listed as a single-source claim.)
    corroborated = {m for d in drafts if len(d.articles) > 1 for m in d.mentions}
    drafts = [d for d in drafts if len(d.articles) > 1 or not corroborated.issuperset(d.mentions)]
    # Two sentences that each anchor the other ("1999" in both) make one claim, not two.
    unique: dict[frozenset[Mention], _Draft] = {}
    for d in drafts:
        unique.setdefault(frozenset(d.mentions), d)
    drafts = list(unique.values())
    # A statement taken out of a claim it only resembled is a claim of its own, unless
    # another claim already holds it.
    held = {m for d in drafts for m in d.mentions}
    for i in dict.fromkeys(left_out):
        unit = units.units[i]
        if unit.mention not in held:
            held.add(unit.mention)
            drafts.append(_Draft(1, (unit.article,), (unit.mention,), (unit.text,)))
    drafts.sort(
        key=lambda d: (
            -d.groups,
            -len(d.articles),
            order[d.mentions[0].article],
            d.mentions[0].start,
        )
    )
    # A sentence that states two facts is the best wording of both claims; the second
    # takes its next best wording, so that two claims read the same only when one of
    # them has no other wording (its mentions are verbatim copies of one sentence).
    claims = []
    used: set[str] = set()
    for i, d in enumerate(drafts):
        text = next((w for w in d.wordings if w not in used), d.wordings[0])
        used.add(text)
        claims.append(
            Claim(
                id=f"c{i + 1}", text=text, mentions=d.mentions, articles=d.articles, groups=d.groups
            )
        )
    return claims
