"""The desk's commands (``add``, ``update``, ``report``, ``search``, ``watch``): thin calls
on :class:`copydesk.desk.Desk`, registered on the one ``copydesk`` app."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from copydesk.cli import MaxBytes, Quiet, Strict, _one_line_errors, _report_failures, app
from copydesk.desk import Desk
from copydesk.errors import display_name
from copydesk.ingest import DEFAULT_MAX_BYTES
from copydesk.models import AddReport, RawDocument
from copydesk.progress import progress_bars
from copydesk.report.files import (
    check_output_dir,
    check_output_file,
    dump_json,
    write_atomic,
    write_report_set,
)
from copydesk.report.html import render_html
from copydesk.report.markdown import render_markdown
from copydesk.report.serialize import report_to_dict
from copydesk.store.database import ENV_DB
from copydesk.store.watch_state import SqliteWatchState
from copydesk.watch import RoundResult, parse_interval
from copydesk.watch import watch as run_watch

Db = Annotated[
    Path | None,
    typer.Option(
        "--db", envvar=ENV_DB, help="The store (default: $COPYDESK_DB, else ./copydesk.db)."
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _line(*fields: object) -> None:
    """One tab-separated line on stdout, flushed: a reader (or a test that kills us) sees
    exactly what was committed."""
    sys.stdout.write("\t".join("" if f is None else str(f) for f in fields) + "\n")
    sys.stdout.flush()


def _summary(report: AddReport) -> str:
    parts = [
        f"{report.count('added')} added",
        f"{report.count('copy')} copies",
        f"{report.count('version')} new versions",
        f"{report.count('unchanged')} unchanged",
    ]
    if report.merged:
        parts.append(f"{len(report.merged)} stories merged")
    if report.errors:
        parts.append(f"{len(report.errors)} inputs failed")
    return ", ".join(parts)


@app.command()
def add(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (read recursively) or - for stdin.")
    ],
    db: Db = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Articles per transaction.")] = 100,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    strict: Strict = False,
    quiet: Quiet = False,
    as_json: JsonFlag = False,
) -> None:
    """Add articles to the store and place each one in a story (new, joined or merged).

    Prints one line per article once its batch is committed: what it became
    (added, copy, version, unchanged), its id, its story and its input.
    """

    def show(part: AddReport) -> None:
        for item in part.added:
            if as_json:
                _line(json.dumps(dataclasses.asdict(item), ensure_ascii=False))
            else:
                _line(item.outcome, item.article, item.story, display_name(item.source))

    with _one_line_errors(), Desk(db) as desk, progress_bars(quiet) as progress:
        report = desk.add(
            paths, max_bytes=max_bytes, batch_size=batch, progress=progress, on_batch=show
        )
    _report_failures(report.errors, strict)
    if not quiet:
        for keep, gone in report.merged:
            typer.echo(f"copydesk: story {gone} merged into {keep}", err=True)
        typer.echo(f"copydesk: {_summary(report)}", err=True)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def update(
    db: Db = None,
    words: Annotated[int, typer.Option("--words", help="Length of each brief in words.")] = 150,
    quiet: Quiet = False,
) -> None:
    """Re-analyse the stories that changed since their last analysis."""
    with _one_line_errors(), Desk(db) as desk, progress_bars(quiet) as progress:
        done = desk.update(brief_words=words, progress=progress)
    if not quiet:
        typer.echo(f"copydesk: analysed {len(done)} changed stories", err=True)


@app.command()
def report(
    story_id: Annotated[str, typer.Argument(help="A story id, as 'copydesk stories' lists.")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for report.json, report.md and report.html.")
    ],
    db: Db = None,
    words: Annotated[int, typer.Option("--words", help="Length of the brief in words.")] = 150,
) -> None:
    """Write the report of one stored story (analysed now if it changed)."""
    with _one_line_errors():
        check_output_dir(out)
        with Desk(db, readonly=True) as desk:
            result = desk.report(story_id, brief_words=words)
        write_report_set(
            out,
            {
                "report.json": dump_json(report_to_dict(result)),
                "report.md": render_markdown(result),
                "report.html": render_html(result),
            },
        )
    typer.echo(f"copydesk: wrote report.json, report.md and report.html in {out}", err=True)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (FTS5 syntax also works).")],
    db: Db = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only this outlet.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only articles published on or after (ISO).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Full-text search over the stored articles (BM25), with each article's story."""
    with _one_line_errors(), Desk(db, readonly=True) as desk:
        hits = desk.search(query, outlet=outlet, since=since, limit=limit)
    if as_json:
        sys.stdout.write(dump_json([dataclasses.asdict(h) for h in hits]))
        return
    for hit in hits:
        snippet = " ".join(hit.snippet.split())
        _line(hit.article, hit.story, hit.published, hit.outlet, hit.title)
        _line("", snippet)
    if not hits:
        typer.echo("copydesk: no article matches", err=True)


def stored_stories(db: Path | None, *, outlet: str | None, json_out: Path | None) -> None:
    """``copydesk stories --db``: the store's live stories, largest first."""
    with Desk(db, readonly=True) as desk:
        infos = desk.stories(outlet=outlet)
    if json_out is not None:
        check_output_file(json_out)
        write_atomic(json_out, dump_json({"stories": [dataclasses.asdict(i) for i in infos]}))
        return
    for info in infos:
        articles = f"{info.articles} article{'s' if info.articles != 1 else ''}"
        _line(info.id, articles, info.last_published or "undated", info.title)


@app.command()
def watch(
    sources: Annotated[
        list[str], typer.Argument(help="Feed URLs, OPML files, or files listing them.")
    ],
    db: Db = None,
    every: Annotated[str, typer.Option("--every", help="Time between rounds: 15m, 1h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (cron).")] = False,
    quiet: Quiet = False,
) -> None:
    """Follow feeds: fetch each new entry's page and add it to the store."""

    with _one_line_errors():
        try:
            interval = parse_interval(every)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--every") from exc
        with Desk(db) as desk, progress_bars(quiet) as progress:

            def store(docs: list[RawDocument]) -> list[str | None]:
                part = desk.add_documents(docs)
                for item in part.added:
                    _line(item.outcome, item.article, item.story, display_name(item.source))
                _report_failures(part.errors, False)
                stored = {item.source: item.article for item in part.added}
                return [stored.get(doc.source) for doc in docs]

            def round_done(result: RoundResult) -> None:
                _report_failures(result.errors, False)
                if not quiet:
                    typer.echo(f"copydesk: {_round_summary(result)}", err=True)

            run_watch(
                sources,
                SqliteWatchState(desk.db),
                store,
                every=interval,
                once=once,
                progress=progress,
                on_round=round_done,
            )


def _round_summary(result: RoundResult) -> str:
    return (
        f"{result.feeds_checked} feeds checked ({result.feeds_not_modified} not modified, "
        f"{result.feeds_skipped} backing off, {result.feeds_failed} failed), "
        f"{result.entries_new} new entries, {result.documents_added} stored"
    )


@app.command()
def serve(
    db: Db = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (keep 127.0.0.1 unless proxied).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, help="Server processes (one per core serves most)."
        ),
    ] = 1,
) -> None:
    """Serve the web desk over the store: front page, stories, articles, outlets, search.

    Adding articles through the web needs the token printed at start (kept beside the
    store as DB.token).
    """
    from copydesk.store.database import default_path
    from copydesk.web import serve as run_server

    with _one_line_errors():
        run_server(db if db is not None else default_path(), host=host, port=port, workers=workers)
