"""The grammar kind on the offline engine: real text, real link-grammar and Hunspell (system packages)."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.backends.grammar import OFFLINE_NOTICE
from qualcheck.config import Settings
from qualcheck.document import Document
from qualcheck.kinds.grammar import GrammarParams

GR = [r for r in ruleset.load().rules if r.code.startswith("GR")]


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    monkeypatch.delenv("QUALCHECK_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path))  # no local LanguageTool either


def check(*texts, settings=None):
    docs = [Document(id=f"d{i}.txt", raw=t) for i, t in enumerate(texts)]
    return engine.check(docs, GR, settings or Settings())


def test_offline_notice_once_and_engines_named():
    report = check("Story\n\nThe goverment said he go to school every days.\n", "Other\n\nThe goverment agreed.\n")
    notices = [n.message for n in report.notices if n.message.startswith(OFFLINE_NOTICE)]
    assert len(notices) == 1
    engines = {f.code: f.engine for f in report.findings}
    assert engines["GR101"] == "hunspell" and engines["GR103"] == "link-grammar"
    for f in report.findings:
        assert report.documents[int(f.document[1])].text[f.start : f.end] == f.excerpt


@pytest.mark.parametrize(
    "text,code,excerpt",
    [
        ("🌅🌅 The goverment resigned on Monday.", "GR101", "goverment"),
        ("The minister’s goverment resigned.", "GR101", "goverment"),
        ("They said the the talks had stalled.", "GR102", "the the"),
        ("It was a important moment.", "GR201", "a important"),
    ],
)
def test_flags_with_exact_spans(text, code, excerpt):
    found = [f for f in check(text).findings if f.code == code]
    assert [f.excerpt for f in found] == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "Officials met Volodymyr Zelensky in Kyiv on Tuesday.",  # names mid-sentence
        "The colour of the programme was praised by the organisers.",  # British spelling
        "NATO and the OSCE met at 10:00 on Tuesday.",  # acronyms
        "He said: “we is ready to go whenever they want.”",  # a direct quotation is not blamed
    ],
)
def test_no_false_alarm_on_names_british_spelling_and_quotes(text):
    assert [f for f in check(text).findings if f.code in ("GR101", "GR103")] == []


def test_a_name_in_two_documents_is_not_a_misspelling_at_sentence_start():
    name_first = "Zelenskyy spoke on Monday."
    report = check(name_first, "Talks with Zelenskyy ended.", "Officials quoted Zelenskyy again.")
    assert [f.excerpt for f in report.findings if f.code == "GR101"] == []
    alone = check(name_first)
    assert [f.excerpt for f in alone.findings if f.code == "GR101"] == ["Zelenskyy"]


def test_repeated_sentences_are_parsed_once():
    text = "He go to school every days with his friends."
    check(*[text] * 5)  # would be 5 parses without the cache; the backend counts them
    from qualcheck.backends.grammar import OfflineEngine

    docs = [Document(id=f"d{i}.txt", raw=text) for i in range(5)]
    offline = OfflineEngine(docs)
    for d in docs:
        offline.check(d)
    assert offline.stats["parsed"] == 1 and offline.stats["parse-cache-hits"] == 4


def test_params_reject_unknown_types():
    with pytest.raises(ValueError, match="types"):
        GrammarParams(types=("grammer",))
