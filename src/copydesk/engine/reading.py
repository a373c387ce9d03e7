"""Reading and cleaning on the engine's workers: each input is read where it is cleaned.

A day of saved pages is tens of thousands of HTML files, and trafilatura costs tens of
milliseconds a page: one process would spend minutes here before grouping starts. So
the inputs are split among the workers, which read and clean them; only the steps that
need every document stay in this process (unique ids, each outlet's recurring lines),
and the result is the one :func:`copydesk.pipeline.clean` gives in one process, in the
same order, failures included.

On Dask the workers open the files themselves, so they must see the paths (one machine,
or a shared filesystem); each is sent as an absolute path, and reported by the name the
user gave.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from copydesk.clean import (
    Prepared,
    clean_documents,
    finish_documents,
    prepare_document,
    recurring_by_outlet,
)
from copydesk.engine.executor import Executor, Progress
from copydesk.errors import InputError
from copydesk.ingest import read_entry, unique_ids, walk
from copydesk.ingest.paths import STDIN
from copydesk.models import Article, Corpus, InputFailure, RawDocument

T = TypeVar("T")

# Tasks per worker for each step: enough to even out inputs of different sizes, few
# enough that each carries real work.
TASKS_PER_WORKER = 4
# With fewer inputs than this per worker, the inputs are read here (a few big files:
# reading is fast, cleaning is the cost) and their documents cleaned on the workers.
INPUTS_PER_WORKER = 2

# An input as a task gets it: (name to report, where to open it), or a path that was
# bad from the start, as (name, reason).
Entry = tuple[str, str] | tuple[str, None, str]


def _chunks(items: Sequence[T], workers: int) -> list[list[T]]:
    """``items`` in order, in about ``TASKS_PER_WORKER`` runs per worker."""
    size = max(1, -(-len(items) // (workers * TASKS_PER_WORKER)))
    return [list(items[k : k + size]) for k in range(0, len(items), size)]


def _entry(found: str | InputError) -> Entry:
    if isinstance(found, InputError):
        return (found.source, None, found.reason)
    return (found, os.path.abspath(found))


def _read(entry: Entry, max_bytes: int) -> tuple[list[RawDocument], list[InputFailure]]:
    if len(entry) == 3:
        return [], [InputFailure(source=entry[0], message=entry[2])]
    return read_entry(entry[0], max_bytes, at=entry[1])


def read_and_prepare(
    entries: list[Entry], max_bytes: int
) -> tuple[list[Prepared], list[InputFailure]]:
    """A task: read some inputs and prepare their documents."""
    prepared: list[Prepared] = []
    failures: list[InputFailure] = []
    for entry in entries:
        docs, failed = _read(entry, max_bytes)
        prepared.extend(prepare_document(d) for d in docs)
        failures.extend(failed)
    return prepared, failures


def prepare_many(docs: list[RawDocument]) -> list[Prepared]:
    """A task: prepare some documents."""
    return [prepare_document(d) for d in docs]


def finish_many(
    prepared: list[Prepared], recurring: dict[str, frozenset[str]]
) -> tuple[list[Article], list[InputFailure]]:
    """A task: clean articles from some prepared documents."""
    return finish_documents(prepared, recurring)


def _with_unique_ids(prepared: list[Prepared]) -> list[Prepared]:
    """As ``ingest.unique_ids`` does for documents read in one process."""
    docs = unique_ids([p.doc for p in prepared])
    return [p if p.doc is d else replace(p, doc=d) for p, d in zip(prepared, docs, strict=True)]


def clean_inputs(
    executor: Executor,
    paths: Iterable[str],
    *,
    max_bytes: int,
    progress: Progress | None = None,
) -> Corpus | None:
    """Read and clean the inputs under ``paths`` on ``executor``'s workers, as
    :func:`copydesk.pipeline.clean` does in this process; ``None`` when there are no
    workers or the input is standard input (read it here)."""
    if not executor.remote:
        return None
    found = list(walk(paths))
    if STDIN in found:
        return None
    entries = [_entry(f) for f in found]
    failures: list[InputFailure] = []
    prepared: list[Prepared] = []
    if len(entries) >= INPUTS_PER_WORKER * executor.workers and executor.worth_sharing(
        len(entries)
    ):
        parts = executor.map(
            read_and_prepare,
            _chunks(entries, executor.workers),
            shared=(max_bytes,),
            stage="reading",
            progress=progress,
        )
        for ready, failed in parts:
            prepared.extend(ready)
            failures.extend(failed)
    else:
        docs: list[RawDocument] = []
        for k, entry in enumerate(entries, 1):
            read, failed = _read(entry, max_bytes)
            docs.extend(read)
            failures.extend(failed)
            if progress is not None:
                progress("reading", k, len(entries))
        if not executor.worth_sharing(len(docs)):
            cleaned, unread = clean_documents(unique_ids(docs), progress=progress)
            return Corpus(articles=tuple(cleaned), errors=tuple(failures + unread))
        for part in executor.map(
            prepare_many,
            _chunks(docs, executor.workers),
            stage="cleaning",
            progress=progress,
        ):
            prepared.extend(part)
    prepared = _with_unique_ids(prepared)
    recurring = recurring_by_outlet(prepared)
    articles: list[Article] = []
    empty: list[InputFailure] = []
    for done, failed in executor.map(
        finish_many,
        _chunks(prepared, executor.workers),
        shared=(recurring,),
        stage="cleaning",
        progress=progress,
    ):
        articles.extend(done)
        empty.extend(failed)
    return Corpus(articles=tuple(articles), errors=tuple(failures + empty))
