"""Fictional articles made to order for the desk's tests: distinct texts, dated.

They share a template, so grouping takes many of them for copies or one story; the
tests that use them are about storage (kills, concurrent readers), not grouping.
"""

from __future__ import annotations

import random
from pathlib import Path

TOWNS = [
    "Arvel",
    "Brisk",
    "Corrow",
    "Dunmere",
    "Elsby",
    "Fenwick",
    "Galt",
    "Harrowgate",
    "Istel",
    "Jorvik",
    "Kelso",
    "Lindholt",
    "Marrow",
    "Norwick",
    "Ostby",
    "Pellan",
    "Quarry Hill",
    "Rosk",
    "Selby",
    "Tarvik",
    "Ulm Ferry",
    "Varn",
    "Wexley",
    "Yarrow",
]
THINGS = [
    ("footbridge", "river crossing"),
    ("library", "reading rooms"),
    ("tram depot", "tram line"),
    ("swimming pool", "leisure centre"),
    ("flood wall", "river defences"),
    ("bus station", "coach terminal"),
    ("school annex", "classrooms"),
    ("water works", "treatment plant"),
    ("market hall", "covered market"),
]
PEOPLE = ["Ada Corrin", "Bram Olsen", "Cato Vell", "Dina Marsh", "Eli Stroud", "Fay Linde"]


def event_article(k: int, *, seed: int = 0) -> tuple[str, str]:
    """The ``k``-th fictional article as ``(file name, text)``: a headline, a dateline and
    five sentences; no two ``k`` give the same text."""
    rng = random.Random(seed * 100_003 + k)
    town = TOWNS[k % len(TOWNS)]
    thing, other = THINGS[(k // len(TOWNS)) % len(THINGS)]
    person = rng.choice(PEOPLE)
    cost = 2 + (k * 7) % 90
    day = 1 + k % 27
    votes = 11 + k % 9
    title = f"{town} council approves new {thing} worth {cost} million"
    body = (
        f"{town.upper()}, {day} May 2025 — The {town} town council voted {votes} to 4 on "
        f"Tuesday to build a new {thing}, at a cost of {cost} million crowns. "
        f"Council leader {person} said the {other} would open within {2 + k % 5} years. "
        f"Residents of {town} had campaigned for the {thing} since {1990 + k % 30}. "
        f"Opponents said the {cost} million crowns should go to road repairs instead. "
        f"Work on the {thing} is due to begin in {['June', 'July', 'August'][k % 3]}."
    )
    return f"event_{k:04d}.txt", f"{title}\n\n{body}\n"


def write_events(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(start, start + count):
        name, text = event_article(k)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
