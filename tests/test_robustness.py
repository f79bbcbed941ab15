"""Issue 16's cases as regression tests: each hostile input ends in a notice and a finished report.

Every row of the issue's table, run through the real command line: no "internal error", the
report is written (and parses), and the notice names the document or the file and key.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcheck import review
from qualcheck.cli import main
from qualcheck.model import Finding, Severity, Span
from qualcheck.scoring import ScoringSettings, category_score, score_document

ROOT = Path(__file__).resolve().parent.parent
FAST = ["--isolated", "--select", "BP,MT101,MT103,RD,FA"]
ARTICLE = "Putin spoke on Tuesday about the talks.\n\nLeave a Reply\n"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str):
    result = CliRunner().invoke(main, [*args])
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit), result.stderr
    return result


def _parses(fmt: str, text: str) -> None:
    if fmt in ("json", "sarif"):
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text)
    text.encode("utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "html", "sarif", "github", "junit"])
@pytest.mark.parametrize("surrogate", ["\\udfff", "\\ud800", "\\udc80x\\udbff"])
def test_lone_surrogates_in_jsonl_reach_every_format(here, fmt, surrogate):
    (here / "c.jsonl").write_text('{"id": "s", "text": "Leave a Reply ' + surrogate + ' said Putin."}\n', encoding="utf-8")
    result = _run("c.jsonl", *FAST, "--report", fmt, "-o", f"out.{fmt}")
    assert result.exit_code in (0, 1), result.stderr
    _parses(fmt, (here / f"out.{fmt}").read_text(encoding="utf-8"))
    assert "c.jsonl#s: " in result.stderr and "lone surrogate(s) (invalid Unicode) replaced by U+FFFD" in result.stderr


def test_a_path_with_bytes_that_are_not_utf8(here):
    name = os.fsdecode(b"caf\xe9-\xff.txt")
    (here / name).write_text(ARTICLE, encoding="utf-8")
    for fmt in ("json", "html", "junit"):
        result = _run(".", *FAST, "--report", fmt, "-o", os.fsdecode(b"out-\xff." + fmt.encode()))
        assert result.exit_code in (0, 1), result.stderr
        text = (here / os.fsdecode(b"out-\xff." + fmt.encode())).read_text(encoding="utf-8")
        _parses(fmt, text)
    assert "caf\\xe9-\\xff.txt" in json.loads((here / os.fsdecode(b"out-\xff.json")).read_text())["documents"][0]["path"]


@pytest.mark.parametrize(
    "toml,key",
    [
        ("[scoring.severity-weights]\nerror = inf\n", "scoring.severity-weights.error"),
        ("[scoring.severity-weights]\nerror = nan\n", "scoring.severity-weights.error"),
        ("[scoring.severity-weights]\nerror = -1e300\n", "scoring.severity-weights.error"),
        ("[scoring.category-weights]\ngrammar = -1.0\n", "scoring.category-weights.grammar"),
        ("[scoring]\nmin-words = inf\n", "scoring.min-words"),
        ("[scoring]\nmin-words = nan\n", "scoring.min-words"),
        ("[scoring]\nmin-words = 0\n", "scoring.min-words"),
        ("fail-under = nan\n", "fail-under"),
        ("fail-under = 1e400\n", "fail-under"),
        ("[grammar]\ntimeout = inf\n", "grammar.timeout"),
        ("[grammar]\nworkers = 1e300\n", "grammar.workers"),
    ],
)
def test_numbers_that_overflow_or_are_nan_are_config_errors(here, toml, key):
    (here / "qualcheck.toml").write_text(toml, encoding="utf-8")
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", "--select", "BP")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("qualcheck: error: ") and "qualcheck.toml" in line and key in line


@pytest.mark.parametrize("penalty,words", [(1e308, 1), (float("inf"), 10), (float("nan"), 10), (-1e308, 1), (5.0, 10**18)])
def test_scoring_never_raises_on_extreme_numbers(penalty, words):
    value = category_score(penalty, words, ScoringSettings(half_density=1e-300))
    assert 0.0 <= value <= 100.0


def test_measured_scores_that_are_not_finite_are_not_used():
    f = Finding(code="BP101", rule="comment-form", category="boilerplate", severity=Severity.ERROR, document="d", span=Span(0, 1), message="m", excerpt="x")
    score = score_document([f], 100, ["boilerplate", "translation"], {"translation": float("nan"), "boilerplate": float("inf")})
    assert all(v is None or 0 <= v <= 100 for v in score.categories.values()) and 0 <= score.overall <= 100


def test_huge_numbers_in_text_are_not_claims_that_overflow(here):
    text = "Revenue rose " + "9" * 400 + " percent to $" + "1" * 330 + ".5 billion, officials said on Tuesday.\n"
    (here / "a.txt").write_text(text, encoding="utf-8")
    (here / "b.txt").write_text(text.replace("rose", "fell"), encoding="utf-8")
    result = _run("a.txt", "b.txt", "--isolated", "--select", "FA,RD", "--report", "json")
    assert result.exit_code in (0, 1)
    json.loads(result.stdout)


def test_a_folder_with_symlink_loops_is_checked_and_the_loops_named(here):
    folder = here / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "up").symlink_to("..")  # a folder loop
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")  # a file loop
    (folder / "self.md").symlink_to("self.md")
    result = _run("news", *FAST, "--report", "json", "-o", "r.json")
    assert result.exit_code == 2, "an unreadable input makes the run incomplete"
    report = json.loads((here / "r.json").read_text())
    assert [d["path"] for d in report["documents"]] == ["news/ok.txt"]
    for name in ("news/a.txt", "news/b.txt", "news/self.md"):
        assert f"{name}: cannot read: broken symlink or symlink loop" in result.stderr
    again = _run("news", *FAST, "--allow-incomplete")
    assert again.exit_code in (0, 1)
    direct = _run("news/a.txt", "news/ok.txt", *FAST, "--allow-incomplete")  # named on the command line
    assert direct.exit_code in (0, 1) and "news/a.txt: cannot read:" in direct.stderr


def _decisions_db(path: Path) -> None:
    with review.DecisionStore(path) as store:
        store.put(review.Decision(fingerprint="f" * 16, status="dismissed", note="kept"))


@pytest.mark.parametrize("damage", ["corrupt-pages", "garbage-after-header", "foreign-schema", "other-tables", "wrong-columns"])
def test_an_unusable_decisions_database_is_set_aside_and_the_run_finishes(here, damage):
    db = here / "decisions.sqlite"
    if damage == "corrupt-pages":
        _decisions_db(db)
        data = bytearray(db.read_bytes())
        data[100:4096] = b"\xff" * (4096 - 100)  # the schema page past the header
        db.write_bytes(bytes(data))
    elif damage == "garbage-after-header":
        db.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    elif damage == "foreign-schema":
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE decisions (id INTEGER PRIMARY KEY, verdict TEXT)")
        con.commit()
        con.close()
    elif damage == "other-tables":
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, url TEXT)")
        con.commit()
        con.close()
    else:
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE decisions (fingerprint TEXT, status TEXT)")
        con.commit()
        con.close()
    before = db.read_bytes()
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", *FAST, "--decisions", "decisions.sqlite", "--report", "json", "-o", "r.json")
    assert result.exit_code == 2, "decisions could not be applied: the run is incomplete"
    json.loads((here / "r.json").read_text())  # ...but finished and wrote its report
    [line] = [ln for ln in result.stderr.splitlines() if "decisions.sqlite" in ln and "moved to" in ln]
    assert "no decisions were applied" in line
    [aside] = list(here.glob("decisions.sqlite.unusable-*"))
    assert aside.read_bytes() == before, "set aside, never deleted or changed"
    assert not db.exists()
    fresh = _run("a.txt", *FAST, "--decisions", "decisions.sqlite", "--allow-incomplete")
    assert "internal error" not in fresh.stderr


def test_a_decisions_database_locked_by_another_writer_is_not_set_aside(here):
    """A team's decisions database busy with a writer (the review page saving) cannot be read now:
    the run says so and is incomplete, and the file stays where it is, untouched (it is not damaged)."""
    db = here / "decisions.sqlite"
    with review.DecisionStore(db) as store:
        store.put(review.Decision("abc", "dismissed", "a false alarm"))
    before = db.read_bytes()
    writer = sqlite3.connect(db, timeout=0)
    writer.execute("BEGIN EXCLUSIVE")  # another writer holds the lock for the whole run (SQLite waits 5 s for it)
    try:
        (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
        result = _run("a.txt", *FAST, "--decisions", "decisions.sqlite", "--report", "json", "-o", "r.json")
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 2, "decisions could not be applied: the run is incomplete"
    json.loads((here / "r.json").read_text())
    [line] = [ln for ln in result.stderr.splitlines() if "decisions.sqlite" in ln]
    assert "cannot read the decisions database now: database is locked" in line and "no decisions were applied" in line
    assert not list(here.glob("decisions.sqlite.unusable-*")) and db.read_bytes() == before


def test_merging_into_an_unusable_database_is_a_one_line_error_and_changes_nothing(here):
    db = here / "team.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 90 + os.urandom(2000))
    before = db.read_bytes()
    (here / "new.jsonl").write_text('{"fingerprint": "abc", "status": "accepted"}\n', encoding="utf-8")
    result = _run("--decisions", "team.sqlite", "--merge-decisions", "new.jsonl")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("qualcheck: error: team.sqlite: ")
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "toml,key",
    [
        ("select = { a = 1 }\n", "select"),
        ("per-file-ignores = 3\n", "per-file-ignores"),
        ('per-file-ignores = { "a.txt" = 3 }\n', "per-file-ignores"),
        ("source-map = [1, 2]\n", "source-map"),
        ("scoring = [1]\n", "scoring"),
        ("[scoring]\nseverity-weights = 1\n", "scoring.severity-weights"),
        ("[scoring.severity-weights]\nerror = { x = 1 }\n", "scoring.severity-weights.error"),
        ("grammar = 1\n", "grammar"),
        ("[grammar]\ndisabled-rules = { a = 1 }\n", "grammar.disabled-rules"),
        ("translation = []\n", "translation"),
        ("[translation]\nlm = { a = 1 }\n", "translation.lm"),
        ("language = 7\n", "language"),
        ("rules = 7\n", "rules"),
        ("decisions = []\n", "decisions"),
    ],
)
def test_config_values_of_the_wrong_type_name_file_and_key(here, toml, key):
    (here / "qualcheck.toml").write_text(toml, encoding="utf-8")
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", "--select", "BP")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("qualcheck: error: ") and "qualcheck.toml" in line and f" {key}" in line, line


@pytest.mark.parametrize("pyproject", ["[tool]\nqualcheck = 1\n", "[tool]\nqualcheck = [1, 2]\n", "tool = 3\n"])
def test_a_tool_qualcheck_that_is_not_a_table(here, pyproject):
    (here / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", "--select", "BP")
    if pyproject.startswith("tool = 3"):
        assert result.exit_code in (0, 1)  # no [tool] table at all: this file has no qualcheck config
    else:
        assert result.exit_code == 2
        [line] = result.stderr.strip().splitlines()
        assert "pyproject.toml: tool.qualcheck: must be a table" in line


RULE = """code: BP901
name: bad-template
kind: existence
severity: warning
message: "{message}"
summary: A user rule.
why: To test message templates.
params:
  patterns: ['Leave a Reply']
"""


@pytest.mark.parametrize("message", ["Found {3}.", "Found {}.", "Found {0} and {match}.", "Found {match.upper}.", "Found {match[0]}.", "Found {match!z}.", "Found {match", "Found {match:{width}}."])
def test_a_message_template_with_a_missing_group_is_rejected_at_load(here, message):
    rules = here / "myrules" / "boilerplate"
    rules.mkdir(parents=True)
    (rules / "BP901-bad-template.yaml").write_text(RULE.replace("{message}", message), encoding="utf-8")
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", "--isolated", "--rules", "myrules", "--select", "BP901")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "BP901-bad-template.yaml: message: " in line


def test_a_format_spec_that_does_not_suit_the_value_still_gives_a_message(here):
    rules = here / "myrules" / "boilerplate"
    rules.mkdir(parents=True)
    (rules / "BP901-bad-template.yaml").write_text(RULE.replace("{message}", "Found {match:d}."), encoding="utf-8")
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", "--isolated", "--rules", "myrules", "--select", "BP901", "--report", "json")
    [finding] = json.loads(result.stdout)["documents"][0]["findings"]
    assert finding["message"] == "Found Leave a Reply."


EVIL = """code: BP902
name: evil-pattern
kind: existence
severity: info
message: "Matched '{match}'."
summary: A pattern that backtracks catastrophically.
why: To test the regex budget.
params:
  patterns: ['(a|aa)+$']
  multiline: false
"""


def test_a_backtracking_rule_is_a_notice_naming_rule_and_document(here):
    rules = here / "myrules"
    rules.mkdir()
    (rules / "BP902-evil-pattern.yaml").write_text(EVIL, encoding="utf-8")
    (here / "evil.txt").write_text("a" * 60 + "b\n", encoding="utf-8")
    (here / "fine.txt").write_text("aaa\n", encoding="utf-8")
    started = time.perf_counter()
    result = _run("evil.txt", "fine.txt", "--isolated", "--rules", "myrules", "--select", "BP902", "--report", "json")
    assert time.perf_counter() - started < 30
    assert "evil.txt: BP902 (evil-pattern) skipped here: a pattern ran over its" in result.stderr
    report = json.loads(result.stdout)
    assert [f["excerpt"] for d in report["documents"] for f in d["findings"]] == ["aaa"]


def _long_run(here: Path) -> subprocess.Popen:
    corpus = here / "corpus"
    corpus.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(300):  # about a minute of work in one process: still going when the signal comes
        src = seeds[i % len(seeds)]
        (corpus / f"{i:03d}-{src.name}").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (here / "report.json").write_text('{"previous": "report"}\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # a shell without job control starts background commands with SIGINT ignored, and Python keeps an
    # ignored SIGINT ignored: give the run the default disposition, as a terminal would
    return subprocess.Popen([sys.executable, "-m", "qualcheck", "corpus", "--isolated", "--jobs", "1", "--report", "json", "-o", "report.json"],
                            cwd=here, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.slow
@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupting_a_long_run_leaves_the_report_whole(here, sig, code):
    proc = _long_run(here)
    time.sleep(6)  # well into the checks (loading engines, then 300 documents)
    assert proc.poll() is None, "the run must still be going to be interrupted"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err.decode()
    message = err.decode().strip().splitlines()[-1]
    assert message.startswith("qualcheck: ") and ("interrupted" in message or "terminated" in message)
    assert "Traceback" not in err.decode()
    assert (here / "report.json").read_text(encoding="utf-8") == '{"previous": "report"}\n', "the old report, untouched"
    assert not list(here.glob(".report.json.*")), "no temporary file left behind"


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path, monkeypatch):
    from qualcheck import atomic

    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    atomic.write_text(target, "new \udfff")
    assert target.read_text(encoding="utf-8") == "new ?"

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        atomic.write_text(target, "newer")
    assert target.read_text(encoding="utf-8") == "new ?"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_full_disk_is_one_line_and_keeps_the_old_report(here, monkeypatch):
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (here / "r.json").write_text("old", encoding="utf-8")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = _run("a.txt", *FAST, "--report", "json", "-o", "r.json")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == "qualcheck: error: r.json: cannot write the report: No space left on device"
    assert (here / "r.json").read_text() == "old"


def _every_key() -> list[tuple[str | None, str]]:
    from qualcheck import config

    keys: list[tuple[str | None, str]] = [(None, k) for k in config.TOP_KEYS]
    keys += [("grammar", k) for k in config.GRAMMAR_KEYS] + [("translation", k) for k in config.TRANSLATION_KEYS]
    keys += [("scoring", k) for k in config.SCORING_KEYS]
    keys += [("scoring.severity-weights", k) for k in ("info", "warning", "error")]
    keys += [("scoring.category-weights", k) for k in ("grammar", "agreement")]
    return keys


HOSTILE_VALUES = ["{ a = 1 }", "[1, 2]", "[[1], {a = 1}]", "7", "-7", "0", "nan", "inf", "-inf", "1e400", "123456789012345678901234567890",
                  '""', '"x\\u0000y"', "true", "1979-05-27T07:32:00Z", '"' + "x" * 5000 + '"']


@pytest.mark.parametrize("table,key", _every_key())
def test_every_config_key_with_every_wrong_type_is_caught_at_load(tmp_path, table, key):
    """The class of problem, not the one example: each key gets a table, a list, numbers that overflow, a date..."""
    from qualcheck import config
    from qualcheck.errors import ConfigError

    for value in HOSTILE_VALUES:
        text = (f"[{table}]\n" if table else "") + f"{key} = {value}\n"
        (tmp_path / "qualcheck.toml").write_text(text, encoding="utf-8")
        try:
            settings = config.build({}, cwd=tmp_path)
        except ConfigError as exc:
            message = exc.format_message()
            assert message.startswith(str(tmp_path / "qualcheck.toml")) and key in message and "\n" not in message, (text, message)
            continue
        config.show(settings)  # what was accepted can be shown and used
        from qualcheck.scoring import category_score

        assert 0 <= category_score(3.0, 100, settings.scoring) <= 100


@pytest.mark.parametrize("value", ["nan", "NaN"])
def test_fail_under_nan_on_the_command_line_is_an_error_not_a_gate_that_never_fails(here, value):
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run("a.txt", *FAST, "--fail-under", value)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["qualcheck: error: --fail-under nan: expected a number from 0 to 100"]


def test_a_report_to_a_device_or_fifo_is_written_in_place_not_renamed_over(tmp_path):
    """`-o /dev/null` (or a FIFO) must get the report written into it: renaming a temp file over it would replace the device."""
    import stat
    import threading

    from qualcheck import atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    atomic.write_text(fifo, "report\n")
    reader.join(timeout=10)
    assert got == ["report\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode), "still a FIFO"
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"], "no temporary file beside it"


DEEP = "[" * 5000 + "]" * 5000  # past the JSON and TOML parsers' recursion depth


@pytest.mark.parametrize("where", ["corpus", "config", "decisions"])
def test_input_nested_past_the_parsers_depth_is_one_line_naming_the_file(here, where):
    """Each file qualcheck parses as JSON or TOML: nesting too deep for the parser is that file's
    error (a JSONL line's error, the others stop the run), never an internal error."""
    (here / "a.txt").write_text(ARTICLE, encoding="utf-8")
    args = ["a.txt", *FAST]
    if where == "corpus":
        (here / "c.jsonl").write_text(json.dumps({"id": "ok", "text": ARTICLE}) + "\n" + DEEP + "\n", encoding="utf-8")
        args = ["c.jsonl", *FAST, "--report", "json"]
    elif where == "config":
        (here / "qualcheck.toml").write_text(f"exclude = {DEEP}\n", encoding="utf-8")
        args = ["a.txt", "--select", "BP"]  # not --isolated: the config file is read
    else:
        (here / "d.jsonl").write_text(DEEP + "\n", encoding="utf-8")
        args += ["--decisions", "d.jsonl"]
    result = _run(*args)
    assert result.exit_code == 2
    [line] = [x for x in result.stderr.splitlines() if "nested too deeply" in x]
    assert ("c.jsonl:2" if where == "corpus" else "qualcheck.toml" if where == "config" else "d.jsonl:1") in line, line
    if where == "corpus":  # the good record is still checked and reported
        assert [d["path"] for d in json.loads(result.stdout)["documents"]] == ["c.jsonl#ok"]


def test_a_report_to_a_named_pipe_whose_reader_opens_late_is_written(tmp_path):
    """A reader started beside the run may open the pipe a moment after the report is ready: it is
    served (the pipe is waited for up to atomic.FIFO_READER_WAIT seconds), not told nobody reads."""
    import threading
    import time

    from qualcheck import atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []

    def late_reader():
        time.sleep(0.5)
        got.append(fifo.read_text(encoding="utf-8"))

    reader = threading.Thread(target=late_reader, daemon=True)  # on failure it would wait in open() for ever
    reader.start()
    atomic.write_text(fifo, "report\n")
    reader.join(timeout=10)
    assert got == ["report\n"]
