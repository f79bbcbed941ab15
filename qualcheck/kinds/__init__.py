"""Registry of kinds: the few generic Python checks that YAML rules instantiate, and the phase each runs in.

The engine runs a document's rules in phases (``PHASES``), so what a rule may read is declared, not
implied by the sort order of codes:

- ``gate``: ``(doc, rule, ctx) -> Iterator[Finding]``; runs first; a document it flags gets no other rule.
- ``document``: ``(doc, rule, ctx) -> Iterator[Finding]``; sees only its document.
- ``score``: ``(doc, evidence, rule, ctx) -> Scored``; runs after every document rule and reads what they
  found (``Evidence``: their findings and the rules that made them, and the report parts of the score
  rules before it). The rules it weighs but the run did not select (``inputs``) are run by the engine
  first, unreported; a score rule may be an input of a later one (MT901 reads MT900's sentence scores).
  MT900, MT901 and GR900 are score rules.
- ``corpus``: ``(corpus, rule, ctx) -> Iterator[Finding] | Compared``; runs once over every document.

Each kind registers with a frozen params dataclass that validates the rule's ``params:`` at load time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

# Modules that register kinds; imported once by ``load()``.
KIND_MODULES = (
    "qualcheck.kinds.agreement",
    "qualcheck.kinds.document_language",
    "qualcheck.kinds.existence",
    "qualcheck.kinds.interface_line",
    "qualcheck.kinds.lines",
    "qualcheck.kinds.line_model",
    "qualcheck.kinds.residue_block",
    "qualcheck.kinds.readability",
    "qualcheck.kinds.repetition",
    "qualcheck.kinds.substitution",
    "qualcheck.kinds.translation_signals",
    "qualcheck.kinds.translation_score",
    "qualcheck.kinds.garbled_article",
    "qualcheck.kinds.grammar",
    "qualcheck.kinds.tag_pattern",
    "qualcheck.kinds.grammar_score",
    "qualcheck.kinds.subject_verb",
    "qualcheck.kinds.definite_name",
)


PHASES = ("gate", "document", "score", "corpus")


@dataclass(frozen=True)
class KindSpec:
    """How to run one kind, in which phase, and how to validate its parameters."""

    name: str
    params: type
    func: Callable[..., Any]
    phase: str = "document"  # one of PHASES
    prepare: Callable[[Any], Any] | None = None  # params -> compiled state, run once at load
    inputs: Callable[[Any], Iterable[str]] | None = None  # score kinds: params -> codes of the rules whose findings they weigh
    evidence: str = "start"  # how a finding weighs in a sentence score: in the sentence it starts in, or "sentences" it covers
    yields: bool = False  # its findings give way to any other finding of their category on the same passage
    # params -> whether a rule reads the corpus's name counts (corpus_names): the engine counts them
    # over the whole corpus only when a rule of the run does
    names: Callable[[Any], bool] | None = None

    @property
    def scope(self) -> str:
        """``corpus`` for corpus rules, ``document`` for every rule that sees one document."""
        return "corpus" if self.phase == "corpus" else "document"

    @property
    def gate(self) -> bool:
        return self.phase == "gate"


@dataclass(frozen=True)
class Evidence:
    """What a score rule reads: the findings the document's rules made, in the order they ran, and those rules."""

    findings: tuple[Any, ...]
    rules: Mapping[str, Any]  # code -> Rule, for every code in ``findings``
    parts: Mapping[str, Any] = field(default_factory=dict)  # report parts of the score rules before it ("sentences": MT900's)

    def of_kinds(self, *kinds: str) -> list[Any]:
        """The findings made by rules of these kinds."""
        return [f for f in self.findings if f.code in self.rules and self.rules[f.code].kind in kinds]

    def weighed(self, category: str) -> list[tuple[Any, float]]:
        """(finding, weight) for each finding of ``category`` whose rule gives an evidence ``weight`` in its params."""
        out = []
        for f in self.findings:
            rule = self.rules.get(f.code)
            weight = getattr(getattr(rule, "params", None), "weight", None)
            if rule is not None and rule.category == category and weight is not None:
                out.append((f, float(weight)))
        return out


@dataclass
class Scored:
    """What a score rule returns: its findings, a per-sentence record for the report, and maybe its category's score."""

    findings: list[Any] = field(default_factory=list)
    part: str = "sentences"  # the report part the records go in ("sentences", "grammar_sentences")
    records: list[dict[str, Any]] = field(default_factory=list)
    score: float | None = None  # replaces the finding-based score of the rule's category (scoring.score_document)


@dataclass
class Compared:
    """What a corpus rule may return instead of bare findings: run-level and per-document report parts."""

    findings: list[Any] = field(default_factory=list)
    claims: list[Any] | None = None  # the report's "claims" part
    sources: list[Any] | None = None  # the report's "sources" part
    documents: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # doc id -> {"agreement": counts}


KINDS: dict[str, KindSpec] = {}
# older kind names that rule files written before a rename still use
RENAMED = {"garble": "translation-signal", "garble-score": "translation-score"}


def kind(
    name: str,
    params: type,
    phase: str = "document",
    prepare: Callable[[Any], Any] | None = None,
    inputs: Callable[[Any], Iterable[str]] | None = None,
    evidence: str = "start",
    yields: bool = False,
    names: Callable[[Any], bool] | None = None,
):
    """Register a kind function under ``name`` for one of ``PHASES``.

    ``yields``: the kind finds residue by its shape, so a more specific rule flagging the same passage
    wins (one error, one finding); a rule may instead name the codes it yields to (``yield-to`` params).
    """
    if phase not in PHASES:
        raise ValueError(f"kind {name}: phase must be one of {', '.join(PHASES)}")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        KINDS[name] = KindSpec(name, params, func, phase, prepare, inputs, evidence, yields, names)
        return func

    return register


def load() -> dict[str, KindSpec]:
    """Import every kind module so that the registry is complete."""
    for module in KIND_MODULES:
        importlib.import_module(module)
    return KINDS
