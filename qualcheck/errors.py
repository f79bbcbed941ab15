"""Errors that stop a run with exit code 2: usage, configuration and rule-file problems."""

from __future__ import annotations

import click


class QualcheckError(click.ClickException):
    """A problem the user must fix before qualcheck can run; exit code 2, never 1 (1 means the gate failed)."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: D102 - one line on stderr, no usage banner
        from qualcheck.textsafe import printable  # a path or value quoted from outside must keep this one line

        click.echo(f"qualcheck: error: {printable(self.format_message())}", err=True, file=file)


class ConfigError(QualcheckError):
    """A configuration file or option is invalid."""


class RuleFileError(QualcheckError):
    """A rule YAML file is invalid; the message names file, key and problem."""

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        self.path, self.key, self.problem = path, key, problem
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(f"{where}{problem}")
