"""Clauses: the facts a compound news sentence joins, as units of their own.

A rewrite often merges two facts of its source into one sentence ("analysts expected
pressure on Seoul, especially as Kim pledged full support"), and a wire sentence often
carries a second fact after ", and". Aligned as a whole, such a sentence joins only one
of its facts' claims. Split at clause boundaries, each clause can join its own.

The split is deliberately conservative, with no parser: only at a semicolon, or at a
comma followed by a clause-opening connective ("and", "but", "while", "as", "when",
..., and "with" before a subject and its participle), never inside quotation marks (a
quote stays whole with its words), never in a list ("four ships, five organisations,
and eight people"), and only where both sides keep enough words to state something.
The connective itself is left out of the clause, so each clause's span starts at its
own subject.
"""

from __future__ import annotations

import re

from copydesk.analyze.tokens import content_stems
from copydesk.analyze.units import StoryUnits, Unit, extend_units
from copydesk.embed import Embedder

# A clause keeps at least this many words; a sentence shorter than twice that is whole.
MIN_CLAUSE_WORDS = 5
# The item before ", and" of a list is short ("five organisations, and"): a piece of at
# most this many words after another comma marks a list, not a clause.
LIST_ITEM_WORDS = 3

# Not ", which" nor ", where": they open a relative clause that describes a noun rather
# than state a fact of its own. (Splitting at ", where" too measured the same on DUC
# 2007 alignment, 0.391.)
_CONNECTIVE = (
    r"(?:and|but|yet|while|whereas|although|though|because|especially as|"
    r"particularly as|even as|when|after|before|"
    # "as" opens a clause ("as police moved in"), not in "as per", "as well as", ...
    r"as(?!\s+(?:per|well|part|of|a|an|such|if|though|soon|long|much|many|far|usual|"
    r"expected|planned|reported|announced|said|noted)\b)|"
    # "with" opens a clause of its own when a subject and a participle follow ("...,
    # with officials saying nobody was hurt"), not when a noun phrase does ("..., with
    # a budget of 3 million").
    r"with(?=\s+(?:[\w’'-]+\s+){1,6}?[a-z]+ing\b))"
)
_BOUNDARY = re.compile(rf";\s+|,\s+(?:{_CONNECTIVE})\s+", re.IGNORECASE)
_OPEN = {"“": "”", "«": "»"}


def _quoted(text: str) -> list[bool]:
    """For each character, whether it lies inside quotation marks (unclosed: to the end)."""
    inside = [False] * len(text)
    # A sentence that closes a quote it never opened starts inside it (the splitter
    # cut a long quotation after its opening mark).
    first_close = min((k for k in (text.find("”"), text.find("»")) if k >= 0), default=-1)
    first_open = min((k for k in (text.find("“"), text.find("«")) if k >= 0), default=-1)
    begin = 0
    if first_close >= 0 and (first_open < 0 or first_close < first_open):
        inside[:first_close] = [True] * first_close
        begin = first_close + 1
    closing: str | None = None
    for k in range(begin, len(text)):
        ch = text[k]
        if closing is None:
            if ch in _OPEN:
                closing = _OPEN[ch]
            elif ch == '"':
                closing = '"'
        elif ch == closing:
            closing = None
            continue
        inside[k] = closing is not None
    return inside


def _words(text: str) -> int:
    return len(text.split())


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of one sentence, relative to it; one span when it is simple."""
    whole = [(0, len(text))]
    if _words(text) < 2 * MIN_CLAUSE_WORDS:
        return whole
    inside = _quoted(text)
    cuts: list[tuple[int, int]] = []  # (end of the clause before, start of the next)
    for match in _BOUNDARY.finditer(text):
        if inside[match.start()]:
            continue
        before = text[: match.start()]
        last_comma = max(before.rfind(","), before.rfind(";"))
        if match.group().startswith(",") and last_comma >= 0:
            item = before[last_comma + 1 :]
            if _words(item) <= LIST_ITEM_WORDS and match.group().strip(", ").lower() == "and":
                continue
        cuts.append((match.start(), match.end()))
    spans: list[tuple[int, int]] = []
    start = 0
    for end, next_start in cuts:
        if _words(text[start:end]) >= MIN_CLAUSE_WORDS and (
            _words(text[next_start:]) >= MIN_CLAUSE_WORDS
        ):
            spans.append((start, end))
            start = next_start
    spans.append((start, len(text)))
    return spans


def split_clauses(units: StoryUnits, embedder: Embedder) -> StoryUnits:
    """The story's sentences, then the clauses of its compound sentences, scored together.

    The sentences keep their indices, vectors and scores; only the clauses are embedded
    and scored, so this costs a fraction of the sentence-level work. A unit whose index
    is ``len(units.units)`` or more is a clause; its ``sentence`` names its sentence.
    """
    extra: list[Unit] = []
    for u in units.units:
        spans = clause_spans(u.text)
        if len(spans) == 1:
            continue
        for a, b in spans:
            extra.append(_unit(len(units.units) + len(extra), u, a, b))
    if not extra:
        return units
    return extend_units(units, extra, embedder)


def _unit(index: int, sentence: Unit, start: int, end: int) -> Unit:
    text = sentence.text[start:end].rstrip(" ,;")
    return Unit(
        index,
        sentence.article,
        sentence.position,
        sentence.start + start,
        sentence.start + start + len(text),
        text,
        content_stems(text),
        sentence=sentence.sentence,
        headline=sentence.headline,
    )
