"""Names: one name spelled two ways, within the mentions of a claim and anywhere in a
story's articles.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from copydesk.analyze.discrepancy.common import mention_text
from copydesk.analyze.tokens import _NUMBER_WORDS, STOP, Token, names
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant


def _name_key(name: str) -> str:
    """A name's letters alone: "Al-Sadr" and "al Sadr" are one spelling."""
    return re.sub(r"[\s\-’'.]+", "", name.lower())


def name_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Near-identical names spelled differently ('Tomas Reuvel' vs 'Thomas Reuvel')."""
    seen: dict[str, Variant] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            for tok in _full_names(mention_text(articles, m)):
                seen.setdefault(
                    tok.text, Variant(article, tok.text, m.start + tok.start, m.start + tok.end)
                )
    out = []
    items = sorted(seen.items())
    for i, (a, va) in enumerate(items):
        for b, vb in items[i + 1 :]:
            if va.article != vb.article and _same_name_respelled(a, b):
                out.append(Discrepancy(kind="name", claim=claim.id, variants=(va, vb)))
    return out


# Figures written in capitals ("1.8 Billion Dollars", "two Million Dollars") differ as
# numbers do, not as spellings of one name.
_FIGURE_WORDS = frozenset(_NUMBER_WORDS) | {"hundred", "thousand", "million", "billion", "trillion"}
# A capitalised function word opens a sentence, not a name ("If Reuvel ...").
_NOT_A_NAME_START = STOP | {"if", "but", "while", "as"}


def _full_names(text: str) -> list[Token]:
    """Names of two words or more, not opening with a function word ("The U.S. ...")."""
    return [
        t
        for t in names(text)
        if len(t.text.split()) >= 2 and t.text.split()[0].lower() not in _NOT_A_NAME_START
    ]


def _same_name_respelled(a: str, b: str) -> bool:
    """Two spellings of one name: nearly the same letters, the same last word, and a word
    respelled rather than added or replaced (``_respelled``)."""
    if _name_key(a) == _name_key(b):
        return False
    ratio = difflib.SequenceMatcher(None, _name_key(a), _name_key(b)).ratio()
    return ratio >= 0.85 and a.split()[-1] == b.split()[-1] and _respelled(a, b)


def _respelled(a: str, b: str) -> bool:
    """The same name with a word spelled differently ("Tomas" / "Thomas", "Mr. Igal" /
    "Yigal"); a leading title or first name may differ too. Not a name that only adds
    words ("Sen. Dianne Feinstein", "House Agriculture Committee"), puts another word in
    a word's place ("Federal" / "U.S. District Judge") or derives one ("Israel's" /
    "Israeli Mossad")."""
    wa, wb = a.lower().split(), b.lower().split()
    respelled = False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb).get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 != j2 - j1:
            if i1 or j1:
                return False
            # A leading title or first name more on one side: the words just before
            # the shared ones are the ones to compare ("Mr. Tomas" / "Thomas").
            i1, j1 = i2 - min(i2 - i1, j2 - j1), j2 - min(i2 - i1, j2 - j1)
        for x, y in zip(wa[i1:i2], wb[j1:j2], strict=True):
            if x.endswith(".") and y.endswith("."):  # "Mrs." / "Ms.": a title, not a name
                return False
            x, y = (re.sub(r"['’]s$|[-.]", "", w) for w in (x, y))
            if x == y:  # "Non-Proliferation" / "Nonproliferation"
                continue
            if x in _FIGURE_WORDS or y in _FIGURE_WORDS:  # "Billion" / "Million"
                return False
            if x.startswith(y) or y.startswith(x):
                return False
            if difflib.SequenceMatcher(None, x, y).ratio() < 0.6:
                return False
            respelled = True
    return respelled


def story_names(story: Sequence[Article], found: Sequence[Discrepancy]) -> list[Discrepancy]:
    """Names spelled two ways in different articles of the story, wherever they stand:
    "Tomas Reuvel" in one outlet and "Thomas Reuvel" in another is one man however
    different the remarks each quotes. Pairs a claim already reported are left out."""
    reported = {frozenset(v.text for v in d.variants) for d in found if d.kind == "name"}
    spellings: dict[str, list[Variant]] = {}
    for article in story:
        for tok in _full_names(article.text):
            seen = spellings.setdefault(tok.text, [])
            if all(v.article != article.id for v in seen):
                seen.append(Variant(article.id, tok.text, tok.start, tok.end))
    # Only names that end alike are compared (a respelling keeps the last word), so the
    # pairs stay few in a story of hundreds of names.
    by_last: dict[str, list[tuple[str, list[Variant]]]] = {}
    for name, variants in sorted(spellings.items()):
        by_last.setdefault(name.split()[-1], []).append((name, variants))
    out = []
    for items in by_last.values():
        out.extend(_respelled_pairs(items, reported))
    return out


def _respelled_pairs(
    items: list[tuple[str, list[Variant]]], reported: set[frozenset[str]]
) -> list[Discrepancy]:
    """The respelled pairs among names that end alike, each with every article that
    writes either spelling, leaving out pairs in ``reported``."""
    out = []
    for i, (a, va) in enumerate(items):
        for b, vb in items[i + 1 :]:
            if frozenset((a, b)) in reported:
                continue
            if {v.article for v in va} == {v.article for v in vb}:
                continue  # one outlet's own inconsistency on both sides: nothing to weigh
            if _same_name_respelled(a, b) and _few_letters_apart(a, b):
                out.append(Discrepancy(kind="name", claim=None, variants=tuple(va + vb)))
    return out


def _few_letters_apart(a: str, b: str) -> bool:
    """Two names of capitalised words only whose letters differ in at most two places.

    Outside a claim nothing says the two name one person or body, so only a small slip
    counts ("Tomas" / "Thomas", "Lockhead" / "Lockheed"); "Iranian" / "Italian" still
    passes, "Cypriot" / "Cyprus", "Library of" / "Librarian of Congress" do not.
    """
    if not all(w[:1].isupper() for w in (a + " " + b).split()):
        return False
    matcher = difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False)
    changed = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    return changed <= 2
