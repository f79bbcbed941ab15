"""Where the rule pack shipped with qualcheck lives, for the rule loader and the data the agreement checks read."""

from __future__ import annotations

from pathlib import Path

from qualcheck.errors import ConfigError


def bundled_rules_dir() -> Path:
    """The rule pack shipped with qualcheck: inside the wheel, or rules/ of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "bundled_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("the bundled rules are missing from this installation (reinstall qualcheck)")
