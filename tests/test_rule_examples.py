"""Every rule's own examples: each 'fail' example yields a finding with that code, each 'pass' none."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document

RULES = ruleset.load().rules


def _cases():
    for rule in RULES:
        for verdict in ("fail", "pass"):
            for i, example in enumerate(rule.examples.get(verdict, [])):
                yield pytest.param(rule, verdict, example, id=f"{rule.code}-{verdict}-{i}")


def _documents(example) -> list[Document]:
    texts = example if isinstance(example, list) else [example]
    return [Document(id=f"example-{i}.txt", raw=str(t)) for i, t in enumerate(texts)]


@pytest.mark.parametrize("rule,verdict,example", list(_cases()))
def test_rule_example(rule, verdict, example):
    report = engine.check(_documents(example), [rule])
    codes = [f.code for f in report.findings]
    assert not [n for n in report.notices if n.code == "check"], report.notices
    if verdict == "fail":
        assert rule.code in codes, f"{rule.code} did not flag its fail example {example!r}"
    else:
        assert rule.code not in codes, f"{rule.code} flagged its pass example {example!r}: {report.findings}"


def test_every_rule_has_examples_of_both_kinds():
    missing = [r.code for r in RULES if not r.examples.get("fail") or not r.examples.get("pass")]
    assert not missing, f"rules without fail and pass examples: {missing}"
