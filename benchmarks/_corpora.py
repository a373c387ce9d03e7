"""Readers for the public evaluation corpora and the clustering scores the benchmarks print.

The corpora live in ``../shared/corpora`` and are read by path at run time; no text of
theirs is copied into the project. Each reader returns clean :class:`Article` objects
(through the library's own cleaning, so that grouping sees what a user's pile would
give it) and the gold label of each article.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from _duc import wire_date
from copydesk.clean import clean_documents
from copydesk.models import Article, RawDocument

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
BASIL = CORPORA / "basil" / "articles"
DUC = CORPORA / "duc2007" / "DUC_data" / "DUC2007" / "duc2007_testdocs"
WIKIREF = CORPORA / "wikiref" / "app" / "data_processing" / "test_data" / "wikiref"


class CorpusMissing(Exception):
    """A corpus is not where the benchmark expects it; the message says which."""


@dataclass(frozen=True, slots=True)
class Labelled:
    """Clean articles and the gold group of each, in the same order."""

    name: str
    articles: tuple[Article, ...]
    labels: tuple[str, ...]


def _require(path: Path) -> Path:
    if not path.exists():
        raise CorpusMissing(f"{path} is absent: this benchmark reads it from ../shared/corpora")
    return path


def _clean(name: str, docs: Sequence[RawDocument], labels: dict[str, str]) -> Labelled:
    articles, failures = clean_documents(docs)
    if failures:
        lost = ", ".join(f.source for f in failures[:5])
        print(f"{name}: {len(failures)} documents gave no article text ({lost})")
    kept = tuple(a for a in articles if a.id in labels)
    return Labelled(name, kept, tuple(labels[a.id] for a in kept))


def load_basil() -> Labelled:
    """BASIL: 100 events, each reported by Fox, NYT and HuffPost (300 articles)."""
    docs: list[RawDocument] = []
    labels: dict[str, str] = {}
    for path in sorted(_require(BASIL).glob("*/*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = obj["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = json.loads(paragraphs)
        body = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs if p)
        doc_id = path.stem
        docs.append(
            RawDocument(
                source=str(path),
                raw=f"{obj['title']}\n\n{body}",
                kind="text",
                id=doc_id,
                title=obj["title"],
                outlet=obj.get("source"),
                published=dt.date.fromisoformat(obj["date"]) if obj.get("date") else None,
            )
        )
        labels[doc_id] = obj["triplet-uuid"]
    return _clean("BASIL", docs, labels)


_DUC_TAG = re.compile(r"<(DOCNO|DATE_TIME|DATE|HEADLINE|TEXT)>(.*?)</\1>", re.S)


def _duc_document(path: Path) -> RawDocument:
    raw = path.read_text(encoding="latin-1")
    fields: dict[str, str] = {}
    for tag, value in _DUC_TAG.findall(raw):
        fields.setdefault(tag, value)
    text = fields.get("TEXT", "")
    paragraphs = re.split(r"</?P>", text) if "<P>" in text else re.split(r"\n\s*\n", text)
    body = "\n\n".join(
        " ".join(html.unescape(re.sub(r"<[^>]+>|&\w+;", " ", p)).split()) for p in paragraphs
    ).strip()
    title = " ".join(fields.get("HEADLINE", "").split()) or None
    # The document number carries the wire date (APW19990612.0141): the publication day.
    published = wire_date(path.name)
    body = re.sub(r"\n{3,}", "\n\n", body)
    return RawDocument(
        source=str(path),
        raw=f"{title}\n\n{body}" if title else body,
        kind="text",
        id=path.name,
        title=title,
        published=published,
    )


def load_duc(which: str) -> Labelled:
    """DUC 2007 ``main`` (45 topics x 25) or ``update`` (10 topics x 25, same documents).

    Topics are the gold groups. They are broader than events (a topic follows a subject
    over months or years), so event-level grouping is expected to split them.
    """
    base = _require(DUC / which)
    docs: list[RawDocument] = []
    labels: dict[str, str] = {}
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        topic = path.relative_to(base).parts[0]
        if path.name in labels:
            continue
        docs.append(_duc_document(path))
        labels[path.name] = topic
    return _clean(f"DUC 2007 {which}", docs, labels)


_WIKIREF_LABEL = re.compile(r"^(.*?)(?:\s*\(\d+\)|\.\d+)$")


def load_wikiref(variant: str = "WikiRef220") -> Labelled:
    """WikiRef220/186/150: news about a few topics plus a few noise documents (cp1252)."""
    docs: list[RawDocument] = []
    labels: dict[str, str] = {}
    for path in sorted(_require(WIKIREF / variant).glob("*.txt")):
        text = path.read_bytes().decode("cp1252", errors="replace").replace("\r\n", "\n")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            continue
        match = _WIKIREF_LABEL.match(path.stem)
        label = match.group(1) if match else path.stem
        docs.append(
            RawDocument(source=str(path), raw=text, kind="text", id=path.stem, title=lines[0])
        )
        labels[path.stem] = label.lower()
    return _clean(variant, docs, labels)


# ---- scores ---------------------------------------------------------------------------


def bcubed(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin), averaged over items."""
    g = np.unique(np.asarray(gold), return_inverse=True)[1]
    p = np.unique(np.asarray(predicted), return_inverse=True)[1]
    pair = Counter(zip(g.tolist(), p.tolist(), strict=True))
    g_size = np.bincount(g)
    p_size = np.bincount(p)
    both = np.array([pair[(a, b)] for a, b in zip(g.tolist(), p.tolist(), strict=True)])
    precision = float(np.mean(both / p_size[p]))
    recall = float(np.mean(both / g_size[g]))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """B-cubed P/R/F1, adjusted Rand index and NMI of a predicted grouping."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    precision, recall, f1 = bcubed(gold, predicted)
    return {
        "P": precision,
        "R": recall,
        "F1": f1,
        "ARI": float(adjusted_rand_score(gold, predicted)),
        "NMI": float(normalized_mutual_info_score(gold, predicted)),
        "groups": float(len(set(predicted))),
    }


NEUS = CORPORA / "neus" / "data"
_NEUS_ITEM = re.compile(r"TITLE=> (.*?)\. ARTICLE=> (.*)", re.S)


def load_neus(splits: Sequence[str] = ("val", "test")) -> Labelled:
    """AllSides via NeuS: per story, left, centre and right snippets and the editors'
    neutral summary (title and first sentences; no dates). Many stories share a topic."""
    folder = _require(NEUS / "naacl2022_lrc_roundup_random_order_probe")
    docs: list[RawDocument] = []
    labels: dict[str, str] = {}
    for split in splits:
        sources = (folder / f"{split}.source").read_text(encoding="utf-8").splitlines()
        targets = (folder / f"{split}.target").read_text(encoding="utf-8").splitlines()
        for n, (source, target) in enumerate(zip(sources, targets, strict=True)):
            for k, item in enumerate([*source.split(" [SEP] "), target]):
                match = _NEUS_ITEM.match(item.strip())
                if not match:
                    continue
                doc_id = f"{split}-{n}-{k}"
                docs.append(
                    RawDocument(
                        source=doc_id,
                        raw=f"{match.group(1)}\n\n{match.group(2)}",
                        kind="text",
                        id=doc_id,
                        title=match.group(1),
                    )
                )
                labels[doc_id] = f"{split}-{n}"
    return _clean("NeuS/AllSides " + "+".join(splits), docs, labels)


@dataclass(frozen=True)
class CrawledArticle:
    """One outlet's full article of an AllSides story, as the NeuS crawl holds it."""

    story: str
    side: str
    title: str
    outlet: str | None
    paragraphs: tuple[str, ...]
    published: dt.date | None


def allsides_crawl() -> Iterator[CrawledArticle]:
    """The AllSides raw crawl (506 stories, left / centre / right outlets), articles with
    a title and at least two paragraphs, dated by their story."""
    import ast

    path = _require(NEUS / "raw_crawled" / "headline_11_2021-10-19_crawled_all.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        news = obj["news"] if isinstance(obj["news"], dict) else ast.literal_eval(obj["news"])
        published = dt.date.fromisoformat(obj["date"][:10]) if obj.get("date") else None
        for side in sorted(news):
            item = news[side]
            body = item.get("newBody")
            body = ast.literal_eval(body) if isinstance(body, str) else body
            paragraphs = tuple(p.strip() for p in body or () if p and p.strip())
            if item.get("newsTitle") and len(paragraphs) >= 2:
                yield CrawledArticle(
                    str(obj["id"]),
                    side,
                    item["newsTitle"],
                    item.get("newsSource"),
                    paragraphs,
                    published,
                )


def load_allsides_crawl() -> Labelled:
    """AllSides raw crawl: full articles of one story from several outlets."""
    docs: list[RawDocument] = []
    labels: dict[str, str] = {}
    for a in allsides_crawl():
        doc_id = f"{a.story}-{a.side}"
        docs.append(
            RawDocument(
                source=doc_id,
                raw=a.title + "\n\n" + "\n\n".join(a.paragraphs),
                kind="text",
                id=doc_id,
                title=a.title,
                outlet=a.outlet,
                published=a.published,
            )
        )
        labels[doc_id] = a.story
    return _clean("AllSides crawl", docs, labels)
