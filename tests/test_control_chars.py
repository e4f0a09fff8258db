"""Control characters (issue 9, item 1): refused where routine files come in, neutralised again
wherever routine, plugin and stored text goes out (``routines``, ``show``, ``validate``,
``run --plain``, ``plugins``, ``export --list-formats``, ``stats``, every ``--json``), and dropped
from notes typed in plain mode's check-in."""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.api import CueStyle, Exporter, Routine, Step, StepKind, hookimpl
from psoas_tui.commands import export as export_cmd
from psoas_tui.commands import plugins as plugins_cmd
from psoas_tui.commands import routines as routines_cmd
from psoas_tui.commands import show as show_cmd
from psoas_tui.commands import stats as stats_cmd
from psoas_tui.commands import validate as validate_cmd
from psoas_tui.commands.common import print_json, timeline_for
from psoas_tui.commands.run import PlainSession
from psoas_tui.errors import RoutineError
from psoas_tui.model import RoutineSource
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.practice.clock import ScaledClock
from psoas_tui.practice.engine import PracticeEngine
from psoas_tui.practice.recorder import ask_checkin
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.routines import RoutineLibrary, check_routine, parse_routine

# Anything a terminal could read as (part of) a control sequence: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESC_TITLE = "\x1b]0;pwned\x07"  # OSC 0: retitle the terminal
HOSTILE = f"Evil {ESC_TITLE} \x9b2J \x7f end"

BASE = """\
schema = 1
id = "hostile"
title = "Title"
summary = "Summary"
level = "gentle"
tags = ["tag"]
cautions = ["Caution"]
sources = ["Source"]

[[steps]]
kind = "hold"
title = "Step"
cue = "Cue"
seconds = 10
"""

# field name in messages -> (the text to replace, the line it is on)
FIELDS = {
    "id": ('id = "hostile"', 2),
    "title": ('title = "Title"', 3),
    "summary": ('summary = "Summary"', 4),
    "level": ('level = "gentle"', 5),
    "tags[1]": ('tags = ["tag"]', 6),
    "cautions[1]": ('cautions = ["Caution"]', 7),
    "sources[1]": ('sources = ["Source"]', 8),
    "steps[1].title": ('title = "Step"', 12),
    "steps[1].cue": ('cue = "Cue"', 13),
}


def with_char(field: str, escape: str) -> str:
    """``BASE`` with the TOML escape ``escape`` (e.g. ``\\u001b``) inside ``field``'s value."""
    line, _number = FIELDS[field]
    return BASE.replace(line, line[:-2] + escape + line[-2:], 1)


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\u001b", "U+001B"), ("\\u0007", "U+0007"), ("\\u009b", "U+009B"), ("\\u007f", "U+007F")],
)
def test_every_text_field_refuses_control_characters_at_its_line(field: str, escape: str, code: str) -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(with_char(field, escape).encode(), "x.toml")
    assert str(caught.value) == f"x.toml:{FIELDS[field][1]}: {field}: control character {code} not allowed"


@pytest.mark.parametrize(("escape", "code"), [("\\n", "U+000A"), ("\\t", "U+0009"), ("\\r", "U+000D")])
def test_no_field_allows_line_breaks_or_tabs(escape: str, code: str) -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(with_char("summary", escape).encode(), "x.toml")
    assert str(caught.value) == f"x.toml:4: summary: control character {code} not allowed"


def test_a_multi_line_string_is_refused_but_a_folded_one_is_fine() -> None:
    multi = BASE.replace('summary = "Summary"', 'summary = """\nFirst line.\nSecond line."""')
    with pytest.raises(RoutineError, match=r"^x\.toml:4: summary: control character U\+000A not allowed$"):
        parse_routine(multi.encode(), "x.toml")
    folded = BASE.replace('summary = "Summary"', 'summary = """\\\n  First line. \\\n  Second line."""')
    assert parse_routine(folded.encode(), "x.toml").summary == "First line. Second line."


def test_raw_c1_bytes_in_the_file_are_refused() -> None:
    raw = BASE.replace('title = "Title"', 'title = "Ti\u009btle"', 1).encode("utf-8")  # TOML allows raw C1
    with pytest.raises(RoutineError, match=r"^x\.toml:3: title: control character U\+009B not allowed$"):
        parse_routine(raw, "x.toml")


def test_an_unknown_key_holding_controls_is_named_neutralised() -> None:
    text = BASE.replace('level = "gentle"', '"\\u001b[2J" = 1')
    with pytest.raises(RoutineError) as caught:
        parse_routine(text.encode(), "x.toml")
    message = str(caught.value)
    assert not RAW_CONTROL.search(message)
    assert message.startswith("x.toml: \\x1b[2J: unknown key")  # (the line of an escaped key is not found)


def hostile_routine(routine_id: str = "hostile") -> Routine:
    """A routine holding control characters in every text field (not checked: as a plugin or an
    old row could hand it over)."""
    return Routine(
        id=routine_id,
        title=HOSTILE,
        summary=HOSTILE,
        level="gentle",
        tags=(HOSTILE,),
        cautions=(HOSTILE,),
        sources=(HOSTILE,),
        steps=(Step(kind=StepKind.HOLD, title=HOSTILE, cue=HOSTILE, seconds=1),),
        source=RoutineSource("plugin", f"plug{ESC_TITLE}", path=f"/tmp/{ESC_TITLE}.toml"),
    )


class HostilePlugin:
    """Hands over a hostile Routine object, a hostile exporter, and fails with a hostile message."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        return [hostile_routine()]

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [Exporter(name="evil", suffix=".evil", title=f"Evil {ESC_TITLE}",
                         description=f"writes \x9b2J {ESC_TITLE}", write=lambda records, stream: None)]

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        raise RuntimeError(f"styles broke {ESC_TITLE}\x9b2J")


def test_a_plugins_routine_object_with_controls_is_refused_and_the_plugin_named() -> None:
    host = build_plugin_host(entry_points=False, extra=[("hostile", HostilePlugin())])
    library = RoutineLibrary.load(host, Path("/nonexistent"))
    assert "hostile" not in library
    assert [str(n) for n in library.errors] == ["plugin hostile: title: control character U+001B not allowed"]
    failures = [f.message for f in host.failures if f.plugin == "hostile"]
    assert failures == ["plugin hostile: title: control character U+001B not allowed"]


def test_a_routine_object_with_a_control_in_a_step_cue_is_refused() -> None:
    step = Step(kind=StepKind.HOLD, title="Hold", cue="a\x9bb", seconds=5)
    routine = Routine(id="ok", title="Ok", summary="Fine.", steps=(step,))
    message = check_routine(routine, "plugin x")
    assert message == "plugin x: steps[1].cue: control character U+009B not allowed"


def clean(text: str) -> None:
    """No raw control character but tab and newline in ``text``."""
    found = RAW_CONTROL.search(text)
    assert found is None, f"raw {found.group()!r} in {text!r}"


@pytest.fixture
def hostile_library(monkeypatch: pytest.MonkeyPatch) -> RoutineLibrary:
    library = RoutineLibrary([hostile_routine()])
    monkeypatch.setattr(routines_cmd, "load_library", lambda *_args: library)
    monkeypatch.setattr(show_cmd, "load_library", lambda *_args: library)
    return library


@pytest.mark.parametrize("as_json", [False, True])
def test_routines_neutralises_stored_text(
    hostile_library: RoutineLibrary, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    assert routines_cmd.run(argparse.Namespace(json=as_json)) == 0
    out = capsys.readouterr().out
    clean(out)
    if as_json:
        assert json.loads(out)[0]["title"] == HOSTILE  # escaped in JSON, the data itself intact
    else:
        assert "Evil \\x1b]0;pwned\\x07 \\u009b2J \\u007f end" in out


def test_show_neutralises_every_field(
    hostile_library: RoutineLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert show_cmd.run(argparse.Namespace(routine="hostile", json=False)) == 0
    out = capsys.readouterr().out
    clean(out)
    assert out.count("Evil \\x1b]0;pwned\\x07") >= 6  # title, summary, step, tags, caution, source


def test_print_json_escapes_c1_and_del(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"title": HOSTILE})
    out = capsys.readouterr().out
    clean(out)
    assert "\\u009b" in out and "\\u007f" in out and "\\u001b" in out
    assert json.loads(out) == {"title": HOSTILE}


def test_run_plain_prints_the_title_neutralised() -> None:
    timeline = build_timeline(hostile_routine(), get_ready_seconds=0)
    out = io.StringIO()
    engine = PracticeEngine(timeline, ScaledClock(0.001), [])
    assert PlainSession(engine, stdin=io.StringIO(""), out=out).run() == 0
    clean(out.getvalue())
    assert out.getvalue().startswith("Evil \\x1b]0;pwned\\x07")


def test_show_render_directly() -> None:
    routine = hostile_routine()
    text = show_cmd.render(routine, timeline_for(routine))
    clean(text)


@pytest.fixture
def hostile_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(**_kwargs: Any) -> Any:
        return build_plugin_host(entry_points=False, extra=[(f"host{ESC_TITLE}", HostilePlugin())])

    monkeypatch.setattr(plugins_cmd, "build_plugin_host", build)
    monkeypatch.setattr("psoas_tui.plugin_host.host.build_plugin_host", build)


@pytest.mark.parametrize("as_json", [False, True])
def test_plugins_neutralises_names_and_failures(
    hostile_host: None, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    assert plugins_cmd.run(argparse.Namespace(json=as_json)) == 0
    captured = capsys.readouterr()
    clean(captured.out)
    clean(captured.err)
    if as_json:
        names = [p["name"] for p in json.loads(captured.out)]
        assert f"host{ESC_TITLE}" in names
    else:
        assert "host\\x1b]0;pwned\\x07" in captured.out
        assert "styles broke \\x1b]0;pwned\\x07\\u009b2J" in captured.out


def test_export_list_formats_neutralises_exporter_text(
    hostile_host: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export_cmd.run(argparse.Namespace(list_formats=True)) == 0
    captured = capsys.readouterr()
    clean(captured.out)
    clean(captured.err)
    assert "Evil \\x1b]0;pwned\\x07: writes \\u009b2J" in captured.out


def test_stats_json_and_text_hold_no_raw_controls(capsys: pytest.CaptureFixture[str]) -> None:
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.model import CheckIn, SessionStatus

    routine = hostile_routine()
    with HistoryStore.open() as store:
        record = store.start_session(routine, 60)
        store.finish(record.id, SessionStatus.COMPLETED, done_seconds=60, segments_done=1,
                     left_seconds=0, right_seconds=0)
        store.save_checkin(record.id, CheckIn(feeling_before=3, note=HOSTILE))
    for as_json in (False, True):
        assert stats_cmd.run(argparse.Namespace(json=as_json)) == 0
        clean(capsys.readouterr().out)


def test_validate_neutralises_the_file_name(
    write_routine: Callable[..., Path], capsys: pytest.CaptureFixture[str], minimal_routine: str
) -> None:
    broken = minimal_routine.replace('title = "Tiny routine"', "title = 3")
    bad = write_routine(broken, name=f"{ESC_TITLE}.toml")
    good = write_routine(minimal_routine, name=f"ok{ESC_TITLE}.toml")
    assert validate_cmd.run(argparse.Namespace(files=[str(bad), str(good)])) == 2
    captured = capsys.readouterr()
    clean(captured.out)
    clean(captured.err)
    assert "\\x1b]0;pwned\\x07.toml:3: title: must be a string" in captured.err


def test_plain_checkin_note_drops_control_characters() -> None:
    answers = iter(["", "", "", "", f"fine {ESC_TITLE}\x9b done"])
    checkin = ask_checkin(lambda _prompt: next(answers), lambda _line: None)
    assert checkin is not None and checkin.note == "fine ]0;pwned done"
