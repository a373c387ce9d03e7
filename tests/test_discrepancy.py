"""Discrepancy rules on small claims built in the test."""

from __future__ import annotations

import datetime as dt

from conftest import article_from_text
from copydesk.analyze.discrepancy import find_discrepancies
from copydesk.models import Article, Claim, Mention


def _article(aid: str, text: str) -> Article:
    return article_from_text(aid, text)


def _dated(aid: str, text: str, day: str) -> Article:
    return article_from_text(aid, text, published=dt.date.fromisoformat(day))


def _found(kind: str, articles: tuple[Article, ...], *claimed: Article) -> list[set[str]]:
    """The variant texts of each discrepancy of ``kind`` in one claim of ``claimed``."""
    found = find_discrepancies([_claim(*claimed)], {x.id: x for x in articles})
    return [{v.text for v in d.variants} for d in found if d.kind == kind]


def _claim(*articles: Article) -> Claim:
    mentions = tuple(Mention(a.id, 0, len(a.text)) for a in articles)
    return Claim("c1", articles[0].text, mentions, tuple(a.id for a in articles), len(articles))


def test_a_negating_qualifier_one_version_lacks_is_a_qualifier_discrepancy() -> None:
    a = _article("a", "The council has sent non-binding guidance and medical supplies to the port.")
    b = _article("b", "The council has sent binding guidance and medical supplies to the port.")
    c = _article("c", "The council sent guidance and medical supplies to the port.")
    found = [d for d in find_discrepancies([_claim(a, b, c)], {x.id: x for x in (a, b, c)})]
    qualifier = [d for d in found if d.kind == "qualifier"]
    assert len(qualifier) == 1
    texts = {(v.article, v.text) for v in qualifier[0].variants}
    assert ("a", "non-binding guidance") in texts
    assert ("b", "guidance") in texts and ("c", "guidance") in texts
    for v in qualifier[0].variants:
        article = {"a": a, "b": b, "c": c}[v.article]
        assert article.text[v.start : v.end] == v.text


def test_names_with_a_non_prefix_are_not_qualifiers() -> None:
    a = _article("a", "Both states signed the Non-Proliferation Treaty in 1970 in Geneva.")
    b = _article("b", "Both states signed the treaty in 1970 in Geneva after long talks.")
    found = find_discrepancies([_claim(a, b)], {"a": a, "b": b})
    assert not [d for d in found if d.kind == "qualifier"]


def test_an_unquoted_rendering_that_changes_a_quoted_word_is_a_quote_discrepancy() -> None:
    a = _article(
        "a", 'The mayor said the closure would "hurt working families that need the ferry".'
    )
    b = _article(
        "b", "The mayor warned that the closure would hurt island families that need the ferry."
    )
    found = find_discrepancies([_claim(a, b)], {"a": a, "b": b})
    quote = [d for d in found if d.kind == "quote"]
    assert len(quote) == 1
    texts = {(v.article, v.text) for v in quote[0].variants}
    assert texts == {
        ("a", "hurt working families that need the ferry"),
        ("b", "island families that need the ferry"),
    }
    for v in quote[0].variants:
        article = {"a": a, "b": b}[v.article]
        assert article.text[v.start : v.end] == v.text


def test_a_rendering_that_only_quotes_less_is_not_a_discrepancy() -> None:
    a = _article("a", 'The minister pledged "full and lasting support" for the fishing fleet.')
    b = _article("b", "The minister pledged lasting support for the fishing fleet on Monday.")
    c = _article("c", 'The minister promised the fleet "full and lasting support" after the storm.')
    found = find_discrepancies([_claim(a, b, c)], {x.id: x for x in (a, b, c)})
    assert not [d for d in found if d.kind == "quote"], found


def test_a_respelled_name_is_a_name_discrepancy_and_an_added_title_is_not() -> None:
    a = _article("a", "Councillor Mara Vellen opened the new lock at Dunmere on Monday.")
    b = _article("b", "The new lock at Dunmere was opened by Mara Vellen on Monday.")
    c = _article("c", "Mr. Marra Vellen opened the new lock at Dunmere on Monday.")
    d = _article("d", "The U.N. Harbour Agency and Harbour Agency staff watched the lock open.")
    found = find_discrepancies([_claim(a, b, c, d)], {x.id: x for x in (a, b, c, d)})
    pairs = [{(v.article, v.text) for v in x.variants} for x in found if x.kind == "name"]
    assert {("b", "Mara Vellen"), ("c", "Mr. Marra Vellen")} in pairs, pairs
    assert not any(
        ("a", "Councillor Mara Vellen") in p and ("b", "Mara Vellen") in p for p in pairs
    )
    assert not any(v.startswith("S.") or v == "N. Harbour Agency" for p in pairs for _, v in p)


def test_figures_written_in_capitals_are_not_a_respelled_name() -> None:
    a = _article("a", "“The last government paid 1.8 Billion Dollars for hostages,” he wrote.")
    b = _article("b", "“Nothing was paid, not two Million Dollars,” he wrote on Friday.")
    found = find_discrepancies([_claim(a, b)], {x.id: x for x in (a, b)}, (a, b))
    assert not [d for d in found if d.kind == "name"], found


def test_a_rounded_figure_is_not_a_number_discrepancy_but_another_count_is() -> None:
    a = _article("a", "The flood forced 48,215 residents from their homes along the Varn.")
    b = _article("b", "About 48,000 residents were forced from their homes by the flood.")
    c = _article("c", "The flood forced 61,000 residents from their homes, officials said.")
    ids = {x.id: x for x in (a, b, c)}
    assert not [d for d in find_discrepancies([_claim(a, b)], ids) if d.kind == "number"]
    (number,) = [d for d in find_discrepancies([_claim(a, b, c)], ids) if d.kind == "number"]
    assert {v.text for v in number.variants} == {"48,215", "48,000", "61,000"}


def test_a_share_written_as_a_fraction_a_ratio_or_a_percentage_is_one_figure() -> None:
    a = _article("a", "The harbour handles about a third of Varn's container traffic.")
    b = _article("b", "Roughly one in three containers entering Varn passes the harbour.")
    c = _article("c", "The harbour handles 33 per cent of the containers bound for Varn.")
    d = _article("d", "The harbour handles a quarter of Varn's container traffic.")
    every = (a, b, c, d)
    assert _found("number", every, a, b, c) == []
    assert _found("number", every, a, d) == [{"a third", "a quarter"}]


def test_a_hedged_sum_agrees_and_a_rank_is_not_a_count() -> None:
    a = _article("a", "The couple reported an income of $43 million, their returns show.")
    b = _article("b", "The couple reported an income of nearly $44 million, their returns show.")
    assert _found("number", (a, b), a, b) == []
    e = _article("e", "The couple reported an income of about € 44 million, the returns show.")
    f = _article("f", "The couple reported an income of about US$44 million, the returns show.")
    assert _found("number", (a, e), a, e) == []
    assert _found("number", (a, f), a, f) == []
    c = _article("c", "Rep. Halden keeps the No. 2 position in the caucus leadership.")
    d = _article("d", "Rep. Halden stays in the No. 3 position in the caucus leadership.")
    assert _found("number", (c, d), c, d) == []


def test_a_quote_opened_a_word_earlier_is_the_same_quote_but_an_intensifier_is_not() -> None:
    a = _article("a", "Mr. Varga told “senior campaign officials” about the leaked files.")
    b = _article("b", "Varga spoke “to senior campaign officials” about the leaked files.")
    assert _found("quote", (a, b), a, b) == []
    c = _article("c", "Arming the rebels would be “a big mistake,” the minister said.")
    d = _article("d", "Arming the rebels would be “a very big mistake,” the minister said.")
    assert _found("quote", (c, d), c, d) == [{"a big mistake,", "a very big mistake,"}]
    # Quoting more of the same words is not a different quote; an intensifier is.
    g = _article("g", "The judge said he felt “whipsawed” by the lawyer's account.")
    h = _article("h", "“I’m getting whipsawed here,” the judge told the lawyer.")
    assert _found("quote", (g, h), g, h) == []
    i = _article("i", "The minister said he felt “badly” for the dismissed adviser.")
    j = _article("j", "The minister said he felt “very badly” for the dismissed adviser.")
    assert _found("quote", (i, j), i, j) == [{"badly", "very badly"}]
    e = _article("e", "The convoy carried aid “to Kyiv” on Monday, the ministry said.")
    f = _article("f", "The convoy carried aid “from Kyiv” on Monday, the ministry said.")
    assert _found("quote", (e, f), e, f) == [{"to Kyiv", "from Kyiv"}]


def test_a_negated_verb_against_the_plain_verb_and_not_a_negated_name() -> None:
    a = _article("a", "The ferry company did not immediately cancel the evening sailings.")
    b = _article("b", "The ferry company cancelled the evening sailings on Friday.")
    c = _article("c", "It was not Halvard who cancelled them, but the harbour master Halvard.")
    ids = {x.id: x for x in (a, b, c)}
    (negation,) = [d for d in find_discrepancies([_claim(a, b, c)], ids) if d.kind == "negation"]
    assert {(v.article, v.text) for v in negation.variants} == {
        ("a", "not immediately cancel"),
        ("b", "cancelled"),
        ("c", "cancelled"),
    }


def test_a_contraction_negates_and_two_negations_agree() -> None:
    a = _article("a", "The mayor said the letters didn’t represent the whole council.")
    b = _article("b", "The council replied that the letters do represent its view.")
    assert _found("negation", (a, b), a, b) == [{"didn’t represent", "represent"}]
    # "won't" / "will not", "couldn't have" / "could not": one version, no discrepancy.
    c = _article("c", "The minister said she won't release the audit until May.")
    d = _article("d", "The minister will not release the audit, she said on Monday.")
    e = _article("e", "Varga couldn't have served on both boards at once.")
    f = _article("f", "Varga could not serve on the board while in parliament.")
    assert _found("negation", (c, d), c, d) == []
    assert _found("negation", (e, f), e, f) == []


def test_a_denial_refusal_or_no_subject_negates_the_verb() -> None:
    a = _article("a", "The ministry did not pay the ransom the kidnappers sought.")
    b = _article("b", "The ministry denies paying the ransom the kidnappers sought.")
    c = _article("c", "No ransom was paid to the kidnappers, the ministry said.")
    d = _article("d", "The governor is not conceding the race.")
    e = _article("e", "The governor again refuses to concede the race.")
    assert _found("negation", (a, b, c), a, b, c) == []
    assert _found("negation", (d, e), d, e) == []


def test_only_an_assertion_counts_against_a_negation() -> None:
    """A modal's verb, an infinitive, a verb joined to one, a derived noun, and a
    predicate adjective or noun used elsewhere are no claim that the thing happened."""
    pairs = [
        (
            "The panel could not issue the subpoenas without votes from the other party.",
            "The panel could issue more subpoenas if witnesses refuse.",
        ),
        (
            "The law does not discriminate, the senator said.",
            "It will not be allowed to discriminate against anyone, the senator said.",
        ),
        (
            "The rebels will not negotiate until the shelling stops.",
            "The rebels want the shelling to stop before negotiations begin.",
        ),
        (
            "The union urged the board not to declare an emergency.",
            "The board planned to meet and declare an emergency on Friday.",
        ),
        (
            "Parents who are not citizens would lose the benefit.",
            "Their children are immediately a citizen at birth.",
        ),
        (
            "The inquiry not only criticized the chief but also his deputy.",
            "The inquiry criticized the chief for his use of private email.",
        ),
        (
            "The rules would not apply to civil unions.",
            "The rules do not cover civil unions, the ministry said.",
        ),
        (
            "The rebels refused to support the truce.",
            "The talks stalled, short of support from the rebels.",
        ),
        (
            "The mayor said no and went on to win the vote.",
            "The mayor turned the offer down and went on to win the vote.",
        ),
    ]
    for one, other in pairs:
        a, b = _article("a", one), _article("b", other)
        assert _found("negation", (a, b), a, b) == [], (one, other)


def test_weekdays_are_read_against_each_article_publication_date() -> None:
    # 2025-03-03 is a Monday.
    a = _dated("a", "The storm closed the harbour on Sunday, the port said.", "2025-03-03")
    b = _dated("b", "The harbour was closed by the storm on Sunday, officials said.", "2025-03-04")
    c = _dated("c", "The storm closed the harbour on Monday, the port said.", "2025-03-03")
    d = _dated("d", "The storm closed the harbour on Friday, the port said.", "2025-03-20")
    every = (a, b, c, d)
    assert _found("date", every, a, b) == []  # one Sunday, in Monday's and Tuesday's papers
    assert _found("date", every, a, c) == [{"on Sunday", "on Monday"}]
    assert _found("date", every, a, d) == []  # two weeks apart: not the same week's days


def test_a_day_given_as_weekday_and_date_is_one_date_discrepancy() -> None:
    a = _article("a", "The strike began on Saturday, March 1, at the northern gates.")
    b = _article("b", "The strike began on Friday, February 28, the union said.")
    c = _article("c", "The strike began on Friday at the gates; by February 28 it had spread.")
    assert _found("date", (a, b), a, b) == [{"on Saturday, March 1", "on Friday, February 28"}]
    # Written apart, the weekday and the date stay two variants of the one discrepancy.
    (variants,) = _found("date", (a, c), a, c)
    assert variants == {"on Saturday, March 1", "on Friday", "February 28"}


def test_a_date_written_day_first_or_month_first_is_one_date() -> None:
    a = _article("a", "About 1,200 dockworkers have been on strike since Saturday, March 1.")
    b = _article("b", "About 1,200 dockworkers have been on strike since 1 March.")
    c = _article("c", "About 1,200 dockworkers have been on strike since 2 March.")
    assert _found("date", (a, b), a, b) == []
    assert _found("date", (b, c), b, c) == [{"1 March", "2 March"}]


def test_the_year_a_span_starts_or_ends_given_differently_is_a_date_discrepancy() -> None:
    a = _article(
        "a", "Ms. Orlo has led the party's deputies since 2002, and from 1990 to 1998 ran a farm."
    )
    b = _article(
        "b", "Orlo, who has led the party's deputies since 2003, ran a farm from 1990 to 1998."
    )
    c = _article("c", "Orlo has led the deputies since 2002; she was first elected in 1987.")
    d = _article("d", "Orlo has led the deputies since 2002; she was first elected in 1989.")
    assert _found("date", (a, b), a, b) == [{"since 2002", "since 2003"}]
    assert _found("date", (c, d), c, d) == []  # "in" a year: not read
    e = _article("e", "Brooke held the seat from 1966 to 1978, and Orlo has since 1990.")
    f = _article("f", "Brooke, who served from 1967 to 1979, held the seat; Orlo since 1990.")
    assert _found("date", (e, f), e, f) == [{"from 1966 to 1978", "from 1967 to 1979"}]
    # The start of one span and the end of another are not one date.
    g = _article("g", "The couple have released their tax returns dating back to 1977.")
    h = _article("h", "They released returns for the period from 1977 through 2006.")
    assert _found("date", (g, h), g, h) == []


def test_reports_of_different_days_each_dating_their_own_day_do_not_conflict() -> None:
    a = _dated("a", "The council met the strikers on June 24, the mayor said.", "2025-06-25")
    b = _dated("b", "The council met the strikers on July 2, the mayor said.", "2025-07-03")
    c = _dated("c", "The council met the strikers on June 20, the mayor said.", "2025-06-25")
    assert _found("date", (a, b, c), a, b) == []
    assert _found("date", (a, b, c), a, c) == [{"June 24", "June 20"}]


def test_a_later_paper_saying_the_plan_happened_is_not_a_modality_discrepancy() -> None:
    plan = _dated("plan", "The minister is expected to visit the valley on Thursday.", "2025-03-04")
    same_day = _dated("same", "The minister visited the valley on Thursday.", "2025-03-04")
    later = _dated("later", "The minister visited the valley on Thursday.", "2025-03-07")
    every = (plan, same_day, later)
    found = find_discrepancies([_claim(*every)], {x.id: x for x in every})
    (modality,) = [d for d in found if d.kind == "modality"]
    assert {(v.article, v.text) for v in modality.variants} == {
        ("plan", "is expected to visit"),
        ("same", "visited"),
    }
    assert _found("modality", every, plan, later) == []


def test_a_hedged_figure_agrees_with_a_close_exact_one() -> None:
    a = _article("a", "The dam will hold almost 20 million cubic metres of water, engineers said.")
    b = _article("b", "Engineers said the dam will hold 19.1 million cubic metres of water.")
    c = _article("c", "Engineers said the dam will hold 16 million cubic metres of water.")
    assert _found("number", (a, b, c), a, b) == []
    assert _found("number", (a, b, c), b, c) == [{"19.1 million", "16 million"}]


def test_a_name_spelled_two_ways_across_the_story_is_reported_outside_any_claim() -> None:
    a = _article("a", "Harbour master Ivo Marren closed the locks at noon on Monday.")
    b = _article("b", "The ferry crews cheered when Iwo Marren reopened the canal.")
    c = _article("c", "Ivo Marren said the canal would stay open all week.")
    found = find_discrepancies([], {x.id: x for x in (a, b, c)}, (a, b, c))
    (name,) = [d for d in found if d.kind == "name"]
    assert name.claim is None
    assert {(v.article, v.text) for v in name.variants} == {
        ("a", "Ivo Marren"),
        ("b", "Iwo Marren"),
        ("c", "Ivo Marren"),
    }
