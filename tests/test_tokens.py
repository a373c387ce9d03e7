"""Tokens and content stems, the lexical side of every comparison."""

from __future__ import annotations

from copydesk.analyze.tokens import (
    content_stems,
    proportions,
    quantities,
    quotes,
    tokens,
    topic_stems,
)


def test_a_number_with_thousands_separators_is_one_token() -> None:
    assert [t.text for t in tokens("About 1,200 dockworkers and 3,400.5 tonnes")] == [
        "About",
        "1,200",
        "dockworkers",
        "and",
        "3,400.5",
        "tonnes",
    ]
    # "1,200" and "200" are different figures, so they must not share a stem.
    assert "1,200" in content_stems("Roughly 1,200 dockworkers walked out")
    assert "200" not in content_stems("Roughly 1,200 dockworkers walked out")


def test_token_offsets_slice_back() -> None:
    text = "The U.S. port's 1,200 well-known workers"
    for t in tokens(text):
        assert text[t.start : t.end] == t.text


def test_a_proportion_is_one_token_however_it_is_written() -> None:
    third = {"1/3"}
    assert third <= content_stems("The port handles about a third of all traffic")
    assert third <= content_stems("Roughly one in three containers pass through it")
    assert third <= content_stems("one-third of the workforce")
    assert "2/3" in content_stems("two-thirds of members voted")
    assert "3/4" in content_stems("three quarters of the ships")
    assert "1/5" in content_stems("1 in 5 adults")
    # A percentage keeps its figure: 3.5% and 3.6% are two figures, not one rounded.
    assert {"3.5", "percent"} <= content_stems("Sales rose 3.5 percent")
    # Ordinals, times and years are not proportions.
    ordinals_and_times = (
        "won a third term",
        "the first half",
        "in the first half of 2024 prices rose",
        "an hour and a half of overtime",
        "the past two quarters",
        "7 in 2010",
        "he scored 2 in 5 minutes",
    )
    for text in ordinals_and_times:
        assert not proportions(text), text


def test_proportions_in_capitals_and_after_a_thousands_comma() -> None:
    assert "1/3" in content_stems("A Third of Kestrow Containers Stuck")
    assert "2/3" in content_stems("Two-Thirds of Members Vote")
    # "1,050 percent" is one figure, not 1,050 and a 50% share.
    assert [q.value for q in quantities("Prices rose 1,050 percent")] == [1050.0]


def test_a_proportion_is_a_percentage_of_what_it_counts() -> None:
    (share,) = quantities("Roughly one in three containers")
    assert (round(share.value, 1), share.unit, share.text) == (
        33.3,
        "percent of contain",
        "one in three",
    )
    values = {(round(q.value, 1), q.unit) for q in quantities("about a third of Varn's 14 ships")}
    assert values == {(33.3, "percent of ship"), (14.0, "ship")}
    assert [q.unit for q in quantities("half the containers")] == ["percent of contain"]
    # A share of nothing named is only a percentage.
    assert [q.unit for q in quantities("Prices rose 5 percent")] == ["percent"]


def test_topic_words_are_in_half_the_titles_and_in_two() -> None:
    titles = [
        "Police fire tear gas at Kestrow dock pickets",
        "Tear gas and 14 injured at Kestrow port",
        "Kestrow strike: minister calls for talks",
        "Dockers clash with riot police",
    ]
    assert topic_stems(titles) == {"polic", "tear", "gas", "kestrow"}
    # One title names no topic: every word of it would be one.
    assert topic_stems(titles[:1]) == frozenset()


def test_text_between_two_quotes_whose_marks_do_not_pair_is_not_a_quote() -> None:
    text = 'She called it an “act of terror" and an "act of hate."'
    assert " and an " not in {q.text for q in quotes(text)}
    assert [q.text for q in quotes("He called it “an act of terror” on Monday.")] == [
        "an act of terror"
    ]


def test_a_name_particle_is_a_whole_word() -> None:
    """A particle such as "de" is a whole word: "described" does not extend a name."""
    from copydesk.analyze.tokens import names

    text = "Aides said Mayor Ada Corrin described the plan to Hugo de Vries."
    assert [t.text for t in names(text)] == ["Aides", "Mayor Ada Corrin", "Hugo de Vries"]
