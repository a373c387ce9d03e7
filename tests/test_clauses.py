"""Clause splitting of compound sentences, and clauses joining the claims of their facts."""

from __future__ import annotations

from copydesk.analyze.clauses import clause_spans


def _clauses(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_spans(text)]


def test_a_folded_second_fact_becomes_its_own_clause() -> None:
    text = (
        "Some analysts expected the visit to put pressure on the council to rethink its "
        "plan, especially as the mayor pledged full support for the new bridge."
    )
    assert _clauses(text) == [
        "Some analysts expected the visit to put pressure on the council to rethink its plan",
        "the mayor pledged full support for the new bridge.",
    ]


def test_semicolon_and_comma_and_split_two_clauses() -> None:
    text = (
        "By evening 38 ships were waiting off the coast, and exporters of fish have warned "
        "that their goods could spoil within days; the harbour master declined to comment."
    )
    assert len(_clauses(text)) == 3


def test_simple_and_short_sentences_stay_whole() -> None:
    for text in (
        "Police fired tear gas at striking dockworkers on Tuesday.",
        "He came, and he left.",
    ):
        assert clause_spans(text) == [(0, len(text))]


def test_quotations_are_never_cut() -> None:
    text = (
        "“We came to the gate to talk, and we were met with batons by the police,” said the "
        "union chairman on Tuesday."
    )
    assert clause_spans(text) == [(0, len(text))]
    # A sentence that closes a quotation opened in the previous one starts inside it.
    tail = "I hope they do not do it, and it would be a big mistake,” the minister said."
    assert clause_spans(tail) == [(0, len(tail))]


def test_lists_and_non_clausal_as_are_not_split() -> None:
    listed = (
        "The council will fine four shipping firms, five harbour agencies, and eight "
        "individuals involved in the transfers."
    )
    assert clause_spans(listed) == [(0, len(listed))]
    per = "North Korean troops briefly crossed the border on Thursday, as per the officials."
    assert clause_spans(per) == [(0, len(per))]


def test_clause_spans_slice_back_inside_the_sentence() -> None:
    text = "The walkout has halted most cargo at the port, and exporters warned of losses today."
    spans = clause_spans(text)
    assert len(spans) == 2
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert spans[0][1] <= spans[1][0]


def test_clause_units_follow_the_sentences_and_keep_their_scores() -> None:
    """split_clauses appends clauses after the sentences without rescoring sentences."""
    import numpy as np

    from conftest import article_from_text
    from copydesk.analyze.clauses import split_clauses
    from copydesk.analyze.units import build_units

    class Bag:
        """A deterministic stand-in embedder: hashed bag of words, L2-normalised."""

        def encode(self, texts: list[str]) -> np.ndarray:
            out = np.zeros((len(texts), 64), dtype=np.float32)
            for row, text in enumerate(texts):
                for word in text.lower().split():
                    out[row, sum(map(ord, word)) % 64] += 1.0
            return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    a = article_from_text(
        "a",
        "By evening 38 cargo ships were waiting off the coast, and exporters of fish "
        "warned that their goods could spoil within days.",
    )
    b = article_from_text("b", "Exporters of fish warned that their goods could spoil soon.")
    units = build_units([a, b], Bag())
    clauses = split_clauses(units, Bag())
    n = len(units.units)
    assert [u.index for u in clauses.units] == list(range(len(clauses.units)))
    assert clauses.units[:n] == units.units and len(clauses.units) == n + 2
    assert np.array_equal(clauses.scores[:n, :n], units.scores)
    assert np.allclose(clauses.scores, clauses.scores.T)
    tail = clauses.units[n + 1]
    assert tail.text.startswith("exporters") and tail.sentence == 0
    assert clauses.scores[n + 1, n] == 0.0  # two clauses of one article
    assert clauses.scores[n + 1, 1] > clauses.scores[n, 1]  # the clause that states b's fact


def test_with_and_a_participle_opens_a_clause_a_noun_phrase_does_not() -> None:
    text = (
        "The ferry ran aground near Ostby on Sunday for the second time this month, with "
        "coastguard officers saying that nobody on board was hurt."
    )
    assert _clauses(text) == [
        "The ferry ran aground near Ostby on Sunday for the second time this month",
        "coastguard officers saying that nobody on board was hurt.",
    ]
    for whole in (
        "The council approved the plan for the new harbour wall, with a budget of three "
        "million crowns over four years.",
        "The mayor opened the bridge on Friday, with growing crowds along both banks.",
    ):
        assert clause_spans(whole) == [(0, len(whole))], whole
