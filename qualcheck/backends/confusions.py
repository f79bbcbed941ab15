"""Close alternatives of an English word, the confusion sets a language model compares a written word with.

Other inflections of the same lemma come from lemminflect (its lemma and inflection tables, no
model to load: "go" -> goes, went, gone, going; "student" -> students); function words come from
small hand-made confusion sets (articles, common prepositions, demonstratives, homophones), as in
LM-based error detection (Bryant & Briscoe 2018, "Language model based grammatical error correction
without annotated training data"). ``INSERTIONS`` are the words a learner most often leaves out.
"""

from __future__ import annotations

import functools

from qualcheck.backends import inflection

# "a" and "an" are not each other's alternatives: which one is right depends on the next word's sound,
# which a left-to-right model has not read yet (it would find "a" likelier before "agreement")
SETS = (
    ("a", "the"), ("an", "the"),
    ("in", "on", "at", "to", "for", "of", "with", "by", "from", "about", "into"),
    ("this", "these", "that", "those"),
    ("much", "many"), ("less", "fewer"), ("few", "little"),
    ("their", "there"), ("then", "than"), ("to", "too"), ("its", "it's"), ("your", "you're"),
    ("who", "which"), ("some", "any"), ("other", "others", "another"),
)
INSERTIONS = ("the", "a", "an", "to", "of", "in", "for", "is", "are", "was", "be", "have", "has", "will", "that")
_BY_WORD: dict[str, tuple[str, ...]] = {}
for _set in SETS:
    for _w in _set:
        _BY_WORD[_w] = tuple(dict.fromkeys(_BY_WORD.get(_w, ()) + tuple(x for x in _set if x != _w)))


@functools.lru_cache(maxsize=65536)
def alternatives(word: str) -> tuple[str, ...]:
    """Lower-case close alternatives of ``word`` (never the word itself): its other inflections and its confusion set."""
    w = word.lower()
    out = list(_BY_WORD.get(w, ()))
    if w not in _BY_WORD and w.isalpha():
        for lemmas in inflection.all_lemmas(w).values():
            for lemma in lemmas:
                for forms in inflection.all_inflections(lemma).values():
                    out.extend(forms)
    return tuple(x for x in dict.fromkeys(out) if x != w)
