"""Text reuse between two articles: verbatim passages, paraphrased sentences, direction.

Words inside quotation marks never count as reuse: two outlets quoting one speaker have
not copied each other.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.analyze.tokens import STOP, quote_mask, stem, tokens
from copydesk.analyze.units import StoryUnits
from copydesk.models import Article, Paraphrase, Passage, Reuse

SHINGLE = 5
MIN_RUN_TOKENS = 8  # shorter shared runs are stock phrases ("the Korean peninsula")
PARAPHRASE_SCORE = 0.80
PHRASE = 3
# Tuned on the Clough & Stevenson reuse corpus (benchmarks/reuse_clough.py): no answer
# written independently shares more than 9.2% of its stemmed word trigrams with the
# source, while light rewrites share 15.7% or more and heavy ones 25% at the median.
SUBSTANTIAL_PHRASE_SHARE = 0.10
SUBSTANTIAL_VERBATIM_CHARS = 200
DIRECTION_MARGIN = 0.05


@dataclass(frozen=True, slots=True, eq=False)
class _Tokens:
    words: list[str | None]  # None for a word inside quotes: it can match nothing
    starts: list[int]
    ends: list[int]
    plain: list[bool]  # a lowercase content word, not part of a name or a number


@functools.lru_cache(maxsize=1024)
def _tokenise(text: str) -> _Tokens:
    """Tokens of a text, cached: each article is compared with every other one."""
    mask = quote_mask(text)
    words: list[str | None] = []
    starts, ends, plain = [], [], []
    for tok in tokens(text):
        quoted = any(s <= tok.start < e for s, e in mask)
        words.append(None if quoted else tok.lower)
        starts.append(tok.start)
        ends.append(tok.end)
        plain.append(tok.text[0].islower() and tok.lower not in STOP)
    return _Tokens(words, starts, ends, plain)


@functools.lru_cache(maxsize=1024)
def _shingles(toks: _Tokens) -> dict[tuple[str, ...], list[int]]:
    """Word 5-grams outside quotes, with their positions, cached per text."""
    return _grams(toks, SHINGLE, stemmed=False, need_plain=False)


def verbatim_passages(a: str, b: str) -> list[Passage]:
    """Maximal shared word runs of at least ``MIN_RUN_TOKENS`` words, outside quotes."""
    ta, tb = _tokenise(a), _tokenise(b)
    index_a, index_b = _shingles(ta), _shingles(tb)
    # Only shared 5-grams matter; visited in b's order, as a scan of b would meet them.
    hits = sorted(
        (j, i) for g in index_a.keys() & index_b.keys() for j in index_b[g] for i in index_a[g]
    )
    runs: dict[int, tuple[int, int]] = {}  # diagonal -> (start j, last j)
    found: list[tuple[int, int, int]] = []  # (i, j, grams)
    for j, i in hits:
        diag = i - j
        start, last = runs.get(diag, (j, j - 2))
        if last == j - 1:
            runs[diag] = (start, j)
        else:
            if last >= start and last != j - 2:
                found.append((start + diag, start, last - start + 1))
            runs[diag] = (j, j)
    for diag, (start, last) in runs.items():
        found.append((start + diag, start, last - start + 1))
    used_a: set[int] = set()
    used_b: set[int] = set()
    passages = []
    for i, j, grams in sorted(found, key=lambda r: (-r[2], r[0], r[1])):
        length = grams + SHINGLE - 1
        span_a, span_b = set(range(i, i + length)), set(range(j, j + length))
        if length < MIN_RUN_TOKENS or span_a & used_a or span_b & used_b:
            continue
        used_a |= span_a
        used_b |= span_b
        passages.append(
            Passage(ta.starts[i], ta.ends[i + length - 1], tb.starts[j], tb.ends[j + length - 1])
        )
    return sorted(passages, key=lambda p: (p.a_start, p.b_start))


@functools.lru_cache(maxsize=1024)
def _phrases(toks: _Tokens) -> dict[tuple[str, ...], list[int]]:
    """Stemmed word trigrams outside quotes with a lowercase content word in them: names
    ("Port of Kestrow") and titles ("Transport Minister Petra") are shared by every
    report of an event."""
    return _grams(toks, PHRASE, stemmed=True, need_plain=True)


def _grams(
    toks: _Tokens, n: int, *, stemmed: bool, need_plain: bool
) -> dict[tuple[str, ...], list[int]]:
    """Word n-grams outside quotes, with their token positions."""
    out: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(toks.words) - n + 1):
        gram = toks.words[i : i + n]
        if None in gram or (need_plain and not any(toks.plain[i : i + n])):
            continue
        if stemmed:
            gram = [stem(w) for w in gram]
        out.setdefault(tuple(gram), []).append(i)  # type: ignore[arg-type]
    return out


@dataclass(frozen=True, slots=True)
class PhraseOverlap:
    """Word trigrams shared by two texts: the share of each text's trigrams, and spans."""

    share_a: float
    share_b: float
    spans_a: list[tuple[int, int]]
    spans_b: list[tuple[int, int]]


def phrase_overlap(a: str, b: str) -> PhraseOverlap:
    """Rewrites keep many short phrases of their source; independent reports keep few."""
    ta, tb = _tokenise(a), _tokenise(b)
    ga, gb = _phrases(ta), _phrases(tb)
    common = ga.keys() & gb.keys()
    spans_a = [(ta.starts[i], ta.ends[i + PHRASE - 1]) for g in common for i in ga[g]]
    spans_b = [(tb.starts[j], tb.ends[j + PHRASE - 1]) for g in common for j in gb[g]]
    return PhraseOverlap(
        len(common) / max(1, len(ga)), len(common) / max(1, len(gb)), spans_a, spans_b
    )


def _paraphrases(units: StoryUnits, a: Article, b: Article) -> list[Paraphrase]:
    """One-to-one sentence pairs scoring ``PARAPHRASE_SCORE`` or more, best first."""
    ua, ub = units.of(a.id), units.of(b.id)
    if not ua or not ub:
        return []
    block = units.scores[np.ix_([u.index for u in ua], [u.index for u in ub])]
    pairs = []
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for flat in np.argsort(-block, axis=None, kind="stable"):
        i, j = divmod(int(flat), block.shape[1])
        if block[i, j] < PARAPHRASE_SCORE:
            break
        if i in taken_a or j in taken_b:
            continue
        taken_a.add(i)
        taken_b.add(j)
        pairs.append(Paraphrase(ua[i].mention, ub[j].mention, round(float(block[i, j]), 3)))
    return sorted(pairs, key=lambda p: p.a.start)


def _covered(length: int, spans: Sequence[tuple[int, int]]) -> float:
    if length == 0:
        return 0.0
    marks = np.zeros(length, dtype=bool)
    for start, end in spans:
        marks[start:end] = True
    return float(marks.sum()) / length


_DATELINE_CREDIT = re.compile(r"^[A-Z][A-Z .'-]+,(?:\s+[A-Z][\w .'-]*)?\s+\(([^)]{2,40})\)")


def source_names(article: Article) -> list[str]:
    """Names an article goes by: its outlet, and the agency in its dateline, if any.

    ``KESTROW, Ostrevia (Meridian Wire) —`` says the text is Meridian Wire's own copy.
    """
    names = []
    if article.outlet:
        outlet = article.outlet
        names.append(outlet.split(".")[0] if "." in outlet and " " not in outlet else outlet)
    body = article.text[article.body_start :]
    match = _DATELINE_CREDIT.match(body)
    if match:
        names.append(match.group(1))
    return names


def _credits(text: str, names: list[str]) -> str | None:
    """The name ``text`` credits ("according to X", "X reported", "told X"), if any."""
    for raw in names:
        name = re.escape(raw)
        patterns = (
            rf"according to (?:the )?{name}",
            rf"{name} (?:news agency )?(?:reported|said|reports|says)",
            rf"told (?:the )?{name}",
            rf"\({name}\)",
            rf"{name} news agency",
        )
        if any(re.search(p, text, re.I) for p in patterns):
            return raw
    return None


def _direction(
    a: Article, b: Article, cov_a: float, cov_b: float, verbatim: int
) -> tuple[str | None, list[str]]:
    evidence: list[str] = []
    votes: list[str] = []
    credited = _credits(b.text, source_names(a))
    if credited:
        evidence.append(f"{b.id} credits {credited}, the source of {a.id}")
        votes.append("a->b")
    credited = _credits(a.text, source_names(b))
    if credited:
        evidence.append(f"{a.id} credits {credited}, the source of {b.id}")
        votes.append("b->a")
    if a.published and b.published and a.published != b.published:
        first, later = (a, b) if a.published < b.published else (b, a)
        evidence.append(
            f"{first.id} published {first.published} before {later.id} ({later.published})"
        )
        votes.append("a->b" if first is a else "b->a")
    # Containment shows direction for copies; a paraphrase's length is its own.
    if verbatim >= SUBSTANTIAL_VERBATIM_CHARS and abs(cov_a - cov_b) >= DIRECTION_MARGIN:
        derived, origin = (b, a) if cov_b > cov_a else (a, b)
        evidence.append(
            f"{origin.id} covers {max(cov_a, cov_b):.0%} of {derived.id}, "
            f"{derived.id} only {min(cov_a, cov_b):.0%} of {origin.id}"
        )
        votes.append("a->b" if origin is a else "b->a")
    direction = votes[0] if votes and all(v == votes[0] for v in votes) else None
    if votes and direction is None:
        direction = votes[0]  # attribution, then dates, outrank containment
        evidence.append("the evidence conflicts; the strongest kind decides")
    return direction, evidence


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def find_reuse(a: Article, b: Article, units: StoryUnits) -> Reuse:
    """Everything ``a`` and ``b`` share, how much of each the other covers, and who copied.

    Reuse is substantial, tying the two into one source group, when they share a long
    verbatim run or a share of their phrases that independent writing does not reach.
    """
    passages = verbatim_passages(a.text, b.text)
    phrases = phrase_overlap(a.text, b.text)
    paraphrases = _paraphrases(units, a, b)
    verbatim = sum(p.a_end - p.a_start for p in passages)
    cov_a = _covered(
        len(a.text),
        [(p.a_start, p.a_end) for p in passages]
        + phrases.spans_a
        + [(p.a.start, p.a.end) for p in paraphrases],
    )
    cov_b = _covered(
        len(b.text),
        [(p.b_start, p.b_end) for p in passages]
        + phrases.spans_b
        + [(p.b.start, p.b.end) for p in paraphrases],
    )
    share = max(phrases.share_a, phrases.share_b)
    substantial = verbatim >= SUBSTANTIAL_VERBATIM_CHARS or share >= SUBSTANTIAL_PHRASE_SHARE
    evidence: list[str] = []
    direction = None
    if substantial:
        evidence.append(
            f"{verbatim} verbatim characters in {_plural(len(passages), 'passage')}, "
            f"{share:.0%} of phrases shared, "
            f"{_plural(len(paraphrases), 'paraphrased sentence')}"
        )
        direction, why = _direction(a, b, cov_a, cov_b, verbatim)
        evidence.extend(why)
    return Reuse(
        a=a.id,
        b=b.id,
        passages=tuple(passages),
        paraphrases=tuple(paraphrases),
        verbatim_chars=verbatim,
        coverage_a=round(cov_a, 3),
        coverage_b=round(cov_b, 3),
        direction=direction,
        evidence=tuple(evidence),
        substantial=substantial,
    )
