"""qualcheck: source-reliability and translation-quality checks for news articles."""

from __future__ import annotations

__version__ = "0.1.0"

from qualcheck.model import Finding, Notice, Severity, Span  # noqa: E402
from qualcheck.report import DocumentReport, Report  # noqa: E402


def check_paths(paths, **options) -> Report:
    """Check files, folders or globs with default settings overridden by ``options``; return the Report."""
    from qualcheck import config, engine

    settings = config.build({"paths": tuple(paths), **options})
    return engine.run(settings)


def check_text(text: str, document: str = "<text>", **options) -> Report:
    """Check one article given as a string; return the Report."""
    from qualcheck import config, engine, ruleset
    from qualcheck.discover import ARTICLE_SUFFIXES
    from qualcheck.document import Document, normalise_newlines

    settings = config.build(options)
    rules = ruleset.load(settings.rules).select(settings.select, settings.ignore)
    fmt = ARTICLE_SUFFIXES.get("." + document.rsplit(".", 1)[-1].lower(), "txt") if "." in document else "txt"
    doc = Document(id=document, raw=normalise_newlines(text), format=fmt)
    return engine.check([doc], rules, settings)


__all__ = ["check_paths", "check_text", "Report", "DocumentReport", "Finding", "Notice", "Severity", "Span", "__version__"]
