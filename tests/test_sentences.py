"""Sentence splitting (``clean/sentences.py``): abbreviations that do and do not end a
sentence, span invariants, and a check on the BASIL articles when ../shared has them.

Every sentence below is about fictional places and people.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPORA
from copydesk.clean import split_sentences


def _split(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        # A dotted acronym before a lower-case word: nupunkt used to split here.
        "A spokesman for the R.N.C. did not answer questions about the Harbor Fund.",
        "The R.N.C. said on Tuesday that the Velden dinner was sold out.",
        # ... and before a capitalised word that continues a name.
        "The talks were led by U.S. Secretary of State Ilse Varga, aides in Orlin said.",
        "Delegates met at the U.N. General Assembly to discuss the Corvale dam.",
        "The polls closed at 8 p.m. Friday in Ostmark County.",
        # Titles never end a sentence, also after an opening quote.
        "Lt. Gov. Mara Quist and Sen. Ote Parr toured the Brackwater dam.",
        "“Mr. Brandt was never asked about the levy,” the clerk said.",
        "The hearing was chaired by Rep. Dell Amory, who called it overdue.",
        # Initials, numbers and months.
        "The novelist P. D. Harlan signed copies in the Brackwater library.",
        "Ordinance No. 12 takes effect on Jan. 4 in the town of Velden.",
        "The hall on St. Ives Road in Orlin closed for repairs.",
        # A party label in parentheses: nothing starts at the closing bracket.
        "Sen. Ada Lusk (R-Ky.), who chairs the panel, spoke first.",
        # A quoted phrase that goes on in lower case.
        "Critics called the Velden deal a U.S. “land grab” on the delta.",
        # A place that goes on as a name or a date.
        "The Washington, D.C. Harbor Board met to approve the Orlin lease.",
        "The strike began in Halden, N.C. Thursday and spread to two mills.",
        # A label at the start of a question.
        "Q. What did the inspectors find at the Velden dam?",
        # Headlines: no final punctuation, or title case throughout.
        "Lind to Announce Decision on R.N.C. Run",
        "Ferry Line Returns to the U.S. With Two New Owners.",
    ],
)
def test_abbreviation_does_not_end_the_sentence(text: str) -> None:
    assert _split(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The cargo was sent to the U.S. The next day, inspectors in Corvale seized it.",
            ["The cargo was sent to the U.S.", "The next day, inspectors in Corvale seized it."],
        ),
        (
            "The polls closed at 8 p.m. The count in Ostmark began an hour later.",
            ["The polls closed at 8 p.m.", "The count in Ostmark began an hour later."],
        ),
        (
            "Gov. Mara Quist signed the Velden order. Rep. Dell Amory objected.",
            ["Gov. Mara Quist signed the Velden order.", "Rep. Dell Amory objected."],
        ),
        (
            "The plant is near Halden, N.C. Workers there walked out in May.",
            ["The plant is near Halden, N.C.", "Workers there walked out in May."],
        ),
        (
            'The fund is based in Harlow, Pa. "We will rebuild," its director said.',
            ["The fund is based in Harlow, Pa.", '"We will rebuild," its director said.'],
        ),
        (
            "The mill was sold to Orlin Timber Corp. It will reopen in spring.",
            ["The mill was sold to Orlin Timber Corp.", "It will reopen in spring."],
        ),
        (
            "The ferry left Velden before 6 a.m. Meanwhile, the Corvale bridge stayed shut.",
            ["The ferry left Velden before 6 a.m.", "Meanwhile, the Corvale bridge stayed shut."],
        ),
        # An ordinary word that nupunkt's learned abbreviations swallow.
        (
            "Officials said the lorries could enter. Witnesses said the Orlin gate stayed shut.",
            [
                "Officials said the lorries could enter.",
                "Witnesses said the Orlin gate stayed shut.",
            ],
        ),
    ],
)
def test_sentence_after_an_abbreviation_still_splits(text: str, expected: list[str]) -> None:
    assert _split(text) == expected


def test_headline_keeps_its_abbreviation_and_the_body_below_splits() -> None:
    text = "Orlin Council Backs R.N.C. Plan\nThe vote in Orlin was 7 to 2. It takes effect in May."
    assert _split(text) == [
        "Orlin Council Backs R.N.C. Plan",
        "The vote in Orlin was 7 to 2.",
        "It takes effect in May.",
    ]


_PIECES = [
    "The",
    "R.N.C.",
    "U.S.",
    "Gov.",
    "Sen.",
    "No.",
    "Jan.",
    "St.",
    "J.",
    "a.m.",
    "p.m.",
    "Halden,",
    "N.C.",
    "said",
    "it",
    "Velden",
    "enter.",
    "(R-Ky.),",
    "“We",
    "rebuild,”",
    "12",
    "?",
    "!",
    "...",
    "\n",
    "  ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_spans_are_stripped_ordered_and_cover_every_word(pieces: list[str]) -> None:
    text = " ".join(pieces)
    sentences = split_sentences(text)
    covered: list[str] = []
    for previous, sentence in zip((None, *sentences), sentences, strict=False):
        chunk = text[sentence.start : sentence.end]
        assert chunk and chunk == chunk.strip() and "\n" not in chunk
        assert previous is None or previous.end < sentence.start
        covered.append(chunk)
    assert " ".join(covered).split() == text.split()


def _basil_paragraphs() -> list[str]:
    files = sorted((CORPORA / "basil" / "articles").glob("*/*.json"))
    if not files:
        pytest.skip("../shared/corpora/basil is absent")
    out: list[str] = []
    for path in files:
        article = json.loads(path.read_text(encoding="utf-8"))
        out.append(article.get("title") or "")
        out.extend(" ".join(p) for p in article["body-paragraphs"])
    return [p for p in out if p.strip()]


_TITLE_AT_END = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Dr|Gov|Sen|Sens|Rep|Reps|Lt|Gen)\.$")


def test_basil_sentences_neither_end_on_a_title_nor_start_mid_sentence() -> None:
    """On real political copy, full of "Sen. Ada Lusk (R-Ky.)" and "the F.B.I.": no
    sentence ends on a title, and none starts with a closing mark or, where its
    paragraph starts with a capital, with a lower-case word."""
    bad: list[str] = []
    for para in _basil_paragraphs():
        for s in split_sentences(para):
            chunk = para[s.start : s.end]
            starts_mid = chunk[0] in ",;:)]" or (chunk[0].islower() and s.start > 0)
            if starts_mid or _TITLE_AT_END.search(chunk):
                bad.append(chunk)
    assert bad == []
