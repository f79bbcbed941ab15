"""The JUnit XML report, for CI dashboards: one test case per document, failed when it falls under the gate.

The gate is the run's (``--fail-under``, ``--fail-on``); without one every document passes and the
cases still carry each document's score and findings. Characters XML 1.0 cannot hold (control
characters scraped into an article) are replaced, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from qualcheck.model import Severity
from qualcheck.report import DocumentReport, Report
from qualcheck.scoring import document_gate

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _summary(doc: DocumentReport) -> str:
    scores = ", ".join(f"{c} {'-' if v is None else f'{v:.0f}'}" for c, v in doc.score.to_dict().items())
    lines = [f"score {doc.score.overall:.1f} ({scores})"]
    for f in doc.findings:
        state = "" if f.counts else " (dismissed)"
        lines.append(f"{f.line}:{f.column} {f.code} {f.severity} {f.message}{state}")
    return "\n".join(lines)


def render(report: Report) -> str:
    """Render the report as JUnit XML."""
    fail_under = report.settings.get("fail_under")
    fail_on = report.settings.get("fail_on")
    fail_on = Severity.parse(fail_on) if fail_on else None
    suite = ET.Element("testsuite", name="qualcheck")
    failures = 0
    for doc in report.documents:
        case = ET.SubElement(suite, "testcase", classname=_clean(f"qualcheck.{doc.source or 'documents'}"), name=_clean(doc.document), time="0")
        reasons = document_gate(doc, fail_under, fail_on)
        if reasons:
            failures += 1
            failure = ET.SubElement(case, "failure", message=_clean("; ".join(reasons)), type="qualcheck.gate")
            failure.text = _clean(_summary(doc))
        out = ET.SubElement(case, "system-out")
        out.text = _clean(_summary(doc))
    for key, value in (("tests", len(report.documents)), ("failures", failures), ("errors", 0), ("skipped", 0)):
        suite.set(key, str(value))
    errors = [n for n in report.notices if n.level == "error"]
    if errors:
        err = ET.SubElement(suite, "system-err")
        err.text = _clean("\n".join(str(n) for n in errors))
    root = ET.Element("testsuites", name="qualcheck", tests=str(len(report.documents)), failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
