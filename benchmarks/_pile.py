"""A large pile with a known story structure, built from the public corpora at run time.

Nothing here is stored in the project: the text comes from ``../shared/corpora`` each
time (and is cached outside the repository). The pile holds:

* real reports of one event by several outlets (BASIL, AllSides via NeuS: the raw
  crawl and the left/centre/right snippet triplets with the editors' neutral summary),
  whose gold story is their event;
* real articles of other kinds (DUC 2007 at most one per topic and fortnight, the
  article-extraction benchmark, one WikiRef article per topic), each its own story;
* "unrelated" articles stitched from sentences of many corpora (a title and lead
  used nowhere else, a body of random sentences), each its own story;
* derived articles of any of these, in the derived article's story: exact copies,
  light edits (a few words swapped, a paragraph dropped, a new headline) and rewrites
  (new headline, sentences dropped and reordered, words swapped) - see ``_derive``.

Every choice is drawn from a seeded generator, so the same arguments give the same
pile.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from _corpora import (
    BASIL,
    CORPORA,
    DUC,
    WIKIREF,
    CorpusMissing,
    _duc_document,
    allsides_crawl,
)

NEUS = CORPORA / "neus" / "data"
AEB = CORPORA / "aeb" / "ground-truth.json"
MRPC = CORPORA / "mrpc-train"
KINDS = ("original", "copy", "light edit", "rewrite")

_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z0-9])")
_SWAPS = {
    "said": "stated",
    "says": "states",
    "people": "individuals",
    "government": "administration",
    "police": "officers",
    "killed": "left dead",
    "told": "informed",
    "after": "following",
    "about": "around",
    "city": "town",
    "country": "nation",
    "announced": "declared",
    "company": "firm",
    "percent": "per cent",
    "officials": "authorities",
    "million": "mn",
    "reported": "disclosed",
    "week": "seven days",
    "also": "as well",
    "because": "since",
    "major": "big",
    "large": "big",
    "help": "assist",
    "began": "started",
    "show": "indicate",
    "shows": "indicates",
    "plan": "proposal",
    "new": "fresh",
    "called": "described",
    "children": "kids",
    "recent": "latest",
    "expected": "anticipated",
    "however": "but",
    "before": "ahead of",
    "while": "whereas",
}


@dataclass(frozen=True, slots=True)
class PileArticle:
    """One article of the pile and where it came from."""

    id: str
    title: str
    body: str
    published: dt.date | None
    story: str
    family: str
    kind: str

    def text(self) -> str:
        return f"{self.title}\n\n{self.body}"

    def to_json(self) -> str:
        record = {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "published": self.published.isoformat() if self.published else None,
            "story": self.story,
            "family": self.family,
            "kind": self.kind,
        }
        return json.dumps(record, ensure_ascii=False)

    @staticmethod
    def from_json(line: str) -> PileArticle:
        d = json.loads(line)
        published = dt.date.fromisoformat(d["published"]) if d["published"] else None
        return PileArticle(
            d["id"], d["title"], d["body"], published, d["story"], d["family"], d["kind"]
        )


@dataclass(frozen=True, slots=True)
class _Base:
    title: str
    paragraphs: tuple[str, ...]
    published: dt.date | None
    story: str


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if len(s.split()) >= 4]


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip())


# ---- real articles -----------------------------------------------------------------


def _basil() -> Iterator[_Base]:
    for path in sorted(BASIL.glob("*/*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = obj["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = json.loads(paragraphs)
        body = tuple(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs if p)
        date = dt.date.fromisoformat(obj["date"]) if obj.get("date") else None
        yield _Base(obj["title"], body, date, f"basil:{obj['triplet-uuid']}")


def _allsides_raw() -> Iterator[_Base]:
    for a in allsides_crawl():
        yield _Base(a.title, a.paragraphs, a.published, f"allsides:{a.story}")


_NEUS_ITEM = re.compile(r"TITLE=> (.*?)\. ARTICLE=> (.*)", re.S)


def _neus_triplets() -> Iterator[_Base]:
    folder = NEUS / "naacl2022_lrc_roundup_random_order_probe"
    for split in ("train", "val", "test"):
        sources = (folder / f"{split}.source").read_text(encoding="utf-8").splitlines()
        targets = (folder / f"{split}.target").read_text(encoding="utf-8").splitlines()
        for n, (source, target) in enumerate(zip(sources, targets, strict=True)):
            for item in [*source.split(" [SEP] "), target]:
                match = _NEUS_ITEM.match(item.strip())
                if match and len(match.group(2).split()) >= 12:
                    body = tuple(sentences(match.group(2))) or (match.group(2),)
                    yield _Base(match.group(1), body, None, f"neus:{split}:{n}")


def _duc_spread() -> Iterator[_Base]:
    """DUC documents, at most one per topic and 14 days: distinct events, most likely."""
    chosen: dict[str, list[dt.date]] = {}
    for path in sorted(p for p in (DUC / "main").rglob("*") if p.is_file()):
        topic = path.relative_to(DUC / "main").parts[0]
        doc = _duc_document(path)
        if doc.published is None or not doc.title:
            continue
        days = chosen.setdefault(topic, [])
        if any(abs((doc.published - d).days) < 14 for d in days):
            continue
        days.append(doc.published)
        body = _paragraphs(doc.raw.split("\n\n", 1)[1])
        yield _Base(doc.title, body, doc.published, f"duc:{path.name}")


def _aeb() -> Iterator[_Base]:
    truth = json.loads(AEB.read_text(encoding="utf-8"))
    for key in sorted(truth):
        paragraphs = _paragraphs(truth[key].get("articleBody") or "")
        if len(paragraphs) >= 3:
            yield _Base(paragraphs[0][:120], paragraphs[1:], None, f"aeb:{key[:12]}")


def _wikiref_one_per_topic() -> Iterator[_Base]:
    seen: set[str] = set()
    for path in sorted((WIKIREF / "WikiRef220").glob("*.txt")):
        topic = re.sub(r"(\s*\(\d+\)|\.\d+)$", "", path.stem).lower()
        if topic in seen:
            continue
        seen.add(topic)
        text = path.read_bytes().decode("cp1252", errors="replace").replace("\r\n", "\n")
        paragraphs = _paragraphs(text)
        if len(paragraphs) >= 3:
            yield _Base(paragraphs[0], paragraphs[1:], None, f"wikiref:{topic}")


def _sentence_pool() -> list[str]:
    """Sentences for stitched articles: bodies of DUC, WikiRef and AEB, and MRPC."""
    pool: list[str] = []
    for path in sorted(p for p in (DUC / "main").rglob("*") if p.is_file()):
        pool.extend(sentences(_duc_document(path).raw.split("\n\n", 1)[-1]))
    for path in sorted((WIKIREF / "WikiRef220").glob("*.txt")):
        pool.extend(sentences(path.read_bytes().decode("cp1252", errors="replace")))
    truth = json.loads(AEB.read_text(encoding="utf-8"))
    for key in sorted(truth):
        pool.extend(sentences(truth[key].get("articleBody") or ""))
    for path in sorted(MRPC.glob("*")):
        for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) == 5:
                pool.extend(sentences(parts[3]) + sentences(parts[4]))
    unique = sorted({" ".join(s.split()) for s in pool if 6 <= len(s.split()) <= 60})
    return unique


# ---- derived articles --------------------------------------------------------------


def _swap_words(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for k, word in enumerate(words):
        key = word.lower().strip(",.;:")
        if key in _SWAPS and rng.random() < rate:
            words[k] = word.replace(key, _SWAPS[key]) if word.islower() else word
    return " ".join(words)


def _headline_from(paragraph: str, rng: random.Random) -> str:
    words = paragraph.split()
    return " ".join(words[: rng.randint(7, 12)]).rstrip(",;:")


def _derive(base: _Base, kind: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A copy (same text), a light edit or a rewrite of ``base``: (title, paragraphs)."""
    paragraphs = list(base.paragraphs)
    if kind == "copy":
        return base.title, tuple(paragraphs)
    if kind == "light edit":
        if len(paragraphs) > 3:
            del paragraphs[rng.randrange(2, len(paragraphs))]
        paragraphs = [_swap_words(p, rng, 0.5) for p in paragraphs]
        title = base.title if rng.random() < 0.5 else _swap_words(base.title, rng, 1.0)
        if rng.random() < 0.5:
            title = f"{title} - report"
        return title, tuple(paragraphs)
    lead, rest = paragraphs[0], paragraphs[1:]
    kept = [s for p in rest for s in sentences(p) if rng.random() < 0.6]
    rng.shuffle(kept)
    body = [_swap_words(lead, rng, 0.8)]
    body += [" ".join(kept[k : k + 2]) for k in range(0, len(kept), 2)]
    return _headline_from(_swap_words(lead, rng, 0.8), rng), tuple(
        _swap_words(p, rng, 0.8) for p in body
    )


def _stitched(pool: list[str], leads: list[str], rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A title and two lead paragraphs used nowhere else, then a body of pool sentences."""
    title = _headline_from(leads.pop(), rng)
    opening = [f"{leads.pop()} {leads.pop()}", f"{leads.pop()} {leads.pop()}"]
    body = [rng.choice(pool) for _ in range(rng.randint(6, 20))]
    paragraphs = opening + [" ".join(body[k : k + 2]) for k in range(0, len(body), 2)]
    return title, tuple(paragraphs)


class _Babble:
    """A word-bigram chain over the sentence pool: fluent for a few words, about nothing.

    It makes as many unrelated articles as needed, where stitching real sentences runs
    out of titles and leads that are used nowhere else.
    """

    def __init__(self, pool: list[str]) -> None:
        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for sentence in pool:
            words = sentence.split()
            self.starts.append(words[0])
            for a, b in itertools.pairwise(words):
                self.next.setdefault(a, []).append(b)

    def sentence(self, rng: random.Random, low: int = 8, high: int = 30) -> str:
        words = [rng.choice(self.starts)]
        while len(words) < high:
            if len(words) >= low and words[-1][-1] in ".!?":
                break
            options = self.next.get(words[-1])
            words.append(rng.choice(options) if options else rng.choice(self.starts))
        text = " ".join(words)
        return text if text[-1] in ".!?" else text + "."

    def article(self, rng: random.Random) -> tuple[str, tuple[str, ...]]:
        title = self.sentence(rng, 6, 13).rstrip(".!?")
        paragraphs = tuple(
            " ".join(self.sentence(rng) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(8, 22))
        )
        return title, paragraphs


def _merge_shared_events(real: list[_Base]) -> list[_Base]:
    """One story label for events that two corpora both hold (the NeuS triplets and the
    AllSides crawl come from the same site): articles with the same headline link them."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.get(label, label) != label:
            label = parent[label]
        return label

    first_with_title: dict[str, str] = {}
    for base in real:
        key = " ".join(base.title.lower().split())
        other = first_with_title.setdefault(key, base.story)
        a, b = sorted((root(base.story), root(other)))
        if a != b:
            parent[b] = a
    return [_Base(b.title, b.paragraphs, b.published, root(b.story)) for b in real]


def build_pile(size: int = 100_000, seed: int = 7) -> list[PileArticle]:
    """``size`` articles in a shuffled order, with their gold story and derivation kind."""
    rng = random.Random(seed)
    try:
        real = [
            *_basil(),
            *_allsides_raw(),
            *_neus_triplets(),
            *_duc_spread(),
            *_aeb(),
            *_wikiref_one_per_topic(),
        ]
        pool = _sentence_pool()
    except FileNotFoundError as exc:
        raise CorpusMissing(f"{exc.filename} is absent: the pile is built from ../shared") from exc
    real = _merge_shared_events(real)
    # No stitched sentence may come from the part of a real article that grouping reads.
    openings = {s for b in real for s in sentences(" ".join(b.paragraphs)[:1500])}
    pool = [s for s in pool if s not in openings]
    leads = pool[:]
    rng.shuffle(leads)
    bases: list[tuple[_Base, str]] = [(b, f"real{k}") for k, b in enumerate(real)]
    # Originals make up about 55% of the pile: real, then stitched, then babbled ones.
    originals = max(len(bases), int(size * 0.55))
    stitched = min(len(leads) // 5, originals - len(bases))
    babble = _Babble(pool)
    for k in range(originals - len(bases)):
        if k < stitched:
            title, paragraphs = _stitched(pool, leads, rng)
        else:
            title, paragraphs = babble.article(rng)
        published = (
            dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(60))
            if rng.random() < 0.5
            else None
        )
        bases.append((_Base(title, paragraphs, published, f"unrelated:{k}"), f"unrelated{k}"))
    out = [
        PileArticle(
            "", b.title, "\n\n".join(b.paragraphs), b.published, b.story, family, "original"
        )
        for b, family in bases
    ]
    # Syndication is skewed: a few wire stories are copied again and again.
    order = list(range(len(bases)))
    rng.shuffle(order)
    popular = order[: max(1, len(order) // 50)]
    while len(out) < size:
        base, family = bases[rng.choice(popular) if rng.random() < 0.3 else rng.choice(order)]
        kind = rng.choices(KINDS[1:], weights=(0.45, 0.35, 0.20))[0]
        title, paragraphs = _derive(base, kind, rng)
        shift = dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        keep_date = base.published is not None and rng.random() >= 0.3
        published = base.published + shift if base.published and keep_date else None
        out.append(
            PileArticle("", title, "\n\n".join(paragraphs), published, base.story, family, kind)
        )
    out = out[:size]
    rng.shuffle(out)
    return [
        PileArticle(f"a{k:06d}", a.title, a.body, a.published, a.story, a.family, a.kind)
        for k, a in enumerate(out)
    ]


def cached_pile(size: int, seed: int, cache: Path) -> list[PileArticle]:
    """The pile from ``cache`` when it holds this size and seed, else built and saved."""
    path = cache / f"pile-{size}-{seed}.jsonl"
    if path.exists():
        return [
            PileArticle.from_json(line) for line in path.read_text(encoding="utf-8").splitlines()
        ]
    pile = build_pile(size, seed)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(a.to_json() for a in pile) + "\n", encoding="utf-8")
    tmp.replace(path)
    return pile


# ---- piles for analysis ------------------------------------------------------------


def story_sizes(total: int, rng: random.Random, *, largest: int = 200) -> list[int]:
    """Story sizes of a fixed distribution, adding up to ``total``: Pareto-tailed
    (P(size >= k) = k^-1.5, so about half the stories are one article and one in a
    thousand has 100 or more), cut at ``largest``. The same distribution at every
    ``total``, so that cost can be compared across pile sizes."""
    sizes: list[int] = []
    left = total
    while left > 0:
        size = min(largest, left, int((1.0 - rng.random()) ** (-1 / 1.5)))
        sizes.append(size)
        left -= size
    return sizes


def build_story_pile(size: int = 10_000, seed: int = 7, *, largest: int = 200) -> list[PileArticle]:
    """``size`` articles in stories of 1 to ``largest`` articles (see ``story_sizes``).

    A story of two or more articles starts from a real event (its outlets' reports, as
    many as the story has room for; once the real events run out, from an unrelated
    article) and is filled with copies, light edits and rewrites of its members; a
    story of one is an unrelated article or a real single report. Shuffled, seeded.
    """
    rng = random.Random(seed)
    try:
        real = _merge_shared_events(
            [*_basil(), *_allsides_raw(), *_neus_triplets(), *_duc_spread(), *_aeb()]
        )
        pool = _sentence_pool()
    except FileNotFoundError as exc:
        raise CorpusMissing(f"{exc.filename} is absent: the pile is built from ../shared") from exc
    events: dict[str, list[_Base]] = {}
    for base in real:
        events.setdefault(base.story, []).append(base)
    multi = [v for v in events.values() if len(v) > 1]
    single = [v[0] for v in events.values() if len(v) == 1]
    rng.shuffle(multi)
    rng.shuffle(single)
    babble = _Babble(pool)

    def unrelated(k: int) -> _Base:
        title, paragraphs = babble.article(rng)
        published = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(60))
        return _Base(title, paragraphs, published if rng.random() < 0.5 else None, f"u{k}")

    out: list[PileArticle] = []
    for k, story_size in enumerate(story_sizes(size, rng, largest=largest)):
        if story_size > 1 and multi:
            members = multi.pop()[:story_size]
        elif single and rng.random() < 0.5:
            members = [single.pop()]
        else:
            members = [unrelated(k)]
        story = f"story{k}"
        for base in members:
            out.append(
                PileArticle(
                    "",
                    base.title,
                    "\n\n".join(base.paragraphs),
                    base.published,
                    story,
                    story,
                    "original",
                )
            )
        for _ in range(story_size - len(members)):
            base = rng.choice(members)
            kind = rng.choices(KINDS[1:], weights=(0.45, 0.35, 0.20))[0]
            title, paragraphs = _derive(base, kind, rng)
            shift = dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            published = base.published + shift if base.published else None
            out.append(
                PileArticle("", title, "\n\n".join(paragraphs), published, story, story, kind)
            )
    rng.shuffle(out)
    return [
        PileArticle(f"s{k:06d}", a.title, a.body, a.published, a.story, a.family, a.kind)
        for k, a in enumerate(out)
    ]
