"""substitution: a swap map of wrong phrase -> right phrase (calques, literal translations, terms).

Editors keep the map in the rule's YAML: each key is a regular expression matched on word
boundaries, each value the suggested replacement (``\\1``-style groups allowed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from qualcheck import saferegex, translation
from qualcheck.kinds import kind
from qualcheck.model import Finding, Span


@dataclass(frozen=True, slots=True)
class SubstitutionParams:
    """``swap`` maps a pattern to its suggested replacement."""

    swap: dict[str, str] = field(default_factory=dict)
    ignorecase: bool = True
    weight: float = 1.0  # contribution to the sentence garble score (translation rules only)

    def __post_init__(self) -> None:
        if not self.swap:
            raise ValueError("swap: give at least one 'pattern: replacement' pair")


def _compile(p: SubstitutionParams) -> list[tuple[saferegex.GuardedPattern, str]]:
    flags = re.I if p.ignorecase else 0
    out = []
    for pattern, replacement in p.swap.items():
        try:
            out.append((saferegex.compile(rf"(?<![\w’'-])(?:{pattern})(?![\w’'-])", flags), str(replacement)))
        except re.error as exc:
            raise ValueError(f"swap: invalid regular expression {pattern!r}: {exc}") from None
    return out


def _keep_case(found: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if found[:1].isupper() and replacement else replacement


@kind("substitution", params=SubstitutionParams, prepare=_compile)
def substitution(doc, rule, ctx) -> Iterator[Finding]:
    """Flag every phrase of the swap map and suggest its replacement."""
    for pattern, replacement in rule.prepared:
        for m in pattern.finditer(doc.text):
            span = Span(*m.span())
            suggestion = _keep_case(m.group(0), m.expand(replacement))
            translation.note(ctx, doc, rule, span, rule.params.weight)
            yield rule.finding(doc, span, replacement=suggestion, suggestions=(suggestion,))
