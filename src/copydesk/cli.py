"""The command line: a thin layer that parses options and calls the library."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from copydesk import pipeline
from copydesk.engine import EngineOptions
from copydesk.errors import CopydeskError, display_name
from copydesk.ingest import DEFAULT_MAX_BYTES
from copydesk.models import InputFailure
from copydesk.progress import progress_bars
from copydesk.report.files import (
    Content,
    check_output_dir,
    check_output_file,
    dump_json,
    write_atomic,
    write_report_set,
)
from copydesk.report.html import render_html
from copydesk.report.markdown import render_markdown
from copydesk.report.serialize import corpus_to_dict, report_json, stories_to_dict
from copydesk.report.split import per_story_stream

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A copy desk for a pile of news articles."
)

Paths = Annotated[
    list[str], typer.Argument(help="Files, folders (read recursively) or - for stdin.")
]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Refuse inputs larger than this.")]
Strict = Annotated[bool, typer.Option("--strict", help="Stop at the first bad input.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
EngineName = Annotated[
    str, typer.Option("--engine", help="Where the work runs: local (processes) or dask.")
]
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Local processes (default: the cores; 1 = this process only), or the workers "
        "of the Dask cluster started without --scheduler (default 2).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler", help="Address of a running dask.distributed scheduler (--engine dask)."
    ),
]


def _engine(name: str, workers: int | None, scheduler: str | None) -> EngineOptions:
    """The engine options as typed; the library checks them (one-line errors)."""
    return EngineOptions(name=name, workers=workers, scheduler=scheduler)  # type: ignore[arg-type]


def _print_version(value: bool) -> None:
    if value:
        from copydesk import __version__  # lazily: copydesk/__init__ may still be loading

        typer.echo(f"copydesk {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """A copy desk for a pile of news articles: clean, group, cross-check, brief."""


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Turn a CopydeskError into one line on stderr and exit status 2, as ``main`` does.

    Inside the commands too, so that typer's in-process runner (the tests) sees the same.
    """
    try:
        yield
    except CopydeskError as exc:
        typer.echo(f"copydesk: {exc}", err=True)
        raise typer.Exit(2) from None


def _report_failures(failures: tuple[InputFailure, ...], strict: bool) -> None:
    for failure in failures:
        message = " ".join(failure.message.splitlines())
        typer.echo(f"copydesk: {display_name(failure.source)}: {message}", err=True)
    if failures and strict:
        raise typer.Exit(2)


def _emit(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        write_atomic(path, text)


@app.command()
def clean(
    paths: Paths,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write JSON here, not stdout.")
    ] = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    with_raw: Annotated[bool, typer.Option("--with-raw", help="Include each raw input.")] = False,
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Read articles (text, HTML, JSON, JSONL, feeds, WARC) and write clean text as JSON."""
    with _one_line_errors():
        if json_out is not None:
            check_output_file(json_out)
        with progress_bars(quiet) as progress:
            corpus = pipeline.clean(paths, max_bytes=max_bytes, progress=progress)
        _report_failures(corpus.errors, strict)
        _emit(dump_json(corpus_to_dict(corpus, with_raw=with_raw)), json_out)
    if corpus.errors:
        raise typer.Exit(1)


@app.command()
def analyze(
    paths: Paths,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for report.json, report.md and report.html.")
    ],
    words: Annotated[int, typer.Option("--words", help="Length of each brief in words.")] = 150,
    one_story: Annotated[
        bool, typer.Option("--one-story", help="Treat all inputs as one story.")
    ] = False,
    per_story: Annotated[
        bool,
        typer.Option(
            "--per-story",
            help="One report per story under DIR/stories/, and an index (for big piles).",
        ),
    ] = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    engine: EngineName = "local",
    workers: Workers = None,
    scheduler: Scheduler = None,
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Analyse the articles: stories, reuse, independent groups, claims, discrepancies, brief."""
    with _one_line_errors():
        options = pipeline.AnalyzeOptions(
            brief_words=words,
            one_story=one_story,
            max_bytes=max_bytes,
            engine=_engine(engine, workers, scheduler),
            keep_raw=False,  # no report file reads it
        )
        check_output_dir(out)
        if per_story:
            errors, n = _analyze_per_story(paths, out, options, strict=strict, quiet=quiet)
        else:
            with progress_bars(quiet) as progress:
                report = pipeline.analyze(paths, options=options, progress=progress)
            _report_failures(report.errors, strict)
            errors = report.errors
            # Each file is rendered as it is written: one at a time in memory.
            files: dict[str, Content] = {
                "report.json": lambda: report_json(report),
                "report.md": lambda: render_markdown(report),
                "report.html": lambda: render_html(report),
            }
            write_report_set(out, files)
    where = display_name(out)
    what = "report.json, report.md and report.html"
    if per_story:
        what = f"an index ({what}) and {n} stor{'y' if n == 1 else 'ies'} in stories/"
    typer.echo(f"copydesk: wrote {what} in {where}", err=True)
    if errors:
        raise typer.Exit(1)


def _analyze_per_story(
    paths: list[str], out: Path, options: pipeline.AnalyzeOptions, *, strict: bool, quiet: bool
) -> tuple[tuple[InputFailure, ...], int]:
    """``analyze --per-story``: each story's report is written as soon as it is analysed,
    so memory holds one story's analysis at a time, whatever the number of stories."""
    with (
        progress_bars(quiet) as progress,
        pipeline.analysis_run(paths, options=options, progress=progress) as run,
    ):
        _report_failures(run.corpus.errors, strict)
        stream = per_story_stream(run.corpus.articles, run.corpus.errors, run.stories, run.analyses)
        write_report_set(out, stream)
    return run.corpus.errors, len(run.stories)


@app.command()
def stories(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders or - for stdin; none to list the store's stories."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write JSON here, not stdout.")
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", envvar="COPYDESK_DB", help="List the stories of this store."),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Store: only stories with this outlet.")
    ] = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    engine: EngineName = "local",
    workers: Workers = None,
    scheduler: Scheduler = None,
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Group the articles into stories (same event), near-duplicates recognised; with
    ``--db`` (or no paths), list the stories of a store instead."""
    if not paths:
        from copydesk.cli_desk import stored_stories

        with _one_line_errors():
            stored_stories(db, outlet=outlet, json_out=json_out)
        return
    with _one_line_errors():
        if json_out is not None:
            check_output_file(json_out)
        with progress_bars(quiet) as progress:
            corpus, found = pipeline.stories(
                paths,
                max_bytes=max_bytes,
                engine=_engine(engine, workers, scheduler),
                progress=progress,
            )
        _report_failures(corpus.errors, strict)
        _emit(dump_json(stories_to_dict(found, corpus.errors)), json_out)
    if corpus.errors:
        raise typer.Exit(1)


# The desk's commands register themselves on ``app``.
from copydesk import cli_desk  # noqa: E402, F401


def main() -> None:
    try:
        app()
    except CopydeskError as exc:
        typer.echo(f"copydesk: {exc}", err=True)
        sys.exit(2)
