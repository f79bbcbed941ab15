"""lemminflect's lemma and inflection tables, without the spaCy hook its package import installs.

Importing ``lemminflect`` imports spaCy (about two seconds) only to register token extensions that
qualcheck never uses. A check that needs word forms (MT201's calques, GR900's confusion sets,
GR203's re-inflection) should not pay for spaCy when nothing else needs it, so the package is
imported with spaCy hidden, unless spaCy is loaded already.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def module() -> ModuleType:
    """The lemminflect package, imported once."""
    if "lemminflect" in sys.modules:
        return sys.modules["lemminflect"]
    with _lock:
        if "lemminflect" in sys.modules:
            return sys.modules["lemminflect"]
        if "spacy" in sys.modules:
            import lemminflect
        else:
            sys.meta_path.insert(0, _NoSpacy)  # `import spacy` inside lemminflect fails fast
            try:
                import lemminflect
            finally:
                sys.meta_path.remove(_NoSpacy)
        return lemminflect


class _NoSpacy:
    """A finder that refuses spaCy while lemminflect is imported (its spaCy hook is then skipped)."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "spacy" or name.startswith("spacy."):
            raise ModuleNotFoundError(f"{name} is not imported for lemminflect", name=name)
        return None


def all_inflections(lemma: str, upos: str | None = None) -> dict[str, tuple[str, ...]]:
    return module().getAllInflections(lemma, upos=upos)


def all_lemmas(word: str, upos: str | None = None) -> dict[str, tuple[str, ...]]:
    return module().getAllLemmas(word, upos=upos)


def inflection(lemma: str, tag: str, inflect_oov: bool = False) -> tuple[str, ...]:
    return module().getInflection(lemma, tag=tag, inflect_oov=inflect_oov)
