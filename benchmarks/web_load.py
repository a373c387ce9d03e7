"""Load on the web desk: concurrent readers of the front, story and search pages while a
writer adds articles through the API, all on 127.0.0.1.

    .venv/bin/python benchmarks/web_load.py [--clients 50] [--seconds 20]
        [--max-requests 20000] [--story-size 25] [--write-every 1.0] [--write-into-story]
        [--think 0] [--workers 1]

It builds a store in a temporary folder (the bundled samples and follow-ups, plus
fictional rewrites of the Kestrow clash articles until that story has about ``--story-
size`` articles), serves it with uvicorn in a subprocess, warms the story page (its
analysis is computed once and stored), then runs ``--clients`` concurrent clients (one
keep-alive HTTP/1.1 connection each, a few lines of asyncio) that read the three page
kinds in turn, for ``--seconds`` or ``--max-requests``, whichever comes first. A writer
posts one new fictional article to ``/add.json`` with the token every ``--write-every``
seconds: by default an article of another story, so that the story page stays cached
(the case the target is about); ``--write-into-story`` adds it to the measured story
instead, which makes every read after a write recompute the analysis. ``--think S`` has
each client wait S seconds between its requests (a person reading); by default they send
the next request as soon as the last one is answered (a closed loop at full load).

It prints p50 / p95 / max latency and throughput per page kind, the writer's latency,
and every error (a status other than 200, or a failed request). Target on a 2-core
machine: no errors, p95 under 300 ms for cached story pages of 25 articles.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FOLLOWUP = ROOT / "samples-followup"
HOST = "127.0.0.1"
TOKEN = "web-load-benchmark-token"
QUERIES = ["tear gas", "Kestrow dockworkers", "council", "strike", "museum", "ferry"]

OUTLETS = [
    "Ostby Ledger",
    "Varn Evening Star",
    "Coastline Daily",
    "Halvey Gazette",
    "Marrow Times",
    "Pellan Post",
    "The Fenwick Record",
    "Dunmere Courier",
    "Selby Bulletin",
    "Rosk Messenger",
    "Tarvik Today",
    "Istel Herald",
    "Brisk Chronicle",
    "Wexley Mercury",
    "Yarrow Sentinel",
    "Galt Observer",
    "Norwick News",
    "Arvel Argus",
    "Quarry Hill Voice",
    "Elsby Standard",
]
SWAPS = [
    ("Police fired tear gas", "Riot officers used tear gas"),
    ("striking dockworkers", "striking port workers"),
    ("were injured", "were hurt"),
    ("said in a statement", "said in a written statement"),
    ("Witnesses said", "Onlookers said"),
    ("talks could resume", "negotiations could restart"),
    ("about a third", "roughly a third"),
    ("is expected to visit", "plans to travel to"),
    ("told reporters", "told journalists"),
    ("the regional hospital", "Kestrow's regional hospital"),
]


def _paragraphs(path: Path) -> tuple[str, list[str]]:
    """A sample's headline and body paragraphs (its dateline line dropped)."""
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    if re.fullmatch(r"\w+day, \w+ \d+, \d{4}", blocks[0]):
        blocks = blocks[1:]
    return blocks[0], blocks[1:]


def rewrites(count: int, seed: int = 7) -> list[dict[str, str]]:
    """``count`` fictional versions of the Kestrow clash: the wire story or the
    independent report, rewritten a little (word swaps, a paragraph left out, an
    outlet's own closing line), as a regional paper would run it."""
    rng = random.Random(seed)
    bases = [
        _paragraphs(SAMPLES / "story" / "01_wire_original.txt"),
        _paragraphs(SAMPLES / "story" / "04_independent_report.txt"),
    ]
    items = []
    for k in range(count):
        title, body = bases[k % 3 == 2]  # two of three from the wire, as in real piles
        body = list(body)
        if len(body) > 6:
            del body[rng.randrange(3, len(body))]
        text = "\n\n".join(body)
        for old, new in rng.sample(SWAPS, 4):
            text = text.replace(old, new)
        outlet = OUTLETS[k % len(OUTLETS)]
        text += (
            f"\n\n{outlet} will follow the dispute at Kestrow, reader tip number {k + 101}, "
            f"in its {['morning', 'evening', 'weekend'][k % 3]} edition."
        )
        items.append(
            {
                "id": f"kestrow-rewrite-{k:02d}",
                "title": title if k % 2 else f"{title} ({outlet})",
                "outlet": outlet,
                "published": f"2025-03-0{4 + k % 3}",
                "text": text,
            }
        )
    return items


def event(k: int) -> str:
    """The ``k``-th fictional article of another story, for the writer."""
    towns = ["Arvel", "Brisk", "Corrow", "Elsby", "Fenwick", "Galt", "Istel", "Jorvik"]
    town = towns[k % len(towns)]
    cost = 3 + (k * 7) % 80
    return (
        f"{town} council approves a new footbridge worth {cost} million\n\n"
        f"{town.upper()}, {1 + k % 27} May 2025 — The {town} town council voted {10 + k % 9} "
        f"to 4 on Tuesday to build a footbridge over the river, at a cost of {cost} million "
        f"crowns. Council leader Ada Corrin said it would open within {2 + k % 5} years. "
        f"Residents had asked for the crossing since {1990 + k % 30}; this is note {k}."
    )


def build_store(folder: Path, story_size: int) -> tuple[Path, str, int]:
    """The store, the id of the Kestrow story and how many articles it holds."""
    from copydesk.desk import Desk

    db = folder / "load.db"
    with Desk(db) as desk:
        desk.add([str(SAMPLES), str(FOLLOWUP)])
        story = desk.story_of("01_wire_original")
        assert story
        have = len(desk.story(story).articles)
        extra = folder / "rewrites.jsonl"
        items = rewrites(max(0, story_size - have))
        extra.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
        if items:
            desk.add([str(extra)])
        story = desk.story_of("01_wire_original")
        assert story
        size = len(desk.story(story).articles)
    return db, story, size


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``copydesk serve`` itself, as a user runs it (its access log discarded)."""
    from copydesk.web import security

    security.token_path(db).write_text(TOKEN + "\n", encoding="utf-8")
    security.token_path(db).chmod(0o600)
    command = [sys.executable, "-m", "copydesk", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), 0.5):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not listen within 30 s")


def cpu_seconds(root: int) -> float:
    """User plus system CPU time of process ``root`` and its descendants (Linux /proc):
    how much of the machine the server used, beside the clients in this process."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {root}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        grew = bool(more)
        tree |= more
    return sum(times.get(p, 0.0) for p in tree)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Connection:
    """One keep-alive HTTP/1.1 connection, GET only, reading ``Content-Length`` bodies.

    The load's clients must cost the machine less than the server they measure: httpx
    spent about 4 ms of CPU on each story page (parsing 200 kB through its layers),
    more than the server did to send it, so on 2 cores the clients set the latency.
    This is what wrk or ab do, in a few lines of asyncio."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode("latin-1"))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" not in headers:
            raise ConnectionError(f"no content-length in the answer to {target}")
        body = await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def run_load(
    base: str, story: str, args: argparse.Namespace
) -> tuple[dict[str, list[float]], list[str], list[float], float]:
    urls: dict[str, Callable[[int], str]] = {
        "front": lambda k: "/",
        "story": lambda k: f"/stories/{story}",
        "search": lambda k: "/search?q=" + QUERIES[k % len(QUERIES)].replace(" ", "+"),
    }
    kinds = list(urls)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    writes: list[float] = []
    done = 0
    stop_at = time.monotonic() + args.seconds
    port = int(base.rsplit(":", 1)[1])
    timeout = httpx.Timeout(30.0)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:

        async def reader(n: int) -> None:
            nonlocal done
            k = n
            connection = Connection(HOST, port)
            while time.monotonic() < stop_at and done < args.max_requests:
                kind = kinds[k % len(kinds)]
                url = urls[kind](k // len(kinds))
                k += 1
                start = time.perf_counter()
                try:
                    status, body = await connection.get(url)
                    elapsed = time.perf_counter() - start
                    if status != 200:
                        errors.append(f"{kind} {url}: HTTP {status} {body[:120]!r}")
                    else:
                        latencies[kind].append(elapsed)
                except (OSError, asyncio.IncompleteReadError, ValueError) as e:
                    errors.append(f"{kind} {url}: {type(e).__name__}: {e}")
                    await connection.close()
                done += 1
                if args.think:
                    await asyncio.sleep(args.think)
            await connection.close()

        async def write(k: int) -> None:
            headers = {"authorization": f"Bearer {TOKEN}"}
            if args.write_into_story:
                name = f"kestrow-extra-{k}.json"
                item = rewrites(60)[k % 60] | {"id": f"kestrow-extra-{k}"}
                item["text"] += f" Update {k}."
                body = json.dumps(item).encode()
            else:
                name, body = f"event-{k}.txt", event(k).encode()
            start = time.perf_counter()
            try:
                r = await client.post(f"/add.json?name={name}", content=body, headers=headers)
                if r.status_code != 200 or r.json().get("errors"):
                    errors.append(f"write {name}: HTTP {r.status_code} {r.text[:160]!r}")
                else:
                    writes.append(time.perf_counter() - start)
            except httpx.HTTPError as e:
                errors.append(f"write {name}: {type(e).__name__}: {e}")

        async def writer() -> None:
            """One write every ``--write-every`` seconds, on a fixed beat: a slow write
            does not delay the next one."""
            pending = []
            k = 0
            while True:
                await asyncio.sleep(args.write_every)
                if time.monotonic() >= stop_at or done >= args.max_requests:
                    break
                pending.append(asyncio.create_task(write(k)))
                k += 1
            await asyncio.gather(*pending)

        began = time.perf_counter()
        await asyncio.gather(*(reader(n) for n in range(args.clients)), writer())
        elapsed = time.perf_counter() - began
    return latencies, errors, writes, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--story-size", type=int, default=25)
    parser.add_argument("--write-every", type=float, default=1.0)
    parser.add_argument("--write-into-story", action="store_true")
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=1, help="copydesk serve --workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="copydesk-load-") as tmp:
        t = time.perf_counter()
        db, story, size = build_store(Path(tmp), args.story_size)
        print(
            f"store: {db.stat().st_size / 1e6:.1f} MB, story {story} of {size} articles, "
            f"built in {time.perf_counter() - t:.1f} s"
        )
        port = free_port()
        base = f"http://{HOST}:{port}"
        proc = start_server(db, port, args.workers)
        try:
            with httpx.Client(base_url=base, timeout=120) as warm:
                t = time.perf_counter()
                r = warm.get(f"/stories/{story}")
                r.raise_for_status()
                first = time.perf_counter() - t
                t = time.perf_counter()
                warm.get(f"/stories/{story}").raise_for_status()
                again = time.perf_counter() - t
                for q in QUERIES:
                    warm.get("/search", params={"q": q}).raise_for_status()
                warm.get("/").raise_for_status()
                print(
                    f"warm-up: story page {first * 1000:.0f} ms (analysis computed), then "
                    f"{again * 1000:.0f} ms (cached), {len(r.content) / 1000:.0f} kB"
                )
            where = "into the measured story" if args.write_into_story else "to another story"
            print(
                f"load: {args.clients} clients for {args.seconds:g} s (at most "
                f"{args.max_requests} requests), one write {where} every "
                f"{args.write_every:g} s, think time {args.think:g} s, server on {base} "
                f"with {args.workers} worker(s) ({os.cpu_count()} CPUs)"
            )
            server_before, client_before = cpu_seconds(proc.pid), time.process_time()
            latencies, errors, writes, elapsed = asyncio.run(run_load(base, story, args))
            server_cpu = cpu_seconds(proc.pid) - server_before
            client_cpu = time.process_time() - client_before
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    total = sum(len(v) for v in latencies.values())
    print(f"\n{'page':<8}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in ("front", "story", "search"):
        v = latencies.get(kind, [])
        print(
            f"{kind:<8}{len(v):>10}{len(v) / elapsed:>9.1f}{pct(v, 0.5) * 1000:>9.0f}"
            f"{pct(v, 0.95) * 1000:>9.0f}{(max(v) if v else float('nan')) * 1000:>9.0f}"
        )
    everything = [x for v in latencies.values() for x in v]
    print(
        f"{'all':<8}{total:>10}{total / elapsed:>9.1f}{pct(everything, 0.5) * 1000:>9.0f}"
        f"{pct(everything, 0.95) * 1000:>9.0f}{max(everything, default=float('nan')) * 1000:>9.0f}"
    )
    if writes:
        print(
            f"writes: {len(writes)} added, p50 {statistics.median(writes) * 1000:.0f} ms, "
            f"max {max(writes) * 1000:.0f} ms"
        )
    print(
        f"CPU: server {server_cpu:.1f} s ({server_cpu / max(total, 1) * 1000:.2f} ms a "
        f"request), clients {client_cpu:.1f} s ({client_cpu / max(total, 1) * 1000:.2f} ms "
        f"a request), in {elapsed:.1f} s on {os.cpu_count()} CPUs"
    )
    print(f"errors: {len(errors)}")
    for e in errors[:20]:
        print(f"  {e}")
    story_p95 = pct(latencies.get("story", []), 0.95) * 1000
    ok = not errors and story_p95 < 300
    print(
        f"target (no errors, story p95 < 300 ms): {'met' if ok else 'NOT met'} "
        f"(story p95 {story_p95:.0f} ms, {len(errors)} errors, {elapsed:.1f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
