"""Sentence splitting with character offsets, one paragraph at a time.

nupunkt (a Punkt implementation trained on legal and news English) handles quotes,
ordinary full stops and most abbreviations; splitting per paragraph keeps a headline or
a paragraph without final punctuation from running into the next one. Every full stop
followed by a space then gets a second look, a cheap test on the words either side:

* After an ordinary lower-case word. nupunkt's learned abbreviations include thousands
  of ordinary words ("enter", "story"), so "lorries could enter. Witnesses said" stayed
  one sentence. Such a word before a full stop and a capitalised word is a boundary
  unless it is one of the few lower-case abbreviations news copy uses ("etc.", "vs.").
* After an abbreviation news copy writes with full stops: a dotted acronym ("R.N.C.",
  "U.S.", "a.m."), an initial ("J."), a title ("Gov.", "Sen.", "Lt.") or a month, state
  or company word ("Jan.", "Calif.", "Corp."). nupunkt does not know most dotted
  acronyms, so it split "A spokesman for the R.N.C. | did not respond" and the headline
  "Decision on R.N.C. | Run"; and it split "U.S. | Secretary of State". A title never
  ends a sentence; the others end one only where the next word is one that opens
  sentences (a pronoun, article, conjunction or sentence adverb: "U.S. The next day"),
  where a quotation opens, or after a place ("in Murphy, N.C. Rudolph surfaced").
  Otherwise the capitalised word that follows is read as part of a name ("U.S.
  Secretary", "R.N.C. Run", "p.m. Friday"). The known cost: a sentence that ends in an
  abbreviation and goes on with a name or a noun ("sent to the U.S. Officials said")
  stays joined. A headline (no final punctuation, or no lower-case word of four
  letters) never splits at an abbreviation, nor does a label at a sentence's start
  ("Q. What was ..."). Where a month, state or company word that is also a plain word
  ("Mass.", "No.", "Co.") meets none of these tests, nupunkt's verdict stands.
* Before a lower-case word or a closing mark (",", ")"): never a sentence start, so such
  a split ("(R-La. | ), the chairman") is undone.

The second look visits full stops only, with string tests and small anchored regular
expressions, so its cost stays below nupunkt's own on every article.
"""

from __future__ import annotations

import re

from copydesk.models import Sentence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LOWER_ABBREVIATIONS = _words("etc vs approx est al cf viz incl esp resp ibid seq")
# Abbreviations that stand before a name and so never end a sentence.
_TITLES = _words(
    "Mr Mrs Ms Messrs Mmes Dr Drs Gov Govs Sen Sens Rep Reps Lt Col Gen Gens Capt Cmdr "
    "Cpl Sgt Maj Adm Rev Prof Hon Pvt Spc Atty Supt Det Insp Amb Brig Msgr Fr Pres"
)
# Abbreviations that may end a sentence: months, company and address words.
_ENDING = _words(
    "Jan Feb Mar Apr Aug Sep Sept Oct Nov Dec "
    "Inc Corp Co Cos Ltd Bros Assn Dept Univ Jr Sr St Ave Blvd Rd Mt Ft No Nos"
)
# States as news copy abbreviates them after a city ("Murphy, N.C."); not "D.C.",
# which often goes on as a name ("the Washington, D.C. Admission Act").
_STATES = _words(
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn "
    "Miss Mo Mont Neb Nebr Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wisc Wyo "
    "N.C S.C N.D S.D N.H N.J N.M N.Y R.I W.Va"
)
# Words that open sentences far more often than they continue a name: after an
# abbreviation they mark a new sentence ("U.S. The", "Corp. He", "p.m. In").
_OPENERS = _words(
    "the a an this that these those there here their they he she it its we i you his her "
    "our my but and or so yet still however meanwhile also then now later earlier last "
    "next after before in on at for from by with without when while where what who why "
    "how if although though because since as until unless under over among during "
    "despite some many most several few each every all both no none one two three four "
    "five six seven eight nine ten other another such instead indeed moreover thus "
    "already only even just not nor nothing nobody everyone everybody everything someone "
    "somebody something anyone anybody anything"
)
# After a place they continue the sentence: "in Washington, D.C. Thursday".
_DAYS_AND_MONTHS = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December"
)

_PARAGRAPH = re.compile(r"[^\n]+")
_STOP = re.compile(r"\.\s+")
# The word that a full stop ends (searched in a short window that ends at the stop).
_BEFORE = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]+$")
# What may stand right before the word: opening marks, or a hyphen ("then-Rep.").
_OPENING_MARKS = frozenset("\"'“‘([-")
# What follows the space: opening marks, then the next word.
_AFTER = re.compile(r"(?P<lead>[\"“‘'(\[]*)(?P<next>\S+)")
_CAPITALISED = re.compile(r"[\"“‘(]?[A-Z][a-z]")
_INITIAL = re.compile(r"[A-Z]\.")
_WORD = re.compile(r"[A-Za-z]+")
# What never starts a sentence: a lower-case word (but "eBay", "iPhone" may), a closer.
_NO_START = re.compile(r"[a-z]+(?![A-Za-z]*[A-Z])|[,;:)\]]")
# A city and its comma before a state's abbreviation.
_PLACE = re.compile(r"[A-Z][a-z]+, $")
# Nothing but a sentence end before an initial: it is a label ("Q. What", "A. The").
_LABEL = re.compile(r"(?:^|[.?!:\"”]\s+)$")
_SPACE = re.compile(r"\s*")
_TERMINAL = frozenset(".?!…\"'”’)")
# A lower-case word of four letters or more: the paragraph is not a title-case headline.
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}")


def _ends_sentence(
    para: str, start: int, token: str, after: re.Match[str], headline: bool
) -> bool | None:
    """Whether the full stop that ends ``token`` (at ``para[start:]``) ends a sentence;
    None where nupunkt's verdict stands."""
    lead, nxt = after.group("lead"), after.group("next")
    stem = token[:-1]
    if stem.islower() and "." not in stem:
        if len(stem) >= 3 and stem not in _LOWER_ABBREVIATIONS and _CAPITALISED.match(lead + nxt):
            return True  # an ordinary word that nupunkt took for an abbreviation
        return None
    name = stem.capitalize()
    dotted = "." in stem or len(stem) == 1
    if not dotted and name not in _TITLES and name not in _ENDING and name not in _STATES:
        return None
    if (not lead and _NO_START.match(nxt)) or nxt[0].isdigit() or name in _TITLES or headline:
        return False
    if _INITIAL.fullmatch(nxt) or (
        len(stem) == 1 and _LABEL.search(para, max(0, start - 9), start)
    ):
        return False
    if lead[:1] in ('"', "“") and nxt[0].isupper():
        return True
    word = _WORD.match(nxt)
    if word and word.group().lower() in _OPENERS:
        return True
    place = stem in _STATES and _PLACE.search(para, max(0, start - 40), start)
    if word and place and word.group() not in _DAYS_AND_MONTHS:
        return True
    # A word that is also a plain word ("Mass.", "No.", "Co.") goes back to nupunkt.
    return False if dotted or not word else None


def _second_look(para: str, headline: bool) -> dict[int, bool]:
    """For each full stop worth a second look, where the next sentence would start and
    whether it does."""
    verdicts: dict[int, bool] = {}
    for stop in _STOP.finditer(para):
        before = _BEFORE.search(para, max(0, stop.start() - 24), stop.start())
        after = _AFTER.match(para, stop.end())
        if before is None or after is None:
            continue
        start = before.start()
        if start > 0 and not para[start - 1].isspace() and para[start - 1] not in _OPENING_MARKS:
            continue
        token = para[start : stop.start() + 1]
        verdict = _ends_sentence(para, start, token, after, headline)
        if verdict is not None:
            verdicts[stop.end()] = verdict
    return verdicts


def _skip_space(para: str, at: int) -> int:
    """The first offset from ``at`` on that is not whitespace."""
    space = _SPACE.match(para, at)
    return space.end() if space else at


def _sentence_starts(para: str) -> list[int]:
    """Sorted offsets in ``para`` where sentences start."""
    import nupunkt

    starts = {_skip_space(para, start) for start, _ in nupunkt.sent_spans(para)}
    starts = {s for s in starts if s < len(para) and not _NO_START.match(para, s)}
    headline = para.rstrip()[-1:] not in _TERMINAL or _LOWER_WORD.search(para) is None
    for at, verdict in _second_look(para, headline).items():
        (starts.add if verdict else starts.discard)(at)
    first = _skip_space(para, 0)
    return sorted(starts - {first} | {first})


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` as spans; whitespace is never inside a span's ends."""
    out: list[Sentence] = []
    for para in _PARAGRAPH.finditer(text):
        chunk, base = para.group(), para.start()
        if not chunk.strip():
            continue
        starts = _sentence_starts(chunk)
        for a, b in zip(starts, [*starts[1:], len(chunk)], strict=True):
            end = a + len(chunk[a:b].rstrip())
            if end > a:
                out.append(Sentence(base + a, base + end))
    return tuple(out)
