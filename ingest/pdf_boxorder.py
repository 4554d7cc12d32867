"""The order pdfminer reads a page's text boxes in (LAParams.boxes_flow 0.5): boxes are merged
pairwise into a tree, always the pair whose surrounding rectangle wastes the least area, and a
pair with another box in between only when no clear pair is left; the tree is then read depth
first, each group's two children top-left first.

pdfminer keeps every pair in one heap, stale ones included, which costs a heap operation per
pair and per merge. Here the pairs of the first boxes are sorted once, each new group's pairs
are sorted when it is made, and a small heap holds only the head of each sorted stream, so a
merged box's pairs are skipped without being pushed or popped. The merges are the same as
pdfminer's; only pairs at exactly the same distance may be taken in another order, since
pdfminer orders those by object identity.
"""
from __future__ import annotations

import heapq

import numpy as np

Bounds = tuple[float, float, float, float]
_FLOW = 0.5  # LAParams.boxes_flow
_BLOCKERS = 8  # recent blockers tried before testing every element
_WINDOW = 256  # pairs of boxes, at least, turned into lists at a time (4 per box on a larger page)


def reading_order(rects: list[Bounds], bounds: Bounds) -> list[int]:
    """Indexes of the boxes `rects` (x0, y0, x1, y1) in pdfminer's reading order. `bounds` is
    the page: boxes wholly outside it never stand between two others, as in pdfminer's Plane."""
    if len(rects) < 2:
        return list(range(len(rects)))
    tree = _Tree(rects, bounds)
    tree.merge_all()
    return tree.order()


class _Tree:
    """Element k < n is box k; later ones are groups of two elements each."""

    def __init__(self, rects: list[Bounds], bounds: Bounds) -> None:
        n = len(rects)
        self.n = n
        self.rect = np.zeros((2 * n, 4))
        self.rect[:n] = rects
        self.area = np.zeros(2 * n)
        self.area[:n] = (self.rect[:n, 2] - self.rect[:n, 0]) * (self.rect[:n, 3] - self.rect[:n, 1])
        self.alive = [True] * n + [False] * n  # scalar lookups are the hot path
        self.live = np.zeros(2 * n, dtype=bool)  # the same, for the vectorised test
        self.live[:n] = True
        bx0, by0, bx1, by1 = bounds
        r = self.rect
        self.findable = (r[:, 2] > bx0) & (r[:, 0] < bx1) & (r[:, 3] > by0) & (r[:, 1] < by1)
        self.bounds = bounds
        self.children: list[tuple[int, int]] = []
        self.size = n
        self.boxes = [tuple(b) for b in self.rect[:n].tolist()] + [(0.0, 0.0, 0.0, 0.0)] * n  # scalar access
        self.blockers: list[int] = []  # elements that blocked pairs lately, latest first
        self.streams: dict[int, tuple[list[float], list[int]]] = {}  # group -> its pairs, sorted
        self.heads: list[tuple[float, int, int, int]] = []  # (distance, group, other, position)

    def merge_all(self) -> None:
        n = self.n
        first, second = np.triu_indices(n, 1)  # pairs by first element, then by second
        r = self.rect
        dist = ((np.maximum(r[first, 2], r[second, 2]) - np.minimum(r[first, 0], r[second, 0]))
                * (np.maximum(r[first, 3], r[second, 3]) - np.minimum(r[first, 1], r[second, 1]))
                - self.area[first] - self.area[second])
        order = dist.argsort(kind="stable")  # ties keep (first, second) order
        ranked = (dist[order], first[order], second[order])
        dists: list[float] = []
        firsts: list[int] = []
        seconds: list[int] = []
        taken = 0  # pairs of `ranked` gone into the lists
        alive, heads = self.alive, self.heads
        blocked: list[tuple[float, int, int]] = []  # taken only when no clear pair is left
        p, m = 0, 0
        while True:
            while True:
                while p < m and not (alive[firsts[p]] and alive[seconds[p]]):
                    p += 1
                if p < m or taken == len(order):
                    break
                dists, firsts, seconds, taken = self._window(ranked, taken)
                p, m = 0, len(dists)
            head = heads[0] if heads else None
            if head is not None and not (alive[head[1]] and alive[head[2]]):
                head = self._group_head()
            # The closer of the first pairs' next one and the groups' (distance, then elements),
            # compared without making tuples: this runs for every pair tried.
            if p < m and (head is None or dists[p] < head[0]
                          or (dists[p] == head[0] and (firsts[p], seconds[p]) < (head[1], head[2]))):
                d, i, j = dists[p], firsts[p], seconds[p]
                p += 1
            elif head is not None:
                d, i, j = head[0], head[1], head[2]
                self._advance(head)
            else:
                # No clear pair is left (and none will be until a merge): the closest blocked
                # pair of two live elements.
                while blocked:
                    d, i, j = heapq.heappop(blocked)
                    if alive[i] and alive[j]:
                        self._merge(i, j)
                        break
                else:
                    return
                continue
            if self._between(i, j):
                heapq.heappush(blocked, (d, i, j))
            else:
                self._merge(i, j)

    def _window(self, ranked: tuple[np.ndarray, np.ndarray, np.ndarray],
                taken: int) -> tuple[list[float], list[int], list[int], int]:
        """The next pairs of boxes by distance from `ranked` (distances, first and second
        boxes), from `taken` on, as lists, but those with a dead box: it stays dead. A page's
        boxes make many pairs, most of them dead by the time they come; they are dropped in
        numpy a window at a time rather than passed over one by one. Returns how many of
        `ranked` are taken after these."""
        end = taken + max(_WINDOW, 4 * self.n)
        dist, first, second = (v[taken:end] for v in ranked)
        keep = self.live[first] & self.live[second]
        return dist[keep].tolist(), first[keep].tolist(), second[keep].tolist(), min(end, len(ranked[0]))

    def _group_head(self) -> tuple[float, int, int, int] | None:
        """The closest pair of a group with a live element, dropping dead groups' pairs."""
        heads, alive = self.heads, self.alive
        while heads:
            head = heads[0]
            if not alive[head[1]]:
                heapq.heappop(heads)
                del self.streams[head[1]]
            elif not alive[head[2]]:
                self._advance(head)
            else:
                return head
        return None

    def _advance(self, head: tuple[float, int, int, int]) -> None:
        """Replace the group's head pair by its next one, passing over pairs whose other
        element is dead: it stays dead, and each pair passed here costs no heap operation."""
        _, group, _, position = head
        dists, others = self.streams[group]
        alive = self.alive
        position += 1
        end = len(dists)
        while position < end and not alive[others[position]]:
            position += 1
        if position < end:
            heapq.heapreplace(self.heads, (dists[position], group, others[position], position))
        else:
            heapq.heappop(self.heads)
            del self.streams[group]

    def _between(self, i: int, j: int) -> bool:
        """Whether another live element overlaps the rectangle around i and j. Most pairs
        that are blocked are blocked by one of a few large elements, so the last ones found are
        tried first, in plain Python; only if none of them blocks is every element tested.
        (Blockers are findable, and an element stays findable: only liveness is asked.)"""
        r = self.boxes
        ix0, iy0, ix1, iy1 = r[i]
        jx0, jy0, jx1, jy1 = r[j]
        # min() and max() as they choose, without their calls: this runs for every pair tried.
        x0 = jx0 if jx0 < ix0 else ix0
        y0 = jy0 if jy0 < iy0 else iy0
        x1 = jx1 if jx1 > ix1 else ix1
        y1 = jy1 if jy1 > iy1 else iy1
        bx0, by0, bx1, by1 = self.bounds
        if x1 <= bx0 or bx1 <= x0 or y1 <= by0 or by1 <= y0:
            return False
        alive = self.alive
        for b in self.blockers:
            if b != i and b != j and alive[b]:
                c = r[b]
                if c[2] > x0 and c[0] < x1 and c[3] > y0 and c[1] < y1:
                    return True
        k = self.size
        s = self.rect[:k]
        hit = self.live[:k] & self.findable[:k] & (s[:, 2] > x0) & (s[:, 0] < x1) & (s[:, 3] > y0) & (s[:, 1] < y1)
        hit[i] = hit[j] = False
        found = int(hit.argmax())
        if not hit[found]:
            return False
        self.blockers.insert(0, found)
        del self.blockers[_BLOCKERS:]
        return True

    def _merge(self, i: int, j: int) -> None:
        k = self.size
        self.size += 1
        r = self.rect
        (ix0, iy0, ix1, iy1), (jx0, jy0, jx1, jy1) = self.boxes[i], self.boxes[j]
        x0 = jx0 if jx0 < ix0 else ix0  # min() and max() as they choose
        y0 = jy0 if jy0 < iy0 else iy0
        x1 = jx1 if jx1 > ix1 else ix1
        y1 = jy1 if jy1 > iy1 else iy1
        r[k] = self.boxes[k] = x0, y0, x1, y1
        area = self.area[k] = (x1 - x0) * (y1 - y0)
        bx0, by0, bx1, by1 = self.bounds
        self.findable[k] = x1 > bx0 and x0 < bx1 and y1 > by0 and y0 < by1
        self.alive[i] = self.alive[j] = False
        self.live[i] = self.live[j] = False
        self.children.append((i, j))
        others = np.nonzero(self.live[:k])[0]
        if len(others):
            o = r[others]
            # Width and height of the rectangle around k and each other element, both at once.
            span = np.maximum(o[:, 2:], r[k, 2:]) - np.minimum(o[:, :2], r[k, :2])
            dist = span[:, 0] * span[:, 1] - area - self.area[others]
            order = dist.argsort(kind="stable")  # ties keep the order of the elements
            dists, chosen = dist[order].tolist(), others[order].tolist()
            self.streams[k] = (dists, chosen)
            heapq.heappush(self.heads, (dists[0], k, chosen[0], 0))
        self.alive[k] = True
        self.live[k] = True

    def order(self) -> list[int]:
        """Boxes depth first, each group's children sorted left-top first by pdfminer's key."""
        rect = self.rect

        def key(k: int) -> float:
            return float((1 - _FLOW) * rect[k, 0] - (1 + _FLOW) * (rect[k, 1] + rect[k, 3]))

        out: list[int] = []
        stack = [self.size - 1]
        while stack:
            k = stack.pop()
            if k < self.n:
                out.append(k)
            else:
                stack.extend(reversed(sorted(self.children[k - self.n], key=key)))
        return out
