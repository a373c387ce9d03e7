"""An extractive brief: source sentences only, each citing the articles that state it.

Claims backed by the most independent groups come first, then the most central; a
sentence too close to one already chosen is skipped. Then the single-source claims, then
the discrepancies, each variant in its own words.

A citation says "this source says this", so a sentence cites only the articles whose
aligned wording states all of it (:func:`copydesk.analyze.faithful.states`: its figures,
dates, names and main content). Two sentences the aligner joins may still differ in
what they say (one adds a second half), so of a claim's wordings the brief shows the one
that the most independent groups state in full; a claim whose every wording is stated
by its own article only is listed with the single-source lines.

So that the brief reads as an account:

* no fragments: a line under :data:`MIN_WORDS` words or with no verb is not a sentence
  (a split at an abbreviation, a kicker, a byline);
* no headline where a body sentence says the same: of a claim's wordings a body
  sentence is preferred, and a headline is dropped when a line of the brief states it;
* an order that follows the story, within each section: what happened first, then the
  reactions (quoted words, or a verb of reacting: condemned, urged, denied, ...), then
  the background (what had happened before: "had ...ed", "last year", "in 2019", "earlier",
  "former"). These are word cues, not a parse; a line that fits none is what happened,
  and lines keep their rank (most corroborated first) within each part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from copydesk.analyze.discrepancy import same_version
from copydesk.analyze.faithful import facts, states, states_facts, wordings
from copydesk.analyze.tokens import quotes
from copydesk.analyze.units import StoryUnits, Unit
from copydesk.models import Article, BriefSentence, Claim, Discrepancy, Mention

DEFAULT_WORDS = 150
REDUNDANT = 0.8  # cosine above which a sentence repeats one already in the brief
MIN_WORDS = 5  # a shorter line is a fragment ("Run", "A spokesman for the R.N.C.")
# Discrepancies whose versions cannot both be true. A qualifier is not one of them: "aid"
# does not deny "non-lethal aid".
CONTRADICTING = frozenset({"quote", "number", "date", "name", "modality", "negation"})

# A verb, read from words alone (no tagger ships with copydesk): an auxiliary or a common
# irregular past, or a lower-case word ending as verbs do. Plural nouns end in -s too, so
# this rejects only lines with no verb-like word at all ("A spokesman for the committee").
_VERB_WORDS = (
    "is are was were be been being am has have had do does did said says say told will "
    "would can could may might must should shall went made took met led held won lost "
    "fell rose left sent began came gave got put ran saw set hit cut let struck found "
    "kept shot fought spoke wrote paid sold became brought thought stood meant "
    "knew grew drew flew threw broke chose froze stole swore tore wore"
)
_VERBS = frozenset(_VERB_WORDS.split())
_VERB_ENDING = re.compile(r"[a-z]{2,}(?:ed|ing|s|en)$")
_REACTION = re.compile(
    r"\b(?:condemn|critici[sz]|welcom|urg|warn|prais|denounc|vow|respond|react|slam|"
    r"reject|den(?:y|ied|ies)|accus|insist|argu|apologi[sz]|call(?:ed|s)? (?:on|for))\w*",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:had (?:been |not |never |already )?\w+(?:ed|en|t)\b|previous\w*|earlier\b|"
    r"last (?:year|month|week|spring|summer|autumn|fall|winter)|(?:in|since) (?:19|20)\d\d|"
    r"former\b|\w+ years? ago|first time|history)",
    re.IGNORECASE,
)


def is_fragment(text: str) -> bool:
    """Whether a line is too short to be a sentence, or has no verb."""
    words = re.findall(r"[\w’'.-]+", text)
    if len(words) < MIN_WORDS:
        return True
    return not any(
        w.lower() in _VERBS or (i > 0 and _VERB_ENDING.match(w)) for i, w in enumerate(words)
    )


def role(text: str) -> int:
    """Where a line goes in the story: 0 what happened, 1 a reaction, 2 background."""
    if quotes(text) or _REACTION.search(text):
        return 1
    if _BACKGROUND.search(text):
        return 2
    return 0


def stated_in_full(
    units: StoryUnits, members: Sequence[Unit], candidates: Sequence[Unit] | None = None
) -> list[frozenset[str]]:
    """For each of a claim's members (or each of ``candidates``, other wordings of it
    such as its members' clauses), the articles whose wording of the claim (their
    members read together, :func:`copydesk.analyze.faithful.wordings`) states it in full,
    its own article among them: by its stems, or as a rewrite whose closest member's
    vector is near enough (:data:`copydesk.analyze.faithful.RESTATED`). The brief cites
    by it, and the aligner chooses a claim's text and its ``partial`` by it."""
    said = wordings((u.mention, u.text) for u in members)
    wanted = members if candidates is None else candidates
    cosine = units.vectors[[u.index for u in wanted]] @ units.vectors[[u.index for u in members]].T
    out: list[frozenset[str]] = []
    for u, row in zip(wanted, cosine.tolist(), strict=True):
        near: dict[str, float] = {}
        for other, value in zip(members, row, strict=True):
            near[other.article] = max(near.get(other.article, -1.0), value)
        mine = facts(u.text)
        full = {a for a, theirs in said.items() if states_facts(mine, theirs, cosine=near[a])}
        out.append(frozenset(full | {u.article}))
    return out


def _pick_mention(
    claim: Claim,
    units: StoryUnits,
    disputed: Sequence[Discrepancy],
    group_of: Mapping[str, int],
) -> tuple[Mention, tuple[str, ...]]:
    """The claim's wording for the brief, and the articles it may cite.

    First a sentence rather than a fragment; then a wording that two independent
    groups or more state in full (a corroborated line); then a body sentence rather
    than the title; then the wording the most groups, then articles, state in full;
    then a whole sentence that gives none of the claim's disputed details, when there
    is one (the discrepancies follow in the brief, each version in its own words); then
    the most self-contained: long enough, few quotes, most central.
    """
    index = units.by_mention
    members = [index[m] for m in claim.mentions if m in index]
    if len(members) == 1:
        only = members[0].mention
        return only, _supporting(claim.articles, only, disputed)
    cited = [
        tuple(a for a in _supporting(claim.articles, u.mention, disputed) if a in full)
        for u, full in zip(members, stated_in_full(units, members), strict=True)
    ]
    groups = [len({group_of.get(a, -1) for a in c}) for c in cited]
    ids = [u.index for u in members]
    block = units.scores[np.ix_(ids, ids)]

    def whole(unit: Unit) -> bool:
        return len(unit.text.split()) >= 8 and unit.text[:1].isupper()

    # One candidate per text (the first article's): copies of a sentence are one wording,
    # cited to the same articles, and a choice between them would rest on the last bits
    # of a float sum, which differ with the model's thread count (--workers 1 and 2).
    first: dict[str, int] = {}
    for i, u in enumerate(members):
        first.setdefault(u.text, i)
    best = max(
        first.values(),
        key=lambda i: (
            not is_fragment(members[i].text),
            min(groups[i], 2),
            not members[i].headline,
            groups[i],
            len(cited[i]),
            whole(members[i]) and not _versions(disputed, members[i].mention),
            float(block[i].sum())
            - 0.5 * members[i].text.count("“")
            - 0.5 * members[i].text.count('"')
            - (1.0 if len(members[i].text.split()) < 8 else 0.0)
            - (0.5 if not members[i].text[:1].isupper() else 0.0),
            -i,
        ),
    )
    return members[best].mention, cited[best]


def _letters(text: str) -> str:
    """A text's letters and digits only, lower-cased: what two punctuations share."""
    return re.sub(r"[\W_]+", "", text.lower())


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .,")


def _given(d: Discrepancy, mention: Mention) -> set[str]:
    """The versions of a disputed detail that ``mention`` gives (none: it leaves it out)."""
    return {
        v.text
        for v in d.variants
        if v.article == mention.article and mention.start <= v.start < mention.end
    }


def _versions(
    disputed: Sequence[Discrepancy], mention: Mention
) -> list[tuple[Discrepancy, set[str]]]:
    """Each contradicted detail ``mention`` gives, with the versions of it it gives."""
    return [
        (d, given) for d in disputed if d.kind in CONTRADICTING and (given := _given(d, mention))
    ]


def _supporting(
    articles: Sequence[str], mention: Mention, disputed: Sequence[Discrepancy]
) -> tuple[str, ...]:
    """``articles`` less those that give a disputed detail of the chosen sentence
    otherwise: "14 injured" is not cited to the article that says 17."""
    given = _versions(disputed, mention)

    def agrees(article: str) -> bool:
        for d, mine in given:
            theirs = {v.text for v in d.variants if v.article == article}
            if theirs and not any(same_version(d.kind, x, y) for x in mine for y in theirs):
                return False
        return True

    return tuple(a for a in articles if agrees(a))


def _select(
    claims: Sequence[Claim],
    units: StoryUnits,
    words: int,
    section: str,
    picked: list[int],
    disputed: Mapping[str | None, Sequence[Discrepancy]],
    group_of: Mapping[str, int],
) -> list[BriefSentence]:
    """Greedy selection within a word budget, skipping fragments and near-repeats: the
    lines citing the most independent groups first, then in claim order. Titles are
    weighed last, so that a body sentence saying the same is in the brief first and
    the title is dropped for it."""
    index = units.by_mention
    chosen = [
        (claim, *_pick_mention(claim, units, disputed.get(claim.id, ()), group_of))
        for claim in claims
    ]
    # A line is ranked by the groups it cites, not by the claim's: a claim of two groups
    # whose wording only one of them states in full is a line of one group.
    chosen.sort(key=lambda c: (index[c[1]].headline, -len({group_of.get(a, -1) for a in c[2]})))
    out: list[BriefSentence] = []
    used = 0
    for claim, mention, sources in chosen:
        unit = index[mention]
        # The tests run cheapest first; the vectors last (a story of one article
        # embeds only the lines that reach that test).
        size = len(unit.text.split())
        if is_fragment(unit.text) or (out and used + size > words):
            continue
        # Two wordings that differ only in punctuation ("dockworkers'" and "dockworkers’")
        # are one line, whatever their vectors.
        if _letters(unit.text) in {_letters(units.units[i].text) for i in picked}:
            continue
        # A title, or any line, that a line already in the brief states in full (its
        # figures, dates, names and content: a clause of an earlier sentence, a title
        # beside its lead) would say the same fact twice.
        if _said(unit.text, [units.units[i].text for i in picked]):
            continue
        if picked and float(np.max(units.vectors[picked] @ units.vectors[unit.index])) > REDUNDANT:
            continue
        groups = len({group_of.get(a, -1) for a in sources})
        out.append(BriefSentence(unit.text, sources, groups, claim.id, section, mention))
        picked.append(unit.index)
        used += size
        if used >= words:
            break
    return out


def _said(title: str, lines: Sequence[str]) -> bool:
    """Whether a line of the brief already states ``title`` (a title or a line) in full."""
    mine = facts(title)
    return any(states_facts(mine, facts(line)) for line in lines)


def _in_story_order(lines: Sequence[BriefSentence]) -> list[BriefSentence]:
    """What happened, then reactions, then background; rank kept within each."""
    return sorted(lines, key=lambda b: role(b.text))


def write_brief(
    claims: Sequence[Claim],
    discrepancies: Sequence[Discrepancy],
    articles: Mapping[str, Article],
    units: StoryUnits,
    group_of: Mapping[str, int],
    words: int = DEFAULT_WORDS,
) -> list[BriefSentence]:
    """``words`` bounds the corroborated part; single-source claims get half as many more.

    Each part is in story order (:func:`role`); the discrepancy lines follow.
    """
    picked: list[int] = []
    # A detail's mentions are phrases, not sentences that could stand in a brief.
    stated = [c for c in claims if c.kind == "statement"]
    shared = [c for c in stated if len(c.articles) > 1]
    single = [c for c in stated if len(c.articles) == 1]
    disputed: dict[str | None, list[Discrepancy]] = {}
    for d in discrepancies:
        disputed.setdefault(d.claim, []).append(d)
    lines = _select(shared, units, words, "corroborated", picked, disputed, group_of)
    # A claim of several articles whose every wording only its own article states in
    # full is, in the words the brief shows, single-source.
    moved = [
        BriefSentence(b.text, b.sources, b.groups, b.claim, "single-source", b.mention)
        for b in lines
        if len(b.sources) < 2
    ]
    corroborated = [b for b in lines if len(b.sources) >= 2]
    alone = moved + _select(single, units, words // 2, "single-source", picked, disputed, group_of)
    brief = _in_story_order(corroborated) + _in_story_order(alone)
    brief += _disputed(discrepancies, articles, group_of)
    return brief


def _disputed(
    discrepancies: Sequence[Discrepancy],
    articles: Mapping[str, Article],
    group_of: Mapping[str, int],
) -> list[BriefSentence]:
    """Sentences giving each version of a disputed detail, each citing the articles that
    give the version and state the sentence in full: the first article's sentence, then,
    for an article giving the version in a sentence that says something else, that
    sentence too (citing a version is not citing what the sentence around it says)."""
    out: list[BriefSentence] = []
    seen: set[tuple[str | None, str]] = set()
    for d in discrepancies:
        versions: dict[str, dict[str, Mention]] = {}
        for v in d.variants:
            by_article = versions.setdefault(_norm(v.text), {})
            by_article.setdefault(v.article, _sentence_span(articles[v.article], v.start))
        for spans in versions.values():
            texts = {a: articles[a].text[m.start : m.end] for a, m in spans.items()}
            covered: set[str] = set()
            for article, span in spans.items():
                if article in covered:
                    continue
                text = texts[article]
                sources = tuple(
                    a
                    for a in spans
                    if a == article or (a not in covered and states(texts[a], text))
                )
                covered.update(sources)
                if (d.claim, text) in seen:
                    continue
                seen.add((d.claim, text))
                groups = len({group_of.get(a, -1) for a in sources})
                out.append(
                    BriefSentence(text, sources, groups, d.claim, f"discrepancy:{d.kind}", span)
                )
    return out


def _sentence_span(article: Article, offset: int) -> Mention:
    for s in article.sentences:
        if s.start <= offset < s.end:
            return Mention(article.id, s.start, s.end)
    return Mention(article.id, offset, offset)
