"""The routine loader, rule by rule: every problem is one ``RoutineError`` line shaped
``FILE[:LINE]: FIELD: message``, with the line where the text shows one.

``BASE`` is a valid routine whose line numbers the tests rely on; each case changes one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from psoas_tui.errors import RoutineError, UserError
from psoas_tui.model import BreathPattern, Routine, RoutineSource, Step, StepKind
from psoas_tui.routines import (
    MAX_STEP_SECONDS,
    check_routine,
    load_routine_file,
    parse_breath,
    parse_routine,
    routine_to_dict,
)

BASE = """\
schema = 1
id = "test-routine"
title = "Test routine"
summary = "A routine for tests."
level = "gentle"
tags = ["test"]
cautions = ["Go gently."]
sources = ["The tests."]

[[steps]]
kind = "hold"
title = "First hold"
seconds = 30

[[steps]]
kind = "hold"
title = "Second hold"
seconds = 20
sides = ["left", "right"]
"""
# line numbers in BASE
L_SCHEMA, L_ID, L_TITLE, L_SUMMARY, L_LEVEL, L_TAGS, L_CAUTIONS = 1, 2, 3, 4, 5, 6, 7
L_STEP1, L_STEP1_SECONDS = 10, 13
L_STEP2, L_STEP2_KIND, L_STEP2_TITLE, L_STEP2_SECONDS, L_STEP2_SIDES = 15, 16, 17, 18, 19

# FILE, optional :LINE, FIELD, message — all on one line
SHAPE = re.compile(r"^r\.toml(?::\d+)?: (?:[a-z_]+(?:\[\d+\])?(?:\.[a-z_0-9]+)?: )?\S.*$")


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with exactly one occurrence of the line ``old`` replaced by ``new`` ("" drops it)."""
    lines = text.splitlines()
    assert lines.count(old) == 1, f"{old!r} must occur once"
    index = lines.index(old)
    lines[index : index + 1] = new.splitlines() if new else []
    return "\n".join(lines) + "\n"


def error_of(text: str | bytes) -> RoutineError:
    """The error parsing ``text`` raises; also checks the message is one well-formed line."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(RoutineError) as info:
        parse_routine(raw, "r.toml")
    message = str(info.value)
    assert "\n" not in message
    assert SHAPE.match(message), message
    return info.value


def as_kind(kind: str, text: str = BASE) -> str:
    """``text`` with the second step's kind changed to ``kind``."""
    return text.replace('kind = "hold"\ntitle = "Second hold"', f'kind = "{kind}"\ntitle = "Second hold"')


def parse(text: str) -> Routine:
    return parse_routine(text.encode("utf-8"), "r.toml")


# --------------------------------------------------------------------------- valid files


def test_base_routine_parses_into_every_field() -> None:
    routine = parse(BASE)
    assert routine.id == "test-routine"
    assert routine.title == "Test routine"
    assert routine.summary == "A routine for tests."
    assert routine.level == "gentle"
    assert routine.tags == ("test",)
    assert routine.cautions == ("Go gently.",)
    assert routine.sources == ("The tests.",)
    assert routine.steps == (
        Step(kind=StepKind.HOLD, title="First hold", seconds=30),
        Step(kind=StepKind.HOLD, title="Second hold", seconds=20, sides=("left", "right")),
    )
    assert routine.source == RoutineSource("user", path="r.toml")


def test_optional_fields_have_defaults() -> None:
    text = edit('level = "gentle"', "")
    for line in ('tags = ["test"]', 'cautions = ["Go gently."]', 'sources = ["The tests."]'):
        text = edit(line, "", text)
    routine = parse(text)
    assert (routine.level, routine.tags, routine.cautions, routine.sources) == ("gentle", (), (), ())


def test_every_step_key_is_read() -> None:
    text = edit(
        'sides = ["left", "right"]',
        'sides = ["right", "left"]\ncue = "  Breathe.  "\nreps = 3\nrest_seconds = 15\nbreath = "4-2-6-1"',
    )
    step = parse(text).steps[1]
    assert step.sides == ("right", "left")
    assert step.cue == "Breathe."  # surrounding blanks are trimmed
    assert (step.reps, step.rest_seconds) == (3, 15)
    assert step.breath == BreathPattern(4, 2, 6, 1)


@pytest.mark.parametrize("kind", ["prepare", "hold", "breathe", "rest"])
def test_timed_kinds_are_accepted(kind: str) -> None:
    routine = parse(as_kind(kind))
    assert routine.steps[1].kind is StepKind(kind)
    assert routine.steps[1].seconds == 20
    assert not routine.steps[1].manual


@pytest.mark.parametrize("seconds", [1, MAX_STEP_SECONDS])
def test_duration_bounds_are_inclusive(seconds: int) -> None:
    assert parse(edit("seconds = 20", f"seconds = {seconds}")).steps[1].seconds == seconds


def test_utf8_text_and_byte_order_mark_are_accepted() -> None:
    text = edit('title = "Test routine"', 'title = "Étirement du psoas — doux"')
    routine = parse_routine(b"\xef\xbb\xbf" + text.encode("utf-8"), "r.toml")
    assert routine.title == "Étirement du psoas — doux"


# --------------------------------------------------------------------------- unknown keys


def test_unknown_top_level_key() -> None:
    err = error_of(edit('level = "gentle"', 'level = "gentle"\ncolour = "red"'))
    assert str(err).startswith("r.toml:6: colour: unknown key (allowed: cautions, id, level, schema,")
    assert (err.path, err.field, err.line) == ("r.toml", "colour", 6)


def test_unknown_top_level_table() -> None:
    err = error_of(BASE + '\n[meta]\nauthor = "me"\n')
    assert str(err).startswith("r.toml:21: meta: unknown key")


@pytest.mark.parametrize("header", ["[steps.meta]", "[[steps.meta]]", '[ steps . "meta" ]', "[steps.meta.x]"])
def test_unknown_step_sub_table_is_reported_at_its_own_header(header: str) -> None:
    err = error_of(BASE + f'\n{header}\nauthor = "me"\n')
    assert str(err).startswith("r.toml:21: steps[2].meta: unknown key")


def test_rest_without_reps_is_an_error_at_its_line() -> None:
    err = error_of(edit('sides = ["left", "right"]', 'sides = ["left", "right"]\nrest_seconds = 15'))
    assert str(err) == (
        f"r.toml:{L_STEP2_SIDES + 1}: steps[2].rest_seconds: "
        "needs reps of 2 or more (the rest comes between reps), got reps = 1"
    )
    explicit = edit('sides = ["left", "right"]', 'sides = ["left", "right"]\nreps = 1\nrest_seconds = 15')
    assert "needs reps of 2 or more" in str(error_of(explicit))


def test_rest_zero_without_reps_and_rest_with_reps_are_fine() -> None:
    no_rest = edit('sides = ["left", "right"]', 'sides = ["left", "right"]\nrest_seconds = 0')
    assert parse_routine(no_rest.encode(), "r.toml").steps[1].rest_seconds == 0
    with_reps = edit('sides = ["left", "right"]', 'sides = ["left", "right"]\nreps = 2\nrest_seconds = 15')
    assert parse_routine(with_reps.encode(), "r.toml").steps[1].rest_seconds == 15


def test_written_total_is_an_unknown_key() -> None:
    # totals are computed from the steps, never written by hand
    err = error_of(edit('level = "gentle"', 'level = "gentle"\ntotal_seconds = 50'))
    assert str(err).startswith("r.toml:6: total_seconds: unknown key")


def test_unknown_step_key() -> None:
    err = error_of(edit("seconds = 20", "secnds = 20"))
    assert str(err) == (
        f"r.toml:{L_STEP2_SECONDS}: steps[2].secnds: unknown key "
        "(allowed: breath, count, cue, kind, reps, rest_seconds, seconds, sides, title)"
    )


def test_unknown_key_line_found_when_quoted() -> None:
    err = error_of(edit("seconds = 20", '"duration" = 20'))
    assert str(err).startswith(f"r.toml:{L_STEP2_SECONDS}: steps[2].duration: unknown key")


# --------------------------------------------------------------------------- wrong types


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Test routine"', "title = 5", f"r.toml:{L_TITLE}: title: must be a string, got a number"),
        (
            'summary = "A routine for tests."',
            "summary = []",
            f"r.toml:{L_SUMMARY}: summary: must be a string, got a list",
        ),
        ('id = "test-routine"', "id = 7", f"r.toml:{L_ID}: id: must be a string, got a number"),
        (
            'tags = ["test"]',
            'tags = "test"',
            f"r.toml:{L_TAGS}: tags: must be a list of strings, got a string",
        ),
        (
            'cautions = ["Go gently."]',
            "cautions = [1]",
            f"r.toml:{L_CAUTIONS}: cautions[1]: must be a non-empty string, got 1",
        ),
        (
            'cautions = ["Go gently."]',
            'cautions = ["ok", "  "]',
            f"r.toml:{L_CAUTIONS}: cautions[2]: must be a non-empty string, got '  '",
        ),
        (
            'level = "gentle"',
            'level = "expert"',
            f"r.toml:{L_LEVEL}: level: must be one of gentle, beginner, intermediate, advanced, got 'expert'",
        ),
        (
            "seconds = 20",
            'seconds = "20"',
            f"r.toml:{L_STEP2_SECONDS}: steps[2].seconds: must be a whole number 1-3600, got '20'",
        ),
        (
            "seconds = 20",
            "seconds = 2.5",
            f"r.toml:{L_STEP2_SECONDS}: steps[2].seconds: must be a whole number 1-3600, got 2.5",
        ),
        (
            "seconds = 20",
            "seconds = true",
            f"r.toml:{L_STEP2_SECONDS}: steps[2].seconds: must be a whole number 1-3600, got true",
        ),
        (
            'title = "Second hold"',
            "title = false",
            f"r.toml:{L_STEP2_TITLE}: steps[2].title: must be a string, got a boolean",
        ),
        (
            'title = "Second hold"',
            'title = "Second hold"\ncue = 3',
            f"r.toml:{L_STEP2_TITLE + 1}: steps[2].cue: must be a string, got a number",
        ),
    ],
)
def test_wrong_type(old: str, new: str, expected: str) -> None:
    assert str(error_of(edit(old, new))) == expected


def test_unknown_step_kind() -> None:
    text = as_kind("jump")
    assert str(error_of(text)) == (
        f"r.toml:{L_STEP2_KIND}: steps[2].kind: must be one of prepare, hold, breathe, reps, rest, got 'jump'"
    )


def test_step_that_is_not_a_table() -> None:
    text = BASE.split("[[steps]]")[0] + "steps = [1, 2]\n"
    assert str(error_of(text)) == "r.toml:10: steps: must be an array of [[steps]] tables"


def test_steps_written_as_a_single_table() -> None:
    text = BASE.split("[[steps]]")[0] + '[steps]\nkind = "hold"\n'
    assert str(error_of(text)) == "r.toml:10: steps: must be an array of [[steps]] tables"


# --------------------------------------------------------------------------- durations and counts


@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("-5", "-5"), ("3601", "3601"), ("86400", "86400")])
def test_zero_negative_and_absurd_durations(value: str, shown: str) -> None:
    err = error_of(edit("seconds = 20", f"seconds = {value}"))
    assert str(err) == f"r.toml:{L_STEP2_SECONDS}: steps[2].seconds: must be 1-3600, got {shown}"


def test_duration_error_in_first_step_names_its_own_line() -> None:
    err = error_of(edit("seconds = 30", "seconds = -5"))
    assert str(err) == f"r.toml:{L_STEP1_SECONDS}: steps[1].seconds: must be 1-3600, got -5"


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ("reps = 0", "steps[2].reps: must be 1-20, got 0"),
        ("reps = 21", "steps[2].reps: must be 1-20, got 21"),
        ("rest_seconds = -1", "steps[2].rest_seconds: must be 0-600, got -1"),
        ("rest_seconds = 601", "steps[2].rest_seconds: must be 0-600, got 601"),
    ],
)
def test_reps_and_rest_ranges(new: str, expected: str) -> None:
    err = error_of(edit('sides = ["left", "right"]', f'sides = ["left", "right"]\n{new}'))
    assert str(err) == f"r.toml:{L_STEP2_SIDES + 1}: {expected}"


def test_timed_step_without_seconds() -> None:
    err = error_of(edit("seconds = 20", ""))
    assert str(err) == f"r.toml:{L_STEP2}: steps[2].seconds: is required for a hold step (1-3600)"


# --------------------------------------------------------------------------- steps


def test_missing_steps() -> None:
    text = BASE.split("[[steps]]")[0]
    assert str(error_of(text)) == "r.toml: steps: is required: add at least one [[steps]] table"


def test_empty_steps() -> None:
    text = BASE.split("[[steps]]")[0] + "steps = []\n"
    assert str(error_of(text)) == "r.toml:10: steps: must have at least one step"


def test_too_many_steps() -> None:
    step = '\n[[steps]]\nkind = "hold"\ntitle = "H"\nseconds = 1\n'
    text = BASE.split("[[steps]]")[0] + step * 101
    assert str(error_of(text)).endswith("steps: must have at most 100 steps, got 101")


# --------------------------------------------------------------------------- reps steps


def test_reps_step_with_count_is_manual() -> None:
    text = edit("seconds = 20", "count = 10", as_kind("reps"))
    step = parse(text).steps[1]
    assert (step.kind, step.count, step.seconds, step.manual) == (StepKind.REPS, 10, None, True)


def test_reps_step_without_count() -> None:
    text = edit("seconds = 20", "", as_kind("reps"))
    assert str(error_of(text)) == (
        f"r.toml:{L_STEP2}: steps[2].count: is required for a reps step (it is advanced by hand)"
    )


def test_reps_step_with_seconds() -> None:
    text = edit(
        "seconds = 20",
        "count = 10\nseconds = 20",
        as_kind("reps"),
    )
    assert (
        str(error_of(text))
        == f"r.toml:{L_STEP2_SECONDS + 1}: steps[2].seconds: a reps step takes count, not seconds"
    )


@pytest.mark.parametrize("count", ["0", "101", '"ten"'])
def test_reps_step_count_range(count: str) -> None:
    text = edit("seconds = 20", f"count = {count}", as_kind("reps"))
    message = str(error_of(text))
    assert message.startswith(f"r.toml:{L_STEP2_SECONDS}: steps[2].count: must be")
    assert "1-100" in message


def test_count_on_a_timed_step() -> None:
    err = error_of(edit("seconds = 20", "seconds = 20\ncount = 5"))
    assert str(err) == (
        f"r.toml:{L_STEP2_SECONDS + 1}: steps[2].count: only reps steps take count; a hold step takes seconds"
    )


# --------------------------------------------------------------------------- breath


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"4-0-6"', "must look like \"4-0-6-0\" (inhale-hold-exhale-hold), got '4-0-6'"),
        ('"4-0-6-0-2"', "must look like \"4-0-6-0\" (inhale-hold-exhale-hold), got '4-0-6-0-2'"),
        ('"four-0-six-0"', "must look like \"4-0-6-0\" (inhale-hold-exhale-hold), got 'four-0-six-0'"),
        ('"4--6-0"', "must look like \"4-0-6-0\" (inhale-hold-exhale-hold), got '4--6-0'"),
        ("4", 'must look like "4-0-6-0" (inhale-hold-exhale-hold), got 4'),
        ('"0-0-6-0"', "inhale and exhale must be at least 1 s, got '0-0-6-0'"),
        ('"4-0-0-0"', "inhale and exhale must be at least 1 s, got '4-0-0-0'"),
        ('"31-0-6-0"', "each part must be at most 30 s, got '31-0-6-0'"),
        ('"4-0-6-99"', "each part must be at most 30 s, got '4-0-6-99'"),
    ],
)
def test_bad_breath_pattern(value: str, message: str) -> None:
    err = error_of(edit('sides = ["left", "right"]', f"breath = {value}"))
    assert str(err) == f"r.toml:{L_STEP2_SIDES}: steps[2].breath: {message}"


def test_parse_breath_reads_holds() -> None:
    assert parse_breath("5-2-7-3") == BreathPattern(5, 2, 7, 3)
    assert parse_breath("5-2-7-3").cycle_seconds == 17


# --------------------------------------------------------------------------- sides


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["left", "middle"]', "unknown side 'middle' (use left, right)"),
        ('["Left"]', "unknown side 'Left' (use left, right)"),
        ("[1]", "unknown side 1 (use left, right)"),
        ('["left", "left"]', "lists a side twice"),
        ("[]", 'must be a non-empty list such as ["left", "right"]'),
        ('"left"', 'must be a non-empty list such as ["left", "right"]'),
    ],
)
def test_bad_sides(value: str, message: str) -> None:
    err = error_of(edit('sides = ["left", "right"]', f"sides = {value}"))
    assert str(err) == f"r.toml:{L_STEP2_SIDES}: steps[2].sides: {message}"


def test_one_side_only_is_allowed() -> None:
    assert parse(edit('sides = ["left", "right"]', 'sides = ["right"]')).steps[1].sides == ("right",)


# --------------------------------------------------------------------------- ids and tags


@pytest.mark.parametrize(
    "bad_id", ["My Routine", "my_routine", "-lead", "trail-", "double--hyphen", "Caps", "ünïcode", "a/b"]
)
def test_id_must_be_a_slug(bad_id: str) -> None:
    err = error_of(edit('id = "test-routine"', f'id = "{bad_id}"'))
    assert str(err) == (
        f"r.toml:{L_ID}: id: must be a slug (lowercase letters, digits, hyphens), got {bad_id!r}"
    )


def test_id_too_long() -> None:
    err = error_of(edit('id = "test-routine"', f'id = "{"a" * 65}"'))
    assert str(err) == f"r.toml:{L_ID}: id: must be at most 64 characters, got 65"


def test_tags_must_be_slugs() -> None:
    err = error_of(edit('tags = ["test"]', 'tags = ["ok", "Hip Flexor"]'))
    assert str(err) == f"r.toml:{L_TAGS}: tags[2]: must be a slug like 'hip-flexor', got 'Hip Flexor'"


def test_title_too_long() -> None:
    err = error_of(edit('title = "Test routine"', f'title = "{"x" * 81}"'))
    assert str(err) == f"r.toml:{L_TITLE}: title: must be at most 80 characters, got 81"


# --------------------------------------------------------------------------- required fields


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('id = "test-routine"', "r.toml: id: is required"),
        ('title = "Test routine"', "r.toml: title: is required"),
        ('summary = "A routine for tests."', "r.toml: summary: is required"),
        ("schema = 1", "r.toml: schema: is required (schema = 1)"),
    ],
)
def test_missing_required_top_level_field(line: str, expected: str) -> None:
    assert str(error_of(edit(line, ""))) == expected


def test_blank_required_text() -> None:
    err = error_of(edit('title = "Test routine"', 'title = "   "'))
    assert str(err) == f"r.toml:{L_TITLE}: title: must not be empty"


def test_missing_step_kind_points_at_the_step() -> None:
    text = BASE.replace('kind = "hold"\ntitle = "Second hold"', 'title = "Second hold"')
    assert str(error_of(text)) == f"r.toml:{L_STEP2}: steps[2].kind: is required"


def test_missing_step_title_points_at_the_step() -> None:
    err = error_of(edit('title = "Second hold"', ""))
    assert str(err) == f"r.toml:{L_STEP2}: steps[2].title: is required"


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize(
    ("value", "shown"), [("2", "2"), ("0", "0"), ('"1"', "'1'"), ("1.0", "1.0"), ("true", "true")]
)
def test_unsupported_schema_version(value: str, shown: str) -> None:
    err = error_of(edit("schema = 1", f"schema = {value}"))
    assert str(err) == f"r.toml:{L_SCHEMA}: schema: unsupported version {shown}; this app reads 1"


# --------------------------------------------------------------------------- encoding and syntax


def test_invalid_utf8_names_the_line() -> None:
    raw = BASE.encode("utf-8").replace(b"Test routine", b"Test \xff routine")
    err = error_of(raw)
    offset = raw.index(b"\xff")
    assert str(err) == f"r.toml:{L_TITLE}: not valid UTF-8 (byte {offset})"


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ('title = "Test routine"', 'title = "Test routine', L_TITLE),
        ("seconds = 20", "seconds = ", L_STEP2_SECONDS),
        ('title = "Second hold"', "title Second hold", L_STEP2_TITLE),
        ('level = "gentle"', 'id = "again"', L_LEVEL),  # a key defined twice
    ],
)
def test_toml_syntax_error_names_the_line(old: str, new: str, line: int) -> None:
    message = str(error_of(edit(old, new)))
    assert message.startswith(f"r.toml:{line}: TOML syntax: ")
    assert "(at line" not in message  # the position is in the prefix, not repeated


# --------------------------------------------------------------------------- files


def test_load_routine_file_names_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.toml").write_text(edit("seconds = 20", "seconds = -5"), encoding="utf-8")
    with pytest.raises(RoutineError) as info:
        load_routine_file("./bad.toml")
    assert str(info.value) == f"./bad.toml:{L_STEP2_SECONDS}: steps[2].seconds: must be 1-3600, got -5"


def test_load_routine_file_records_a_user_source(write_routine) -> None:  # type: ignore[no-untyped-def]
    path = write_routine(BASE, name="mine.toml")
    routine = load_routine_file(path)
    assert routine.source == RoutineSource("user", path=str(path))


def test_missing_file_and_folder_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"nope\.toml: no such file$"):
        load_routine_file(tmp_path / "nope.toml")
    with pytest.raises(UserError, match=r": is a folder, expected a \.toml file$"):
        load_routine_file(tmp_path)


# --------------------------------------------------------------------------- Routine objects


def test_check_routine_applies_the_file_rules_to_objects() -> None:
    good = parse(BASE)
    assert check_routine(good, "plugin demo") == good
    bad = Routine(id="Bad Id", title="T", summary="S", steps=(Step(StepKind.HOLD, "H", seconds=5),))
    assert check_routine(bad, "plugin demo") == (
        "plugin demo: id: must be a slug (lowercase letters, digits, hyphens), got 'Bad Id'"
    )
    negative = Routine(id="ok", title="T", summary="S", steps=(Step(StepKind.HOLD, "H", seconds=-5),))
    assert check_routine(negative, "plugin demo") == "plugin demo: steps[1].seconds: must be 1-3600, got -5"
    empty = Routine(id="ok", title="T", summary="S", steps=())
    assert check_routine(empty, "plugin demo") == "plugin demo: steps: must have at least one step"


# --------------------------------------------------------------------------- round trip

_text = (  # any text but surrogates and control characters (Cc), which routine files refuse
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool)
)
_slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)


@st.composite
def _steps(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from([k.value for k in StepKind]))
    step: dict[str, object] = {"kind": kind, "title": draw(_text)}
    if draw(st.booleans()):
        step["cue"] = draw(_text)
    if kind == "reps":
        step["count"] = draw(st.integers(1, 100))
    else:
        step["seconds"] = draw(st.integers(1, 3600))
    sides = draw(st.sampled_from([(), ("left",), ("right",), ("left", "right"), ("right", "left")]))
    if sides:
        step["sides"] = list(sides)
    reps = draw(st.integers(1, 20))
    if reps != 1:
        step["reps"] = reps
    rest = draw(st.integers(0, 600)) if reps > 1 else 0
    if rest:
        step["rest_seconds"] = rest
    if draw(st.booleans()):
        parts = (
            draw(st.integers(1, 30)),
            draw(st.integers(0, 30)),
            draw(st.integers(1, 30)),
            draw(st.integers(0, 30)),
        )
        step["breath"] = "-".join(map(str, parts))
    return step


@st.composite
def _routines(draw: st.DrawFn) -> dict[str, object]:
    data: dict[str, object] = {
        "schema": 1,
        "id": draw(_slug),
        "title": draw(_text),
        "summary": draw(_text),
        "level": draw(st.sampled_from(["gentle", "beginner", "intermediate", "advanced"])),
    }
    for key, items in (("tags", _slug), ("cautions", _text), ("sources", _text)):
        values = draw(st.lists(items, max_size=3))
        if values:
            data[key] = values
    data["steps"] = draw(st.lists(_steps(), min_size=1, max_size=6))
    return data


@settings(max_examples=60, deadline=None)
@given(_routines())
def test_valid_routines_round_trip_through_tomli_w(data: dict[str, object]) -> None:
    raw = tomli_w.dumps(data).encode("utf-8")
    routine = parse_routine(raw, "gen.toml")
    assert routine.id == data["id"]
    assert len(routine.steps) == len(data["steps"])  # type: ignore[arg-type]
    assert routine_to_dict(routine) == data
    # and once more: what routine_to_dict writes is itself a valid file
    again = parse_routine(tomli_w.dumps(routine_to_dict(routine)).encode("utf-8"), "gen.toml")
    assert again == routine


# --------------------------------------------------------------------------- the format doc


def test_format_doc_example_is_valid_and_totals_as_documented() -> None:
    from psoas_tui.practice.timeline import build_timeline

    doc = (Path(__file__).resolve().parents[1] / "docs" / "routine-format.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", doc, re.S)
    assert example is not None
    routine = parse_routine(example.group(1).encode("utf-8"), "doc.toml")
    total = build_timeline(routine).total_seconds
    assert total == 240
    assert "Total: 4:00 (240 s) plus 1 set at your own pace" in doc
