"""Copies collapse onto one representative: analysed once, listed as copies of it.

The piles are the bundled samples (fictional) plus versions of the wire original written
at run time: word for word, with a word changed, cut by a paragraph, or with a figure
changed. The last two are no copies: a cut text is tied to other articles on its own
terms, and a changed figure is a finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, CountingEmbedder
from copydesk import clean
from copydesk.analyze import analyze_story
from copydesk.analyze.copies import find_copies
from copydesk.analyze.outlets import profile_outlet
from copydesk.analyze.units import build_units
from copydesk.cli import app
from copydesk.models import Corpus, Report, Story, StoryAnalysis
from copydesk.report.markdown import render_markdown
from copydesk.report.serialize import story_to_dict
from copydesk.store.analyses import analysis_from_dict

WIRE = SAMPLES / "story" / "01_wire_original.txt"
CUT = "The walkout is the longest at Kestrow since 2016"


def _write_copy(folder: Path, name: str, text: str, outlet: str) -> None:
    record = {"id": name, "outlet": outlet, "published": "2025-03-05", "text": text}
    (folder / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")


def _pile(tmp: Path, name: str, copies: tuple[str, ...]) -> Path:
    """The sample story and the named copies of its wire original."""
    folder = tmp / name
    folder.mkdir()
    for path in sorted((SAMPLES / "story").iterdir()):
        (folder / path.name).write_bytes(path.read_bytes())
    wire = WIRE.read_text(encoding="utf-8")
    assert "began shortly" in wire and CUT in wire and "and 14 people" in wire
    texts = {
        "copy-0": wire,
        "copy-1": wire,
        "copy-2": wire,
        "edited": wire.replace("began shortly", "started shortly"),
        "cut": wire[: wire.index(CUT)].rstrip() + "\n",
        "figure": wire.replace("and 14 people", "and 17 people"),
    }
    for copy in copies:
        _write_copy(folder, copy, texts[copy], f"Outlet {copy}")
    return folder


COPIES = ("copy-0", "copy-1", "copy-2", "edited")


def _analyse(corpus: Corpus) -> StoryAnalysis:
    story = Story("story-1", None, tuple(a.id for a in corpus.articles))
    return analyze_story(story, corpus.articles)


@pytest.fixture(scope="module")
def piles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Corpus]:
    tmp = tmp_path_factory.mktemp("copies")
    return {
        "plain": clean([str(_pile(tmp, "plain", ()))]),
        "copies": clean([str(_pile(tmp, "copies", COPIES))]),
        "others": clean([str(_pile(tmp, "others", (*COPIES, "cut", "figure")))]),
    }


@pytest.fixture(scope="module")
def analyses(piles: dict[str, Corpus]) -> dict[str, StoryAnalysis]:
    return {name: _analyse(corpus) for name, corpus in piles.items()}


def _wire_id(corpus: Corpus) -> str:
    return next(a.id for a in corpus.articles if a.id.startswith("01_wire"))


def test_copies_are_found_and_a_cut_or_a_changed_figure_is_no_copy(piles: dict[str, Corpus]):
    assert find_copies(piles["plain"].articles) == []
    corpus = piles["others"]
    sets = find_copies(corpus.articles)
    assert len(sets) == 1
    found = sets[0]
    assert found.representative == _wire_id(corpus)  # published first
    assert set(found.copies) == set(COPIES)
    text = {a.id: a.text for a in corpus.articles}
    rep = text[found.representative]
    edited = [e for e in found.differences if e.article == "edited"]
    assert [(rep[e.start : e.end], text["edited"][e.copy_start : e.copy_end]) for e in edited] == [
        ("began", "started")
    ]
    assert not [e for e in found.differences if e.article != "edited"]


def _without(ids: tuple[str, ...], copies: set[str]) -> tuple[str, ...]:
    return tuple(a for a in ids if a not in copies)


def test_copies_are_analysed_once_and_every_other_finding_is_unchanged(
    piles: dict[str, Corpus], analyses: dict[str, StoryAnalysis]
):
    plain, copied = analyses["plain"], analyses["copies"]
    copies = set(COPIES)
    wire = _wire_id(piles["copies"])
    assert [(c.representative, set(c.copies)) for c in copied.copies] == [(wire, copies)]
    # No reuse pair with a copy: the copy set says "copy" once.
    assert copied.reuse == plain.reuse
    assert copied.discrepancies == plain.discrepancies and copied.framing == plain.framing
    assert [_without(g.articles, copies) for g in copied.groups] == [
        g.articles for g in plain.groups
    ]
    wire_group = next(g for g in copied.groups if wire in g.articles)
    assert copies <= set(wire_group.articles)
    assert any(r.startswith("4 copies of") for r in wire_group.reasons)
    assert [(c.id, c.text, c.mentions, c.groups) for c in copied.claims] == [
        (c.id, c.text, c.mentions, c.groups) for c in plain.claims
    ]
    assert [_without(c.articles, copies) for c in copied.claims] == [
        c.articles for c in plain.claims
    ]
    assert [(b.text, _without(b.sources, copies)) for b in copied.brief] == [
        (b.text, b.sources) for b in plain.brief
    ]
    stated = [c for c in copied.claims if wire in c.articles]
    assert stated and all(copies <= set(c.articles) for c in stated)
    assert not [c for c in copied.claims if wire not in c.articles and copies & set(c.articles)]


def test_a_changed_figure_is_still_a_discrepancy(analyses: dict[str, StoryAnalysis]):
    found = analyses["others"]
    assert not {"cut", "figure"} & {c for s in found.copies for c in s.copies}
    assert any(
        d.kind == "number" and "figure" in {v.article for v in d.variants}
        for d in found.discrepancies
    )


def test_two_hundred_copies_make_a_small_report_that_says_so(tmp_path: Path):
    pile = tmp_path / "pile"
    pile.mkdir()
    wire = WIRE.read_text(encoding="utf-8")
    for k in range(200):
        _write_copy(pile, f"outlet{k:03d}", wire, f"Outlet {k:03d}")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(pile), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    size = (out / "report.json").stat().st_size
    assert size < 1_000_000, size
    (story,) = json.loads((out / "report.json").read_text(encoding="utf-8"))["stories"]
    assert story["reuse"] == [] and len(story["groups"]) == 1 and len(story["groups"][0]) == 200
    (copy_set,) = story["copies"]
    assert copy_set["representative"] == "outlet000" and len(copy_set["copies"]) == 199
    assert copy_set["differences"] == []
    assert "One article copied 200 times." in (out / "report.md").read_text(encoding="utf-8")
    assert "One article copied 200 times." in (out / "report.html").read_text(encoding="utf-8")


def test_markdown_lists_the_copies_and_their_edits(
    piles: dict[str, Corpus], analyses: dict[str, StoryAnalysis]
):
    report = Report(articles=piles["copies"].articles, stories=(analyses["copies"],))
    markdown = render_markdown(report)
    assert "### Copies" in markdown and "4 copies of" in markdown
    assert "3 word for word" in markdown and "“began” → “started”" in markdown


def test_stored_analyses_round_trip_and_old_ones_without_copies_still_load(
    analyses: dict[str, StoryAnalysis],
):
    copied = analyses["copies"]
    stored = story_to_dict(copied)
    assert analysis_from_dict(json.loads(json.dumps(stored))) == copied
    old = dict(stored)
    del old["copies"]  # as analyses were stored before copy sets existed
    loaded = analysis_from_dict(old)
    assert loaded.copies == () and loaded.claims == copied.claims


def test_each_distinct_sentence_is_embedded_once(piles: dict[str, Corpus]):
    articles = piles["copies"].articles
    counting = CountingEmbedder()
    units = build_units(articles, counting)
    assert len(counting.seen) == len(set(counting.seen)) < len(units.units)
    first: dict[str, int] = {}
    for u in units.units:
        k = first.setdefault(u.text, u.index)
        assert np.array_equal(units.vectors[k], units.vectors[u.index])


def test_an_outlet_that_publishes_a_copy_reuses_the_representative(
    piles: dict[str, Corpus], analyses: dict[str, StoryAnalysis]
):
    articles = {a.id: a for a in piles["copies"].articles}
    profile = profile_outlet("Outlet copy-0", [analyses["copies"]], articles)
    assert profile.reused.articles == ("copy-0",)
    wire = articles[_wire_id(piles["copies"])]
    assert profile.reused_from[0][0] == (wire.outlet or "unknown outlet")
