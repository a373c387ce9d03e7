"""The brief on small hand-written stories (fictional: a flood of the Varn river, a
footbridge collapse at Tarrow, a clash at the port of Kestrow, a tram line for Orlen):
what it cites, what it leaves out, its order."""

from __future__ import annotations

from pathlib import Path

from conftest import article_from_text
from copydesk import analyze
from copydesk.analyze.align import align_claims
from copydesk.analyze.brief import is_fragment, role, write_brief
from copydesk.analyze.discrepancy import same_version
from copydesk.analyze.faithful import joined, states
from copydesk.analyze.units import build_units
from copydesk.embed import default_embedder
from copydesk.models import StoryAnalysis
from copydesk.pipeline import AnalyzeOptions

FLOOD = {
    "a": "The flood forced 48,215 residents from their homes along the Varn river on Monday, "
    "the regional office said.\n\nRescue boats worked through the night in the lower town.",
    "b": "About 48,000 residents were forced from their homes by the Varn river flood on "
    "Monday, officials said.\n\nThe army sent two helicopters to the valley.",
    "c": "The Varn river flood forced 61,000 residents from their homes on Monday, the mayor "
    "said.\n\nSchools in the valley will stay closed this week.",
}


def test_a_figure_is_cited_to_the_articles_that_give_it_rounded_or_exact(tmp_path: Path):
    for name, body in FLOOD.items():
        (tmp_path / f"{name}.txt").write_text(f"Varn flood, report {name}\n\n{body}\n")
    report = analyze([str(tmp_path)], options=AnalyzeOptions(one_story=True))
    (story,) = report.stories
    cited = {
        s.text: set(s.sources)
        for s in story.brief
        if s.section == "corroborated" and "residents" in s.text
    }
    assert cited, [s.text for s in story.brief]
    for text, sources in cited.items():
        if "61,000" in text:
            assert sources == {"c"}
        else:  # 48,000 and 48,215 are one figure rounded; 61,000 is another
            assert sources == {"a", "b"}, (text, sources)


def test_versions_of_a_disputed_detail() -> None:
    assert same_version("number", "48,000", "48,215")
    assert same_version("number", "a third", "one in three")
    assert not same_version("number", "14", "17")
    assert same_version("date", "on Saturday", "on Saturday, March 1")
    assert not same_version("date", "Saturday, March 1", "Friday, February 28")
    # A quote is the same only word for word: "a big mistake" is not "a very big mistake".
    assert not same_version("quote", "a big mistake", "a very big mistake")


# A fictional footbridge collapse: three outlets state the collapse; only "a" adds what
# the collapse cut off, in the same sentence.
BRIDGE = {
    "a": "Heavy rain brought down the Tarrow footbridge over the Mell river on Thursday, "
    "leaving the hamlet of Orne cut off from the clinic in Tarrow for at least six weeks."
    "\n\nNobody was on the footbridge at the time.",
    "b": "Heavy rain brought down the Tarrow footbridge on Thursday, the county said.\n\n"
    "Divers searched the water until midnight.",
    "c": "The footbridge over the Mell river at Tarrow collapsed on Thursday.\n\n"
    "The county has opened an inquiry.",
}


def _bridge_story(tmp_path: Path) -> StoryAnalysis:
    for name, body in BRIDGE.items():
        (tmp_path / f"{name}.txt").write_text(f"{body}\n")
    report = analyze([str(tmp_path)], options=AnalyzeOptions(one_story=True))
    (story,) = report.stories
    return story


def test_a_second_half_one_article_states_is_cited_to_it_alone(tmp_path: Path) -> None:
    story = _bridge_story(tmp_path)
    lines = [s for s in story.brief if not s.section.startswith("discrepancy")]
    # The collapse is corroborated, in words that the cited articles state in full ...
    collapse = [s for s in lines if "footbridge" in s.text and "Thursday" in s.text]
    assert any(len(s.sources) >= 2 for s in collapse), [(s.text, s.sources) for s in lines]
    # ... and whatever line gives Orne cites only the article that says it.
    orne = [s for s in lines if "Orne" in s.text]
    assert all(s.sources == ("a",) for s in orne), [(s.text, s.sources) for s in orne]


def test_every_cited_article_states_the_line_in_full(tmp_path: Path) -> None:
    story = _bridge_story(tmp_path)
    claims = {c.id: c for c in story.claims}
    texts = {k: f"{v}\n" for k, v in BRIDGE.items()}
    checked = 0
    for line in story.brief:
        if line.section.startswith("discrepancy"):
            continue
        claim = claims[line.claim or ""]
        for article in line.sources:
            wording = joined(
                texts[m.article][m.start : m.end] for m in claim.mentions if m.article == article
            )
            assert states(wording, line.text), (line.text, article)
            checked += 1
    assert checked


def test_what_states_a_sentence_in_full() -> None:
    long = (
        "The Tarrow footbridge collapsed into the Mell river on Thursday, leaving the hamlet "
        "of Orne cut off from the clinic for six weeks."
    )
    short = "The Tarrow footbridge collapsed into the Mell river on Thursday."
    assert states(long, short)
    assert not states(short, long)  # the second half is not in the short wording
    # A figure must be given, rounded or exact, not another one.
    assert states(
        "About 48,000 people fled the Varn flood on Monday.",
        "48,215 people fled the Varn flood on Monday.",
    )
    assert not states(
        "61,000 people fled the Varn flood on Monday.",
        "48,215 people fled the Varn flood on Monday.",
    )
    # A date must be given, and a name by its head word ("Reuvel" for "Tomas Reuvel").
    assert not states(
        "Union leader Tomas Reuvel spoke in Kestrow.",
        "Union leader Tomas Reuvel spoke in Kestrow on Friday.",
    )
    assert states(
        "Reuvel spoke to strikers in Kestrow on Friday.",
        "Tomas Reuvel spoke to strikers in Kestrow on Friday.",
    )
    assert not states(
        "Reuvel spoke to strikers on Friday.", "Reuvel spoke to strikers in Kestrow on Friday."
    )


def test_a_dateline_is_not_a_fact_of_the_lead() -> None:
    """Where and by whom a lead was filed is not what it states: the rewrite that drops
    ``TARROW, Vell (Lantern Wire) —`` still states the lead in full."""
    from copydesk.clean.dates import dateline_end

    lead = "TARROW, Vell (Lantern Wire) — The Tarrow footbridge collapsed on Thursday."
    assert states("The Tarrow footbridge collapsed on Thursday.", lead)
    for text, rest in [
        ("ORNE, 4 March 2025 — Water rose overnight.", "Water rose overnight."),
        ("NEW ORNE _ Water rose overnight.", "Water rose overnight."),
        ("MELL, June 21 (Lantern) -- Water rose.", "Water rose."),
        ("NATO - the alliance met.", "NATO - the alliance met."),  # no dateline
        ("The U.S. - Vell talks resumed.", "The U.S. - Vell talks resumed."),
        ("Water rose overnight.", "Water rose overnight."),
    ]:
        assert text[dateline_end(text) :] == rest
    # A place in the sentence itself is still a fact: "Mell" is not a dateline here.
    assert not states("Water rose overnight.", "Water rose overnight in Mell.")


def test_fragments_and_the_story_order() -> None:
    assert is_fragment("Run")
    assert is_fragment("A spokesman for the R.N.C.")
    assert is_fragment("Heavy rain and a collapse on the Mell river near Tarrow")
    assert not is_fragment("The footbridge collapsed into the Mell river.")
    assert role("The footbridge collapsed into the Mell river on Thursday.") == 0
    assert role('"This should never have happened," the mayor said.') == 1
    assert role("The opposition condemned the county's delay.") == 1
    assert role("The footbridge had been closed for repairs in 2019.") == 2


def test_no_title_beside_a_body_sentence_that_says_the_same(tmp_path: Path) -> None:
    for name, body in BRIDGE.items():
        title = "Heavy rain brings down Tarrow footbridge on Thursday"
        (tmp_path / f"{name}.txt").write_text(f"{title}\n\n{body}\n")
    report = analyze([str(tmp_path)], options=AnalyzeOptions(one_story=True))
    (story,) = report.stories
    lines = [s for s in story.brief if not s.section.startswith("discrepancy")]
    assert lines
    assert not any(s.text.startswith("Heavy rain brings down") for s in lines), [
        s.text for s in lines
    ]
    assert not any(is_fragment(s.text) for s in lines)


def test_no_line_repeats_what_an_earlier_one_states(tmp_path: Path) -> None:
    """A clause of an earlier sentence ("14 were hurt, police said" after "Police fired
    tear gas, and 14 were hurt, police said") is not a line of its own."""
    lead = (
        "Police fired tear gas at pickets outside the Halden ferry terminal on Monday, and "
        "23 people were hurt in the clashes that followed, the county hospital said."
    )
    texts = {
        "wire": f"{lead}\n\nThe ferry crews walked out on Friday over rosters.",
        "copy": f"{lead}\n\nThe ferry crews walked out on Friday over rosters.\n\n"
        "23 people were hurt in the clashes that followed, the county hospital said.",
    }
    for name, body in texts.items():
        (tmp_path / f"{name}.txt").write_text(f"Clashes at Halden ferry terminal\n\n{body}\n")
    report = analyze([str(tmp_path)], options=AnalyzeOptions(one_story=True))
    (story,) = report.stories
    lines = [s.text for s in story.brief if not s.section.startswith("discrepancy")]
    assert lead in lines
    for k, later in enumerate(lines):
        assert not any(states(earlier, later) for earlier in lines[:k]), (later, lines)


def test_of_copies_of_a_sentence_the_brief_shows_the_first_article_s(tmp_path: Path) -> None:
    """Copies are one wording: which one a line shows must not rest on float noise (the
    last bits of a score sum differ with the model's thread count, and a 1,000-article
    pile gave other mentions with --workers 1 than with 2)."""
    import dataclasses

    import numpy as np

    from copydesk import clean

    texts = {k: f"{v}\n" for k, v in BRIDGE.items()}
    texts["z"] = texts["a"]  # a wire copy, word for word
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    articles = clean([str(tmp_path)]).articles
    units = build_units(list(articles), default_embedder())
    group_of = {a.id: k for k, a in enumerate(articles)}
    by_id = {a.id: a for a in articles}
    copy = next(a.id for a in articles if a.source.endswith("z.txt"))
    briefs = []
    for bump in (0.0, 1e-6):  # the copy's scores a hair higher: noise, not a reason
        rows = [k for k, u in enumerate(units.units) if u.article == copy]
        scores = units.scores.copy()
        scores[rows, :] += np.float32(bump)
        bumped = dataclasses.replace(units, scores=scores)
        claims = align_claims(units, group_of)
        briefs.append(write_brief(claims, [], by_id, bumped, group_of))
    assert briefs[0] == briefs[1]
    assert any(line.mention.article != copy and len(line.sources) > 1 for line in briefs[0])


# A fictional port clash, told by the wire and rewritten in other words by a daily: too
# few of the wire's words for the stem test, the same facts (figure, day, place).
CLASH = {
    "wire": "Police fired tear gas at striking dockworkers outside the Port of Kestrow on "
    "Tuesday morning, and 14 people were injured in the clashes.\n\nThe strike began a week ago.",
    "daily": "Officers used tear gas against dockworkers on strike outside the Kestrow docks "
    "early on Tuesday, and 14 people were hurt in the fighting.\n\n"
    "The port authority declined to comment.",
}


def test_a_rewrite_in_other_words_states_the_sentence() -> None:
    wire = CLASH["wire"].split("\n")[0]
    daily = CLASH["daily"].split("\n")[0]
    vectors = default_embedder().encode([wire, daily])
    cosine = float(vectors[0] @ vectors[1])
    assert not states(daily, wire)  # the stems alone do not carry it ...
    assert states(daily, wire, cosine=cosine)  # ... a paraphrase's vector does
    # A shorter wording close in vector leaves out a half: not a rewrite of all of it.
    pact = (
        "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, allowing "
        "Tessau to draw from the Orlen reservoir during droughts."
    )
    summary = "Orlen and Tessau signed a water-sharing pact on Monday."
    vectors = default_embedder().encode([pact, summary])
    assert float(vectors[0] @ vectors[1]) >= 0.8
    assert not states(summary, pact, cosine=float(vectors[0] @ vectors[1]))


def test_the_brief_cites_a_rewrite_to_both_sources(tmp_path: Path) -> None:
    for name, body in CLASH.items():
        (tmp_path / f"{name}.txt").write_text(f"{body}\n")
    report = analyze([str(tmp_path)], options=AnalyzeOptions(one_story=True))
    (story,) = report.stories
    clash = [s for s in story.brief if "tear gas" in s.text]
    assert clash and all(s.section == "corroborated" for s in clash), story.brief
    assert {s.sources for s in clash} == {("daily", "wire")}
    assert all(s.groups == 2 for s in clash)


def test_a_line_citing_two_groups_comes_before_a_claim_of_two_groups_cited_to_one() -> None:
    """The tram claim is stated by the wire, its copy and the independent daily, but the
    daily adds the fares and the wire the date of the first trams: its line cites the
    wire's group only. The cost is stated in full by both groups: with room for one
    line, that is the line."""
    wire = (
        "The Orlen council approved a new tram line to the harbour on Monday, adding that "
        "the first trams would run in 2028. Work on the tracks will start in the spring "
        "after a public consultation."
    )
    copy = f"{wire} The council will publish the route next week."
    wire += " The tram line will cost 240 million euros, the council said."
    daily = (
        "Councillors in Orlen voted on Monday for a tram route to the harbour, and tickets "
        "will cost the same as bus fares. Building the route to the harbour will cost 240 "
        "million euros, according to the council."
    )
    articles = [
        article_from_text("wire", wire),
        article_from_text("copy", copy),
        article_from_text("daily", daily),
    ]
    units = build_units(articles, default_embedder())
    group_of = {"wire": 0, "copy": 0, "daily": 1}
    claims = align_claims(units, group_of)
    tram = next(c for c in claims if "approved" in c.text)
    assert tram.groups == 2  # the claim's groups ...
    full = write_brief(claims, [], {a.id: a for a in articles}, units, group_of, words=200)
    assert {s.groups for s in full if "approved" in s.text} == {1}  # ... not its line's
    (first, *_) = write_brief(claims, [], {a.id: a for a in articles}, units, group_of, words=5)
    assert "240 million" in first.text and first.groups == 2, first


def test_a_sentence_states_itself_hyphenated_names_and_all() -> None:
    """ "Nazi" is read as a name inside "neo-Nazi": the same word gives it."""
    line = "In 2019 a court in Orlen fined the neo-Nazi group that marched on Tessau."
    assert states(line, line)
    assert not states("In 2019 a court in Orlen fined the group that marched.", line)


def test_the_markdown_report_names_the_articles_stating_a_claim_in_part(tmp_path: Path) -> None:
    """Both state the signing, each with its own second half: the claims table lists the
    article whose wording is the claim's text, and the other one "in part"."""
    from copydesk.report.markdown import render_markdown

    texts = {
        "wire": "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, allowing "
        "Tessau to draw from the Orlen reservoir during summer droughts and sell any surplus "
        "to farmers.",
        "daily": "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, ending "
        "two years of bitter talks over the price that Tessau pays for the water.",
    }
    for name, body in texts.items():
        (tmp_path / f"{name}.txt").write_text(f"Orlen and Tessau share water\n\n{body}\n")
    report = analyze([str(tmp_path)], options=AnalyzeOptions(one_story=True))
    (story,) = report.stories
    (pact,) = [c for c in story.claims if len(c.articles) == 2 and "pact" in c.text]
    assert len(pact.partial) == 1
    rows = [line for line in render_markdown(report).splitlines() if "water-sharing" in line]
    assert any("; in part: " in row for row in rows), rows
