"""DUC 2007 SCU-marked sentence pairs, split by topic, for training and held-out checks.

Kept free of copydesk imports: the training environment (``training/``) reads it too.
``benchmarks/align_duc.py`` reads the same files into copydesk articles; the topic order
here (main corpus, then update, each file by name) is its order, so ``half`` names the
same topics in both.

Why pairs of this corpus: a DUC pair shares one content unit (SCU) while either sentence
may say more, which is what claim alignment must join ("Dovanek is due to travel to
Kestrow on Wednesday, as criticism mounts" states "Dovanek is expected to visit
Kestrow"). MRPC's labels say the opposite of such a pair (not a paraphrase), so an
encoder trained on MRPC alone learns to push them apart.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared/corpora/duc2007/DUC_data/DUC2007"
CORPORA = ("2007 SCU-marked corpus", "2007 SCU-marked update corpus")


@dataclass(frozen=True, slots=True)
class Line:
    article: str
    text: str
    scus: frozenset[str]


def topic_files(base: Path = DEFAULT) -> list[Path]:
    """Every SCU-marked file, in ``align_duc``'s order."""
    return [path for folder in CORPORA for path in sorted((base / folder).glob("*.scu"))]


def in_half(index: int, half: str) -> bool:
    """Whether topic ``index`` (in :func:`topic_files` order) is in ``half``: ``0`` (even
    indices), ``1`` (odd), ``all`` or ``none``."""
    return half == "all" or (half in {"0", "1"} and index % 2 == int(half))


def lines(path: Path) -> Iterator[Line]:
    """The non-empty lines of one topic file with their SCU uids."""
    root = ET.parse(path).getroot()
    for number, doc in enumerate(root.iter("document")):
        article = f"{doc.get('name') or 'doc'}#{number}"
        for line in doc.iter("line"):
            text = " ".join((line.text or "").split())
            if text:
                yield Line(article, text, frozenset(s.get("uid", "") for s in line.iter("scu")))


def scu_pairs(
    half: str, negatives: float = 1.5, seed: int = 13, base: Path = DEFAULT
) -> tuple[list[str], list[str], list[int]]:
    """Sentence pairs of different articles of one topic, both carrying SCUs: label 1
    when they share one, 0 otherwise; negatives sampled to ``negatives`` times the
    positives (seeded). Only SCU-bearing lines are used, where the gold is complete:
    two unannotated sentences may well state the same minor fact."""
    a: list[str] = []
    b: list[str] = []
    y: list[int] = []
    negative: list[tuple[str, str]] = []
    for index, path in enumerate(topic_files(base)):
        if not in_half(index, half):
            continue
        marked = [line for line in lines(path) if line.scus]
        for p, q in combinations(marked, 2):
            if p.article == q.article:
                continue
            if p.scus & q.scus:
                a.append(p.text)
                b.append(q.text)
                y.append(1)
            else:
                negative.append((p.text, q.text))
    rng = random.Random(seed)
    rng.shuffle(negative)
    for p_text, q_text in negative[: int(negatives * len(y))]:
        a.append(p_text)
        b.append(q_text)
        y.append(0)
    return a, b, y
