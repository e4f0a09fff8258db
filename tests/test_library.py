"""RoutineLibrary: gathering built-in, plugin and user routines, precedence, bad files, lookup."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.api import hookimpl
from psoas_tui.errors import UserError
from psoas_tui.model import Routine, RoutineSource, Step, StepKind
from psoas_tui.plugin_host.host import PluginHost, build_plugin_host
from psoas_tui.routines import RoutineLibrary

BUILTIN_IDS = {
    "constructive-rest",
    "daily-hip-flexors",
    "desk-break",
    "half-kneeling",
    "low-lunge-side-reach",
    "seated-psoas",
    "standing-hip-flexor",
    "thomas-stretch",
}


def routine_text(routine_id: str, title: str = "A routine", seconds: int = 10) -> str:
    return (
        f'schema = 1\nid = "{routine_id}"\ntitle = "{title}"\nsummary = "For tests."\n\n'
        f'[[steps]]\nkind = "hold"\ntitle = "Hold"\nseconds = {seconds}\n'
    )


BAD_TEXT = routine_text("broken").replace("seconds = 10", "seconds = -5")  # line 9


class Pack:
    """An in-process plugin whose ``psoas_tui_routines`` returns ``items`` (or calls it)."""

    def __init__(self, items: Any) -> None:
        self.items = items

    @hookimpl
    def psoas_tui_routines(self) -> Iterable[Any]:
        return self.items() if callable(self.items) else self.items


def host_with(*plugins: tuple[str, Any]) -> PluginHost:
    return build_plugin_host(entry_points=False, disabled=(), extra=list(plugins))


def load(*plugins: tuple[str, Any], user_dir: Path | None = None) -> tuple[RoutineLibrary, PluginHost]:
    host = host_with(*plugins)
    return RoutineLibrary.load(host, user_dir=user_dir), host


def make_routine(routine_id: str, title: str = "From code", seconds: int = 10) -> Routine:
    return Routine(
        id=routine_id,
        title=title,
        summary="Built in Python.",
        steps=(Step(StepKind.HOLD, "Hold", seconds=seconds),),
    )


# --------------------------------------------------------------------------- sources


def test_builtins_load_with_their_source_and_file() -> None:
    library, host = load()
    assert {r.id for r in library} == BUILTIN_IDS
    assert library.notices == []
    for routine in library:
        assert routine.source.kind == "builtin"
        assert str(routine.source) == "builtin"
        assert Path(routine.source.path).name == f"{routine.id}.toml"
    assert sorted(host.infos["builtin-routines"].contributions["routines"]) == sorted(BUILTIN_IDS)


def test_default_load_reads_the_user_folder_from_the_data_dir(app_dirs: Any, write_routine: Callable) -> None:
    path = write_routine(app_dirs.routines, routine_text("my-own", "Mine"), name="mine.toml")
    library = RoutineLibrary.load()
    mine = library.get("my-own")
    assert mine.title == "Mine"
    assert mine.source == RoutineSource("user", path=str(path))
    assert str(mine.source) == "user"
    assert {r.id for r in library} >= BUILTIN_IDS


def test_missing_user_folder_is_fine(app_dirs: Any) -> None:
    assert not app_dirs.routines.exists()
    library = RoutineLibrary.load()
    assert len(library) == len(BUILTIN_IDS)
    assert library.notices == []


def test_plugin_routine_object(tmp_path: Path) -> None:
    library, host = load(("demo", Pack([make_routine("from-code")])), user_dir=tmp_path)
    routine = library.get("from-code")
    assert routine.source == RoutineSource("plugin", "demo")
    assert str(routine.source) == "plugin:demo"
    assert host.infos["demo"].contributions == {"routines": ["from-code"]}


def test_plugin_folder_file_and_string_path(tmp_path: Path, write_routine: Callable) -> None:
    folder = tmp_path / "pack"
    in_folder = write_routine(folder, routine_text("in-folder"), name="a.toml")
    write_routine(folder, "not a routine", name="README.md")  # ignored: not .toml
    single = write_routine(tmp_path, routine_text("single-file"), name="single.toml")
    as_text = write_routine(tmp_path, routine_text("as-string"), name="text.toml")
    library, host = load(("demo", Pack([folder, single, str(as_text)])), user_dir=tmp_path / "none")
    assert library.notices == []
    assert host.failures == []
    assert library.get("in-folder").source == RoutineSource("plugin", "demo", str(in_folder))
    assert library.get("single-file").source == RoutineSource("plugin", "demo", str(single))
    assert library.get("as-string").source.path == str(as_text)
    assert len(library) == len(BUILTIN_IDS) + 3


def test_plugin_traversable_inside_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pack/routines/zipped.toml", routine_text("zipped"))
        zf.writestr("pack/routines/notes.txt", "ignored")
    folder = zipfile.Path(archive, "pack/routines/")
    library, host = load(("zipped-pack", Pack([folder])), user_dir=tmp_path / "none")
    assert host.failures == []
    assert library.get("zipped").source.kind == "plugin"
    assert library.get("zipped").source.path.endswith("zipped.toml")


# --------------------------------------------------------------------------- precedence


def test_user_beats_plugin_beats_builtin(tmp_path: Path, write_routine: Callable) -> None:
    user = tmp_path / "user"
    write_routine(user, routine_text("seated-psoas", "My seated psoas"), name="seated.toml")
    write_routine(user, routine_text("shared", "User shared"), name="shared.toml")
    pack = Pack(
        [
            make_routine("seated-psoas", "Plugin seated psoas"),
            make_routine("shared", "Plugin shared"),
            make_routine("desk-break", "Plugin desk break"),
        ]
    )
    library, _ = load(("demo", pack), user_dir=user)
    assert library.get("seated-psoas").title == "My seated psoas"
    assert library.get("seated-psoas").source.kind == "user"
    assert library.get("shared").title == "User shared"
    assert library.get("desk-break").title == "Plugin desk break"
    assert library.get("desk-break").source == RoutineSource("plugin", "demo")
    overrides = [n.message for n in library.notices if n.kind == "override"]
    assert (
        "routine 'desk-break' from plugin demo is used; the one from the built-in pack is hidden"
    ) in overrides
    assert (
        f"routine 'shared' from your routines folder ({user / 'shared.toml'}) is used; "
        "the one from plugin demo is hidden"
    ) in overrides
    # seated-psoas clashed twice: plugin over built-in, then user over plugin
    seated = [m for m in overrides if m.startswith("routine 'seated-psoas'")]
    assert len(seated) == 2
    assert seated[-1].startswith(f"routine 'seated-psoas' from your routines folder ({user / 'seated.toml'})")
    assert library.errors == []


@pytest.mark.parametrize(
    "order", [("builtin", "plugin", "user"), ("user", "plugin", "builtin"), ("plugin", "user", "builtin")]
)
def test_precedence_does_not_depend_on_order(order: tuple[str, ...]) -> None:
    sources = {
        "builtin": RoutineSource("builtin"),
        "plugin": RoutineSource("plugin", "demo"),
        "user": RoutineSource("user", path="/u/x.toml"),
    }
    library = RoutineLibrary()
    for kind in order:
        library.add(
            Routine(
                id="x",
                title=kind,
                summary="s",
                steps=(Step(StepKind.HOLD, "h", seconds=1),),
                source=sources[kind],
            )
        )
    assert library.get("x").title == "user"
    assert len(library) == 1
    assert len(library.notices) == 2
    assert all(n.kind == "override" for n in library.notices)


def test_same_id_twice_in_one_source_keeps_the_first_file(tmp_path: Path, write_routine: Callable) -> None:
    write_routine(tmp_path, routine_text("twin", "First"), name="a.toml")
    write_routine(tmp_path, routine_text("twin", "Second"), name="b.toml")
    library, _ = load(user_dir=tmp_path)
    assert library.get("twin").title == "First"
    assert [n.message for n in library.notices] == [
        f"routine 'twin' from your routines folder ({tmp_path / 'a.toml'}) is used; "
        f"the one from your routines folder ({tmp_path / 'b.toml'}) is hidden"
    ]


# --------------------------------------------------------------------------- bad input


def test_bad_user_file_is_reported_and_skipped(tmp_path: Path, write_routine: Callable) -> None:
    write_routine(tmp_path, routine_text("good-one"), name="good.toml")
    bad = write_routine(tmp_path, BAD_TEXT, name="bad.toml")
    write_routine(tmp_path, b"id = \xff\n", name="binary.toml")
    library, _ = load(user_dir=tmp_path)
    assert "good-one" in library
    assert "broken" not in library
    assert len(library) == len(BUILTIN_IDS) + 1
    assert [n.message for n in library.errors] == [
        f"{bad}:9: steps[1].seconds: must be 1-3600, got -5",
        f"{tmp_path / 'binary.toml'}:1: not valid UTF-8 (byte 5)",
    ]


def test_bad_plugin_file_is_a_notice_and_a_plugin_failure(tmp_path: Path, write_routine: Callable) -> None:
    folder = tmp_path / "pack"
    write_routine(folder, routine_text("fine"), name="fine.toml")
    bad = write_routine(folder, BAD_TEXT, name="bad.toml")
    library, host = load(("demo", Pack([folder])), user_dir=tmp_path / "none")
    assert "fine" in library
    message = f"{bad}:9: steps[1].seconds: must be 1-3600, got -5"
    assert [n.message for n in library.errors] == [message]
    assert [(f.plugin, f.stage, f.message) for f in host.failures] == [
        ("demo", "psoas_tui_routines", message)
    ]


def test_invalid_routine_object_from_a_plugin_is_rejected(tmp_path: Path) -> None:
    pack = Pack([make_routine("Not A Slug"), make_routine("too-long", seconds=7200), make_routine("kept")])
    library, host = load(("demo", pack), user_dir=tmp_path)
    assert "kept" in library
    assert "too-long" not in library and "Not A Slug" not in library
    assert [n.message for n in library.errors] == [
        "plugin demo: id: must be a slug (lowercase letters, digits, hyphens), got 'Not A Slug'",
        "plugin demo: steps[1].seconds: must be 1-3600, got 7200",
    ]
    assert len(host.infos["demo"].failures) == 2


def _boom() -> list[Any]:
    raise RuntimeError("pack exploded")


@pytest.mark.parametrize(
    ("returned", "failure"),
    [
        (42, "returned int, expected an iterable"),
        ("a/path.toml", "returned str, expected an iterable"),
        ([42], "returned int, expected a path or Routine"),
        (_boom, "RuntimeError: pack exploded"),
    ],
)
def test_plugin_garbage_is_a_failure_and_the_rest_load(tmp_path: Path, returned: Any, failure: str) -> None:
    good = Pack([make_routine("from-good")])
    library, host = load(("bad", Pack(returned)), ("good", good), user_dir=tmp_path)
    assert "from-good" in library
    assert {r.id for r in library} >= BUILTIN_IDS
    assert [(f.plugin, f.message) for f in host.failures] == [("bad", failure)]


def test_plugin_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    library, host = load(("demo", Pack([missing])), user_dir=tmp_path)
    assert [f.message for f in host.failures] == [f"{missing}: no such file or folder"]
    assert len(library) == len(BUILTIN_IDS)


# --------------------------------------------------------------------------- lookup


def test_get_suggests_close_ids() -> None:
    library, _ = load()
    with pytest.raises(UserError) as info:
        library.get("seated-psaos")
    assert str(info.value) == "no routine with id 'seated-psaos' (did you mean seated-psoas?)"


def test_get_without_a_close_match_points_at_the_list() -> None:
    library, _ = load()
    with pytest.raises(UserError) as info:
        library.get("zzzzzz")
    assert str(info.value) == "no routine with id 'zzzzzz' (see: psoas-tui routines)"


def test_iteration_is_by_title_and_membership_works() -> None:
    library = RoutineLibrary(
        [make_routine("b-id", "beta"), make_routine("a-id", "Alpha"), make_routine("c", "gamma")]
    )
    assert [r.id for r in library] == ["a-id", "b-id", "c"]
    assert "a-id" in library and "nope" not in library
    assert len(library) == 3


# --------------------------------------------------------------------------- local first, plugins later


def test_load_local_reads_the_pack_and_the_user_folder_without_plugins(
    tmp_path: Path, write_routine: Callable
) -> None:
    import subprocess
    import sys

    user = tmp_path / "user"
    write_routine(user, routine_text("my-own", "Mine"), name="mine.toml")
    write_routine(user, BAD_TEXT, name="broken.toml")
    local = RoutineLibrary.load_local(user)
    assert {r.id for r in local} == BUILTIN_IDS | {"my-own"}
    assert local.get("desk-break").source.kind == "builtin"
    assert local.get("my-own").source == RoutineSource("user", path=str(user / "mine.toml"))
    broken = f"{user / 'broken.toml'}:9: steps[1].seconds: must be 1-3600, got -5"
    assert [str(n) for n in local.errors] == [broken]
    # and the same routines, with the same sources, as the full load
    full, _ = load(user_dir=user)
    assert list(local) == list(full)
    assert local.notices == full.notices
    # no plugin machinery is imported to get there
    code = (
        "import sys; from psoas_tui.routines import RoutineLibrary; RoutineLibrary.load_local(); "
        "print(sorted(m for m in ('pluggy', 'importlib.metadata', 'psoas_tui.plugin_host.host')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_local_leaves_the_pack_out_when_its_plugin_is_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PSOAS_TUI_DISABLE_PLUGINS", "something-else, builtin-routines")
    assert len(RoutineLibrary.load_local(tmp_path / "none")) == 0
    assert len(RoutineLibrary.load_local(tmp_path / "none", builtin=True)) == len(BUILTIN_IDS)


def test_with_plugins_keeps_user_over_plugin_over_builtin(tmp_path: Path, write_routine: Callable) -> None:
    user = tmp_path / "user"
    write_routine(user, routine_text("shared", "User shared"), name="shared.toml")
    write_routine(user, routine_text("seated-psoas", "My seated psoas"), name="seated.toml")
    write_routine(user, BAD_TEXT, name="broken.toml")
    local = RoutineLibrary.load_local(user)
    assert local.get("shared").title == "User shared"
    pack = Pack([make_routine("shared", "Plugin shared"), make_routine("desk-break", "Plugin desk break"),
                 make_routine("extra", "Plugin extra")])
    host = host_with(("demo", pack))
    full = local.with_plugins(host)
    assert full.get("shared").title == "User shared"  # the user still wins after the merge
    assert full.get("seated-psoas").source.kind == "user"
    assert full.get("desk-break").source == RoutineSource("plugin", "demo")
    assert full.get("extra").source == RoutineSource("plugin", "demo")
    assert "extra" not in local  # the local library is left as it was
    expected, _ = load(("demo", Pack(pack.items)), user_dir=user)
    assert list(full) == list(expected)
    assert full.notices == expected.notices
    assert host.infos["demo"].contributions["routines"] == ["shared", "desk-break", "extra"]
