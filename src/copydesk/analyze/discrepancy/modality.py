"""Modality and negation: one article says a thing is planned or possible, or did not
happen, where another says plainly that it did.

:data:`MODALS` and :data:`NEGATION` are public: :mod:`copydesk.analyze.copies` reads
them to tell a copy edit that changes a finding from one that only rewords.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from copydesk.analyze.discrepancy.common import mention_text, one_per_article
from copydesk.analyze.tokens import STOP, stem, tokens
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# A participle after one of these is an adjective ("the automated terminals").
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those"}
# A modal or a plan and the verb it governs ("is expected to summon", "may also be").
MODALS = re.compile(
    r"\b(?:(?:is|are|was|were) (?:expected|set|due|likely|poised|scheduled|planning|"
    r"going) to|expects? to|intends? to|intended to|may|might|could|would|will|shall)"
    r"\s+(?:be\s+)?(?:also\s+)?(\w+)",
    re.I,
)
# A negator and what it negates: the first content word after it, past auxiliaries and
# adverbs ("did not immediately summon", "has never been charged", "won't release",
# "cannot serve"). "Not only" (and "not just", "not merely") adds rather than negates;
# "apply", "rely" and the like end in -ly and are verbs, not adverbs.
_NOT_ADVERB = r"(?!(?:apply|reply|supply|rely|comply|imply|multiply|fly|ally)\b)"
NEGATION = re.compile(
    r"(?:\b(?:not|never|no longer|cannot)|\b\w+n[’']t)\s+"
    r"(?!(?:only|just|merely|simply)\b)"
    rf"(?:(?:{_NOT_ADVERB}\w+ly|be|been|being|have|has|had|to|even|yet|ever)\s+)*"
    r"(\w+)",
    re.I,
)
# A verb that a denial, a refusal or a failure governs did not happen, as far as the
# sentence says ("refuses to concede", "denied paying", "failed to appear"); nor did
# one whose subject is "no" ("no money was paid", "'no money' paid", "nobody was hurt";
# not "no fewer than 20 died", nor the noun of "no formal charges", "said no and went").
_DENIED = re.compile(
    r"\b(?:(?:refus|declin)(?:e|es|ed|ing)|fail(?:s|ed|ing)?)\s+to\s+(?:\w+ly\s+)?(?:be\s+)?(\w+)"
    r"|\bden(?:y|ies|ied|ying)\s+(?:\w+ly\s+)?(?:ever\s+)?(?:having\s+)?(\w+(?:ing|ed))\b"
    r"|\bno\s+(?!(?:longer|fewer|less|more|matter|doubt)\b)\w+(?:[’”\"']\s+|\s+(?:_AUX\s+)+)(\w+)"
    r"|\b(?:nothing|nobody|no one|none)\s+(?:_AUX\s+)*(\w+)".replace(
        "_AUX", "(?:was|were|is|are|has|have|had|been|be|will|would|could|ever)"
    ),
    re.I,
)
# "to" before a word makes it an infinitive that another verb governs ("refuses to
# concede", "in order to be eligible"): not a statement that it happened; so is a verb
# joined by "and" or "or" to one that a modal or "to" governs in the same clause
# ("planned to sign the bill and declare", "will disregard the criticism and seek").
_INFINITIVE = re.compile(r"\bto\s+(?:be\s+)?$", re.I)
# After a determiner or a preposition a word is a noun or a gerund ("short of support",
# "forbids them from changing"), not a verb that states the event.
_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|its|their|our|your|this|that|these|those|any|some|no|of|for|"
    r"with|without|from|by|about|on|in|at|into|over|after|before)\s+$",
    re.I,
)
_JOINED = re.compile(r"\b(?:and|or)\s+$", re.I)
_CLAUSE_START = re.compile(r"[,;:—–()]")
# After a copula ("is not", "aren't", "could not be") the negated word is a predicate:
# a participle is an event ("was not cancelled", "is not conceding"); an adjective or a
# noun is a state whose plain use elsewhere ("a citizen", "to be eligible") is no claim
# that it holds.
_COPULA = re.compile(
    r"\b(?:is|are|was|were|isn[’']t|aren[’']t|wasn[’']t|weren[’']t)\s+(?:not\s+)?\S*$"
    r"|\b(?:be|been|being)\s+$",
    re.I,
)
_INFLECTIONS = ("ing", "ed", "es", "s", "d")


# Irregular past participles that do not end in -ed or -en ("was not paid").
_IRREGULAR = frozenset(
    {
        *("paid", "made", "told", "held", "sent", "built", "brought", "bought", "caught"),
        *("taught", "found", "left", "kept", "lost", "met", "put", "set", "shut", "sold"),
        *("spent", "struck", "thought", "won", "hurt", "hit", "cut", "led", "fed", "fled"),
        *("laid", "shot", "read", "said", "sought", "heard", "meant", "dealt", "felt", "done"),
    }
)


def _participle(word: str) -> bool:
    low = word.lower()
    return low.endswith(("ed", "en", "ing")) or low in _IRREGULAR


def _roots(word: str) -> frozenset[str]:
    """The word less an inflectional ending, in the spellings it may take ("cancelled":
    "cancel"; "denied": "deny"; "concede" and "conceded": "conced"), so that two
    inflections of one verb share a root and a derived noun ("negotiations" against
    "negotiate") does not."""
    w = word.lower()
    out = {w}
    for suffix in _INFLECTIONS:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            root = w[: -len(suffix)]
            out.add(root)
            if len(root) > 3 and root[-1] == root[-2]:
                out.add(root[:-1])
            if root.endswith("i"):
                out.add(root[:-1] + "y")
    return frozenset(r.rstrip("e") for r in out)


def _verb_states(
    text: str, base: int, article: str
) -> tuple[dict[str, Variant], dict[str, Variant]]:
    """Verbs under a modal or plan ('expected to summon') and verbs stated as done."""
    planned: dict[str, Variant] = {}
    for match in MODALS.finditer(text):
        planned.setdefault(
            stem(match.group(1)),
            Variant(article, match.group(), base + match.start(), base + match.end()),
        )
    done: dict[str, Variant] = {}
    toks = tokens(text)
    for i, tok in enumerate(toks):
        key = stem(tok.text)
        # "the automated terminals" is an adjective, not an event that happened.
        if i and toks[i - 1].lower in _DETERMINERS:
            continue
        if tok.lower.endswith("ed") and key not in planned:
            done.setdefault(key, Variant(article, tok.text, base + tok.start, base + tok.end))
    return planned, done


def _later(day: dt.date | None, than: dt.date | None) -> bool:
    """``day`` is known to fall after ``than``: an undated paper is never later."""
    return day is not None and than is not None and day > than


def modality_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article says a thing is planned or possible; another says it happened."""
    planned: dict[str, list[Variant]] = {}
    done: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            p, d = _verb_states(mention_text(articles, m), m.start, article)
            for key, v in p.items():
                planned.setdefault(key, []).append(v)
            for key, v in d.items():
                done.setdefault(key, []).append(v)
    out = []
    for verb in sorted(planned.keys() & done.keys()):
        plan_arts = {v.article for v in planned[verb]}
        plan_dates = [articles[a].published for a in plan_arts]
        last_plan = max(d for d in plan_dates if d) if all(plan_dates) else None
        done_vs = [
            v
            for v in done[verb]
            if v.article not in plan_arts
            # A later paper saying that the plan happened is news, not a disagreement.
            and not _later(articles[v.article].published, last_plan)
        ]
        if done_vs:
            variants = one_per_article(planned[verb]) + one_per_article(done_vs)
            out.append(Discrepancy(kind="modality", claim=claim.id, variants=tuple(variants)))
    return out


def _negations(text: str) -> list[tuple[re.Match[str], bool]]:
    """Every negation of ``text`` whose negated word is not a stop word ("not with",
    "not that") or a name ("not Jerry"), and whether it negates an event: a predicate
    adjective or noun after a copula ("is not welcome") is a state, and counts only to
    keep its word from reading as stated."""
    out = []
    for pattern in (NEGATION, _DENIED):
        for match in pattern.finditer(text):
            group = match.lastindex or 0
            word = match.group(group)
            if word.lower() in STOP or not word.islower():
                continue
            before = text[max(0, match.start() - 12) : match.start(group)]
            state = pattern is NEGATION and _COPULA.search(before) and not _participle(word)
            out.append((match, not state))
    return out


def _governed(text: str, start: int, modal_ends: list[int]) -> bool:
    """Whether the word at ``start`` is an infinitive, a noun or gerund (after a
    determiner or preposition), or joined by "and" / "or" to a verb under a modal or
    "to" in its clause."""
    before = text[:start]
    if _INFINITIVE.search(before) or _NOUN_BEFORE.search(before[-16:]):
        return True
    if not _JOINED.search(before):
        return False
    clause = max((m.end() for m in _CLAUSE_START.finditer(before)), default=0)
    if re.search(r"\bto\s", before[clause:]):
        return True
    return any(clause <= e < start for e in modal_ends)


def _stated(text: str) -> list[tuple[int, int, str]]:
    """Words the sentence states as they are: not negated, not under a modal or a plan
    ("could issue", "is expected to seek") and not an infinitive ("refuses to concede")."""
    modals = list(MODALS.finditer(text))
    governed = {m.start(1) for m in modals}
    modal_ends = [m.end() for m in modals]
    covered = [m.span() for m, _ in _negations(text)]
    out = []
    for tok in tokens(text):
        if len(tok.text) <= 3 or not tok.text.islower() or tok.start in governed:
            continue
        if any(s <= tok.start < e for s, e in covered) or _governed(text, tok.start, modal_ends):
            continue
        out.append((tok.start, tok.end, tok.text))
    return out


def negation_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article negates a verb that another states plainly: the same verb, inflected
    or not ("did not cancel", "cancelled"), where the other sentence asserts it (a
    modal's verb, an infinitive or a derived noun is not a plain statement)."""
    negated: dict[str, list[Variant]] = {}
    roots: dict[str, set[str]] = {}
    stated: list[tuple[str, Variant]] = []
    for article, mentions in by_article.items():
        for m in mentions:
            text = mention_text(articles, m)
            here: set[str] = set()
            for match in (m for m, event in _negations(text) if event):
                word = match.group(match.lastindex or 0)
                key = stem(word)
                here |= _roots(word)
                roots.setdefault(key, set()).update(_roots(word))
                negated.setdefault(key, []).append(
                    Variant(article, match.group(), m.start + match.start(), m.start + match.end())
                )
            for start, end, word in _stated(text):
                if not here & _roots(word):
                    stated.append((word, Variant(article, word, m.start + start, m.start + end)))
    out = []
    for verb in sorted(negated):
        neg_arts = {v.article for v in negated[verb]}
        others = [
            v for word, v in stated if v.article not in neg_arts and roots[verb] & _roots(word)
        ]
        if others and verb != "rule":  # "did not rule out" is not "ruled"
            out.append(
                Discrepancy(
                    kind="negation",
                    claim=claim.id,
                    variants=tuple(one_per_article(negated[verb]) + one_per_article(others)),
                )
            )
    return out
