"""grammar: findings from the run's grammar engine (LanguageTool, or the offline engine)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import kind
from qualcheck.model import Finding, Span

ISSUE_TYPES = ("spelling", "grammar", "structure", "typography", "style")


@dataclass(frozen=True, slots=True)
class GrammarParams:
    """Which issue types of the engine this rule reports, and how strong the evidence must be."""

    types: tuple[str, ...]
    min_weight: float = 1.0  # offline structure: words a parse had to leave out

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in ISSUE_TYPES]
        if not self.types or unknown:
            raise ValueError(f"types: give some of {', '.join(ISSUE_TYPES)} (got {', '.join(unknown) or 'none'})")


@kind("grammar", params=GrammarParams)
def grammar(doc, rule, ctx) -> Iterator[Finding]:
    """Report the engine's issues of the rule's types, keeping the engine's rule id and replacements."""
    backend = ctx.backend("grammar").for_context(ctx)
    for issue in backend.issues(doc):
        if issue.type not in rule.params.types or issue.weight < rule.params.min_weight:
            continue
        yield rule.finding(
            doc,
            Span(issue.start, issue.end),
            suggestions=issue.suggestions,
            origin=issue.origin,
            engine=issue.engine,
            detail=issue.message.rstrip(". "),
        )
