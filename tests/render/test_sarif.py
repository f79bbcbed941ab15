"""SARIF 2.1.0 output, validated against the official schema (vendored beside this file with its licence)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from qualcheck import check_paths
from qualcheck.render import sarif

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validate(log: dict) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)


@pytest.fixture(scope="module")
def seeds_report():
    return check_paths(["seeds"], select=("BP", "RD"), root=str(Path(__file__).resolve().parents[2]))


def test_seeds_log_is_valid_sarif(seeds_report):
    log = json.loads(sarif.render(seeds_report))
    _validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    assert len(run["results"]) == len(seeds_report.findings) > 0
    codes = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert codes == {r["code"] for r in seeds_report.rules}  # every enabled rule is described, found or not
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]


def test_results_point_at_the_flagged_text(seeds_report):
    log = json.loads(sarif.render(seeds_report))
    root = Path(__file__).resolve().parents[2]
    for result in log["runs"][0]["results"]:
        loc = result["locations"][0]["physicalLocation"]
        region = loc["region"]
        lines = (root / loc["artifactLocation"]["uri"]).read_text(encoding="utf-8").splitlines()
        line = lines[region["startLine"] - 1]
        excerpt = region["snippet"]["text"]
        if region["startLine"] == region["endLine"] and excerpt:
            assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == excerpt  # 1-based, end exclusive
        assert result["partialFingerprints"]["qualcheckFingerprint/v1"]


def test_fingerprints_are_stable_between_runs(seeds_report):
    again = check_paths(["seeds"], select=("BP", "RD"), root=str(Path(__file__).resolve().parents[2]))
    first = [r["partialFingerprints"] for r in json.loads(sarif.render(seeds_report))["runs"][0]["results"]]
    second = [r["partialFingerprints"] for r in json.loads(sarif.render(again))["runs"][0]["results"]]
    assert first == second and len({json.dumps(p) for p in first}) == len(first)


def test_agreement_dismissed_and_whole_document_findings(synthetic_report):
    log = json.loads(sarif.render(synthetic_report))
    _validate(log)
    run = log["runs"][0]
    by_code = {}
    for r in run["results"]:
        by_code.setdefault(r["ruleId"], []).append(r)
    fa = by_code["FA101"][0]
    related = fa["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "news/b.txt"
    assert related["physicalLocation"]["region"]["snippet"]["text"] == "15 people"
    bp = by_code["BP101"][0]
    assert bp["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "part of a quote"}]
    assert "suppressions" not in fa
    rd = by_code["RD101"][0]["locations"][0]["physicalLocation"]["region"]
    assert rd["startLine"] == 1 and rd["startColumn"] == 1 and rd["charLength"] == 0
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["FA101"]["fullDescription"]["text"] == "A wrong casualty count is repeated by readers."
    assert rules["FA101"]["helpUri"] == "https://example.org/rules/FA101" and "helpUri" not in rules["BP101"]
    assert rules["BP101"]["defaultConfiguration"]["level"] == "error" and rules["RD101"]["defaultConfiguration"]["level"] == "note"


def test_corpus_entries_use_logical_locations(synthetic_report):
    from dataclasses import replace

    doc = synthetic_report.documents[0]
    moved = replace(doc, document="corpus.jsonl#a 1", findings=tuple(f.with_(document="corpus.jsonl#a 1") for f in doc.findings))
    log = json.loads(sarif.render(replace(synthetic_report, documents=(moved,))))
    _validate(log)
    loc = log["runs"][0]["results"][0]["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "corpus.jsonl"
    assert "region" not in loc["physicalLocation"]
    assert loc["logicalLocations"][0]["name"] == "a 1"


def test_schema_rejects_a_broken_log():
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]})


def test_corpus_entries_point_at_their_record_line_in_sarif_and_github(tmp_path, monkeypatch):
    """A JSONL corpus checked from the CLI: annotations land on the line of the record they are about."""
    from click.testing import CliRunner

    from qualcheck.cli import main

    monkeypatch.chdir(tmp_path)
    clean = {"id": "a", "text": "Putin met Orban in Moscow on Tuesday. They spoke for five hours."}
    residue = {"id": "b", "text": "Putin met Orban in Moscow on Tuesday.\n\nLeave a Reply"}
    (tmp_path / "corpus.jsonl").write_text(json.dumps(clean) + "\n\n" + json.dumps(residue) + "\n", encoding="utf-8")
    runner = CliRunner()
    log = json.loads(runner.invoke(main, ["corpus.jsonl", "--select", "BP101", "--report", "sarif"]).stdout)
    _validate(log)
    (result,) = log["runs"][0]["results"]
    loc = result["locations"][0]
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "corpus.jsonl#b"
    assert loc["physicalLocation"]["region"] == {"startLine": 3, "endLine": 3}  # the blank line 2 is counted
    annotations = runner.invoke(main, ["corpus.jsonl", "--select", "BP101", "--report", "github"]).stdout
    assert annotations.startswith("::error file=corpus.jsonl,line=3,title=BP101 ")
    data = json.loads(runner.invoke(main, ["corpus.jsonl", "--select", "BP101", "--report", "json"]).stdout)
    assert [d.get("record_line") for d in data["documents"]] == [1, 3]


def test_an_article_whose_file_name_holds_a_hash_is_a_file_not_a_record(tmp_path, monkeypatch):
    """"notes #1.txt" is annotated at its own line and column, under its whole name (it was cut at the
    "#" as if "notes " were a corpus file and "1.txt" a record)."""
    from click.testing import CliRunner

    from qualcheck.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "Ärticle #1 %20.txt").write_text("Putin met Orban in Moscow on Tuesday.\n\nLeave a Reply\n", encoding="utf-8")
    runner = CliRunner()
    log = json.loads(runner.invoke(main, ["news", "--select", "BP101", "--report", "sarif"]).stdout)
    _validate(log)
    loc = log["runs"][0]["results"][0]["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "news/%C3%84rticle%20%231%20%2520.txt"
    assert loc["physicalLocation"]["region"]["startLine"] == 3 and "logicalLocations" not in loc
    annotations = runner.invoke(main, ["news", "--select", "BP101", "--report", "github"]).stdout
    assert annotations.startswith("::error file=news/Ärticle #1 %2520.txt,line=3,col=1,")
