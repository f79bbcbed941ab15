"""grammar: findings from the run's grammar engine (LanguageTool, or the offline engine)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from qualcheck import saferegex
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

ISSUE_TYPES = ("spelling", "grammar", "structure", "typography", "style")


@dataclass(frozen=True, slots=True)
class GrammarParams:
    """Which issue types of the engine this rule reports, and how strong the evidence must be.

    With ``patterns`` the rule reports its own regular-expression matches instead (a/an, agreement
    slips that must be checked offline too), except where LanguageTool already reports an issue of
    ``types`` on the same words: one error, one finding.
    """

    types: tuple[str, ...]
    min_weight: float = 1.0  # offline structure: words a parse had to leave out
    patterns: tuple[str, ...] = ()
    ignorecase: bool = False
    # spelling: a word the dictionary lacks is still English when wordfreq knows it this well (0: off) ...
    common_min_zipf: float = 0.0
    common_margin: float = 1.5  # ... and no spelling one edit away (or suggested) is this much commoner
    glue_words: tuple[str, ...] = ()  # "everytime", "infact": two words glued, one of them in this list
    yield_to: tuple[str, ...] = ()  # codes of other families' rules that own an error both flag (MT103)

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in ISSUE_TYPES]
        if not self.types or unknown:
            raise ValueError(f"types: give some of {', '.join(ISSUE_TYPES)} (got {', '.join(unknown) or 'none'})")


def compile_patterns(params: GrammarParams) -> saferegex.GuardedPattern | None:
    if not params.patterns:
        return None
    try:
        return saferegex.compile("|".join(f"(?:{p})" for p in params.patterns), re.I if params.ignorecase else 0)
    except re.error as exc:
        raise ValueError(f"patterns: invalid regular expression: {exc}") from None


@kind("grammar", params=GrammarParams, prepare=compile_patterns, names=lambda p: True)
def grammar(doc, rule, ctx) -> Iterator[Finding]:
    """Report the engine's issues of the rule's types, keeping the engine's rule id and replacements."""
    backend = ctx.backend("grammar").for_context(ctx)
    if rule.prepared is not None:
        yield from _patterns(doc, rule, backend)
        return
    p = rule.params
    glue = frozenset(p.glue_words)
    for issue in backend.issues(doc, p.types):
        if issue.weight < p.min_weight:
            continue
        if issue.type == "spelling" and p.common_min_zipf and backend.common_word(doc.text[issue.start : issue.end], p.common_min_zipf, p.common_margin, glue):
            continue
        yield rule.finding(
            doc,
            Span(issue.start, issue.end),
            suggestions=backend.suggest(issue, doc.text),
            origin=issue.origin,
            engine=issue.engine,
            detail=issue.message.rstrip(". "),
            data={"weight": issue.weight} if issue.type == "structure" else {},
        )


def _patterns(doc, rule, backend) -> Iterator[Finding]:
    """The rule's own pattern matches (the group ``flag`` when a pattern names one). A word in a named
    group counts only when the group's reader (``_GROUP_FIXES``) accepts it: ``vbz`` a verb's third-person
    singular and no base form ("could means" yes, "could miss" no: lemminflect's tables), whose base form
    is suggested; ``past``, ``form``, ``plural`` and ``agree`` likewise (GR207, GR208, GR210)."""
    # LanguageTool finds these too (EN_A_VS_AN, agreement rules): its match on the same words wins
    taken = [(i.start, i.end) for i in backend.issues(doc, rule.params.types)] if backend.languagetool else []
    for match in rule.prepared.finditer(doc.text):
        # a pattern may name the part to flag (?P<flag>...): the rest is context it needs ("Officials
        # says" after the full stop that makes it a sentence's start)
        a, b = match.span("flag") if "flag" in match.re.groupindex and match.start("flag") >= 0 else match.span()
        if any(x < b and a < y for x, y in taken):
            continue
        suggestions: tuple[str, ...] = ()
        groups = match.groupdict()
        if groups.get("plural") and groups["plural"][:1].isupper() and _capitalised_mid_sentence(doc.text, groups["plural"]):
            continue  # "Angels is": the document writes it capitalised mid-sentence too (a title, a name)
        for group, fix in _GROUP_FIXES:
            if groups.get(group):
                right = fix(match.group(group))
                if right is None:
                    break
                if right != match.group(group):
                    v0, v1 = match.span(group)
                    suggestions = (doc.text[a:v0] + right + doc.text[v1:b],)
        else:
            yield rule.finding(doc, Span(a, b), engine="patterns", suggestions=suggestions)


def _capitalised_mid_sentence(text: str, word: str) -> bool:
    """Whether ``text`` writes ``word`` capitalised after a lower-case word or a comma: a name there."""
    return re.search(rf"[a-z,][ \t]+{re.escape(word)}\b", text) is not None


@functools.lru_cache(maxsize=50_000)  # the same words come back in every article
def _only_a_verb(word: str) -> bool:
    """No noun or adjective reading ("had rose petals", "was broke"): lemminflect's tables."""
    from qualcheck.backends import inflection

    return not inflection.all_lemmas(word, upos="NOUN") and not inflection.all_lemmas(word, upos="ADJ")


@functools.lru_cache(maxsize=50_000)  # the same words come back in every article
def _participle_of_past(word: str) -> str | None:
    """The past participle when ``word`` is only an irregular verb's past tense, never a participle, a
    base form, a noun or an adjective ("began" -> "begun", "went" -> "gone", "came" -> "come"; "found",
    "saw", "laid", "spent" pass), else None."""
    from qualcheck.backends import inflection

    low = word.lower()
    if (low != word and not word.istitle()) or not _only_a_verb(low):
        return None
    lemmas = inflection.all_lemmas(low, upos="VERB").get("VERB", ())
    if any(low in inflection.inflection(lemma, "VBN") or low in inflection.inflection(lemma, "VB") for lemma in lemmas):
        return None
    if low.endswith("ed"):
        return None  # a regular past tense is its participle too ("leaned"; lemminflect may list only "leant")
    for lemma in lemmas:
        if low in inflection.inflection(lemma, "VBD"):
            participles = inflection.inflection(lemma, "VBN")
            if participles and participles[0] != low and not participles[0].endswith("ed"):
                return participles[0]  # not "learnt" -> "learned": British and American participles alike
    return None


@functools.lru_cache(maxsize=50_000)  # the same words come back in every article
def _base_after_do(word: str) -> str | None:
    """The base form when ``word`` is a verb's past tense, past participle or third-person form and
    no base form ("did not went" -> "go", "does not agrees" -> "agree"), else None."""
    from qualcheck.backends import inflection

    low = word.lower()
    if low != word or not _only_a_verb(low):
        return None
    lemmas = inflection.all_lemmas(low, upos="VERB").get("VERB", ())
    if not lemmas or any(low in inflection.inflection(lemma, "VB") for lemma in lemmas):
        return None
    for lemma in lemmas:
        if any(low in inflection.inflection(lemma, tag) for tag in ("VBD", "VBN", "VBZ")):
            return lemma
    return None


_PLURAL_OF_SINGULAR_VERBS = {"is": "are", "was": "were", "has": "have", "does": "do"}


@functools.lru_cache(maxsize=50_000)  # the same words come back in every article
def _plural_only(word: str) -> str | None:
    """``word`` when it is only a plural noun ("officials", "analysts"), never a singular or mass noun
    ("news", "series", "police", "data") nor a verb ("costs", "reports"), else None."""
    from qualcheck.backends import inflection

    low = word.lower()
    nouns = inflection.all_lemmas(low, upos="NOUN").get("NOUN", ())
    if not nouns or inflection.all_lemmas(low, upos="VERB") or any(low in inflection.inflection(n, "NN") for n in nouns):
        return None
    return word if any(low in inflection.inflection(n, "NNS") for n in nouns) else None


def _plural_verb(word: str) -> str | None:
    """The verb a plural subject takes for a singular one ("says" -> "say", "was" -> "were"), else None."""
    return _PLURAL_OF_SINGULAR_VERBS.get(word) or _base_of_third_person(word)


@functools.lru_cache(maxsize=50_000)  # the same words come back in every article
def _base_of_third_person(word: str) -> str | None:
    """The base form when ``word`` is only a verb's third-person singular ("means" -> "mean"), else None."""
    from qualcheck.backends import inflection

    low = word.lower()
    for lemma in inflection.all_lemmas(low, upos="VERB").get("VERB", ()):
        if low != lemma and low in inflection.inflection(lemma, "VBZ") and low not in inflection.inflection(lemma, "VB"):
            return lemma
    return None


# named groups of a pattern and what each asks of its word: None drops the match; another word is the suggestion
_GROUP_FIXES = (
    ("vbz", _base_of_third_person),
    ("past", _participle_of_past),
    ("form", _base_after_do),
    ("plural", _plural_only),
    ("agree", _plural_verb),
)
