"""The whole ``copydesk analyze`` on a pile of N articles, on every engine, side by side.

    .venv/bin/python benchmarks/analyze_scale.py [--articles 10000] [--seed 7]
        [--runs local1,local2,dask2] [--per-story]

The pile comes from ../shared/corpora (``_pile.build_story_pile``: real multi-outlet
events, unrelated articles, copies, light edits and rewrites, stories of 1 to 200
articles in a fixed distribution, so 1,000 / 10,000 / 30,000 show how the cost grows),
written as JSONL shards of 1,000 articles in a cache folder outside the repository.
Each run is ``python -m copydesk analyze FOLDER --out TMP --quiet`` in a fresh process:

* ``local1``: ``--workers 1`` (one process, as before the engine);
* ``local2``: ``--workers 2`` (a pool of two processes);
* ``dask2``: ``--engine dask --workers 2`` (a LocalCluster of two worker processes).

It prints wall time, articles per second and peak memory (the largest sum of the
resident sizes of the run's process and all its children, sampled every 0.2 s, and the
main process's own peak; psutil comes with the dask extra), and checks that every run
wrote the same report (``--per-story``: the same index and story files).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import CorpusMissing
from _pile import PileArticle, build_story_pile

SHARD = 1000
RUNS = {
    "local1": ["--workers", "1"],
    "local2": ["--workers", "2"],
    "dask2": ["--engine", "dask", "--workers", "2"],
}


def write_pile(articles: int, seed: int, cache: Path) -> Path:
    """The pile as JSONL shards in ``cache`` (built once per size and seed)."""
    folder = cache / f"story-pile-{articles}-{seed}"
    done = cache / f"story-pile-{articles}-{seed}.done"  # beside it: not an input
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    pile = build_story_pile(articles, seed)
    for begin in range(0, len(pile), SHARD):
        lines = [_record(a) for a in pile[begin : begin + SHARD]]
        (folder / f"{begin // SHARD:04d}.jsonl").write_text("\n".join(lines) + "\n")
    done.write_text("")
    return folder


def _record(a: PileArticle) -> str:
    published = a.published.isoformat() if a.published else None
    text = f"{a.title}\n\n{a.body}"
    return json.dumps({"id": a.id, "title": a.title, "text": text, "published": published})


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


def _digest(out: Path) -> str:
    """sha256 of every file of the report set, in name order (one file: report.json)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        digest.update(path.relative_to(out).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def run(folder: Path, flags: list[str]) -> tuple[float, int, int, str, int]:
    """Wall seconds, peak bytes (all processes; the main one), the report set's sha256
    and the number of stories."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "copydesk", "analyze", str(folder), "--out", out]
        start = time.perf_counter()
        child = subprocess.Popen([*command, "--quiet", *flags])
        watched = psutil.Process(child.pid)
        peak = main = 0
        while child.poll() is None:
            try:
                peak = max(peak, _tree_rss(watched))
                main = max(main, watched.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.2)
        wall = time.perf_counter() - start
        if child.returncode not in (0, 1):  # 1: some input failed, reported on stderr
            sys.exit(f"copydesk analyze {' '.join(flags)} failed ({child.returncode})")
        stories = len(json.loads((Path(out) / "report.json").read_bytes())["stories"])
        return wall, peak, main, _digest(Path(out)), stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", default=",".join(RUNS), help="of: " + ", ".join(RUNS))
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "copydesk")
    parser.add_argument(
        "--per-story", action="store_true", help="analyze --per-story (index + one per story)"
    )
    args = parser.parse_args()
    extra = ["--per-story"] if args.per_story else []
    try:
        folder = write_pile(args.articles, args.seed, args.cache)
    except CorpusMissing as exc:
        sys.exit(str(exc))
    print(f"pile: {args.articles} articles in {folder}")
    print(
        f"{'run':8} {'time s':>8} {'art/s':>7} {'peak MB':>8} {'main MB':>8} {'stories':>7}  report"
    )
    digests = set()
    for name in args.runs.split(","):
        wall, peak, main, digest, stories = run(folder, [*RUNS[name], *extra])
        digests.add(digest)
        rate = args.articles / wall
        print(
            f"{name:8} {wall:8.1f} {rate:7.2f} {peak / 2**20:8.0f} {main / 2**20:8.0f} "
            f"{stories:7}  {digest}",
            flush=True,
        )
    print("same report on every run" if len(digests) == 1 else "REPORTS DIFFER")


if __name__ == "__main__":
    main()
