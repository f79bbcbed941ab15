"""JUnit XML: one test case per document, failed when it falls under the gate."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from qualcheck.render import junit


def test_one_case_per_document_failed_under_the_gate(synthetic_report):
    root = ET.fromstring(junit.render(synthetic_report))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["news/a.txt", "news/b.txt"]
    assert cases[0].find("failure") is None  # 72 >= 60
    failure = cases[1].find("failure")
    assert failure is not None and "score 55.0 is below 60" in failure.get("message")
    assert root.get("tests") == "2" and root.get("failures") == "1"
    assert "(dismissed)" in cases[0].find("system-out").text


def test_fail_on_counts_only_findings_that_count(synthetic_report):
    report = replace(synthetic_report, settings={"fail_under": None, "fail_on": "error"})
    cases = ET.fromstring(junit.render(report)).findall("./testsuite/testcase")
    assert cases[0].find("failure") is not None and "1 finding(s) at error" in cases[0].find("failure").get("message")


def test_no_gate_no_failures_and_control_characters_survive(synthetic_report):
    doc = synthetic_report.documents[0]
    f = doc.findings[0].with_(message="bell \x07 and <tag> & \"quotes\"")
    report = replace(synthetic_report, settings={}, documents=(replace(doc, findings=(f,)),))
    root = ET.fromstring(junit.render(report))
    assert root.get("failures") == "0"
    assert "<tag> & \"quotes\"" in root.find("./testsuite/testcase/system-out").text
