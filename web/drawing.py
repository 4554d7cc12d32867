"""A material's neighbourhood as a small radial drawing: coordinates computed here, the SVG
written by the template (so every label is escaped like any other text)."""
from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 400
MAX_LABEL = 22


@dataclass(frozen=True)
class Neighbour:
    key: str  # shown as its label
    kind: str  # css class and legend: material, property, application, element, other
    href: str
    relation: str  # shown on hover: "co-mentioned in 3 documents", "4 facts"


@dataclass(frozen=True)
class Placed:
    label: str
    title: str
    kind: str
    href: str
    x: float
    y: float
    anchor: str  # text-anchor, so labels on the left grow leftwards


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    cx: float
    cy: float
    centre: str
    nodes: tuple[Placed, ...]


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def radial(centre: str, neighbours: list[Neighbour]) -> Drawing:
    """The centre in the middle, neighbours evenly on an ellipse around it, in the order given."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    rx, ry = WIDTH / 2 - 120, HEIGHT / 2 - 40
    placed = []
    for i, n in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(neighbours), 1)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        anchor = "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end")
        placed.append(Placed(_short(n.key), f"{n.key}: {n.relation}", n.kind, n.href,
                             round(x, 1), round(y, 1), anchor))
    return Drawing(WIDTH, HEIGHT, cx, cy, _short(centre), tuple(placed))
