"""Per-document statistics: counts and readability metrics of the article's prose."""

from __future__ import annotations

from typing import Any

from qualcheck.backends import textstat as _textstat
from qualcheck.document import Document


def document_stats(doc: Document) -> dict[str, Any]:
    """Count words, sentences and paragraphs of the body and add readability metrics."""
    body = doc.body_paragraphs
    sentences = [s for s in doc.sentences if any(p.start <= s.start < p.end for p in body)]
    words = sum(len(doc.words(s.start, s.end)) for s in sentences)
    stats: dict[str, Any] = {
        "characters": len(doc.raw),
        "words": words,
        "sentences": len(sentences),
        "paragraphs": len(body),
    }
    stats.update(_textstat.metrics([doc.text[s.start : s.end] for s in sentences], words))
    return stats
