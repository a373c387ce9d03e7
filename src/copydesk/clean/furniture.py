"""Page furniture: the lines of a scraped page that are not the article.

Each rule matches a whole line and names its reason, so that every removal can be
audited. The rules only ever match short lines of a recognisable shape (markers,
prompts, credits, counters); a sentence of real body text never matches them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_I = re.I


def _words(line: str) -> int:
    return len(line.split())


_WEATHER = re.compile(
    r"^(?:[A-Z][\w .'-]{0,30}\s)?-?\d{1,3}(?:[.,]\d)?\s*°?\s*[CF]\b\.?"
    r"(?:\s+[A-Za-z ]{0,20})?$"
)
_AD = re.compile(
    r"^[\W_]*(?:advertisements?|advertising|sponsored(?: content)?|ad|"
    r"story continues below(?: advertisement)?|continue reading below|"
    r"scroll to continue(?: with content)?)[\W_]*$",
    _I,
)
_COMMENT_FORM = re.compile(
    r"^(?:please enter your (?:comment|name|email)(?: address)?(?: here)?|"
    r"leave a (?:reply|comment)|"
    r"post a comment|add (?:a|your) comment|(?:no|\d+) comments?|comments? are closed|"
    r"cancel reply|you must be logged in to post a comment|save my name, email,? and website in "
    r"this browser for the next time i comment|your email address will not be published.*|"
    r"required fields are marked.*|join the (?:conversation|discussion)|"
    r"be the first to comment|view comments|show comments|comments?)[\s!:.*]*$",
    _I,
)
_PROMPT_WORDS = re.compile(
    r"\b(?:share|subscribe|subscription|donate|donation|newsletter|follow us|sign up|sign in|"
    r"log in|register|click here|download (?:our|the) app|print|email|e-mail|whatsapp|"
    r"facebook|twitter|telegram|linkedin|reddit|pinterest|copy link|support (?:us|our)|"
    r"become a (?:member|patron)|tip us|send us)\b",
    _I,
)
_PHOTO_CREDIT = re.compile(
    r"^(?:\(?\s*(?:cover|photo|photos|image|images|picture|pictures|credit|credits|photograph|"
    r"illustration|pictured|main image|top image|file photo|featured image|video)"
    r"(?:\s+(?:credit|credits|by|courtesy(?: of)?|source))?\s*[:|/–—-]\s*.+|"
    r".{0,60}\b(?:getty images|shutterstock|afp via getty|ap photo|reuters/|epa-efe|"
    r"istock(?:photo)?)\b.{0,40})$",
    _I,
)
_COUNTER = re.compile(r"^\d[\d,. ]*\s*(?:views?|reads?|shares?|likes?|comments?)$", _I)
_READ_TIME = re.compile(r"^\d+\s*(?:min(?:ute)?s?)\s*read$", _I)
_META = re.compile(
    r"^(?:tags?|filed under|categor(?:y|ies)|topics?|related topics|keywords)\s*:.*$"
    r"|^(?:©|\(c\)|copyright\b).*$|^.*\ball rights reserved\.?$",
    _I,
)
_NAV = re.compile(
    r"^(?:skip to (?:main )?content|menu|search|home|loading\.*|back to top|"
    r"read more|read next|see also|more|next article|previous article|"
    r"(?:home|news)\s*[>»›/|].*)$",
    _I,
)
_TEASER_HEADING = re.compile(
    r"^(?:(?:latest|related|more|recommended|popular|trending|top|other|recent|most read|"
    r"most popular|editor'?s? picks?|you may also like|you might also like|also read|"
    r"read (?:more|also|next)|don'?t miss|in other news|more from [\w .'-]{1,40}|"
    r"more (?:stories|news|articles) from [\w .'-]{1,40})"
    r"(?:\s+(?:stories|news|articles|posts|reads|headlines|from [\w .'-]{1,40}))?)\s*:?$",
    _I,
)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,4}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*$"
)
_ELLIPSIS = ("...", "…")


def line_reason(line: str) -> str | None:
    """Why a single line is furniture, or None when it may be article text."""
    if _AD.match(line):
        return "advertisement marker"
    if _WEATHER.match(line):
        return "weather widget"
    if _COUNTER.match(line) or _READ_TIME.match(line):
        return "counter"
    if _words(line) <= 14 and _COMMENT_FORM.match(line):
        return "comment form"
    if _words(line) <= 16 and _PHOTO_CREDIT.match(line):
        return "photo credit"
    if _words(line) <= 12 and _META.match(line):
        return "tags or copyright"
    if _words(line) <= 6 and _NAV.match(line):
        return "navigation"
    if _is_prompt(line):
        return "share, subscribe or donate prompt"
    return None


def _is_prompt(line: str) -> bool:
    """Short calls to action: 'Donate Subscribe to our news', 'Share this article'."""
    if _words(line) > 10 or line.endswith(("?", '"', "”")):
        return False
    if line.endswith(".") and _words(line) > 4:
        return False
    hits = _PROMPT_WORDS.findall(line)
    if not hits:
        return False
    # A real sentence has a verb phrase around the keyword; a prompt is mostly keywords.
    return len(hits) >= 2 or _words(line) <= 6


def is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line)) and _words(line) <= 12


def is_teaser_heading(line: str) -> bool:
    return _words(line) <= 6 and bool(_TEASER_HEADING.match(line))


def looks_like_teaser_block(lines: Sequence[str]) -> bool:
    """Headlines and truncated snippets: short lines, many ending in an ellipsis."""
    content = [line for line in lines if line.strip()]
    if len(content) < 2:
        return bool(content) and _words(content[0]) <= 30
    short = sum(1 for line in content if _words(line) <= 30 or line.endswith(_ELLIPSIS))
    truncated = sum(1 for line in content if line.endswith(_ELLIPSIS))
    return short / len(content) >= 0.8 and (truncated >= 1 or len(content) <= 4)


def normalise(line: str) -> str:
    """A line's comparison key: case, quotes, punctuation and spacing ignored."""
    return re.sub(r"[\W_]+", " ", line.lower()).strip()


def is_truncated_copy(line: str, of: str) -> bool:
    """A breadcrumb or teaser: ``line`` ends in an ellipsis and restates the start of ``of``.

    Breadcrumbs often glue the section name to the headline (``WorldPutin cautions...``),
    so the truncated text may start a few characters into ``line``.
    """
    if not line.endswith(_ELLIPSIS):
        return False
    stem = normalise(line.rstrip(".… "))
    target = normalise(of)
    if len(stem) < 15 or stem == target:
        return False
    return any(target.startswith(stem[k:]) for k in range(0, min(25, len(stem) - 10)))
