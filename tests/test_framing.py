"""Framing rules on small claims built in the test."""

from __future__ import annotations

from conftest import article_from_text
from copydesk.analyze.framing import find_framing
from copydesk.models import Claim, Mention


def _framing(*texts: str) -> list[set[tuple[str, str]]]:
    articles = [article_from_text(f"a{i}", t) for i, t in enumerate(texts)]
    claim = Claim(
        "c1",
        texts[0],
        tuple(Mention(a.id, 0, len(a.text)) for a in articles),
        tuple(a.id for a in articles),
        len(articles),
    )
    found = find_framing([claim], {a.id: a for a in articles})
    return [{(t.article, t.term) for t in f.variants} for f in found if f.family == "attribution"]


def test_claimed_against_said_is_framing_but_said_against_told_is_not() -> None:
    assert _framing(
        "Mayor Ostra claimed the bridge had been inspected in May.",
        "Mayor Ostra said the bridge had been inspected in May.",
    ) == [{("a0", "claimed"), ("a1", "said")}]
    assert (
        _framing(
            "Mayor Ostra told reporters the bridge had been inspected in May.",
            "Mayor Ostra said the bridge had been inspected in May.",
        )
        == []
    )


def test_the_noun_and_the_adjective_are_not_attribution() -> None:
    assert (
        _framing(
            "The claims about the bridge were false, Mayor Ostra said.",
            "Ostra's alleged defects in the bridge were repaired, Mayor Ostra said.",
        )
        == []
    )
    assert (
        _framing(
            "He has referred to alleged “shadow banning” by the site, the ministry said.",
            "The site has said that it does not hide posts, the ministry said.",
        )
        == []
    )
    assert (
        _framing(
            "Medicare claims rose in May, the ministry said.",
            "In May claims rose, the ministry said.",
        )
        == []
    )


def test_a_speaker_in_lower_case_is_a_speaker() -> None:
    assert _framing(
        "The ministry claimed that the bridge had been inspected in May.",
        "The ministry said that the bridge had been inspected in May.",
    ) == [{("a0", "claimed"), ("a1", "said")}]


def test_attribution_is_compared_within_a_claim_only() -> None:
    articles = [
        article_from_text("a0", "Ostra claimed the bridge was safe. The river rose on Monday."),
        article_from_text("a1", "Ostra said the budget was spent. The river rose on Monday."),
    ]
    assert not [
        f for f in find_framing([], {a.id: a for a in articles}) if f.family == "attribution"
    ]
