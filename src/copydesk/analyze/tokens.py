"""Word-level views of a sentence: content stems, quotes, numbers, names, with offsets."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# A number with thousands separators ("1,200") is one token, not "1" and "200".
WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|\w+(?:[-'’.]\w+)*", re.UNICODE)
STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "said",
    "says",
    "say",
    "told",
    "according",
    "mr",
    "ms",
    "s",
    "also",
    "just",
    "like",
    "would",
    "will",
}


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return str(_stemmer().stemWord(word))


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    lower: str = field(init=False, compare=False)  # lower case, curly apostrophe straight

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", self.text.lower().replace("’", "'"))


# The word-level views below are pure functions of one sentence, and every stage of an
# analysis (alignment, discrepancies, the brief's faithfulness test) reads the same
# sentences again: they are cached, bounded, so that each sentence is read once.
@functools.lru_cache(maxsize=20_000)  # ~5 kB a 24-word sentence: at most ~100 MB
def tokens(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text))


@functools.lru_cache(maxsize=50_000)
def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content words (stop words dropped): its lexical fingerprint.

    A fraction is one token however it is written ("a third", "one-third" and "one in
    three" are all ``1/3``), so that two wordings of one figure share it. Percentages
    keep their own figure ("33"): "3.5%" and "3.6%" must not become one token.
    """
    shares = [(m, value) for m, value in _shares(text) if not m.group("pct")]
    words = [t for t in tokens(text) if not any(m.start() <= t.start < m.end() for m, _ in shares)]
    stems = {stem(t.text) for t in words if t.lower not in STOP and len(t.text) > 1}
    for _, value in shares:
        fraction = Fraction(value / 100).limit_denominator(1000)
        stems.add(f"{fraction.numerator}/{fraction.denominator}")
    return frozenset(stems)


def topic_stems(titles: Sequence[str]) -> frozenset[str]:
    """Stems in half a story's titles or more (and in two at least): what the story is
    about ("Kestrow", "tear gas" in a story titled "... police fire tear gas at Kestrow
    port"), which names no single fact or detail of it."""
    counts: dict[str, int] = {}
    for title in titles:
        for s in content_stems(title):
            counts[s] = counts.get(s, 0) + 1
    return frozenset(s for s, n in counts.items() if n >= 2 and 2 * n >= len(titles))


_QUOTE = re.compile(r"“([^”]{2,}?)”|\"([^\"]{2,}?)\"|(?<!\w)‘(?=\S)([^‘’]{2,}?)’(?!\w)|«([^»]+)»")


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted words: ``start``/``end`` delimit the words inside the quote marks."""

    text: str
    start: int
    end: int


def quotes(text: str) -> list[Quote]:
    """Quoted passages. Text that opens or closes with a space is what lies between two
    quotes whose marks do not pair (“act of terror" and an "act of hate"), not a quote."""
    out = []
    for match in _QUOTE.finditer(text):
        group = next(i for i in range(1, 5) if match.group(i) is not None)
        quoted = match.group(group)
        if quoted[:1].isspace() or quoted[-1:].isspace():
            continue
        out.append(Quote(quoted, match.start(group), match.end(group)))
    return out


def quote_mask(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks: shared quotes are the speaker's words, not reuse."""
    return [(q.start, q.end) for q in quotes(text)]


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
    "dozens": 24,
}
_NUM = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|per ?cent|percent))?"
    r"(?:\s+(million|billion|thousand))?"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


_FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_COUNTS = "|".join([*_NUMBER_WORDS, r"\d{1,3}"])
_TIMES = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|games?|matches|attempts?)"
# "a third of", "one-third", "two thirds of", "half of", "half the", "one in three", "1
# in 5", "33 per cent". A fraction needs "of" or a hyphen ("a third term" is an ordinal,
# "the past two quarters" a time); a half that follows "and" or "first" is a time ("an
# hour and a half of overtime", "the first half of 2024"), and "2 in 5 minutes" a rate.
_PROPORTION = re.compile(
    rf"(?<![\w.,])(?<!and )(?:(?P<num>a|an|one)(?:\s+|(?P<hyphen>-))"
    rf"(?P<frac>half|third|quarter|fifth|tenth)\b(?(hyphen)|(?=\s+of\b))"
    rf"|(?P<nums>two|three|four|five|six|seven|eight|nine)(?:\s+|(?P<hyphens>-))"
    rf"(?P<fracs>thirds|quarters|fifths|tenths)\b(?(hyphens)|(?=\s+of\b))"
    rf"|(?<!first )(?<!second )(?<!a )(?P<half>half)(?=\s+(?:of|the)\b)"
    rf"|(?P<k>{_COUNTS})\s+(?:in|out\s+of)\s+(?P<n>{_COUNTS})\b(?!\s*(?:%|per))(?!\s+{_TIMES}\b)"
    rf"|(?P<pct>\d+(?:\.\d+)?)\s*(?:%|per ?cent\b|percent\b))",
    re.I,
)
_RANK = re.compile(r"(?:\bno\.|\bnumber|#)\s*$")


def _count(word: str) -> float | None:
    word = word.lower()
    if word in {"a", "an", "one"}:
        return 1.0
    if word.isdigit():
        return float(word)
    value = _NUMBER_WORDS.get(word)
    return float(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in text and the noun it counts (``14 injured`` -> 14, 'injur')."""

    value: float
    unit: str
    start: int
    end: int
    text: str


@functools.lru_cache(maxsize=50_000)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Counts and amounts, with the content word that follows as their unit.

    Years, times and day-of-month numbers are dates, not quantities: they are skipped.
    Proportions are percentages ("one in three" is 33.3), counting what they are a
    share of.
    """
    out = proportions(text)
    shares = [(p.start, p.end) for p in out]

    def in_share(start: int) -> bool:
        return any(a <= start < b for a, b in shares)

    toks = tokens(text)
    for match in _NUM.finditer(text):
        if in_share(match.start()):
            continue
        raw = match.group(1)
        value = float(raw.replace(",", ""))
        before = text[max(0, match.start() - 12) : match.start()].lower()
        after = text[match.end() : match.end() + 12].lower()
        if (1900 <= value <= 2100 and "," not in raw) or before.rstrip().endswith(MONTHS):
            continue
        if _RANK.search(before):  # "the No. 2 position" is a rank, not a count
            continue
        if re.match(r"\s*(?:a\.?m|p\.?m|:\d)", after) or re.match(r"\s*(st|nd|rd|th)\b", after):
            continue
        if match.group(3):
            value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}[match.group(3)]
        unit = _share_of(text, match.end()) if match.group(2) else _unit_after(toks, match.end())
        out.append(Quantity(value, unit, match.start(), match.end(), match.group()))
    for tok in toks:
        value_word = _NUMBER_WORDS.get(tok.lower)
        if value_word is not None and tok.lower not in {"one"} and not in_share(tok.start):
            out.append(
                Quantity(
                    float(value_word), _unit_after(toks, tok.end), tok.start, tok.end, tok.text
                )
            )
    return tuple(sorted(out, key=lambda q: q.start))


def proportions(text: str) -> list[Quantity]:
    """Shares of a whole, as percentages: "a third", "one in three" and "33%" are the
    same figure written three ways."""
    return [
        Quantity(
            value,
            _share_of(text, m.end(), counted=bool(m.group("k"))),
            m.start(),
            m.end(),
            m.group(),
        )
        for m, value in _shares(text)
    ]


def _shares(text: str) -> Iterator[tuple[re.Match[str], float]]:
    """Each written share and its value as a percentage."""
    for match in _PROPORTION.finditer(text):
        if match.group("pct"):
            value = float(match.group("pct"))
        elif match.group("half"):
            value = 50.0
        elif match.group("frac") or match.group("fracs"):
            num = _count(match.group("num") or match.group("nums")) or 1.0
            fraction = (match.group("frac") or match.group("fracs")[:-1]).lower()
            value = 100.0 * num / _FRACTIONS[fraction]
        else:
            k, n = _count(match.group("k")), _count(match.group("n"))
            if not k or not n or k >= n:
                continue
            value = 100.0 * k / n
        if 0 < value <= 100:
            yield match, value


_OF = re.compile(r"\s+(?:of\b|(?=the\b))", re.I)


def _share_of(text: str, end: int, *, counted: bool = False) -> str:
    """What a share is a share of: "percent of contain" for "a third of the port's
    container traffic", "one in three containers", "33% of containers". A share of
    nothing named ("prices rose 5 percent") is just "percent", and only such shares are
    compared with one another."""
    of = _OF.match(text, end)
    if not of and not counted:
        return "percent"
    for tok in tokens(text[of.end() if of else end :]):
        if tok.lower in STOP or tok.lower.endswith("'s") or tok.text[0].isdigit():
            continue
        return f"percent of {stem(tok.text)}"
    return "percent"


def _unit_after(toks: Sequence[Token], end: int) -> str:
    for tok in toks:
        if tok.start >= end and tok.lower not in STOP and not tok.text[0].isdigit():
            return stem(tok.text)
    return ""


# "U.S." is one word of a name ("U.S. Justice Department"), not "U" and "S.".
_INITIALS = r"(?:[A-Z]\.){2,}"
_NAME = re.compile(
    rf"(?<![\w’'.])(?:{_INITIALS}|[A-Z][\w’'-]*\.?)"
    rf"(?:\s+(?:{_INITIALS}|[A-Z][\w’'-]*|(?:of|de|van|von|al|bin)\b))*"
    r"(?:\s+[A-Z][\w’'-]*)?"
)


@functools.lru_cache(maxsize=50_000)
def names(text: str) -> tuple[Token, ...]:
    """Capitalised word runs that are not merely sentence-initial: candidate named entities."""
    out = []
    for match in _NAME.finditer(text):
        value = match.group().rstrip(".")
        words = value.split()
        if len(words) == 1 and words[0].lower() in STOP | {"but", "if", "while", "during"}:
            continue
        out.append(Token(value, match.start(), match.start() + len(value)))
    return tuple(out)
