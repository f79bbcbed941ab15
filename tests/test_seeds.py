"""End to end on seeds/: exact spans and locations of every finding, and the hand-labelled boilerplate residue."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXPECTED = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _raw(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _doc(report, name: str):
    return next(d for d in report.documents if d.document == f"seeds/{name}")


def _line_col(raw: str, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_finding_has_an_exact_span_and_location(seeds_report, name):
    raw = _raw(name)
    doc = _doc(seeds_report, name)
    assert doc.findings, f"no findings on {name}"
    for f in doc.findings:
        assert raw[f.start : f.end] == f.excerpt, f
        assert (f.line, f.column) == _line_col(raw, f.start), f
        assert (f.end_line, f.end_column) == _line_col(raw, f.end), f
        assert f.document == f"seeds/{name}"


def _label_spans(name: str, family: str) -> list[tuple[int, int, dict]]:
    raw = _raw(name)
    lines = raw.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out = []
    for label in EXPECTED["documents"].get(name, []):
        if label["family"] != family:
            continue
        text = lines[label["line"] - 1]
        col = label.get("column")
        idx = col - 1 if col else text.find(label["excerpt"])
        assert idx >= 0 and text[idx : idx + len(label["excerpt"])] == label["excerpt"], f"stale label {label} in {name}"
        start = starts[label["line"] - 1] + idx
        out.append((start, start + len(label["excerpt"]), label))
    return out


def test_expected_yaml_names_every_seed():
    assert sorted(EXPECTED["documents"]) == SEED_FILES


# When a label is not yet met by the BP rules (another helper tunes them), mark that one case here
# with the reason; never weaken the assertion itself.
XFAIL: dict[tuple[str, int, str], str] = {}


def _bp_cases():
    for name in SEED_FILES:
        for start, end, label in _label_spans(name, "BP"):
            key = (name, label["line"], label["excerpt"])
            marks = [pytest.mark.xfail(reason=XFAIL[key], strict=True)] if key in XFAIL else []
            yield pytest.param(name, start, end, id=f"{name[:3]}:{label['line']}:{label['excerpt'][:30]}", marks=marks)


@pytest.mark.parametrize("name,start,end", list(_bp_cases()))
def test_labelled_residue_is_flagged(seeds_report, name, start, end):
    covered = set()
    for f in _doc(seeds_report, name).findings:
        if f.code.startswith("BP"):
            covered.update(range(f.start, f.end))
    missing = [i for i in range(start, end) if i not in covered]
    raw = _raw(name)
    assert not missing, f"not flagged by any BP finding: {raw[start:end]!r} (unflagged part {raw[missing[0]:missing[-1] + 1]!r})"


@pytest.mark.parametrize("name", SEED_FILES)
def test_no_boilerplate_finding_on_article_prose(seeds_report, name):
    raw = _raw(name)
    labelled = set()
    for start, end, _ in _label_spans(name, "BP"):
        labelled.update(range(start, end))
    for f in _doc(seeds_report, name).findings:
        if not f.code.startswith("BP"):
            continue
        outside = [i for i in range(f.start, f.end) if i not in labelled and not raw[i].isspace()]
        assert not outside, f"{f.code} flags text that is not labelled residue: {raw[outside[0]:outside[-1] + 1]!r} ({f.line}:{f.column})"


def _gr_cases():
    for name in SEED_FILES:
        for start, end, label in _label_spans(name, "GR"):
            yield pytest.param(name, start, end, label["code"], bool(label.get("opt-in")), id=f"{name[:3]}:{label['code']}:{label['excerpt'][:30]}")


@pytest.mark.parametrize("name,start,end,code,opt_in", list(_gr_cases()))
def test_labelled_grammar_slip_is_flagged_by_its_rule(seeds_report, name, start, end, code, opt_in):
    """Each labelled grammar slip is covered by a finding of its rule: in the default run, or with the opt-in rule selected."""
    if opt_in:
        from qualcheck import check_text

        assert code not in {f.code for f in _doc(seeds_report, name).findings}, f"{code} is labelled opt-in but ran by default"
        findings = check_text(_raw(name), document=f"seeds/{name}", select=[code]).documents[0].findings
    else:
        findings = _doc(seeds_report, name).findings
    covering = [f for f in findings if f.code == code and f.start <= start and end <= f.end]
    assert covering, f"{code} does not flag {_raw(name)[start:end]!r} ({name})"


def test_seed_metadata_in_report(seeds_report):
    by = {d.document.split("/")[-1][:3]: d for d in seeds_report.documents}
    assert by["001"].source == "AsumeTech"
    assert by["003"].source == "government.vision"
    assert by["003"].title == "Putin says the West has ignored Russia’s security concerns over NATO and Ukraine"
    assert by["000"].date == "2022-02-08" and by["004"].date == "2021-12-26"
    for d in seeds_report.documents:
        assert d.stats["words"] > 150 and d.stats["sentences"] >= 5
        assert 0 <= d.score.overall <= 100
