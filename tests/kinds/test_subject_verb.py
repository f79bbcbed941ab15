"""GR205 subject-verb-agreement: the verb and its noun subject across words, on spaCy's real parse (en_core_web_sm)."""

from __future__ import annotations

import pytest

from qualcheck import ruleset
from qualcheck.context import Context, Corpus
from qualcheck.document import Document

GR205 = ruleset.load().by_code("GR205")


pytestmark = pytest.mark.usefixtures("offline_grammar")  # tests/kinds/conftest.py


def findings(text):
    doc = Document(id="d.txt", raw=text)
    return [(doc.text[f.start : f.end], f.suggestions, f.message) for f in GR205.run(doc, Context(corpus=Corpus([doc])))]


def test_rule_is_opt_in():
    assert GR205.enabled is False


@pytest.mark.parametrize(
    "text,verb,suggestion,subject",
    [
        # across a prepositional phrase whose last noun has the verb's number (seed 000's class)
        ("Refusal by the US and its allies to heed the Russian demands violate the obligations they made.", "violate", "violates", "Refusal"),
        ("The list of items are on the desk, the clerk said.", "are", "is", "list"),
        ("The results of the survey shows that most voters want a change.", "shows", "show", "results"),
        ("The price of the new houses have risen sharply this year.", "have", "has", "price"),
        ("The first election to select deputies to the parliament were held in March.", "were", "was", "election"),
        ("The student are studying the lesson in the library.", "are", "is", "student"),
    ],
)
def test_a_subject_and_verb_of_the_other_number(text, verb, suggestion, subject):
    [(excerpt, suggestions, message)] = findings(text)
    assert (excerpt, suggestions) == (verb, (suggestion,))
    assert f"'{subject}'" in message


@pytest.mark.parametrize(
    "text",
    [
        "The government have said that a number of schools are to close.",  # collective and quantity nouns
        "England are ready, and Blackburn have rejected a third bid.",  # names take either number
        "The chairman and the chief executive are to resign.",  # a coordinated subject
        "Thirty seconds is about the time it takes to take a corner.",  # a quantity
        "The minister insisted that the company pay its taxes.",  # a subjunctive
        "The news is good, and politics is a rough trade.",  # plural in form only
        "Orange Prize winner Andrea Levy has seen her book Small Island win the award.",  # object and bare verb
        "The ease of use and growth of music available on the net are the main factors.",  # likely coordinated
        "If the plan were to fail, the list of items would be long.",  # "were" after "if"
        "Where are the results of the survey?",  # the verb comes first
    ],
)
def test_what_is_not_a_slip(text):
    assert findings(text) == []


def test_a_headline_is_not_parsed():
    assert findings("Refusal of the demands violate treaty\n\nThe talks went on.") == []
