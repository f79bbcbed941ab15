"""A sick LanguageTool: every fault costs bounded time, falls back per document, and is a notice.

Each test runs a real HTTP server on 127.0.0.1 (tests/backends/lt_double.py) that turns sick in
one way; the grammar timeout cap is lowered to 1 s so a hang costs about a second per document.
"""

from __future__ import annotations

import time

import pytest
from lt_double import Double

from qualcheck import engine, ruleset
from qualcheck.backends import grammar as grammar_backend
from qualcheck.backends import languagetool as lt
from qualcheck.config import GrammarSettings, Settings
from qualcheck.document import Document

GR = [r for r in ruleset.load().rules if r.code.startswith("GR1")]
TEXT = "Story {i}\n\nThe goverment said the the talks would go on.\n"


def _run(server: Double, n: int = 6, timeout: float = 1.0):
    docs = [Document(id=f"d{i}.txt", raw=TEXT.format(i=i)) for i in range(n)]
    settings = Settings(languagetool=server.url, grammar=GrammarSettings(workers=1, timeout=timeout))
    started = time.perf_counter()
    report = engine.check(docs, GR, settings)
    return report, time.perf_counter() - started


def _engines(report) -> list[str]:
    return [f.engine for f in report.findings if f.code == "GR101"]


def _fell_back(report) -> list[str]:
    return [n.message for n in report.notices if "checked with the offline engine instead" in n.message]


@pytest.fixture
def sick(request):
    server = Double(fault=request.param)
    yield server
    server.close()


@pytest.mark.parametrize("sick", ["hang"], indirect=True)
def test_a_hanging_server_costs_seconds_then_the_breaker_opens(sick):
    report, seconds = _run(sick)
    assert _engines(report) == ["hunspell"] * 6, "every document is still checked"
    assert len(sick.requests) == grammar_backend.BREAKER_FAILURES, "after 3 failures in a row it is not asked again"
    assert seconds < 3 * 1.0 + 4, f"bounded waits, not 300 s: took {seconds:.1f} s"
    [notice] = _fell_back(report)
    assert "timed out" in notice and "6 document(s)" in notice and "not asked again" in notice


@pytest.mark.parametrize("sick", ["hang-after-probe"], indirect=True)
def test_a_server_that_answers_the_probe_then_hangs_is_given_up_in_seconds(sick):
    report, seconds = _run(sick, n=2)
    assert seconds < 8, f"the constructor's second /v2/languages must be bounded too: took {seconds:.1f} s"
    assert _engines(report) == ["hunspell"] * 2
    assert any("no LanguageTool server" in n.message and "timed out" in n.message for n in report.notices)


@pytest.mark.parametrize("sick", ["slow"], indirect=True)
def test_a_slow_server_within_the_timeout_is_used(sick):
    report, _ = _run(sick, n=3)
    assert _engines(report) == ["languagetool"] * 3
    assert not _fell_back(report)


@pytest.mark.parametrize("sick", ["http500", "malformed-json"], indirect=True)
def test_errors_and_garbage_fall_back_without_retrying(sick):
    report, _ = _run(sick, n=4)
    assert _engines(report) == ["hunspell"] * 4
    assert len(sick.requests) == grammar_backend.BREAKER_FAILURES, "no retry: the same text would fail again"
    [notice] = _fell_back(report)
    assert "4 document(s)" in notice


@pytest.mark.parametrize("sick", ["http503-once"], indirect=True)
def test_a_503_is_retried_with_back_off(sick):
    report, _ = _run(sick, n=2)
    assert _engines(report) == ["languagetool"] * 2
    assert len(sick.requests) == 3, "one retry for the 503, then one request per document"
    assert not _fell_back(report)


def test_connection_closed_mid_run_falls_back_for_the_rest():
    server = Double(fail_after=2, fault="close")
    try:
        report, _ = _run(server, n=6)
    finally:
        server.close()
    assert _engines(report).count("languagetool") == 2 and _engines(report).count("hunspell") == 4
    # each failed document was retried (a reset connection served nothing), then the breaker opened
    assert len(server.requests) == 2 + grammar_backend.BREAKER_FAILURES * (lt.RETRIES + 1)
    [notice] = _fell_back(report)
    assert "4 document(s)" in notice


@pytest.mark.parametrize("sick", ["offsets"], indirect=True)
def test_offsets_out_of_range_are_dropped_and_counted(sick):
    report, _ = _run(sick, n=2)
    for doc in report.documents:
        for f in doc.findings:
            assert 0 <= f.span.start <= f.span.end <= len(doc.text)
            assert doc.text[f.span.start : f.span.end] == f.excerpt
    assert not [f for f in report.findings if f.engine == "languagetool"]
    [notice] = [n.message for n in report.notices if "outside the text" in n.message]
    assert "ignored" in notice


@pytest.mark.parametrize(
    "chars,cap,expected",
    [(0, 60.0, lt.READ_BASE), (20_000, 60.0, lt.READ_BASE + 20.0), (10**7, 60.0, 60.0), (100, 0.2, 1.0)],
)
def test_read_timeout_grows_with_the_text_and_is_capped(chars, cap, expected):
    assert lt.read_timeout(chars, cap) == pytest.approx(expected)


@pytest.mark.parametrize(
    "match",
    [
        {"offset": "3", "length": 2},
        {"offset": 2, "length": None},
        {"offset": 1},
        {"offset": 0, "length": 2, "rule": "not a dict"},
        {"offset": 0, "length": 2, "replacements": ["x", {"value": "y"}]},
        "not a match",
        {"offset": 10**9, "length": 1},
        {"offset": True, "length": 1},
    ],
)
def test_malformed_matches_never_raise(match):
    dropped = [0]
    issues = lt.to_issues("Hello world", [match], dropped=dropped)
    assert all(0 <= i.start < i.end <= len("Hello world") for i in issues)
    assert len(issues) + dropped[0] == 1
