"""The provenance graph as server-drawn SVG: who copied whom, labelled by outlet.

Nodes sit on a circle, grouped by independent source so that copies of one wire sit
side by side; each node carries its article's name outside the circle. An arrow runs
from the original to the article that reuses it, labelled with the share of the
derived text it covers. Edge labels never overlap one another, a node or a node's
name: each label tries positions along its edge, nearest the middle first, and when
none is free it is left off the drawing (the edge keeps its tooltip, and the list under
the graph gives every figure). Colours come from CSS classes (``g1`` ... ``g10``): the
page's Content-Security-Policy allows no style attribute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from copydesk.models import Reuse

MAX_NODES = 40
NODE_R = 14
CHAR_W = 6.4  # mean width of an 11 px character, for label boxes
LABEL_H = 14.0
MAX_NAME_CHARS = 24
# Where along an edge a label may sit (0: at the original, 1: at the copy).
SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8)

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class GraphNode:
    article: str
    name: str
    short: str
    group: int
    cls: str
    x: float
    y: float
    lx: float
    ly: float
    anchor: str


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    title: str
    directed: bool
    lx: float | None
    ly: float | None


@dataclass(frozen=True, slots=True)
class Graph:
    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    left_out: int

    def label_boxes(self) -> list[Box]:
        """The boxes of the edge labels drawn: a test checks that none overlap."""
        return [
            _box(e.lx, e.ly, e.label) for e in self.edges if e.lx is not None and e.ly is not None
        ]


def _box(x: float, y: float, text: str) -> Box:
    w = CHAR_W * len(text) + 4
    return (x - w / 2, y - LABEL_H / 2, x + w / 2, y + LABEL_H / 2)


def _name_box(x: float, y: float, text: str, anchor: str) -> Box:
    w = CHAR_W * len(text) + 2
    left = {"start": x, "end": x - w}.get(anchor, x - w / 2)
    return (left, y - LABEL_H + 3, left + w, y + 4)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME_CHARS else name[: MAX_NAME_CHARS - 1].rstrip() + "…"


def group_class(group: int) -> str:
    return f"g{(group - 1) % 10 + 1}" if group else "g0"


def provenance_graph(
    order: Sequence[str],
    names: Mapping[str, str],
    group_of: Mapping[str, int],
    reuse: Sequence[Reuse],
) -> Graph:
    """Lay out the substantial reuse between the articles of ``order`` (story order)."""
    tied = [r for r in reuse if r.substantial and r.a in names and r.b in names]
    degree: dict[str, int] = {}
    for r in tied:
        degree[r.a] = degree.get(r.a, 0) + 1
        degree[r.b] = degree.get(r.b, 0) + 1
    position = {a: i for i, a in enumerate(order)}
    members = list(order) if len(order) <= MAX_NODES else [a for a in order if a in degree]
    if len(members) > MAX_NODES:
        members = sorted(members, key=lambda a: (-degree.get(a, 0), position[a]))[:MAX_NODES]
    members.sort(key=lambda a: (group_of.get(a) or 10**6, position[a]))
    n = len(members)
    radius = max(160.0, n * 14.0)
    margin_x = CHAR_W * MAX_NAME_CHARS + NODE_R + 12
    width = int(2 * (radius + margin_x))
    height = int(2 * (radius + 40))
    cx, cy = width / 2, height / 2
    nodes: list[GraphNode] = []
    where: dict[str, tuple[float, float]] = {}
    blocked: list[Box] = []
    for i, aid in enumerate(members):
        angle = 2 * math.pi * i / max(n, 1) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = round(cx + radius * cos, 1), round(cy + radius * sin, 1)
        anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
        lx = round(x + (NODE_R + 6) * cos, 1)
        ly = round(y + (NODE_R + 12) * sin + 4, 1)
        short = _short(names[aid])
        group = group_of.get(aid, 0)
        nodes.append(
            GraphNode(aid, names[aid], short, group, group_class(group), x, y, lx, ly, anchor)
        )
        where[aid] = (x, y)
        blocked.append((x - NODE_R, y - NODE_R, x + NODE_R, y + NODE_R))
        blocked.append(_name_box(lx, ly, short, anchor))
    edges: list[GraphEdge] = []
    placed: list[Box] = []
    for r in tied:
        if r.a not in where or r.b not in where:
            continue
        src, dst = (r.b, r.a) if r.direction == "b->a" else (r.a, r.b)
        if r.direction:
            cov = r.coverage_a if dst == r.a else r.coverage_b
            label = f"{cov:.0%}"
            title = f"{names[dst]} reuses {names[src]}: {cov:.0%} of {names[dst]} covered"
        else:
            label = f"{r.coverage_a:.0%}/{r.coverage_b:.0%}"
            title = (
                f"{names[r.a]} and {names[r.b]} share text (direction unknown): "
                f"{r.coverage_a:.0%} of {names[r.a]}, {r.coverage_b:.0%} of {names[r.b]}"
            )
        (x1, y1), (x2, y2) = where[src], where[dst]
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        spot = _free_spot(x1, y1, x2, y2, label, placed + blocked)
        if spot is not None:
            placed.append(_box(*spot, label))
        gap = NODE_R + 2
        edges.append(
            GraphEdge(
                source=src,
                target=dst,
                x1=round(x1 + ux * gap, 1),
                y1=round(y1 + uy * gap, 1),
                x2=round(x2 - ux * (gap + 3), 1),
                y2=round(y2 - uy * (gap + 3), 1),
                label=label,
                title=title,
                directed=bool(r.direction),
                lx=spot[0] if spot else None,
                ly=spot[1] if spot else None,
            )
        )
    return Graph(width, height, tuple(nodes), tuple(edges), len(order) - len(members))


def _free_spot(
    x1: float, y1: float, x2: float, y2: float, label: str, taken: Sequence[Box]
) -> tuple[float, float] | None:
    d = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / d, (x2 - x1) / d
    for t in SPOTS:
        for side in (0.0, 1.0, -1.0):
            x = round(x1 + (x2 - x1) * t + nx * 9 * side, 1)
            y = round(y1 + (y2 - y1) * t + ny * 9 * side, 1)
            box = _box(x, y, label)
            if not any(_overlap(box, other) for other in taken):
                return x, y
    return None
