"""qualcheck: source-reliability and translation-quality checks for news articles."""

from __future__ import annotations

__version__ = "0.1.0"

from qualcheck.model import Finding, Notice, Severity, Span  # noqa: E402
from qualcheck.report import DocumentReport, Report  # noqa: E402


def _options(options: dict) -> dict:
    """Accept what a Python caller naturally passes: lists for tuples, 'error' for Severity.ERROR, path-like dirs."""
    out = dict(options)
    for key in ("select", "ignore", "exclude", "rules"):
        if isinstance(out.get(key), str):
            out[key] = (out[key],)
        if out.get(key) is not None:
            out[key] = tuple(str(v) for v in out[key])
    if isinstance(out.get("fail_on"), str):
        out["fail_on"] = Severity.parse(out["fail_on"])
    return out


def check_paths(paths, **options) -> Report:
    """Check files, folders or globs with default settings overridden by ``options``; return the Report."""
    from qualcheck import config, engine

    settings = config.build({"paths": tuple(str(p) for p in paths), **_options(options)})
    return engine.run(settings)


def check_text(text: str, document: str = "<text>", **options) -> Report:
    """Check one article given as a string; return the Report."""
    from qualcheck import config, engine, ruleset
    from qualcheck.discover import ARTICLE_SUFFIXES
    from qualcheck.document import Document, normalise_newlines

    settings = config.build(_options(options))
    rules = ruleset.load(settings.rules).select(settings.select, settings.ignore)
    fmt = ARTICLE_SUFFIXES.get("." + document.rsplit(".", 1)[-1].lower(), "txt") if "." in document else "txt"
    doc = Document(id=document, raw=normalise_newlines(text), format=fmt)
    return engine.check([doc], rules, settings)


__all__ = ["check_paths", "check_text", "Report", "DocumentReport", "Finding", "Notice", "Severity", "Span", "__version__"]
