"""Editor decisions: JSON Lines and SQLite round trips, fingerprints that survive edits, and --decisions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcheck import check_text, review
from qualcheck.cli import main
from qualcheck.review import Decision, DecisionFileError, DecisionStore, load, parse_jsonl, to_jsonl

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "001_5ad0f26136440ebb.txt").read_text(encoding="utf-8")
FAST = {"select": ("BP", "RD")}


def test_jsonl_round_trip_sorted_and_minimal():
    ds = [Decision("bbb", "dismissed", note="quote", code="BP102"), Decision("aaa", "accepted")]
    text = to_jsonl(ds)
    assert text.splitlines()[0] == '{"fingerprint": "aaa", "status": "accepted"}'
    assert parse_jsonl(text, "x.jsonl") == sorted(ds, key=lambda d: d.fingerprint)


@pytest.mark.parametrize(
    "line, problem",
    [
        ("{not json", "d.jsonl:2: not valid JSON"),
        ('{"fingerprint": "a", "status": "maybe"}', "d.jsonl:2: status: 'maybe' is not one of accepted, dismissed"),
        ('{"fingerprint": "a", "status": "accepted", "colour": "red"}', "d.jsonl:2: colour: unknown key"),
        ('{"status": "accepted"}', "d.jsonl:2: fingerprint: missing"),
        ('["a"]', "d.jsonl:2: expected a JSON object"),
        ('{"fingerprint": "a", "status": "accepted", "note": 3}', "d.jsonl:2: note: expected a string"),
    ],
)
def test_bad_lines_name_file_line_and_problem(line, problem):
    with pytest.raises(DecisionFileError) as err:
        parse_jsonl('{"fingerprint": "ok", "status": "accepted"}\n' + line + "\n", "d.jsonl")
    assert str(err.value.format_message()).startswith(problem)


def test_sqlite_store_persists_replaces_and_exports(tmp_path):
    db = tmp_path / "review.db"
    with DecisionStore(db) as store:
        store.put([Decision("f1", "dismissed", note="first"), Decision("f2", "accepted")])
        store.put(Decision("f1", "accepted", note="changed my mind"))
        assert store.remove("f2") and not store.remove("nope")
    with DecisionStore(db) as store:  # a new connection sees what the first one committed
        assert store.all() == [Decision("f1", "accepted", note="changed my mind")]
        exported = store.export_jsonl(tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == exported
    assert sqlite3.connect(db).execute("SELECT count(*) FROM decisions").fetchone() == (1,)
    (tmp_path / "in.jsonl").write_text('{"fingerprint": "f3", "status": "dismissed"}\n', encoding="utf-8")
    with DecisionStore(db) as store:
        assert store.import_jsonl(tmp_path / "in.jsonl") == 1
        assert store.get("f3") == Decision("f3", "dismissed")
    assert set(load(db)) == {"f1", "f3"}  # load() recognises a SQLite file by its header


def test_load_errors(tmp_path):
    with pytest.raises(DecisionFileError, match="does not exist"):
        load(tmp_path / "missing.jsonl")
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DecisionFileError, match="not UTF-8"):
        load(tmp_path / "bin.jsonl")


def _fingerprints(text: str) -> dict[tuple[str, str], str]:
    report = check_text(text, "seeds/001.txt", **FAST)
    return {(f.code, f.excerpt): f.fingerprint for f in report.findings}


def test_fingerprints_survive_edits_elsewhere_in_the_article():
    before = _fingerprints(SEED)
    edited = SEED.replace(
        "Western countries have threatened to impose sanctions on Moscow in case of attack on Ukraine.",
        "Western countries, led by Washington, have repeatedly threatened to impose tough sanctions on Moscow.",
    )
    edited = "An editor's new opening paragraph, added later.\n\n" + edited  # shifts every offset and line
    after = _fingerprints(edited)
    assert edited != SEED
    shared = set(before) & set(after)
    assert ("BP101", "Leave a Reply") in shared and len(shared) >= 5
    assert all(before[k] == after[k] for k in shared)


def test_fingerprint_changes_when_the_flagged_sentence_changes():
    before = _fingerprints(SEED)
    after = _fingerprints(SEED.replace("Leave a Reply", "Leave a Reply below"))
    assert ("BP101", "Leave a Reply") in before
    assert after.get(("BP101", "Leave a Reply")) != before[("BP101", "Leave a Reply")]


def test_cli_decisions_dismiss_keeps_finding_but_not_score_or_gate(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(SEED, encoding="utf-8")
    # the seed has other errors, which keep the category capped; without the cap the score must rise
    (tmp_path / "qualcheck.toml").write_text("[scoring]\ncap = 100\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["a.txt", "--select", "BP", "--fail-on", "error", "--report", "json"]
    first = runner.invoke(main, args)
    assert first.exit_code == 1  # 'Leave a Reply' is an error
    report = json.loads(first.stdout)
    target = next(f for f in report["documents"][0]["findings"] if f["code"] == "BP101")
    decision = {"fingerprint": target["fingerprint"], "status": "dismissed", "note": "kept on purpose", "code": "BP101"}
    (tmp_path / "decisions.jsonl").write_text(json.dumps(decision) + "\n" + json.dumps({"fingerprint": "0" * 16, "status": "accepted"}) + "\n", encoding="utf-8")
    second = runner.invoke(main, [*args, "--decisions", "decisions.jsonl"])
    assert second.exit_code == 0, second.stderr
    again = json.loads(second.stdout)
    kept = next(f for f in again["documents"][0]["findings"] if f["fingerprint"] == target["fingerprint"])
    assert kept["suppression"] == {"kind": "decision", "status": "dismissed", "note": "kept on purpose"}
    assert again["documents"][0]["score"] > report["documents"][0]["score"]
    assert again["summary"]["suppressed"] == 1
    assert "applied 1 of 2 editor decisions" in second.stderr and "1 matched no finding" in second.stderr
    sarif = runner.invoke(main, [*args[:-1], "sarif", "--decisions", "decisions.jsonl"])
    result = next(r for r in json.loads(sarif.stdout)["runs"][0]["results"] if r["partialFingerprints"]["qualcheckFingerprint/v1"] == target["fingerprint"])
    assert result["suppressions"][0]["justification"] == "kept on purpose"


def test_cli_bad_decisions_file_is_exit_2(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Leave a Reply\n", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text('{"fingerprint": "x", "status": "nope"}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["a.txt", "--select", "BP", "--decisions", "d.jsonl"])
    assert result.exit_code == 2
    assert "d.jsonl:1: status: 'nope'" in result.stderr


@pytest.mark.parametrize("target_name", ["review/decisions.jsonl", "review/decisions.sqlite"])
def test_cli_merge_decisions_into_the_team_file(tmp_path, monkeypatch, target_name):
    monkeypatch.chdir(tmp_path)
    monday = tmp_path / "monday.jsonl"
    tuesday = tmp_path / "tuesday.jsonl"
    monday.write_text(
        json.dumps({"fingerprint": "a" * 16, "status": "dismissed", "note": "quoted", "decided_at": "2026-05-04T09:00:00Z"}) + "\n"
        + json.dumps({"fingerprint": "b" * 16, "status": "accepted", "decided_at": "2026-05-04T09:05:00Z"}) + "\n",
        encoding="utf-8",
    )
    # Tuesday's export repeats one decision, revises another and adds a third
    tuesday.write_text(
        json.dumps({"fingerprint": "a" * 16, "status": "dismissed", "note": "quoted", "decided_at": "2026-05-04T09:00:00Z"}) + "\n"
        + json.dumps({"fingerprint": "b" * 16, "status": "dismissed", "note": "on reflection", "decided_at": "2026-05-05T10:00:00Z"}) + "\n"
        + json.dumps({"fingerprint": "c" * 16, "status": "accepted"}) + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    first = runner.invoke(main, ["--decisions", target_name, "--merge-decisions", "monday.jsonl"])
    assert first.exit_code == 0, first.stderr
    assert "2 decision(s) added, 0 changed, 0 unchanged; 2 in all" in first.stderr
    second = runner.invoke(main, ["--decisions", target_name, "--merge-decisions", "tuesday.jsonl"])
    assert "1 decision(s) added, 1 changed, 1 unchanged; 3 in all" in second.stderr, second.stderr
    merged = review.load(target_name)
    assert merged["b" * 16].status == "dismissed" and merged["b" * 16].note == "on reflection"
    # an older export merged late does not undo a newer decision
    runner.invoke(main, ["--decisions", target_name, "--merge-decisions", "monday.jsonl"])
    assert review.load(target_name)["b" * 16].status == "dismissed"
    if target_name.endswith(".jsonl"):
        lines = (tmp_path / target_name).read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["fingerprint"][0] for line in lines] == ["a", "b", "c"]  # sorted: diffs well
    else:
        assert (tmp_path / target_name).read_bytes()[:16] == b"SQLite format 3\x00"


def test_cli_merge_decisions_bad_input_leaves_the_team_file_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team.jsonl").write_text(json.dumps({"fingerprint": "a" * 16, "status": "accepted"}) + "\n", encoding="utf-8")
    before = (tmp_path / "team.jsonl").read_text(encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"fingerprint": "b", "status": "maybe"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--decisions", "team.jsonl", "--merge-decisions", "bad.jsonl"])
    assert result.exit_code == 2 and "bad.jsonl:1: status: 'maybe'" in result.stderr
    assert (tmp_path / "team.jsonl").read_text(encoding="utf-8") == before
    missing = CliRunner().invoke(main, ["--merge-decisions", "bad.jsonl"])
    assert missing.exit_code == 2 and "needs --decisions" in missing.stderr
