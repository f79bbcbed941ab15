"""The grammar kind on the offline engine: real text, real link-grammar and Hunspell (system packages)."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.backends.grammar import OFFLINE_NOTICE
from qualcheck.config import Settings
from qualcheck.document import Document
from qualcheck.kinds.grammar import GrammarParams

GR = [r for r in ruleset.load().rules if r.code.startswith("GR")]


pytestmark = pytest.mark.usefixtures("offline_grammar")  # tests/kinds/conftest.py


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
        "Filippo Inzaghi scored twice on Sunday.",  # a first name opening the sentence
        "The year-olds co-ordinated the add-ons.",  # hyphenated compounds and their plurals
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
    from qualcheck.backends.grammar import OfflineEngine

    docs = [Document(id=f"d{i}.txt", raw=text) for i in range(5)]
    offline = OfflineEngine(docs)
    found = [offline.structure(d) for d in docs]
    assert all(len(f) == 1 for f in found)
    assert offline.stats["parsed"] == 1 and offline.stats["parse-cache-hits"] == 4


def test_default_run_leaves_gr103_off_and_never_parses():
    from qualcheck.backends.grammar import GrammarBackend

    rules = ruleset.load().select()
    assert "GR103" not in {r.code for r in rules} and {"GR101", "GR102", "GR201", "GR202"} <= {r.code for r in rules}
    assert "GR103" in {r.code for r in ruleset.load().select(["GR103"])}
    docs = [Document(id="d.txt", raw="He go to school every days with his friends.")]
    backend = GrammarBackend(Settings(), docs)
    try:
        assert backend.issues(docs[0]) == []  # spelling, grammar, typography: nothing here
        assert backend.offline.stats["parsed"] == 0
        assert [i.type for i in backend.issues(docs[0], ("structure",))] == ["structure"]
        assert backend.offline.stats["parsed"] == 1
    finally:
        backend.close()


@pytest.mark.parametrize(
    "sentence,reason",
    [
        ("Borussia Dortmund was beaten 5-0 by Bayern Munich on Saturday.", "numbers"),
        ("BLB came close to buying the firm in a £308m takeover deal.", "numbers"),
        ("The revelation led to the resignation of its chairman, Sir Phil Watts.", "names"),
        ("Hearts wrapped up the tie.", None),
        ("Too short.", "fragment"),
        ("Prices rise as the week goes on", "fragment"),  # no closing punctuation: a headline
        ("They went to the shops, the park, the zoo, the beach, the river and the hills, then home.", "list"),
        ("I think that " + "the very long and winding road " * 6 + "ends here.", "long"),
        ("I am agree with this opinion because it are good for everyone.", None),
    ],
)
def test_only_sentences_link_grammar_can_judge_are_parsed(sentence, reason):
    from qualcheck.backends.grammar import OfflineEngine

    assert OfflineEngine([]).judgeable(sentence) == reason


def test_gr103_blames_only_plain_words_and_weighs_them():
    report = engine.check([Document(id="d.txt", raw="I am agree with this opinion because it are good for everyone.")], GR)
    (f,) = [f for f in report.findings if f.code == "GR103"]
    assert f.data["weight"] >= 1 and "'agree'" in f.message or "'are'" in f.message


def test_misspellings_get_hunspell_suggestions():
    (f,) = [f for f in check("The goverment resigned on Monday.").findings if f.code == "GR101"]
    assert "government" in f.suggestions


def test_engine_closes_backends_when_the_run_is_interrupted(monkeypatch):
    from qualcheck.context import Context

    closed = []
    monkeypatch.setattr(Context, "close", lambda self: closed.append(True))

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.check([Document(id="d.txt", raw="The goverment agreed.")], GR, Settings(), progress=stop)
    assert closed == [True, True]  # the corpus phase's context, then the document phase's (the grammar engine's)


def test_params_reject_unknown_types():
    with pytest.raises(ValueError, match="types"):
        GrammarParams(types=("grammer",))


@pytest.mark.parametrize(
    "word,common",
    [
        ("renminbi", True),  # news vocabulary Hunspell lacks, frequent in wordfreq
        ("drugmaker", True),
        ("matchday", True),
        ("definately", False),  # frequent on the web too, but "definitely" is far commoner
        ("accomodate", False),
        ("dont", False),  # an apostrophe left out
        ("everytime", False),  # two words glued around a function word
        ("nisro", False),  # not English at all
        ("wi-fi", True),  # judged by part
    ],
)
def test_common_english_words_are_told_from_misspellings(word, common):
    from qualcheck.backends import spelling

    glue = frozenset(ruleset.load().by_code("GR101").params.glue_words)
    assert spelling.shared().common(word, 1.0, 1.5, glue) is common


def test_news_vocabulary_is_not_a_misspelling_but_learner_slips_are():
    text = "The drugmaker reported its results in renminbi. They definately dont like it everytime."
    assert [f.excerpt for f in check(text).findings if f.code == "GR101"] == ["definately", "dont", "everytime"]


def test_doubled_word_is_one_finding_owned_by_mt103_when_both_run(seeds_dir):
    """Seed 001 has 'go in in war': MT103 and GR102 both see it, only MT103 reports it; GR alone still does."""
    from qualcheck import discover

    docs = [d for d in discover.load([str(seeds_dir)], seeds_dir).documents if d.id.startswith("001_")]
    pack = ruleset.load()
    both = engine.check(docs, pack.select(["GR", "MT"]))
    doubled = [(f.code, f.excerpt) for f in both.findings if f.code in ("GR102", "MT103")]
    assert doubled == [("MT103", "in in")]
    alone = engine.check(docs, pack.select(["GR"]))
    assert [(f.code, f.excerpt) for f in alone.findings if f.code in ("GR102", "MT103")] == [("GR102", "in in")]


def test_doubled_word_outside_mt103s_reach_stays_gr102():
    # MT103's allow-list has 'more', GR102's does not: GR102 keeps what MT103 leaves alone
    pack = ruleset.load()
    text = "Title\n\nPrices rose more more than expected, officials said.\n"
    report = engine.check([Document(id="d.txt", raw=text)], pack.select(["GR", "MT"]))
    assert [(f.code, f.excerpt) for f in report.findings if f.code in ("GR102", "MT103")] == [("GR102", "more more")]


@pytest.mark.parametrize(
    "text,suggestion",
    [
        ("Experts warned the change could means higher bills.", "could mean"),
        ("The board said it should not approves the merger yet.", "should not approve"),
        ("Officials said the repairs might takes months.", "might take"),
    ],
)
def test_gr206_suggests_the_base_form_after_a_modal(text, suggestion):
    rule = ruleset.load().by_code("GR206")
    (f,) = engine.check([Document(id="a.txt", raw=text)], [rule]).findings
    assert f.suggestions == (suggestion,)


@pytest.mark.parametrize("text", ["The side could miss the final.", "Voters would focus on the economy.",
                                  "Prices must press lower, he said.", "In May rates rose.", "His will states it clearly."])
def test_gr206_leaves_base_forms_and_nouns_alone(text):
    rule = ruleset.load().by_code("GR206")
    assert not engine.check([Document(id="a.txt", raw=text)], [rule]).findings
