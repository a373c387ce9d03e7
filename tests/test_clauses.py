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
