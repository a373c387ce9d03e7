"""Quotes: a short quoted characterisation that differs, the same quote with words
changed, and a quote rendered without quote marks with a word swapped.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from copydesk.analyze.discrepancy.common import lower_words, mention_text, one_per_article, run_at
from copydesk.analyze.tokens import STOP, Token, quote_mask, quotes, stem, tokens
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

# A characterisation ("a big mistake") is a few words; a longer quote is a statement.
MAX_CHARACTERISATION_WORDS = 6
# A longer quote is a statement of its own, which a rendering may shorten in many ways.
MAX_RENDERED_QUOTE_WORDS = 12


def _norm_quote(text: str) -> str:
    """A quote's words in lower case without a leading article: "a big mistake" and
    "big mistake" quote the same words."""
    words = lower_words(text)
    while words and words[0] in {"a", "an", "the"}:
        words = words[1:]
    return " ".join(words)


# Words that change a characterisation they precede: "a very big mistake" is not what
# "a big mistake" says, while "Obama's war on religion" only quotes more of it.
_INTENSIFIERS = frozenset(
    {
        "very",
        "really",
        "so",
        "too",
        "extremely",
        "most",
        "quite",
        "absolutely",
        "totally",
        "completely",
        "deeply",
        "highly",
        "incredibly",
        "truly",
        "utterly",
        "fully",
        "grave",
        "serious",
        "huge",
        "big",
        "great",
        "not",
        "never",
        "no",
    }
)


def _same_quote(a: str, b: str) -> bool:
    """Two normalised quotes are one when they are equal, or when one quotes more of
    the same words ("whipsawed" / "I'm getting whipsawed here", "asserts his innocence"
    / "asserts his innocence of any wrongdoing"), unless what it adds right before the
    shorter one is an intensifier or a negation ("big mistake" / "very big mistake").
    One that only opens a word earlier is the same quote too ("to senior officials" /
    "senior officials"), not two that open with different words ("to Kyiv" / "from
    Kyiv")."""
    if a == b:
        return True
    for longer, shorter in ((a.split(), b.split()), (b.split(), a.split())):
        at = run_at(longer, shorter)
        if at is not None:
            return at == 0 or longer[at - 1] not in _INTENSIFIERS
    return False


def quote_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Short quoted characterisations ("a big mistake") that differ between articles."""
    variants: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            for q in quotes(mention_text(articles, m)):
                key = _norm_quote(q.text)
                if key and len(key.split()) <= MAX_CHARACTERISATION_WORDS:
                    variants.setdefault(key, []).append(
                        Variant(article, q.text, m.start + q.start, m.start + q.end)
                    )
    per_article: dict[str, set[str]] = {}
    for key, vs in variants.items():
        for v in vs:
            per_article.setdefault(v.article, set()).add(key)
    sets = list(per_article.values())
    # Articles that share no quoted words at all for the same fact disagree on them.
    if all(
        any(_same_quote(x, y) for x in a for y in b)
        for i, a in enumerate(sets)
        for b in sets[i + 1 :]
    ):
        return []
    flat = [v for key in sorted(variants) for v in one_per_article(variants[key])]
    return [Discrepancy(kind="quote", claim=claim.id, variants=tuple(flat))]


def reworded_quotes(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Two articles quote the same words with some of them changed ("serious" / "grave")."""
    found: list[tuple[str, Variant, list[str]]] = []
    for article, mentions in by_article.items():
        for m in mentions:
            for q in quotes(mention_text(articles, m)):
                words = _norm_quote(q.text).split()
                if len(words) >= 3:
                    found.append(
                        (
                            article,
                            Variant(article, q.text, m.start + q.start, m.start + q.end),
                            words,
                        )
                    )
    involved: dict[tuple[str, str], Variant] = {}
    for i, (art_a, va, wa) in enumerate(found):
        for art_b, vb, wb in found[i + 1 :]:
            if art_a == art_b or wa == wb:
                continue
            matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
            shared = sum(b.size for b in matcher.get_matching_blocks())
            # A word of the shorter quote replaced in the longer one, not merely a longer
            # or shorter excerpt of the same words.
            b_is_shorter = len(wb) <= len(wa)
            changed = [
                (i1, i2, j1, j2)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                if tag == "replace" and ((j2 > j1) if b_is_shorter else (i2 > i1))
            ]
            if shared >= 3 and shared >= 0.5 * min(len(wa), len(wb)) and changed:
                involved.update({(art_a, va.text): va, (art_b, vb.text): vb})
    if not involved:
        return []
    variants = one_per_article(sorted(involved.values(), key=lambda v: (v.text, v.article)))
    return [Discrepancy(kind="quote", claim=claim.id, variants=tuple(variants))]


def _unquoted_words(text: str) -> list[Token]:
    """The words of ``text`` outside quote marks."""
    inside = quote_mask(text)
    return [t for t in tokens(text) if not any(a <= t.start < b for a, b in inside)]


def rendered_quotes(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """An article renders a speaker's quoted words without quote marks, with the content
    word next to the shared words changed: the quote says the pact should "concern any
    country that values peace and stability", the rendering "its impact on regional
    peace and stability".

    Only a substitution counts, a word on both sides of the shared run that differs: a
    rendering that merely quotes less or more ("pledged full support" for the quoted
    "full support") is not a different account of what was said.
    """
    for quoting, mentions in by_article.items():
        for m in mentions:
            text = mention_text(articles, m)
            for q in quotes(text):
                said = [t.lower for t in tokens(q.text)]
                if not 3 <= len(said) <= MAX_RENDERED_QUOTE_WORDS:
                    continue
                said_stems = [stem(w) for w in said]
                for other, theirs in by_article.items():
                    if other == quoting:
                        continue
                    for n in theirs:
                        found = _substitution(said, said_stems, mention_text(articles, n))
                        if found is None:
                            continue
                        # One finding per claim: the first pair shows the rewording.
                        a, b = found
                        quoted = Variant(quoting, q.text, m.start + q.start, m.start + q.end)
                        rendered = Variant(
                            other, mention_text(articles, n)[a:b], n.start + a, n.start + b
                        )
                        return [
                            Discrepancy(kind="quote", claim=claim.id, variants=(quoted, rendered))
                        ]
    return []


def _substitution(said: list[str], said_stems: list[str], text: str) -> tuple[int, int] | None:
    """The span of ``text`` (unquoted) that shares a run of two or more common content
    words with the quoted ``said`` and puts another common word right before or after
    it. Common words only: a shared name ("the Aegean Sea") says nothing about wording.
    """
    words = _unquoted_words(text)
    stems = [stem(t.text) for t in words]
    matcher = difflib.SequenceMatcher(None, said_stems, stems, autojunk=False)
    for block in matcher.get_matching_blocks():
        run = words[block.b : block.b + block.size]
        if sum(1 for t in run if _common_word(t.text)) < 2:
            continue
        for q_at, t_at in (
            (block.a - 1, block.b - 1),
            (block.a + block.size, block.b + block.size),
        ):
            if not (0 <= q_at < len(said) and 0 <= t_at < len(words)):
                continue
            if (
                said[q_at] not in STOP
                and _common_word(words[t_at].text)
                and stems[t_at] not in said_stems
            ):
                first, last = min(t_at, block.b), max(t_at, block.b + block.size - 1)
                return words[first].start, words[last].end
    return None


def _common_word(word: str) -> bool:
    """A lower-case content word: not a name, a figure or a function word."""
    return word.islower() and word.isalpha() and word not in STOP
