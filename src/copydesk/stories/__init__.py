"""Group a pile of articles into stories: the articles that report one event.

The stages, each in its own module:

1. ``minhash``: near-duplicates (syndicated copies, light edits) by MinHash LSH over
   word shingles; each group of copies is then handled as one article.
2. ``features``: the words, names, numbers and dates of every article's title and
   lead (never its tail), and its publication day.
3. ``pairs``: candidate pairs by blocking on specific terms, scored lexically,
   refined with MiniLM where the budget allows, and penalised for publication dates
   far apart (a little for unknown ones).
4. ``cluster``: average linkage over the sparse graph of scored pairs.
5. ``assemble``: stories with stable ids, the most central title, and their copies.

Everything is deterministic: the same pile gives the same stories in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from copydesk.embed import Embedder, Matrix, default_embedder
from copydesk.models import Article, Story
from copydesk.stories.assemble import build_stories, centrality
from copydesk.stories.cluster import average_linkage, components
from copydesk.stories.features import extract_signals, lead_text, publication_days
from copydesk.stories.minhash import DUPLICATE_JACCARD, duplicate_pairs
from copydesk.stories.pairs import (
    ScoredPairs,
    blend,
    candidate_pairs,
    date_penalty,
    max_df_for,
    score_pairs,
)

Progress = Callable[[str, int, int], None]

# Two groups of articles are one story when their mean pair score reaches this.
STORY_THRESHOLD = 0.18
# At most this many title+lead texts go through MiniLM (about 100 to 200 a second on
# two cores): all of a small pile's, and on a large pile those whose pairs the lexical
# score leaves closest to the threshold.
EMBED_BUDGET = 8_000
EMBED_BATCH = 256
COSINE_BATCH = 50_000

__all__ = [
    "DUPLICATE_JACCARD",
    "EMBED_BUDGET",
    "STORY_THRESHOLD",
    "find_near_duplicates",
    "group_stories",
]


def _duplicate_of(
    articles: Sequence[Article], threshold: float, progress: Progress | None
) -> npt.NDArray[np.int64]:
    """Each article's near-duplicate group, named by its first member's pile index.

    Copies come out within days of their original; near-identical texts published
    further apart (a template filled in again, a yearly notice) are not copies.
    """
    pairs, _ = duplicate_pairs([a.text for a in articles], threshold=threshold, progress=progress)
    return copy_groups(articles, pairs)


def copy_groups(articles: Sequence[Article], pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each article's near-duplicate group from its near-identical ``pairs``, leaving out
    pairs published ten or more days apart."""
    apart = date_penalty(publication_days(articles), pairs) >= 1.0
    return components(len(articles), pairs[~apart])


def find_near_duplicates(
    articles: Sequence[Article],
    *,
    threshold: float = DUPLICATE_JACCARD,
    progress: Progress | None = None,
) -> list[tuple[str, ...]]:
    """Groups of near-identical articles (two or more ids each), in pile order.

    Two articles are near-duplicates when about ``threshold`` or more of their
    three-word shingles are shared (estimated Jaccard similarity) and they were not
    published ten or more days apart; groups are the connected components of such
    pairs, so a copy of a copy joins its original.
    """
    duplicate_of = _duplicate_of(articles, threshold, progress)
    groups: dict[int, list[str]] = {}
    for k, first in enumerate(duplicate_of.tolist()):
        groups.setdefault(first, []).append(articles[k].id)
    return [tuple(ids) for ids in groups.values() if len(ids) > 1]


def to_embed(scored: ScoredPairs, n: int, budget: int) -> npt.NDArray[np.int64]:
    """Representatives to embed: every one in a pair if the budget allows, else those in
    the pairs whose lexical score is closest to the threshold."""
    if budget <= 0 or not len(scored.pairs):
        return np.zeros(0, dtype=np.int64)
    involved = np.unique(scored.pairs)
    if len(involved) <= budget:
        return involved
    doubt = np.abs(scored.lexical - scored.penalty - STORY_THRESHOLD)
    order = np.lexsort((scored.pairs[:, 1], scored.pairs[:, 0], doubt))
    chosen = np.zeros(n, dtype=bool)
    count = 0
    for i, j in scored.pairs[order].tolist():
        count += int(not chosen[i]) + int(not chosen[j])
        if count > budget:
            break
        chosen[i] = chosen[j] = True
    return np.flatnonzero(chosen)


def _embed(texts: list[str], embedder: Embedder, progress: Progress | None) -> Matrix:
    parts = []
    for begin in range(0, len(texts), EMBED_BATCH):
        parts.append(embedder.encode(texts[begin : begin + EMBED_BATCH]))
        if progress:
            progress("embedding", min(begin + EMBED_BATCH, len(texts)), len(texts))
    return np.concatenate(parts)


def _pair_scores(
    reps: Sequence[Article],
    scored: ScoredPairs,
    embedder: Embedder | None,
    budget: int,
    progress: Progress | None,
) -> npt.NDArray[np.float32]:
    """Final pair scores: lexical, blended with MiniLM where both articles were embedded,
    minus the date penalty."""
    chosen = to_embed(scored, len(reps), budget)
    if not len(chosen):
        return blended_scores(scored, chosen, np.zeros((0, 0), dtype=np.float32), len(reps))
    texts = [lead_text(reps[k]) for k in chosen.tolist()]
    vectors = _embed(texts, embedder or default_embedder(), progress)
    return blended_scores(scored, chosen, vectors, len(reps))


def blended_scores(
    scored: ScoredPairs, chosen: npt.NDArray[np.int64], vectors: Matrix, n: int
) -> npt.NDArray[np.float32]:
    """The pair scores once the ``chosen`` representatives (of ``n``) have their
    ``vectors``: a stage of its own so that the engine can embed elsewhere."""
    scores = scored.lexical.copy()
    if len(chosen):
        row = np.full(n, -1, dtype=np.int64)
        row[chosen] = np.arange(len(chosen))
        i, j = row[scored.pairs[:, 0]], row[scored.pairs[:, 1]]
        both = np.flatnonzero((i >= 0) & (j >= 0))
        # In slices: gathering 384 floats per side for a million pairs at once would
        # take 3 GB.
        for begin in range(0, len(both), COSINE_BATCH):
            chunk = both[begin : begin + COSINE_BATCH]
            cosine = np.einsum("ij,ij->i", vectors[i[chunk]], vectors[j[chunk]])
            scores[chunk] = blend(scored.lexical[chunk], cosine)
    return scores - scored.penalty


def group_stories(
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    embed_budget: int = EMBED_BUDGET,
) -> list[Story]:
    """Split a pile into stories, largest first; every article is in exactly one story.

    Near-duplicates are found first and listed in ``Story.duplicates``. ``embedder``
    defaults to the shared MiniLM model, loaded only if some pair needs it;
    ``embed_budget=0`` keeps to the lexical signals (no model at all). ``progress`` is
    called as ``progress(stage, done, total)`` for the stages ``near-duplicates``,
    ``features``, ``candidates``, ``embedding`` and ``clustering``.
    """
    if not articles:
        return []
    duplicate_of = _duplicate_of(articles, DUPLICATE_JACCARD, progress)
    representatives = np.flatnonzero(duplicate_of == np.arange(len(articles)))
    reps = [articles[k] for k in representatives.tolist()]
    signals = extract_signals(reps, progress=progress)
    if progress:
        progress("candidates", 0, 1)
    scored = score_pairs(signals, candidate_pairs(signals, max_df=max_df_for(len(reps))))
    if progress:
        progress("candidates", 1, 1)
    scores = _pair_scores(reps, scored, embedder, embed_budget, progress)
    labels = average_linkage(len(reps), scored.pairs, scores, STORY_THRESHOLD, progress=progress)
    if progress:
        progress("clustering", len(reps), len(reps))
    weights = np.bincount(duplicate_of, minlength=len(articles))[representatives]
    central = centrality(labels, weights, scored.pairs, scores)
    return build_stories(articles, duplicate_of, representatives, labels, central)
