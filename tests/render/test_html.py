"""The HTML review page: embedded data, lazy rendering, cross-source data, escaping of the JSON block."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from qualcheck import check_text
from qualcheck.cli import main
from qualcheck.render import html


def _data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="qc-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def test_page_embeds_documents_as_json_not_dom(synthetic_report):
    page = html.render(synthetic_report)
    data = _data(page)
    assert [d["id"] for d in data["documents"]] == ["news/a.txt", "news/b.txt"]
    assert "The storm killed 12 people" not in page.split('id="qc-data"')[0]  # no article text in the static DOM
    a = data["documents"][0]
    assert a["text"].startswith("Storm hits coast") and a["source"] == "Coast News" and a["score"] == 72.0
    assert a["scores"] == [None, None, 100.0, 90.0, 60.0]
    fa = next(f for f in a["f"] if f["c"] == "FA101")
    assert fa["rel"][0]["d"] == "news/b.txt" and fa["rel"][0]["x"] == "15 people"
    assert next(f for f in a["f"] if f["c"] == "BP101")["sup"]["status"] == "dismissed"
    assert data["rules"]["FA101"]["why"] == "A wrong casualty count is repeated by readers."


def test_offsets_count_utf16_units_after_an_emoji(synthetic_report):
    data = _data(html.render(synthetic_report))
    b = data["documents"][1]
    fa = b["f"][0]
    # In JavaScript the wave emoji is two units: the span must still cover '15 people' there.
    js_text = b["text"].encode("utf-16-le")
    assert js_text[2 * fa["a"] : 2 * fa["b"]].decode("utf-16-le") == "15 people"
    assert fa["a"] == synthetic_report.documents[1].findings[0].start + 1
    claim_b = data["claims"][0]["values"][1]
    assert js_text[2 * claim_b["start"] : 2 * claim_b["end"]].decode("utf-16-le") == "15 people"


def test_claims_and_sources_present_or_clearly_absent(report_factory):
    with_data = _data(html.render(report_factory(True)))
    assert with_data["claims"][0]["status"] == "contradicted" and len(with_data["claims"][0]["values"]) == 2
    assert [s["name"] for s in with_data["sources"]] == ["Coast News", "Police Daily"]
    without = html.render(report_factory(False))
    assert _data(without)["claims"] is None and _data(without)["sources"] is None
    assert "No cross-source data in this report" in without  # the script shows this message


def test_script_block_cannot_be_closed_from_a_document():
    text = 'Intro </script><script>alert(1)</script> and "><img src=x onerror=alert(2)> <!-- x\u2028y\n\nLeave a Reply\n'
    page = html.render(check_text(text, "x</script>.txt", select=("BP",)))
    block = re.search(r'<script type="application/json" id="qc-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "\u2028" not in block
    data = json.loads(block)
    assert data["documents"][0]["text"] == text and data["documents"][0]["id"] == "x</script>.txt"
    assert len(re.findall(r"<script", page)) == 2  # the data block and the page's own script, nothing else
    assert "<img" not in page


def test_histogram_counts_scores():
    svg = str(html.histogram([5, 55, 59.9, 100, 100, 91]))
    counts = re.findall(r"<title>(\d+) document\(s\) scoring (\d+)", svg)
    assert dict((lo, int(n)) for n, lo in counts) == {"0": 1, "10": 0, "20": 0, "30": 0, "40": 0, "50": 2, "60": 0, "70": 0, "80": 0, "90": 3}


def test_cli_writes_default_path_and_prints_it(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("A short article about the storm on Monday.\n\nLeave a Reply\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["a.txt", "--report", "html", "--select", "BP"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(Path("reports/qualcheck.html"))
    page = (tmp_path / "reports" / "qualcheck.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "BP101" in page
