"""Issue 4 acceptance: the seeds and the samples given together as one pile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, seed_files
from copydesk.cli import app
from copydesk.pipeline import stories

EXPECTED_STORIES = [
    {
        "01_wire_original",
        "02_verbatim_copy",
        "03_paraphrase_rewrite",
        "04_independent_report",
        "05_scraped_page",
        "06_html_page",
        "feed:Tear gas and 14 injured in Kestrow dock walkout",
    },
    {"08_similar_event"},
    {"09_unrelated_a"},
    {"10_unrelated_b"},
    {"feed:Varn council backs tram line to the university district"},
]


@pytest.fixture(scope="module")
def pile(seeds_dir: Path):  # type: ignore[no-untyped-def]
    return stories([str(p) for p in seed_files()] + [str(SAMPLES)])


def test_seeds_and_samples_form_the_expected_stories(pile):  # type: ignore[no-untyped-def]
    corpus, found = pile
    title_of = {a.id: a.title for a in corpus.articles}
    feed_ids = {a.id for a in corpus.articles if a.source.endswith(".xml") or ".xml#" in a.source}

    def name(article_id: str) -> str:
        return f"feed:{title_of[article_id]}" if article_id in feed_ids else article_id

    groups = [{name(a) for a in s.articles} for s in found]
    seeds = {p.stem for p in seed_files()}
    assert seeds in groups
    for expected in EXPECTED_STORIES:
        assert expected in groups, expected
    assert len(groups) == len(EXPECTED_STORIES) + 1  # nothing else is merged or split
    assert sorted(a for s in found for a in s.articles) == sorted(a.id for a in corpus.articles)


def test_copies_are_listed_as_duplicates(pile):  # type: ignore[no-untyped-def]
    _, found = pile
    kestrow = next(s for s in found if "01_wire_original" in s.articles)
    assert any({"01_wire_original", "02_verbatim_copy"} <= set(d) for d in kestrow.duplicates)
    assert not any("04_independent_report" in d for d in kestrow.duplicates)


def test_stories_are_deterministic(pile, seeds_dir: Path):  # type: ignore[no-untyped-def]
    _, found = pile
    _, again = stories([str(p) for p in seed_files()] + [str(SAMPLES)])
    assert [(s.id, s.articles, s.duplicates) for s in found] == [
        (s.id, s.articles, s.duplicates) for s in again
    ]


def test_stories_cli_writes_the_pinned_shape_and_reports_bad_input(tmp_path: Path):
    pile = tmp_path / "pile"
    pile.mkdir()
    for path in sorted((SAMPLES / "other").glob("*.txt")):
        (pile / path.name).write_bytes(path.read_bytes())
    (pile / "bad.json").write_text("[{", encoding="utf-8")
    out = tmp_path / "stories.json"
    result = CliRunner().invoke(app, ["stories", str(pile), "--json", str(out), "--quiet"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"copydesk: {pile / 'bad.json'}: malformed JSON (Expecting property name enclosed in "
        "double quotes at line 1, column 3)"
    ]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"stories", "errors"}
    assert [sorted(s["articles"]) for s in data["stories"]] == [
        ["08_similar_event"],
        ["09_unrelated_a"],
        ["10_unrelated_b"],
    ] or sorted(len(s["articles"]) for s in data["stories"]) == [1, 1, 1]
    for story in data["stories"]:
        assert set(story) == {"id", "title", "articles", "duplicates"}
