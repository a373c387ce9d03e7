"""Exceptions raised by the library. Each message names the input and the fix.

The library raises; the CLI turns an error into one line on stderr and a non-zero
exit status. Errors about one input never stop the others: see :class:`InputError`.
"""

from __future__ import annotations


class CopydeskError(Exception):
    """Base class of every error copydesk raises on purpose."""


class InputError(CopydeskError):
    """One input could not be turned into articles."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class MissingDependency(CopydeskError):
    """An optional package is not installed; the message gives the pip line."""

    def __init__(self, package: str, purpose: str, pip_args: str | None = None) -> None:
        line = pip_args or package
        super().__init__(f"{purpose} needs the package '{package}': pip install {line}")
        self.package = package
