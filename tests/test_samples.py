"""The bundled samples: cleaning and analysis findings that samples/EXPECTED.md states."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SAMPLES
from copydesk import analyze, clean
from copydesk.models import Corpus, Report, StoryAnalysis
from copydesk.pipeline import AnalyzeOptions

FEED_KESTROW = "Tear gas and 14 injured in Kestrow dock walkout"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return clean([str(SAMPLES)])


@pytest.fixture(scope="module")
def story_report() -> Report:
    return analyze([str(SAMPLES / "story")], options=AnalyzeOptions(one_story=True))


@pytest.fixture(scope="module")
def kestrow(story_report: Report) -> StoryAnalysis:
    return story_report.stories[0]


def _id(report: Report | Corpus, prefix_or_title: str) -> str:
    for a in report.articles:
        if a.id.startswith(prefix_or_title) or a.title == prefix_or_title:
            return a.id
    raise KeyError(prefix_or_title)


def test_noise_of_the_scraped_page_is_dropped(corpus: Corpus):
    page = corpus.get("05_scraped_page")
    reasons = {d.text: d.reason for d in page.dropped}
    for line in (
        "11.5 C",
        "Thursday, March 6, 2025",
        "Share this article",
        "Leave a Reply",
        "Subscribe to our newsletter",
        "Please enter your comment!",
        "Photo: Coastline Herald / Jonas Ede",
        "Related stories",
    ):
        assert line in reasons, line
    assert sum(1 for d in page.dropped if d.text == "- Advertisement -") == 4
    assert "17-year-old" not in page.text and "Related stories" not in page.text
    assert page.text.count(page.title or "?") == 1
    assert page.text.rstrip().endswith("could spoil within days.")


def test_dates_titles_and_html_metadata(corpus: Corpus):
    dated = {
        "01_wire_original": "2025-03-04",
        "04_independent_report": "2025-03-04",
        "06_html_page": "2025-03-04",
        "08_similar_event": "2023-06-16",
        "09_unrelated_a": "2025-05-25",
    }
    for article in corpus.articles:
        expected = dated.get(article.id)
        if article.id in {
            "02_verbatim_copy",
            "03_paraphrase_rewrite",
            "05_scraped_page",
            "10_unrelated_b",
        }:
            assert article.published is None, article.id
        elif expected:
            assert article.published == dt.date.fromisoformat(expected), article.id
    html = corpus.get("06_html_page")
    assert (html.title, html.outlet, html.author) == (
        "Tear gas at Kestrow port as dock strike turns violent",
        "The Northern Lantern",
        "Ada Quill",
    )
    assert "We use cookies" not in html.text and "Most read" not in html.text
    assert html.text.rstrip().endswith("before any talks begin.")
    for clean_one in (
        "02_verbatim_copy",
        "03_paraphrase_rewrite",
        "04_independent_report",
        "10_unrelated_b",
    ):
        assert corpus.get(clean_one).dropped == ()


def test_independent_groups(story_report: Report, kestrow: StoryAnalysis):
    feed = _id(story_report, FEED_KESTROW)
    groups = {frozenset(g.articles) for g in kestrow.groups}
    assert (
        frozenset(
            {
                "01_wire_original",
                "02_verbatim_copy",
                "03_paraphrase_rewrite",
                "05_scraped_page",
                feed,
            }
        )
        in groups
    )
    assert frozenset({"04_independent_report"}) in groups
    assert frozenset({"06_html_page"}) in groups


def test_copy_edges_point_away_from_the_wire(kestrow: StoryAnalysis):
    for r in kestrow.reuse:
        if r.substantial and "01_wire_original" in (r.a, r.b):
            origin = r.a if r.direction == "a->b" else r.b if r.direction == "b->a" else None
            if r.direction is not None:  # unknown is allowed; wrong is not
                assert origin == "01_wire_original", (r.a, r.b, r.direction, r.evidence)


def test_credit_to_the_wire_sets_the_direction(kestrow: StoryAnalysis):
    (pair,) = [r for r in kestrow.reuse if {r.a, r.b} == {"01_wire_original", "02_verbatim_copy"}]
    assert pair.direction == ("a->b" if pair.a == "01_wire_original" else "b->a")
    assert any("credits Meridian Wire" in e for e in pair.evidence)


def _kinds(story: StoryAnalysis, kind: str) -> list[set[str]]:
    return [{v.text.lower() for v in d.variants} for d in story.discrepancies if d.kind == kind]


def test_number_discrepancy_14_vs_17(kestrow: StoryAnalysis):
    assert any({"14", "17"} <= v for v in _kinds(kestrow, "number")), _kinds(kestrow, "number")


def test_quote_discrepancy_serious_vs_grave(kestrow: StoryAnalysis):
    variants = _kinds(kestrow, "quote")
    assert any(
        any("serious failure" in t for t in v) and any("grave failure" in t for t in v)
        for v in variants
    ), variants


def test_modality_discrepancy_expected_to_visit_vs_visited(kestrow: StoryAnalysis):
    variants = _kinds(kestrow, "modality")
    assert any(any("expected to visit" in t for t in v) and "visited" in v for v in variants), (
        variants
    )


def test_date_discrepancy_saturday_vs_friday(kestrow: StoryAnalysis):
    """One disagreement about the day, written as weekday and date: one discrepancy."""
    dates = _kinds(kestrow, "date")
    assert dates == [{"saturday, march 1", "friday, february 28"}], dates


def test_name_discrepancy_tomas_vs_thomas(kestrow: StoryAnalysis):
    assert any({"tomas reuvel", "thomas reuvel"} <= v for v in _kinds(kestrow, "name"))


def test_framing_of_the_strike(kestrow: StoryAnalysis):
    terms = {(t.article[:2], t.term) for f in kestrow.framing for t in f.variants}
    assert ("03", "illegal strike") in terms
    assert ("04", "crackdown") in terms and ("01", "police operation") in terms


def _ids(report: Report, names: str) -> set[str]:
    return {_id(report, FEED_KESTROW) if n.startswith("harbourbrief") else n for n in names.split()}


# (pattern a mention must match, articles, independent groups): every row of
# EXPECTED.md's corroboration table.
SAMPLE_ROWS = [
    (r"[Tt]ear gas", "01 02 03 04 05 06 feed", 3),
    (r"Gate 3", "01 02 03 04 05 06 feed", 3),
    (r"shift system|shift pattern|shift", "01 02 03 04 05 06 feed", 3),
    (r"1,200", "01 02 03 04 05 feed", 2),
    (r"failure of dialogue", "01 02 03 04 05 feed", 2),
    (r"three (police )?officers|three of them", "01 02 03 05 06 feed", 2),
    (r"[Nn]ine (people )?(were )?(detained|arrested)|nine", "01 02 03 05 06 feed", 2),
    (r"second-largest|second largest", "01 02 03 06", 2),
    (r"14 people were (injured|hurt)", "01 02 03 05 06 feed", 2),
    (r"visit(ed)? Kestrow|travel to Kestrow", "01 02 03 05 06 feed", 2),
    (r"17 people|17 hurt", "04", 1),
    (r"met with batons", "01 02 03 05 feed", 1),
    (r"flares and bottles", "01 02 03 05", 1),
    (r"regret", "01 02 03 05", 1),
    (r"a third|one in three", "01 03 05", 1),
    (r"spoil|go bad", "01 03 05 feed", 1),
    (r"Greyward", "04", 1),
    (r"400 jobs", "04", 1),
    (r"Anneli Roos", "06", 1),
    (r"12 million", "06", 1),
    (r"38", "01 03 05", 1),
    (r"proportionate", "01 02 03", 1),
    (r"2016", "01 02 03", 1),
]


def _check_row(
    report: Report, story: StoryAnalysis, pattern: str, articles: str, groups: int
) -> None:
    import re

    feed = _id(report, FEED_KESTROW)
    texts = {a.id: a.text for a in report.articles}
    wanted = {feed if n == "feed" else _id(report, n) for n in articles.split()}
    found = []
    for claim in story.claims:
        if any(re.search(pattern, texts[m.article][m.start : m.end]) for m in claim.mentions):
            found.append((set(claim.articles), claim.groups))
    assert (wanted, groups) in found, f"/{pattern}/: {[(sorted(a), g) for a, g in found]}"


@pytest.mark.parametrize(("pattern", "articles", "groups"), SAMPLE_ROWS)
def test_sample_corroboration_row(
    story_report: Report, kestrow: StoryAnalysis, pattern: str, articles: str, groups: int
):
    _check_row(story_report, kestrow, pattern, articles, groups)


@pytest.fixture(scope="module")
def grouped_report() -> Report:
    return analyze([str(SAMPLES / "story")])


_GROUPED_GAP = pytest.mark.xfail(
    strict=True,
    reason="known gap in the default flow: 06 wraps 'is due to travel to Kestrow on "
    "Wednesday' around a relative clause about criticism, so it scores 0.35 against the "
    "claim (attaching needs 0.45) and can join only by sharing two anchors; 'Dovanek' is "
    "in 12 sentences, an anchor only while the story has 8 articles (limit 1.5 a "
    "sentence per article), i.e. with the feed's unrelated tram item analysed with it",
)


@pytest.mark.parametrize(
    ("pattern", "articles", "groups"),
    [pytest.param(*r, marks=_GROUPED_GAP) if r[0].startswith("visit") else r for r in SAMPLE_ROWS],
)
def test_sample_corroboration_row_when_stories_are_grouped_first(
    grouped_report: Report, pattern: str, articles: str, groups: int
):
    """The default flow of ``copydesk analyze samples/story``: stories first."""
    (story,) = [s for s in grouped_report.stories if "01_wire_original" in s.story.articles]
    _check_row(grouped_report, story, pattern, articles, groups)


def test_different_remarks_are_not_one_claim(story_report: Report, kestrow: StoryAnalysis):
    """EXPECTED.md: Reuvel is quoted with different remarks in each group, which are
    different quotes, not different wordings of one quote; so are two townspeople's
    quotes that share one word."""
    texts = {a.id: a.text for a in story_report.articles}
    remarks = ("had not been warned", "accused the authorities", "picked up the phone")
    quotes = ("never seen anything like it", "This is a small town")
    for claim in kestrow.claims:
        spans = [texts[m.article][m.start : m.end] for m in claim.mentions]
        said = {r for span in spans for r in remarks if r in span}
        assert len(said) <= 1, (claim.id, said)
        assert len({q for span in spans for q in quotes if q in span}) <= 1, claim.id


def test_the_brief_cites_no_article_for_a_figure_it_gives_otherwise(kestrow: StoryAnalysis):
    """04 says 17 were hurt, the others 14; 04 quotes the minister's "grave failure",
    the others "serious failure": a brief sentence giving one version cites only the
    articles that give it too, or leave the detail out."""

    def norm(text: str) -> str:
        return " ".join(text.lower().split()).strip(" .,")

    checked = 0
    for sentence in kestrow.brief:
        if sentence.section != "corroborated":
            continue
        for d in kestrow.discrepancies:
            if d.claim != sentence.claim or d.kind == "qualifier":
                continue
            given = {norm(v.text) for v in d.variants if v.text in sentence.text}
            for article in sentence.sources:
                theirs = {norm(v.text) for v in d.variants if v.article == article}
                assert not given or not theirs or given & theirs, (sentence.text, article)
                checked += 1
    assert checked
    cited = [set(s.sources) for s in kestrow.brief if "failure of dialogue" in s.text]
    assert cited and all("04_independent_report" not in c for c in cited if len(c) > 1)


def test_no_two_claims_read_the_same(kestrow: StoryAnalysis):
    """The wire's sentence on the strike states two facts (1,200 on strike since
    Saturday; the dispute over shifts and automation): it may word one claim, and the
    other takes another article's wording."""
    texts = [c.text for c in kestrow.claims]
    assert len(texts) == len(set(texts))


def test_a_sentence_in_a_corroborated_claim_is_not_also_single_source(kestrow: StoryAnalysis):
    """03's "one in three containers" joins the claim "a third of the container traffic"
    (01 03 05); it is not listed as a single-source claim as well."""
    shared = {m for c in kestrow.claims if len(c.articles) > 1 for m in c.mentions}
    alone = [c for c in kestrow.claims if len(c.articles) == 1 and set(c.mentions) <= shared]
    assert not alone, [c.text for c in alone]
