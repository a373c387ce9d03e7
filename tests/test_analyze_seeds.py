"""Acceptance of the analysis on the five public seeds, against ../shared/seeds/GOLD.md.

Claims are located by a keyword that only the row's fact carries; the articles and the
count of independent groups must then match the gold table exactly.
"""

from __future__ import annotations

import re

import pytest

from copydesk.analyze.faithful import joined, states
from copydesk.embed import default_embedder
from copydesk.models import Claim, Report, Sentence, StoryAnalysis

GOLD_ROWS = [
    # (keyword pattern, articles by prefix, independent groups)
    (r"mistake", "000 001 002 003 004", 3),
    (r"Vietnam", "000 001 002 003 004", 3),
    (r"Chang", "000 002 003 004", 3),
    (r"non-lethal|lethal weapon", "000 001 002 003 004", 3),
    (r"please|displease|would hardly like|will not like", "000 001 002 003 004", 3),
    (r"reserve", "002 003", 2),
    (r"full support", "000 001 002", 1),
    (r"crossed the border", "000 002", 1),
    (r"Kirby", "000 002", 1),
    (r"unacceptable", "000 002", 1),
    (r"incredibly concerning", "003", 1),
    (r"nuclear arsenal", "003", 1),
    (r"four ships", "004", 1),
    (r"Poland", "004", 1),
    (r"China", "002", 1),
]


@pytest.fixture(scope="session")
def seed_report(seeds_dir) -> Report:  # type: ignore[no-untyped-def]
    from conftest import seed_files
    from copydesk import analyze

    return analyze([str(p) for p in seed_files()])


@pytest.fixture(scope="session")
def seed_story(seed_report: Report) -> StoryAnalysis:
    (story,) = seed_report.stories
    return story


def _text(report: Report, article: str, start: int, end: int) -> str:
    return next(a for a in report.articles if a.id == article).text[start:end]


def _sentences(report: Report, article: str) -> tuple[Sentence, ...]:
    return next(a for a in report.articles if a.id == article).sentences


def _prefixes(ids: tuple[str, ...] | list[str]) -> str:
    return " ".join(sorted(i[:3] for i in ids))


def _claims_with(report: Report, story: StoryAnalysis, pattern: str) -> list[Claim]:
    return [
        c
        for c in story.claims
        if any(re.search(pattern, _text(report, m.article, m.start, m.end)) for m in c.mentions)
    ]


def test_three_independent_groups(seed_story: StoryAnalysis):
    assert sorted(_prefixes(g.articles) for g in seed_story.groups) == ["000 001 002", "003", "004"]
    tied = next(g for g in seed_story.groups if len(g.articles) == 3)
    assert tied.reasons and all("verbatim" in r for r in tied.reasons)


@pytest.mark.parametrize(("pattern", "articles", "groups"), GOLD_ROWS)
def test_corroboration_row(
    seed_report: Report, seed_story: StoryAnalysis, pattern: str, articles: str, groups: int
):
    candidates = _claims_with(seed_report, seed_story, pattern)
    assert candidates, f"no claim mentions /{pattern}/"
    found = [(_prefixes(c.articles), c.groups) for c in candidates]
    assert (articles, groups) in found, f"/{pattern}/: claims found {found}"


def _variants(report: Report, story: StoryAnalysis, kind: str) -> list[set[str]]:
    return [
        {v.text.lower().strip(" .") for v in d.variants}
        for d in story.discrepancies
        if d.kind == kind
    ]


def test_quote_discrepancy_big_vs_very_big_mistake(seed_report: Report, seed_story: StoryAnalysis):
    variants = _variants(seed_report, seed_story, "quote")
    assert any(
        {"a big mistake", "very big mistake"} <= v or {"big mistake", "very big mistake"} <= v
        for v in variants
    ), variants


def test_quote_discrepancy_kirby_quote_against_its_rendering(
    seed_report: Report, seed_story: StoryAnalysis
):
    """GOLD: Kirby, "regional peace and stability" (000, not quoted) against the pact
    should "concern any country that values peace and stability" (002, quoted)."""
    variants = _variants(seed_report, seed_story, "quote")
    assert any(
        "regional peace and stability" in v
        and any("concern any country that values peace and stability" in t for t in v)
        for v in variants
    ), variants


def test_qualifier_discrepancy_non_lethal_aid(seed_report: Report, seed_story: StoryAnalysis):
    """GOLD: aid so far, "humanitarian aid and military equipment" (000, 002) against
    "non-lethal military equipment" (001) and "non-lethal aid" (003, 004)."""
    variants = _variants(seed_report, seed_story, "qualifier")
    assert any({"non-lethal military equipment", "military equipment"} <= v for v in variants)
    assert any({"non-lethal aid", "aid"} <= v for v in variants), variants


def test_seed_report_validates_against_the_schema(seed_report: Report) -> None:
    import json
    from pathlib import Path

    import jsonschema

    from copydesk.report.serialize import report_to_dict

    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report_to_dict(seed_report))


def test_modality_discrepancy_expected_to_summon_vs_summoned(
    seed_report: Report, seed_story: StoryAnalysis
):
    variants = _variants(seed_report, seed_story, "modality")
    assert any(any("expected to summon" in t for t in v) and "summoned" in v for v in variants), (
        variants
    )


def test_framing_invasion_vs_actions(seed_story: StoryAnalysis):
    pairs = [{(t.article[:3], t.term) for t in f.variants} for f in seed_story.framing]
    assert any({("000", "invasion"), ("002", "actions")} <= p for p in pairs), pairs


def test_brief_cites_only_supporting_articles(seed_report: Report, seed_story: StoryAnalysis):
    claims = {c.id: c for c in seed_story.claims}
    groups = {a: i for i, g in enumerate(seed_story.groups) for a in g.articles}
    assert seed_story.brief
    for sentence in seed_story.brief:
        assert (
            _text(
                seed_report, sentence.mention.article, sentence.mention.start, sentence.mention.end
            )
            == sentence.text
        )
        if sentence.section.startswith("discrepancy"):
            # Each version cites the articles that give it: all are variants of that claim.
            variants = {
                v.article
                for d in seed_story.discrepancies
                if d.claim == sentence.claim
                for v in d.variants
            }
            assert sentence.mention.article in sentence.sources
            assert set(sentence.sources) <= variants
            # ... and states the line in full: a version is not the sentence around it.
            for article in sentence.sources:
                assert any(
                    states(_text(seed_report, article, s.start, s.end), sentence.text)
                    for s in _sentences(seed_report, article)
                ), (sentence.text, article)
            continue
        claim = claims[sentence.claim or ""]
        # Every cited article states the claim: it has a mention in it.
        assert set(sentence.sources) <= {m.article for m in claim.mentions}
        assert sentence.groups == len({groups[a] for a in sentence.sources})
        # An article of the claim is left out only when it gives a disputed detail of
        # the sentence otherwise, or its wording does not state the sentence in full.
        for article in set(claim.articles) - set(sentence.sources):
            texts = [
                _text(seed_report, m.article, m.start, m.end)
                for m in claim.mentions
                if m.article == article
            ]
            near = _best_cosine(sentence.text, texts)
            assert not states(joined(texts), sentence.text, cosine=near) or any(
                v.article == article and v.text not in sentence.text
                for d in seed_story.discrepancies
                if d.claim == claim.id
                for v in d.variants
            ), (sentence.text, article)
        # And every cited article's wording states it in full: its stems, or in other
        # words (a rewrite as close as a paraphrase, about as long).
        for article in sentence.sources:
            texts = [
                _text(seed_report, m.article, m.start, m.end)
                for m in claim.mentions
                if m.article == article
            ]
            near = _best_cosine(sentence.text, texts)
            assert states(joined(texts), sentence.text, cosine=near), (sentence.text, article)


def _best_cosine(sentence: str, texts: list[str]) -> float:
    """The best cosine of ``texts`` to ``sentence``, with the model the analysis used."""
    vectors = default_embedder().encode([sentence, *texts])
    return float(max(vectors[1:] @ vectors[0]))


def test_spans_slice_back_to_their_text(seed_report: Report, seed_story: StoryAnalysis):
    texts = {a.id: a.text for a in seed_report.articles}
    for d in seed_story.discrepancies:
        for v in d.variants:
            assert texts[v.article][v.start : v.end] == v.text
    for f in seed_story.framing:
        for t in f.variants:
            assert texts[t.article][t.start : t.end].lower() == t.term
    words = re.compile(r"\w+")
    for r in seed_story.reuse:
        for p in r.passages:  # verbatim runs of words (punctuation between them may differ)
            a_words = words.findall(texts[r.a][p.a_start : p.a_end].lower())
            assert a_words == words.findall(texts[r.b][p.b_start : p.b_end].lower())
            assert len(a_words) >= 8


def test_a_claims_partial_articles_are_those_not_stating_its_text(
    seed_report: Report, seed_story: StoryAnalysis
):
    """report.json lists a claim's text with its articles; ``partial`` names those whose
    wording states the fact but not all of the text, so a citation of the text goes to
    the others. Checked with the test the brief cites by."""
    checked = partial = 0
    for claim in seed_story.claims:
        if claim.kind != "statement" or len(claim.articles) < 2:
            continue
        assert set(claim.partial) < set(claim.articles)  # the text is someone's wording
        for article in claim.articles:
            texts = [
                _text(seed_report, m.article, m.start, m.end)
                for m in claim.mentions
                if m.article == article
            ]
            if not texts:  # a copy, credited through its representative
                continue
            near = _best_cosine(claim.text, texts)
            full = states(joined(texts), claim.text, cosine=near)
            assert full == (article not in claim.partial), (claim.text, article)
            checked += 1
            partial += not full
    assert checked and partial  # the seeds have both kinds
