"""The same-fact scorer on fictional sentences (the port town of Kestrow)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

import copydesk.analyze.similarity  # noqa: F401  (the module, not the function of that name)
from copydesk.embed import default_embedder

sim = sys.modules["copydesk.analyze.similarity"]

FACT = "The Kestrow city council approved a budget of 40 million crowns on Tuesday."
PARAPHRASES = (
    "On Tuesday the Kestrow city council approved a 40 million crown budget.",
    "Kestrow's city council approved a budget of 40 million crowns on Tuesday, officials said.",
)
DIFFERENT = {
    "changed number": "The Kestrow city council approved a budget of 65 million crowns on Tuesday.",
    "changed actor": "The Orlen city council approved a budget of 40 million crowns on Tuesday.",
    "negation": (
        "The Kestrow city council did not approve a budget of 40 million crowns on Tuesday."
    ),
}
OTHERS = (
    "Dockworkers at Kestrow walked out for a second day over pay.",
    "The harbour master said two cranes would be repaired by Friday.",
    FACT,
    *PARAPHRASES,
    *DIFFERENT.values(),
)


def test_the_shipped_model_is_data_in_the_package_and_loads_offline() -> None:
    data = json.loads(sim.MODEL_PATH.read_text(encoding="utf-8"))
    assert len(data["features"]) == len(data["weights"])
    assert set(data["features"]) <= {"cosine", *sim.LEXICAL}
    assert pytest.approx(data["threshold"]) == sim.SAME_FACT_THRESHOLD
    assert 0.0 < sim.SAME_FACT_THRESHOLD < 1.0


@pytest.mark.parametrize("paraphrase", PARAPHRASES)
def test_a_paraphrase_of_the_same_fact_scores_above_the_threshold(paraphrase: str) -> None:
    assert sim.similarity(FACT, paraphrase) >= sim.SAME_FACT_THRESHOLD


def test_other_facts_of_the_same_story_score_below_the_threshold() -> None:
    for other in OTHERS[:2]:
        assert sim.similarity(FACT, other) < sim.SAME_FACT_THRESHOLD, other


@pytest.mark.parametrize("change", sorted(DIFFERENT))
def test_a_changed_detail_is_seen_by_the_features(change: str) -> None:
    """A changed figure, actor or negation keeps the wording, so the score stays high:
    alignment must keep such sentences in one claim for ``find_discrepancies`` to report
    the disagreement. The features that would tell them apart do see the change."""
    features = sim.pair_features(sim.profile(FACT), sim.profile(DIFFERENT[change]))
    seen = {"changed number": "number_conflict", "changed actor": "name_conflict"}
    assert features[seen.get(change, "negation")] == 1.0
    for paraphrase in PARAPHRASES:
        same = sim.pair_features(sim.profile(FACT), sim.profile(paraphrase))
        assert same["number_conflict"] == same["name_conflict"] == same["negation"] == 0.0


def test_scores_are_symmetric() -> None:
    for other in OTHERS:
        assert sim.similarity(FACT, other) == pytest.approx(sim.similarity(other, FACT), abs=1e-6)


def test_profile_reads_numbers_names_and_negation() -> None:
    p = sim.profile("Police in Kestrow said 1,200 workers and three ships did not leave.")
    assert p.numbers == {"1200", "3"}
    assert "kestrow" in p.names and "polic" not in p.names  # the opening word is no name
    assert p.negated
    assert not sim.profile("Nothing was said; the ships left.").names


def test_the_matrix_path_equals_the_pair_path() -> None:
    """A story scores whole matrices; each cell must be the score of that pair alone,
    for a square block and for a block of some rows against all columns."""
    texts = list(OTHERS)
    vectors = default_embedder().encode(texts)
    profiles = [sim.profile(t) for t in texts]
    cosine = np.clip(vectors @ vectors.T, -1.0, 1.0).astype(np.float32)
    square = sim.combine_matrix(cosine, sim.lexical_matrices(profiles))
    block = sim.combine_matrix(cosine[2:5].copy(), sim.lexical_matrices(profiles[2:5], profiles))
    assert square.dtype == np.float32 and block.dtype == np.float32
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            expected = sim.similarity(a, b)
            assert square[i, j] == pytest.approx(expected, abs=1e-5), (a, b)
            if 2 <= i < 5:
                assert block[i - 2, j] == pytest.approx(expected, abs=1e-5), (a, b)
