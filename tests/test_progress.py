"""Progress: plain lines when stderr is no terminal, bars on a terminal, nothing when quiet."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from copydesk import pipeline
from copydesk.models import InputFailure, RawDocument
from copydesk.progress import plain_lines, progress_bars


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_at_most_every_interval_and_always_the_last() -> None:
    stream = io.StringIO()
    clock = FakeClock()
    update = plain_lines(stream, interval=2.0, clock=clock)
    for done in range(1, 401):
        clock.now = done * 0.05  # 20 s for the whole stage
        update("cleaning", done, 400)
    update("cleaning", 400, 400)  # a repeated last report prints nothing more
    lines = stream.getvalue().splitlines()
    assert lines[-1] == "copydesk: cleaning 400/400"
    assert lines.count("copydesk: cleaning 400/400") == 1
    assert 8 <= len(lines) <= 11  # one every 2 s, plus the last
    assert all(line.startswith("copydesk: cleaning ") for line in lines)


def test_a_quick_stage_prints_only_its_last_line_and_stages_are_separate() -> None:
    stream = io.StringIO()
    update = plain_lines(stream, interval=2.0, clock=FakeClock())
    for done in range(1, 4):
        update("reading", done, 3)
    update("cleaning", 0, 0)
    assert stream.getvalue().splitlines() == [
        "copydesk: reading 3/3",
        "copydesk: cleaning 0/0",
    ]


def test_progress_bars_on_a_non_terminal_print_plain_lines() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=False)
    with progress_bars(False, console=console) as progress:
        assert progress is not None
        progress("reading", 1, 2)
        progress("reading", 2, 2)
    assert stream.getvalue() == "copydesk: reading 2/2\n"


def test_progress_bars_on_a_terminal_draw_bars() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=80)
    with progress_bars(False, console=console) as progress:
        assert progress is not None
        progress("embedding", 5, 5)
    assert "embedding" in stream.getvalue()
    assert "copydesk: embedding" not in stream.getvalue()


def test_quiet_prints_nothing(capsys: Any) -> None:
    with progress_bars(True) as progress:
        assert progress is None
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_clean_passes_progress_to_reading_and_cleaning_when_they_take_it(
    monkeypatch: Any,
) -> None:
    seen: list[str] = []

    def load(
        paths: Sequence[str], *, max_bytes: int, progress: Any = None
    ) -> tuple[list[RawDocument], list[InputFailure]]:
        progress("reading", 1, 1)
        return [], []

    def clean_docs(
        docs: Sequence[RawDocument], *, progress: Any = None
    ) -> tuple[list[Any], list[Any]]:
        progress("cleaning", 0, 0)
        return [], []

    monkeypatch.setattr(pipeline, "load_documents", load)
    monkeypatch.setattr(pipeline, "clean_documents", clean_docs)
    pipeline.clean(["x"], progress=lambda stage, done, total: seen.append(stage))
    assert seen == ["reading", "cleaning"]


def test_clean_leaves_out_progress_for_stages_that_do_not_take_it(monkeypatch: Any) -> None:
    def load(paths: Sequence[str], *, max_bytes: int) -> tuple[list[Any], list[Any]]:
        return [], []

    def clean_docs(docs: Sequence[RawDocument]) -> tuple[list[Any], list[Any]]:
        return [], []

    monkeypatch.setattr(pipeline, "load_documents", load)
    monkeypatch.setattr(pipeline, "clean_documents", clean_docs)
    corpus = pipeline.clean(["x"], progress=lambda stage, done, total: None)
    assert corpus.articles == () and corpus.errors == ()
