"""config: file discovery, CLI > file > defaults, unknown keys, scoring weights."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcheck import check_text, config
from qualcheck.cli import main
from qualcheck.errors import ConfigError
from qualcheck.model import Severity

ARTICLE = (
    "Putin spoke on Tuesday about the talks with NATO and the United States in Geneva. "
    "He said the West had ignored Russia's demands.\n\nLeave a Reply\n"
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_config(tmp_path):
    s = config.build({}, cwd=tmp_path)
    assert (s.report, s.fail_under, s.fail_on, s.select, s.config_file) == ("text", None, None, (), None)


def test_pyproject_found_from_a_subfolder(tmp_path):
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.qualcheck]\nfail-under = 70\nselect = ["BP"]\n')
    sub = tmp_path / "articles" / "2022"
    sub.mkdir(parents=True)
    s = config.build({}, cwd=sub)
    assert (s.fail_under, s.select, s.config_file) == (70.0, ("BP",), str(tmp_path / "pyproject.toml"))


def test_qualcheck_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    _write(tmp_path / "pyproject.toml", "[tool.qualcheck]\nfail-under = 70\n")
    _write(tmp_path / "qualcheck.toml", "fail-under = 55\n")
    assert config.build({}, cwd=tmp_path).fail_under == 55.0


def test_pyproject_without_our_table_is_skipped(tmp_path):
    _write(tmp_path / "qualcheck.toml", 'report = "json"\n')
    _write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n')
    assert config.build({}, cwd=tmp_path / "inner").report == "json"


def test_cli_over_file_over_defaults(tmp_path):
    _write(tmp_path / "qualcheck.toml", 'fail-under = 70\nfail-on = "warning"\nignore = ["RD"]\n')
    s = config.build({"fail_under": 50.0, "select": (), "ignore": None}, cwd=tmp_path)
    assert s.fail_under == 50.0  # CLI
    assert s.fail_on == Severity.WARNING  # file
    assert s.ignore == ("RD",)  # file, since the CLI gave nothing
    assert s.report == "text"  # default


def test_rule_dirs_are_relative_to_the_config_file(tmp_path):
    _write(tmp_path / "qualcheck.toml", 'rules = ["house-rules"]\n')
    sub = tmp_path / "deep"
    sub.mkdir()
    assert config.build({}, cwd=sub).rules == (str((tmp_path / "house-rules").resolve()),)


@pytest.mark.parametrize(
    "toml,message",
    [
        ("fail_under = 70\n", "fail_under: unknown key (did you mean 'fail-under'?)"),
        ("selct = ['BP']\n", "selct: unknown key (did you mean 'select'?)"),
        ("colour = 'red'\n", "colour: unknown key"),
        ("fail-under = 'high'\n", "fail-under: expected a number, got 'high'"),
        ("report = 'pdf'\n", f"report: expected one of {', '.join(config.REPORT_FORMATS)}, got 'pdf'"),
        ("fail-on = 'fatal'\n", "fail-on: expected one of info, warning, error, never, got 'fatal'"),
        ("[scoring]\nhalf-densty = 3\n", "scoring.half-densty: unknown key (did you mean 'scoring.half-density'?)"),
        ("[scoring.severity-weights]\ncritical = 9\n", "scoring.severity-weights: must be a table with keys info, warning, error"),
        ("[scoring]\nhalf-density = 0\n", "scoring.half-density: must be positive"),
        ("fail-under = \n", "invalid TOML"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, toml, message):
    path = _write(tmp_path / "qualcheck.toml", toml)
    with pytest.raises(ConfigError) as err:
        config.build({}, cwd=tmp_path)
    assert err.value.format_message().startswith(f"{path}: {message}")


def test_bad_config_in_pyproject_exits_2_via_cli(tmp_path, monkeypatch):
    _write(tmp_path / "pyproject.toml", "[tool.qualcheck]\nfail-undr = 70\n")
    _write(tmp_path / "a.txt", ARTICLE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["a.txt"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"qualcheck: error: {tmp_path / 'pyproject.toml'}: fail-undr: unknown key (did you mean 'fail-under'?)\n"


def test_explicit_config_file(tmp_path):
    path = _write(tmp_path / "elsewhere" / "ci.toml", "fail-under = 90\n")
    assert config.build({}, str(path), cwd=tmp_path).fail_under == 90.0
    with pytest.raises(ConfigError, match="config file does not exist"):
        config.build({}, str(tmp_path / "nope.toml"), cwd=tmp_path)
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.qualcheck\] table"):
        config.build({}, str(tmp_path / "pyproject.toml"), cwd=tmp_path)


def test_file_gate_applies_through_the_cli(tmp_path, monkeypatch):
    _write(tmp_path / "qualcheck.toml", "fail-under = 99.5\n")
    _write(tmp_path / "a.txt", ARTICLE)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    failed = runner.invoke(main, ["a.txt"])
    assert failed.exit_code == 1, failed.stderr
    assert "is below 99.5" in failed.stderr
    passed = runner.invoke(main, ["a.txt", "--fail-under", "1"])  # CLI wins over the file
    assert passed.exit_code == 0, passed.stderr


def test_scoring_weights_are_configurable_and_effective(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = check_text(ARTICLE, "a.txt", select=("BP101",)).documents[0]
    _write(tmp_path / "qualcheck.toml", "[scoring.severity-weights]\nerror = 20\n")
    heavier = check_text(ARTICLE, "a.txt", select=("BP101",)).documents[0]
    assert [f.code for f in base.findings] == ["BP101"]
    assert heavier.score.categories["boilerplate"] < base.score.categories["boilerplate"]
    _write(tmp_path / "qualcheck.toml", "[scoring]\nhalf-density = 1000\n")
    lenient = check_text(ARTICLE, "a.txt", select=("BP101",)).documents[0]
    assert lenient.score.categories["boilerplate"] == 45.0  # the error still caps the category
    _write(tmp_path / "qualcheck.toml", "[scoring]\nhalf-density = 1000\ncap = 100\n")
    uncapped = check_text(ARTICLE, "a.txt", select=("BP101",)).documents[0]
    assert uncapped.score.categories["boilerplate"] > 99.0
    _write(tmp_path / "qualcheck.toml", "[scoring.category-weights]\nboilerplate = 0\n")
    ignored = check_text(ARTICLE, "a.txt", select=("BP", "RD")).documents[0]
    assert ignored.score.overall == ignored.score.categories["readability"]


def test_rule_weights_replace_a_rules_severity_weight_and_reject_what_is_no_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "qualcheck.toml", "[scoring.rule-weights]\nBP101 = 0\n")
    weightless = check_text(ARTICLE, "a.txt", select=("BP101",)).documents[0]
    assert [f.code for f in weightless.findings] == ["BP101"]
    assert weightless.score.categories["boilerplate"] == 100.0  # shown, but neither weighs nor caps
    _write(tmp_path / "qualcheck.toml", "[scoring.rule-weights]\nboilerplate = 0\n")
    with pytest.raises(ConfigError, match="rule-weights: must be a table of rule codes"):
        check_text(ARTICLE, "a.txt", select=("BP101",))
