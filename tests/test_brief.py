"""The brief on a small hand-written story (fictional: a flood of the Varn river)."""

from __future__ import annotations

from pathlib import Path

from copydesk import analyze
from copydesk.analyze.discrepancy import same_version
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
