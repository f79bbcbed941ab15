"""garble signals on real sentences: what each flags, and the names, titles and datelines it leaves alone."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcheck import engine, ruleset
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.kinds import Evidence
from qualcheck.render import json as json_render

RULES = ruleset.load()


def _flag(code: str, *texts: str) -> list[str]:
    docs = [Document(id=f"d{i}.txt", raw=t) for i, t in enumerate(texts)]
    return [f.excerpt for f in engine.check(docs, [RULES.by_code(code)]).findings if f.document == "d0.txt"]


@pytest.mark.parametrize(
    "code,text,flagged",
    [
        ("MT101", "In his prime Direct statements on the crisis On Tuesday, Putin spoke.", ["Direct", "On"]),
        ("MT101", "Russian President Vladimir Putin met Hungarian Prime Minister Viktor Orban.", []),
        ("MT101", "MOSCOW: Putin said the West ignored Russia's concerns.", []),
        ("MT101", "He said: Nothing was agreed. The Kremlin said “Stop” and then left.", []),
        ("MT101", "He spoke at the Organization for Security and Cooperation in Europe on Monday.", []),
        ("MT101", "Labour won the vote after the Tories split.", []),
        ("MT101", "US Secretary of State Antony Blinken met Lavrov, according to The New York Times.", []),
        ("MT102", "to abandon the deployment of weapons. offensive close to the borders", ["weapons. offensive"]),
        ("MT102", "this can only be done. in case of serious negotiation", ["done. in"]),
        ("MT102", "annexed by Russia. 2014, as its own", ["Russia. 2014"]),
        ("MT102", "On Feb. 8 the U.S. envoy met Mr. Smith at 9 a.m. on Tuesday, e.g. in Geneva.", []),
        ("MT102", "The vote was 52 vs. 48 at No. 10 and St. Petersburg.", []),
        ("MT105", "Has anyone thought about it? Nobody seems . “", ["“"]),
        ("MT105", "the proposals we have presented “for” security guarantees “.", ["“for”", "“."]),
        ("MT105", "“I hope that this dialogue will continue,” he said of the “tool”.", []),
        ("MT105", "The US and NATO ‘ignored’ Moscow’s key concerns.", []),
        ("MT106", "Has anyone thought about it? Nobody seems .", ["seems ."]),
        ("MT106", "So it seems. That is what it is.", []),
        ("MT107", "The festival of तिहार is celebrated.", ["तिहार"]),
        ("MT107", "The α particle and Zürich’s Ærø ferry.", []),
        ("MT108", "The Kremlinâ€™s statement.", ["Kremlinâ€™s"]),
    ],
)
def test_signal(code, text, flagged):
    assert _flag(code, text) == flagged


def _mid_capital(**changes):
    rule = RULES.by_code("MT101")
    return dataclasses.replace(rule, params=dataclasses.replace(rule.params, **changes))


def _flag_with(rule, *texts: str) -> list[str]:
    docs = [Document(id=f"d{i}.txt", raw=t) for i, t in enumerate(texts)]
    return [f.excerpt for f in engine.check(docs, [rule]).findings if f.document == "d0.txt"]


def test_names_seen_in_other_documents_of_the_run_are_not_garble():
    rule = _mid_capital(nlp_names=False)
    text = "Officials of the Cabinet met on Monday."
    assert _flag_with(rule, text) == ["Cabinet"]
    others = ["The Cabinet said no.", "Members of the Cabinet agreed.", "A Cabinet official left."]
    assert _flag_with(rule, text, *others) == []


def test_a_word_often_capitalised_in_the_run_is_a_name_even_if_mostly_lower_case():
    # clean BBC sport: "Test" (a rugby Test match) is capitalised 13 times and lower-case 74 times
    rule = _mid_capital(nlp_names=False)
    text = "Johnson quit Test rugby at the start of 2004."
    others = ["He won his first Test cap.", "The Test series ended.", "A Test match in Cardiff."] + ["The test was hard."] * 20
    assert _flag_with(rule, text, *others[3:]) == ["Test"]  # lower-case uses alone do not make a name
    assert _flag_with(rule, text, *others) == []
    assert _flag_with(rule, text, *others, *["The test was hard."] * 30) == ["Test"]  # 4 capitalised, 50 not: too rare


@pytest.mark.parametrize(
    "text,flagged",
    [
        ("The comedy will do battle with the mainstream BBC One show My Family.", []),  # a title: common word follows
        ("Lenny Henry won a Golden Rose for his In Pieces series in 2001.", []),
        ("This year, Will Smith, star of I, Robot, hosts the show.", []),  # spaCy: a person
        ("Putin spoke about the crisis On Tuesday in Moscow.", ["On"]),  # a name follows: no title
    ],
)
def test_function_word_heading_a_title_or_name(text, flagged):
    pytest.importorskip("spacy")
    assert _flag("MT101", text) == flagged


@pytest.mark.parametrize(
    "text,flagged",
    [
        # titles whose italics were lost: two capitalised common words across function words
        ("At the funeral they sang Bridge over Troubled Water and left.", []),
        ("She starred in Gone with the Wind before the war.", []),
        # next to a cue word: a title or a name whatever its words
        ("The report, titled Lessons from the Crisis, was published on Monday.", []),
        ("He told To Vima newspaper that he would appeal.", []),
        ("The rapper joined producer No ID in the studio.", []),
        # a short quotation in title case is a title or a slogan
        ('The party fought the 1992 election under the slogan "Time for a Change" and lost.', []),
        # the title named in full once, then by one of its words
        ("The Treaty of Amsterdam came into force in 1999. Critics said the Treaty was too weak.", []),
        # stray capitals stay flagged: a date or a name after a function word is no title
        ("The deal was signed On Monday in Kiev by both sides.", ["On"]),
        ("In his prime Direct statements on the crisis he spoke.", ["Direct"]),
        ("The film shows how the Soldiers of the army fled.", ["Soldiers"]),  # a cue word, but no run follows it
        # a quotation that is a sentence is not a title
        ('She said "They want Direct statements from us" and left.', ["Direct"]),
    ],
)
def test_titles_of_works_are_not_stray_capitals(text, flagged):
    assert _flag("MT101", text) == flagged


@pytest.mark.parametrize(
    "text,flagged",
    [
        ("Prices rose in 2004. 12% of buyers were first-time owners.", []),  # a sentence opens with a figure
        ("The chart was topped by sequels. 16 out of the top 20 games were follow-ups.", []),
        ("Police seized the drugs at the airport. 9.6 grams of heroin were found.", []),
        ("The ceasefire has held since March. 8, officials said.", ["March. 8"]),  # a broken date
        ("The ceasefire has held since March. 8 soldiers were hurt.", ["March. 8"]),  # after a month: read as a date
        ("He spoke to the. 40 delegates at the meeting.", ["the. 40"]),  # a dangling word before the stop
        ("The area was annexed by Russia. 2014, as its own territory.", ["Russia. 2014"]),  # no word follows the figure
    ],
)
def test_a_figure_after_a_full_stop(text, flagged):
    assert _flag("MT102", text) == flagged


def test_spacy_tells_a_name_from_a_stray_capital():
    pytest.importorskip("spacy")
    text = "Officials of the Cabinet met on Monday."
    assert _flag_with(_mid_capital(nlp_names=False, corpus_names=False), text) == ["Cabinet"]
    assert _flag_with(_mid_capital(corpus_names=False), text) == []
    assert _flag_with(_mid_capital(corpus_names=False), "In his prime Direct statements he spoke.") == ["Direct"]


def test_spacy_and_the_run_s_names_both_judge_every_capital_of_a_document():
    # the spaCy check of one capital once replaced the run's name counts for the rest of the document
    # (MT101 then failed on 35 clean BBC articles with "'set' object has no attribute 'often_capitalised'")
    pytest.importorskip("spacy")
    text = "Officials of the Cabinet met on Monday. In his prime Direct statements he spoke."
    result = engine.check([Document(id="d0.txt", raw=text)], [RULES.by_code("MT101")])
    assert [f.excerpt for f in result.findings] == ["Direct"]
    assert not [n for n in result.notices if n.level == "error"]


def test_mojibake_suggestion_is_the_repaired_text():
    doc = Document(id="a.txt", raw="The Kremlinâ€™s statement.")
    (f,) = engine.check([doc], [RULES.by_code("MT108")]).findings
    assert f.suggestions == ("Kremlin’s",)


def test_sentence_scores_and_translation_score_reach_the_json_report():
    raw = "Putin spoke on Tuesday.\n\nWe have to go in in war with the alliance? Nobody seems . “\n\nThe talks went on."
    report = engine.check([Document(id="a.txt", raw=raw)], RULES.select(["MT"]))
    (doc,) = json.loads(json_render.render(report))["documents"]
    sentences = doc["sentences"]
    assert [raw[s["start"] : s["end"]] for s in sentences][:2] == ["Putin spoke on Tuesday.", "We have to go in in war with the alliance?"]
    scores = [s["score"] for s in sentences]
    assert scores[0] < 0.1 and scores[-1] < 0.1  # fluent: only the surface model's small base rate
    assert 0.5 < scores[1] < 1 and scores[2] > 0.9
    assert set(sentences[2]["signals"]) == {"MT105", "MT106", "model"}
    assert all(set(s["features"]) <= {"rare_words", "unseen", "log_words", "capitals", "no_end", "peak_unigram"} for s in sentences)
    assert 40 < doc["scores"]["translation"] < 80


def test_translation_score_is_continuous_for_one_sentence_documents():
    texts = ["The talks went on.", "We have to go in in war.", "We have to go in in war. offensive in particularly On Tuesday."]
    docs = [Document(id=f"{i}.txt", raw=t) for i, t in enumerate(texts)]
    report = engine.check(docs, RULES.select(["MT"]))
    scores = [d.score.categories["translation"] for d in report.documents]
    assert scores[0] > 95 and scores[0] > scores[1] > scores[2]


def test_a_one_line_record_is_scored_not_taken_for_a_headline():
    """A JSONL record that is one sentence without a full stop used to be read as a title and left unscored."""
    texts = ["Why do you think some people hate you", "Jesus answered them:"]
    report = engine.check([Document(id=f"{i}.txt", raw=t) for i, t in enumerate(texts)], RULES.select(["MT"]))
    for doc, text in zip(report.documents, texts):
        (s,) = doc.sentences
        assert text[s["start"] : s["end"]] == text and s["features"]["no_end"] == 1.0


def test_surface_model_reads_its_features_from_the_rule():
    """The coefficients are data in MT900's params: a larger intercept raises every sentence's score."""
    rule = RULES.by_code("MT900")
    doc = Document(id="a.txt", raw="The talks went on in Geneva.")
    base = rule.run(doc, Context(corpus=Corpus([doc])))
    ctx = Context(corpus=Corpus([doc]))
    raised = dataclasses.replace(rule, params=dataclasses.replace(rule.params, model=dict(rule.params.model) | {"intercept": 3.0}))
    scored = raised.score(doc, Evidence((), {}), ctx)
    (finding,) = scored.findings
    assert base == [] and "model" in finding.message
    (s,) = scored.records
    assert s["score"] > 0.95


def test_unknown_model_feature_is_a_rule_error():
    from qualcheck.kinds.translation_score import TranslationScoreParams

    with pytest.raises(ValueError, match="unknown feature 'slro'"):
        TranslationScoreParams(lm_model={"intercept": 0.0, "slro": 1.0})


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"lm_model": {"intercept": 0.0, "probe": 1.0}}, "probe is weighed but no lm_probe is given"),
        ({"lm_probe": {"layer": 4, "intercept": 0.0, "weights": [0.0] * 576}}, "fitted on layer 4, but the LM pass pools layer 20"),
        ({"lm_probe": {"layer": 20, "weights": [0.0] * 576}}, "needs layer, intercept and a list of weights"),
    ],
)
def test_the_lm_probe_is_checked_at_rule_load(kwargs, error):
    from qualcheck.kinds.translation_score import TranslationScoreParams

    with pytest.raises(ValueError, match=error):
        TranslationScoreParams(**kwargs)


def test_ignoring_a_rule_removes_its_evidence_from_the_score():
    doc = Document(id="a.txt", raw="We have to go in in war with them.")
    full = engine.check([doc], RULES.select(["MT"])).documents[0].score.categories["translation"]
    doc = Document(id="a.txt", raw="We have to go in in war with them.")
    without = engine.check([doc], RULES.select(["MT"], ["MT103"])).documents[0].score.categories["translation"]
    assert full < 50 < 95 < without


def test_missing_dictionary_and_spacy_are_said_in_a_notice():
    from types import SimpleNamespace

    from qualcheck.backends import lexicon

    class NoDictionary:
        zipf = staticmethod(lexicon.zipf)
        is_lower_word = staticmethod(lambda w: True)
        is_proper = staticmethod(lambda w: False)
        status = staticmethod(lambda: (False, "no Hunspell en_US dictionary (apt-get install hunspell-en-us)"))

    no_nlp = SimpleNamespace(load_nlp=lambda name=None: (None, "spaCy is not installed"))
    from qualcheck.context import Context, Corpus

    doc = Document(id="a.txt", raw="In his prime Direct statements he spoke.")
    ctx = Context(corpus=Corpus([doc]), backends={"lexicon": NoDictionary, "nlp": no_nlp})
    rule = RULES.by_code("MT101")
    assert [f.excerpt for f in rule.run(doc, ctx)] == ["Direct"]
    messages = [n.message for n in ctx.notices]
    assert any("hunspell-en-us" in m for m in messages) and any("spaCy is not installed" in m for m in messages)


@pytest.mark.parametrize(
    "text,flagged",
    [
        # the seed: the quote reopened on "for" before it was closed
        ("Putin added: “It is necessary to find a way, taking into account the proposals we have presented “for” security.", ["“"]),
        ("The minister said the talks had failed” and left Geneva.", ["”"]),  # closed, never opened
        ("He said: “We have nowhere to retreat.\n\nThe talks resume next week.", ["“"]),  # left open
        # news convention: a long quote reopens each paragraph and closes once
        ("“We have nowhere to retreat.\n\n“They have pushed us to a line,” he said.", []),
        # a corpus that lost the paragraph break: the quote reopens after a full stop
        ('Ms Hewitt said: "We have doubled maternity pay. "We are going further," she said.', []),
        ('He is 6\'2" tall and said "yes" at once.', []),  # an inch mark
        ("“Has anyone thought about it? Nobody seems . “", []),  # MT105's orphan mark closes it: MT105 reports it
    ],
)
def test_unbalanced_quote(text, flagged):
    doc = Document(id="a.txt", raw=text)
    found = engine.check([doc], [RULES.by_code("MT109")]).findings
    assert [f.excerpt for f in found] == flagged


@pytest.mark.parametrize(
    "text,repeats",
    [
        ("After Pasang Jung, jung and jung are returned from the deaths of pasang jung.", 1.0),  # "pasang jung" twice
        ("The cold is not very warm in cold and warm in cold.", 2.0),  # "in cold" twice, "warm in" twice
        ("The talks in Geneva ended without an agreement on Monday.", 0.0),
    ],
)
def test_repeated_word_pairs_are_counted_case_blind(text, repeats):
    """A looping translation repeats its own phrases (MLQE-PE ne-en); the surface model reads how often."""
    from qualcheck.backends import lexicon
    from qualcheck.kinds.translation_score import surface_features

    assert surface_features(text, 0, len(text), lexicon, 3.0)["repeats"] == repeats
