"""Registry of kinds: the few generic Python checks that YAML rules instantiate.

A kind is a function ``(doc, rule, ctx) -> Iterator[Finding]`` (document scope) or
``(corpus, rule, ctx) -> Iterator[Finding]`` (corpus scope), registered with a frozen params
dataclass that validates the rule's ``params:`` at load time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

# Modules that register kinds; imported once by ``load()``.
KIND_MODULES = (
    "qualcheck.kinds.agreement",
    "qualcheck.kinds.document_language",
    "qualcheck.kinds.existence",
    "qualcheck.kinds.lines",
    "qualcheck.kinds.readability",
    "qualcheck.kinds.repetition",
    "qualcheck.kinds.substitution",
    "qualcheck.kinds.garble",
    "qualcheck.kinds.garble_score",
    "qualcheck.kinds.grammar",
    "qualcheck.kinds.tag_pattern",
    "qualcheck.kinds.grammar_score",
)


@dataclass(frozen=True)
class KindSpec:
    """How to run one kind and validate its parameters."""

    name: str
    params: type
    func: Callable[..., Any]
    scope: str = "document"  # "document" | "corpus"
    prepare: Callable[[Any], Any] | None = None  # params -> compiled state, run once at load
    gate: bool = False  # runs first; when it flags a document, no other document rule runs on it


KINDS: dict[str, KindSpec] = {}


def kind(name: str, params: type, scope: str = "document", prepare: Callable[[Any], Any] | None = None, gate: bool = False):
    """Register a kind function under ``name``."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        KINDS[name] = KindSpec(name, params, func, scope, prepare, gate)
        return func

    return register


def load() -> dict[str, KindSpec]:
    """Import every kind module so that the registry is complete."""
    for module in KIND_MODULES:
        importlib.import_module(module)
    return KINDS
