"""Where the versions of one claim differ: quotes, numbers, dates, names, modality, negation,
and qualifiers.

No NLI model with a clear licence ships on PyPI, so these are rules over aligned
mentions. Each rule compares the mentions of one claim article by article and reports
the variants with their spans, so a reader can check every one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from copydesk.analyze.tokens import (
    MONTHS,
    STOP,
    WEEKDAYS,
    WORD,
    Token,
    names,
    quantities,
    quote_mask,
    quotes,
    stem,
    tokens,
)
from copydesk.models import Article, Claim, Discrepancy, Mention, Variant

MAX_CHARACTERISATION_WORDS = 6
# Articles published this many days apart or more name different weeks' weekdays.
WEEKDAY_HORIZON_DAYS = 7
# Days between an event and a report that dates it by its own day ("today", "on June 24"
# in the June 25 paper).
NEWS_OF_THE_DAY = frozenset({0, 1})
# Figures this close are one figure rounded, not two accounts; a hedged figure ("about",
# "almost", "more than") covers more.
ROUNDING = 0.02
HEDGED_ROUNDING = 0.1
_HEDGE = re.compile(
    r"\b(?:about|around|almost|nearly|roughly|some|approximately|an estimated|more than|"
    r"over|up to|at least|close to|less than|fewer than)\s+(?:US|A|C)?(?:[$£€¥]\s*)?$",
    re.I,
)
# A longer quote is a statement of its own, which a rendering may shorten in many ways.
MAX_RENDERED_QUOTE_WORDS = 12
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those"}
# Counted things named differently by different outlets.
_UNIT_SYNONYMS = {
    "hurt": "injur",
    "wound": "injur",
    "injuri": "injur",
    "kill": "dead",
    "die": "dead",
    "death": "dead",
    "detain": "arrest",
    "detent": "arrest",
}
_MODALS = re.compile(
    r"\b(?:(?:is|are|was|were) (?:expected|set|due|likely|poised|scheduled|planning|"
    r"going) to|expects? to|intends? to|intended to|may|might|could|would|will|shall)"
    r"\s+(?:be\s+)?(?:also\s+)?(\w+)",
    re.I,
)
# A negator and what it negates: the first content word after it, past auxiliaries and
# adverbs ("did not immediately summon", "has never been charged").
_NEGATION = re.compile(
    r"\b(?:not|never|no longer|n[o’']t)\s+(?:(?:\w+ly|be|been|being|have|has|had|to|even|yet)\s+)*"
    r"(\w+)",
    re.I,
)
# A negating prefix limits what its noun phrase covers ("non-lethal aid", "non-binding").
# Lower case only: "Non-Proliferation Treaty" is a name, not a limit.
_NEGATED_QUALIFIER = re.compile(r"\bnon-([a-z]+)\s+([a-z]+)")

Rule = Callable[[Claim, Mapping[str, list[Mention]], Mapping[str, Article]], list[Discrepancy]]


def _text(articles: Mapping[str, Article], m: Mention) -> str:
    return articles[m.article].text[m.start : m.end]


def _matches(
    pattern: re.Pattern[str],
    by_article: Mapping[str, list[Mention]],
    articles: Mapping[str, Article],
) -> Iterator[tuple[re.Match[str], Variant]]:
    """Each match of ``pattern`` in the mentions, with its text and span as a variant."""
    for article, mentions in by_article.items():
        for m in mentions:
            for match in pattern.finditer(_text(articles, m)):
                span = (m.start + match.start(), m.start + match.end())
                yield match, Variant(article, match.group(), *span)


# Words that open a quoted phrase where one writer starts the quote earlier than another
# ("to senior campaign officials" / "senior campaign officials"): not the speaker's
# characterisation. "very" is not among them: "a very big mistake" is not "a big mistake".
_QUOTE_OPENERS = frozenset(
    {"to", "of", "for", "by", "in", "on", "at", "with", "from", "that", "and"}
)


def _norm_quote(text: str) -> str:
    words = _words(text)
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
        at = _run_at(longer, shorter)
        if at is not None:
            return at == 0 or longer[at - 1] not in _INTENSIFIERS
    return False


def _run_at(longer: Sequence[str], shorter: Sequence[str]) -> int | None:
    """Where the words of ``shorter`` stand together in ``longer``, if they do."""
    n = len(shorter)
    return next((i for i in range(len(longer) - n + 1) if longer[i : i + n] == shorter), None)


def _quote_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Short quoted characterisations ("a big mistake") that differ between articles."""
    variants: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            for q in quotes(_text(articles, m)):
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
    flat = [v for key in sorted(variants) for v in _one_per_article(variants[key])]
    return [Discrepancy(kind="quote", claim=claim.id, variants=tuple(flat))]


def _reworded_quotes(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Two articles quote the same words with some of them changed ("serious" / "grave")."""
    found: list[tuple[str, Variant, list[str]]] = []
    for article, mentions in by_article.items():
        for m in mentions:
            for q in quotes(_text(articles, m)):
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
    variants = _one_per_article(sorted(involved.values(), key=lambda v: (v.text, v.article)))
    return [Discrepancy(kind="quote", claim=claim.id, variants=tuple(variants))]


def _unquoted_words(text: str) -> list[Token]:
    """The words of ``text`` outside quote marks."""
    inside = quote_mask(text)
    return [t for t in tokens(text) if not any(a <= t.start < b for a, b in inside)]


def _rendered_quotes(
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
            text = _text(articles, m)
            for q in quotes(text):
                said = [t.lower for t in tokens(q.text)]
                if not 3 <= len(said) <= MAX_RENDERED_QUOTE_WORDS:
                    continue
                said_stems = [stem(w) for w in said]
                for other, theirs in by_article.items():
                    if other == quoting:
                        continue
                    for n in theirs:
                        found = _substitution(said, said_stems, _text(articles, n))
                        if found is None:
                            continue
                        # One finding per claim: the first pair shows the rewording.
                        a, b = found
                        quoted = Variant(quoting, q.text, m.start + q.start, m.start + q.end)
                        rendered = Variant(other, _text(articles, n)[a:b], n.start + a, n.start + b)
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


def _one_per_article(variants: list[Variant]) -> list[Variant]:
    seen: set[str] = set()
    out = []
    for v in variants:
        if v.article not in seen:
            seen.add(v.article)
            out.append(v)
    return out


def _number_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """The same counted thing ('injured') with different numbers in different articles."""
    by_unit: dict[str, dict[float, list[Variant]]] = {}
    hedged: set[float] = set()
    for article, mentions in by_article.items():
        for m in mentions:
            text = _text(articles, m)
            for q in quantities(text):
                if q.unit:
                    unit = _UNIT_SYNONYMS.get(q.unit, q.unit)
                    variant = Variant(article, q.text, m.start + q.start, m.start + q.end)
                    by_unit.setdefault(unit, {}).setdefault(q.value, []).append(variant)
                    if _HEDGE.search(text[: q.start]):
                        hedged.add(q.value)
    out = []
    for unit in sorted(by_unit):
        values = by_unit[unit]
        per_article: dict[str, set[float]] = {}
        for value, vs in values.items():
            for v in vs:
                per_article.setdefault(v.article, set()).add(value)
        sets = list(per_article.values())
        # Articles disagree when they share no value for the same counted thing, and no
        # article gives both (then the numbers count different things: 2 of 5 terminals).
        if any(len(a) > 1 for a in sets):
            continue
        if any(not _agree(a, b, hedged) for i, a in enumerate(sets) for b in sets[i + 1 :]):
            flat = [v for value in sorted(values) for v in _one_per_article(values[value])]
            out.append(Discrepancy(kind="number", claim=claim.id, variants=tuple(flat)))
    return out


def _agree(a: set[float], b: set[float], hedged: set[float]) -> bool:
    """Some value of one close to some value of the other: a rounded figure ("335,000")
    does not contradict the exact one ("335,435"), nor a hedged one ("almost 20
    million") a figure it hedges ("19.5 million")."""
    return any(
        abs(x - y) <= (HEDGED_ROUNDING if {x, y} & hedged else ROUNDING) * max(abs(x), abs(y))
        for x in a
        for y in b
    )


def same_version(kind: str, a: str, b: str) -> bool:
    """Whether two variant texts of a discrepancy of ``kind`` give the same version:
    figures that agree as the number rule reads them ("48,000" / "48,215", "a third" /
    "one in three"), a date and the same date written with its weekday ("Saturday" /
    "Saturday, March 1"), otherwise the same words."""
    words_a, words_b = _words(a), _words(b)
    if words_a == words_b:
        return True
    if kind == "number":
        values_a, values_b = _figures(a), _figures(b)
        return bool(values_a and values_b) and _agree(values_a, values_b, set())
    if kind == "date":
        shorter, longer = sorted((words_a, words_b), key=len)
        return _run_at(longer, shorter) is not None
    return False


def _figures(variant: str) -> set[float]:
    """The values of a number variant, which is the figure alone: "a third" was read as
    a share ("a third of ...") where it stood."""
    return {q.value for q in quantities(variant) or quantities(f"{variant} of")}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


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


def _date_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Days or dates that no two articles share, in mentions of the same fact."""
    per_article: dict[str, list[Variant]] = {}
    for _, variant in _matches(_DATE, by_article, articles):
        per_article.setdefault(variant.article, []).append(variant)
    found: list[list[Variant]] = []
    for weekday in (True, False):
        keys = {
            a: {k for k in (_date_key(v.text) for v in vs) if (k in WEEKDAYS) == weekday}
            for a, vs in per_article.items()
        }
        keys = {a: k for a, k in keys.items() if k}
        pairs = [(a, b) for i, a in enumerate(keys) for b in list(keys)[i + 1 :]]
        if not any(_dates_conflict(articles[a], keys[a], articles[b], keys[b]) for a, b in pairs):
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


def _year_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """The years of a span given differently ("since 2002" / "since 2003", "from 1967
    to 1979" / "from 1966 to 1978")."""
    spans: dict[str, dict[str, list[tuple[str, Variant]]]] = {}  # kind -> article -> found
    for match, variant in _matches(_SPAN_YEAR, by_article, articles):
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


def _calendar_dates(article: Article, key: str) -> set[dt.date]:
    """The dates a day ("sunday") or a date ("march 1", "1 march") can mean in an
    article published on ``article.published``: a weekday the last such day on or
    before publication or the next one (a plan), a date in the year that puts it
    nearest to publication."""
    published = article.published
    assert published is not None
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


def _dates_conflict(a: Article, days_a: set[str], b: Article, days_b: set[str]) -> bool:
    """Two articles give no day or date in common.

    When both are dated, days and dates are read against each publication date:
    "Sunday" in Monday's paper and "Sunday" in Tuesday's are one day; "Sunday" and
    "Monday" in the same day's papers are not. Papers published on different days
    that each date the event by their own day ("Tuesday" in Tuesday's paper,
    "Wednesday" in Wednesday's; "June 24" on June 25, "July 2" on July 3) report two
    days' events, as wire stories about recurring statements do, not two accounts of
    one. Papers a week or more apart are not compared on weekdays at all.
    """
    weekdays = all(d in WEEKDAYS for d in days_a | days_b)
    if a.published is None or b.published is None or (days_a & days_b and not weekdays):
        # The same date in words is the same date: the year is not stated.
        return not days_a & days_b
    apart = (b.published - a.published).days
    if weekdays and abs(apart) >= WEEKDAY_HORIZON_DAYS:
        return False
    dates_a = set().union(*(_calendar_dates(a, d) for d in days_a))
    dates_b = set().union(*(_calendar_dates(b, d) for d in days_b))
    if dates_a & dates_b:
        return False
    if apart:
        lag_a = {(a.published - d).days for d in dates_a}
        lag_b = {(b.published - d).days for d in dates_b}
        if lag_a & NEWS_OF_THE_DAY and lag_b & NEWS_OF_THE_DAY:
            return False
    return True


def _name_key(name: str) -> str:
    return re.sub(r"[\s\-’'.]+", "", name.lower())


def _name_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """Near-identical names spelled differently ('Tomas Reuvel' vs 'Thomas Reuvel')."""
    seen: dict[str, Variant] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            for tok in _full_names(_text(articles, m)):
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
            if x.startswith(y) or y.startswith(x):
                return False
            if difflib.SequenceMatcher(None, x, y).ratio() < 0.6:
                return False
            respelled = True
    return respelled


def _verb_states(
    text: str, base: int, article: str
) -> tuple[dict[str, Variant], dict[str, Variant]]:
    """Verbs under a modal or plan ('expected to summon') and verbs stated as done."""
    planned: dict[str, Variant] = {}
    for match in _MODALS.finditer(text):
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
    return day is not None and than is not None and day > than


def _modality_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article says a thing is planned or possible; another says it happened."""
    planned: dict[str, list[Variant]] = {}
    done: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            p, d = _verb_states(_text(articles, m), m.start, article)
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
            variants = _one_per_article(planned[verb]) + _one_per_article(done_vs)
            out.append(Discrepancy(kind="modality", claim=claim.id, variants=tuple(variants)))
    return out


def _negation_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article negates a verb that another states plainly."""
    negated: dict[str, list[Variant]] = {}
    plain: dict[str, list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            text = _text(articles, m)
            neg_here = set()
            for match in _NEGATION.finditer(text):
                # "not with", "not that" negate no event; "not Jerry" is a name.
                if match.group(1).lower() in STOP or not match.group(1).islower():
                    continue
                key = stem(match.group(1))
                neg_here.add(key)
                negated.setdefault(key, []).append(
                    Variant(article, match.group(), m.start + match.start(), m.start + match.end())
                )
            for tok in tokens(text):
                key = stem(tok.text)
                if key not in neg_here and len(tok.text) > 3 and tok.text.islower():
                    plain.setdefault(key, []).append(
                        Variant(article, tok.text, m.start + tok.start, m.start + tok.end)
                    )
    out = []
    for verb in sorted(negated.keys() & plain.keys()):
        neg_arts = {v.article for v in negated[verb]}
        others = [v for v in plain[verb] if v.article not in neg_arts]
        if others and verb not in {"rule", "only"}:
            out.append(
                Discrepancy(
                    kind="negation",
                    claim=claim.id,
                    variants=tuple(_one_per_article(negated[verb]) + _one_per_article(others)),
                )
            )
    return out


def _phrase(text: str, start: int, end: int, words: int = 3) -> tuple[int, int]:
    """Grow ``text[start:end]`` over the content words right after it, up to ``words``
    in all: "military" -> "military equipment", "civil" -> "civil rights group". The
    whole phrase is what a qualifier limits (in "non-profit civil rights group" the
    group, not civil rights). Never backwards: without a tagger the word before may be
    a verb ("sent aid") as easily as an adjective."""
    count = len(WORD.findall(text[start:end]))
    while count < words and text[end : end + 1] == " ":
        after = WORD.match(text, end + 1)
        if not after or after.group().lower() in STOP:
            break
        end, count = after.end(), count + 1
    return start, end


def _qualifier_rule(
    claim: Claim, by_article: Mapping[str, list[Mention]], articles: Mapping[str, Article]
) -> list[Discrepancy]:
    """One article limits with a negating prefix ("non-lethal military equipment") what
    another states without it ("military equipment"): not the same thing was said."""
    qualified: dict[tuple[str, ...], list[Variant]] = {}
    for article, mentions in by_article.items():
        for m in mentions:
            text = _text(articles, m)
            for match in _NEGATED_QUALIFIER.finditer(text):
                if match.group(2) in STOP:
                    continue
                _, b = _phrase(text, match.start(2), match.end(2))
                a = match.start()
                # What is limited: the words after the qualifier ("military equipment").
                key = tuple(stem(w) for w in WORD.findall(text[match.start(2) : b]))
                qualified.setdefault(key, []).append(
                    Variant(article, text[a:b], m.start + a, m.start + b)
                )
    out = []
    for key in sorted(qualified):
        limited = {v.article for v in qualified[key]}
        plain: list[Variant] = []
        for article, mentions in by_article.items():
            if article in limited:
                continue
            for m in mentions:
                text = _text(articles, m)
                toks = tokens(text)
                for k, tok in enumerate(toks):
                    words = toks[k : k + len(key)]
                    if tok.text.islower() and tuple(stem(t.text) for t in words) == key:
                        a, b = tok.start, words[-1].end
                        plain.append(Variant(article, text[a:b], m.start + a, m.start + b))
        if plain:
            variants = _one_per_article(qualified[key]) + _one_per_article(plain)
            out.append(Discrepancy(kind="qualifier", claim=claim.id, variants=tuple(variants)))
    return out


RULES: tuple[Rule, ...] = (
    _quote_rule,
    _reworded_quotes,
    _rendered_quotes,
    _number_rule,
    _date_rule,
    _year_rule,
    _name_rule,
    _modality_rule,
    _negation_rule,
    _qualifier_rule,
)


def _story_names(story: Sequence[Article], found: Sequence[Discrepancy]) -> list[Discrepancy]:
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


def find_discrepancies(
    claims: Sequence[Claim], articles: Mapping[str, Article], story: Sequence[Article] = ()
) -> list[Discrepancy]:
    """Every rule on every claim stated by two or more articles, then names spelled two
    ways anywhere in ``story`` (its articles, when given)."""
    out: list[Discrepancy] = []
    for claim in claims:
        if len(claim.articles) < 2:
            continue
        by_article: dict[str, list[Mention]] = {}
        for m in claim.mentions:
            by_article.setdefault(m.article, []).append(m)
        for rule in RULES:
            out.extend(rule(claim, by_article, articles))
    return out + _story_names(story, out)
