"""Scores and the gate, computed in one place for every renderer.

- ``sentences``: per-sentence garble scores from weighed findings and measured evidence, and the
  translation score they give (used by MT900, the translation score rule);
- ``document``: findings -> 0-100 scores per category and overall, and the gate (``--fail-under``,
  ``--fail-on``) that the CLI and every renderer read.
"""

from qualcheck.scoring.document import (  # noqa: F401 - the package's API
    DEFAULT_CATEGORY_WEIGHTS,
    DEFAULT_RULE_WEIGHTS,
    DEFAULT_SEVERITY_WEIGHTS,
    ScoringSettings,
    category_score,
    document_gate,
    gate,
    mean_score,
    score_document,
)
