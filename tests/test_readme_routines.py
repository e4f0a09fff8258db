"""The README's "Routines shipped" table shows what ``psoas-tui routines`` prints with the default
settings (issue 9, item 24)."""

from __future__ import annotations

import re
from pathlib import Path

from psoas_tui.config import Settings
from psoas_tui.practice.timeline import OWN_PACE, build_timeline
from psoas_tui.routines import load_routine_file
from psoas_tui.text import format_seconds

REPO = Path(__file__).resolve().parents[1]


def readme_times() -> dict[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Routines shipped", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*\| ([^|]+) \|$",
                                                                  section, re.M)}


def listed_time(path: Path) -> str:
    settings = Settings()
    timeline = build_timeline(load_routine_file(path), get_ready_seconds=settings.get_ready_seconds,
                              switch_seconds=settings.switch_seconds)
    return format_seconds(timeline.total_seconds) + (OWN_PACE if timeline.manual_count else "")


def test_readme_lists_every_shipped_routine_with_its_time() -> None:
    files = {path.stem: path for path in (REPO / "routines").glob("*.toml")}
    times = readme_times()
    assert set(times) == set(files)
    assert times == {name: listed_time(path) for name, path in files.items()}
