"""Pose values and how they move: key poses, the mirror image, eased interpolation, and the
breath or loop position that drives a figure between its key poses.

Coordinates live in a 100 x 100 space: ``x`` from 0 (left) to 100 (right), ``y`` from 0 (the
floor) up to 100. Poses are written for the left side; the right side is ``mirror(pose)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from psoas_tui.model import BreathPattern

SPACE = 100.0
JOINTS: tuple[str, ...] = (
    "head", "neck", "shoulder", "elbow_near", "wrist_near", "elbow_far", "wrist_far",
    "hip", "knee_near", "ankle_near", "toe_near", "knee_far", "ankle_far", "toe_far",
)  # fmt: skip
PROP_KINDS: tuple[str, ...] = ("floor", "cushion", "chair", "bed", "wall", "desk")

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Prop:
    """Something the person uses: a box from ``x`` to ``x + width``, from ``y`` up ``height``.

    ``floor`` uses only ``y``; ``wall`` only ``x`` (and ``height``, from the floor up);
    ``chair`` has its seat at ``height`` and a back on side ``back`` (``"left"``, ``"right"``
    or ``""`` for a stool).
    """

    kind: str
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    back: str = ""


@dataclass(frozen=True, slots=True)
class KeyPose:
    """One still position: every joint of ``JOINTS`` as an ``(x, y)`` point, in that order."""

    name: str
    points: tuple[Point, ...]

    def joint(self, name: str) -> Point:
        """The point of joint ``name``."""
        return self.points[JOINTS.index(name)]


@dataclass(frozen=True, slots=True)
class Pose:
    """A named pose: its key poses in order (at least one) and its props."""

    name: str
    title: str
    keys: tuple[KeyPose, ...]
    props: tuple[Prop, ...] = ()
    head_radius: float = 6.0

    def key_names(self) -> tuple[str, ...]:
        """The names of the key poses, in order."""
        return tuple(key.name for key in self.keys)

    def only(self, names: tuple[str, ...]) -> Pose:
        """This pose moving between the key poses ``names`` only (in that order)."""
        by_name = {key.name: key for key in self.keys}
        return replace(self, keys=tuple(by_name[name] for name in names))


def _flip(point: Point) -> Point:
    return (SPACE - point[0], point[1])


def mirror_prop(prop: Prop) -> Prop:
    """``prop`` seen in a mirror standing at ``x = 50``."""
    back = {"left": "right", "right": "left"}.get(prop.back, prop.back)
    return replace(prop, x=SPACE - prop.x - prop.width, back=back)


def mirror(pose: Pose) -> Pose:
    """The other side: every point and prop reflected about ``x = 50``.

    Near limbs stay near: the mirror image of a person seen from their left side is the same
    movement done on the right side, seen from the right.
    """
    keys = tuple(replace(key, points=tuple(_flip(p) for p in key.points)) for key in pose.keys)
    return replace(pose, keys=keys, props=tuple(mirror_prop(p) for p in pose.props))


def for_side(pose: Pose, side: str | None) -> Pose:
    """``pose`` for ``side``: as written for ``"left"`` (or no side), mirrored for ``"right"``."""
    return mirror(pose) if side == "right" else pose


def ease(u: float) -> float:
    """Ease in and out (smoothstep) on 0..1; values outside are clamped."""
    u = min(1.0, max(0.0, u))
    return u * u * (3.0 - 2.0 * u)


def _lerp(a: Point, b: Point, u: float) -> Point:
    return (a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u)


def interpolate(pose: Pose, t: float) -> KeyPose:
    """The position at ``t`` (0..1) through the key poses, eased between each pair.

    ``t = 0`` is the first key pose and ``t = 1`` the last; with three keys ``t = 0.5`` is
    the middle one. A pose with one key is still.
    """
    keys = pose.keys
    if len(keys) == 1 or not math.isfinite(t):
        return keys[0]
    span = min(1.0, max(0.0, t)) * (len(keys) - 1)
    index = min(int(span), len(keys) - 2)
    u = ease(span - index)
    first, second = keys[index], keys[index + 1]
    if u in (0.0, 1.0):
        return first if u == 0.0 else second
    points = tuple(_lerp(a, b, u) for a, b in zip(first.points, second.points, strict=True))
    return KeyPose(f"{first.name}>{second.name}", points)


def breath_t(elapsed: float, breath: BreathPattern) -> float:
    """Where a figure stands at ``elapsed`` seconds into a breath-paced step (0..1).

    The exhale carries it from the first key pose to the last (the lean, the deeper stretch);
    the inhale brings it back; holds keep it still. The very first inhale stays at the start,
    so a step opens on its first key pose.
    """
    cycle = breath.cycle_seconds
    if elapsed < breath.inhale + breath.hold_in:
        return 0.0
    at = elapsed % cycle
    if at < breath.inhale:
        return 1.0 - at / breath.inhale
    at -= breath.inhale
    if at < breath.hold_in:
        return 0.0
    at -= breath.hold_in
    if at < breath.exhale:
        return at / breath.exhale
    return 1.0


def loop_t(elapsed: float, period: float) -> float:
    """A slow back-and-forth for steps without a breath pattern: 0 -> 1 -> 0 every ``period`` s."""
    if period <= 0:
        return 0.0
    phase = (elapsed % period) / period
    return 1.0 - abs(2.0 * phase - 1.0)
