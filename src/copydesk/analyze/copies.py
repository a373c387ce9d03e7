"""Copies inside a story: articles that carry another article's text, word for word or nearly.

A wire story can arrive hundreds of times, under other file names and outlets. Copies
add no source and no fact, yet analysing them pair by pair costs the square of their
number (200 copies: 19,900 reuse pairs). So a story's copies collapse onto one
representative (the earliest published, then the smallest id): the analysis runs on
representatives only, and the copies are put back afterwards, in the representative's
independent group and beside it in the claims and brief sentences it states.

An article is a copy of a representative when their words (case and punctuation aside,
quotation marks kept) differ in no place by more than ``MAX_EDIT_WORDS`` words, and
none of the words that differ is one an analysis reads as a finding: a figure or number
word, a capitalised name or date, a word inside quotation marks, a modal or negation
("will", "not"), a loaded framing term. "stated" for "said" or "- report" after the
headline keep it a copy; "17" for "14" makes it an article of its own, so the
discrepancy is still found. A copy that drops a paragraph is no copy either: a shorter
text shares a larger part of itself with a third article, so it may be tied to one that
its original is not (measured on the dev pile, where it split a source group), and the
analysis of copies must be the analysis of their representative.

Only articles whose word-shingle Jaccard similarity (MinHash estimate) reaches
``CANDIDATE_JACCARD`` are compared word by word, each with ``MAX_TRIES`` earlier
representatives at most, so a story of many distinct articles costs little more than
its signatures.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from copydesk.analyze.discrepancy.modality import MODALS, NEGATION
from copydesk.analyze.discrepancy.qualifiers import NEGATED_QUALIFIER
from copydesk.analyze.framing import FAMILIES, NEUTRAL
from copydesk.analyze.tokens import MONTHS, STOP, WEEKDAYS, WORD, quantities, quote_mask
from copydesk.models import Article, BriefSentence, Claim, CopyEdit, CopySet
from copydesk.stories.minhash import signatures

# A phrase, not a sentence: the edits that light copy-editing makes ("per cent" for
# "percent", "left dead" for "killed") are one to three words; a sentence (four words
# or more) changed, added or cut is content that the analysis must read.
MAX_EDIT_WORDS = 3
# Only a prefilter: the word test decides. Measured on derived articles of 200 BASIL and
# 200 DUC bases made as benchmarks/_pile.py makes them: every exact copy estimates 1.0,
# the light edits that pass the word test 0.73 and up (5th percentile 0.83), so 0.9
# would lose 46% of them; no pair of two outlets' reports of one event reaches 0.24.
CANDIDATE_JACCARD = 0.7
# An article is compared word by word with its most similar earlier representatives
# only, so that a story of many near-duplicates that are not copies (rewrites of one
# text) costs a few diffs per article, not one per pair.
MAX_TRIES = 3

_TOKEN = re.compile(rf"{WORD.pattern}|[\"“”‘’«»]", re.UNICODE)
_QUOTE_MARKS = frozenset('"“”‘’«»')
# Loaded terms as framing reads them (whole terms; "said" and the like load nothing).
_FRAMING = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(t)
        for t in sorted({t for terms in FAMILIES.values() for t in terms}, key=len, reverse=True)
        if t not in {w for words in NEUTRAL.values() for w in words}
    )
    + r")\b",
    re.I,
)
# What the modality, negation and qualifier rules of discrepancy detection read, and
# framing's loaded terms: an edit that touches one of these changes a finding.
_FINDINGS = (MODALS, NEGATION, NEGATED_QUALIFIER, _FRAMING)
_SCALE = frozenset({"million", "billion", "trillion", "half", "third", "quarter"})
_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS)


@dataclass(frozen=True, slots=True)
class _Words:
    """An article's words, lowercased, with their offsets."""

    norm: list[str]
    spans: list[tuple[int, int]]
    findings: list[tuple[int, int]]  # quoted words, modals and negations, loaded terms


def _words(article: Article) -> _Words:
    norm, spans = [], []
    for m in _TOKEN.finditer(article.text):
        norm.append(
            m.group().lower().replace("’", "'") if m.group() not in _QUOTE_MARKS else m.group()
        )
        spans.append((m.start(), m.end()))
    findings = quote_mask(article.text)
    findings += [m.span() for rule in _FINDINGS for m in rule.finditer(article.text)]
    return _Words(norm, spans, findings)


def _material(
    text: str, spans: Sequence[tuple[int, int]], findings: Sequence[tuple[int, int]]
) -> bool:
    """Whether any of these words is one an analysis reads as a finding."""
    for start, end in spans:
        word = text[start:end]
        low = word.lower()
        if word in _QUOTE_MARKS or any(s < end and start < e for s, e in findings):
            return True
        if any(ch.isdigit() for ch in word) or quantities(word) or low in _SCALE:
            return True
        if low in _CALENDAR or (word[:1].isupper() and low not in STOP):
            return True
    return False


def _offset(spans: Sequence[tuple[int, int]], i: int, length: int) -> int:
    """Where an empty span at word ``i`` sits: the start of that word, or the text's end."""
    return spans[i][0] if i < len(spans) else length


def _edits(rep: Article, rw: _Words, copy: Article, cw: _Words) -> list[CopyEdit] | None:
    """The copy's edits of the representative, or None when it is not a copy of it."""
    matcher = difflib.SequenceMatcher(None, rw.norm, cw.norm, autojunk=False)
    out: list[CopyEdit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 > MAX_EDIT_WORDS or j2 - j1 > MAX_EDIT_WORDS:
            return None
        rep_spans, copy_spans = rw.spans[i1:i2], cw.spans[j1:j2]
        if _material(rep.text, rep_spans, rw.findings) or _material(
            copy.text, copy_spans, cw.findings
        ):
            return None
        here, at = _offset(rw.spans, i1, len(rep.text)), _offset(cw.spans, j1, len(copy.text))
        start, end = (rep_spans[0][0], rep_spans[-1][1]) if rep_spans else (here, here)
        cstart, cend = (copy_spans[0][0], copy_spans[-1][1]) if copy_spans else (at, at)
        out.append(CopyEdit(copy.id, start, end, cstart, cend))
    return out


def _order_key(article: Article) -> tuple[bool, str, str]:
    """Earliest published first (undated last), then the smallest id."""
    return (
        article.published is None,
        article.published.isoformat() if article.published else "",
        article.id,
    )


def find_copies(articles: Sequence[Article]) -> list[CopySet]:
    """The copy sets of a story's articles, in the order of their representatives.

    Each article is either a representative or the copy of exactly one, compared with
    that representative itself (never through a chain of copies, whose edits could add
    up to a different text). Articles without a copy are in no set.
    """
    order = sorted(articles, key=_order_key)
    distinct: dict[str, int] = {}
    text_of = np.array([distinct.setdefault(a.text, len(distinct)) for a in order], dtype=np.int64)
    sig = signatures(list(distinct)) if len(distinct) > 1 else np.zeros((1, 1), dtype=np.uint64)
    words: dict[int, _Words] = {}

    def words_of(k: int) -> _Words:
        if int(text_of[k]) not in words:
            words[int(text_of[k])] = _words(order[k])
        return words[int(text_of[k])]

    reps: list[int] = []
    rep_of_text: dict[int, int] = {}
    copy_of: dict[str, tuple[str, list[CopyEdit]]] = {}
    for k, article in enumerate(order):
        same = rep_of_text.get(int(text_of[k]))
        if same is not None:
            copy_of[article.id] = (order[same].id, [])
            continue
        if reps:
            jaccard = (sig[text_of[reps]] == sig[text_of[k]]).mean(axis=1)
            for best in np.argsort(-jaccard, kind="stable")[:MAX_TRIES]:
                if jaccard[best] < CANDIDATE_JACCARD:
                    break
                r = reps[int(best)]
                edits = _edits(order[r], words_of(r), article, words_of(k))
                if edits is not None:
                    copy_of[article.id] = (order[r].id, edits)
                    break
        if article.id not in copy_of:
            reps.append(k)
            rep_of_text[int(text_of[k])] = k
    sets: dict[str, tuple[list[str], list[CopyEdit]]] = {}
    for a in articles:
        if a.id in copy_of:
            rep_id, edits = copy_of[a.id]
            copies, differences = sets.setdefault(rep_id, ([], []))
            copies.append(a.id)
            differences.extend(edits)
    position = {a.id: i for i, a in enumerate(articles)}
    return [
        CopySet(rep, tuple(copies), tuple(differences))
        for rep, (copies, differences) in sorted(sets.items(), key=lambda kv: position[kv[0]])
    ]


def _with_copies(ids: Iterable[str], copies: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """``ids`` in their order, each representative followed by its copies."""
    return tuple(a for aid in ids for a in (aid, *copies.get(aid, ())))


def expand_claims(claims: Sequence[Claim], sets: Sequence[CopySet]) -> list[Claim]:
    """Claims whose ``articles`` (and ``partial``) also name the copies of the articles
    that state them: a copy has every sentence of its representative (``groups`` stay,
    and ``mentions`` are the representative's: a copy is in its group and its text is
    the same)."""
    copies = {s.representative: s.copies for s in sets}
    return [
        replace(
            c,
            articles=_with_copies(c.articles, copies),
            partial=_with_copies(c.partial, copies),
        )
        for c in claims
    ]


def expand_brief(brief: Sequence[BriefSentence], sets: Sequence[CopySet]) -> list[BriefSentence]:
    """Brief sentences whose ``sources`` also name the copies of each source."""
    copies = {s.representative: s.copies for s in sets}
    return [
        BriefSentence(
            b.text, _with_copies(b.sources, copies), b.groups, b.claim, b.section, b.mention
        )
        for b in brief
    ]
