"""The README stays true: the two set-up commands, every CLI option, every config key, the exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from qualcheck import config
from qualcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_setup_and_test_commands_are_the_ones_ci_and_setup_use():
    assert "bash scripts/setup.sh " in README and ".venv/bin/python -m pytest " in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == ".venv/bin/python -m pytest"
    assert "bash scripts/setup.sh --no-run" in ci
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert ".venv/bin/qualcheck seeds/ --report html" in setup


def test_every_cli_option_is_documented():
    for param in main.params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            assert f"{longest}`" in README or f"`{longest} " in README, f"{longest} is not in README.md"


def test_every_config_key_is_documented():
    for key in [*config.TOP_KEYS, *config.SCORING_KEYS]:
        assert f"{key} =" in README or f"{key} = " in README or f"[tool.qualcheck.{key}]" in README, key


def test_exit_codes_documented_in_readme_and_help():
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in README
    assert "Exit codes:" in (main.epilog or "")
