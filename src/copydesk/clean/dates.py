"""Recognise date lines in a page header (``Friday, June 21, 2024``, ``June 21,2024 864``).

Only dates with a day, a month and a year are read: a publication date is never
completed by guessing the year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s*"
_PREFIX = r"(?:(?:published|posted|updated|last updated|date|on)\s*:?\s*)?"
_TIME = r"(?:\s*(?:,|at|-|\|)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?)?"
_TAIL = r"(?P<tail>\s*(?:\|\s*)?(?P<count>\d[\d,.]*\s*(?:views?|reads?)?)?)\s*$"

_PATTERNS = [
    re.compile(
        rf"^\s*{_PREFIX}(?:{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*"
        rf"(?P<year>(?:19|20)\d\d){_TIME}{_TAIL}",
        re.I,
    ),
    re.compile(
        rf"^\s*{_PREFIX}(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s*,?\s*"
        rf"(?P<year>(?:19|20)\d\d){_TIME}{_TAIL}",
        re.I,
    ),
    re.compile(
        rf"^\s*{_PREFIX}(?P<year>(?:19|20)\d\d)-(?P<mnum>\d{{2}})-(?P<day>\d{{2}})"
        rf"(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?{_TAIL}",
        re.I,
    ),
]


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line that is a date, possibly followed by a view counter."""

    date: dt.date
    has_counter: bool


def parse_date_line(line: str) -> DateLine | None:
    """The date a whole line states, or None when the line is anything else."""
    if len(line) > 60:
        return None
    for pattern in _PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
        try:
            date = dt.date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            return None
        return DateLine(date=date, has_counter=bool(groups.get("count")))
    return None


_PLACE = r"^[A-Z][A-Za-z .'-]{1,40},?\s+"
_DATELINES = [
    re.compile(
        rf"{_PLACE}(?:{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+"
        rf"(?P<year>(?:19|20)\d\d)\b",
        re.I,
    ),
    re.compile(
        rf"{_PLACE}(?:{_WEEKDAY})?(?P<day>\d{{1,2}})\s+{_MONTH},?\s+"
        rf"(?P<year>(?:19|20)\d\d)\b",
        re.I,
    ),
]


def parse_dateline(paragraph: str) -> dt.date | None:
    """The date of a body dateline such as ``SEOUL, June 21, 2024 (Agency) -``."""
    for pattern in _DATELINES:
        match = pattern.match(paragraph)
        if match:
            try:
                month = _MONTHS[match["month"].lower()]
                return dt.date(int(match["year"]), month, int(match["day"]))
            except ValueError:
                return None
    return None


_ANY_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_CAPS = r"[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+)*"  # KESTROW, NEW YORK, ST. LOUIS
_DATELINE_OPENING = re.compile(
    rf"^{_CAPS}"
    r"(?:,\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})?"  # , Ostrevia / , Calif.
    rf"(?:,?\s*(?i:\d{{1,2}}\s+{_ANY_MONTH}|{_ANY_MONTH}\s+\d{{1,2}})(?:,?\s+(?:19|20)\d\d)?)?"
    # (AP) -- or (Reuters) - ; without an agency, a dash that only datelines use here
    r"(?:\s*\([^()]{2,40}\)\s*(?:—|–|--|_|-)|\s*(?:—|–|--|_))"
    r"\s+(?=[\"“‘'A-Z0-9])"
)


def dateline_end(sentence: str) -> int:
    """Where the text of a sentence starts after its dateline (0 when it has none).

    ``KESTROW, Ostrevia (Meridian Wire) — Police fired ...`` and ``WASHINGTON (AP) --``
    say where and by whom the story was filed, not what happened: a rewrite of the lead
    that leaves them out still states all of its facts.
    """
    match = _DATELINE_OPENING.match(sentence)
    return match.end() if match else 0
