"""Which language a whole text is written in: py3langid (langid.py's naive Bayes model, in the wheel).

Loaded once per process (about half a second); a 500-word article takes about a millisecond.
langid.py is unreliable on a few words, so callers decide on enough text (MT110's min-letters).
"""

from __future__ import annotations

import functools
from typing import Any

ENGINE = "py3langid"


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> list[tuple[str, float]]:
    """(ISO 639 code, probability) of each language ``text`` may be written in, likeliest first."""
    return [(str(code), float(p)) for code, p in _identifier().rank(text)]


@functools.lru_cache(maxsize=128)
def name(code: str) -> str:
    """The English name of a language code ("de" -> "German"), from langcodes' CLDR data."""
    import langcodes

    try:
        return langcodes.Language.get(code).display_name()
    except (ImportError, LookupError, ValueError):
        return code
