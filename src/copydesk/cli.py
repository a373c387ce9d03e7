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
from copydesk.report.files import dump_json, write_atomic
from copydesk.report.serialize import corpus_to_dict

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="A copy desk for a pile of news articles."
)

Paths = Annotated[
    list[str], typer.Argument(help="Files, folders (read recursively) or - for stdin.")
]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Refuse inputs larger than this.")]
Strict = Annotated[bool, typer.Option("--strict", help="Stop at the first bad input.")]


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


def main() -> None:
    try:
        app()
    except CopydeskError as exc:
        typer.echo(f"copydesk: {exc}", err=True)
        sys.exit(2)
