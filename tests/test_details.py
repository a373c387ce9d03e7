"""Detail claims: places and rankings given in passing by several articles."""

from __future__ import annotations

from conftest import article_from_text
from copydesk.analyze.details import find_details
from copydesk.models import Article, Claim, Mention


def _articles(*texts: str) -> list[Article]:
    return [article_from_text(f"a{i}", t) for i, t in enumerate(texts)]


def _sentence_claims(articles: list[Article]) -> list[Claim]:
    """Every whole article as a claim of its own: nothing brings the details together."""
    return [
        Claim(f"c{i + 1}", a.text, (Mention(a.id, 0, len(a.text)),), (a.id,), 1)
        for i, a in enumerate(articles)
    ]


def _texts(articles: list[Article], claim: Claim) -> set[str]:
    by_id = {a.id: a for a in articles}
    return {by_id[m.article].text[m.start : m.end] for m in claim.mentions}


def test_a_place_given_in_sentences_about_different_things_is_one_detail() -> None:
    articles = _articles(
        "At North Pier 4 in Halden, fire crews were called at dawn to a blaze.",
        "Smoke still hung over the fish market outside North Pier 4 when traders arrived.",
        "The mayor of Halden praised the firefighters for their speed.",
    )
    groups = {"a0": 0, "a1": 1, "a2": 2}
    (detail,) = find_details(articles, _sentence_claims(articles), groups)
    assert detail.kind == "detail" and detail.id == "c4"
    assert detail.articles == ("a0", "a1") and detail.groups == 2
    assert _texts(articles, detail) == {"At North Pier 4", "outside North Pier 4"}


def test_rewordings_of_a_ranking_with_an_ordinal_meet() -> None:
    articles = _articles(
        "Trading stopped at Valmora's third-largest bank after the outage on Monday.",
        "Customers of the lender, Valmora's third-biggest, could not pay by card.",
        "Engineers restored payments at Valmora’s third-busiest lender by the evening.",
    )
    groups = {"a0": 0, "a1": 1, "a2": 1}
    (detail,) = find_details(articles, _sentence_claims(articles), groups)
    assert detail.articles == ("a0", "a1", "a2") and detail.groups == 2
    assert _texts(articles, detail) == {
        "Valmora's third-largest bank",
        "Valmora's third-biggest",
        "Valmora’s third-busiest lender",
    }


def test_first_rankings_of_different_measures_stay_apart() -> None:
    articles = _articles(
        "Orvane is the world's largest salt producer, the report said.",
        "Orvane, the world's most profitable salt producer, cut prices.",
    )
    assert find_details(articles, _sentence_claims(articles), {"a0": 0, "a1": 1}) == []


def test_no_detail_when_one_claim_already_holds_every_mention() -> None:
    articles = _articles(
        "The ferry ran aground at Kell Point 2 on Sunday morning.",
        "On Sunday morning the ferry ran aground at Kell Point 2.",
    )
    both = Claim(
        "c1",
        articles[0].text,
        tuple(Mention(a.id, 0, len(a.text)) for a in articles),
        ("a0", "a1"),
        2,
    )
    assert find_details(articles, [both], {"a0": 0, "a1": 1}) == []


def test_the_story_own_place_people_and_nouns_in_est_are_not_details() -> None:
    articles = [
        article_from_text(
            "a0", "Quay workers walked out at the Port of Dunrath on Friday.", title="Port strike"
        ),
        article_from_text(
            "a1",
            "Minister Ilse Varga spoke at the Port of Dunrath and met Ilse Varga's protest group.",
            title="Strike at Dunrath",
        ),
        article_from_text(
            "a2",
            "Ilse Varga said Dunrath's protest would end at Friday noon.",
            title="Dunrath talks",
        ),
    ]
    found = find_details(articles, _sentence_claims(articles), {"a0": 0, "a1": 1, "a2": 2})
    assert found == [], [c.text for c in found]
