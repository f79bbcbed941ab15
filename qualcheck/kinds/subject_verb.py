"""subject-verb: a noun subject and its present-tense verb of the other number, found on spaCy's parse.

A word pattern sees only the words next to the verb, and across a prepositional phrase those are
the wrong ones: in "Refusal by the US and its allies to heed the Russian demands violate ..." the
nearest noun, "demands", agrees with "violate"; the subject, "Refusal", does not. The dependency
parse links the verb to its subject wherever it stands. Only common nouns are judged (a team or
country named as subject takes either number in British English: "England are"), and the rule's
YAML lists the nouns that take either number ("the government have", "a number of ... are").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import kind
from qualcheck.kinds.grammar import ISSUE_TYPES
from qualcheck.model import Finding, Notice, Span

PIPES_NOT_NEEDED = ("ner",)  # tags, the parse and lemmas
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?:;\"'”’)…]\s*$")


@dataclass(frozen=True, slots=True)
class SubjectVerbParams:
    """Vocabularies (lower-case) that excuse a mismatch; see the rule's YAML for why each is there."""

    either_number: tuple[str, ...] = ()  # singular nouns that may take a plural verb: government, majority, percent
    singular_plurals: tuple[str, ...] = ()  # plural-looking nouns that take a singular verb: news, series, politics
    subjunctive_after: tuple[str, ...] = ()  # lemmas whose that-clause may hold a bare subjunctive: demand, insist
    bare_infinitive_after: tuple[str, ...] = ()  # lemmas followed by object + bare verb: see, let, make
    types: tuple[str, ...] = ("grammar",)  # with LanguageTool running, its grammar match on the same words wins

    def __post_init__(self) -> None:
        if not self.types or any(t not in ISSUE_TYPES for t in self.types):
            raise ValueError(f"types: give some of {', '.join(ISSUE_TYPES)}")
        for name in ("either_number", "singular_plurals", "subjunctive_after", "bare_infinitive_after"):
            words = getattr(self, name)
            if any(not isinstance(w, str) or w != w.lower() for w in words):
                raise ValueError(f"{name.replace('_', '-')}: give lower-case words")


@dataclass(frozen=True)
class _Prepared:
    either_number: frozenset[str]
    singular_plurals: frozenset[str]
    subjunctive_after: frozenset[str]
    bare_infinitive_after: frozenset[str]


def _prepare(p: SubjectVerbParams) -> _Prepared:
    return _Prepared(*(frozenset(getattr(p, n)) for n in ("either_number", "singular_plurals", "subjunctive_after", "bare_infinitive_after")))


@kind("subject-verb", params=SubjectVerbParams, prepare=_prepare, names=lambda p: True)
def subject_verb(doc, rule, ctx) -> Iterator[Finding]:
    """Parse each body paragraph once and report finite present-tense verbs whose noun subject has the other number."""
    nlp, reason = ctx.memo("tag-pattern.nlp", lambda: ctx.backend("nlp").load_nlp())
    if nlp is None:
        ctx.notice(Notice("warning", f"grammar: {rule.code} ({rule.name}) did not run: {reason}", code="engine"))
        return
    backend = ctx.backend("grammar").for_context(ctx)
    taken = [(i.start, i.end) for i in backend.issues(doc, rule.params.types)] if backend.languagetool else []
    for offset, parsed in parsed_paragraphs(ctx, nlp, doc):
        for subject, verb, wanted in mismatches(parsed, rule.prepared):
            start, end = offset + verb.idx, offset + verb.idx + len(verb.text)
            if any(x < end and start < y for x, y in taken):
                continue
            number = "singular" if subject.tag_ == "NN" else "plural"
            yield rule.finding(doc, Span(start, end), subject=subject.text, number=number,
                               suggestions=_reinflect(verb, wanted), engine="spacy-parser",
                               data={"subject": subject.text})


def parsed_paragraphs(ctx, nlp, doc) -> list[tuple[int, object]]:
    """(offset, parsed paragraph) for each body paragraph that reads as prose, parsed once per document.

    Headlines are left out: they drop articles and verbs by design and are not where this slip shows.
    """
    cache = ctx.memo("subject-verb.parsed", dict)
    if doc.id not in cache:
        cache.clear()
        paras = [p for p in doc.body_paragraphs if "\n" in doc.text[p.start : p.end] or _ENDS_LIKE_SENTENCE.search(doc.text[p.start : p.end])]
        texts = [doc.text[p.start : p.end] for p in paras]
        cache[doc.id] = [(p.start, parsed) for p, parsed in zip(paras, nlp.pipe(texts, disable=list(PIPES_NOT_NEEDED)))]
    return cache[doc.id]


def mismatches(parsed, prep: _Prepared) -> Iterator[tuple[object, object, str]]:
    """(subject, finite verb, the tag the verb should have) for each noun subject whose verb has the other number.

    The small parser misreads some sentences in ways that look like this slip; each guard below
    drops one such reading (measured on the BBC tuning half, docs/grammar.md).
    """
    for subject in parsed:
        if subject.dep_ not in ("nsubj", "nsubjpass") or subject.tag_ not in ("NN", "NNS"):
            continue  # names ("England are"), pronouns (GR202, GR203) and clauses are not judged
        verb = _finite(subject.head)
        if verb is None or verb.i < subject.i or verb.lower_ in ("'s", "’s"):
            continue
        number = _number(verb)
        singular = subject.tag_ == "NN"
        if number is None or singular == (number == "singular"):
            continue  # not a verb that shows number, or they agree
        word = subject.lower_
        if singular:
            if word in prep.either_number or subject.lemma_.lower() in prep.either_number or _subjunctive(verb, subject.head, prep):
                continue
        elif word in prep.singular_plurals or not word.endswith("s"):
            continue  # "news is", "politics is"; an irregular plural the tagger may have misread ("data")
        if _misread(subject, verb, prep):
            continue
        yield subject, verb, ("VBZ" if verb.tag_ == "VBP" else "VBD") if singular else ("VBP" if verb.tag_ == "VBZ" else "VBD")


def _number(verb) -> str | None:
    """"singular" or "plural" for a verb form that shows number (present tense, was/were), else None."""
    if verb.tag_ == "VBZ":
        return "singular"
    if verb.tag_ == "VBP":
        return "plural"
    if verb.tag_ == "VBD" and verb.lower_ in _WAS_WERE:
        return _WAS_WERE[verb.lower_]
    return None


_SUBORDINATORS = frozenset("as while when whereas because if although though since after before until unless whether".split())
_WAS_WERE = {"was": "singular", "wasn't": "singular", "were": "plural", "weren't": "plural"}


def _misread(subject, verb, prep: _Prepared) -> bool:
    """Whether the parse more likely went wrong than the writer."""
    from qualcheck.backends import inflection

    children = list(subject.children)
    deps = {c.dep_ for c in children}
    doc = subject.doc
    if verb.tag_ == "VBZ" and not verb.lower_.endswith("s") or verb.lower_ in ("am", "'m", "’m"):
        return True  # not an -s form at all ("Exports ... leapt"), or a title with "I'm" in it
    if subject.i > 0 and doc[subject.i - 1].tag_ == "HYPH" or any(ch.isdigit() for c in (subject, *children) for ch in c.text):
        return True  # part of a compound: "the runners-up", "the 60m hurdles"
    if deps & {"case"}:
        return True  # a possessive is no subject: "the game maker's allow you" (a misplaced apostrophe)
    if subject.i + 2 < len(doc) and doc[subject.i + 1].tag_ == "VBG" and doc[subject.i + 2].tag_ in ("NN", "NNS"):
        return True  # a compound read as a clause: "Hospital waiting times ... are"
    if subject.tag_ == "NNS" and any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == subject.i - 1 for c in children) \
            and inflection.all_lemmas(subject.lower_, upos="VERB"):
        return True  # a name and its verb: "which Yukos claims was illegally sold"
    nxt = doc[verb.i + 1 : verb.i + 3]
    if verb.tag_ == "VBZ" and len(nxt) == 2 and nxt[0].lower_ in ("and", "or") and nxt[1].tag_ in ("NNS", "VBZ"):
        return True  # two nouns: "our users wants and needs"
    if deps & {"conj", "preconj", "nummod", "quantmod", "appos"} or any(c.tag_ == "CD" for c in children):
        return True  # "the chairman and the chief executive are", "both ... and", "thirty seconds is"
    if any(t.dep_ in ("cc", "conj") for c in subject.lefts for t in c.subtree):
        return True  # "the touch screen and voice recognition are": the parser made one noun of two
    if any(c.dep_ == "prep" and any(o.lower_ == subject.lower_ for o in c.children) for c in children):
        return True  # an adverbial: "step by step have become closer"
    between = subject.doc[subject.i + 1 : verb.i]
    if any(t.is_punct and t.text not in ("-", "–", "'", "’") for t in between):
        return True  # an aside or a quotation sits between them: "might, he suggests, lead"; 'read:"We want'
    if any(t.dep_ == "mark" or t.lower_ in _SUBORDINATORS for t in between):
        return True  # a clause of its own sits between: "a journey not without mishaps as a succession of ... were"
    if any(t.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for t in between) or sum(c.dep_ == "nsubj" for c in verb.children) > 1:
        return True  # another clause's subject comes first: "the site people turn to", "every time you go"
    if verb.text[:1].isupper() and not verb.is_sent_start:
        return True  # a title: "the comedy Are We There Yet?"
    clause = verb.head if verb.dep_ == "aux" else verb
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head  # "let a machine connect and a worker get on"
    if clause.dep_ in ("ccomp", "xcomp", "advcl") and clause.head.lemma_.lower() in prep.bare_infinitive_after:
        return True  # "has seen her book win", "let a worker get on"
    first = next((t for t in subject.sent if not t.is_punct), subject)
    if not subject.text.islower() and (subject.text.isupper() or subject.i != first.i or not deps & {"det", "poss", "prep", "acl", "relcl", "amod"}):
        return True  # a name the tagger took for a noun: "Blackburn have", "Apple offer", "Desperate Housewives stars"
    if not inflection.all_lemmas(subject.lower_, upos="NOUN") and subject.lower_ not in prep.either_number:
        return True  # not a noun at all: "might", "outplays"
    if not inflection.all_lemmas(verb.lower_, upos="VERB") and not inflection.all_lemmas(verb.lower_, upos="AUX"):
        return True  # not a verb at all: "the album gong"
    if subject.tag_ == "NNS" and not deps & {"det", "poss"} and any(c.i < subject.i and (c.tag_ == "VBG" or c.lower_.endswith("ing")) for c in children):
        return True  # a gerund phrase: "marketing films to the members ... has"
    if verb.i == subject.i + 1 and subject.tag_ == "NN" and inflection.all_lemmas(verb.lower_, upos="NOUN"):
        return True  # a compound the tagger split: "my ankle turn"
    if subject.tag_ == "NN" and _coordinated_before(subject, verb):
        return True  # the parser likely missed that the subject is coordinated: "the ease of use and growth ... are"
    return False


def _coordinated_before(subject, verb) -> bool:
    """Whether a coordinated noun stands between subject and verb with nothing of the subject's own after it.

    "Refusal by the US and its allies to heed ... violate": "to heed" belongs to "Refusal", so the
    coordination sits inside a modifier and the subject is singular. "The ease of use and growth of
    music ... are": nothing after "growth" belongs to "ease"; the parser may have put the "and" in
    the wrong place, so the rule stays silent.
    """
    doc = subject.doc
    for t in doc[subject.i + 1 : verb.i]:
        if t.dep_ != "conj" or t.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        end = max(x.i for x in t.subtree)
        if not any(u.head.i == subject.i for u in doc[end + 1 : verb.i]):
            return True
    return False


def _finite(head):
    """The verb that carries tense for ``head``: its first auxiliary ("have" in "have said"), else itself."""
    auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i < head.i]
    first = min(auxes, key=lambda t: t.i) if auxes else head
    if first.tag_ == "MD" or first.lower_ == "to":
        return None
    return first


def _subjunctive(finite, verb, prep: _Prepared) -> bool:
    """Whether the clause may be a subjunctive: a that-clause of demand ("insisted that the company pay"),
    or "were" after if, as if, though, wish ("if the plan were to fail")."""
    while verb.dep_ in ("conj",):
        verb = verb.head
    if finite.lower_ in ("were", "weren't"):
        before = {t.lower_ for t in finite.sent if t.i < finite.i}
        return bool(before & {"if", "unless", "though", "whether", "wish", "wished", "suppose", "imagine"})
    return verb.dep_ in ("ccomp", "advcl", "acl") and verb.head.lemma_.lower() in prep.subjunctive_after


def _reinflect(verb, tag: str) -> tuple[str, ...]:
    """The verb in the other number (lemminflect): "violate" -> "violates", "are" -> "is"."""
    from qualcheck.backends import inflection

    special = {("are", "VBZ"): "is", ("is", "VBP"): "are", ("'re", "VBZ"): "'s", ("was", "VBD"): "were", ("were", "VBD"): "was",
               ("wasn't", "VBD"): "weren't", ("weren't", "VBD"): "wasn't"}
    form = special.get((verb.lower_, tag))
    if form is None:
        forms = inflection.inflection(verb.lemma_.lower() or verb.lower_, tag=tag)
        if not forms or forms[0].lower() == verb.lower_:
            return ()
        form = forms[0]
    return (form[:1].upper() + form[1:] if verb.text[:1].isupper() else form,)
