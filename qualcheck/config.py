"""Settings: defaults, overridden by ``qualcheck.toml`` or ``[tool.qualcheck]``, overridden by the CLI.

Unknown keys are an error naming the file and the key, with a close-match suggestion, because a
misspelt option that is silently ignored is worse than none.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from qualcheck import language
from qualcheck.errors import ConfigError
from qualcheck.model import CATEGORIES, Severity
from qualcheck.scoring import DEFAULT_CATEGORY_WEIGHTS, DEFAULT_RULE_WEIGHTS, DEFAULT_SEVERITY_WEIGHTS, ScoringSettings

REPORT_FORMATS = ("text", "json", "jsonl", "html", "sarif", "github", "junit")


@dataclass(frozen=True)
class GrammarSettings:
    """``[tool.qualcheck.grammar]``: how to reach LanguageTool and how hard to work offline."""

    server: str | None = None  # LanguageTool URL; else QUALCHECK_LANGUAGETOOL_URL, a local install, the offline engine
    disabled_rules: tuple[str, ...] = ()  # LanguageTool rule ids, e.g. "WHITESPACE_RULE"
    disabled_categories: tuple[str, ...] = ()  # LanguageTool category ids, e.g. "TYPOGRAPHY"
    workers: int = 2  # documents checked in parallel (LanguageTool requests or offline parses)
    timeout: float = 60.0  # seconds per LanguageTool request
    max_words: int = 35  # longer sentences are not parsed by link-grammar (GR103): it fails on most of them


@dataclass(frozen=True)
class TranslationSettings:
    """``[tool.qualcheck.translation]``: optional engines for the garble score."""

    lm: bool = False  # add language-model surprisal (SmolLM2-135M, extra qualcheck[lm]) to MT900's score
    encoder: bool = False  # add a small sentence encoder's probe (all-MiniLM-L6-v2, extra qualcheck[encoder]) to MT900's score


@dataclass(frozen=True)
class Settings:
    """Everything a run needs; built once by the CLI (or by ``check_paths``) and never mutated."""

    paths: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()  # extra rule folders, before the bundled pack
    language: str = "en"  # English variant (qualcheck/language.py): which spellings count as correct
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    report: str = "text"
    output: str | None = None
    fail_under: float | None = None
    fail_on: Severity | str | None = None  # a Severity, or "never" (overrides a configured fail-on)
    allow_incomplete: bool = False
    source_map: Mapping[str, str] = field(default_factory=dict)  # glob on the document path -> source name
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # glob -> codes or prefixes
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    grammar: GrammarSettings = field(default_factory=GrammarSettings)
    languagetool: str | None = None  # --languagetool URL, wins over grammar.server
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    lm: bool | None = None  # --lm/--no-lm, wins over translation.lm
    encoder: bool | None = None  # --encoder/--no-encoder, wins over translation.encoder
    decisions: str | None = None  # editor decisions file (JSON Lines or SQLite), see review.py
    baseline: str | None = None  # findings accepted as known (review.py): only findings not in it count
    corpus: tuple[str, ...] = ()  # documents new articles are compared with, not reported (a gate run)
    # JSONL corpora among ``paths`` whose changed records are known (resolved path -> record ids):
    # only those records are checked and reported, the file's other records join the corpus
    changed_records: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # changed files in the corpus that are not articles qualcheck reads (an .html page, a README): named
    # in a notice, never dropped unsaid
    changed_unread: tuple[str, ...] = ()
    cache: bool | None = None  # keep results in the corpus store (the CLI's default: on; the API's: off)
    jobs: int | None = None  # worker processes for the document phase (the CLI's default: every core; the API's: 1)
    dask: str | None = None  # run the document phase on a Dask cluster: a scheduler address, or "local" (dask_phase.py)
    store: str | None = None  # the store file (default .qualcheck/store.db beside the config, else here)
    config_file: str | None = None
    root: str = "."

    @property
    def gate_severity(self) -> Severity | None:
        """The --fail-on severity the gate applies; None when absent or "never"."""
        return self.fail_on if isinstance(self.fail_on, Severity) else None

    @property
    def use_lm(self) -> bool:
        """Whether the run asks for language-model surprisal (CLI over config)."""
        return self.translation.lm if self.lm is None else self.lm

    @property
    def use_encoder(self) -> bool:
        """Whether the run asks for the sentence encoder's probe (CLI over config)."""
        return self.translation.encoder if self.encoder is None else self.encoder


# key in the file -> (Settings attribute, expected type description, converter)
def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError("a string or a list of strings")


def _number(value: Any) -> float:
    # TOML has nan and inf: they would reach int() and 0.5 ** x and end the run with an internal error
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError("a number")
    if not math.isfinite(value) or abs(value) > 1e12:
        raise TypeError("a finite number (at most 1e12)")
    return float(value)


def _weight(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise TypeError("a number >= 0")
    return number


def _percent(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 100:
        raise TypeError("a number from 0 to 100")
    return number


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("true or false")


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("a string")


def _path(value: Any) -> str:
    if isinstance(value, str) and value and "\x00" not in value:
        return value
    raise TypeError("a non-empty path without NUL characters")


def _paths(value: Any) -> tuple[str, ...]:
    paths = _strings(value)
    for p in paths:
        _path(p)
    return paths


def _severity(value: Any) -> Severity | str:
    if value == "never":
        return "never"
    try:
        return Severity.parse(value)
    except ValueError:
        raise TypeError("one of info, warning, error, never") from None


def _language(value: Any) -> str:
    try:
        return language.parse(value).tag
    except (ValueError, AttributeError):
        raise TypeError(f"an English variant qualcheck checks ({', '.join(language.VARIANTS)})") from None


def _jobs(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise TypeError("a whole number of worker processes, 1 or more")


def _report(value: Any) -> str:
    if value in REPORT_FORMATS:
        return value
    raise TypeError(f"one of {', '.join(REPORT_FORMATS)}")


def _codes_map(value: Any) -> dict[str, tuple[str, ...]]:
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _strings(v) for k, v in value.items()}
    raise TypeError("a table of glob = [codes]")


def _str_map(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    raise TypeError("a table of strings")


TOP_KEYS = {
    "rules": ("rules", _paths),
    "select": ("select", _strings),
    "ignore": ("ignore", _strings),
    "exclude": ("exclude", _strings),
    "language": ("language", _language),
    "report": ("report", _report),
    "output": ("output", _path),
    "fail-under": ("fail_under", _percent),
    "fail-on": ("fail_on", _severity),
    "allow-incomplete": ("allow_incomplete", _boolean),
    "source-map": ("source_map", _str_map),
    "per-file-ignores": ("per_file_ignores", _codes_map),
    "decisions": ("decisions", _path),
    "baseline": ("baseline", _path),
    "corpus": ("corpus", _strings),
    "cache": ("cache", _boolean),
    "store": ("store", _path),
    "jobs": ("jobs", _jobs),
}
SECTIONS = ("scoring", "grammar", "translation")
_RULE_CODE = re.compile(r"[A-Z]{2,3}[0-9]{3}")  # as rule files spell them (ruleset.CODE_RE)
TRANSLATION_KEYS = {"lm": ("lm", _boolean), "encoder": ("encoder", _boolean)}
SCORING_KEYS = ("severity-weights", "category-weights", "rule-weights", "half-density", "min-words", "cap", "several", "margin")


def _unknown(path: str, key: str, known: list[str]) -> ConfigError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return ConfigError(f"{path}: {key}: unknown key{hint}")


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """Find the nearest qualcheck.toml, or pyproject.toml with a [tool.qualcheck] table."""
    for folder in (start, *start.parents):
        for name in ("qualcheck.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                table = read_table(candidate)
                if table is not None:
                    return candidate, table
    return None


def read_table(path: Path) -> Mapping[str, Any] | None:
    """Read our table from a config file: the whole qualcheck.toml or [tool.qualcheck] of pyproject.toml."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("qualcheck") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.qualcheck: must be a table, got {type(table).__name__}")
        return table
    return data


def _scoring(path: str, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: scoring: must be a table")
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in SCORING_KEYS:
            raise _unknown(path, f"scoring.{key}", [f"scoring.{k}" for k in SCORING_KEYS])
        if key == "severity-weights":
            if not isinstance(value, dict) or set(value) - set(DEFAULT_SEVERITY_WEIGHTS):
                raise ConfigError(f"{path}: scoring.{key}: must be a table with keys info, warning, error")
            out["severity_weights"] = {**DEFAULT_SEVERITY_WEIGHTS, **{k: _checked(path, f"scoring.{key}.{k}", v, _weight) for k, v in value.items()}}
        elif key == "category-weights":
            if not isinstance(value, dict) or set(value) - set(CATEGORIES):
                raise ConfigError(f"{path}: scoring.{key}: must be a table with keys among {', '.join(CATEGORIES)}")
            out["category_weights"] = {**DEFAULT_CATEGORY_WEIGHTS, **{k: _checked(path, f"scoring.{key}.{k}", v, _weight) for k, v in value.items()}}
        elif key == "rule-weights":
            if not isinstance(value, dict) or not all(isinstance(k, str) and _RULE_CODE.fullmatch(k) for k in value):
                raise ConfigError(f"{path}: scoring.{key}: must be a table of rule codes (e.g. FA106 = 0) to weights")
            out["rule_weights"] = {**DEFAULT_RULE_WEIGHTS, **{k: _checked(path, f"scoring.{key}.{k}", v, _weight) for k, v in value.items()}}
        elif key == "half-density":
            out["half_density"] = _checked(path, f"scoring.{key}", value, _number)
            if out["half_density"] <= 0:
                raise ConfigError(f"{path}: scoring.{key}: must be positive")
        elif key in ("cap", "margin"):
            out[key] = _checked(path, f"scoring.{key}", value, _number)
            if not 0 <= out[key] <= 100:
                raise ConfigError(f"{path}: scoring.{key}: must be between 0 and 100")
        elif key == "several":
            if not isinstance(value, dict) or set(value) - set(CATEGORIES):
                raise ConfigError(f"{path}: scoring.{key}: must be a table with keys among {', '.join(CATEGORIES)}")
            several = {}
            for k, v in value.items():
                n = _checked(path, f"scoring.{key}.{k}", v, _number)
                if n < 1 or n != int(n):
                    raise ConfigError(f"{path}: scoring.{key}.{k}: must be a positive whole number")
                several[k] = int(n)
            out["several"] = several
        else:
            out["min_words"] = int(_checked(path, f"scoring.{key}", value, _number))
            if out["min_words"] < 1:
                raise ConfigError(f"{path}: scoring.{key}: must be a positive whole number")
    return out


GRAMMAR_KEYS = {
    "server": ("server", _string),
    "disabled-rules": ("disabled_rules", _strings),
    "disabled-categories": ("disabled_categories", _strings),
    "workers": ("workers", _number),
    "timeout": ("timeout", _number),
    "max-words": ("max_words", _number),
}


def _section(path: str, name: str, table: Any, keys: Mapping[str, tuple[str, Any]]) -> dict[str, Any]:
    """Validate one ``[tool.qualcheck.<name>]`` table against its key -> (attribute, converter) map."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {name}: must be a table")
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in keys:
            raise _unknown(path, f"{name}.{key}", [f"{name}.{k}" for k in keys])
        attr, convert = keys[key]
        out[attr] = _checked(path, f"{name}.{key}", value, convert)
    return out


def _grammar(path: str, table: Any) -> GrammarSettings:
    out = _section(path, "grammar", table, GRAMMAR_KEYS)
    for key, (attr, _) in GRAMMAR_KEYS.items():
        if attr not in out:
            continue
        if attr in ("workers", "max_words"):
            if out[attr] < 1 or out[attr] != int(out[attr]):
                raise ConfigError(f"{path}: grammar.{key}: must be a positive whole number")
            out[attr] = int(out[attr])
        if attr == "timeout" and out[attr] <= 0:
            raise ConfigError(f"{path}: grammar.{key}: must be positive")
    return GrammarSettings(**out)


def _translation(path: str, table: Any) -> TranslationSettings:
    return TranslationSettings(**_section(path, "translation", table, TRANSLATION_KEYS))


def _checked(path: str, key: str, value: Any, convert) -> Any:
    try:
        return convert(value)
    except TypeError as exc:
        raise ConfigError(f"{path}: {key}: expected {exc}, got {value!r}") from None


def from_table(table: Mapping[str, Any], path: str, base: Path) -> dict[str, Any]:
    """Validate a config table into Settings keyword arguments; relative paths resolve against ``base``."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key == "grammar":
            out["grammar"] = _grammar(path, value)
            continue
        if key == "translation":
            out["translation"] = _translation(path, value)
            continue
        if key in SECTIONS:
            out["scoring"] = ScoringSettings(**_scoring(path, value))
            continue
        if key not in TOP_KEYS:
            raise _unknown(path, key, [*TOP_KEYS, *SECTIONS])
        attr, convert = TOP_KEYS[key]
        out[attr] = _checked(path, key, value, convert)
    for key in ("decisions", "baseline", "store"):
        if key in out and not Path(out[key]).is_absolute():
            out[key] = str(base / out[key])
    if "corpus" in out:
        out["corpus"] = tuple(str(base / c) if not Path(c).is_absolute() else c for c in out["corpus"])
    if "rules" in out:
        out["rules"] = tuple(str((base / r).resolve()) if not Path(r).is_absolute() else r for r in out["rules"])
    return out


def build(cli: Mapping[str, Any], config_path: str | None = None, cwd: Path | None = None, isolated: bool = False) -> Settings:
    """Merge defaults, the config file and CLI options (CLI wins); None in ``cli`` means 'not given'.

    ``isolated`` (``--isolated``) reads no config file at all, so a run is reproducible anywhere.
    """
    cwd = cwd or Path.cwd()
    values: dict[str, Any] = {}
    found = None
    if isolated:
        if config_path:
            raise ConfigError(f"--config {config_path}: cannot be combined with --isolated")
    elif config_path:
        p = Path(config_path)
        if not p.is_file():
            raise ConfigError(f"{config_path}: config file does not exist")
        table = read_table(p)
        if table is None:
            raise ConfigError(f"{config_path}: no [tool.qualcheck] table")
        found = (p, table)
    else:
        found = find_config(cwd)
    if found:
        path, table = found
        values.update(from_table(table, str(path), path.parent))
        values["config_file"] = str(path)
    for key, value in cli.items():
        if value is None or value == ():
            continue
        if key not in {f.name for f in dataclasses.fields(Settings)}:
            raise ConfigError(f"internal: unknown setting {key}")
        if key == "language":
            try:
                value = language.parse(value).tag
            except ValueError as exc:
                raise ConfigError(f"--language {exc}") from None
        if key == "fail_under" and not math.isfinite(value):  # click's FloatRange lets nan through: a gate that never fails
            raise ConfigError(f"--fail-under {value}: expected a number from 0 to 100")
        values[key] = value
    values.setdefault("root", str(cwd))
    if not values.get("store") and os.environ.get("QUALCHECK_STORE"):
        values["store"] = os.environ["QUALCHECK_STORE"]
    if not values.get("store"):
        values["store"] = str((Path(values["config_file"]).parent if values.get("config_file") else cwd) / ".qualcheck" / "store.db")
    return Settings(**values)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Severity):  # an IntEnum: before int
        return _toml_value(str(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_value(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def show(settings: Settings) -> str:
    """The resolved settings as a ``qualcheck.toml`` (``--show-config``): what this run would use.

    Keys absent from the settings (no fail-under, no output file) are written as comments, so the
    output read back by ``from_table`` gives the same settings.
    """
    source = settings.config_file or "no config file (defaults and command line)"
    lines = [f"# qualcheck settings resolved from {source}"]
    for key, (attr, _) in TOP_KEYS.items():
        value = getattr(settings, attr)
        if attr in ("source_map", "per_file_ignores"):
            continue  # tables, written below
        lines.append(f"# {key} = (not set)" if value is None else f"{key} = {_toml_value(value)}")
    if settings.languagetool:
        lines.append(f"# --languagetool {settings.languagetool} overrides grammar.server for this run")
    if settings.lm is not None:
        lines.append(f"# --{'lm' if settings.lm else 'no-lm'} overrides translation.lm for this run")
    if settings.encoder is not None:
        lines.append(f"# --{'encoder' if settings.encoder else 'no-encoder'} overrides translation.encoder for this run")
    tables = {
        "source-map": dict(settings.source_map),
        "per-file-ignores": {k: list(v) for k, v in settings.per_file_ignores.items()},
        "scoring": {
            "severity-weights": dict(settings.scoring.severity_weights),
            "category-weights": dict(settings.scoring.category_weights),
            "rule-weights": dict(settings.scoring.rule_weights),
            "half-density": settings.scoring.half_density,
            "min-words": settings.scoring.min_words,
            "cap": settings.scoring.cap,
            "several": dict(settings.scoring.several),
            "margin": settings.scoring.margin,
        },
        "grammar": {key: getattr(settings.grammar, attr) for key, (attr, _) in GRAMMAR_KEYS.items()},
        "translation": {key: getattr(settings.translation, attr) for key, (attr, _) in TRANSLATION_KEYS.items()},
    }
    for name, table in tables.items():
        lines += ["", f"[{name}]"]
        lines += [f"# {k} = (not set)" if v is None else f"{_toml_value(k) if not k.replace('-', '').isalnum() else k} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"
