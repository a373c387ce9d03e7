"""Whether one wording states all the facts of a sentence: what a citation promises.

A brief sentence cites an article to say "this source says this". Two sentences can be
the same fact to the aligner (``similarity``) and still differ in what they state: one
adds a second half ("..., allowing Tessau to draw from the Orlen reservoir during
droughts") that the other never says. :func:`states` is the test the brief uses to
choose its wording and its citations, and ``benchmarks/citations.py`` uses to check them.

A wording states a sentence in full when it gives

* every figure of the sentence, as the number rule reads figures (``48,000`` states
  ``about 48,215``'s figure, ``14`` does not state ``17``);
* every date word (weekday, month, year, "March 4");
* every name, read by its head word ("Putin" states "Vladimir Putin": a first name or a
  title is not a separate fact, the person is);
* at least :data:`CONTAINMENT` of the sentence's content stems, with figures, dates and
  the words of a name other than its head counted above and left out here: the main
  content, allowing for a synonym or two ("officials" for "the regional office"); or,
  for a rewrite that says it in other words ("officers used tear gas against dockworkers
  on strike" for "police fired tear gas at striking dockworkers"), half of its stems,
  about as many content stems in all and a sentence vector at :data:`RESTATED` cosine or
  more from the sentence's: a paraphrase.

A lead's dateline (``KESTROW, Ostrevia (Meridian Wire) —``) is not read: it says where
and by whom the story was filed, which a rewrite of the lead rightly leaves out.

The bar was chosen on the SCU-marked DUC 2007 corpus, not on the seeds:
``python benchmarks/citations.py --fit`` prints the sweep it was read from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.analyze.clauses import clause_spans
from copydesk.analyze.discrepancy import same_version
from copydesk.analyze.tokens import MONTHS, WEEKDAYS, content_stems, names, quantities, stem
from copydesk.analyze.tokens import tokens as word_tokens
from copydesk.clean.dates import dateline_end
from copydesk.models import Mention

# Share of the sentence's content stems the wording must give, read on the DUC 2007 SCU
# pairs (sentences of different articles sharing a content unit; "in full" when every
# SCU of the one is an SCU of the other), figures, dates and names agreeing: precision
# of "in full" holds at 0.86-0.88 from 0.50 to 0.65 and this bar is in that plateau;
# 0.70 buys four points (0.912) for a fifth of the recall (0.090 to 0.070), and
# independent rewrites of one sentence share about 0.6 of their stems. F1 gives no bar:
# the SCUs mark summary content only, so the gold calls "in full" many pairs whose one
# sentence adds details the other lacks, and F1 only falls as the bar rises. A
# judgement on a lenient gold, then; see benchmarks/citations.py --fit.
CONTAINMENT = 0.6
# A rewrite in other words: a wording that gives every figure, date and name, too few of
# the sentence's stems for :data:`CONTAINMENT` but at least :data:`REWRITE_FLOOR` of them,
# at least :data:`REWRITE_LENGTH` as many content stems as the sentence (a rewrite, not a
# shorter summary that leaves a half out) and a sentence vector at :data:`RESTATED`
# cosine or more (the story's embedder). Cosine alone is no test: "Orlen and Tessau
# signed a pact on Monday" is at 0.92 from the sentence that adds what the pact allows,
# and two sentences opening alike and going on to different second halves are at 0.96
# with 0.43 of the stems shared (the floor is for them). Read on MRPC train (a pair is a
# paraphrase when each states the other): of the pairs the stems reject with every
# figure, date and name given, 0.54 are paraphrases; of those this adds, 0.73 (62 pairs;
# 0.81 for the stem test); on the DUC 2007 pairs above too few to read. Printed by
# ``python benchmarks/citations.py --fit``.
RESTATED = 0.80
REWRITE_LENGTH = 0.8
REWRITE_FLOOR = 0.5

_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_DAY = re.compile(
    r"\b(" + "|".join(MONTHS) + r")\.?\s+(\d{1,2})\b|\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What a sentence states, in the forms :func:`states` compares."""

    figures: tuple[str, ...]  # each figure as written ("1,200", "a third", "4.5 million")
    dates: frozenset[str]  # "monday", "march", "2024", "march 4"
    names: frozenset[str]  # head-word stems of its names ("putin", "un", "r.n.c")
    stems: frozenset[str]  # content stems, figures and dates left out
    words: frozenset[str]  # stems of every word, stop words included
    # The stems of each clause of a compound sentence (:func:`clause_spans`); one clause:
    # none, the stems above are its only part.
    parts: tuple[frozenset[str], ...] = ()


@functools.lru_cache(maxsize=20_000)
def facts(text: str) -> Facts:
    """The figures, dates, names and content stems of ``text``, its dateline left out
    (where and by whom a lead was filed is not one of its facts)."""
    text = text[dateline_end(text) :]
    figures = tuple(q.text for q in quantities(text))
    toks = word_tokens(text)
    dates = {t.lower for t in toks if t.lower in _CALENDAR}
    dates |= set(_YEAR.findall(text))
    for m in _DAY.finditer(text):
        month = (m.group(1) or m.group(4)).lower()
        day = m.group(2) or m.group(3)
        dates.add(f"{month} {int(day)}")
    heads: set[str] = set()
    given: set[str] = set()  # the other words of a name: "Vladimir" of "Vladimir Putin"
    first = toks[0].start if toks else 0
    for name in names(text):
        capitalised = [w for w in name.text.split() if w[:1].isupper()]
        # A lone capitalised word that opens the sentence is no name ("Police fired").
        if not capitalised or (name.start == first and len(name.text.split()) == 1):
            continue
        head = capitalised[-1]
        if head.lower() not in _CALENDAR:
            heads.add(stem(head))
            given.update(stem(w) for w in capitalised[:-1])
    numeric = {stem(t.text) for t in toks if t.text[:1].isdigit()}

    def kept(part: str) -> frozenset[str]:
        return frozenset(
            s
            for s in content_stems(part)
            if s not in numeric
            and s not in dates
            and "/" not in s
            and (s in heads or s not in given)
        )

    stems = kept(text)
    spans = clause_spans(text)
    parts = tuple(kept(text[a:b]) for a, b in spans) if len(spans) > 1 else ()
    # A name read inside a hyphenated word ("Nazi" of "neo-Nazi") is given by that word.
    words = frozenset(stem(t.text) for t in toks) | {
        stem(part) for t in toks if "-" in t.text for part in t.text.split("-") if part
    }
    return Facts(figures, frozenset(dates), frozenset(heads), stems, words, parts)


def containment(sentence: Facts, wording: Facts) -> float:
    """Share of the sentence's content stems that the wording gives (1.0 for none)."""
    if not sentence.stems:
        return 1.0
    return len(sentence.stems & wording.stems) / len(sentence.stems)


def _clauses_given(sentence: Facts, wording: Facts) -> bool:
    """Whether the wording gives something of each clause of a compound sentence: one
    joining two facts ("..., and schools stayed shut because buses could not reach
    them") is not stated by a wording of the first fact alone, however much of the
    whole it shares. Something, not a share: a rewrite puts a short clause in its own
    words ("14 people were hurt in the fighting" for "14 people were injured in the
    clashes" keeps one of three stems)."""
    return all(part & wording.stems or not part for part in sentence.parts)


def _figures_given(sentence: Facts, wording: Facts) -> bool:
    return all(
        any(same_version("number", mine, theirs) for theirs in wording.figures)
        for mine in sentence.figures
    )


def _dates_given(sentence: Facts, wording: Facts) -> bool:
    # "March 4" is given by "March 4" only; a month alone by any mention of it.
    return sentence.dates <= wording.dates


def states_facts(
    sentence: Facts, wording: Facts, bar: float = CONTAINMENT, cosine: float = 0.0
) -> bool:
    """:func:`states` on facts already read (a caller comparing many pairs reads once);
    ``cosine`` is that of the two texts' sentence vectors, where the caller has them (0:
    the stems alone decide)."""
    return (
        _figures_given(sentence, wording)
        and _dates_given(sentence, wording)
        and sentence.names <= wording.words
        and _clauses_given(sentence, wording)
        and (
            containment(sentence, wording) >= bar
            or (
                cosine >= RESTATED
                and len(wording.stems) >= REWRITE_LENGTH * len(sentence.stems)
                and containment(sentence, wording) >= REWRITE_FLOOR
            )
        )
    )


def states(wording: str, sentence: str, bar: float = CONTAINMENT, cosine: float = 0.0) -> bool:
    """Whether ``wording`` states every fact of ``sentence`` (see the module docstring);
    ``cosine`` as in :func:`states_facts`.

    Not symmetric: a long wording states a short sentence it contains, not the reverse.
    """
    return states_facts(facts(sentence), facts(wording), bar, cosine)


def joined(texts: Iterable[str]) -> str:
    """An article's several mentions of one claim read as one wording: a fact split over
    two clauses of a sentence is still stated."""
    return " ".join(texts)


def wordings(mentions: Iterable[tuple[Mention, str]]) -> dict[str, Facts]:
    """Each article's wording of one claim, from its mentions and their texts: the
    article's mentions in text order, :func:`joined`."""
    by: dict[str, list[tuple[Mention, str]]] = {}
    for mention, text in mentions:
        by.setdefault(mention.article, []).append((mention, text))
    return {
        a: facts(joined(text for _, text in sorted(ms, key=lambda m: m[0].start)))
        for a, ms in by.items()
    }
