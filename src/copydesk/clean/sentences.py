"""Sentence splitting with character offsets, one paragraph at a time.

nupunkt (a Punkt implementation trained on legal and news English) handles
abbreviations, initials and quotes; splitting per paragraph keeps a headline or a
paragraph without final punctuation from running into the next one.

nupunkt's learned abbreviations include thousands of ordinary words ("enter", "story",
"divide"), so "lorries could enter. Witnesses said" stayed one sentence. A lower-case
word of three letters or more before a full stop and a capitalised word is a boundary
unless it is one of the few lower-case abbreviations news copy uses ("etc.", "vs.");
real abbreviations there are capitalised ("Calif.", "Gen.") or dotted ("a.m.", "U.S."),
which nupunkt keeps.
"""

from __future__ import annotations

import re

from copydesk.models import Sentence

_PARAGRAPH = re.compile(r"[^\n]+")
_LOWER_ABBREVIATIONS = frozenset(
    ["etc", "vs", "approx", "est", "al", "cf", "viz", "incl", "esp", "resp", "ibid", "seq"]
)
# A full stop after a lower-case word, then a capitalised word: the new sentence's start.
_MISSED = re.compile(r"(?<![\w.])([a-z]{3,})\.\s+(?=[\"“‘(]?[A-Z][a-z])")


def _missed_boundaries(chunk: str) -> list[int]:
    """Offsets in ``chunk`` where a sentence starts that nupunkt took for an
    abbreviation's full stop."""
    return [
        m.end()
        for m in _MISSED.finditer(chunk)
        if m.group(1) not in _LOWER_ABBREVIATIONS and m.end() < len(chunk)
    ]


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` as spans; whitespace is never inside a span's ends."""
    import nupunkt

    out: list[Sentence] = []
    for para in _PARAGRAPH.finditer(text):
        base = para.start()
        for start, end in nupunkt.sent_spans(para.group()):
            cuts = [start + c for c in _missed_boundaries(para.group()[start:end])]
            for a, b in zip([start, *cuts], [*cuts, end], strict=True):
                chunk = text[base + a : base + b]
                lead = len(chunk) - len(chunk.lstrip())
                trail = len(chunk) - len(chunk.rstrip())
                if chunk.strip():
                    out.append(Sentence(base + a + lead, base + b - trail))
    return tuple(out)
