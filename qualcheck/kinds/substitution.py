"""substitution: a swap map of wrong phrase -> right phrase (calques, literal translations, terms).

Editors keep two kinds of entries in the rule's YAML:

- ``swap``: each key a regular expression matched on word boundaries, each value the suggested
  replacement (``\\1``-style groups allowed): for fixed strings ("in the frames of").
- ``calques``: patterns over lemmas and slots, for phrases whose words inflect and whose middle varies:
  ``match: "drag {NP} along in war"`` catches "dragged his country along in war" as well as "drag
  Russia along in war". Words match by lemma ("drag" = dragged, drags), ``=word`` by exact form,
  ``a|b|c`` any of these lemmas (captured as ``{1}``, ``{2}``... in order), ``word?`` is optional, and
  slots are ``{NP}`` (a noun phrase: "Russia", "his country", "the whole region", "them"),
  ``{WORD}`` (any one word) and ``{NUM}`` (a number). ``say`` builds the suggestion from the slots,
  the captured words and literal words; a literal word that is also a word of ``match`` keeps the
  form found in the text ("dragged ... into war"), and ``^word`` takes the form of the match's first
  word ("made a conclusion" -> "^draw a conclusion" -> "drew a conclusion"). The patterns run on spaCy's tags and lemmas (a
  notice says so when spaCy is missing; ``swap`` still runs).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from qualcheck import saferegex
from qualcheck.kinds import kind
from qualcheck.kinds.tag_pattern import PIPES_NOT_NEEDED
from qualcheck.model import Finding, Notice, Span

_NP_HEAD = {"POS": {"IN": ["NOUN", "PROPN", "PRON"]}}
SLOTS: dict[str, list[dict[str, Any]]] = {
    # determiner or possessive, modifiers, then the head: "Russia", "his country", "the whole eastern region"
    "NP": [{"POS": {"IN": ["DET", "PRON"]}, "OP": "?"}, {"POS": {"IN": ["ADJ", "NUM", "NOUN", "PROPN"]}, "OP": "*"}, _NP_HEAD],
    "WORD": [{"IS_ALPHA": True}],
    "NUM": [{"LIKE_NUM": True}],
}
_SLOT = re.compile(r"\{([A-Z]+|\d+)\}")


@dataclass(frozen=True)
class _Element:
    """One element of a calque's ``match``: a literal lemma/form, a captured alternation, or a slot."""

    kind: str  # "word" | "group" | "slot"
    value: str  # the lemma or form, "a|b" for a group, the slot name
    tokens: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Calque:
    name: str
    elements: tuple[_Element, ...]
    say: str

    @property
    def tokens(self) -> list[dict[str, Any]]:
        return [t for e in self.elements for t in e.tokens]


def parse_calque(name: str, entry: Any) -> Calque:
    """Turn one ``calques`` entry into matcher elements, naming the entry in any error."""
    if not isinstance(entry, Mapping) or not isinstance(entry.get("match"), str) or not isinstance(entry.get("say"), str):
        raise ValueError(f"calques.{name}: give {{match: '<pattern>', say: '<replacement>'}}")
    elements = []
    groups = 0
    for word in entry["match"].split():
        optional = word.endswith("?") and len(word) > 1
        word = word.rstrip("?") if optional else word
        op = {"OP": "?"} if optional else {}
        if m := re.fullmatch(r"\{([A-Z]+)\}", word):
            if m.group(1) not in SLOTS:
                raise ValueError(f"calques.{name}.match: unknown slot {word} (use {', '.join('{' + s + '}' for s in SLOTS)})")
            tokens = [dict(t) for t in SLOTS[m.group(1)]]
            if optional:  # every token of an optional slot may be absent
                tokens = [{**t, "OP": "?"} if t.get("OP") not in ("*", "?") else t for t in tokens]
            elements.append(_Element("slot", m.group(1), tuple(tokens)))
        elif "|" in word:
            groups += 1
            options = [w.lower() for w in word.split("|") if w]
            elements.append(_Element("group", word.lower(), ({"LEMMA": {"IN": options + [o.capitalize() for o in options]}, **op},)))
        elif word.startswith("="):
            elements.append(_Element("word", word[1:].lower(), ({"LOWER": word[1:].lower(), **op},)))
        elif re.fullmatch(r"[\w’'-]+", word):
            elements.append(_Element("word", word.lower(), ({"LEMMA": {"IN": [word.lower(), word.capitalize()]}, **op},)))
        else:
            raise ValueError(f"calques.{name}.match: cannot read {word!r} (a word, =form, a|b, word?, or a slot)")
    if not elements:
        raise ValueError(f"calques.{name}.match: give at least one word")
    for ref in _SLOT.findall(entry["say"]):
        if ref.isdigit() and not 1 <= int(ref) <= groups:
            raise ValueError(f"calques.{name}.say: {{{ref}}} names no a|b group of match")
        if not ref.isdigit() and not any(e.kind == "slot" and e.value == ref for e in elements):
            raise ValueError(f"calques.{name}.say: {{{ref}}} is not a slot of match")
    return Calque(name, tuple(elements), entry["say"])


@dataclass(frozen=True, slots=True)
class SubstitutionParams:
    """``swap`` maps a pattern to its suggested replacement; ``calques`` are lemma-and-slot patterns (see above)."""

    swap: dict[str, str] = field(default_factory=dict)
    calques: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    ignorecase: bool = True
    weight: float = 1.0  # contribution to the sentence garble score (translation rules only)

    def __post_init__(self) -> None:
        if not self.swap and not self.calques:
            raise ValueError("swap: give at least one 'pattern: replacement' pair (or calques)")
        for name, entry in self.calques.items():
            parse_calque(name, entry)


@dataclass(frozen=True)
class _Prepared:
    swaps: list[tuple[saferegex.GuardedPattern, str]]
    calques: dict[str, Calque]

    @functools.cached_property
    def needed(self) -> tuple[list[frozenset[str]], ...]:
        """Per calque, the words the text must contain (see _may_match); built at first use, not at rule load."""
        from qualcheck.backends import inflection

        lemmas = [w for c in self.calques.values() for e in _required(c)
                  if not (e.kind == "word" and e.tokens[0].get("LOWER")) for w in e.value.split("|") if w]
        forms = inflection.forms(lemmas)
        return tuple(_needed(c, forms) for c in self.calques.values())


def _compile(p: SubstitutionParams) -> _Prepared:
    flags = re.I if p.ignorecase else 0
    out = []
    for pattern, replacement in p.swap.items():
        try:
            out.append((saferegex.compile(rf"(?<![\w’'-])(?:{pattern})(?![\w’'-])", flags), str(replacement)))
        except re.error as exc:
            raise ValueError(f"swap: invalid regular expression {pattern!r}: {exc}") from None
    return _Prepared(out, {name: parse_calque(name, entry) for name, entry in p.calques.items()})


def _keep_case(found: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if found[:1].isupper() and replacement else replacement


@kind("substitution", params=SubstitutionParams, prepare=_compile)
def substitution(doc, rule, ctx) -> Iterator[Finding]:
    """Flag every phrase of the swap map and every calque pattern, and suggest the replacement."""
    seen: list[Span] = []
    for pattern, replacement in rule.prepared.swaps:
        for m in pattern.finditer(doc.text):
            span = Span(*m.span())
            seen.append(span)
            suggestion = _keep_case(m.group(0), m.expand(replacement))
            yield rule.finding(doc, span, replacement=suggestion, suggestions=(suggestion,))
    if rule.prepared.calques and _may_match(doc.text, rule.prepared.needed):
        for span, suggestion, name in _calques(doc, rule, ctx):
            if any(s.start < span.end and span.start < s.end for s in seen):
                continue  # a swap already says it
            seen.append(span)
            yield rule.finding(doc, span, replacement=suggestion, suggestions=(suggestion,), data={"calque": name})


_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _required(calque: Calque) -> list[_Element]:
    """The elements a match cannot do without: no slots, nothing optional."""
    return [e for e in calque.elements if e.kind != "slot" and not any(t.get("OP") == "?" for t in e.tokens)]


def _needed(calque: Calque, forms: Mapping[str, frozenset[str]]) -> list[frozenset[str]]:
    """For each required literal element, the words one of which the text must contain (``forms``: each
    lemma's written forms, lower-case)."""
    out = []
    for e in _required(calque):
        if e.kind == "word" and e.tokens[0].get("LOWER"):
            out.append(frozenset({e.value}))
        else:
            out.append(frozenset().union(*(forms[w.lower()] for w in e.value.split("|") if w)))
    return out


def _may_match(text: str, needed: tuple[list[frozenset[str]], ...]) -> bool:
    """Whether any calque's literal words all occur in ``text`` in some form: when none can match, the
    document is not tagged at all (tagging loads spaCy, about two seconds a run), and of a document
    only the sentences that may match are tagged."""
    words = {w.lower().replace("’", "'") for w in _WORDS.findall(text)}
    return any(all(forms & words for forms in calque) for calque in needed)


def _calques(doc, rule, ctx) -> Iterator[tuple[Span, str, str]]:
    """Calque matches, tagging only the sentences whose words could complete a pattern: a calque never
    crosses a sentence, and tagging whole articles for a few candidate sentences was most of MT201's time."""
    nlp, reason = ctx.memo("tag-pattern.nlp", lambda: ctx.backend("nlp").load_nlp())
    if nlp is None:
        ctx.notice(Notice("warning", f"translation: {rule.code} ({rule.name}) checked its swap list only, not its calque patterns: {reason}", code="engine"))
        return
    matcher = ctx.memo(f"substitution.matcher\x1f{rule.code}", lambda: _matcher(nlp, rule.prepared.calques))
    candidates = [s for s in doc.sentences if _may_match(doc.text[s.start : s.end], rule.prepared.needed)]
    texts = (doc.text[s.start : s.end] for s in candidates)
    for sentence, tagged in zip(candidates, nlp.pipe(texts, disable=list(PIPES_NOT_NEEDED))):
        for match_id, a, b, alignment in matcher(tagged, with_alignments=True):
            name = nlp.vocab.strings[match_id]
            calque = rule.prepared.calques[name]
            owner = [i for i, e in enumerate(calque.elements) for _ in e.tokens]  # matcher token -> element
            parts: dict[int, list] = {}
            for token, k in zip(tagged[a:b], alignment):
                parts.setdefault(owner[k], []).append(token)
            span = tagged[a:b]
            found = Span(sentence.start + span.start_char, sentence.start + span.end_char)
            yield found, _keep_case(span.text, _say(calque, parts)), name


def _matcher(nlp, calques: Mapping[str, Calque]):
    from qualcheck.backends.nlp import token_matcher

    return token_matcher(nlp, {name: calque.tokens for name, calque in calques.items()}, greedy="LONGEST")


def _say(calque: Calque, parts: Mapping[int, list]) -> str:
    """The replacement: slots and groups filled from the match, literal words of ``match`` in their found form."""
    text_of = {i: "".join(t.text_with_ws for t in toks).strip() for i, toks in parts.items()}
    slots = {e.value: text_of.get(i, "") for i, e in enumerate(calque.elements) if e.kind == "slot"}
    groups = [text_of.get(i, "") for i, e in enumerate(calque.elements) if e.kind == "group"]
    words = {e.value: text_of[i] for i, e in enumerate(calque.elements) if e.kind == "word" and i in text_of}
    first = next((toks[0] for i, toks in sorted(parts.items()) if toks), None)
    out = []
    for piece in calque.say.split():
        m = _SLOT.fullmatch(piece)
        if m:
            ref = m.group(1)
            out.append(groups[int(ref) - 1] if ref.isdigit() else slots.get(ref, ""))
        elif piece.startswith("^") and len(piece) > 1:
            out.append(_inflect_like(piece[1:], first))
        else:
            found = words.get(piece.lower())
            out.append(found[:1].lower() + found[1:] if found and found[1:].islower() else (found or piece))
    return " ".join(w for w in out if w)


def _inflect_like(lemma: str, token) -> str:
    """``lemma`` in the form of ``token`` ("^draw" after "made" gives "drew"), via lemminflect."""
    if token is None:
        return lemma
    from qualcheck.backends import inflection

    forms = inflection.inflection(lemma, tag=token.tag_)
    return forms[0] if forms else lemma
