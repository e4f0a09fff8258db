"""Settings: defaults, a tomli-w round trip, and strict errors naming file, line and field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from psoas_tui import paths
from psoas_tui.config import Settings, load_settings, save_settings, settings_to_dict
from psoas_tui.errors import ConfigError, UserError


@pytest.fixture
def config_file(app_dirs: Any) -> Path:
    """The isolated config.toml (its folder created, the file not)."""
    app_dirs.config.mkdir(parents=True)
    return app_dirs.config / "config.toml"


def test_config_file_lives_in_the_env_folder(app_dirs: Any) -> None:
    assert paths.config_file() == app_dirs.config / "config.toml"


def test_missing_file_means_defaults_and_nothing_is_created(app_dirs: Any) -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.cue_styles == ("text", "title")
    assert settings.breath == "4-0-6-0"
    assert (settings.get_ready_seconds, settings.switch_seconds, settings.weekly_goal) == (5, 5, 3)
    assert settings.theme == "textual-dark"
    assert settings.safety_acknowledged is False
    assert settings.keys == {}
    assert not app_dirs.config.exists()


def test_round_trip_through_tomli_w(app_dirs: Any) -> None:
    custom = Settings(
        cue_styles=("text", "bell"),
        breath="5-1-7-2",
        get_ready_seconds=0,
        switch_seconds=60,
        weekly_goal=7,
        theme="textual-light",
        safety_acknowledged=True,
        keys={"pause": "space,p", "quit": "q"},
    )
    written = save_settings(custom)
    assert written == app_dirs.config / "config.toml"  # folder created on save
    assert load_settings() == custom
    assert tomllib.loads(written.read_text(encoding="utf-8"))["keys"] == {"pause": "space,p", "quit": "q"}
    assert [p.name for p in app_dirs.config.iterdir()] == ["config.toml"]  # no temporary file left


def test_defaults_round_trip(config_file: Path) -> None:
    save_settings(Settings(), config_file)
    assert load_settings(config_file) == Settings()
    assert set(tomllib.loads(config_file.read_text(encoding="utf-8"))) == set(settings_to_dict(Settings()))


def test_partial_file_keeps_other_defaults(config_file: Path) -> None:
    config_file.write_text("# my settings\nweekly_goal = 5\n", encoding="utf-8")
    assert load_settings() == Settings(weekly_goal=5)


def test_cue_styles_are_deduplicated_in_order(config_file: Path) -> None:
    config_file.write_text('cue_styles = ["bell", "text", "bell"]\n', encoding="utf-8")
    assert load_settings().cue_styles == ("bell", "text")


def test_byte_order_mark_is_accepted(config_file: Path) -> None:
    config_file.write_bytes(b"\xef\xbb\xbfweekly_goal = 2\n")
    assert load_settings().weekly_goal == 2


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("weekly_goal = 9", "weekly_goal", "must be a whole number 1-7, got 9"),
        ("weekly_goal = 0", "weekly_goal", "must be a whole number 1-7, got 0"),
        ("weekly_goal = 3.5", "weekly_goal", "must be a whole number 1-7, got 3.5"),
        ("get_ready_seconds = -1", "get_ready_seconds", "must be a whole number 0-60, got -1"),
        ("switch_seconds = 61", "switch_seconds", "must be a whole number 0-60, got 61"),
        ('switch_seconds = "5"', "switch_seconds", "must be a whole number 0-60, got '5'"),
        ("switch_seconds = true", "switch_seconds", "must be a whole number 0-60, got True"),
        ('breath = "4-0-6"', "breath", "must look like \"4-0-6-0\", got '4-0-6'"),
        ("breath = 4", "breath", 'must look like "4-0-6-0", got 4'),
        ('breath = "0-0-6-0"', "breath", "inhale and exhale 1-30 s, holds 0-30 s"),
        ('breath = "4-0-6-31"', "breath", "inhale and exhale 1-30 s, holds 0-30 s"),
        ('cue_styles = "text"', "cue_styles", "must be a list of style names"),
        ("cue_styles = [1]", "cue_styles", "must be a list of style names"),
        ('theme = ""', "theme", "must be a non-empty string"),
        ('safety_acknowledged = "yes"', "safety_acknowledged", "must be true or false"),
        ('keys = "q"', "keys", 'must be a table of binding id = "keys"'),
        ("keys = { quit = 3 }", "keys.quit", 'must be a string of keys like "p,space", got 3'),
        ('colour = "red"', "colour", "unknown setting"),
    ],
)
def test_bad_value_names_file_line_and_field(config_file: Path, line: str, field: str, message: str) -> None:
    config_file.write_text(f"# settings\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == f"{config_file}:3: {field}: {message}"
    assert isinstance(info.value, UserError)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[keys]\n"run.pause" = 5\n', 2),
        ('weekly_goal = 3\n\n[keys]\nquit = "q"\n\n"run.pause" = 5\n', 6),
        ('[keys]\n# "run.pause" = 5\n"run.pause" = 5\n', 3),
        ('theme = "x"\nkeys."run.pause" = 5\n', 2),
        ('theme = "x"\n\nkeys = { quit = "q", "run.pause" = 5 }\n', 3),
        ('[keys]\nquit = "q"\n\n[keys."run.pause"]\nx = 1\n', 4),
    ],
)
def test_bad_binding_points_at_its_own_line(config_file: Path, text: str, line: int) -> None:
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(
        f'{config_file}:{line}: keys.run.pause: must be a string of keys like "p,space"'
    )


def test_unknown_table_is_an_unknown_setting(config_file: Path) -> None:
    config_file.write_text("weekly_goal = 3\n\n[plugins]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == f"{config_file}:3: plugins: unknown setting"


def test_toml_syntax_error_names_the_line(config_file: Path) -> None:
    config_file.write_text("weekly_goal = 3\ntheme = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(f"{config_file}:2: TOML syntax: ")
    assert "\n" not in str(info.value)


def test_invalid_utf8(config_file: Path) -> None:
    config_file.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == f"{config_file}: not valid UTF-8"


def test_failed_load_leaves_the_file_alone(config_file: Path) -> None:
    original = "weekly_goal = 99\n"
    config_file.write_text(original, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings()
    assert config_file.read_text(encoding="utf-8") == original


def test_replace_validates() -> None:
    assert Settings().replace(weekly_goal=6).weekly_goal == 6
    with pytest.raises(ConfigError) as info:
        Settings().replace(weekly_goal=8)
    assert str(info.value) == "<settings>: weekly_goal: must be a whole number 1-7, got 8"
    with pytest.raises(ConfigError, match=r"^<settings>: volume: unknown setting$"):
        Settings().replace(volume=3)
