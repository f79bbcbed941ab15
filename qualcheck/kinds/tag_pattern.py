"""tag-pattern: word-form slips found by spaCy's Matcher over part-of-speech tags ("a students", "he go").

A regular expression cannot tell "a drugs company" (a plural noun used as a modifier) from "a drugs";
the tagger can. Each pattern is spaCy Matcher token patterns (LOWER, TAG, LEMMA, IN, NOT_IN, OP),
kept as data in the rule's YAML so editors can add or narrow them; ``fix`` names the token to
re-inflect for the suggestion (lemminflect) and the Penn tag it should have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from qualcheck.kinds import kind
from qualcheck.kinds.grammar import ISSUE_TYPES
from qualcheck.model import Finding, Notice, Span

PIPES_NOT_NEEDED = ("parser", "ner")  # tags and lemmas come from tok2vec, tagger, attribute_ruler, lemmatizer
# the token attributes and predicates of spaCy's Matcher (https://spacy.io/usage/rule-based-matching), checked
# when the rule loads so a typo stops the run with the file and key named; spaCy validates the rest at first use
TOKEN_KEYS = frozenset(
    "ORTH TEXT LOWER NORM LENGTH IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_UPPER IS_TITLE IS_PUNCT IS_SPACE IS_STOP "
    "IS_SENT_START SENT_START LIKE_NUM LIKE_URL LIKE_EMAIL SPACY POS TAG MORPH DEP LEMMA SHAPE ENT_TYPE ENT_IOB "
    "ENT_ID ENT_KB_ID OP _".split()
)
PREDICATES = frozenset("IN NOT_IN IS_SUBSET IS_SUPERSET INTERSECTS REGEX FUZZY == != >= <= > <".split())
VERB_PREFIXES = ("out", "over", "under", "re", "mis", "up", "fore", "with", "be")  # "outsold" is judged as "sold"


@dataclass(frozen=True, slots=True)
class TagPatternParams:
    """Named patterns: each ``{tokens: [Matcher token dicts], says: str, report: n, fix: {token: i, tag: TAG, unless: [TAGS]}}``.

    ``report``: the finding covers the first n tokens of the match (the rest only constrain the
    context); ``fix.token`` may count from the end (-1: the last token); ``fix.unless``: no finding
    when that token is also a verb form with one of these tags ("it fit": fit is its own past tense;
    "many thought": thought is a verb the tagger took for a noun).
    """

    patterns: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    types: tuple[str, ...] = ("grammar",)  # with LanguageTool running, its match of these types on the same words wins

    def __post_init__(self) -> None:
        if not self.types or any(t not in ISSUE_TYPES for t in self.types):
            raise ValueError(f"types: give some of {', '.join(ISSUE_TYPES)}")
        if not self.patterns:
            raise ValueError("patterns: give at least one named pattern")
        for name, p in self.patterns.items():
            tokens = p.get("tokens") if isinstance(p, Mapping) else None
            if not tokens or not all(isinstance(t, Mapping) for t in tokens):
                raise ValueError(f"patterns.{name}.tokens: give a list of spaCy Matcher token patterns")
            for i, token in enumerate(tokens):
                for key, value in token.items():
                    if key not in TOKEN_KEYS:
                        raise ValueError(f"patterns.{name}.tokens[{i}]: unknown spaCy Matcher attribute {key!r}")
                    bad = [k for k in value if k not in PREDICATES] if isinstance(value, Mapping) else []
                    if bad:
                        raise ValueError(f"patterns.{name}.tokens[{i}].{key}: unknown predicate {bad[0]!r} (use IN, NOT_IN, REGEX, ...)")
            if not isinstance(p.get("says", ""), str):
                raise ValueError(f"patterns.{name}.says: give the message as text")
            report = p.get("report", len(tokens))
            if not isinstance(report, int) or not 1 <= report <= len(tokens):
                raise ValueError(f"patterns.{name}.report: give how many of the {len(tokens)} tokens the finding covers")
            fix = p.get("fix")
            if fix is not None and not (isinstance(fix, Mapping) and isinstance(fix.get("token"), int) and isinstance(fix.get("tag"), str)):
                raise ValueError(f"patterns.{name}.fix: give {{token: <index>, tag: <Penn tag>}}")


def _matcher(nlp, params: TagPatternParams):
    from qualcheck.backends.nlp import PatternError, token_matcher

    try:
        return token_matcher(nlp, {name: p["tokens"] for name, p in params.patterns.items()})
    except PatternError as exc:
        raise ValueError(f"patterns.{exc.name}.tokens: {exc.reason}") from None


@kind("tag-pattern", params=TagPatternParams, names=lambda p: True)
def tag_pattern(doc, rule, ctx) -> Iterator[Finding]:
    """Tag the document once, match the rule's patterns, and report each match with a re-inflected suggestion."""
    nlp, reason = ctx.memo("tag-pattern.nlp", lambda: ctx.backend("nlp").load_nlp())
    if nlp is None:
        ctx.notice(Notice("warning", f"grammar: {rule.code} ({rule.name}) did not run: {reason}", code="engine"))
        return
    matcher = ctx.memo(f"tag-pattern.matcher\x1f{rule.code}", lambda: _matcher(nlp, rule.params))
    tagged = tagged_doc(ctx, nlp, doc)
    backend = ctx.backend("grammar").for_context(ctx)
    taken = [(i.start, i.end) for i in backend.issues(doc, rule.params.types)] if backend.languagetool else []
    seen: set[tuple[int, int]] = set()
    for match_id, a, b in matcher(tagged):
        name = nlp.vocab.strings[match_id]
        p = rule.params.patterns[name]
        span = tagged[a : a + p.get("report", b - a)]
        start, end = span.start_char, span.end_char
        if (start, end) in seen or any(x < end and start < y for x, y in taken):
            continue
        seen.add((start, end))
        if _also(tagged[a:b], p.get("fix")):
            continue
        yield rule.finding(doc, Span(start, end), says=p.get("says", name), suggestions=_suggest(span, p.get("fix")),
                           engine="spacy-matcher", data={"pattern": name})


def tagged_doc(ctx, nlp, doc):
    """The document tagged and lemmatised once for every rule that matches on tags (only the latest document is kept)."""
    cache = ctx.memo("tag-pattern.tagged", dict)
    if doc.id not in cache:
        cache.clear()
        cache[doc.id] = nlp(doc.text, disable=list(PIPES_NOT_NEEDED))
    return cache[doc.id]


def _also(match, fix: Mapping[str, Any] | None) -> bool:
    """Whether the token to fix is also a verb form of one of ``fix['unless']``'s tags (lemminflect's tables)."""
    if not fix or not fix.get("unless"):
        return False
    from qualcheck.backends import inflection

    word = match[fix["token"]].lower_
    # a prefixed verb the tables lack is judged by its stem: "outsold" is a past tense because "sold" is
    for stem in (word, *(word[len(p) :] for p in VERB_PREFIXES if word.startswith(p) and len(word) > len(p) + 2)):
        for lemma in inflection.all_lemmas(stem, upos="VERB").get("VERB", ()):
            if any(stem in (f.lower() for f in inflection.inflection(lemma, tag=tag)) for tag in fix["unless"]):
                return True
    return False


def _suggest(span, fix: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The match with one token re-inflected to ``fix['tag']`` (lemminflect), or nothing when it has no such form."""
    if not fix or not -len(span) <= fix["token"] < len(span):
        return ()
    from qualcheck.backends import inflection

    token = span[fix["token"]]
    forms = inflection.inflection(token.lemma_ or token.text, tag=fix["tag"])
    if not forms or forms[0].lower() == token.lower_:
        return ()
    form = forms[0][:1].upper() + forms[0][1:] if token.text[:1].isupper() else forms[0]
    words = [form if t.i == token.i else t.text for t in span]
    return ("".join(w + t.whitespace_ for w, t in zip(words, span)).strip(),)
