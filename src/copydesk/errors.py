"""Exceptions raised by the library. Each message names the input and the fix.

The library raises; the CLI turns an error into one line on stderr and a non-zero
exit status. Errors about one input never stop the others: see :class:`InputError`.
"""

from __future__ import annotations

import os


def display_name(source: str | os.PathLike[str]) -> str:
    """The name of a file as it may be printed inside a one-line message.

    A printable name comes back as it is. A name with a newline, a tab, another control
    character or an undecodable byte (a surrogate escape) comes back quoted and escaped,
    as Python writes a string literal (``'a\\nb.txt'``): printed raw it would split the
    message over two lines, forge a second message, or fail to encode on stderr.
    """
    name = os.fspath(source)
    return name if name.isprintable() else repr(name)


class CopydeskError(Exception):
    """Base class of every error copydesk raises on purpose."""


class InputError(CopydeskError):
    """One input could not be turned into articles."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{display_name(source)}: {reason}")
        self.source = source
        self.reason = reason


class OutputError(CopydeskError):
    """A destination (``--out``, ``--json``) cannot be written; the message says what to do.

    Raised before the work starts when the destination is visibly wrong (a file where a
    folder is wanted, a folder that is not writable), so that a long analysis does not
    end in a failed write.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{display_name(path)}: {reason}")
        self.path = os.fspath(path)
        self.reason = reason


class MissingDependency(CopydeskError):
    """An optional package is not installed; the message gives the pip line."""

    def __init__(self, package: str, purpose: str, pip_args: str | None = None) -> None:
        line = pip_args or package
        super().__init__(f"{purpose} needs the package '{package}': pip install {line}")
        self.package = package


class EngineError(CopydeskError):
    """The engine cannot run the work: a bad ``--workers``, an unreachable ``--scheduler``,
    a worker that died; the message says what to change."""
