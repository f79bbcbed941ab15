"""GitHub Actions workflow commands: escaping, severity order, and the 10-per-level limit."""

from __future__ import annotations

from dataclasses import replace

from qualcheck.model import Severity
from qualcheck.render import github


def test_escaping_follows_the_toolkit():
    assert github.escape_data("50% off\r\nnow") == "50%25 off%0D%0Anow"
    assert github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_commands_carry_location_title_and_message(synthetic_report):
    out = github.render(synthetic_report).splitlines()
    first = out[0]
    assert first.startswith("::error file=news/a.txt,line=3,col=18,endLine=3,endColumn=27,title=FA101 number-mismatch::")
    assert first.endswith("'12 people' here, '15 people' in Police Daily.")
    assert not any("BP101" in line for line in out[:-1])  # dismissed: not annotated
    assert "1 dismissed by editors" in out[-1]
    assert any(line.startswith("::notice ") and "RD101" in line for line in out)


def test_hostile_message_cannot_inject_a_command(synthetic_report):
    doc = synthetic_report.documents[0]
    f = replace(doc.findings[0], message="bad\n::error file=x::injected", document="we,ird:name.txt")
    line = github.command(f)
    assert "\n" not in line  # a command only starts at the beginning of a line
    assert line.split("::", 2)[2] == "bad%0A::error file=x::injected"
    assert "file=we%2Cird%3Aname.txt" in line


def test_at_most_ten_per_level_most_severe_first(synthetic_report):
    doc = synthetic_report.documents[1]
    base = doc.findings[0]
    many = [base.with_(severity=Severity.WARNING, fingerprint=f"w{i}") for i in range(14)]
    many += [base.with_(severity=Severity.ERROR, fingerprint=f"e{i}") for i in range(12)]
    report = replace(synthetic_report, documents=(replace(doc, findings=tuple(many)),))
    out = github.render(report).splitlines()
    levels = [line.split(" ", 1)[0] for line in out[:-1]]
    assert levels == ["::error"] * 10 + ["::warning"] * 10
    assert "6 more not annotated (2 error, 4 warning)" in out[-1]
    assert "full report" in out[-1]
