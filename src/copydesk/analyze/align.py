"""Align the sentences of a story's articles into claims: one fact, many mentions.

Sentences are clustered by their same-fact score (average linkage, so a claim is a set
of sentences that agree with one another on the whole, not a chain of near misses). A
news sentence often carries two facts, so a sentence may then join a second claim whose
mentions it matches as well as they match each other. A rewrite often folds a fact into
a sentence about something else ("analysts expected pressure on Seoul, especially as Kim
pledged full support"): such a sentence's clause joins the claim of its fact too.

Claims are formed from whole sentences (the thresholds were chosen on whole sentences),
and clauses only attach to them: clustering clauses as units of their own measured
worse on DUC 2007 (SCU-pairs F1 0.366 and 0.377 against 0.386 for sentences). Only a
claim whose compound sentences carry facts that different articles state is split into
one claim per fact (``_split_facts``; DUC unchanged at 0.391), so that a fact is not
credited to an article that states only its neighbour.

Attributed sentences look alike in their attribution ("Tomas Reuvel, chairman of the
United Harbour Workers' Union, said ..."), so one speaker's different remarks can
cluster as one claim. A member that shares none of what was said with most of the
claim's other articles leaves it, and so does a quotation by another named speaker
(``_drop_other_facts``; DUC SCU pairs unchanged at P 0.557 R 0.300, BASIL gold claim
precision 0.810 -> 0.816, benchmarks/claims_basil.py), as does a member sharing with
them only a few of the words the story's bodies use everywhere (``TOPIC_ONLY_WORDS``:
BASIL 0.828 -> 0.854, DUC SCU-pairs F1 0.386 -> 0.382).

A sentence sharing distinctive words ("anchors") with a claim joins it when they name two
facts; the words of one name and title are one (``_distinct``: DUC SCU pairs P 0.559 ->
0.577, F1 0.391 -> 0.390, all pairs F1 0.103 -> 0.106), and so is a name with the age
after it ("Cesar Sayoc, 56,": BASIL gold 0.822 -> 0.828, DUC unchanged). A date's month
and day as one anchor ("Feb. 15") was measured and left out: BASIL 0.822 -> 0.828, DUC
SCU-pairs F1 0.386 -> 0.379.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from copydesk.analyze.brief import is_fragment, stated_in_full
from copydesk.analyze.discrepancy.dates import day_keys, other_days_news
from copydesk.analyze.reuse import PARAPHRASE_SCORE
from copydesk.analyze.tokens import MONTHS, STOP, WEEKDAYS, WORD, stem, topic_stems
from copydesk.analyze.units import StoryUnits, Unit
from copydesk.models import Claim, Mention

# Chosen on the DUC 2007 SCU-marked documents (benchmarks/align_duc.py --sweep): the
# best all-pairs F1 before anchoring (0.091; SCU-pairs F1 0.202). With anchoring below:
# all-pairs F1 0.103, SCU-pairs F1 0.386 (precision 0.56, recall 0.30).
CLAIM_THRESHOLD = 0.35
ATTACH_THRESHOLD = 0.45
# A word found in no more sentences than about once or twice per article is distinctive
# enough to anchor a fact ("summon", "Vietnam", "non-lethal"); a word used more often is
# the story's topic. Two shared anchors plus a weak semantic match let a long sentence
# that restates the fact among others join the claim.
ANCHOR_PER_ARTICLE = 1.5
ANCHOR_MIN_SCORE = 0.2
# Two sentences that share no more than this many words, all of them common words of
# the story's bodies (its actors and subject, more common than an anchor may be) but
# not of its headlines, and score below ATTACH_THRESHOLD are two facts about the topic
# ("The mayor never showed the permit" / "Say there is no permit at all", in a story
# whose headlines are about the mayor's campaign). BASIL gold claim precision 0.828 ->
# 0.854 (right claims unchanged at 111), DUC 2007 SCU pairs F1 0.386 -> 0.382 (P 0.582
# -> 0.599, R 0.288 -> 0.280). Headline words are left out because they name the main
# event, which the articles tell in those words ("tear gas": with them the samples'
# tear-gas claim lost the wire's lead); without the bound on the words shared, BASIL
# 0.889 but DUC F1 0.373 (R 0.269): a narrow DUC topic's main event is told in its
# common words.
TOPIC_ONLY_WORDS = 3
_SPECIFIC_NUMBER = re.compile(r"\d[\d,.]*\d")


_SAID = re.compile(
    r"\b(?:said|says|told|added|warned|stated|explained|complained|accused|insisted|"
    r"argued|noted|claimed|announced|declared|stressed|urged|wrote|tweeted|posted|"
    r"denied|testified|praised)\b"
)
_APPOSITIVE = re.compile(r",\s+(?:who\s+\w+\s+)?[^,.;]{0,80}?(?:,|\.|$)")
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'-]+\s+){1,3}[A-Z][\w’'-]+")
# A name with the age that follows it ("Cesar Sayoc, 56,"): the age names the person.
_NAMED_RUN = re.compile(r"(?:[A-Z][\w’'-]+\s+){1,3}[A-Z][\w’'-]+(?:\.?,\s+\d{1,3},)?")
# All quotation, or the start of a quotation that runs on into the next sentence.
_WHOLLY_QUOTED = re.compile(r"^[\"“][^\"“”]*(?:[\"”]\W*)?$")


def _statement_stems(text: str) -> set[str] | None:
    """The content stems of an attributed sentence without its attribution (the
    speaker's name, title and verb of saying), or of a sentence that is all quotation
    (the speaker named in the next one); None for any other sentence."""
    if _WHOLLY_QUOTED.match(text):
        return {stem(w) for w in WORD.findall(text) if w.lower() not in STOP and len(w) > 2}
    if not _SAID.search(text):
        return None
    words = WORD.findall(text)
    names = {stem(w) for w in words[1:] if w[:1].isupper()}
    if not names:
        return None
    attribution = set(names)
    for match in _NAME_RUN.finditer(text):
        attribution |= {stem(w) for w in WORD.findall(match.group())}
        after = _APPOSITIVE.match(text, match.end())
        if after and not _SAID.search(after.group()):
            attribution |= {stem(w) for w in WORD.findall(after.group())}
    said = {stem(m.group()) for m in _SAID.finditer(text)}
    content = {
        stem(w)
        for w in words
        if w.lower() not in STOP and stem(w) not in attribution | said and len(w) > 2
    }
    return content or None


@dataclass(frozen=True, slots=True)
class _Reading:
    """What ``_drop_other_facts`` reads of each sentence of a story, computed once."""

    statement: dict[int, set[str] | None]  # what an attributed sentence says
    speaker: dict[int, frozenset[str]]  # the named speaker of a remark (empty: unknown)
    share: dict[str, float]
    days: dict[int, frozenset[str]]  # the weekdays and dates a sentence names
    published: Mapping[str, dt.date | None]

    @classmethod
    def of(
        cls, units: StoryUnits, share: dict[str, float], published: Mapping[str, dt.date | None]
    ) -> _Reading:
        names = _story_names(units)
        statement: dict[int, set[str] | None] = {}
        speaker: dict[int, frozenset[str]] = {}
        for rows in units.by_article.values():
            previous: frozenset[str] = frozenset()
            found = [(i, _speaker(units.units[i].text, names)) for i in rows]
            for k, (i, own) in enumerate(found):
                text = units.units[i].text
                statement[i] = _statement_stems(text)
                # A quotation without its attribution is the speaker's of the sentence
                # before it (or after it, for a quotation that opens a paragraph).
                if own is None and _WHOLLY_QUOTED.match(text):
                    after = found[k + 1][1] if k + 1 < len(found) else None
                    own = previous or after or frozenset()
                speaker[i] = own or frozenset()
                previous = speaker[i]
        days = {u.index: day_keys(u.text) for u in units.units}
        return cls(statement, speaker, share, days, published)


_QUOTE_MARK = re.compile('["“”]')
_DATE_STEMS = frozenset(stem(w) for w in (*WEEKDAYS, *MONTHS)) | {m[:3] for m in MONTHS}
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "gov", "sen", "rep", "jr", "sr", "st"})
_QUOTED_SPAN = re.compile(r"[\"“][^\"“”]*(?:[\"”]|$)")
_PRONOUN = re.compile(r"\b(?:he|she|they)\s+(?:\w+ly\s+)?$", re.I)


def _story_names(units: StoryUnits) -> frozenset[str]:
    """Stems of words the story's body writes capitalised inside a sentence and never in
    lower case: its people, places and organisations (a headline capitalises every word,
    so it is not read)."""
    upper: set[str] = set()
    lower: set[str] = set()
    for u in units.units:
        if u.headline:
            continue
        for k, word in enumerate(WORD.findall(u.text)):
            if word.lower() in STOP or not word[:1].isalpha():
                continue
            (upper if word[:1].isupper() and k else lower if word[:1].islower() else set()).add(
                stem(word)
            )
    return frozenset(upper - lower - _DATE_STEMS)


def _speaker(text: str, names: frozenset[str]) -> frozenset[str] | None:
    """The named speaker of an attributed sentence, read outside its quotations: a run of
    names right before the verb of saying ("Mary Cheney wrote", "Trump, who ..., said"),
    or right after it ("..., said Gov. Perry"). Empty when the speaker is a pronoun, a
    description ("the former vice president said") or not next to the verb; None when
    the sentence attributes nothing."""
    outside = _QUOTED_SPAN.sub(" , ", text)
    said = _SAID.search(outside)
    if said is None:
        return None
    # "had been accused by Greene": in the passive, the speaker is not the subject.
    if _PASSIVE.search(outside, 0, said.start()):
        return frozenset()
    runs: list[tuple[int, int, list[str]]] = []
    for match in WORD.finditer(outside):
        word = match.group()
        if not (word[:1].isupper() and stem(word) in names and word.lower() not in STOP):
            continue
        if runs and _NAME_GAP.fullmatch(outside[runs[-1][1] : match.start()]):
            runs[-1] = (runs[-1][0], match.end(), [*runs[-1][2], word])
        else:
            runs.append((match.start(), match.end(), [word]))
    for start, end, words in runs:
        # "Trump's lawyer said": the possessor is not the speaker.
        if words[-1].endswith(("'s", "’s")):
            continue
        if _BEFORE_SAID.fullmatch(outside[end : said.start()]) or _AFTER_SAID.fullmatch(
            outside[said.end() : start]
        ):
            return frozenset(stem(w) for w in words if stem(w).strip(".") not in _TITLES)
    return frozenset()


_PASSIVE = re.compile(r"\b(?:been|being|was|were|is|are|be)\s+(?:\w+ly\s+)?$")
_NAME_GAP = re.compile(r"[.]?\s+(?:(?:of|de|van|von|bin|al)\s+)?")
# Between a speaker and the verb: a few lower-case words ("over the weekend", "later"),
# or an appositive between commas that opens in lower case ("Trump, who ..., said";
# "Boutrous, a lawyer for Wal-Mart, said"), not a list of names ("In Varn, Minister X").
_BEFORE_SAID = re.compile(r"(?:\s+[a-z]+){0,4}\s+|,\s+[a-z][^,;“”\"]{0,100},(?:\s+[a-z]+){0,2}\s+")
_AFTER_SAID = re.compile(r"\s+(?:[A-Z]\w*\.?\s+)?")


def _other_speakers(reading: _Reading, a: Unit, b: Unit) -> bool:
    """Whether ``a`` and ``b`` are remarks of two named speakers that share no name."""
    mine, theirs = reading.speaker[a.index], reading.speaker[b.index]
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)


def _different_facts(units: StoryUnits, reading: _Reading, i: int, j: int) -> bool:
    """Whether two sentences of different articles state different facts, for reasons a
    same-fact score does not weigh:

    * two quotations by different named speakers ("Mary Cheney wrote" and "Dick Cheney
      said", the same words or not) are two statements (a fact reported on two sources'
      word, "officials said" and "the mayor said", is one fact: this reads only
      sentences with quotation marks);
    * two remarks that share no word of what was said are two remarks (two quotations,
      no two words: "town" in "never seen anything like it in this town" and "a small
      town");
    * two sentences that each date what they report by their own paper's day, and
      those days differ ("Mattis resigned Thursday" in Thursday's paper, "Trump
      announced Sunday" in Sunday's), report two days' events of a story followed over
      days (``other_days_news``); a pair scoring as a paraphrase is kept, so that the
      date rule reads a day the sources disagree on. BASIL gold claim precision 0.809
      -> 0.822; DUC 2007 SCU pairs P 0.577 -> 0.582, R 0.295 -> 0.288 (F1 0.390 ->
      0.386): DUC's SCUs join a lead to the next day's lead that recalls it ("Israel
      was silent Sunday on the two Israelis arrested"), which BASIL's reader does not;
    * two sentences that share only a few of the story's common words and score below
      the attach bar are two facts about its subject (``_only_topic_shared``,
      :data:`TOPIC_ONLY_WORDS`): "The Varnco case dwarfs the earlier rulings" and "A
      ruling for Varnco would end the claims for damages" in a story of its court case.

    Two rules that would also split sentences sharing only names, figures and dates
    ("Sayoc, 56" in "was identified" and "was taken into custody"), in claims and as
    anchors, were measured and left out: on BASIL they undo 5 of 26 wrong joins, but on
    DUC 2007 they cost SCU-pairs recall (0.300 -> 0.254), as SCUs there are often stated
    with little more than a name and a figure in common. Near-verbatim texts are
    different only by their speakers ("Why would he not do it?" / "... that?").
    """
    a, b = units.units[i], units.units[j]
    if _QUOTE_MARK.search(a.text) and _QUOTE_MARK.search(b.text) and _other_speakers(reading, a, b):
        return True
    if SequenceMatcher(None, a.text.lower(), b.text.lower()).ratio() >= 0.8:
        return False
    if units.scores[i, j] < PARAPHRASE_SCORE and other_days_news(
        reading.published.get(a.article),
        reading.days[i],
        reading.published.get(b.article),
        reading.days[j],
    ):
        return True
    if units.scores[i, j] < ATTACH_THRESHOLD and _only_topic_shared(reading, a, b):
        return True
    said_a, said_b = reading.statement[i], reading.statement[j]
    if said_a is not None and said_b is not None:
        # Two quotations are one statement when they share words of it, not one word.
        least = 2 if _WHOLLY_QUOTED.match(a.text) or _WHOLLY_QUOTED.match(b.text) else 1
        common = said_a & said_b
        if len(common) < least:
            return True
    return False


def _only_topic_shared(reading: _Reading, a: Unit, b: Unit) -> bool:
    """Whether two sentences share words, at most :data:`TOPIC_ONLY_WORDS` of them, and
    each is a common word of the story's bodies that its headlines do not make the
    topic: "permit" in a story of a mayor's remarks about one, or a company's name and
    "ruling" in a story of its court case. Headline words (an infinite share) name the
    main event, which every article tells in them."""
    shared = a.stems & b.stems
    return 0 < len(shared) <= TOPIC_ONLY_WORDS and all(
        1.0 < reading.share.get(s, 0.0) < float("inf") for s in shared
    )


def _drop_other_facts(units: StoryUnits, reading: _Reading, members: list[int]) -> list[int]:
    """The members without those that state another fact than most of the claim: one
    speaker's other remark ("Reuvel said the union had not been warned", "Reuvel accused
    the authorities of trying to break the strike", alike in every word of the
    attribution), another speaker's, or a sentence sharing only a name or a date with
    the claim (``_different_facts``). A member is kept when it is not different from at
    least half of the claim's members from other articles."""
    kept = []
    for i in members:
        others = [j for j in members if units.units[j].article != units.units[i].article]
        apart = sum(1 for j in others if _different_facts(units, reading, i, j))
        if not others or 2 * (len(others) - apart) >= len(others):
            kept.append(i)
    # When no two articles are left, the sentences left out become claims of their own.
    return kept or members[:1]


def _clusters(scores: npt.NDArray[np.float32]) -> list[list[int]]:
    """Average-linkage groups of the rows of a same-fact score matrix, cut at
    ``CLAIM_THRESHOLD``, as lists of row numbers."""
    n = len(scores)
    if n < 2:
        return [[0]] if n else []
    distance = 1.0 - scores
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - CLAIM_THRESHOLD, criterion="distance")
    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        clusters.setdefault(int(label), []).append(index)
    return list(clusters.values())


def _attach(units: StoryUnits, members: list[int]) -> list[int]:
    """Add, per article not yet in the claim, its sentence that matches all members well."""
    present = {units.units[i].article for i in members}
    mean = units.scores[:, members].mean(axis=1)
    added = []
    for article in sorted({u.article for u in units.units} - present):
        candidates = [u.index for u in units.of(article)]
        best = candidates[int(np.argmax(mean[candidates]))]
        if mean[best] >= ATTACH_THRESHOLD:
            added.append(best)
    return members + added


def _anchor_expand(units: StoryUnits, members: list[int], reading: _Reading) -> list[int]:
    """Add, per article not in the claim, a sentence sharing two of the claim's anchors.

    A sentence that is the version of another sentence of one of the claim's articles,
    which has the same anchors, shares them because two neighbouring facts do: "cargo
    handling at Ostrevia's port is at a halt" does not state "the port handles a third
    of Ostrevia's traffic" (``_version_of_another``: on DUC 2007 it moves SCU-pairs F1
    by 0.001, 0.392 without it and 0.391 with it).
    """
    by_article: dict[str, set[str]] = {}
    for i in members:
        u = units.units[i]
        by_article.setdefault(u.article, set()).update(
            s for s in u.stems if reading.share.get(s, 2.0) <= 1.0
        )
    counts: dict[str, int] = {}
    for stems in by_article.values():
        for s in stems:
            counts[s] = counts.get(s, 0) + 1
    if len(by_article) >= 2:
        anchors = {s for s, n in counts.items() if n >= 2}
        needed: set[str] = set()
    else:
        # One article's sentence: its distinctive words anchor only together with a
        # specific figure ("1,200"), the detail that makes a fact checkable. Measured on
        # DUC 2007: SCU-pairs F1 0.386 -> 0.391, all-pairs F1 unchanged (0.103).
        anchors = set(counts)
        needed = {s for s in anchors if _SPECIFIC_NUMBER.fullmatch(s)}
        if not needed:
            return members
    if len(anchors) < 2:
        return members
    mean = units.scores[:, members].mean(axis=1)
    added = []
    for article in sorted(units.by_article.keys() - by_article.keys()):
        best: tuple[int, float, int] | None = None
        for u in units.of(article):
            used = anchors & u.stems
            if (
                len(used) < 2
                or mean[u.index] < ANCHOR_MIN_SCORE
                or (needed and not needed & u.stems)
            ):
                continue
            hits = _distinct(used, u.text)
            if hits < 2:
                continue
            if _version_of_another(units, u, members, by_article, used):
                continue
            key = (hits, float(mean[u.index]), -u.index)
            if best is None or key > best:
                best = key
        if best is not None:
            added.append(-best[2])
    return members + added


def _distinct(anchors: set[str], text: str) -> int:
    """How many facts ``anchors`` (stems of ``text``) name: the words of one name are one.

    A person's name and title take several words ("Transport Minister Petra Dovanek"),
    each a distinctive stem, so any sentence about that person would share "two anchors"
    with a claim about something else the person did or said: one speaker's two
    remarks, an official's trip and her statement. A name is one anchor.
    """
    count, seen = 0, set[str]()
    for run in _name_runs(text):
        if run & anchors:
            count += 1
            seen |= run & anchors
    return count + len(anchors - seen)


@functools.lru_cache(maxsize=20_000)
def _name_runs(text: str) -> tuple[frozenset[str], ...]:
    """The stems of each run of capitalised words of ``text`` (a name with its title,
    and the age that follows it)."""
    return tuple(
        frozenset(stem(w) for w in WORD.findall(m.group())) for m in _NAMED_RUN.finditer(text)
    )


def _version_of_another(
    units: StoryUnits, unit: Unit, members: Sequence[int], articles: Iterable[str], used: set[str]
) -> bool:
    """Whether ``unit`` is a version (copied or paraphrased, as ``reuse`` reads a pair
    of sentences) of another sentence of one of the claim's articles that has every
    anchor ``unit`` shares with the claim: it then states what that sentence states."""
    row = units.scores[unit.index]
    for article in articles:
        own = units.by_article[article]
        best = own[int(np.argmax(row[list(own)]))]
        if (
            best not in members
            and row[best] >= PARAPHRASE_SCORE
            and used <= units.units[best].stems
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _ClauseIndex:
    """The clauses of each article and of each compound sentence, as rows of ``clauses``
    (whose first rows are the sentences, in the same order as ``units``)."""

    parts: dict[str, list[int]]  # article -> rows of its compound sentences' clauses
    pieces: dict[int, list[int]]  # compound sentence -> rows of its clauses

    @classmethod
    def of(cls, units: StoryUnits, clauses: StoryUnits) -> _ClauseIndex:
        parts: dict[str, list[int]] = {}
        pieces: dict[int, list[int]] = {}
        for u in clauses.units[len(units.units) :]:
            parts.setdefault(u.article, []).append(u.index)
            pieces.setdefault(u.sentence, []).append(u.index)
        return cls(parts, pieces)


def _attach_clauses(
    units: StoryUnits, clauses: StoryUnits, index: _ClauseIndex, members: list[int]
) -> list[int]:
    """Clause units (rows of ``clauses``), one per article not in the claim, that match
    the claim's sentences as well as ``_attach`` asks of a whole sentence."""
    present = {units.units[i].article for i in members}
    absent = [a for a in sorted(index.parts) if a not in present]
    if not members or not absent:
        return []
    mean = clauses.scores[:, members].mean(axis=1)
    added = []
    for article in absent:
        parts = index.parts[article]
        best = parts[int(np.argmax(mean[parts]))]
        if mean[best] >= ATTACH_THRESHOLD:
            added.append(best)
    return added


def _split_facts(clauses: StoryUnits, index: _ClauseIndex, rows: list[int]) -> list[list[int]]:
    """A claim whose compound sentences carry facts stated by different articles, as one
    claim per fact.

    When two or more of the claim's sentences are compound, their clauses are clustered
    like sentences are. If that gives two or more facts each stated in two or more
    articles, and not all by the same articles, each fact becomes a claim: a compound
    sentence counts for the facts its clauses state, a simple sentence for every fact
    (it was aligned as a whole), and a compound sentence none of whose clauses found a
    fact joins the fact its best clause matches.
    """
    compound = [r for r in rows if r in index.pieces]
    if len(compound) < 2:
        return [rows]
    pieces = [p for r in compound for p in index.pieces[r]]
    facts = [
        [pieces[k] for k in group] for group in _clusters(clauses.scores[np.ix_(pieces, pieces)])
    ]
    shared = [f for f in facts if len({clauses.units[p].article for p in f}) > 1]
    article_sets = {frozenset(clauses.units[p].article for p in f) for f in shared}
    if len(shared) < 2 or len(article_sets) < 2:
        return [rows]
    placed = {p for f in shared for p in f}
    for row in compound:
        if placed.isdisjoint(index.pieces[row]):
            fit = {
                (p, k): float(clauses.scores[p, f].mean())
                for p in index.pieces[row]
                for k, f in enumerate(shared)
            }
            piece, k = max(fit, key=lambda key: (fit[key], -key[0], -key[1]))
            shared[k].append(piece)
    simple = [r for r in rows if r not in index.pieces]
    return [sorted(f + simple) for f in shared]


def _stem_share(units: StoryUnits) -> dict[str, float]:
    """Each stem's sentence count over the most an anchor may have (1.0 is the limit).

    A headline restates its article's lead: its words count only where the article's
    body does not use them, or the words of the main event would look twice as common
    as they are. Words in half the headlines or more are the story's topic, never an
    anchor: "tear gas" in a story of police firing tear gas does not tell which of its
    facts a sentence states.
    """
    body: dict[str, set[str]] = {}
    for u in units.units:
        if not u.headline:
            body.setdefault(u.article, set()).update(u.stems)
    counts: dict[str, int] = {}
    for u in units.units:
        for s in u.stems:
            if not (u.headline and s in body.get(u.article, ())):
                counts[s] = counts.get(s, 0) + 1
    limit = max(2.0, ANCHOR_PER_ARTICLE * len(units.by_article))
    # A figure is never the topic: "14" in half the headlines is the fact they report.
    topic = {s for s in topic_stems([u.text for u in units.units if u.headline]) if s.isalpha()}
    return {s: float("inf") if s in topic else c / limit for s, c in counts.items()}


def _letters(text: str) -> str:
    """A text's letters and digits only, lower-cased: what two punctuations share."""
    return re.sub(r"[\W_]+", "", text.lower())


def _wordings(
    units: StoryUnits,
    members: Sequence[int],
    group_of: Mapping[str, int],
    pieces: Mapping[int, list[int]] | None = None,
) -> tuple[tuple[str, frozenset[str]], ...]:
    """The claim's candidate texts, best first, each with the articles that state it in
    full (its own among them): the claim's ``text`` is the first.

    ``report.json`` lists a claim's text beside its articles, which reads as "these
    articles say this"; a member that adds a second half ("..., and Tessau will draw
    from the Orlen reservoir during droughts") is stated in full only by its own
    article. So the candidates are the members and, for each compound member sentence
    (``pieces``: its clauses, rows of ``units``), the clause closest to the other
    articles' members: the part of it that states the claim's fact. Ranked as the brief
    ranks: first a sentence rather than a fragment; then the wording that the most
    independent groups, then articles, state in full (:mod:`copydesk.analyze.faithful`,
    each article's mentions read together); then a whole sentence rather than a clause;
    then the one that agrees most with the others (ties: the earliest). The articles
    that do not state the chosen text are the claim's ``partial``.
    """
    if len(members) == 1:
        only = units.units[members[0]]
        return ((only.text, frozenset({only.article})),)
    candidates = list(members) + _fact_clauses(units, members, pieces or {})
    centrality = units.scores[np.ix_(candidates, members)].sum(axis=1)
    full = stated_in_full(
        units, [units.units[i] for i in members], [units.units[i] for i in candidates]
    )

    def rank(k: int) -> tuple[bool, int, bool, int, int, bool, float, int]:
        unit = units.units[candidates[k]]
        groups = len({group_of[a] for a in full[k]})
        return (
            is_fragment(unit.text),
            -min(groups, 2),
            unit.headline,
            -groups,
            -len(full[k]),
            k >= len(members),
            -float(centrality[k]),
            k,
        )

    # Copies of one sentence in several articles are one wording, stated by them all.
    out: dict[str, frozenset[str]] = {}
    for k in sorted(range(len(candidates)), key=rank):
        text = units.units[candidates[k]].text
        out[text] = out.get(text, frozenset()) | full[k]
    return tuple(out.items())


def _fact_clauses(
    units: StoryUnits, members: Sequence[int], pieces: Mapping[int, list[int]]
) -> list[int]:
    """For each compound sentence among ``members``, its clause that scores highest with
    the members of other articles (the one that states the claim's fact)."""
    out: list[int] = []
    for i in members:
        mine = [p for p in pieces.get(i, ()) if p not in members and _finite(units, i, p)]
        others = [j for j in members if units.units[j].article != units.units[i].article]
        if mine and others:
            block = units.scores[np.ix_(mine, others)].mean(axis=1)
            out.append(mine[int(np.argmax(block))])
    return out


def _finite(units: StoryUnits, sentence: int, clause: int) -> bool:
    """Whether a clause reads as a sentence: not the participle after ", with" ("...,
    with officials saying nobody was hurt" gives "officials saying nobody was hurt")."""
    whole, part = units.units[sentence], units.units[clause]
    return not whole.text[: part.start - whole.start].rstrip().lower().endswith("with")


@dataclass(frozen=True, slots=True)
class _Draft:
    """A claim before it is numbered: ``wordings`` are its candidate texts, best first."""

    groups: int
    articles: tuple[str, ...]
    mentions: tuple[Mention, ...]
    wordings: tuple[tuple[str, frozenset[str]], ...]  # each with who states it in full


def align_claims(
    units: StoryUnits,
    group_of: Mapping[str, int],
    clauses: StoryUnits | None = None,
    published: Mapping[str, dt.date | None] | None = None,
) -> list[Claim]:
    """Claims ordered by independent support, then by articles, then by first mention.

    ``units`` are whole sentences; ``clauses`` (from ``split_clauses``), when given,
    lets the clauses of compound sentences join claims too.
    """
    order = {u.article: i for i, u in reversed(list(enumerate(units.units)))}
    drafts: list[_Draft] = []
    share = _stem_share(units)
    reading = _Reading.of(units, share, published or {})
    index = _ClauseIndex.of(units, clauses) if clauses is not None else None
    left_out: list[int] = []
    for members in _clusters(units.scores):
        members = _anchor_expand(units, _attach(units, sorted(members)), reading)
        if len({units.units[i].article for i in members}) > 1:
            members = [i for i in members if len(units.units[i].text.split()) >= 3]
            kept = _drop_other_facts(units, reading, members)
            left_out += [i for i in members if i not in kept]
            members = kept
        if clauses is None or index is None:
            facts = [(units, members)]
        else:
            rows = members + _attach_clauses(units, clauses, index, members)
            facts = [(clauses, fact) for fact in _split_facts(clauses, index, rows)]
        for level, fact in facts:
            mentions = sorted(
                {level.units[i].mention for i in fact}, key=lambda m: (order[m.article], m.start)
            )
            if not mentions:
                continue
            articles = tuple(dict.fromkeys(m.article for m in mentions))
            groups = len({group_of[a] for a in articles})
            drafts.append(
                _Draft(
                    groups,
                    articles,
                    tuple(mentions),
                    _wordings(level, fact, group_of, index.pieces if index else None),
                )
            )
    # A sentence that joined the claim of its fact in other articles is not also a
    # single-source claim of its own. (When it joined by anchoring, it may say more than
    # that fact; what more it says is then not listed as a single-source claim.)
    corroborated = {m for d in drafts if len(d.articles) > 1 for m in d.mentions}
    drafts = [d for d in drafts if len(d.articles) > 1 or not corroborated.issuperset(d.mentions)]
    # Two sentences that each anchor the other ("1999" in both) make one claim, not two.
    unique: dict[frozenset[Mention], _Draft] = {}
    for d in drafts:
        unique.setdefault(frozenset(d.mentions), d)
    drafts = list(unique.values())
    # A statement taken out of a claim it only resembled is a claim of its own, unless
    # another claim already holds it.
    held = {m for d in drafts for m in d.mentions}
    for i in dict.fromkeys(left_out):
        unit = units.units[i]
        if unit.mention not in held:
            held.add(unit.mention)
            only = ((unit.text, frozenset({unit.article})),)
            drafts.append(_Draft(1, (unit.article,), (unit.mention,), only))
    drafts.sort(
        key=lambda d: (
            -d.groups,
            -len(d.articles),
            order[d.mentions[0].article],
            d.mentions[0].start,
        )
    )
    # A sentence that states two facts is the best wording of both claims; the second
    # takes its next best wording, so that two claims read the same only when one of
    # them has no other wording (its mentions are verbatim copies of one sentence).
    claims = []
    used: set[str] = set()
    for i, d in enumerate(drafts):
        # Wordings that differ only in punctuation ("authority's", "authority’s") are one.
        text, full = next((w for w in d.wordings if _letters(w[0]) not in used), d.wordings[0])
        used.add(_letters(text))
        claims.append(
            Claim(
                id=f"c{i + 1}",
                text=text,
                mentions=d.mentions,
                articles=d.articles,
                groups=d.groups,
                partial=tuple(a for a in d.articles if a not in full),
            )
        )
    return claims
