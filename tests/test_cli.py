"""The qualcheck command: exit codes, stdout/stderr separation, report formats, eager options."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qualcheck import cli, engine
from qualcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

CLEAN = (
    "Russian President Vladimir Putin said on Tuesday that the United States and NATO had ignored Moscow's "
    "main security demands. He said Russia would keep talking to the West.\n\n"
    "Hungarian Prime Minister Viktor Orban, who met Putin in Moscow, said a deal was still possible. "
    "Diplomats from both sides are expected to meet again next week in Geneva.\n"
)
RESIDUE = "Putin spoke briefly on Tuesday.\n\nRead More About: World News\n\nMore From Category\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def articles(tmp_path, monkeypatch):
    """A folder with one clean and one residue-heavy article; cwd is tmp_path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "in" / "residue.txt").write_text(RESIDUE, encoding="utf-8")
    return tmp_path


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("qualcheck: error: ")]


def test_default_text_report_on_seeds(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["seeds/"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for seed in sorted(SEEDS.glob("*.txt")):
        assert f"seeds/{seed.name}  score " in out
    assert "33:1  BP101 error   Comment-form text left in the article: 'Leave a Reply'." in out
    assert out.splitlines()[-1].startswith("5 document(s), ")
    assert _errors(result.stderr) == []  # only notices (engines used, categories not run) on stderr


def test_json_report_is_the_only_thing_on_stdout(runner, articles):
    result = runner.invoke(main, ["in", "--report", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert [d["path"] for d in data["documents"]] == ["in/clean.txt", "in/residue.txt"]
    assert result.stderr == "" or all(line.startswith("qualcheck: ") for line in result.stderr.splitlines())


def test_html_report_default_path_and_output_option(runner, articles):
    result = runner.invoke(main, ["in", "--report", "html"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "reports/qualcheck.html\n"
    html = (articles / "reports" / "qualcheck.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and "in/residue.txt" in html
    result = runner.invoke(main, ["in", "--report", "html", "-o", "out/review.html"])
    assert result.exit_code == 0 and result.stdout == "out/review.html\n"
    assert (articles / "out" / "review.html").is_file()
    result = runner.invoke(main, ["in", "--report", "html", "-o", "q.html", "--quiet"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_output_file_for_text_and_json(runner, articles):
    result = runner.invoke(main, ["in", "--report", "json", "-o", "r.json"])
    assert result.exit_code == 0 and result.stdout == "r.json\n"
    assert json.loads((articles / "r.json").read_text(encoding="utf-8"))["summary"]["documents"] == 2


@pytest.mark.parametrize(
    "args,code,gate_line",
    [
        (["in/clean.txt", "--fail-under", "70"], 0, None),
        (["in", "--fail-under", "70", "--select", "BP"], 1, "qualcheck: gate: in/residue.txt: score "),
        (["in", "--fail-under", "0"], 0, None),
        (["in", "--fail-on", "error"], 1, "qualcheck: gate: in/residue.txt: 2 finding(s) at error or above"),
        (["in/clean.txt", "--fail-on", "error"], 0, None),
        (["in", "--fail-on", "error", "--fail-under", "70", "--report", "json"], 1, "qualcheck: gate: in/residue.txt"),
    ],
)
def test_gate_exit_codes(runner, articles, args, code, gate_line):
    result = runner.invoke(main, args)
    assert result.exit_code == code, result.stderr
    gates = [line for line in result.stderr.splitlines() if line.startswith("qualcheck: gate: ")]
    if gate_line:
        assert any(line.startswith(gate_line) for line in gates), result.stderr
        assert "in/clean.txt" not in "".join(gates)
    else:
        assert gates == []
    assert result.stdout  # the report is written whatever the gate says


@pytest.mark.parametrize(
    "name,content,notice",
    [
        ("empty.txt", "", "empty document: nothing to check"),
        ("blank.txt", "  \n\n \n", "empty document: nothing to check"),
        ("front-matter-only.md", "---\ntitle: Talks offered\ndate: 2022-02-24\n---\n<!-- body to come -->\n", "no article text: only front matter or markup"),
    ],
)
def test_an_article_without_text_never_passes_the_gate(runner, articles, name, content, notice):
    """No text scores 100 by every check: the gate must not read that as a clean article."""
    (articles / "in" / name).write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["in/clean.txt", f"in/{name}", "--fail-under", "70", "--report", "json"])
    assert result.exit_code == 1, result.stderr
    assert f"qualcheck: gate: in/{name}: no article text to score" in result.stderr
    assert f"in/{name}: {notice}" in result.stderr
    assert "qualcheck: gate: in/clean.txt" not in result.stderr
    assert runner.invoke(main, [f"in/{name}"]).exit_code == 0  # no gate asked for: a warning, not a failure


def test_exit_zero_reports_the_failed_gate_but_exits_0(runner, articles):
    result = runner.invoke(main, ["in", "--fail-on", "error", "--exit-zero"])
    assert result.exit_code == 0, result.stderr
    assert "qualcheck: gate: in/residue.txt: 2 finding(s) at error or above" in result.stderr
    assert "--exit-zero makes the exit code 0" in result.stderr
    (articles / "in" / "broken.txt").write_bytes(b"\x00binary")
    assert runner.invoke(main, ["in", "--exit-zero"]).exit_code == 2  # an incomplete run is an error, not a gate


def test_fail_on_never_overrides_the_config(runner, articles):
    (articles / "qualcheck.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    assert runner.invoke(main, ["in"]).exit_code == 1
    result = runner.invoke(main, ["in", "--fail-on", "never", "--report", "junit"])
    assert result.exit_code == 0, result.stderr
    assert "<failure" not in result.stdout  # the JUnit report applies the same gate


def test_isolated_ignores_the_config_file(runner, articles):
    (articles / "qualcheck.toml").write_text('fail-on = "error"\nselect = ["RD"]\n', encoding="utf-8")
    assert runner.invoke(main, ["in"]).exit_code == 0  # only RD selected: no error finding
    assert runner.invoke(main, ["in", "--isolated", "--fail-on", "error"]).exit_code == 1
    assert runner.invoke(main, ["in", "--isolated"]).exit_code == 0  # the file's fail-on is not read
    clash = runner.invoke(main, ["in", "--isolated", "--config", "qualcheck.toml"])
    assert clash.exit_code == 2 and "cannot be combined with --isolated" in clash.stderr


def test_show_config_prints_settings_that_read_back_the_same(runner, articles):
    import tomllib

    from qualcheck import config

    (articles / "qualcheck.toml").write_text(
        'fail-under = 70\nignore = ["RD102"]\n[per-file-ignores]\n"archive/**" = ["BP"]\n[grammar]\nworkers = 3\n', encoding="utf-8"
    )
    result = runner.invoke(main, ["--show-config", "--select", "BP,GR", "--fail-on", "warning"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "qualcheck.toml" in text.splitlines()[0]  # says where the settings came from
    shown = config.Settings(**config.from_table(tomllib.loads(text), "shown", articles))
    expected = config.build({"select": ("BP", "GR"), "fail_on": config.Severity.parse("warning")})
    for name in ("select", "ignore", "fail_under", "fail_on", "per_file_ignores", "grammar", "translation", "scoring", "report"):
        assert getattr(shown, name) == getattr(expected, name), name
    assert shown.grammar.workers == 3 and shown.fail_under == 70


def test_verbose_says_where_the_time_went_without_touching_the_report(runner, articles):
    quiet = runner.invoke(main, ["in", "--select", "BP,RD", "--report", "json"])
    loud = runner.invoke(main, ["in", "--select", "BP,RD", "--report", "json", "-v"])
    assert loud.stdout == quiet.stdout  # timings never enter a report: reports stay deterministic
    timing = [line for line in loud.stderr.splitlines() if line.startswith("qualcheck: timing: ")]
    assert timing[0].startswith("qualcheck: timing: read 2 document(s) in ")
    assert "rule(s) in" in timing[0] and not any("timing" in line for line in quiet.stderr.splitlines())
    slowest = timing[1].removeprefix("qualcheck: timing: slowest rules: ").split(", ")
    assert slowest and all(item.split()[0][:2] in ("BP", "RD") for item in slowest)


def test_unreadable_input_exits_2_unless_allowed(runner, articles):
    (articles / "in" / "broken.txt").write_bytes(b"\x00\x01binary")
    result = runner.invoke(main, ["in/clean.txt", "in/broken.txt", "missing.txt"])
    assert result.exit_code == 2
    assert "in/clean.txt  score" in result.stdout  # the readable document is still checked and reported
    errors = _errors(result.stderr)
    assert "qualcheck: error: in/broken.txt: cannot read: binary file (contains NUL bytes)" in errors
    assert "qualcheck: error: missing.txt: no such file or directory" in errors
    assert errors[-1] == "qualcheck: error: the run is incomplete: some inputs could not be read (see notices above)"
    allowed = runner.invoke(main, ["in/clean.txt", "in/broken.txt", "--allow-incomplete"])
    assert allowed.exit_code == 0, allowed.stderr


def test_incomplete_run_wins_over_a_failed_gate(runner, articles):
    (articles / "in" / "broken.txt").write_bytes(b"\x00binary")
    both = runner.invoke(main, ["in", "--fail-on", "error"])
    assert both.exit_code == 2
    assert any(line.startswith("qualcheck: gate: ") for line in both.stderr.splitlines())
    allowed = runner.invoke(main, ["in", "--fail-on", "error", "--allow-incomplete"])
    assert allowed.exit_code == 1


def test_stdin(runner):
    result = runner.invoke(main, ["-", "--report", "json"], input=RESIDUE)
    assert result.exit_code == 0, result.stderr
    [doc] = json.loads(result.stdout)["documents"]
    assert doc["path"] == "<stdin>"
    assert "BP101" in {f["code"] for f in doc["findings"]}


def test_list_rules(runner):
    result = runner.invoke(main, ["--list-rules"])
    assert result.exit_code == 0 and result.stderr == ""
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"BP101", "BP105", "BP201", "RD101", "RD103"} <= set(codes)
    assert codes == sorted(codes)


def test_explain(runner):
    result = runner.invoke(main, ["--explain", "bp105"])
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert out.startswith("BP105 photo-credit (boilerplate, warning, kind existence)\n")
    assert "Why: " in out and "Defined in: rules/boilerplate/BP105-photo-credit.yaml" in out
    assert "Flags: (credit: Mikhail Metzel/AFP)" in out


def test_explain_unknown_code(runner):
    result = runner.invoke(main, ["--explain", "ZZ999"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "qualcheck: error: --explain ZZ999: no rule has this code (see --list-rules)\n"


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "qualcheck: error: no PATHS given (try: qualcheck seeds/)"),
        (["in", "--select", "XX"], "qualcheck: error: --select XX: no rule code starts with 'XX'"),
        (["in", "--rules", "no-such-dir"], "no-such-dir: rules folder does not exist"),
        (["in", "--config", "nope.toml"], "qualcheck: error: nope.toml: config file does not exist"),
    ],
)
def test_usage_errors_exit_2(runner, articles, args, message):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


def test_click_usage_error_exits_2(runner):
    result = runner.invoke(main, ["--report", "pdf", "x"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "Invalid value for '--report'" in result.stderr


def test_internal_error_exits_2_not_1(runner, articles, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "check", boom)
    result = runner.invoke(main, ["in"])
    assert result.exit_code == 2
    assert result.stderr == "qualcheck: error: internal error: RuntimeError: disk on fire (please report this)\n"


def test_a_failing_check_is_a_notice_and_the_run_goes_on(runner, articles, monkeypatch):
    from qualcheck.kinds import KINDS

    spec = KINDS["existence"]

    def flaky(doc, rule, ctx):
        if rule.code == "BP101":
            raise ValueError("bad day")
        return spec.func(doc, rule, ctx)

    monkeypatch.setitem(KINDS, "existence", spec.__class__(spec.name, spec.params, flaky, spec.scope, spec.prepare))
    result = runner.invoke(main, ["in", "--report", "json"])
    assert result.exit_code == 0, result.stderr
    assert "qualcheck: error: in/residue.txt: BP101 (comment-form) failed: ValueError: bad day" in result.stderr
    codes = {f["code"] for d in json.loads(result.stdout)["documents"] for f in d["findings"]}
    assert "BP101" not in codes and "BP102" in codes


def test_version_and_help(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("qualcheck, version ")
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Exit codes:" in result.stdout and "2  usage, configuration" in result.stdout


def test_every_option_has_help():
    for param in main.params:
        if isinstance(param, click.Option):
            assert param.help, f"{param.opts} has no help text"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_for_long_runs(monkeypatch):
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    progress = cli._Progress()
    for i in range(1, 26):
        progress(i, 25)
    assert "checking" in tty.getvalue() and "25/25" in tty.getvalue() or "100%" in tty.getvalue()
    short = _Tty()
    monkeypatch.setattr(sys, "stderr", short)
    small = cli._Progress()
    for i in range(1, 6):
        small(i, 5)
    assert short.getvalue() == ""
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    piped = cli._Progress()
    for i in range(1, 26):
        piped(i, 25)
    assert pipe.getvalue() == ""


def test_engine_reports_progress_per_document(articles):
    from qualcheck import config

    calls = []
    engine.run(config.build({"paths": ("in",)}), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
