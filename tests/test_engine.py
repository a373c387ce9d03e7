"""The engines give the same stories and the same report, byte for byte.

A real Dask ``LocalCluster`` (two workers, threads of this process, 127.0.0.1 only)
is started once for the session; nothing of Dask is mocked.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import CORPORA, ROOT, SAMPLES, seed_files
from copydesk import pipeline
from copydesk.cli import app
from copydesk.engine import (
    EngineOptions,
    InProcess,
    analyze_stories,
    group_stories_staged,
    open_executor,
)
from copydesk.models import Article, Corpus
from copydesk.report.files import dump_json
from copydesk.report.serialize import report_to_dict
from copydesk.stories import group_stories

distributed = pytest.importorskip("distributed")


def _analyze(paths: list[str], out: Path, *flags: str) -> bytes:
    result = CliRunner().invoke(app, ["analyze", *paths, "--out", str(out), "--quiet", *flags])
    assert result.exit_code in (0, 1), result.output
    return (out / "report.json").read_bytes()


def _same_report_everywhere(paths: list[str], tmp_path: Path, scheduler: str) -> bytes:
    one = _analyze(paths, tmp_path / "one", "--workers", "1")
    two = _analyze(paths, tmp_path / "two", "--workers", "2")
    dask = _analyze(paths, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler)
    assert two == one
    assert dask == one
    for name in ("report.md", "report.html"):
        text = (tmp_path / "one" / name).read_bytes()
        assert (tmp_path / "two" / name).read_bytes() == text
        assert (tmp_path / "dask" / name).read_bytes() == text
    return one


def test_samples_give_one_report_on_every_engine(tmp_path: Path, scheduler: str) -> None:
    report = json.loads(_same_report_everywhere([str(SAMPLES)], tmp_path, scheduler))
    assert len(report["stories"]) >= 4


def test_seeds_give_one_report_on_every_engine(
    tmp_path: Path, scheduler: str, seeds_dir: Path
) -> None:
    _same_report_everywhere([str(p) for p in seed_files()], tmp_path, scheduler)


def test_stories_cli_is_the_same_on_dask(tmp_path: Path, scheduler: str) -> None:
    runner = CliRunner()
    base = ["stories", str(SAMPLES), "--quiet", "--json"]
    local = runner.invoke(app, [*base, str(tmp_path / "l")])
    dask = runner.invoke(
        app, [*base, str(tmp_path / "d"), "--engine", "dask", "--scheduler", scheduler]
    )
    assert local.exit_code == dask.exit_code == 0, local.output + dask.output
    assert (tmp_path / "d").read_bytes() == (tmp_path / "l").read_bytes()


def test_progress_counts_every_story_from_the_workers(tmp_path: Path) -> None:
    corpus = pipeline.clean([str(SAMPLES)])
    seen: list[tuple[int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "analysis":
            seen.append((done, total))

    options = pipeline.AnalyzeOptions(engine=EngineOptions(workers=2))
    report = pipeline.analyze_corpus(corpus, options=options, progress=progress)
    total = len(report.stories)
    assert total > 1
    assert seen == [(k, total) for k in range(1, total + 1)]


def _pile(size: int, tmp_path: Path) -> list[Article]:
    if not CORPORA.exists():
        pytest.skip("../shared/corpora is absent: the pile is built from it")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _pile import cached_pile
    from stories_scale import _article

    return [_article(a) for a in cached_pile(size, 7, tmp_path)]


def test_staged_grouping_gives_the_stories_of_one_process(scheduler: str) -> None:
    """On the seeds and samples as one pile (copies, one multi-outlet story, strays)."""
    paths = [str(p) for p in seed_files()] + [str(SAMPLES)]
    articles = pipeline.clean(paths).articles
    expected = group_stories(articles)
    assert any(s.duplicates for s in expected) and len(expected) > 2
    assert group_stories_staged(InProcess(), articles) == expected
    with open_executor(EngineOptions(name="dask", scheduler=scheduler)) as executor:
        assert group_stories_staged(executor, articles) == expected


@pytest.mark.slow
def test_a_pile_of_thousands_gives_one_report_on_every_engine(
    tmp_path_factory: pytest.TempPathFactory, scheduler: str
) -> None:
    """3,000 articles from the corpora grouped in stages on Dask (part of them embedded,
    in several slices); the analysis of its stories of two to five articles (about 100
    articles) compared on every engine, to keep the test to a few minutes."""
    pile = _pile(3000, tmp_path_factory.mktemp("pile"))
    expected = group_stories(pile, embed_budget=600)
    assert len(expected) < len(pile) and any(s.duplicates for s in expected)
    with open_executor(EngineOptions(name="dask", scheduler=scheduler)) as executor:
        assert group_stories_staged(executor, pile, embed_budget=600) == expected
    by_id = {a.id: a for a in pile}
    chosen: list[Article] = []
    for story in expected:
        if 2 <= len(story.articles) <= 5 and len(chosen) < 100:
            chosen.extend(by_id[i] for i in story.articles)
    corpus = Corpus(articles=tuple(chosen), errors=())
    reports = []
    for engine in (
        EngineOptions(workers=1),
        EngineOptions(workers=2),
        EngineOptions(name="dask", scheduler=scheduler),
    ):
        options = pipeline.AnalyzeOptions(engine=engine)
        reports.append(dump_json(report_to_dict(pipeline.analyze_corpus(corpus, options=options))))
    assert reports[1] == reports[0]
    assert reports[2] == reports[0]


def test_engine_mistakes_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["analyze", str(SAMPLES), "--out", str(tmp_path), "--quiet"]
    cases = {
        ("--engine", "spark"): "copydesk: unknown engine 'spark': use local or dask\n",
        ("--workers", "0"): "copydesk: --workers must be 1 or more, not 0\n",
        ("--scheduler", "tcp://127.0.0.1:8786"): "copydesk: --scheduler needs --engine dask\n",
    }
    for flags, message in cases.items():
        result = runner.invoke(app, [*base, *flags])
        assert result.exit_code == 2
        assert result.output == message


def test_without_dask_the_error_gives_the_pip_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(app, ["stories", str(SAMPLES), "--quiet", "--engine", "dask"])
    assert result.exit_code == 2
    assert result.output == (
        "copydesk: --engine dask needs the package 'distributed': pip install 'copydesk[dask]'\n"
    )


def test_an_unreachable_scheduler_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("copydesk.engine.dask.CONNECT_TIMEOUT_S", 1)
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    result = CliRunner().invoke(
        app, ["stories", str(SAMPLES), "--quiet", "--engine", "dask", "--scheduler", address]
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"copydesk: cannot reach the Dask scheduler at {address} (")
    assert result.output.count("\n") == 1


class _Recording(InProcess):
    """Runs here like ``InProcess`` but passes for a pool of two workers, and records
    each ``each`` call: how many items, and the embedder spec they were sent with."""

    remote = True
    workers = 2
    embed_threads = 1

    def __init__(self) -> None:
        self.calls: list[tuple[int, object]] = []

    def worth_sharing(self, articles: int) -> bool:
        return True

    def each(self, fn, items, *, shared=(), stage=None, progress=None):  # type: ignore[no-untyped-def]
        self.calls.append((len(items), shared[0] if shared else None))
        return super().each(fn, items, shared=shared, stage=stage, progress=progress)


def test_a_big_story_is_analysed_alone_with_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from copydesk.engine import analysis
    from copydesk.engine.local import available_cores

    corpus = pipeline.clean([str(SAMPLES)])
    found = group_stories(corpus.articles)
    by_id = {a.id: a for a in corpus.articles}
    sizes = sorted((sum(len(by_id[i].sentences) for i in s.articles) for s in found), reverse=True)
    assert sizes[0] > sizes[1]
    expected = analysis.analyze_stories(InProcess(), found, corpus.articles, brief_words=150)
    monkeypatch.setattr(analysis, "ALONE_SENTENCES", sizes[0])  # only the biggest is big
    spy = _Recording()
    seen: list[tuple[int, int]] = []
    got = analysis.analyze_stories(
        spy, found, corpus.articles, brief_words=150, progress=lambda s, d, t: seen.append((d, t))
    )
    assert got == expected
    assert spy.calls == [(1, min(2, available_cores())), (len(found) - 1, 1)]
    assert seen == [(k, len(found)) for k in range(1, len(found) + 1)]


def test_the_main_process_frees_its_model_once_workers_analyse():
    """Grouping's ONNX session keeps the memory of its largest batch; once the stories go
    to workers this process needs it no more. Released, it loads again on demand, and
    gives the same vectors."""
    from copydesk.embed import MiniLMEmbedder, default_embedder

    model = default_embedder()
    assert isinstance(model, MiniLMEmbedder)
    before = model.encode(["Dockworkers walked out at dawn.", "The port is closed."])
    corpus = pipeline.clean([str(SAMPLES / "story" / "01_wire_original.txt")])
    found = group_stories(corpus.articles)
    assert model._session is not None
    analyze_stories(_Recording(), found, corpus.articles, brief_words=150)
    assert model._session is None
    after = model.encode(["Dockworkers walked out at dawn.", "The port is closed."])
    assert np.array_equal(before, after)


def test_a_minilm_of_another_model_file_is_sent_as_it_is_and_loads_in_the_worker(
    tmp_path: Path,
) -> None:
    """The published model is the worker's own session; a MiniLMEmbedder of another file
    (a fine-tune) must reach the worker as that file, not be swapped for the default."""
    import pickle

    from copydesk.embed import MiniLMEmbedder
    from copydesk.embed.minilm import model_path
    from copydesk.engine.local import LocalPool
    from copydesk.engine.worker import spec_for

    pool = LocalPool(2)
    assert spec_for(pool, MiniLMEmbedder()) == pool.embed_threads
    other = MiniLMEmbedder(model=model_path(), name="a-fine-tune")
    other.encode(["loaded here first"])
    sent = spec_for(pool, other)
    assert sent is other
    copy = pickle.loads(pickle.dumps(sent))
    assert copy.name == "a-fine-tune" and copy.model == model_path()
    text = ["Dockworkers at Kestrow walked out for a second day over pay."]
    assert np.array_equal(copy.encode(text), other.encode(text))
    missing = MiniLMEmbedder(model=tmp_path / "absent.onnx")
    with pytest.raises(Exception, match=r"absent\.onnx"):
        pickle.loads(pickle.dumps(missing)).encode(text)
