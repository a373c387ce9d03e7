"""Claim alignment on small hand-written stories (fictional: the town of Orlen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from conftest import article_from_text
from copydesk import similarity
from copydesk.analyze.align import _stem_share, align_claims
from copydesk.analyze.faithful import states
from copydesk.analyze.units import build_units
from copydesk.embed import default_embedder
from copydesk.models import Article, Claim

WIRE = (
    "A fire closed the grain terminal at Orlen on Monday. "
    "The blaze has brought most grain handling at Valdmar's busiest terminal to a halt. "
    "The terminal handles about a third of Valdmar's grain exports. "
    "Firefighters brought the blaze under control by the evening."
)
COPY = (
    "A fire closed the grain terminal at Orlen on Monday. "
    "The blaze has brought most grain handling at Valdmar's busiest terminal to a standstill. "
    "Firefighters brought the blaze under control by the evening."
)
SCRAPED = (
    "The blaze has brought most grain handling at Valdmar's busiest terminal to a halt. "
    "The terminal handles about a third of Valdmar's grain exports."
)
REWRITE = (
    "Fire shut Orlen's grain terminal on Monday. "
    "Roughly one in three grain shipments leaving Valdmar passes through the terminal. "
    "Crews had the fire under control by nightfall."
)


def _claims(*articles: Article) -> list[Claim]:
    units = build_units(list(articles), default_embedder())
    published = {a.id: a.published for a in articles}
    return align_claims(units, {a.id: i for i, a in enumerate(articles)}, None, published)


def _holding(claims: list[Claim], articles: list[Article], words: str) -> list[set[str]]:
    texts = {a.id: a.text for a in articles}
    return [
        set(c.articles)
        for c in claims
        if any(words in texts[m.article][m.start : m.end] for m in c.mentions)
    ]


def test_a_copy_of_a_neighbouring_sentence_is_not_credited_with_the_fact() -> None:
    """The copy dropped the "third of exports" sentence. Its halted-handling sentence
    shares two of that fact's distinctive words ("handling", "Valdmar"), but it is the
    copy of the wire's halted-handling sentence, so it does not state the share."""
    articles = [
        article_from_text("wire", WIRE),
        article_from_text("scraped", SCRAPED),
        article_from_text("copy", COPY),
        article_from_text("rewrite", REWRITE),
    ]
    claims = _claims(*articles)
    third = _holding(claims, articles, "a third")
    assert third and all("copy" not in arts for arts in third), third
    # "one in three" is the same figure as "a third".
    assert {"wire", "scraped", "rewrite"} in third


def test_headlines_do_not_double_count_and_their_common_words_are_the_topic() -> None:
    lead = "Police fired tear gas at pickets in Orlen on Monday."
    a = article_from_text(
        "a", f"Tear gas fired at Orlen pickets\n\n{lead}", title="Tear gas fired at Orlen pickets"
    )
    b = article_from_text(
        "b",
        "Orlen pickets hit with tear gas\n\nOfficers used tear gas on strikers in Orlen.",
        title="Orlen pickets hit with tear gas",
    )
    c = article_from_text("c", "Strikers in Orlen said they would return on Tuesday.")
    units = build_units([a, b, c], default_embedder())
    assert [u.headline for u in units.units] == [True, False, True, False, False]
    share = _stem_share(units)
    # In both headlines: what the story is about, never an anchor.
    assert share["tear"] == share["gas"] == share["orlen"] == float("inf")
    # "fire" is counted once for article a (headline and lead), so it is as rare as
    # "polic", which only the lead has.
    assert share["fire"] == share["polic"]


def test_two_sentences_anchoring_each_other_make_one_claim_not_two() -> None:
    """Each of these singletons shares a figure and a distinctive word with the other
    ("1999", "father"), so each anchors the other; that must not report one pair of
    mentions as two claims."""
    a = article_from_text(
        "a",
        "Senator Brell admitted the fraud charge in court on Friday. In 1999, Judge Marra "
        "had been a guest on a radio show hosted by Brell's father. Brell faces up to five "
        "years in prison.",
    )
    b = article_from_text(
        "b",
        "Senator Brell pleaded guilty to fraud on Friday. Brell, who co-wrote a 1999 book "
        "with his father, left the court without speaking. His lawyers asked for leniency.",
    )
    claims = _claims(a, b)
    mention_sets = [frozenset(c.mentions) for c in claims]
    assert len(set(mention_sets)) == len(mention_sets)
    texts = {x.id: x.text for x in (a, b)}
    assert any("1999" in texts[m.article][m.start : m.end] for c in claims for m in c.mentions)


def test_the_same_words_from_two_speakers_are_two_statements() -> None:
    """Both articles quote "the harbour belongs to everyone", but one has the mayor say
    it and the other the union chairman: two remarks, not one corroborated claim."""
    a = article_from_text(
        "a",
        "Mayor Ilse Varga opened the new ferry pier in Orlen on Monday. "
        '"The harbour belongs to everyone," Ilse Varga said at the ceremony. '
        "The pier cost the town four million crowns.",
    )
    b = article_from_text(
        "b",
        "A new ferry pier opened in Orlen on Monday. "
        '"The harbour belongs to everyone," Tomas Greel said at the ceremony. '
        "Greel's union has campaigned for the pier for a decade.",
    )
    claims = _claims(a, b)
    quoted = _holding(claims, [a, b], "belongs to everyone")
    assert quoted and all(len(arts) == 1 for arts in quoted), quoted


def test_the_same_quotation_from_one_speaker_is_one_statement() -> None:
    """The rule above must not split one speaker's quotation told twice, with the
    speaker named by full name in one article and by surname in the other."""
    a = article_from_text(
        "a",
        "Mayor Ilse Varga opened the new ferry pier in Orlen on Monday. "
        '"The harbour belongs to everyone," Ilse Varga said at the ceremony.',
    )
    b = article_from_text(
        "b",
        "A new ferry pier opened in Orlen on Monday. "
        '"The harbour belongs to everyone," said Mayor Varga, cutting the ribbon.',
    )
    claims = _claims(a, b)
    assert {"a", "b"} in _holding(claims, [a, b], "belongs to everyone")


def test_a_second_claim_of_one_sentence_does_not_take_a_repunctuated_copy_of_it() -> None:
    from copydesk.analyze.align import _letters

    assert _letters("the port authority's plan") == _letters("the port authority’s plan")
    assert _letters("14 injured") != _letters("17 injured")


def test_a_claims_text_is_a_wording_that_its_articles_state_in_full() -> None:
    """report.json shows a claim's text beside its articles. The wire's sentence says
    what the pact allows, which the daily does not; it is also the wording closest to
    both others, which made it the text before. The text is one that all three state."""
    articles = [
        article_from_text(
            "wire",
            "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, allowing "
            "Tessau to draw from the Orlen reservoir during droughts.",
        ),
        article_from_text("daily", "Orlen and Tessau signed a water-sharing pact on Monday."),
        article_from_text(
            "radio",
            "On Monday Tessau's mayor signed a pact with Orlen to draw water from the Orlen "
            "reservoir in droughts.",
        ),
    ]
    claims = _claims(*articles)
    pact = next(c for c in claims if len(c.articles) == 3)
    assert all(states(a.text, pact.text) for a in articles), pact.text


def test_words_of_one_name_are_one_anchor() -> None:
    """The radio's sentence is about something else the minister will do. It shares
    four distinctive words with the budget claim ("Finance Minister Harald Voss"), all
    of them his name and title: one anchor, not the two that anchoring needs."""
    wire = article_from_text(
        "wire",
        "Finance Minister Harald Voss said on Monday that the budget would cut rail subsidies "
        "by 40 percent. Unions called the plan reckless. The budget goes to parliament in May.",
    )
    daily = article_from_text(
        "daily",
        "The new budget cuts rail subsidies by 40 percent, Finance Minister Harald Voss said "
        "on Monday. Rail unions condemned it. Parliament votes on the budget in May.",
    )
    radio = article_from_text(
        "radio",
        "Finance Minister Harald Voss is expected to address the rail unions on Friday. "
        "Rail unions called the budget plan reckless. Parliament votes in May.",
    )
    claims = _claims(wire, daily, radio)
    cut = _holding(claims, [wire, daily, radio], "40 percent")
    assert cut == [{"wire", "daily"}], cut


def test_a_story_followed_over_days_reports_each_days_event_apart() -> None:
    """Thursday's paper reports the resignation on Thursday, Sunday's the announcement on
    Sunday of when she leaves: two days' events, alike in words (without the papers'
    dates the two leads are one claim)."""
    thursday = article_from_text(
        "thursday",
        "Harbour Minister Ilse Varga resigned on Thursday in protest at the government's "
        "plan to sell the port of Kestrow. Her deputy will take over.",
        published=dt.date(2026, 3, 5),
    )
    sunday = article_from_text(
        "sunday",
        "Prime Minister Tomas Orel announced on Sunday that Harbour Minister Ilse Varga will "
        "leave the government on April 1, days after her resignation over the sale of the "
        "port of Kestrow. The sale is expected in May.",
        published=dt.date(2026, 3, 8),
    )
    assert all(len(c.articles) == 1 for c in _claims(thursday, sunday))
    undated = [replace(a, published=None) for a in (thursday, sunday)]
    assert any(len(c.articles) == 2 for c in _claims(*undated))


def test_only_a_papers_own_day_tells_two_days_events() -> None:
    from copydesk.analyze.discrepancy.dates import other_days_news

    thu, sun = dt.date(2026, 3, 5), dt.date(2026, 3, 8)
    assert other_days_news(thu, {"thursday"}, sun, {"sunday"})
    assert other_days_news(thu, {"wednesday"}, sun, {"saturday"})  # the day before each
    # "since Saturday" in Tuesday's paper is not its news of the day: a day the sources
    # may disagree on, left to the date rule.
    assert not other_days_news(dt.date(2026, 3, 3), {"saturday"}, sun, {"friday"})
    assert not other_days_news(thu, {"thursday"}, sun, {"thursday"})  # one day
    assert not other_days_news(thu, {"thursday"}, thu, {"wednesday"})  # one paper's day
    assert not other_days_news(None, {"thursday"}, sun, {"sunday"})  # undated


def test_a_name_and_the_age_after_it_are_one_anchor() -> None:
    """ "Ilse Varga, 56," names one person: a sentence about something else she did
    shares one anchor with the claim, not two (the age and the first name)."""
    from copydesk.analyze.align import _distinct
    from copydesk.analyze.tokens import stem

    anchors = {stem("Ilse"), "56"}
    assert _distinct(anchors, "Police named the driver as Ilse Varga, 56, of Orlen.") == 1
    assert _distinct(anchors, "Ilse Varga Jr., 56, was taken into custody on Friday.") == 1
    # A figure that is not her age is a fact of its own.
    assert _distinct(anchors, "Ilse Varga said 56 homes were flooded.") == 2


def test_an_article_stating_the_fact_but_not_all_of_the_text_is_partial() -> None:
    """Both state the signing; each adds its own second half. The claim's text is one
    of the two: the other article states the fact, not all of that text."""
    wire = article_from_text(
        "wire",
        "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, allowing "
        "Tessau to draw from the Orlen reservoir during summer droughts and sell any "
        "surplus to farmers.",
    )
    daily = article_from_text(
        "daily",
        "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, ending two "
        "years of bitter talks over the price that Tessau pays for the water.",
    )
    (pact,) = [c for c in _claims(wire, daily) if len(c.articles) == 2]
    own = next(a for a in (wire, daily) if pact.text in a.text)
    assert pact.partial == tuple(a.id for a in (wire, daily) if a is not own)
    assert states(own.text, pact.text)
    other = next(a for a in (wire, daily) if a is not own)
    # Not even as a rewrite: alike in vector (the opening), most of the second half lost.
    assert not states(other.text, pact.text, cosine=1.0)


def test_a_claims_text_is_the_clause_its_articles_share() -> None:
    """Each article joins the bridge's closing to a fact of its own with ", and". Neither
    sentence is stated in full by the other article, but the clause they share is: that
    clause is the claim's text, and no article states it only in part."""
    from copydesk.analyze.clauses import split_clauses

    wire = article_from_text(
        "wire",
        "Firefighters closed the Orlen bridge to traffic on Monday morning, and the town "
        "council called an emergency meeting for Tuesday evening.",
    )
    daily = article_from_text(
        "daily",
        "Firefighters closed the Orlen bridge to traffic on Monday morning, and schools "
        "across the valley stayed shut because buses could not reach them.",
    )
    embedder = default_embedder()
    units = build_units([wire, daily], embedder)
    clauses = split_clauses(units, embedder)
    claims = align_claims(units, {"wire": 0, "daily": 1}, clauses, {})
    (bridge,) = [c for c in claims if len(c.articles) == 2]
    assert bridge.text == "Firefighters closed the Orlen bridge to traffic on Monday morning"
    assert bridge.partial == ()
    assert all(states(a.text, bridge.text) for a in (wire, daily))


def test_two_sentences_sharing_only_the_storys_common_words_are_two_facts() -> None:
    """The permit is in most sentences of both bodies, not in the headlines (they are
    about the campaign): that Varga never showed it and that she says the council lost
    it are two facts about it, though the pair scores above the claim bar."""
    heads = ("Orlen mayor opens re-election campaign", "Varga starts re-election campaign")
    bodies = (
        "Mayor Ilse Varga opened her re-election campaign in Orlen on Monday. "
        "Her rival says the new market hall was built without a permit. "
        "Varga has never shown anyone the permit. "
        "The council asked for the permit twice last year. "
        "Varga told supporters she would cut the harbour fees.",
        "Ilse Varga started her campaign for a second term on Monday. "
        "The market hall permit has dogged her for months. "
        "Varga says the council lost the permit. "
        "Reuvel wants the permit published before the vote. "
        "Varga promised supporters lower harbour fees.",
    )
    a, b = (
        article_from_text(name, f"{head}\n\n{body}", title=head)
        for name, head, body in zip("ab", heads, bodies, strict=True)
    )
    shown, lost = (
        "Varga has never shown anyone the permit.",
        "Varga says the council lost the permit.",
    )
    assert 0.35 <= similarity(shown, lost) < 0.45  # a claim's score, not an attaching one
    holding = _holding(_claims(a, b), [a, b], shown)
    assert holding and all(len(h) == 1 for h in holding)
    # The fees pledge shares words the story does not use everywhere: one fact.
    assert {"a", "b"} in _holding(_claims(a, b), [a, b], "cut the harbour fees")
