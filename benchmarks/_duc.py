"""DUC 2007 SCU-marked sentence pairs, split by topic, for training and held-out checks.

Kept free of copydesk imports: the training environment (``training/``) reads it too.
``benchmarks/align_duc.py`` makes copydesk articles of what :func:`read` gives, in
:func:`topic_files` order, so ``half`` names the same topics in both.

Why pairs of this corpus: a DUC pair shares one content unit (SCU) while either sentence
may say more, which is what claim alignment must join ("Dovanek is due to travel to
Kestrow on Wednesday, as criticism mounts" states "Dovanek is expected to visit
Kestrow"). MRPC's labels say the opposite of such a pair (not a paraphrase), so an
encoder trained on MRPC alone learns to push them apart.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared/corpora/duc2007/DUC_data/DUC2007"
CORPORA = ("2007 SCU-marked corpus", "2007 SCU-marked update corpus")


@dataclass(frozen=True, slots=True)
class Line:
    article: str  # the document's name, made unique within its file
    text: str
    scus: frozenset[str]


def wire_date(name: str) -> dt.date | None:
    """The publication day a DUC document's name carries (APW19990612.0141)."""
    stamp = re.match(r"[A-Z]+(\d{4})(\d{2})(\d{2})", name)
    return dt.date(*map(int, stamp.groups())) if stamp else None


def topic_files(base: Path = DEFAULT) -> list[Path]:
    """Every SCU-marked file, main corpus then update, each folder by name."""
    return [path for folder in CORPORA for path in sorted((base / folder).glob("*.scu"))]


def in_half(index: int, half: str) -> bool:
    """Whether topic ``index`` (in :func:`topic_files` order) is in ``half``: ``0`` (even
    indices), ``1`` (odd), ``all`` or ``none``."""
    return half == "all" or (half in {"0", "1"} and index % 2 == int(half))


def read(path: Path) -> tuple[str, list[Line]]:
    """A topic file's name and its non-empty lines, in order, with their SCU uids."""
    root = ET.parse(path).getroot()
    out: list[Line] = []
    seen: set[str] = set()
    for number, doc in enumerate(root.iter("document")):
        article = doc.get("name") or f"doc{number}"
        if article in seen:
            article = f"{article}#{number}"
        seen.add(article)
        for line in doc.iter("line"):
            text = " ".join((line.text or "").split())
            if text:
                out.append(
                    Line(article, text, frozenset(s.get("uid", "") for s in line.iter("scu")))
                )
    return root.get("name") or path.stem, out


def all_scu_pairs(
    half: str = "all", base: Path = DEFAULT
) -> tuple[list[str], list[str], list[int], list[int]]:
    """Every pair of SCU-marked sentences of different articles of one topic: label 1
    when they share an SCU; the group is the topic's index. Only SCU-bearing lines, where
    the gold is complete: two unannotated sentences may well state the same minor fact."""
    a: list[str] = []
    b: list[str] = []
    y: list[int] = []
    groups: list[int] = []
    for index, path in enumerate(topic_files(base)):
        if not in_half(index, half):
            continue
        marked = [line for line in read(path)[1] if line.scus]
        for p, q in combinations(marked, 2):
            if p.article != q.article:
                a.append(p.text)
                b.append(q.text)
                y.append(int(bool(p.scus & q.scus)))
                groups.append(index)
    return a, b, y, groups


def scu_pairs(
    half: str, negatives: float = 1.5, seed: int = 13, base: Path = DEFAULT
) -> tuple[list[str], list[str], list[int]]:
    """The pairs of :func:`all_scu_pairs` for training: every positive, then negatives
    sampled to ``negatives`` times the positives (seeded)."""
    a, b, y, _ = all_scu_pairs(half, base)
    positive = [k for k, label in enumerate(y) if label]
    negative = [k for k, label in enumerate(y) if not label]
    random.Random(seed).shuffle(negative)
    rows = positive + negative[: int(negatives * len(positive))]
    return [a[k] for k in rows], [b[k] for k in rows], [y[k] for k in rows]
