"""A pose drawn as text: braille dots (U+2800-U+28FF), two dots wide and four tall per cell.

Near limbs and the torso are thick solid strokes (three dots or more), far limbs dashed
two-dot ones, the head a round dot (filled on a small figure), and the props (floor, cushion,
chair, bed, wall, desk) thin outlines. The picture is scaled to the pose's own extent (every key
pose and prop), so it stays put while it moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from psoas_tui.figures.poses import SPACE, KeyPose, Point, Pose, Prop

BRAILLE = 0x2800
# Bit of each dot in a cell, indexed [row][column].
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
MIN_COLUMNS, MIN_ROWS = 8, 3
MARGIN = 2.0  # units of pose space around the figure

NEAR = (("shoulder", "elbow_near"), ("elbow_near", "wrist_near"),
        ("hip", "knee_near"), ("knee_near", "ankle_near"), ("ankle_near", "toe_near"))  # fmt: skip
FAR = (("shoulder", "elbow_far"), ("elbow_far", "wrist_far"),
       ("hip", "knee_far"), ("knee_far", "ankle_far"), ("ankle_far", "toe_far"))  # fmt: skip
TORSO = (("neck", "shoulder"), ("shoulder", "hip"))


class Canvas:
    """A grid of braille dots ``columns * 2`` wide and ``rows * 4`` tall; off-grid dots are dropped."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.width, self.height = columns * 2, rows * 4
        self.cells = [[0] * columns for _ in range(rows)]

    def dot(self, x: int, y: int) -> None:
        """Set the dot at ``(x, y)`` (from the top left)."""
        if 0 <= x < self.width and 0 <= y < self.height:
            self.cells[y // 4][x // 2] |= DOT_BITS[y % 4][x % 2]

    def line(self, a: Point, b: Point, *, thick: int = 1, dash: tuple[int, int] | None = None) -> None:
        """A straight line from ``a`` to ``b`` with a ``thick``-dot square brush; ``dash``
        ``(on, off)`` leaves gaps, always drawing the last dot so joints stay joined."""
        dots = list(_steps(a, b))
        for n, (x, y) in enumerate(dots):
            if dash and n % sum(dash) >= dash[0] and n != len(dots) - 1:
                continue
            for dx in range(thick):
                for dy in range(thick):
                    self.dot(x + dx - thick // 2, y + dy - thick // 2)

    def disc(self, centre: Point, radius: float, *, ring: float | None = None) -> None:
        """A filled disc, or a ring ``ring`` dots thick, around ``centre``."""
        cx, cy = centre
        span = int(radius) + 1
        for y in range(round(cy) - span, round(cy) + span + 1):
            for x in range(round(cx) - span, round(cx) + span + 1):
                distance = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
                if distance <= radius and (ring is None or distance > radius - ring):
                    self.dot(x, y)

    def lines(self) -> list[str]:
        """The grid as text: one string per row, spaces where no dot is set."""
        return ["".join(chr(BRAILLE + bits) if bits else " " for bits in row) for row in self.cells]


def _steps(a: Point, b: Point) -> Iterable[tuple[int, int]]:
    """The dots of a line from ``a`` to ``b`` (DDA, one dot per step along the longer axis)."""
    (x0, y0), (x1, y1) = a, b
    count = max(1, round(max(abs(x1 - x0), abs(y1 - y0))))
    for n in range(count + 1):
        u = n / count
        yield round(x0 + (x1 - x0) * u), round(y0 + (y1 - y0) * u)


@dataclass(frozen=True, slots=True)
class Frame:
    """How pose space maps onto a canvas: a uniform scale, the box's left and floor, offsets."""

    scale: float
    left: float
    bottom: float
    offset_x: float
    offset_y: float

    def at(self, point: Point) -> Point:
        """``point`` in dots (y down)."""
        return (self.offset_x + (point[0] - self.left) * self.scale,
                self.offset_y - (point[1] - self.bottom) * self.scale)  # fmt: skip


def extent(pose: Pose) -> tuple[float, float, float, float]:
    """The box ``(left, bottom, right, top)`` holding every key pose, the head and the props."""
    xs: list[float] = []
    ys: list[float] = []
    for key in pose.keys:
        xs += [p[0] for p in key.points]
        ys += [p[1] for p in key.points]
        hx, hy = key.joint("head")
        xs += [hx - pose.head_radius, hx + pose.head_radius]
        ys += [hy + pose.head_radius]
    for prop in pose.props:
        if prop.kind != "floor":
            xs += [prop.x, prop.x + prop.width]
        ys += [prop.y, prop.y + prop.height]
    left, right = max(0.0, min(xs) - MARGIN), min(SPACE, max(xs) + MARGIN)
    bottom, top = max(0.0, min(ys)), min(SPACE, max(ys) + MARGIN)
    return left, bottom, right, top


def frame_for(pose: Pose, canvas: Canvas) -> Frame:
    """Fit the pose's extent into ``canvas``, centred across and standing on the bottom row."""
    left, bottom, right, top = extent(pose)
    scale = min((canvas.width - 1) / max(right - left, 1.0), (canvas.height - 1) / max(top - bottom, 1.0))
    offset_x = (canvas.width - 1 - (right - left) * scale) / 2
    return Frame(scale, left, bottom, offset_x, canvas.height - 1)


def _prop(canvas: Canvas, frame: Frame, prop: Prop) -> None:
    x0, x1, y0 = prop.x, prop.x + prop.width, prop.y
    y1 = prop.y + prop.height
    segments: list[tuple[Point, Point]] = []
    if prop.kind == "floor":
        canvas.line((0, frame.at((0, y0))[1]), (canvas.width - 1, frame.at((0, y0))[1]))
        return
    if prop.kind == "wall":
        segments = [((x0, 0), (x0, y1 or SPACE))]
    elif prop.kind == "cushion":
        segments = [((x0, y0), (x0, y1)), ((x0, y1), (x1, y1)), ((x1, y1), (x1, y0))]
    elif prop.kind in ("bed", "desk", "chair"):
        segments = [((x0, y1), (x1, y1)), ((x0, y1), (x0, y0)), ((x1, y1), (x1, y0))]
        if prop.back:
            bx = x0 if prop.back == "left" else x1
            segments.append(((bx, y1), (bx, y1 + prop.height * 0.9)))
    for a, b in segments:
        canvas.line(frame.at(a), frame.at(b))


def brush(scale: float) -> int:
    """How many dots thick the torso and a near limb are at ``scale`` dots per unit."""
    return 3 if scale < 1.6 else 4


def far_dash(scale: float) -> tuple[int, int]:
    """The ``(on, off)`` dashes of a far limb (two dots thick): long dashes on a small figure,
    where short ones would break up into specks, and sparser ones on a large figure."""
    return (3, 2) if scale < 0.6 else (2, 3)


def draw(pose: Pose, key: KeyPose, columns: int, rows: int) -> list[str]:
    """``key`` (a position of ``pose``) with ``pose``'s props, as ``rows`` lines of ``columns`` cells.

    The scale comes from the whole pose, so every key pose of it is drawn at the same scale
    and place. Raises ``ValueError`` below ``MIN_COLUMNS`` x ``MIN_ROWS`` cells.
    """
    if columns < MIN_COLUMNS or rows < MIN_ROWS:
        raise ValueError(f"a figure needs at least {MIN_COLUMNS}x{MIN_ROWS} cells, got {columns}x{rows}")
    canvas = Canvas(columns, rows)
    frame = frame_for(pose, canvas)
    for prop in pose.props:
        _prop(canvas, frame, prop)
    thick = brush(frame.scale)
    for a, b in FAR:
        canvas.line(frame.at(key.joint(a)), frame.at(key.joint(b)), thick=2, dash=far_dash(frame.scale))
    for a, b in (*TORSO, *NEAR):
        canvas.line(frame.at(key.joint(a)), frame.at(key.joint(b)), thick=thick)
    radius = max(2.0, pose.head_radius * frame.scale)
    head = frame.at(key.joint("head"))
    canvas.disc(head, radius, ring=None if radius < 3.5 else max(1.5, radius / 3))
    return canvas.lines()
