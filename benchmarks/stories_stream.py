"""Streaming stories: articles added to a desk one at a time (or in batches) in date
order, against batch ``group_stories`` on the same pile.

    .venv/bin/python benchmarks/stories_stream.py [--data basil allsides pile]
        [--batch 1 100] [--pile-size 100000] [--no-embed]

For each data set and batch size, in a fresh process: B-cubed F1 of the streamed
stories against the gold events and against the batch result (batch taken as the
truth), articles per second for grouping (storing and placing; cleaning is done
before the clock starts, as batch grouping is timed without it), peak memory, and the
resident memory and the articles per second of each quarter of the stream (flat
memory and a steady rate mean the desk holds nothing, and costs nothing per article,
that grows with the store).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import CorpusMissing, Labelled, bcubed, load_allsides_crawl, load_basil
from copydesk.models import Article


def _rss_gb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _load(name: str, pile_size: int, cache: Path) -> Labelled:
    if name == "basil":
        return load_basil()
    if name == "allsides":
        return load_allsides_crawl()
    from _pile import cached_pile
    from stories_scale import _article

    pile = cached_pile(pile_size, 7, cache)
    return Labelled("pile", tuple(_article(a) for a in pile), tuple(a.story for a in pile))


def _date_order(articles: tuple[Article, ...]) -> list[int]:
    """Publication order; undated articles keep their place among the dated ones' days
    by pile order (they sort after every dated article of the pile's earliest day)."""
    latest = dt.date.max
    return sorted(range(len(articles)), key=lambda k: (articles[k].published or latest, k))


def _child(name: str, mode: str, batch: int, embed: bool, pile_size: int, cache: Path) -> dict:
    data = _load(name, pile_size, cache)
    order = _date_order(data.articles)
    pile = [data.articles[k] for k in order]
    gold = [data.labels[k] for k in order]
    loaded = _rss_gb()
    start = time.perf_counter()
    marks: list[float] = []
    rates: list[float] = []
    if mode == "batch":
        from copydesk.stories import group_stories

        found = group_stories(pile, embed_budget=8000 if embed else 0)
        where = {aid: s.id for s in found for aid in s.articles}
    else:
        from copydesk.desk import Desk

        with tempfile.TemporaryDirectory() as tmp:
            desk = Desk(Path(tmp) / "stream.db", group_with_embeddings=embed)
            quarter = max(1, len(pile) // 4)
            last = start
            for begin in range(0, len(pile), batch):
                desk.add_articles(pile[begin : begin + batch])
                if (begin + batch) // quarter > len(marks):
                    marks.append(round(_rss_gb(), 3))
                    now = time.perf_counter()
                    rates.append(round(quarter / (now - last), 1))
                    last = now
            where = {}
            for info in desk.stories():
                for aid in desk.story(info.id).articles:
                    where[aid] = info.id
            desk.close()
    seconds = time.perf_counter() - start
    if rates:
        print(f"    ({name}, batches of {batch}: articles/s by quarter {rates})", flush=True)
    predicted = [where[a.id] for a in pile]
    return {
        "seconds": seconds,
        "articles": len(pile),
        "peak_gb": _rss_gb("VmHWM"),
        "loaded_gb": loaded,
        "rss_by_quarter": marks,
        "rate_by_quarter": rates,
        "predicted": predicted,
        "gold": gold,
    }


def _run(args: list[str], pile_size: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        command = [sys.executable, __file__, "--pile-size", str(pile_size), "--child"]
        subprocess.run([*command, *args, str(out)], check=True)
        result: dict = json.loads(out.read_text())
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", nargs="+", default=["basil", "allsides", "pile"])
    parser.add_argument("--batch", nargs="+", type=int, default=[1, 100])
    parser.add_argument("--pile-size", type=int, default=100_000)
    parser.add_argument("--no-embed", action="store_true", help="lexical scores only")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "copydesk-bench"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, mode, batch, embed, out = args.child
        result = _child(name, mode, int(batch), embed == "1", args.pile_size, args.cache)
        Path(out).write_text(json.dumps(result))
        return 0
    embed = "0" if args.no_embed else "1"
    for name in args.data:
        try:
            batch = _run([name, "batch", "0", embed], args.pile_size)
        except (CorpusMissing, subprocess.CalledProcessError) as exc:
            print(f"{name}: skipped ({exc})")
            continue
        gold = batch["gold"]
        _, _, batch_f1 = bcubed(gold, batch["predicted"])
        print(
            f"\n{name}: {batch['articles']} articles, {len(set(gold))} gold groups "
            f"(embeddings {'on' if embed == '1' else 'off'})"
        )
        print(
            f"  {'run':14s} {'F1 gold':>8s} {'F1 batch':>9s} {'art/s':>7s} {'peak GB':>8s}"
            "  RSS GB by quarter"
        )
        print(
            f"  {'batch':14s} {batch_f1:8.3f} {1.0:9.3f} "
            f"{batch['articles'] / batch['seconds']:7.1f} {batch['peak_gb']:8.2f}"
        )
        for size in args.batch:
            run = _run([name, "stream", str(size), embed], args.pile_size)
            _, _, f1 = bcubed(gold, run["predicted"])
            _, _, agree = bcubed(batch["predicted"], run["predicted"])
            print(
                f"  {f'stream x{size}':14s} {f1:8.3f} {agree:9.3f} "
                f"{run['articles'] / run['seconds']:7.1f} {run['peak_gb']:8.2f}  "
                f"{run['rss_by_quarter']}; articles/s by quarter {run.get('rate_by_quarter')}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
