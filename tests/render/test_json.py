"""The JSON report is a public contract: schema_version 1, validated by qualcheck/schema/report-v1.json."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from click.testing import CliRunner

from qualcheck import check_text
from qualcheck.cli import main
from qualcheck.model import CATEGORIES
from qualcheck.render import json as json_render

SCHEMA = json.loads(resources.files("qualcheck").joinpath("schema/report-v1.json").read_text(encoding="utf-8"))
FINDING_KEYS = {"code", "rule", "category", "severity", "start", "end", "line", "column", "excerpt", "message", "suggestions"}


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_seeds_report_validates_against_the_schema(seeds_report):
    data = json.loads(json_render.render(seeds_report))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "qualcheck"
    assert len(data["documents"]) == 5


def test_every_category_is_in_scores_and_null_has_a_notice(seeds_report):
    data = json.loads(json_render.render(seeds_report))
    nulls = set()
    for doc in data["documents"]:
        assert set(doc["scores"]) == set(CATEGORIES)
        nulls |= {c for c, v in doc["scores"].items() if v is None}
        for f in doc["findings"]:
            assert FINDING_KEYS <= set(f)
            assert f["document"] == doc["path"]
    explained = {n["message"].split(":")[0] for n in data["notices"] if n.get("code") == "category"}
    assert nulls <= explained


def test_a_selected_out_category_is_null_with_a_notice():
    report = check_text("Putin spoke on Tuesday. He warned NATO.\n\nLeave a Reply\n", "a.txt", select=("BP",))
    data = json.loads(json_render.render(report))
    assert data["documents"][0]["scores"]["readability"] is None
    assert data["documents"][0]["scores"]["boilerplate"] is not None
    assert {"code": "category", "level": "info", "message": "readability: not checked, no rule of this category is enabled; its score is null"} in data["notices"]
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_unreadable_input_report_validates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    (tmp_path / "c.jsonl").write_text('{"id": "1", "text": "Putin spoke."}\n{oops\n', encoding="utf-8")
    result = CliRunner().invoke(main, [".", "--report", "json", "--select", "BP"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["summary"]["incomplete"] is True
    assert [d["path"] for d in data["documents"]] == ["c.jsonl#1"]
    assert {"level": "error", "document": "c.jsonl:2", "code": "input", "message": "invalid JSON: Expecting property name enclosed in double quotes at column 2"} in data["notices"]


def test_output_is_deterministic_sorted_and_posix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b" / "sub").mkdir(parents=True)
    (tmp_path / "b" / "sub" / "z.txt").write_text("Putin spoke on Tuesday.\n\nLeave a Reply\n", encoding="utf-8")
    (tmp_path / "b" / "a.md").write_text("---\ntitle: T\n---\nPutin spoke. More From Category\n\nSource link\n", encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["b", "--report", "json"]).stdout
    second = runner.invoke(main, ["b", "--report", "json"]).stdout
    assert first == second
    data = json.loads(first)
    assert first == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert [d["path"] for d in data["documents"]] == ["b/a.md", "b/sub/z.txt"]
    assert str(tmp_path) not in first
    keys = [(f["line"], f["column"], f["code"]) for d in data["documents"] for f in d["findings"] if d["path"] == "b/sub/z.txt"]
    assert keys == sorted(keys)


@pytest.mark.parametrize("text", ["", "   \n", "No sentence end", "🌅"])
def test_degenerate_documents_give_valid_reports(text):
    data = json.loads(json_render.render(check_text(text, "x.txt")))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    doc = data["documents"][0]
    assert 0 <= doc["score"] <= 100
    assert doc["stats"]["flesch_reading_ease"] is None  # never an absurd value on sentence-less text


def test_claims_sources_and_agreement_are_described_by_the_schema(seeds_report):
    """The agreement part of the contract is validated too, not waved through as extra keys."""
    import copy

    data = json.loads(json_render.render(seeds_report))
    assert data["claims"] and data["sources"] and all("agreement" in d for d in data["documents"])
    validator = jsonschema.Draft202012Validator(SCHEMA)
    validator.validate(data)
    numeric = next(v for c in data["claims"] for v in c["values"] if "quantity" in v and v["text"] == "more than 100,000")
    assert numeric["quantity"] == {"low": 100000.0, "high": 150000.0, "unit": "", "direction": 0}  # a bound reaches 1.5x (units.yaml)
    broken = [
        lambda d: d["claims"][0].__setitem__("status", "maybe"),
        lambda d: d["claims"][0]["values"][0].pop("start"),
        lambda d: d["claims"][0].__setitem__("kind", "rumour"),
        lambda d: d["sources"][0].__setitem__("reliability", 1.5),
        lambda d: d["sources"][0]["evidence"].pop("trust"),
        lambda d: d["documents"][0]["agreement"].__setitem__("contradicted", -1),
    ]
    for breaks in broken:
        bad = copy.deepcopy(data)
        breaks(bad)
        assert not validator.is_valid(bad)
