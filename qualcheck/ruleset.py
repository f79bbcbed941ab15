"""Load and validate rule YAML files into Rule objects; select and ignore them by code prefix."""

from __future__ import annotations

import dataclasses
import difflib
import re
import string
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from qualcheck import filekind
from qualcheck import kinds as _kinds
from qualcheck.bundled import bundled_rules_dir  # noqa: F401 - also this module's API
from qualcheck.document import Document
from qualcheck.errors import ConfigError, RuleFileError
from qualcheck.model import CATEGORIES, FAMILY_CATEGORY, Finding, Location, Severity, Span

# libyaml's parser when PyYAML was built with it: the same safe loader, about ten times faster on the rule pack
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CODE_RE = re.compile(r"^[A-Z]{2,3}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
FOLDER_PREFIX = {"boilerplate": "BP", "readability": "RD", "grammar": "GR", "translation": "MT", "agreement": "FA"}
FOLDER_PREFIX["garble"] = "MT"  # the translation folder's older name, still read
HEADER_KEYS = {
    "code": True,
    "name": True,
    "kind": True,
    "severity": True,
    "message": True,
    "summary": True,
    "why": True,
    "params": False,
    "examples": False,
    "category": False,
    "link": False,
    "enabled": False,
}
# Codes that were renamed keep working in --select/--ignore and suppressions (ruff's redirects).
REDIRECTS: dict[str, str] = {}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def check_template(message: str) -> str | None:
    """Why a message template cannot be formatted for every finding (None when it can).

    Kinds fill named placeholders (``{match}``, ``{value}``); a positional ``{3}``, an attribute or
    index lookup or a bad conversion would fail on every document, so it is rejected at load.
    """
    try:
        fields = list(string.Formatter().parse(message))
    except ValueError as exc:
        return f"invalid template: {exc}"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name == "" or name.isdigit():
            return f"placeholder {{{name}}} is positional: use a name such as {{match}}"
        if not name.isidentifier():
            return f"placeholder {{{name}}}: only plain names such as {{match}} are filled in"
        if conversion not in (None, "r", "s", "a"):
            return f"placeholder {{{name}!{conversion}}}: unknown conversion"
        if spec and ("{" in spec):
            return f"placeholder {{{name}:{spec}}}: nested placeholders are not filled in"
    return None


def _format(message: str, values: Mapping[str, Any]) -> str:
    """Fill a checked template; a format spec that does not suit the value falls back to plain str()."""
    try:
        return string.Formatter().vformat(message, (), values)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        plain = "".join(lit + ("" if name is None else str(values[name])) for lit, name, _, _ in string.Formatter().parse(message))
        return plain


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Rule:
    """One rule: a kind instantiated with a code, severity, message, params, docs and examples."""

    code: str
    name: str
    kind: str
    category: str
    severity: Severity
    message: str
    summary: str
    why: str
    params: Any
    path: str
    examples: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    link: str | None = None
    enabled: bool = True
    prepared: Any = None

    @property
    def spec(self) -> _kinds.KindSpec:
        return _kinds.KINDS[self.kind]

    @property
    def scope(self) -> str:
        return self.spec.scope

    @property
    def phase(self) -> str:
        """When the engine runs this rule (kinds.PHASES): gate, document, score or corpus."""
        return self.spec.phase

    @property
    def yields_to(self) -> str | tuple[str, ...] | None:
        """What this rule's findings give way to on the same passage: ``"category"`` (any other finding of its
        category: a structural rule to a specific one, declared by the kind), codes (``yield-to`` in its params)
        or None."""
        if self.spec.yields:
            return "category"
        return tuple(getattr(self.params, "yield_to", ()) or ()) or None

    def run(self, target: Any, ctx: Any) -> list[Finding]:
        """The rule's findings on a document (or a corpus); a score rule is scored without other rules' evidence."""
        if self.phase == "score":
            return self.score(target, _kinds.Evidence((), {}), ctx).findings
        if self.phase == "corpus":
            return self.compare(target, ctx).findings
        return list(self.spec.func(target, self, ctx))

    def score(self, doc: Document, evidence: "_kinds.Evidence", ctx: Any) -> "_kinds.Scored":
        """Run a score rule on a document with what the document's other rules found."""
        return self.spec.func(doc, evidence, self, ctx)

    def compare(self, corpus: Any, ctx: Any) -> "_kinds.Compared":
        """Run a corpus rule: its findings and the report parts it gives (claims, sources, per-document counts)."""
        out = self.spec.func(corpus, self, ctx)
        return out if isinstance(out, _kinds.Compared) else _kinds.Compared(findings=list(out))

    @property
    def uses_names(self) -> bool:
        """Whether the rule reads the corpus's name counts (the engine then counts them first)."""
        return bool(self.spec.names and self.spec.names(self.params))

    def inputs(self) -> list[str]:
        """Codes of the rules whose findings a score rule weighs (the engine runs the unselected ones unreported)."""
        return list(self.spec.inputs(self.params)) if self.spec.inputs else []

    def finding(
        self,
        doc: Document,
        span: Span,
        *,
        severity: Severity | None = None,
        suggestions: Iterable[str] = (),
        related: Iterable[Location] = (),
        origin: str | None = None,
        engine: str | None = None,
        data: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> Finding:
        """Build a finding of this rule, formatting the message with ``{match}`` and ``values``."""
        excerpt = doc.raw[span.start : span.end]
        fmt = _Blank(match=_short(excerpt), **{k: v for k, v in values.items()})
        message = _format(self.message, fmt)
        return Finding(
            code=self.code,
            rule=self.name,
            category=self.category,
            severity=severity or self.severity,
            document=doc.id,
            span=span,
            message=message,
            excerpt=excerpt,
            suggestions=tuple(suggestions),
            related=tuple(related),
            origin=origin,
            engine=engine,
            data=dict(data or {}),
        )

    def info(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "category": self.category,
            "severity": str(self.severity),
            "summary": self.summary,
            "why": self.why,
            "link": self.link,
        }


def _type_ok(value: Any, hint: Any) -> tuple[bool, Any]:
    """Check and convert a YAML value against a params field's type hint."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return True, value
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in args:
            ok, conv = _type_ok(value, arg)
            if ok:
                return True, conv
        return False, value
    if hint is type(None):
        return value is None, value
    if hint is bool:
        return isinstance(value, bool), value
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool), float(value) if isinstance(value, (int, float)) else value
    if hint is str:
        return isinstance(value, str), value
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            return False, value
        item_hint = args[0] if args else Any
        out = []
        for item in value:
            ok, conv = _type_ok(item, item_hint)
            if not ok:
                return False, value
            out.append(conv)
        return True, tuple(out)
    if origin in (dict, Mapping, typing.Mapping) or hint in (dict, Mapping):
        if not isinstance(value, dict):
            return False, value
        key_hint, value_hint = args if len(args) == 2 else (Any, Any)
        out_map = {}
        for key, item in value.items():  # every key and value: a number where a pattern goes is an error here, not later
            ok_key, key = _type_ok(key, key_hint)
            ok_item, item = _type_ok(item, value_hint)
            if not (ok_key and ok_item):
                return False, value
            out_map[key] = item
        return True, out_map
    return True, value


def build_params(cls: type, raw: Any, path: str) -> Any:
    """Validate a rule's ``params:`` mapping against the kind's frozen dataclass."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RuleFileError(path, "params", "must be a mapping")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        attr = str(key).replace("-", "_")
        if attr not in fields:
            names = [n.replace("_", "-") for n in fields]
            close = difflib.get_close_matches(str(key), names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(sorted(names)) or 'none'})"
            raise RuleFileError(path, f"params.{key}", f"unknown key{hint}")
        ok, conv = _type_ok(value, hints.get(attr, Any))
        if not ok:
            hint = hints.get(attr)
            if typing.get_origin(hint) is tuple and isinstance(value, list) and typing.get_args(hint):
                item_hint = typing.get_args(hint)[0]
                for i, item in enumerate(value):
                    if not _type_ok(item, item_hint)[0]:
                        yaml_word = " (YAML reads a bare yes, no, on or off as true or false: quote it)" if isinstance(item, bool) else ""
                        raise RuleFileError(path, f"params.{key}[{i}]", f"expected {_hint_name(item_hint)}, got {type(item).__name__} {item!r}{yaml_word}")
            raise RuleFileError(path, f"params.{key}", f"expected {_hint_name(hint)}, got {type(value).__name__}")
        kwargs[attr] = conv
    missing = [
        n.replace("_", "-")
        for n, f in fields.items()
        if n not in kwargs and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise RuleFileError(path, f"params.{missing[0]}", "required key is missing")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError, re.error) as exc:
        raise RuleFileError(path, "params", str(exc)) from None


def _type_name(value: Any) -> str:
    return {list: "a list that holds more than texts", dict: "a mapping", bool: "true or false", type(None): "nothing"}.get(type(value), f"a {type(value).__name__}")


def _hint_name(hint: Any) -> str:
    if typing.get_origin(hint) is tuple:
        return "a list"
    if typing.get_origin(hint) in (dict, Mapping, typing.Mapping) and len(typing.get_args(hint)) == 2:
        key, value = typing.get_args(hint)
        return f"a mapping of {_hint_name(key)} to {_hint_name(value)}"
    return getattr(hint, "__name__", str(hint))


def load_rule(path: Path, display: str) -> Rule:
    """Read and validate one rule file."""
    kind = filekind.not_regular(path)
    if kind:  # reading a named pipe would wait for ever
        raise RuleFileError(display, None, f"cannot read: it is {kind}, not a file")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise RuleFileError(display, where, f"invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(display, None, f"cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise RuleFileError(display, None, "a rule file must be a YAML mapping")
    for key in data:
        if key not in HEADER_KEYS:
            close = difflib.get_close_matches(str(key), list(HEADER_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise RuleFileError(display, str(key), f"unknown key{hint}")
    for key, required in HEADER_KEYS.items():
        if required and key not in data:
            raise RuleFileError(display, key, "required key is missing")
    for key in ("code", "name", "kind", "severity", "message", "summary", "why"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise RuleFileError(display, key, "must be a non-empty string")
    code, name = data["code"], data["name"]
    problem = check_template(data["message"])
    if problem:
        raise RuleFileError(display, "message", problem)
    if not CODE_RE.match(code):
        raise RuleFileError(display, "code", f"{code!r} is not two or three capitals and three digits (e.g. BP101)")
    if not NAME_RE.match(name):
        raise RuleFileError(display, "name", f"{name!r} is not kebab-case")
    expected = f"{code}-{name}.yaml"
    if path.name != expected:
        raise RuleFileError(display, "code", f"file name must be {expected!r}")
    prefix = code[:-3]
    folder = path.parent.name
    if folder in FOLDER_PREFIX and FOLDER_PREFIX[folder] != prefix:
        raise RuleFileError(display, "code", f"rules in {folder}/ use the prefix {FOLDER_PREFIX[folder]}, not {prefix}")
    category = data.get("category") or FAMILY_CATEGORY.get(prefix)
    if category not in CATEGORIES:
        raise RuleFileError(display, "category", f"must be one of {', '.join(CATEGORIES)}")
    try:
        severity = Severity.parse(data["severity"])
    except ValueError as exc:
        raise RuleFileError(display, "severity", str(exc)) from None
    kinds = _kinds.load()
    if isinstance(data["kind"], str):
        data["kind"] = _kinds.RENAMED.get(data["kind"], data["kind"])
    if data["kind"] not in kinds:
        close = difflib.get_close_matches(data["kind"], list(kinds), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(sorted(kinds))})"
        raise RuleFileError(display, "kind", f"unknown kind {data['kind']!r}{hint}")
    spec = kinds[data["kind"]]
    params = build_params(spec.params, data.get("params"), display)
    examples = data.get("examples") or {}
    if not isinstance(examples, dict) or set(examples) - {"fail", "pass"}:
        raise RuleFileError(display, "examples", "must be a mapping with 'fail' and/or 'pass' lists")
    for key, value in examples.items():
        if not isinstance(value, list):
            raise RuleFileError(display, f"examples.{key}", "must be a list")
        for n, example in enumerate(value):  # texts, or lists of texts (one per source); nothing nested deeper,
            # so YAML aliases cannot make an example that takes for ever to print (--explain) or test
            if not isinstance(example, str) and not (isinstance(example, list) and all(isinstance(t, str) for t in example)):
                raise RuleFileError(display, f"examples.{key}[{n}]", f"must be a text or a list of texts, got {_type_name(example)}")
    link = data.get("link")
    if link is not None and not (isinstance(link, str) and re.match(r"https?://[^\s]+$", link)):
        # shown as the HTML report's "More about" link and SARIF's helpUri: a web address, never javascript:
        raise RuleFileError(display, "link", "must be a web address (http:// or https://)")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleFileError(display, "enabled", "must be true or false")
    prepared = None
    if spec.prepare:
        try:
            prepared = spec.prepare(params)
        except (ValueError, re.error) as exc:
            raise RuleFileError(display, "params", str(exc)) from None
    return Rule(
        code=code,
        name=name,
        kind=data["kind"],
        category=category,
        severity=severity,
        message=data["message"].strip(),
        summary=" ".join(data["summary"].split()),
        why=" ".join(data["why"].split()),
        params=params,
        path=display,
        examples=examples,
        link=data.get("link"),
        enabled=enabled,
        prepared=prepared,
    )


@dataclass(frozen=True)
class RuleSet:
    """All rules loaded from the configured folders, in code order."""

    rules: tuple[Rule, ...]
    folders: tuple[str, ...] = ()  # where they were read from (user folders, then the bundled pack)

    def by_code(self, code: str) -> Rule | None:
        code = REDIRECTS.get(code.upper(), code.upper())
        return next((r for r in self.rules if r.code == code), None)

    def inputs_of(self, rules: Sequence[Rule]) -> list[Rule]:
        """The rules that the selected score rules weigh or read but ``rules`` leaves out, in code order.

        The engine runs them without reporting their findings, so that a score means the same
        whatever is selected (GR900 with only ``--select GR900``).
        """
        chosen = {r.code for r in rules}
        wanted = {c for r in rules if r.phase == "score" for c in r.inputs()} - chosen
        # a score rule that is an input (MT900 for MT901) brings the rules it weighs in turn
        for c in sorted(wanted):
            rule = self.by_code(c)
            if rule is not None and rule.phase == "score":
                wanted |= set(rule.inputs()) - chosen
        found = [self.by_code(c) for c in sorted(wanted)]
        return [r for r in found if r is not None and r.phase in ("document", "score")]

    def select(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
        """Enabled rules after --select/--ignore; the longer matching prefix wins (ruff's semantics).

        An opt-in rule (``enabled: false``) runs only when selected by its full code, so a config
        that selects whole families (``select = ["GR", "MT"]``) does not switch on slow or noisy rules.
        """
        codes = [r.code for r in self.rules]
        for option, prefixes in (("select", select), ("ignore", ignore)):
            for prefix in prefixes:
                p = REDIRECTS.get(prefix.upper(), prefix.upper())
                if p != "ALL" and not any(c.startswith(p) for c in codes):
                    raise ConfigError(f"--{option} {prefix}: no rule code starts with {prefix!r}")
        norm = lambda ps: [REDIRECTS.get(p.upper(), p.upper()) for p in ps]  # noqa: E731
        select, ignore = norm(select), norm(ignore)
        chosen = []
        for rule in self.rules:
            if select:
                sel = max((0 if p == "ALL" else len(p) for p in select if p == "ALL" or rule.code.startswith(p)), default=-1)
                if not rule.enabled and sel != len(rule.code):
                    sel = -1  # neither "ALL" nor a prefix ("GR") switches on an opt-in rule: name it ("GR900")
            else:
                sel = 0 if rule.enabled else -1
            ign = max((0 if p == "ALL" else len(p) for p in ignore if p == "ALL" or rule.code.startswith(p)), default=-1)
            if sel > ign:  # at equal specificity, ignore wins
                chosen.append(rule)
        return chosen


def load(dirs: Iterable[Path | str] = (), include_bundled: bool = True) -> RuleSet:
    """Load rules from user folders and the bundled pack; duplicate codes are an error."""
    folders = [Path(d) for d in dirs]
    if include_bundled:
        folders.append(bundled_rules_dir())
    seen: dict[str, str] = {}
    rules: list[Rule] = []
    bundled = bundled_rules_dir() if include_bundled else None
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{folder}: rules folder does not exist")
        for path in sorted(folder.rglob("*.y*ml")):
            if path.suffix not in (".yaml", ".yml"):
                continue
            if "data" in path.relative_to(folder).parts[:-1]:
                continue  # rules/<family>/data/*.yaml: vocabularies that kinds read, not rules
            display = (
                f"rules/{path.relative_to(bundled).as_posix()}" if bundled and folder == bundled else path.as_posix()
            )
            rule = load_rule(path, display)
            if rule.code in seen:
                raise RuleFileError(display, "code", f"{rule.code} is already defined in {seen[rule.code]}")
            seen[rule.code] = display
            rules.append(rule)
    rules.sort(key=lambda r: r.code)
    return RuleSet(tuple(rules), tuple(str(f) for f in folders))
