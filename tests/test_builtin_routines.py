"""The built-in routine pack: every file loads, carries cautions and sources, makes no medical
claims, and the routines the foundation issue asks for are there with the right shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from psoas_tui.builtins.routines import builtin_routines_folder
from psoas_tui.config import Settings
from psoas_tui.model import Routine, StepKind
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.routines import RoutineLibrary, load_routine_file

REPO_ROUTINES = Path(__file__).resolve().parents[1] / "routines"
FILES = sorted(REPO_ROUTINES.glob("*.toml"))

# Words that would claim a medical effect, in any of their forms ("health" is fine).
CLAIM_WORDS = re.compile(
    r"\b(cur(e|es|ed|ing)|treat(s|ed|ing|ment|ments)?|heal(s|ed|ing)?|fix(es|ed|ing)?|"
    r"reliev(e|es|ed|ing)|relief|therapeutic|diagnos\w*|prevent(s|ed|ing)?|guarantee\w*|"
    r"eliminat\w*|rehabilitat\w*|correct(s|ed|ing)? (your )?posture)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def builtins() -> dict[str, Routine]:
    return {path.stem: load_routine_file(path) for path in FILES}


def total(routine: Routine) -> int:
    settings = Settings()  # the timeline as a new user sees it
    return build_timeline(
        routine, get_ready_seconds=settings.get_ready_seconds, switch_seconds=settings.switch_seconds
    ).total_seconds


def all_text(routine: Routine) -> list[str]:
    texts = [routine.title, routine.summary, *routine.tags, *routine.cautions, *routine.sources]
    for step in routine.steps:
        texts += [step.title, step.cue]
    return texts


def test_there_are_at_least_seven() -> None:
    assert len(FILES) >= 7


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_loads_and_is_named_after_its_id(path: Path) -> None:
    routine = load_routine_file(path)
    assert routine.id == path.stem
    assert routine.steps


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_has_cautions_and_sources(path: Path) -> None:
    routine = load_routine_file(path)
    assert len(routine.cautions) >= 2
    assert len(routine.sources) >= 1
    joined = " ".join(routine.cautions).lower()
    assert "stop" in joined or "ease off" in joined  # every routine says when to back off


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_makes_no_medical_claims(path: Path) -> None:
    routine = load_routine_file(path)
    claims = [(text, m.group(0)) for text in all_text(routine) for m in [CLAIM_WORDS.search(text)] if m]
    assert claims == []


def test_claim_filter_catches_claims_but_not_health() -> None:
    assert CLAIM_WORDS.search("This stretch relieves back pain")
    assert CLAIM_WORDS.search("A cure for tight hips")
    assert CLAIM_WORDS.search("Heals the psoas")
    assert CLAIM_WORDS.search("Fixes your posture")
    assert CLAIM_WORDS.search("Used to treat sciatica")
    assert not CLAIM_WORDS.search("Talk to a health professional")


def test_library_offers_every_file_as_builtin() -> None:
    library = RoutineLibrary.load()
    assert {r.id for r in library if r.source.kind == "builtin"} == {p.stem for p in FILES}
    assert library.errors == []


def test_the_pack_folder_is_the_repo_folder_in_a_checkout() -> None:
    folder = builtin_routines_folder()
    assert sorted(e.name for e in folder.iterdir() if e.name.endswith(".toml")) == [p.name for p in FILES]


def test_seed_seated_psoas_has_its_three_movements(builtins: dict[str, Routine]) -> None:
    routine = builtins["seated-psoas"]
    titles = [step.title.lower() for step in routine.steps]
    posture = next(i for i, t in enumerate(titles) if "posture" in t)
    rotation = next(i for i, t in enumerate(titles) if "rotation" in t)
    breath = next(i for i, s in enumerate(routine.steps) if s.breath is not None)
    assert posture < rotation < breath  # posture awareness, gentle rotation, breath coordination
    breath_step = routine.steps[breath]
    cue = breath_step.cue.lower()
    assert re.search(r"breathe in|inhale", cue) and re.search(r"breathe out|exhale", cue)
    assert "deeper" in cue and "bounc" in cue  # exhale to deepen; no bouncing
    assert breath_step.breath is not None and breath_step.breath.exhale >= breath_step.breath.inhale
    assert all(routine.steps[i].sides == ("left", "right") for i in (posture, rotation, breath))


def test_half_kneeling_is_two_to_three_times_thirty_seconds_a_side(builtins: dict[str, Routine]) -> None:
    holds = [s for s in builtins["half-kneeling"].steps if s.kind is StepKind.HOLD]
    assert any(s.sides == ("left", "right") and 2 <= s.reps <= 3 and s.seconds == 30 for s in holds)


@pytest.mark.parametrize(
    ("routine_id", "words"),
    [
        ("low-lunge-side-reach", ("lunge", "reach")),
        ("thomas-stretch", ("bed",)),
        ("constructive-rest", ("breath",)),
    ],
)
def test_named_stretches_are_there(
    builtins: dict[str, Routine], routine_id: str, words: tuple[str, ...]
) -> None:
    routine = builtins[routine_id]
    text = " ".join(all_text(routine)).lower()
    assert all(word in text for word in words)


def test_constructive_rest_paces_slow_breathing(builtins: dict[str, Routine]) -> None:
    breathe = [s for s in builtins["constructive-rest"].steps if s.kind is StepKind.BREATHE]
    assert breathe and all(s.breath is not None and s.breath.cycle_seconds >= 8 for s in breathe)


def test_desk_break_is_about_two_minutes(builtins: dict[str, Routine]) -> None:
    assert 100 <= total(builtins["desk-break"]) <= 130


def test_daily_routine_is_ten_to_twelve_minutes(builtins: dict[str, Routine]) -> None:
    assert 600 <= total(builtins["daily-hip-flexors"]) <= 720


def test_daily_routine_combines_the_others(builtins: dict[str, Routine]) -> None:
    titles = " ".join(step.title.lower() for step in builtins["daily-hip-flexors"].steps)
    for word in ("rest", "thomas", "kneeling", "lunge"):
        assert word in titles
