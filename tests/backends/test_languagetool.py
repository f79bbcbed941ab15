"""LanguageTool integration through a protocol double (wiring, not accuracy) and, when set, a real server."""

from __future__ import annotations

import os
import time

import pytest
from lt_double import Double

from qualcheck import engine, ruleset
from qualcheck.backends import languagetool as lt
from qualcheck.config import GrammarSettings, Settings
from qualcheck.document import Document

GR = [r for r in ruleset.load().rules if r.code.startswith("GR1")]


@pytest.fixture
def double():
    server = Double()
    yield server
    server.close()


@pytest.mark.parametrize(
    "text,utf16_offset,expected",
    [
        ("plain text", 6, 6),
        ("Great 🌅 news", 9, 8),  # one astral character before: one unit less
        ("🇺🇦🇺🇦 flags", 9, 5),  # four regional indicators, each two UTF-16 units
        ("é and 中 are BMP", 8, 8),
        ("x😀", 3, 2),
        ("x😀", 2, 2),  # an offset inside a surrogate pair rounds up to the next code point
    ],
)
def test_utf16_offsets_become_code_points(text, utf16_offset, expected):
    assert lt.utf16_to_codepoints(text)[utf16_offset] == expected


def _docs(*texts):
    return [Document(id=f"d{i}.txt", raw=t) for i, t in enumerate(texts)]


def test_findings_come_from_the_server_with_code_point_spans(double):
    text = "Talks\n\nGreat 🌅 news 😀, the the goverment said they was ready , he said.\n"
    report = engine.check(_docs(text), GR, Settings(languagetool=double.url))
    found = {f.origin: f for f in report.findings}
    assert set(found) == {"MORFOLOGIK_RULE_EN_US", "ENGLISH_WORD_REPEAT_RULE", "PERS_PRONOUN_AGREEMENT", "COMMA_PARENTHESIS_WHITESPACE"}
    for f in report.findings:
        assert text[f.start : f.end] == f.excerpt
        assert f.engine == "languagetool"
    assert found["MORFOLOGIK_RULE_EN_US"].excerpt == "goverment"
    assert found["MORFOLOGIK_RULE_EN_US"].code == "GR101"
    assert found["MORFOLOGIK_RULE_EN_US"].suggestions == ("government",)
    assert found["ENGLISH_WORD_REPEAT_RULE"].code == "GR102"
    assert found["PERS_PRONOUN_AGREEMENT"].excerpt == "they was"
    assert found["COMMA_PARENTHESIS_WHITESPACE"].code == "GR104"
    assert "using LanguageTool at" in " ".join(n.message for n in report.notices)
    assert len(double.requests) == 1, "one request per document, not per sentence"


def test_disabled_rules_are_sent_to_the_server(double):
    settings = Settings(languagetool=double.url, grammar=GrammarSettings(disabled_rules=("MORFOLOGIK_RULE_EN_US",), disabled_categories=("TYPOGRAPHY",)))
    report = engine.check(_docs("The goverment said so ."), GR, settings)
    assert "MORFOLOGIK_RULE_EN_US" not in {f.origin for f in report.findings}
    assert double.requests[0]["disabledRules"] == "MORFOLOGIK_RULE_EN_US"
    assert double.requests[0]["disabledCategories"] == "TYPOGRAPHY"


@pytest.mark.parametrize("tag,sent", [("en", "en-US"), ("en-GB", "en-GB"), ("en-AU", "en-AU")])
def test_the_language_variant_is_what_languagetool_checks(double, tag, sent):
    engine.check(_docs("The colour of the flag."), GR, Settings(languagetool=double.url, language=tag))
    assert double.requests[0]["language"] == sent


def test_server_url_comes_from_config_then_environment(double, monkeypatch):
    monkeypatch.setenv(lt.ENV_URL, double.url)
    report = engine.check(_docs("The goverment said so."), GR, Settings())
    assert [f.engine for f in report.findings] == ["languagetool"]


def test_a_server_dying_mid_run_falls_back_to_the_offline_engine():
    server = Double(fail_after=2)
    try:
        texts = [f"Story {i}\n\nThe goverment said the the talks would go on.\n" for i in range(6)]
        report = engine.check(_docs(*texts), GR, Settings(languagetool=server.url, grammar=GrammarSettings(workers=1)))
    finally:
        server.close()
    engines = [f.engine for f in report.findings if f.code == "GR101"]
    assert engines.count("languagetool") == 2 and engines.count("hunspell") == 4
    died = [n.message for n in report.notices if "checked with the offline engine instead" in n.message]
    assert len(died) == 1 and "4 document(s)" in died[0]
    assert len(report.documents) == 6


def test_unreachable_server_is_a_notice_and_the_offline_engine_runs():
    report = engine.check(_docs("The goverment said so."), GR, Settings(languagetool="http://127.0.0.1:9"))
    assert [f.engine for f in report.findings] == ["hunspell"]
    [notice] = [n for n in report.notices if n.code == "engine" and "offline" in n.message]
    assert notice.message.startswith("grammar: no LanguageTool server; using the offline engine")
    assert "127.0.0.1:9" in notice.message


def test_local_start_fails_fast_without_an_installation(tmp_path, monkeypatch):
    monkeypatch.setenv("LTP_PATH", str(tmp_path))  # language-tool-python's download folder: empty
    monkeypatch.delenv(lt.ENV_URL, raising=False)
    assert lt.installed_version() is None
    began = time.monotonic()
    with pytest.raises(lt.Unavailable, match="no local LanguageTool installation"):
        lt.LanguageToolClient.start_local()
    report = engine.check(_docs("The goverment said so."), GR, Settings())
    assert time.monotonic() - began < 10
    assert [f.engine for f in report.findings] == ["hunspell"]
    assert list(tmp_path.iterdir()) == [], "nothing may be downloaded during a check"


def test_install_reports_failure_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    from language_tool_python import download_lt

    # no internet here either way; point the download at a closed local port so the test is the same everywhere
    monkeypatch.setattr(download_lt, "BASE_URL_NEW_RELEASES", "http://127.0.0.1:9/")
    with pytest.raises(lt.Unavailable, match="cannot install LanguageTool"):
        lt.install()


@pytest.mark.skipif(not os.environ.get(lt.ENV_URL), reason=f"set {lt.ENV_URL} to a LanguageTool server to run this test")
def test_real_languagetool_server():
    text = "Great 🌅 news: the the goverment have said they was ready."
    report = engine.check(_docs(text), GR, Settings())
    assert report.findings and all(f.engine == "languagetool" for f in report.findings)
    assert all(text[f.start : f.end] == f.excerpt for f in report.findings)
    assert "goverment" in {f.excerpt for f in report.findings}


def test_pattern_rules_defer_to_languagetool_on_the_same_words(double):
    rules = ruleset.load().select(["GR"], ["GR103"])
    text = "Talks\n\nThey said they was ready.\n"
    served = engine.check(_docs(text), rules, Settings(languagetool=double.url))
    assert [(f.code, f.excerpt) for f in served.findings] == [("GR102", "they was")]
    offline = engine.check(_docs(text), rules, Settings(languagetool="http://127.0.0.1:9"))
    assert [(f.code, f.excerpt) for f in offline.findings] == [("GR202", "they was")]


def test_the_tagger_rule_defers_to_languagetool_on_the_same_words(double):
    rules = ruleset.load().select(["GR", "GR203"], ["GR103"])
    text = "Talks\n\nHe go to school every day.\n"
    served = engine.check(_docs(text), rules, Settings(languagetool=double.url))
    assert [(f.code, f.origin) for f in served.findings] == [("GR102", "HE_VERB_AGR")]
    offline = engine.check(_docs(text), rules, Settings(languagetool="http://127.0.0.1:9"))
    assert [(f.code, f.excerpt, f.suggestions) for f in offline.findings] == [("GR203", "He go", ("He goes",))]
