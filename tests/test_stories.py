"""Grouping a pile into stories (copydesk.stories), on small fictional piles.

Every article here is invented for the test. The acceptance test at the end reads the
public seeds from ../shared and the bundled samples by path, and skips without them.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from conftest import article_from_text
from copydesk import clean
from copydesk.models import Article, Story
from copydesk.stories import find_near_duplicates, group_stories
from copydesk.stories.cluster import average_linkage
from copydesk.stories.minhash import duplicate_pairs, estimate_jaccard, signatures

BRIDGE = (
    "Selmora closes Quay Bridge after engineers find 40-metre crack",
    "SELMORA — The city of Selmora closed the Quay Bridge to all traffic on Tuesday after "
    "engineers found a 40-metre crack in its main steel girder, the city's transport office "
    "said.\n\n"
    "About 26,000 vehicles cross the bridge every day. Buses on routes 4 and 11 will be "
    "diverted over the Mill Street crossing until further notice, the office said.\n\n"
    "Chief engineer Oda Varga said the crack was discovered during a routine inspection on "
    'Monday night. "We could not take the risk of keeping it open for a single extra hour," '
    "she said.\n\n"
    "The bridge, opened in 1968, was last repaired in 2019. Mayor Henrik Talvo said the city "
    "would ask the regional government for emergency funds and hoped the repairs would take "
    "no more than eight weeks.\n\n"
    "Shop owners on the north bank said they feared losing customers during the closure, "
    "and the chamber of commerce asked for free parking in the old town.",
)
BRIDGE_EDIT = (
    "Quay Bridge in Selmora shut after 40-metre crack found",
    "SELMORA — The city of Selmora closed the Quay Bridge to all traffic on Tuesday after "
    "engineers found a 40-metre crack in its main steel girder, the city's transport office "
    "stated.\n\n"
    "About 26,000 vehicles cross the bridge every day. Buses on routes 4 and 11 will be "
    "diverted over the Mill Street crossing until further notice, the office stated.\n\n"
    "Chief engineer Oda Varga said the crack was discovered during a routine inspection on "
    'Monday night. "We could not take the risk of keeping it open for a single extra hour," '
    "she said.\n\n"
    "The bridge, opened in 1968, was last repaired in 2019. Mayor Henrik Talvo said the city "
    "would ask the regional government for emergency funds and hoped the repairs would take "
    "no more than eight weeks.",
)
BRIDGE_REWRITE = (
    "Crack in girder forces Selmora to shut Quay Bridge",
    "Engineers in Selmora have ordered the Quay Bridge closed after spotting a crack some "
    "40 metres long in a main girder, the city's transport officials announced on Tuesday.\n\n"
    "Roughly 26,000 cars and lorries use the crossing daily; buses 4 and 11 now run over "
    "Mill Street instead.\n\n"
    "Oda Varga, the chief engineer, told reporters that inspectors noticed the damage late on "
    "Monday and that keeping the bridge open even one more hour was out of the question.\n\n"
    "Mayor Henrik Talvo wants emergency money from the region and expects the work to last "
    "up to eight weeks.",
)
OTHER_BRIDGE = (
    "Drevin shuts Old Ferry Bridge as floodwater scours its pillars",
    "DREVIN — Flood water from the river Asla has washed away the stones around two pillars "
    "of the Old Ferry Bridge, and Drevin's council shut the crossing on Friday.\n\n"
    "Divers from the regional water board found the damage after the river rose by three "
    "metres in two days. Council leader Mirna Solberg said the bridge would stay shut until "
    "the water falls and a survey can be made.\n\n"
    "Lorries are being sent on a 30-kilometre detour through Kelling, and the school bus "
    "from the east bank now leaves twenty minutes earlier.\n\n"
    "The stone bridge dates from 1871 and is a listed monument.",
)
BAKERY = (
    "Lindqvist bakery wins national rye bread prize",
    "A family bakery in the village of Harrow End has won this year's national rye bread "
    "prize, beating 212 entries from across the country.\n\n"
    "Ingrid Lindqvist, who runs the bakery with her two sons, said the winning loaf uses a "
    "sourdough starter her grandmother kept alive through the 1950s.\n\n"
    "The judges praised its dark crust and said it kept fresh for five days. The prize "
    "comes with a cast-iron oven and a place at the spring food fair in Varnholm.",
)
STRIKE = (
    "Workers at Norbeck Foods walk out over pay",
    "About 900 workers at the Norbeck Foods packing plant in Osterby walked out on Monday "
    "after talks on a new pay deal broke down, the Food Workers' Union said.\n\n"
    "The union wants a raise of 7 percent; the company has offered 3 percent over two "
    "years. Union steward Paavo Rinne said the strike would go on until the company "
    "returned to the table.\n\n"
    "Norbeck Foods said it regretted the walkout and that deliveries to shops would continue "
    "from its second plant.",
)
TEASERS = "\n".join(
    [
        "Latest stories",
        "Ferry timetable changes for the summer season ...",
        "Varn Rovers sign a 17-year-old goalkeeper ...",
        "Cycle lanes planned on Saltgate Road ...",
        "Teacher celebrates her 100th birthday ...",
    ]
)


def make_article(
    article_id: str, title: str, body: str, published: dt.date | None = None
) -> Article:
    """A titled article as cleaning would return it."""
    return article_from_text(article_id, f"{title}\n\n{body}", title=title, published=published)


def story_of(stories: Sequence[Story], article_id: str) -> Story:
    return next(s for s in stories if article_id in s.articles)


def lexical(articles: Sequence[Article]) -> list[Story]:
    """The lexical path, as on piles too large to embed: no model is loaded."""
    return group_stories(articles, embed_budget=0)


@pytest.fixture()
def pile() -> list[Article]:
    return [
        make_article("bridge", *BRIDGE),
        make_article("bakery", *BAKERY),
        make_article("bridge-copy", *BRIDGE),
        make_article("other-bridge", *OTHER_BRIDGE),
        make_article("bridge-edit", *BRIDGE_EDIT),
        make_article("bridge-rewrite", *BRIDGE_REWRITE),
    ]


def test_every_article_is_in_exactly_one_story(pile: list[Article]) -> None:
    stories = lexical(pile)
    members = [aid for s in stories for aid in s.articles]
    assert sorted(members) == sorted(a.id for a in pile)


def test_copies_edits_and_rewrites_join_their_original(pile: list[Article]) -> None:
    stories = lexical(pile)
    story = story_of(stories, "bridge")
    assert set(story.articles) == {"bridge", "bridge-copy", "bridge-edit", "bridge-rewrite"}
    assert stories[0] is story  # largest first


def test_exact_copies_and_light_edits_are_listed_as_duplicates(pile: list[Article]) -> None:
    story = story_of(lexical(pile), "bridge")
    assert story.duplicates == (("bridge", "bridge-copy", "bridge-edit"),)
    assert find_near_duplicates(pile) == [("bridge", "bridge-copy", "bridge-edit")]


def test_same_topic_different_event_stays_apart(pile: list[Article]) -> None:
    stories = lexical(pile)
    assert story_of(stories, "other-bridge").articles == ("other-bridge",)


def test_a_lone_article_is_a_story_of_one(pile: list[Article]) -> None:
    story = story_of(lexical(pile), "bakery")
    assert story.articles == ("bakery",)
    assert story.title == BAKERY[0]
    assert story.duplicates == ()


def test_same_words_far_apart_in_time_are_different_stories() -> None:
    """Two strikes at one company, two years apart: the publication dates tell them apart."""
    first = make_article("strike-2029", *STRIKE, published=dt.date(2029, 5, 7))
    again = make_article(
        "strike-2031",
        STRIKE[0].replace("over pay", "again over pay"),
        STRIKE[1].replace("About 900", "About 950").replace("7 percent", "6 percent"),
        published=dt.date(2031, 9, 1),
    )
    same_week = make_article(
        "strike-2029-follow-up",
        "Norbeck Foods strike enters second day",
        STRIKE[1].replace("walked out on Monday", "stayed out on Tuesday"),
        published=dt.date(2029, 5, 8),
    )
    stories = lexical([first, again, same_week])
    assert story_of(stories, "strike-2029").articles == ("strike-2029", "strike-2029-follow-up")
    assert story_of(stories, "strike-2031").articles == ("strike-2031",)


def test_teaser_lines_never_pull_articles_together() -> None:
    """A leftover block of teasers, shared word for word, is not a shared event."""
    bakery = make_article("bakery", BAKERY[0], f"{BAKERY[1]}\n\n{TEASERS}")
    bridge = make_article("other-bridge", OTHER_BRIDGE[0], f"{OTHER_BRIDGE[1]}\n\n{TEASERS}")
    stories = group_stories([bakery, bridge], embed_budget=0)
    assert len(stories) == 2
    assert find_near_duplicates([bakery, bridge]) == []


def test_title_is_that_of_the_most_central_article(pile: list[Article]) -> None:
    story = story_of(lexical(pile), "bridge")
    # The original has two near-identical copies: it is what most of the story shares.
    assert story.title == BRIDGE[0]


def test_ids_and_order_are_deterministic(pile: list[Article]) -> None:
    first = lexical(pile)
    assert lexical(pile) == first
    assert len({s.id for s in first}) == len(first)
    assert all(re.fullmatch(r"story-[0-9a-f]{12}", s.id) for s in first)
    shuffled = pile[:]
    random.Random(3).shuffle(shuffled)
    again = lexical(shuffled)
    assert {s.id: set(s.articles) for s in again} == {s.id: set(s.articles) for s in first}
    sizes = [len(s.articles) for s in first]
    assert sizes == sorted(sizes, reverse=True)


def test_empty_pile_gives_no_stories() -> None:
    assert group_stories([]) == []
    assert find_near_duplicates([]) == []


def test_progress_reports_each_stage(pile: list[Article]) -> None:
    calls: list[tuple[str, int, int]] = []
    lexical_stories = group_stories(pile, embed_budget=0, progress=lambda *call: calls.append(call))
    assert lexical_stories
    stages = [stage for stage, _, _ in calls]
    assert {"near-duplicates", "features", "candidates", "clustering"} <= set(stages)
    assert all(0 <= done <= total for _, done, total in calls)
    last = {stage: (done, total) for stage, done, total in calls}
    assert all(done == total for done, total in last.values())


class StubEmbedder:
    """A deterministic stand-in for MiniLM: one axis per distinct title."""

    name = "stub"

    def __init__(self, vectors: dict[str, np.ndarray] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.vectors = vectors or {}

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(texts)
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, zlib.crc32(text.split("\n")[0].encode()) % 8] = 1.0
        return out


def test_embedder_is_not_called_for_a_pile_without_pairs() -> None:
    stub = StubEmbedder()
    stories = group_stories([make_article("bakery", *BAKERY)], embedder=stub)
    assert [s.articles for s in stories] == [("bakery",)]
    assert stub.calls == []


def test_embedder_reads_title_and_lead_of_paired_articles(pile: list[Article]) -> None:
    stub = StubEmbedder()
    group_stories(pile, embedder=stub)
    texts = [text for call in stub.calls for text in call]
    assert texts and all(text.split("\n")[0] in {a.title for a in pile} for text in texts)
    assert all(len(text) < 400 for text in texts)


def test_bad_inputs_are_reported_and_the_rest_grouped(tmp_path: Path) -> None:
    (tmp_path / "bridge.txt").write_text("\n\n".join(BRIDGE), encoding="utf-8")
    (tmp_path / "bridge-rewrite.txt").write_text("\n\n".join(BRIDGE_REWRITE), encoding="utf-8")
    (tmp_path / "bakery.txt").write_text("\n\n".join(BAKERY), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"title": "cut off', encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    corpus = clean([str(tmp_path)])
    assert {Path(e.source).name for e in corpus.errors} == {"broken.json", "binary.txt"}
    stories = lexical(corpus.articles)
    assert sorted(sorted(s.articles) for s in stories) == [
        ["bakery"],
        ["bridge", "bridge-rewrite"],
    ]


# ---- the stages on their own ----------------------------------------------------------


def test_minhash_estimate_follows_exact_jaccard() -> None:
    rng = random.Random(5)
    vocabulary = [f"w{k}" for k in range(400)]
    base = [rng.choice(vocabulary) for _ in range(300)]
    texts = [" ".join(base)]
    for rate in (0.05, 0.2, 0.5):
        texts.append(" ".join(w if rng.random() > rate else "x" + w for w in base))
    sig = signatures(texts)
    shingles = [{tuple(t.split()[k : k + 3]) for k in range(len(t.split()) - 2)} for t in texts]
    pairs = np.array([[0, k] for k in range(1, len(texts))])
    estimate = estimate_jaccard(sig, pairs)
    for (i, j), value in zip(pairs.tolist(), estimate.tolist(), strict=True):
        exact = len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j])
        assert abs(value - exact) < 0.15
    found, _ = duplicate_pairs(texts)
    assert [0, 1] in found.tolist()


def test_minhash_signatures_do_not_depend_on_the_batch() -> None:
    texts = [" ".join(BRIDGE), " ".join(BAKERY), "", "short text"]
    together = signatures(texts)
    alone = np.vstack([signatures([t]) for t in texts])
    assert np.array_equal(together[:2], alone[:2])
    # Texts without a shingle match nothing, not even each other.
    assert not np.array_equal(together[2], together[3])


def test_average_linkage_matches_the_textbook_algorithm() -> None:
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(11)
    for _ in range(10):
        n = int(rng.integers(5, 40))
        points = rng.normal(size=(n, 4))
        points /= np.linalg.norm(points, axis=1, keepdims=True)
        similarity = points @ points.T
        similarity[rng.random((n, n)) < 0.5] = 0.0
        similarity = np.triu(similarity, 1)
        similarity = similarity + similarity.T
        i, j = np.triu_indices(n, 1)
        edge = similarity[i, j] != 0
        pairs = np.stack((i[edge], j[edge]), axis=1).astype(np.int64)
        labels = average_linkage(n, pairs, similarity[i, j][edge].astype(np.float32), 0.3)
        distance = 1 - similarity
        np.fill_diagonal(distance, 0)
        expected = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=0.7 + 1e-9,
        ).fit_predict(distance)
        same = labels[:, None] == labels[None, :]
        assert np.array_equal(same, expected[:, None] == expected[None, :])


# ---- acceptance: the public seeds and the bundled samples in one pile -----------------


def _expected_sample_stories(samples: Path) -> list[set[str]]:
    """The 'Stories' table of samples/EXPECTED.md, as sets of article names."""
    text = (samples / "EXPECTED.md").read_text(encoding="utf-8")
    section = text.split("## Stories", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [set(row.split("|")[2].split()) for row in rows]


def _name(article: Article) -> str:
    """File stem, or the feed item's guid (feed articles are named by it in EXPECTED.md)."""
    if "#" in article.source:
        return article.source.rsplit("#", 1)[1]
    return Path(article.source).stem


@pytest.fixture(scope="module")
def acceptance_pile(seeds_dir: Path) -> list[Article]:
    samples = Path(__file__).resolve().parent.parent / "samples"
    if not (samples / "EXPECTED.md").exists():
        pytest.skip("samples/EXPECTED.md is absent")
    corpus = clean([*(str(p) for p in sorted(seeds_dir.glob("0*.txt"))), str(samples)])
    assert corpus.errors == ()
    return list(corpus.articles)


def _check_acceptance(stories: list[Story], pile: list[Article]) -> None:
    samples = Path(__file__).resolve().parent.parent / "samples"
    names = {a.id: _name(a) for a in pile}
    got = sorted(sorted(names[aid] for aid in s.articles) for s in stories)
    seeds = sorted(names[a.id] for a in pile if a.source.startswith(str(SEEDS_DIR)))
    expected = sorted([seeds] + [sorted(s) for s in _expected_sample_stories(samples)])
    assert got == expected


SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_seeds_and_samples_form_the_expected_stories_lexically(
    acceptance_pile: list[Article],
) -> None:
    _check_acceptance(lexical(acceptance_pile), acceptance_pile)


def test_seeds_and_samples_form_the_expected_stories_with_minilm(
    acceptance_pile: list[Article],
) -> None:
    from copydesk.embed import default_embedder
    from copydesk.errors import MissingDependency

    try:
        default_embedder().encode(["warm up"])
    except MissingDependency as exc:
        pytest.skip(str(exc))
    _check_acceptance(group_stories(acceptance_pile), acceptance_pile)
