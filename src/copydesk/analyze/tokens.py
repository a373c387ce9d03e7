"""Word-level views of a sentence: content stems, quotes, numbers, names, with offsets."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content words (stop words dropped): its lexical fingerprint."""
    return frozenset(stem(t.text) for t in tokens(text) if t.lower not in STOP and len(t.text) > 1)


_QUOTE = re.compile(r"“([^”]{2,}?)”|\"([^\"]{2,}?)\"|(?<!\w)‘(?=\S)([^‘’]{2,}?)’(?!\w)|«([^»]+)»")


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted words: ``start``/``end`` delimit the words inside the quote marks."""

    text: str
    start: int
    end: int


def quotes(text: str) -> list[Quote]:
    out = []
    for match in _QUOTE.finditer(text):
        group = next(i for i in range(1, 5) if match.group(i) is not None)
        out.append(Quote(match.group(group), match.start(group), match.end(group)))
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


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in text and the noun it counts (``14 injured`` -> 14, 'injur')."""

    value: float
    unit: str
    start: int
    end: int
    text: str


def quantities(text: str) -> list[Quantity]:
    """Counts and amounts, with the content word that follows as their unit.

    Years, times and day-of-month numbers are dates, not quantities: they are skipped.
    """
    out = []
    toks = tokens(text)
    for match in _NUM.finditer(text):
        raw = match.group(1)
        value = float(raw.replace(",", ""))
        before = text[max(0, match.start() - 12) : match.start()].lower()
        after = text[match.end() : match.end() + 12].lower()
        if (1900 <= value <= 2100 and "," not in raw) or before.rstrip().endswith(MONTHS):
            continue
        if re.match(r"\s*(?:a\.?m|p\.?m|:\d)", after) or re.match(r"\s*(st|nd|rd|th)\b", after):
            continue
        if match.group(3):
            value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}[match.group(3)]
        unit = _unit_after(toks, match.end()) if not match.group(2) else "percent"
        out.append(Quantity(value, unit, match.start(), match.end(), match.group()))
    for tok in toks:
        value_word = _NUMBER_WORDS.get(tok.lower)
        if value_word is not None and tok.lower not in {"one"}:
            out.append(
                Quantity(
                    float(value_word), _unit_after(toks, tok.end), tok.start, tok.end, tok.text
                )
            )
    return sorted(out, key=lambda q: q.start)


def _unit_after(toks: list[Token], end: int) -> str:
    for tok in toks:
        if tok.start >= end and tok.lower not in STOP and not tok.text[0].isdigit():
            return stem(tok.text)
    return ""


# "U.S." is one word of a name ("U.S. Justice Department"), not "U" and "S.".
_INITIALS = r"(?:[A-Z]\.){2,}"
_NAME = re.compile(
    rf"(?<![\w’'.])(?:{_INITIALS}|[A-Z][\w’'-]*\.?)"
    rf"(?:\s+(?:{_INITIALS}|[A-Z][\w’'-]*|of|de|van|von|al|bin))*"
    r"(?:\s+[A-Z][\w’'-]*)?"
)


def names(text: str) -> list[Token]:
    """Capitalised word runs that are not merely sentence-initial: candidate named entities."""
    out = []
    for match in _NAME.finditer(text):
        value = match.group().rstrip(".")
        words = value.split()
        if len(words) == 1 and words[0].lower() in STOP | {"but", "if", "while", "during"}:
            continue
        out.append(Token(value, match.start(), match.start() + len(value)))
    return out
