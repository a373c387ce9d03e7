"""What a reader hands back: the documents of one input and the items of it that failed.

A container (a JSON list, a JSON Lines file, a feed, a WARC file) holds many articles,
and one broken item must not sink the others: readers therefore return the good
documents beside a failure per bad item, and raise :class:`~copydesk.errors.InputError`
only when the input as a whole cannot be read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.models import InputFailure, RawDocument


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The documents read from one input, and one failure per item that could not be.

    A failure's ``source`` names the input file; its ``message`` names the item (a line,
    an item number, a feed entry, a WARC record) and the reason.
    """

    docs: tuple[RawDocument, ...]
    failures: tuple[InputFailure, ...] = ()

    @classmethod
    def of(cls, docs: Iterable[RawDocument], failures: Iterable[InputFailure] = ()) -> ReadResult:
        return cls(docs=tuple(docs), failures=tuple(failures))


def content_id(text: str) -> str:
    """A stable id for an article that brings none: a hash of its content."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
