"""GR203 word-form: spaCy Matcher patterns over real tags (en_core_web_sm), suggestions from lemminflect."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qualcheck import engine, ruleset
from qualcheck.config import Settings
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.kinds.tag_pattern import TagPatternParams

RULES = ruleset.load()
GR203 = RULES.by_code("GR203")


pytestmark = pytest.mark.usefixtures("offline_grammar")  # tests/kinds/conftest.py


def findings(text):
    doc = Document(id="d.txt", raw=text)
    return [(doc.text[f.start : f.end], f.suggestions) for f in GR203.run(doc, Context(corpus=Corpus([doc])))]


@pytest.mark.parametrize(
    "text,excerpt,suggestion",
    [
        ("Every students in the class passed.", "Every students", "Every student"),
        ("Many student think the exam was hard.", "Many student", "Many students"),
        ("He go to school every day.", "He go", "He goes"),
        ("They goes to the market on Sundays.", "They goes", "They go"),
        ("Prices will increases next year.", "will increases", "will increase"),
        ("She did not went to the meeting.", "did not went", "did not go"),
    ],
)
def test_a_slip_is_flagged_with_the_re_inflected_word(text, excerpt, suggestion):
    assert findings(text) == [(excerpt, (suggestion,))]


@pytest.mark.parametrize(
    "text",
    [
        "A drugs company and an awards ceremony were in the news.",  # a plural noun as a modifier
        "Both music and film were covered.",
        "Many thought the deal was dead, and many act as if it were.",  # verbs the tagger may take for nouns
        "It fit the pattern, and it outsold its rivals last year.",  # past tenses identical to the present
        "May has said she will stay, and the news was good.",  # the month or a name, not the modal
        "It are the details that matter, they was told.",  # GR202's: one error, one finding
    ],
)
def test_what_is_not_a_slip(text):
    assert findings(text) == []


def test_findings_are_evidence_for_the_grammar_score():
    report = engine.check([Document(id="d.txt", raw="Intro.\n\nHe go to school every day because many student like it.\n")],
                          RULES.select(["GR203", "GR900"]), Settings())
    (doc,) = report.documents
    (sentence,) = [s for s in doc.grammar_sentences if "He go" in doc.text[s["start"] : s["end"]]]
    assert sentence["features"]["GR203"] == 2


@pytest.mark.parametrize(
    "patterns,error",
    [
        ({}, "patterns: give at least one"),
        ({"x": {"tokens": []}}, "patterns.x.tokens"),
        ({"x": {"tokens": [{"LOWER": "a"}], "fix": {"token": "1"}}}, "patterns.x.fix"),
        ({"x": {"tokens": [{"LOWER": "a"}], "report": 3}}, "patterns.x.report"),
        ({"x": {"tokens": [{"LOWER": "a"}]}, "types": ("grammer",)}, "types: give some of"),
        ({"x": {"tokens": [{"LOWR": "a"}]}}, r"patterns.x.tokens\[0\]: unknown spaCy Matcher attribute 'LOWR'"),
        ({"x": {"tokens": [{"LOWER": {"IS_IN": ["a"]}}]}}, r"patterns.x.tokens\[0\].LOWER: unknown predicate 'IS_IN'"),
    ],
)
def test_params_are_validated(patterns, error):
    types = patterns.pop("types", ("grammar",))
    with pytest.raises(ValueError, match=error):
        TagPatternParams(patterns=patterns, types=types)


def test_a_broken_pattern_in_a_rule_file_stops_the_load_naming_file_and_key(tmp_path):
    folder = tmp_path / "house" / "grammar"
    folder.mkdir(parents=True)
    text = (Path(ruleset.__file__).parent.parent / "rules" / "grammar" / "GR203-word-form.yaml").read_text(encoding="utf-8")
    (folder / "GR903-word-form-house.yaml").write_text(
        text.replace("code: GR203", "code: GR903").replace("name: word-form", "name: word-form-house").replace("TAG: MD", "TAGG: MD"),
        encoding="utf-8",
    )
    with pytest.raises(ruleset.RuleFileError, match=r"GR903-word-form-house.yaml.*unknown spaCy Matcher attribute 'TAGG'"):
        ruleset.load([tmp_path / "house"])


def test_a_pattern_spacy_rejects_at_first_use_names_itself():
    bad = dataclasses.replace(GR203, params=TagPatternParams(patterns={"broken": {"tokens": [{"LENGTH": "long"}]}}))
    doc = Document(id="d.txt", raw="He go home.")
    with pytest.raises(ValueError, match="patterns.broken.tokens"):
        list(bad.run(doc, Context(corpus=Corpus([doc]))))
