"""The command line: a thin layer that parses options and calls the library."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from copydesk import pipeline
from copydesk.errors import CopydeskError
from copydesk.ingest import DEFAULT_MAX_BYTES
from copydesk.models import InputFailure
from copydesk.progress import progress_bars
from copydesk.report.files import dump_json, write_atomic
from copydesk.report.html import render_html
from copydesk.report.markdown import render_markdown
from copydesk.report.serialize import corpus_to_dict, report_to_dict, stories_to_dict

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A copy desk for a pile of news articles."
)

Paths = Annotated[
    list[str], typer.Argument(help="Files, folders (read recursively) or - for stdin.")
]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Refuse inputs larger than this.")]
Strict = Annotated[bool, typer.Option("--strict", help="Stop at the first bad input.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars on stderr.")]


@app.callback()
def _root() -> None:
    """A copy desk for a pile of news articles: clean, group, cross-check, brief."""


def _report_failures(failures: tuple[InputFailure, ...], strict: bool) -> None:
    for failure in failures:
        typer.echo(f"copydesk: {failure.source}: {failure.message}", err=True)
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
) -> None:
    """Read articles (text, HTML, JSON, JSONL, feeds, WARC) and write clean text as JSON."""
    corpus = pipeline.clean(paths, max_bytes=max_bytes)
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
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Analyse the articles: stories, reuse, independent groups, claims, discrepancies, brief."""
    options = pipeline.AnalyzeOptions(brief_words=words, one_story=one_story, max_bytes=max_bytes)
    with progress_bars(quiet) as progress:
        report = pipeline.analyze(paths, options=options, progress=progress)
    _report_failures(report.errors, strict)
    write_atomic(out / "report.json", dump_json(report_to_dict(report)))
    write_atomic(out / "report.md", render_markdown(report))
    write_atomic(out / "report.html", render_html(report))
    typer.echo(f"copydesk: wrote report.json, report.md and report.html in {out}", err=True)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def stories(
    paths: Paths,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write JSON here, not stdout.")
    ] = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Group the articles into stories (same event), near-duplicates recognised."""
    with progress_bars(quiet) as progress:
        corpus, found = pipeline.stories(paths, max_bytes=max_bytes, progress=progress)
    _report_failures(corpus.errors, strict)
    _emit(dump_json(stories_to_dict(found, corpus.errors)), json_out)
    if corpus.errors:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except CopydeskError as exc:
        typer.echo(f"copydesk: {exc}", err=True)
        sys.exit(2)
