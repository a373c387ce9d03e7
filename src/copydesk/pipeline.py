"""The pipeline in one screen: each public verb chains the stages it needs."""

from __future__ import annotations

from collections.abc import Iterable

from copydesk.clean import clean_documents
from copydesk.ingest import DEFAULT_MAX_BYTES, load_documents
from copydesk.models import Corpus


def clean(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Corpus:
    """Read every input under ``paths`` and return clean articles and input failures.

    A bad input never stops the others: it becomes an entry of ``Corpus.errors``.
    """
    docs, failures = load_documents(paths, max_bytes=max_bytes)
    articles, empty = clean_documents(docs)
    return Corpus(articles=tuple(articles), errors=tuple(failures + empty))
