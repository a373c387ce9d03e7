"""Dates: weekdays and calendar dates read against each article's publication date, and
the years of a span ("since 2002", "from 1967 to 1979").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence, Set

from copydesk.analyze.discrepancy.common import matches
from copydesk.analyze.tokens import MONTHS, WEEKDAYS
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# Articles published this many days apart or more name different weeks' weekdays.
WEEKDAY_HORIZON_DAYS = 7
# Days between an event and a report that dates it by its own day ("today", "on June 24"
# in the June 25 paper).
NEWS_OF_THE_DAY = frozenset({0, 1})
# A weekday ("on Sunday") or a day of a month ("March 1", "1 March"), the year unstated.
_DATE = re.compile(
    r"\b(?:on\s+)?(" + "|".join(WEEKDAYS) + r")\b|\b(?:january|february|march|"
    r"april|may|june|july|august|september|october|november|december)\s+\d{1,2}"
    r"\b|\b\d{1,2}\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b",
    re.I,
)


def _date_key(text: str) -> str:
    """A weekday, or a date as "march 1" however it is written ("1 March", "March 1")."""
    words = re.sub(r"^on\s+", "", text.lower()).split()
    if len(words) == 2 and words[0].isdigit():
        return f"{words[1]} {int(words[0])}"
    if len(words) == 2 and words[1].isdigit():
        return f"{words[0]} {int(words[1])}"
    return " ".join(words)


def date_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Days or dates that no two articles share, in mentions of the same fact."""
    per_article: dict[str, list[Variant]] = {}
    for _, variant in matches(_DATE, by_article, articles):
        per_article.setdefault(variant.article, []).append(variant)
    found: list[list[Variant]] = []
    for weekday in (True, False):
        keys = {
            a: {k for k in (_date_key(v.text) for v in vs) if (k in WEEKDAYS) == weekday}
            for a, vs in per_article.items()
        }
        keys = {a: k for a, k in keys.items() if k}
        pairs = [(a, b) for i, a in enumerate(keys) for b in list(keys)[i + 1 :]]
        if not any(
            days_conflict(articles[a].published, keys[a], articles[b].published, keys[b])
            for a, b in pairs
        ):
            continue
        flat = [
            next(
                v
                for v in per_article[a]
                if (re.sub(r"^on\s+", "", v.text.lower()) in WEEKDAYS) == weekday
            )
            for a in keys
        ]
        found.append(flat)
    if not found:
        return []
    return [Discrepancy(kind="date", claim=claim.id, variants=_join_day_and_date(found, articles))]


def _join_day_and_date(
    found: Sequence[Sequence[Variant]], articles: Mapping[str, Article]
) -> tuple[Variant, ...]:
    """The weekday and the date of one article as one variant when they are written
    together ("Saturday, March 1"): one disagreement about a day is one discrepancy."""
    per_article: dict[str, list[Variant]] = {}
    for variants in found:
        for v in variants:
            per_article.setdefault(v.article, []).append(v)
    out = []
    for article, variants in per_article.items():
        variants.sort(key=lambda v: v.start)
        merged = [variants[0]]
        for v in variants[1:]:
            last = merged[-1]
            text = articles[article].text
            if re.fullmatch(r"[\s,]{0,3}", text[last.end : v.start]):
                merged[-1] = Variant(article, text[last.start : v.end], last.start, v.end)
            else:
                merged.append(v)
        out += merged
    return tuple(out)


# The years of a span ("from 1967 to 1979", "since 2002", "until 2006") date one thing:
# two articles giving it different years disagree. A bare "in 1999", "to 1977" or
# "through 2006" is left out: a claim may join sentences that date different things
# ("dating back to 1977" is where one span starts, "through 2006" where another ends).
_YEAR = r"(?:19|20)\d\d"
_SPAN_YEAR = re.compile(
    rf"\b(?:from\s+(?P<start>{_YEAR})\s*(?:to|through|until|till|-|–)\s*(?P<end>{_YEAR})"
    rf"|(?P<word>since|until|till)\s+(?P<year>{_YEAR}))\b(?![,.]?\d)",
    re.I,
)


def year_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """The years of a span given differently ("since 2002" / "since 2003", "from 1967
    to 1979" / "from 1966 to 1978")."""
    spans: dict[str, dict[str, list[tuple[str, Variant]]]] = {}  # kind -> article -> found
    for match, variant in matches(_SPAN_YEAR, by_article, articles):
        if match.group("start"):
            kind, years = "from", f"{match.group('start')}-{match.group('end')}"
        else:
            word = match.group("word").lower()
            kind, years = ("since" if word == "since" else "until"), match.group("year")
        spans.setdefault(kind, {}).setdefault(variant.article, []).append((years, variant))
    out = []
    for kind in sorted(spans):
        given = {a: {years for years, _ in found} for a, found in spans[kind].items()}
        if len(given) < 2 or any(len(y) > 1 for y in given.values()):
            continue  # one article giving two such spans: two things, not one
        if len(set().union(*given.values())) > 1:
            variants = tuple(found[0][1] for found in spans[kind].values())
            out.append(Discrepancy(kind="date", claim=claim.id, variants=variants))
    return out


def day_keys(text: str) -> frozenset[str]:
    """The weekdays and days of a month that ``text`` names, as :func:`days_conflict`
    reads them ("sunday", "march 1")."""
    return frozenset(_date_key(m.group()) for m in _DATE.finditer(text))


def _calendar_dates(published: dt.date, key: str) -> set[dt.date]:
    """The dates a day ("sunday") or a date ("march 1", "1 march") can mean in an
    article published on ``published``: a weekday the last such day on or before
    publication or the next one (a plan), a date in the year that puts it nearest to
    publication."""
    if key in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS.index(key)) % 7
        past = published - dt.timedelta(days=back)
        return {past, past + dt.timedelta(days=7)}
    words = key.split()
    month_word, day_word = (words[0], words[1]) if words[0] in MONTHS else (words[1], words[0])
    month, day = MONTHS.index(month_word) + 1, int(day_word)
    out = set()
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            out.add(dt.date(year, month, day))
        except ValueError:  # February 30
            continue
    return {min(out, key=lambda d: abs((d - published).days))} if out else set()


def other_days_news(
    a: dt.date | None, days_a: Set[str], b: dt.date | None, days_b: Set[str]
) -> bool:
    """Whether two sentences, of articles published on ``a`` and ``b``, each date what
    they report by their own paper's day, and those are different days: "Mattis
    resigned Thursday" in Thursday's paper, "Trump announced Sunday" in Sunday's. A
    story followed over days, each report its day's event; what :func:`days_conflict`
    calls two days' events, not a disagreement. A day that is not the paper's own
    ("on strike since Saturday" in Tuesday's paper) may be one the sources disagree
    on, and is left to the date rule."""
    if a is None or b is None or a == b:
        return False

    def own(published: dt.date, days: Set[str]) -> set[dt.date]:
        dates = set().union(*(_calendar_dates(published, d) for d in days if d in WEEKDAYS))
        return {d for d in dates if (published - d).days in NEWS_OF_THE_DAY}

    mine, theirs = own(a, days_a), own(b, days_b)
    return bool(mine) and bool(theirs) and not mine & theirs


def days_conflict(a: dt.date | None, days_a: Set[str], b: dt.date | None, days_b: Set[str]) -> bool:
    """Two articles, published on ``a`` and ``b``, give no day or date in common.

    When both are dated, days and dates are read against each publication date:
    "Sunday" in Monday's paper and "Sunday" in Tuesday's are one day; "Sunday" and
    "Monday" in the same day's papers are not. Papers published on different days
    that each date the event by their own day ("Tuesday" in Tuesday's paper,
    "Wednesday" in Wednesday's; "June 24" on June 25, "July 2" on July 3) report two
    days' events, as wire stories about recurring statements do, not two accounts of
    one. Papers a week or more apart are not compared on weekdays at all.
    """
    weekdays = all(d in WEEKDAYS for d in days_a | days_b)
    if a is None or b is None or (days_a & days_b and not weekdays):
        # The same date in words is the same date: the year is not stated.
        return not days_a & days_b
    apart = (b - a).days
    if weekdays and abs(apart) >= WEEKDAY_HORIZON_DAYS:
        return False
    dates_a = set().union(*(_calendar_dates(a, d) for d in days_a))
    dates_b = set().union(*(_calendar_dates(b, d) for d in days_b))
    if dates_a & dates_b:
        return False
    if apart:
        lag_a = {(a - d).days for d in dates_a}
        lag_b = {(b - d).days for d in dates_b}
        if lag_a & NEWS_OF_THE_DAY and lag_b & NEWS_OF_THE_DAY:
            return False
    return True
