"""Stories that grow one article at a time, with the event definition of ``group_stories``.

A desk receives articles all day; re-grouping the whole store for each one would cost
more with every article. Here a new article is placed with what a persistent index
(:class:`StoryIndex`, SQLite in :mod:`copydesk.store.index`) can answer:

1. near-duplicates first: the article's MinHash bands find stored texts with an
   estimated Jaccard of ``DUPLICATE_JACCARD`` or more (published under ten days apart);
   a copy joins its original's story and weighs nothing in merges, as in batch;
2. otherwise it is a representative: its title-and-lead terms go into the index,
   candidates are the stored representatives that share its specific terms (document
   frequency 2 to ``max_df_for(N)``) within the dates that can still score above zero,
   scored exactly as in batch (sublinear TF-IDF cosine with the store's current IDF,
   blended with MiniLM's cosine of the two leads, minus the date penalty);
3. average linkage, continued: the article joins the story whose mean score over all
   its representatives (a missing pair counts 0) is highest and at least
   ``STORY_THRESHOLD``; then any story it now ties to with a mean of at least the
   threshold merges in, the older story keeping its id. Only the article's neighbours
   can cross the threshold: for any other pair of stories the mean can only fall.

Stories never split under the reader: a merge is the one change an added article can
make to stories already shown. The cost of one article is a few index lookups bounded
by ``max_df`` and the date window, not by the size of the store.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from copydesk.models import Article
from copydesk.stories import STORY_THRESHOLD
from copydesk.stories.features import lead_terms, lead_text
from copydesk.stories.minhash import DUPLICATE_JACCARD, band_keys, signatures
from copydesk.stories.pairs import (
    CANDIDATE_FLOOR,
    EDGE_FLOOR,
    GRACE_DAYS,
    PENALTY_DAYS,
    UNDATED_PENALTY,
    blend,
    max_df_for,
)

Vector = npt.NDArray[np.float32]
Embed = Callable[[list[str]], npt.NDArray[np.float32]]
# Beyond this many days apart the date penalty outweighs any likeness (score <= 0).
WINDOW_DAYS = GRACE_DAYS + PENALTY_DAYS
# The first pass reads weights frozen when each article was added (IDF moves as the
# store grows), so it keeps pairs down to 0.8 of the candidate floor; the exact pass
# applies the floor itself. On the first 4,000 articles of the 100k pile, 0.8 and 0.5
# keep the same 15,152 pairs, and 0.8 reads 4.4 times fewer candidates.
PREFILTER = 0.8


@dataclass(frozen=True, slots=True)
class StoredCopy:
    """A stored text that shares an LSH bucket with the new one."""

    article: str
    representative: str
    story: str
    day: int
    signature: npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class StoredLead:
    """A stored representative's grouping signals."""

    article: str
    story: str
    day: int
    terms: Mapping[str, int]
    lead: str
    embedding: Vector | None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an article went: its story, the representative it copies (if a copy), and
    the stories merged into another on its account, as ``(kept, absorbed)``."""

    story: str
    copy_of: str | None
    merged: tuple[tuple[str, str], ...]


class StoryIndex(Protocol):
    """What incremental grouping asks of a store. Every method runs in the caller's
    transaction; nothing is committed here."""

    def bucket_matches(self, article: str, buckets: Sequence[int]) -> list[StoredCopy]: ...

    def add_buckets(
        self, article: str, day: int, signature: npt.NDArray[np.uint64], buckets: Sequence[int]
    ) -> None: ...

    def representatives(self) -> int: ...

    def add_lead(
        self,
        article: str,
        day: int,
        terms: Mapping[str, int],
        lead: str,
        weights: Mapping[str, float],
    ) -> None: ...

    def set_embedding(self, article: str, embedding: Vector) -> None: ...

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]: ...

    def leads_with(
        self, article: str, query: Mapping[str, float], day: int, window: int, floor: float
    ) -> list[StoredLead]: ...

    def add_pairs(self, article: str, scores: Mapping[str, float]) -> None: ...

    def story_sizes(self, stories: Sequence[str]) -> dict[str, int]: ...

    def story_links(self, story: str) -> dict[str, float]: ...

    def story_age(self, story: str) -> int: ...

    def open_story(self, article: str) -> str: ...

    def join_story(self, article: str, story: str, *, copy_of: str | None) -> None: ...

    def merge_stories(self, keep: str, gone: str) -> None: ...


def _day(article: Article) -> int:
    return article.published.toordinal() if article.published else -1


def _penalty(a: int, b: int) -> float:
    if a < 0 or b < 0:
        return UNDATED_PENALTY
    return float(min(max((abs(a - b) - GRACE_DAYS) / PENALTY_DAYS, 0.0), 1.0))


def _weights(terms: Mapping[str, int], df: Mapping[str, int], n: int) -> dict[str, float]:
    """Sublinear TF times smoothed IDF, unit length: ``features.tfidf`` for one row."""
    out = {
        t: (1.0 + math.log(c)) * (math.log((1.0 + n) / (1.0 + df.get(t, 1))) + 1.0)
        for t, c in terms.items()
    }
    norm = math.sqrt(sum(w * w for w in out.values())) or 1.0
    return {t: w / norm for t, w in out.items()}


class IncrementalGrouper:
    """Places articles one at a time into the stories of a :class:`StoryIndex`."""

    def __init__(
        self, index: StoryIndex, embed: Embed | None, *, threshold: float = STORY_THRESHOLD
    ) -> None:
        """``embed`` maps leads to MiniLM vectors; None scores pairs lexically, as batch
        grouping does beyond its embedding budget."""
        self.index = index
        self.embed = embed
        self.threshold = threshold

    def place(self, article: Article) -> Placement:
        """Put one stored article into a story."""
        day = _day(article)
        signature = signatures([article.text])[0]
        buckets = [int(b) for b in band_keys(signature[None, :])[0].view(np.int64)]
        copied = self._copied(article.id, signature, day, buckets)
        self.index.add_buckets(article.id, day, signature, buckets)
        if copied:
            best = copied[0]
            merged = self._merge_all([best.story, *(c.story for c in copied[1:])])
            story = merged[0][0] if merged else best.story
            self.index.join_story(article.id, story, copy_of=best.representative)
            return Placement(story, best.representative, tuple(merged))
        return self._place_representative(article, day)

    def _copied(
        self, article: str, signature: npt.NDArray[np.uint64], day: int, buckets: list[int]
    ) -> list[StoredCopy]:
        """Stored near-duplicates, most similar first (ties: the older representative)."""
        found = []
        for match in self.index.bucket_matches(article, buckets):
            jaccard = float(np.mean(match.signature == signature))
            if jaccard >= DUPLICATE_JACCARD and _penalty(day, match.day) < 1.0:
                found.append((-jaccard, match))
        found.sort(key=lambda item: item[0])
        seen: set[str] = set()
        out = []
        for _, match in found:
            if match.story not in seen:
                seen.add(match.story)
                out.append(match)
        return out

    def _place_representative(self, article: Article, day: int) -> Placement:
        terms = Counter(lead_terms(article))
        n = self.index.representatives() + 1
        df = {t: f + 1 for t, f in self.index.document_frequencies(list(terms)).items()}
        df.update({t: 1 for t in terms if t not in df})
        mine = _weights(terms, df, n)
        lead = lead_text(article)
        self.index.add_lead(article.id, day, terms, lead, mine)
        scores = self._scores(article.id, mine, df, n, day, lead)
        self.index.add_pairs(article.id, {other: score for other, (_, score) in scores.items()})
        by_story: dict[str, float] = {}
        for lead_story, score in scores.values():
            by_story[lead_story] = by_story.get(lead_story, 0.0) + score
        sizes = self.index.story_sizes(list(by_story))
        means = sorted(
            ((total / sizes[s], -self.index.story_age(s), s) for s, total in by_story.items()),
            reverse=True,
        )
        if not means or means[0][0] < self.threshold:
            return Placement(self.index.open_story(article.id), None, ())
        story = means[0][2]
        self.index.join_story(article.id, story, copy_of=None)
        merged = self._merge_neighbours(story, set(by_story) - {story})
        final = merged[-1][0] if merged else story
        return Placement(final, None, tuple(merged))

    def _scores(
        self,
        article: str,
        mine: Mapping[str, float],
        df: dict[str, int],
        n: int,
        day: int,
        lead: str,
    ) -> dict[str, tuple[str, float]]:
        """``other -> (its story, pair score)`` for every candidate kept as an edge.

        A first pass in the index keeps the representatives whose weights, as stored
        when each was added, reach ``PREFILTER`` times the candidate floor on the
        specific terms; each survivor is then scored exactly, with today's IDF."""
        specific = {t: w for t, w in mine.items() if 2 <= df.get(t, 1) <= max_df_for(n)}
        if not specific:
            return {}
        window = -1 if day < 0 else WINDOW_DAYS
        leads = self.index.leads_with(article, specific, day, window, CANDIDATE_FLOOR * PREFILTER)
        if not leads:
            return {}
        needed = {t for other in leads for t in other.terms if t not in df}
        df.update(self.index.document_frequencies(sorted(needed)))
        lexical: dict[str, float] = {}
        for other in leads:
            theirs = _weights(other.terms, df, n)
            shared = [t for t in mine if t in theirs]
            if sum(mine[t] * theirs[t] for t in shared if t in specific) < CANDIDATE_FLOOR:
                continue
            score = sum(mine[t] * theirs[t] for t in shared)
            if score >= EDGE_FLOOR:
                lexical[other.article] = score
        kept = [other for other in leads if other.article in lexical]
        vectors = self._vectors(article, lead, kept)
        out: dict[str, tuple[str, float]] = {}
        for other in kept:
            score = lexical[other.article]
            if vectors:
                cosine = float(np.dot(vectors[article], vectors[other.article]))
                pair = blend(np.array([score], np.float32), np.array([cosine], np.float32))
                score = float(pair[0])
            out[other.article] = (other.story, score - _penalty(day, other.day))
        return out

    def _vectors(self, article: str, lead: str, others: list[StoredLead]) -> dict[str, Vector]:
        """MiniLM vectors of the new lead and its candidates', computed only now that a
        pair needs them (as batch embeds only articles that are in some pair), each
        once for the life of the store."""
        if self.embed is None or not others:
            return {}
        missing = [o for o in others if o.embedding is None]
        vectors = self.embed([lead, *(o.lead for o in missing)])
        out = {article: vectors[0]}
        self.index.set_embedding(article, vectors[0])
        for other, vector in zip(missing, vectors[1:], strict=True):
            self.index.set_embedding(other.article, vector)
            out[other.article] = vector
        for other in others:
            if other.embedding is not None:
                out[other.article] = other.embedding
        return out

    def _merge_neighbours(self, story: str, neighbours: set[str]) -> list[tuple[str, str]]:
        """Merge into ``story`` every neighbour whose mean link now reaches the threshold,
        best first, re-reading the links after each merge."""
        merged: list[tuple[str, str]] = []
        while neighbours:
            links = self.index.story_links(story)
            sizes = self.index.story_sizes([story, *neighbours])
            best: tuple[float, str] | None = None
            for other in sorted(neighbours):
                mean = links.get(other, 0.0) / (sizes[story] * sizes[other])
                if mean >= self.threshold and (best is None or mean > best[0]):
                    best = (mean, other)
            if best is None:
                break
            neighbours.discard(best[1])
            keep, gone = self._older_first(story, best[1])
            self.index.merge_stories(keep, gone)
            merged.append((keep, gone))
            story = keep
        return merged

    def _older_first(self, a: str, b: str) -> tuple[str, str]:
        return (a, b) if self.index.story_age(a) <= self.index.story_age(b) else (b, a)

    def _merge_all(self, stories: list[str]) -> list[tuple[str, str]]:
        """A copy of texts in several stories bridges them (batch joins copy components)."""
        distinct = sorted(set(stories), key=self.index.story_age)
        keep = distinct[0]
        merged = []
        for gone in distinct[1:]:
            self.index.merge_stories(keep, gone)
            merged.append((keep, gone))
        return merged
