"""A discrepancy in one line: what differs, each version, and who gives it.

    injured: 14 (Harbour Brief, The Lantern) vs 17 (Kestrow Post)
    Putin's words: 'big mistake' (…) vs 'very big mistake' (…)

A reader should not have to find the difference inside two sentences. The library's
:class:`~copydesk.models.Discrepancy` lists one variant per article; here variants that
say the same thing (the same words, whatever their case, punctuation or leading "a")
become one *side*, sides are ordered by how many articles give them, and the subject is
named from the text: the counted thing after a number ("injured"), the speaker of a
quote ("Putin's words", from "Putin said", "according to Putin", "– Putin"), otherwise
the kind of detail ("date", "spelling"). The web story page, the brief's disputed part
and report.md all use :func:`discrepancy_line`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from copydesk.analyze.tokens import STOP
from copydesk.models import Article, Discrepancy

MAX_NAMES = 3
_SUBJECTS = {
    "date": "date",
    "name": "spelling",
    "modality": "certainty",
    "negation": "negation",
    "qualifier": "qualifier",
}
_QUOTED_KINDS = frozenset({"quote", "modality", "negation", "qualifier"})
_EDGE = " \t\n,.;:!?\"'“”‘’«»()[]"
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_SPEECH = (
    r"(?:said|says|say|told|tells|warned|warns|added|adds|stated|states|stating|called|"
    r"calls|urged|urges|asserted|argued|insisted|cautioned|claimed|declared|wrote|"
    r"commented|labell?ed|labell?ing|described|noted|explained|emphasi[sz]ed)"
)
_NAME = r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]+"
_SPEAKER_PATTERNS = (
    # "Putin said", "Vladimir Putin has warned", "John Kirby, spokesman for ..., said"
    re.compile(rf"({_NAME})(?:,[^,]{{1,80}},)?\s+(?:has\s+|had\s+|also\s+)*{_SPEECH}\b"),
    # "said Putin", "according to Putin"
    re.compile(rf"\b(?:{_SPEECH}|according\s+to)\s+({_NAME})"),
    # a headline's "– Putin" at the end
    re.compile(rf"[–—-]\s+({_NAME})\s*$"),
)
_TITLES = frozenset(
    {"president", "minister", "prime", "spokesman", "spokeswoman", "spokesperson", "mr", "ms"}
)


@dataclass(frozen=True, slots=True)
class Side:
    """One version of the disputed detail and the articles that give it."""

    text: str
    articles: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DiscrepancyLine:
    """A discrepancy as one line: ``subject: side vs side``; ``quoted`` for words."""

    kind: str
    claim: str | None
    subject: str
    sides: tuple[Side, ...]
    quoted: bool

    def value(self, side: Side) -> str:
        return f"'{side.text}'" if self.quoted else side.text

    def text(self, *, max_names: int = MAX_NAMES, with_names: bool = True) -> str:
        parts = []
        for side in self.sides:
            part = self.value(side)
            if with_names and side.names:
                part += f" ({names_text(side.names, max_names)})"
            parts.append(part)
        return f"{self.subject}: " + " vs ".join(parts)

    def __str__(self) -> str:
        return self.text()


def names_text(names: tuple[str, ...], max_names: int = MAX_NAMES) -> str:
    """``A, B, C and 4 more``: a side's names, shortened past ``max_names``."""
    if len(names) <= max_names:
        return ", ".join(names)
    return ", ".join(names[:max_names]) + f" and {len(names) - max_names} more"


def _key(kind: str, text: str) -> str:
    words = re.findall(r"\w+", _LEADING_ARTICLE.sub("", text.strip(_EDGE)).casefold())
    return " ".join(words) or text.casefold()


def _shown(kind: str, forms: Iterable[str]) -> str:
    cleaned = [f.strip(_EDGE) for f in forms]
    if kind in _QUOTED_KINDS:
        cleaned = [_LEADING_ARTICLE.sub("", f) if kind == "quote" else f for f in cleaned]
    counts = Counter(c for c in cleaned if c)
    if not counts:
        return cleaned[0] if cleaned else ""
    best = max(counts.values())
    # The most frequent form; among equals, a lower-case one (a headline capitalises).
    tied = [c for c in counts if counts[c] == best]
    return min(tied, key=lambda c: (c[:1].isupper(), cleaned.index(c)))


def _sentence_at(article: Article, offset: int) -> str:
    for s in article.sentences:
        if s.start <= offset < s.end:
            return article.text[s.start : s.end]
    line_start = article.text.rfind("\n", 0, offset) + 1
    line_end = article.text.find("\n", offset)
    return article.text[line_start : line_end if line_end >= 0 else len(article.text)]


def _surname(name: str) -> str | None:
    words = [w.strip(".,") for w in name.split()]
    words = [w for w in words if w and w.lower() not in STOP and w.lower() not in _TITLES]
    return words[-1] if words else None


def _speaker(d: Discrepancy, articles: Mapping[str, Article]) -> str | None:
    """The surname most variants' sentences attribute the quote to."""
    votes: Counter[str] = Counter()
    for v in d.variants:
        article = articles.get(v.article)
        if article is None:
            continue
        sentence = _sentence_at(article, v.start)
        quoted = set(re.findall(r"\w+", v.text))
        for pattern in _SPEAKER_PATTERNS:
            surnames = [_surname(m.group(1)) for m in pattern.finditer(sentence)]
            found = [f for f in surnames if f and f not in quoted]
            if found:
                votes[found[0]] += 1
                break
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def _unit(d: Discrepancy, articles: Mapping[str, Article]) -> str | None:
    """The counted thing: the word most variants put right after their figure."""
    votes: Counter[str] = Counter()
    for v in d.variants:
        article = articles.get(v.article)
        if article is None:
            continue
        after = article.text[v.end : v.end + 60]
        for word in re.findall(r"[^\W\d_][\w’'-]*", after)[:4]:
            if word.lower() not in STOP:
                votes[word.lower()] += 1
                break
    if not votes:
        return None
    best = max(votes.values())
    return next(w for w in votes if votes[w] == best)


def _subject(d: Discrepancy, articles: Mapping[str, Article]) -> str:
    if d.kind == "number":
        return _unit(d, articles) or "figure"
    if d.kind == "quote":
        speaker = _speaker(d, articles)
        return f"{speaker}'s words" if speaker else "the quote"
    return _SUBJECTS.get(d.kind, d.kind)


def discrepancy_line(
    d: Discrepancy, articles: Mapping[str, Article], names: Mapping[str, str]
) -> DiscrepancyLine:
    """``d`` as one line; ``names`` names the articles (see :mod:`copydesk.report.names`)."""
    groups: dict[str, list[int]] = {}
    for i, v in enumerate(d.variants):
        groups.setdefault(_key(d.kind, v.text), []).append(i)
    sides = []
    for members in groups.values():
        ids = tuple(dict.fromkeys(d.variants[i].article for i in members))
        sides.append(
            (
                -len(ids),
                members[0],
                Side(
                    text=_shown(d.kind, [d.variants[i].text for i in members]),
                    articles=ids,
                    names=tuple(names.get(a, a) for a in ids),
                ),
            )
        )
    sides.sort(key=lambda t: (t[0], t[1]))
    return DiscrepancyLine(
        kind=d.kind,
        claim=d.claim,
        subject=_subject(d, articles),
        sides=tuple(s for _, _, s in sides),
        quoted=d.kind in _QUOTED_KINDS,
    )
