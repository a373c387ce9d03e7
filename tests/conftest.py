"""Shared fixtures: paths to the public seeds and corpora, and the bundled samples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPORA = SHARED / "corpora"
SAMPLES = ROOT / "samples"


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
