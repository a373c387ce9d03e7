"""Acceptance on the five public seed articles, read from ../shared/seeds at test time.

The noise lines to find are parsed from GOLD.md itself, so no seed text is copied here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from copydesk.models import Article, Corpus


def _by_prefix(corpus: Corpus, prefix: str) -> Article:
    return next(a for a in corpus.articles if a.id.startswith(prefix))


def _gold_noise(seeds_dir: Path) -> dict[str, list[str]]:
    """Backticked noise strings per article from GOLD.md's 'Noise' section."""
    gold = (seeds_dir / "GOLD.md").read_text(encoding="utf-8")
    section = gold.split("## Noise", 1)[1].split("\n## ", 1)[0]
    noise: dict[str, list[str]] = {}
    for bullet in re.split(r"\n- ", "\n" + section):
        head = re.match(r"(\d{3}):", bullet)
        if head:
            text = " ".join(bullet.split())
            noise.setdefault(head.group(1), []).extend(re.findall(r"`([^`]+)`", text))
    return noise


def _is_dropped(article: Article, needle: str) -> bool:
    parts = [p.strip(" .") for p in needle.split("...") if p.strip(" .")]
    return any(all(part in dropped.text for part in parts) for dropped in article.dropped)


def _raw_lines(article: Article) -> list[str]:
    return [" ".join(line.split()) for line in article.raw.splitlines() if line.strip()]


def test_every_gold_noise_line_is_dropped_with_a_reason(seed_corpus: Corpus, seeds_dir: Path):
    noise = _gold_noise(seeds_dir)
    assert set(noise) >= {"002", "003", "004"}
    for prefix, needles in noise.items():
        article = _by_prefix(seed_corpus, prefix)
        for needle in needles:
            assert _is_dropped(article, needle), f"{prefix}: {needle!r} was not dropped"
            assert needle.split("...")[0].strip() not in article.text.split("\n\n", 1)[1]
        assert all(d.reason for d in article.dropped)


def test_teaser_block_and_comment_form_are_dropped_whole(seed_corpus: Corpus):
    article = _by_prefix(seed_corpus, "002")
    lines = _raw_lines(article)
    start = lines.index("Latest stories")
    dropped = {d.text for d in article.dropped}
    assert all(line in dropped for line in lines[start:])
    for name in ("Mahama", "Kevin", "Assange", "Bolivia", "Kagame", "Japan", "Malawi", "Namibia"):
        tail = article.text[article.text.index("third such occurrence") :]
        assert name not in tail
    assert sum(1 for d in article.dropped if "Advertisement" in d.text) == 3


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_clean_articles_lose_nothing(seed_corpus: Corpus, prefix: str):
    article = _by_prefix(seed_corpus, prefix)
    assert article.dropped == ()
    for line in _raw_lines(article):
        assert line in article.text


@pytest.mark.parametrize(
    ("prefix", "headline_line"), [("000", 0), ("001", 0), ("002", 3), ("003", 1), ("004", 0)]
)
def test_title_is_the_headline_once(seed_corpus: Corpus, prefix: str, headline_line: int):
    article = _by_prefix(seed_corpus, prefix)
    headline = _raw_lines(article)[headline_line]
    assert article.title == headline
    assert article.text.startswith(headline)
    assert article.text.count(headline) == 1


def test_publication_dates(seed_corpus: Corpus):
    assert _by_prefix(seed_corpus, "003").published == dt.date(2024, 6, 21)
    assert _by_prefix(seed_corpus, "004").published == dt.date(2024, 6, 21)
    # 002's date line is the site header's current date; nothing else dates 000-002.
    for prefix in ("000", "001", "002"):
        assert _by_prefix(seed_corpus, prefix).published is None


def test_outlet_is_never_guessed_from_a_file_name(seed_corpus: Corpus):
    assert all(a.outlet is None for a in seed_corpus.articles)


def test_sentences_cover_the_body(seed_corpus: Corpus):
    for article in seed_corpus.articles:
        covered = sum(s.end - s.start for s in article.sentences)
        assert covered > 0.9 * len(article.text.replace("\n", ""))
        for s in article.sentences:
            assert article.text[s.start : s.end].strip() == article.text[s.start : s.end]
