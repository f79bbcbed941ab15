"""Per-document statistics: counts and readability metrics of the article's prose.

The counts are cheap and every report needs them (the score is per thousand words); the
readability metrics need textstat and the CMU dictionary, so they are computed only when a
readability rule runs (``document_stats``), and are null otherwise (``document_counts``).
"""

from __future__ import annotations

from typing import Any

from qualcheck.document import Document
from qualcheck.model import starting_in

# every readability metric the report carries; null when the text is too short or no RD rule ran
METRICS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "coleman_liau_index",
    "dale_chall",
    "words_per_sentence",
    "syllables_per_word",
)


def _body(doc: Document) -> tuple[dict[str, Any], list[str]]:
    body = doc.body_paragraphs
    sentences = starting_in(doc.sentences, body)
    words = sum(len(doc.words(s.start, s.end)) for s in sentences)
    counts: dict[str, Any] = {
        "characters": len(doc.raw),
        "words": words,
        "sentences": len(sentences),
        "paragraphs": len(body),
    }
    return counts, [doc.text[s.start : s.end] for s in sentences]


def document_counts(doc: Document) -> dict[str, Any]:
    """Count words, sentences and paragraphs of the body; readability metrics are left null."""
    counts, _ = _body(doc)
    return {**counts, **dict.fromkeys(METRICS)}


def document_stats(doc: Document) -> dict[str, Any]:
    """Count words, sentences and paragraphs of the body and add readability metrics."""
    from qualcheck.backends import textstat as _textstat  # textstat imports NLTK: only when a metric is wanted

    counts, sentences = _body(doc)
    return {**counts, **_textstat.metrics(sentences, counts["words"])}
