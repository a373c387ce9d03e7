"""Tokens and content stems, the lexical side of every comparison."""

from __future__ import annotations

from copydesk.analyze.tokens import content_stems, tokens


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
