"""ruleset: rule files are validated with one-line errors; select/ignore by code and prefix; user rule folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcheck import engine, ruleset
from qualcheck.cli import main
from qualcheck.document import Document
from qualcheck.errors import ConfigError, RuleFileError

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
code: BP901
name: zebra-phrase
kind: existence
severity: warning
message: "Zebra phrase left in the article: '{match}'."
summary: A phrase only our test site adds.
why: Because the test needs a rule of its own.
params:
  patterns: ['^Zebra crossing ahead$']
examples:
  fail: ["Zebra crossing ahead"]
  pass: ["The zebra crossed the road."]
"""


def _rule_file(root: Path, text: str = GOOD, folder: str = "boilerplate", name: str = "BP901-zebra-phrase.yaml") -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


BROKEN = [
    # (id, file text, folder, file name, expected one-line message after "<file>: ")
    ("bad-yaml", GOOD + "params: [unclosed\n", "boilerplate", None, "line 14: invalid YAML"),
    ("not-mapping", "- just\n- a list\n", "boilerplate", None, "a rule file must be a YAML mapping"),
    ("unknown-key", _edit("summary:", "sumary:"), "boilerplate", None, "sumary: unknown key (did you mean 'summary'?)"),
    ("missing-key", _edit("why: Because the test needs a rule of its own.\n", ""), "boilerplate", None, "why: required key is missing"),
    ("bad-code", _edit("code: BP901", "code: BP91"), "boilerplate", "BP91-zebra-phrase.yaml", "code: 'BP91' is not two or three capitals and three digits (e.g. BP101)"),
    ("bad-name", _edit("name: zebra-phrase", "name: Zebra_Phrase"), "boilerplate", "BP901-Zebra_Phrase.yaml", "name: 'Zebra_Phrase' is not kebab-case"),
    ("file-name", GOOD, "boilerplate", "BP901-zebra.yaml", "code: file name must be 'BP901-zebra-phrase.yaml'"),
    ("folder-prefix", GOOD, "readability", None, "code: rules in readability/ use the prefix RD, not BP"),
    ("unknown-kind", _edit("kind: existence", "kind: existance"), "boilerplate", None, "kind: unknown kind 'existance' (did you mean 'existence'?)"),
    ("bad-severity", _edit("severity: warning", "severity: fatal"), "boilerplate", None, "severity: unknown severity 'fatal' (expected info, warning or error)"),
    ("unknown-param", _edit("params:\n  patterns:", "params:\n  patern:"), "boilerplate", None, "params.patern: unknown key (did you mean 'patterns'?)"),
    ("param-type", _edit("  patterns: ['^Zebra crossing ahead$']", "  patterns: ['^Zebra$']\n  ignorecase: 'yes'"), "boilerplate", None, "params.ignorecase: expected bool, got str"),
    ("param-list-type", _edit("  patterns: ['^Zebra crossing ahead$']", "  patterns: 'Zebra'"), "boilerplate", None, "params.patterns: expected a list, got str"),
    ("param-list-item", _edit("  patterns: ['^Zebra crossing ahead$']", "  patterns: ['^Zebra$', no]"), "boilerplate", None,
     "params.patterns[1]: expected str, got bool False (YAML reads a bare yes, no, on or off as true or false: quote it)"),
    ("bad-regex", _edit("'^Zebra crossing ahead$'", "'(Zebra'"), "boilerplate", None, "params: patterns: invalid regular expression: missing ), unterminated subpattern at position 0"),
    ("missing-param", _edit("params:\n  patterns: ['^Zebra crossing ahead$']\n", ""), "boilerplate", None, "params.patterns: required key is missing"),
    ("empty-message", _edit('message: "Zebra phrase left in the article: \'{match}\'."', 'message: ""'), "boilerplate", None, "message: must be a non-empty string"),
    ("bad-examples", _edit('  fail: ["Zebra crossing ahead"]', '  flag: ["Zebra crossing ahead"]'), "boilerplate", None, "examples: must be a mapping with 'fail' and/or 'pass' lists"),
]


@pytest.mark.parametrize("text,folder,name,message", [pytest.param(*row[1:], id=row[0]) for row in BROKEN])
def test_broken_rule_file_is_one_line_naming_file_key_problem(tmp_path, text, folder, name, message):
    path = _rule_file(tmp_path, text, folder, name or "BP901-zebra-phrase.yaml")
    with pytest.raises(RuleFileError) as err:
        ruleset.load([tmp_path])
    line = str(err.value.format_message())
    assert "\n" not in line
    assert line.startswith(f"{path.as_posix()}: ")
    assert line.startswith(f"{path.as_posix()}: {message}"), line  # YAML errors add the parser's detail


@pytest.mark.parametrize("row", [pytest.param(BROKEN[i], id=BROKEN[i][0]) for i in (0, 2, 9, 13)])
def test_broken_rule_file_exits_2_with_the_line_on_stderr(tmp_path, row):
    _, text, folder, name, message = row
    path = _rule_file(tmp_path, text, folder, name or "BP901-zebra-phrase.yaml")
    article = tmp_path / "a.txt"
    article.write_text("Putin spoke on Tuesday.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--rules", str(tmp_path), str(article)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"qualcheck: error: {path.as_posix()}: {message}")


def test_duplicate_code_across_folders(tmp_path):
    _rule_file(tmp_path / "one", GOOD)
    second = _rule_file(tmp_path / "two", GOOD)
    with pytest.raises(RuleFileError) as err:
        ruleset.load([tmp_path / "one", tmp_path / "two"])
    assert err.value.format_message() == (
        f"{second.as_posix()}: code: BP901 is already defined in {(tmp_path / 'one' / 'boilerplate' / 'BP901-zebra-phrase.yaml').as_posix()}"
    )


def test_user_rule_cannot_reuse_a_bundled_code(tmp_path):
    _rule_file(tmp_path, _edit("code: BP901", "code: BP101").replace("zebra-phrase", "comment-form"), name="BP101-comment-form.yaml")
    with pytest.raises(RuleFileError, match="BP101 is already defined in"):
        ruleset.load([tmp_path])


def test_missing_rules_folder(tmp_path):
    with pytest.raises(ConfigError, match="rules folder does not exist"):
        ruleset.load([tmp_path / "nope"])


def test_user_rule_folder_adds_a_rule_that_fires(tmp_path):
    _rule_file(tmp_path / "house")
    rules = ruleset.load([tmp_path / "house"])
    assert rules.by_code("BP901").path.endswith("BP901-zebra-phrase.yaml")
    assert rules.by_code("BP101") is not None  # bundled pack still loaded
    doc = Document(id="a.txt", raw="Putin spoke on Tuesday.\n\nZebra crossing ahead\n")
    report = engine.check([doc], rules.select(["BP901"]))
    [finding] = report.findings
    assert (finding.code, finding.excerpt, finding.line, finding.column) == ("BP901", "Zebra crossing ahead", 3, 1)
    assert finding.message == "Zebra phrase left in the article: 'Zebra crossing ahead'."


def test_user_rule_via_cli(tmp_path):
    _rule_file(tmp_path / "house")
    article = tmp_path / "a.txt"
    article.write_text("Putin spoke on Tuesday.\n\nZebra crossing ahead\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--rules", str(tmp_path / "house"), "--select", "BP9", "--report", "json", str(article)])
    assert result.exit_code == 0, result.stderr
    assert '"code": "BP901"' in result.stdout


@pytest.fixture(scope="module")
def bundled():
    return ruleset.load()


def _codes(rules) -> list[str]:
    return [r.code for r in rules]


@pytest.mark.parametrize(
    "select,ignore,expect_in,expect_out",
    [
        ((), (), ["BP101", "BP201", "RD101"], []),
        (("BP",), (), ["BP101", "BP302"], ["RD101"]),
        (("BP1",), (), ["BP101", "BP106"], ["BP201", "RD101"]),
        (("BP101", "RD"), (), ["BP101", "RD103"], ["BP102"]),
        ((), ("BP",), ["RD101"], ["BP101"]),
        (("BP",), ("BP2",), ["BP101", "BP301"], ["BP201", "BP204"]),
        (("BP201",), ("BP2",), ["BP201"], ["BP202"]),  # the longer prefix wins
        (("BP2",), ("BP201",), ["BP202"], ["BP201"]),
        (("BP2",), ("BP2",), [], ["BP201"]),  # at equal length, ignore wins
        (("ALL",), ("RD",), ["BP101"], ["RD101"]),
        (("bp101",), (), ["BP101"], ["BP102"]),  # case-insensitive
        (("GR", "MT"), (), ["GR101", "MT101", "MT900"], ["GR103", "GR900", "MT109"]),  # a family prefix leaves opt-in rules off
        (("GR9",), (), [], ["GR900"]),
        (("ALL",), (), ["GR101"], ["GR103", "GR900", "MT109"]),
        (("GR", "GR900", "MT109"), (), ["GR101", "GR900", "MT109"], ["GR103"]),  # ...their full code turns them on
        (("GR900",), ("GR",), ["GR900"], ["GR101"]),
    ],
)
def test_select_ignore(bundled, select, ignore, expect_in, expect_out):
    chosen = _codes(bundled.select(select, ignore))
    assert set(expect_in) <= set(chosen)
    assert not set(expect_out) & set(chosen)


@pytest.mark.parametrize("option,value", [("select", "XX"), ("ignore", "BP9")])
def test_unknown_prefix_is_an_error(bundled, option, value):
    with pytest.raises(ConfigError, match=f"--{option} {value}: no rule code starts with '{value}'"):
        bundled.select(**{option: [value]})


def test_every_bundled_rule_is_documented(bundled):
    for rule in bundled.rules:
        assert rule.summary and rule.why and rule.message
        assert rule.path == f"rules/{Path(rule.path).parent.name}/{rule.code}-{rule.name}.yaml"


def test_rule_files_written_before_the_translation_rename_still_load(tmp_path):
    """A house pack keeps working after the family got one name: folder garble/ and kind: garble are read as translation."""
    old = (ROOT / "rules" / "translation" / "MT102-stray-full-stop.yaml").read_text(encoding="utf-8")
    old = old.replace("code: MT102", "code: MT902").replace("name: stray-full-stop", "name: old-stray-stop").replace("kind: translation-signal", "kind: garble")
    _rule_file(tmp_path / "house", old, folder="garble", name="MT902-old-stray-stop.yaml")
    rule = ruleset.load([tmp_path / "house"]).by_code("MT902")
    assert (rule.kind, rule.category) == ("translation-signal", "translation")
    doc = Document(id="a.txt", raw="Title\n\nThe deployment of weapons. offensive close to the border worried them.\n")
    assert [f.code for f in engine.check([doc], [rule]).findings] == ["MT902"]
