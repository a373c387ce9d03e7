"""What grouping looks at in an article: its title and lead, and its publication day.

Two reports of one event open with the same news: the same people, places, numbers
and verbs in the headline and the first sentences. So the lexical signal is a TF-IDF
vector of the title (counted twice) and the lead, with numbers and day-month dates
kept as terms, and never the tail, where scraped pages keep teasers of unrelated
stories. A separate vector of names alone was tried and dropped: it rewards two
articles for sharing a topic's names ("Trump", "North Korea") and merged different
events on the AllSides set.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from copydesk.models import Article

# The lead is the first sentences of the body up to this many characters.
LEAD_CHARS = 600
# MiniLM reads less (the title and about one sentence): it costs a hundred times more.
EMBED_CHARS = 200

_STOP = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "would",
        "could",
        "also",
        "mr",
        "mrs",
        "ms",
        "dr",
        "new",
        "one",
        "two",
        "according",
    ]
)
_MONTHS = [
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
]
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTH_DAY = re.compile(
    r"\b(?:(\d{1,2})\s+(" + "|".join(_MONTHS) + r")|(" + "|".join(_MONTHS) + r")\s+(\d{1,2}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Signals:
    """Per-article signals, one row per article in pile order.

    ``words`` holds TF-IDF rows of unit length, so that a dot product is a cosine;
    ``days`` holds the publication day as a proleptic ordinal, -1 when unknown.
    """

    words: sp.csr_matrix
    days: npt.NDArray[np.int64]


def _lead(article: Article, chars: int) -> str:
    body_start = article.body_start
    end = body_start
    for sentence in article.sentences:
        if sentence.start < body_start:
            continue
        end = sentence.end
        if end - body_start >= chars:
            break
    if end == body_start:
        end = _cut(article.text, body_start + chars)
    return article.text[body_start:end]


def _cut(text: str, limit: int) -> int:
    if limit >= len(text):
        return len(text)
    space = text.rfind(" ", 0, limit)
    return space if space > limit // 2 else limit


def lead_text(article: Article, chars: int = EMBED_CHARS) -> str:
    """The title and the first whole sentences of the body, about ``chars`` characters."""
    lead = _lead(article, chars)
    return f"{article.title}\n{lead}" if article.title else lead


def _normal(word: str) -> str:
    """Lower case, one apostrophe, no possessive: "Korea’s" and "korea" are one term."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.rstrip("'-")


def content_words(text: str) -> list[str]:
    """Normalised words of ``text`` without stop words."""
    words = (_normal(w) for w in _WORD.findall(text))
    return [w for w in words if len(w) > 1 and w not in _STOP]


def particulars(text: str) -> list[str]:
    """Numbers (``#1200``) and day-month dates (``@03-04``): what tells two events of one
    kind apart when their words are the same."""
    terms = [f"#{n.replace(',', '')}" for n in _NUMBER.findall(text) if len(n) > 1]
    for day_a, month_a, month_b, day_b in _MONTH_DAY.findall(text):
        month = _MONTHS.index((month_a or month_b).lower()) + 1
        terms.append(f"@{month:02d}-{int(day_a or day_b):02d}")
    return terms


def lead_terms(article: Article) -> list[str]:
    """The terms of the title (twice: the headline says what the event is) and the lead."""
    title = article.title or ""
    lead = _lead(article, LEAD_CHARS)
    return content_words(title) * 2 + content_words(lead) + particulars(f"{title}\n{lead}")


def tfidf(docs: Sequence[Iterable[str]]) -> sp.csr_matrix:
    """Rows of sublinear TF times smoothed IDF, scaled to unit length.

    Written out rather than taken from scikit-learn so that the vocabulary order, and
    with it every float, depends only on the pile (sorted terms), never on hashing.
    """
    counts = [Counter(doc) for doc in docs]
    vocab = {term: i for i, term in enumerate(sorted({t for c in counts for t in c}))}
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    indices: list[int] = []
    values: list[float] = []
    for row, counter in enumerate(counts):
        for term in sorted(counter, key=vocab.__getitem__):
            indices.append(vocab[term])
            values.append(counter[term])
        indptr[row + 1] = len(indices)
    tf = np.asarray(values, dtype=np.float32)
    matrix = sp.csr_matrix(
        (1.0 + np.log(tf, where=tf > 0, out=np.zeros_like(tf)), np.asarray(indices), indptr),
        shape=(len(counts), len(vocab)),
        dtype=np.float32,
    )
    df = np.bincount(matrix.indices, minlength=len(vocab)).astype(np.float32)
    idf = np.log((1.0 + len(counts)) / (1.0 + df)) + 1.0
    matrix = matrix @ sp.diags(idf.astype(np.float32))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sp.diags((1.0 / np.maximum(norms, 1e-12)).astype(np.float32)) @ matrix
    out = sp.csr_matrix(matrix, dtype=np.float32)
    # Element-wise products of rows (pairs.rowwise_cosine) need sorted column indices.
    out.sort_indices()
    return out


def publication_days(articles: Sequence[Article]) -> npt.NDArray[np.int64]:
    return np.array(
        [a.published.toordinal() if a.published else -1 for a in articles], dtype=np.int64
    )


def extract_signals(
    articles: Sequence[Article], *, progress: Callable[[str, int, int], None] | None = None
) -> Signals:
    """The grouping signals of every article, computed once."""
    terms: list[list[str]] = []
    for k, article in enumerate(articles, start=1):
        terms.append(lead_terms(article))
        if progress and (k % 2000 == 0 or k == len(articles)):
            progress("features", k, len(articles))
    return Signals(words=tfidf(terms), days=publication_days(articles))
