"""The verb-form checks of the grammar kind's own patterns (GR206-GR208), read from lemminflect's tables."""

from __future__ import annotations

import pytest

from qualcheck.kinds.grammar import _base_after_do, _participle_of_past


@pytest.mark.parametrize("past,participle", [("began", "begun"), ("went", "gone"), ("wrote", "written"), ("came", "come"), ("drank", "drunk")])
def test_an_irregular_past_gets_its_participle(past, participle):
    assert _participle_of_past(past) == participle


@pytest.mark.parametrize("word", ["found", "spent", "laid", "learnt", "leaned", "agreed", "rose", "saw", "broke", "begun"])
def test_participles_regular_forms_and_nouns_pass(word):
    assert _participle_of_past(word) is None


@pytest.mark.parametrize("word,base", [("went", "go"), ("agreed", "agree"), ("said", "say")])
def test_after_a_negated_do_the_base_form(word, base):
    assert _base_after_do(word) == base


@pytest.mark.parametrize("word", ["go", "need", "matter", "used", "better", "saw"])
def test_base_forms_and_other_words_pass_after_do(word):
    assert _base_after_do(word) is None


@pytest.mark.parametrize("word,ok", [("officials", True), ("analysts", True), ("news", False), ("police", False), ("data", False), ("costs", False), ("series", False)])
def test_only_plural_nouns_open_a_plural_subject(word, ok):
    from qualcheck.kinds.grammar import _plural_only

    assert (_plural_only(word) is not None) == ok


@pytest.mark.parametrize("verb,plural", [("says", "say"), ("was", "were"), ("is", "are"), ("has", "have"), ("warns", "warn")])
def test_the_verb_a_plural_subject_takes(verb, plural):
    from qualcheck.kinds.grammar import _plural_verb

    assert _plural_verb(verb) == plural
