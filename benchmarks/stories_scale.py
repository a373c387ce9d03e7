"""Story grouping at scale: 100,000 articles, time, peak memory and quality.

    .venv/bin/python benchmarks/stories_scale.py [--size 100000] [--no-datasketch]

Builds a pile with a known structure from ../shared/corpora (see ``_pile.py``: real
multi-outlet events, unrelated articles, and exact copies, light edits and rewrites
of them), caches it outside the repository, then runs each measured step in a fresh
process so that its wall time and peak memory (``ru_maxrss``) are its own:

* ``copydesk.stories.group_stories`` on the whole pile (the target: < 5 min, < 4 GB);
* the near-duplicate step alone, copydesk's NumPy MinHash LSH against datasketch's
  ``MinHashLSH`` as the baseline (same shingles, same 128 permutations, same
  threshold, same verification of candidates by estimated Jaccard).

Near-duplicate truth is the exact Jaccard similarity of three-word shingle sets
(>= 0.5); story truth is the pile's structure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import CorpusMissing, scores
from _pile import PileArticle, cached_pile
from copydesk.models import Article

THRESHOLD = 0.5


def _article(a: PileArticle) -> Article:
    """The article as copydesk's cleaning would give it: title line, sentences, date."""
    from copydesk.clean import split_sentences

    text = a.text()
    return Article(
        id=a.id,
        source=a.id,
        text=text,
        title=a.title,
        outlet=None,
        published=a.published,
        url=None,
        author=None,
        sentences=split_sentences(text),
        dropped=(),
        raw=text,
    )


def _articles(pile: list[PileArticle]) -> list[Article]:
    return [_article(a) for a in pile]


def _load_articles(path: Path) -> list[Article]:
    """Read the cached pile line by line, so that only the articles stay in memory."""
    with path.open(encoding="utf-8") as lines:
        return [_article(PileArticle.from_json(line)) for line in lines]


def _peak_gb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: on Linux a child's
    ru_maxrss starts from its parent's size at fork, which would count the parent's pile."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


class _Bars:
    """Rich progress bars on stderr, one per stage, fed by ``progress(stage, done, total)``;
    also records when each stage started and ended."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.bars = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self.tasks: dict[str, int] = {}
        self.spans: dict[str, list[float]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total)
            self.spans[stage] = [now, now]
        self.spans[stage][1] = now
        self.bars.update(self.tasks[stage], completed=done, total=total)


def _child_group(pile_path: Path, out: Path) -> None:
    from copydesk.stories import group_stories

    articles = _load_articles(pile_path)
    loaded = _peak_gb()
    bars = _Bars()
    start = time.perf_counter()
    with bars.bars:
        stories = group_stories(articles, progress=bars)
    seconds = time.perf_counter() - start
    stages = {k: v[1] - v[0] for k, v in bars.spans.items()}
    record = {
        "seconds": seconds,
        "peak_gb": _peak_gb(),
        "loaded_gb": loaded,
        "stages": stages,
        "stories": [list(s.articles) for s in stories],
        "duplicates": [list(g) for s in stories for g in s.duplicates],
    }
    out.write_text(json.dumps(record))


def _child_neardup(pile_path: Path, out: Path, method: str) -> None:
    with pile_path.open(encoding="utf-8") as lines:
        texts = [PileArticle.from_json(line).text() for line in lines]
    start = time.perf_counter()
    if method == "copydesk":
        from copydesk.stories.minhash import duplicate_pairs

        pairs, _ = duplicate_pairs(texts, threshold=THRESHOLD)
        found = pairs.tolist()
    else:
        found = _datasketch_pairs(texts)
    record = {"seconds": time.perf_counter() - start, "peak_gb": _peak_gb(), "pairs": found}
    out.write_text(json.dumps(record))


def _datasketch_pairs(texts: list[str]) -> list[list[int]]:
    """The textbook datasketch pipeline over the same three-word shingles."""
    import re

    from datasketch import MinHash, MinHashLSH

    word = re.compile(r"\w+")
    shingle_sets = []
    for text in texts:
        words = word.findall(text.lower())
        shingles = {" ".join(words[k : k + 3]).encode() for k in range(max(1, len(words) - 2))}
        shingle_sets.append(shingles)
    minhashes = MinHash.bulk(shingle_sets, num_perm=128)
    del shingle_sets
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    with lsh.insertion_session() as session:
        for k, m in enumerate(minhashes):
            session.insert(k, m)
    found = []
    for k, m in enumerate(minhashes):
        for other in lsh.query(m):
            if other > k and m.jaccard(minhashes[other]) >= THRESHOLD:
                found.append([k, other])
    return found


def _run_child(args: list[str], out: Path) -> dict[str, object]:
    subprocess.run([sys.executable, __file__, "--child", *args, str(out)], check=True)
    result: dict[str, object] = json.loads(out.read_text())
    return result


# ---- evaluation ---------------------------------------------------------------------


def _shingle_sets(pile: list[PileArticle]) -> list[np.ndarray]:
    from copydesk.stories.minhash import _mix, _shingles, _WordHashes

    hashes = _WordHashes()
    import re

    word = re.compile(r"\w+")
    out = []
    for a in pile:
        ids = np.array([hashes[w] for w in word.findall(a.text().lower())], dtype=np.uint64)
        if len(ids) == 0:
            out.append(ids)
            continue
        h, _ = _shingles(ids, np.array([len(ids)]))
        out.append(np.unique(_mix(h)))
    return out


def _jaccard(sets: list[np.ndarray], i: int, j: int) -> float:
    a, b = sets[i], sets[j]
    both = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - both
    return both / union if union else 0.0


def _neardup_truth(pile: list[PileArticle], sets: list[np.ndarray]) -> set[tuple[int, int]]:
    by_family: dict[str, list[int]] = defaultdict(list)
    for k, a in enumerate(pile):
        by_family[a.family].append(k)
    truth = set()
    for members in by_family.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if _jaccard(sets, i, j) >= THRESHOLD:
                    truth.add((min(i, j), max(i, j)))
    return truth


def _story_report(pile: list[PileArticle], stories: list[list[str]]) -> None:
    where = {aid: n for n, members in enumerate(stories) for aid in members}
    predicted = [str(where[a.id]) for a in pile]
    s = scores([a.story for a in pile], predicted)
    print(
        f"  stories vs the pile's structure: B-cubed P {s['P']:.3f}  R {s['R']:.3f}"
        f"  F1 {s['F1']:.3f}  ARI {s['ARI']:.3f}  NMI {s['NMI']:.3f}"
        f"  ({int(s['groups'])} stories, {len(set(a.story for a in pile))} in truth)"
    )
    original = {a.family: where[a.id] for a in pile if a.kind == "original"}
    print("  derived articles in their original's story:")
    for kind in ("copy", "light edit", "rewrite"):
        members = [a for a in pile if a.kind == kind]
        kept = sum(1 for a in members if where[a.id] == original[a.family])
        print(f"    {kind:10s} {kept / max(1, len(members)):.3f}  ({kept}/{len(members)})")
    story_sizes = Counter(predicted)
    by_story: dict[str, set[str]] = defaultdict(set)
    for a, p in zip(pile, predicted, strict=True):
        by_story[p].add(a.story)
    unrelated = [a for a in pile if a.kind == "original" and a.story.startswith("unrelated:")]
    alone = sum(1 for a in unrelated if by_story[str(where[a.id])] == {a.story})
    print(
        f"  unrelated originals kept apart from every other story: {alone / len(unrelated):.3f}"
        f"  ({alone}/{len(unrelated)}; largest story {max(story_sizes.values())} articles)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "copydesk-bench"
    )
    parser.add_argument("--no-datasketch", action="store_true", help="skip the baseline")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, pile_path, out = args.child[0], Path(args.child[-2]), Path(args.child[-1])
        if kind == "group":
            _child_group(pile_path, out)
        else:
            _child_neardup(pile_path, out, args.child[1])
        return 0
    try:
        pile = cached_pile(args.size, args.seed, args.cache)
    except CorpusMissing as exc:
        print(f"skipped: {exc}")
        return 0
    pile_path = args.cache / f"pile-{args.size}-{args.seed}.jsonl"
    kinds = Counter(a.kind for a in pile)
    print(
        f"pile: {len(pile)} articles ({', '.join(f'{v} {k}' for k, v in kinds.items())}),"
        f" {len(set(a.story for a in pile))} stories, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory() as tmp:
        group = _run_child(["group", str(pile_path)], Path(tmp) / "group.json")
        runs = {"copydesk": _run_child(["neardup", "copydesk", str(pile_path)], Path(tmp) / "a")}
        if not args.no_datasketch:
            runs["datasketch"] = _run_child(
                ["neardup", "datasketch", str(pile_path)], Path(tmp) / "b"
            )
    print(
        f"\ngroup_stories: {group['seconds']:.1f} s, peak memory {group['peak_gb']:.2f} GB"
        f" (of which {group['loaded_gb']:.2f} GB is the loaded pile)"
    )
    stages = group["stages"]
    assert isinstance(stages, dict)
    print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    stories = group["stories"]
    assert isinstance(stories, list)
    _story_report(pile, stories)

    sets = _shingle_sets(pile)
    truth = _neardup_truth(pile, sets)
    found = {name: {tuple(p) for p in run["pairs"]} for name, run in runs.items()}  # type: ignore[attr-defined]
    for pairs in found.values():
        truth |= {p for p in pairs if p not in truth and _jaccard(sets, *p) >= THRESHOLD}
    print(f"\nnear-duplicate pairs (exact shingle Jaccard >= {THRESHOLD}): {len(truth)}")
    print(
        f"  {'method':28s} {'time':>8s} {'peak':>8s} {'pairs':>8s} {'precision':>9s} {'recall':>7s}"
    )
    for name, run in runs.items():
        pairs = found[name]
        hit = len(pairs & truth)
        print(
            f"  {name + ' MinHash LSH':28s} {run['seconds']:7.1f}s {run['peak_gb']:6.2f}GB"
            f" {len(pairs):8d} {hit / max(1, len(pairs)):9.3f} {hit / max(1, len(truth)):7.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
