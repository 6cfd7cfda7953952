"""The config file: precedence under the flags, and clear messages for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.config import Alerts, Config, ConfigError, config_path, load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_is_empty(tmp_path: Path) -> None:
    assert load(tmp_path / "nope.toml") == Config()


def test_full_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'refresh = 5\nregion = ["eu-west-1", "us-east-1"]\nprofile = "ops"\ntheme = "nord"\n'
        "read_only = true\n[alerts]\nbell = false\n",
    )
    config = load(path)
    assert config.refresh == 5.0 and config.regions == ("eu-west-1", "us-east-1")
    assert config.profiles == ("ops",) and config.theme == "nord" and config.read_only
    assert config.alerts == Alerts(toast=True, bell=False, desktop=True)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("refresh = 5\nregion = [eu-west-1]\n", "line 2"),
        ("refresh = -1\n", "refresh must be a number"),
        ("refesh = 5\n", "unknown setting refesh (known: alerts, columns, profile,"),
        ("[alerts]\nbel = true\n", "unknown alerts setting bel"),
        ("[alerts]\nbell = 'yes'\n", "bell must be true or false"),
        ("region = 3\n", "region must be a string or a list of strings"),
        ('columns = ["status", "cost"]\n', "unknown column cost (known: origin, status,"),
    ],
)
def test_bad_files_say_what_and_where(tmp_path: Path, text: str, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert says in str(caught.value) and str(path) in str(caught.value)


def test_app_start_with_a_bad_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MPIB_CONFIG", str(write(tmp_path, "refresh = [\n")))
    assert main(["--region", "us-east-1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mpib: ") and "not valid TOML" in err and err.count("\n") == 1


def test_config_path_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MPIB_CONFIG", raising=False)
    assert main(["config", "path"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(str(config_path())) and "mpib" in out and "config.toml" in out


def test_flags_win_over_the_file_which_wins_over_defaults(tmp_path: Path) -> None:
    from tui.cli import build_parser
    from tui.script import app_options

    config = load(write(tmp_path, 'refresh = 5\ntheme = "nord"\n[alerts]\ndesktop = false\n'))
    defaults = app_options(build_parser().parse_args([]), Config())
    assert defaults["refresh_seconds"] == 10.0 and defaults["alerts"] == Alerts()
    from_file = app_options(build_parser().parse_args([]), config)
    assert from_file["refresh_seconds"] == 5.0 and from_file["theme"] == "nord"
    assert from_file["alerts"] == Alerts(toast=True, bell=True, desktop=False)
    flags = build_parser().parse_args(["--refresh", "2", "--theme", "gruvbox", "--no-bell"])
    both = app_options(flags, config)
    assert both["refresh_seconds"] == 2.0 and both["theme"] == "gruvbox"
    assert both["alerts"] == Alerts(toast=True, bell=False, desktop=False)


def test_columns_pick_and_order_the_table(tmp_path: Path) -> None:
    from tui.columns import fit

    config = load(write(tmp_path, 'columns = ["started", "product"]\n'))
    assert config.columns == ("started", "product")
    keys = [column.key for column, _ in fit(200, only=config.columns)]
    assert keys == ["status", "build", "started", "product"]  # status and build always
