"""Clean the lines of one article: find its headline and date, drop the furniture."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from copydesk.clean.dates import parse_date_line, parse_dateline
from copydesk.clean.furniture import (
    is_byline,
    is_teaser_heading,
    is_truncated_copy,
    line_reason,
    looks_like_teaser_block,
    normalise,
)
from copydesk.models import Dropped

_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")")
MAX_TITLE_WORDS = 30
RECURRING = "recurs in other articles of the same outlet"


@dataclass(frozen=True, slots=True)
class CleanedText:
    title: str | None
    paragraphs: tuple[str, ...]
    dropped: tuple[Dropped, ...]
    published: dt.date | None
    author: str | None

    def render(self) -> str:
        """The clean text: the headline once, then the body, paragraphs apart."""
        parts = ([self.title] if self.title else []) + list(self.paragraphs)
        return "\n\n".join(parts)


def split_lines(text: str) -> list[str]:
    """Non-empty lines with their inner whitespace collapsed."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line]


def _is_body_line(line: str) -> bool:
    words = len(line.split())
    if line.endswith(("...", "…")):
        return False
    return words >= 25 or (words >= 12 and line.endswith(_TERMINAL))


def _header_length(lines: Sequence[str]) -> int:
    for i, line in enumerate(lines[:10]):
        if _is_body_line(line):
            return i
    return min(len(lines), 3)


@dataclass(slots=True)
class _Pass:
    """Mutable state of one cleaning pass; only :func:`clean_lines` sees it."""

    title: str | None
    title_placed: bool = False
    published: dt.date | None = None
    author: str | None = None
    kept: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def drop(self, line: str, reason: str) -> None:
        self.dropped.append(Dropped(text=line, reason=reason))

    def is_title(self, line: str) -> bool:
        return self.title is not None and normalise(line) == normalise(self.title)


def _clean_header(state: _Pass, header: Sequence[str]) -> None:
    site_bar = any(line_reason(line) == "weather widget" for line in header)
    for line in header:
        date = parse_date_line(line)
        reason = line_reason(line)
        if reason == "weather widget":
            state.drop(line, reason)
        elif date is not None:
            if date.has_counter:
                state.drop(line, "date line and view counter")
            elif site_bar:
                state.drop(line, "site header's current date, not the publication date")
                continue
            else:
                state.drop(line, "publication date line")
            state.published = state.published or date.date
        elif state.is_title(line):
            if state.title_placed:
                state.drop(line, "repeated title")
            state.title_placed = True
        elif any(is_truncated_copy(line, other) for other in header if other != line):
            state.drop(line, "breadcrumb (truncated title)")
        elif is_byline(line):
            state.drop(line, "byline")
            state.author = state.author or re.sub(
                r"^(?:written |reporting )?by\s+", "", line, flags=re.I
            )
        elif reason is not None:
            state.drop(line, reason)
        elif state.title is None and len(line.split()) <= MAX_TITLE_WORDS:
            state.title = line
            state.title_placed = True
        else:
            state.kept.append(line)


def _clean_body(state: _Pass, body: Sequence[str], recurring: frozenset[str]) -> None:
    for i, line in enumerate(body):
        if is_teaser_heading(line) and (state.kept or i > 0):
            rest = body[i + 1 :]
            if looks_like_teaser_block([r for r in rest if line_reason(r) != "comment form"]):
                block = f"teaser block ('{line}')"
                state.drop(line, block)
                for other in rest:
                    state.drop(
                        other, "comment form" if line_reason(other) == "comment form" else block
                    )
                return
        reason = line_reason(line)
        if state.is_title(line):
            state.drop(line, "repeated title")
        elif reason is not None:
            state.drop(line, reason)
        elif normalise(line) in recurring:
            state.drop(line, RECURRING)
        elif state.title and is_truncated_copy(line, state.title):
            state.drop(line, "truncated title")
        else:
            state.kept.append(line)


def clean_lines(
    text: str, *, title: str | None = None, recurring: frozenset[str] = frozenset()
) -> CleanedText:
    """Split ``text`` into headline, body paragraphs and dropped furniture.

    ``title`` is the headline when metadata gives one; otherwise the first short line
    of the page header is taken. ``recurring`` holds normalised lines seen in other
    articles of the same outlet (see :func:`recurring_lines`).
    """
    lines = split_lines(text)
    state = _Pass(title=" ".join(title.split()) if title else None)
    header = _header_length(lines)
    _clean_header(state, lines[:header])
    _clean_body(state, lines[header:], recurring)
    if state.published is None and state.kept:
        state.published = parse_dateline(state.kept[0])
    return CleanedText(
        title=state.title,
        paragraphs=tuple(state.kept),
        dropped=tuple(state.dropped),
        published=state.published,
        author=state.author,
    )


def recurring_lines(texts: Sequence[str], *, min_articles: int = 3) -> frozenset[str]:
    """Lines that recur across articles of one outlet: furniture of its site template.

    Only short lines count (up to 15 words), so that an outlet's two versions of one
    story do not lose the body sentences they share.
    """
    if len(texts) < min_articles:
        return frozenset()
    counts: dict[str, int] = {}
    for text in texts:
        for key in {normalise(line) for line in split_lines(text)}:
            if key and len(key.split()) <= 15:
                counts[key] = counts.get(key, 0) + 1
    threshold = max(min_articles, (len(texts) + 1) // 2)
    return frozenset(key for key, n in counts.items() if n >= threshold)
