"""Baselines and command-line decisions: one mechanism with the editors' decisions file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcheck import review
from qualcheck.cli import main

OLD = "Putin spoke on Tuesday about the talks with NATO in Geneva.\n\nLeave a Reply\n"
NEW_RESIDUE = "\nRead More About: World News\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(OLD, encoding="utf-8")
    return tmp_path


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_write_baseline_then_gate_only_on_new_findings(folder):
    runner = CliRunner()
    wrote = runner.invoke(main, ["in", "--select", "BP", "--write-baseline", "qc-baseline.jsonl"])
    assert wrote.exit_code == 0, wrote.stderr
    assert "baseline: recorded 1 finding(s) in qc-baseline.jsonl" in wrote.stderr
    lines = [json.loads(line) for line in (folder / "qc-baseline.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(d["code"], d["status"], d["note"], d["excerpt"]) for d in lines] == [("BP101", "dismissed", "baseline", "Leave a Reply")]

    gated = runner.invoke(main, ["in", "--select", "BP", "--baseline", "qc-baseline.jsonl", "--fail-on", "error", "--report", "json"])
    assert gated.exit_code == 0, gated.stderr  # the known finding is still reported, but does not count
    doc = _json(gated)["documents"][0]
    assert doc["findings"][0]["suppression"] == {"kind": "baseline", "status": "dismissed", "note": "baseline"}
    assert doc["scores"]["boilerplate"] == 100.0

    (folder / "in" / "a.txt").write_text(OLD + NEW_RESIDUE, encoding="utf-8")
    after = runner.invoke(main, ["in", "--select", "BP", "--baseline", "qc-baseline.jsonl", "--fail-under", "99", "--report", "json"])
    assert after.exit_code == 1
    counting = [f["excerpt"] for f in _json(after)["documents"][0]["findings"] if "suppression" not in f]
    assert counting == ["Read More About: World News"]
    assert any(n["message"].startswith("baseline: 1 finding(s) of this run are in qc-baseline.jsonl") for n in _json(after)["notices"])


def test_the_baseline_is_a_decisions_file(folder):
    CliRunner().invoke(main, ["in", "--select", "BP", "--write-baseline", "b.jsonl"])
    decisions = review.load(folder / "b.jsonl")
    assert len(decisions) == 1 and next(iter(decisions.values())).status == "dismissed"
    used = CliRunner().invoke(main, ["in", "--select", "BP", "--decisions", "b.jsonl", "--report", "json"])
    assert _json(used)["documents"][0]["findings"][0]["suppression"]["kind"] == "decision"


def test_dismiss_and_accept_from_the_command_line(folder):
    runner = CliRunner()
    fp = _json(runner.invoke(main, ["in", "--select", "BP", "--report", "json"]))["documents"][0]["findings"][0]["fingerprint"]
    dismissed = runner.invoke(main, ["--decisions", "review/decisions.jsonl", "--dismiss", fp, "--note", "part of a quoted page"])
    assert dismissed.exit_code == 0, dismissed.stderr
    assert "1 decision(s) added" in dismissed.stderr
    row = json.loads((folder / "review" / "decisions.jsonl").read_text(encoding="utf-8"))
    assert (row["fingerprint"], row["status"], row["note"]) == (fp, "dismissed", "part of a quoted page") and row["decided_at"].endswith("Z")
    report = _json(runner.invoke(main, ["in", "--select", "BP", "--decisions", "review/decisions.jsonl", "--report", "json"]))
    assert report["documents"][0]["findings"][0]["suppression"]["status"] == "dismissed"
    accepted = runner.invoke(main, ["--decisions", "review/decisions.jsonl", "--accept", fp])
    assert "1 changed" in accepted.stderr
    assert json.loads((folder / "review" / "decisions.jsonl").read_text(encoding="utf-8"))["status"] == "accepted"
    missing = runner.invoke(main, ["--dismiss", fp])
    assert missing.exit_code == 2 and "need --decisions" in missing.stderr
