"""Shared fixtures: paths to the public seeds and corpora, and the bundled samples."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from copydesk.clean import split_sentences
from copydesk.embed import Matrix
from copydesk.models import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPORA = SHARED / "corpora"
SAMPLES = ROOT / "samples"


def article_from_text(
    article_id: str, text: str, *, title: str | None = None, published: dt.date | None = None
) -> Article:
    """An article as cleaning would return it, without going through files."""
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        text=text,
        title=title,
        outlet=None,
        published=published,
        url=None,
        author=None,
        sentences=split_sentences(text),
        dropped=(),
        raw=text,
    )


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("0*.txt"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not seed_files():
        pytest.skip("../shared/seeds is absent: the seed acceptance tests need it")
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus(seeds_dir: Path):  # type: ignore[no-untyped-def]
    from copydesk import clean

    return clean([str(p) for p in seed_files()])


@pytest.fixture(scope="session")
def scheduler() -> Iterator[str]:
    """The address of a two-worker Dask LocalCluster (threads of this process, 127.0.0.1
    only), started once for the session and closed after it; skips without Dask."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


class CountingEmbedder:
    """The real model, recording what it is asked to embed (tests of what is embedded)."""

    def __init__(self) -> None:
        from copydesk.embed import default_embedder

        self.inner = default_embedder()
        self.name = self.inner.name
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> Matrix:
        self.seen.extend(texts)
        return self.inner.encode(texts)
