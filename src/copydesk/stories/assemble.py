"""Turn cluster labels into :class:`Story` records: members, copies, title, id, order."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from copydesk.models import Article, Story

Ints = npt.NDArray[np.int64]


def story_id(member_ids: Sequence[str]) -> str:
    """A name that depends only on who is in the story, not on the pile's order."""
    digest = hashlib.sha1("\n".join(sorted(member_ids)).encode(), usedforsecurity=False)
    return f"story-{digest.hexdigest()[:12]}"


def centrality(
    labels: Ints, weights: Ints, pairs: Ints, scores: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Each representative's summed score to the rest of its story.

    ``weights`` counts the articles a representative stands for: a copy agrees with its
    original completely (score 1), and a version copied many times is the one that
    most of the story's articles share, so it tends to be central.
    """
    same = labels[pairs[:, 0]] == labels[pairs[:, 1]]
    i, j, s = pairs[same, 0], pairs[same, 1], scores[same].astype(np.float64)
    out = (weights - 1).astype(np.float64)
    np.add.at(out, i, s * weights[j])
    np.add.at(out, j, s * weights[i])
    return out


def build_stories(
    articles: Sequence[Article],
    duplicate_of: Ints,
    representatives: Ints,
    labels: Ints,
    central: npt.NDArray[np.float64],
) -> list[Story]:
    """Stories ordered by size (largest first), then by their first article in the pile.

    ``duplicate_of[k]`` is the pile index of article k's near-duplicate group (its
    first member); ``representatives[r]`` is the pile index of representative r and
    ``labels[r]`` its cluster. The title is that of the most central representative
    that has one.
    """
    copies: dict[int, list[int]] = defaultdict(list)
    for k, first in enumerate(duplicate_of.tolist()):
        copies[first].append(k)
    clusters: dict[int, list[int]] = defaultdict(list)
    for r, label in enumerate(labels.tolist()):
        clusters[label].append(int(representatives[r]))
    rank = {int(index): (-central[r], r) for r, index in enumerate(representatives)}
    drafts = []
    for reps in clusters.values():
        indices = sorted(k for rep in reps for k in copies[rep])
        drafts.append((indices, sorted(reps, key=rank.__getitem__)))
    drafts.sort(key=lambda draft: (-len(draft[0]), draft[0][0]))
    stories: list[Story] = []
    used: set[str] = set()
    for indices, by_centrality in drafts:
        ids = [articles[k].id for k in indices]
        title = next((articles[k].title for k in by_centrality if articles[k].title), None)
        groups = sorted(copies[rep] for rep in by_centrality if len(copies[rep]) > 1)
        identifier = story_id(ids)
        suffix = 2
        while identifier in used:
            identifier = f"{story_id(ids)}-{suffix}"
            suffix += 1
        used.add(identifier)
        stories.append(
            Story(
                id=identifier,
                title=title,
                articles=tuple(ids),
                duplicates=tuple(tuple(articles[k].id for k in group) for group in groups),
            )
        )
    return stories
