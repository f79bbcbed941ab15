"""--report jsonl: one line per document as it is scored, then the run; the same content as the JSON report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from qualcheck import engine
from qualcheck.cli import main
from qualcheck.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def test_jsonl_holds_what_the_json_report_holds(tmp_path):
    folder = _seeds(tmp_path)
    args = [str(folder), "--isolated", "--no-cache", "-j", "1"]
    CliRunner().invoke(main, [*args, "--report", "json", "-o", str(tmp_path / "r.json")])
    result = CliRunner().invoke(main, [*args, "--report", "jsonl", "-o", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    full = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [line["type"] for line in lines] == ["document"] * 5 + ["run"]
    assert [{k: v for k, v in line.items() if k != "type"} for line in lines[:-1]] == full["documents"]
    assert {k: v for k, v in lines[-1].items() if k != "type"} == {k: v for k, v in full.items() if k != "documents"}
    assert lines[-1]["summary"]["documents"] == 5 and lines[-1]["claims"]


def test_documents_are_handed_out_as_they_are_scored_and_not_kept(tmp_path):
    folder = _seeds(tmp_path)
    seen = []
    report = engine.run(Settings(paths=(str(folder),), root=str(folder), cache=False), sink=seen.append)
    assert [d.document for d in seen] == sorted(d.document for d in seen) and len(seen) == 5
    assert all(d.text and d.sentences for d in seen)  # the line carries the whole document
    assert all(d.text == "" and d.sentences is None for d in report.documents)  # the run keeps scores and findings only
    assert [d.score for d in report.documents] == [d.score for d in seen]
    assert engine.gate(report, 70.0) == engine.gate(engine.run(Settings(paths=(str(folder),), root=str(folder), cache=False)), 70.0)


def test_jsonl_to_stdout_and_the_gate_still_decides_the_exit_code(tmp_path):
    folder = _seeds(tmp_path)
    result = CliRunner().invoke(main, [str(folder), "--isolated", "--no-cache", "-j", "1", "--report", "jsonl", "--fail-under", "70"])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 6 and lines[-1]["type"] == "run"
    assert result.exit_code == 1  # seeds 001 and 003 fail the recommended gate


def test_the_run_line_written_in_pieces_is_the_line_json_writes_at_once():
    """The claims part is written one group at a time, byte for byte what one json.dumps gives."""
    from qualcheck.agreement.alignment import ClaimsView
    from qualcheck.render import jsonl
    from qualcheck.render.json import run_items

    report = engine.run(Settings(paths=(str(ROOT / "seeds"),), cache=False, jobs=1))
    assert isinstance(report.claims, ClaimsView) and len(report.claims) > 3  # built as read, not held
    chunks = list(jsonl.run_chunks(report))
    assert len(chunks) == len(report.claims) + 2
    whole = json.dumps({"type": "run", **run_items(report)}, sort_keys=True, ensure_ascii=False) + "\n"
    assert "".join(chunks) == whole
    assert report.claims == json.loads(whole)["claims"]
