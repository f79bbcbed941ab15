"""lemminflect's lemma and inflection tables, without the spaCy hook its package import installs.

Importing ``lemminflect`` imports spaCy (about two seconds) only to register token extensions that
qualcheck never uses. A check that needs word forms (MT201's calques, GR900's confusion sets,
GR203's re-inflection) should not pay for spaCy when nothing else needs it, so the package is
imported with spaCy hidden, unless spaCy is loaded already.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Iterable

from qualcheck.user_cache import cache_dir, mark_used, prune

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


def forms(lemmas: Iterable[str], upos: str | None = None) -> dict[str, frozenset[str]]:
    """Every written form of each lemma, lower-case, the lemma included ("make" -> make, makes, made, making);
    with ``upos`` ("VERB"), only that part of speech's forms.

    Loading lemminflect's tables costs about 0.2-0.3 s, which a run that needs only these few forms
    (MT201 deciding whether a document may hold a calque) should not pay every time: the answer is
    kept in the user's cache folder, under lemminflect's version and table file, for these lemmas.
    """
    wanted = sorted({lemma.lower() for lemma in lemmas})
    cache = _forms_cache(wanted if upos is None else [f"\x1f{upos}", *wanted])
    if cache is not None:
        try:
            stored = json.loads(cache.read_text(encoding="utf-8"))
            if sorted(stored) == wanted:
                mark_used(cache.parent)
                return {lemma: frozenset(stored[lemma]) for lemma in wanted}
        except (OSError, ValueError, TypeError):
            pass
    out = {}
    for lemma in wanted:
        found = {lemma}
        for values in all_inflections(lemma, upos=upos).values():
            found.update(v.lower() for v in values)
        out[lemma] = frozenset(found)
    if cache is not None:
        try:
            if not cache.parent.is_dir():
                cache.parent.mkdir(parents=True, exist_ok=True)
                prune(cache.parent, "lemminflect-")
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({k: sorted(v) for k, v in out.items()}), encoding="utf-8")
            tmp.replace(cache)
        except OSError:  # a read-only home: computed again next run
            pass
    return out


def _forms_cache(lemmas: list[str]) -> Path | None:
    """The cache file for these lemmas' forms, named by lemminflect's version and tables (None when unknown)."""

    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        return None
    table = Path(next(iter(spec.submodule_search_locations))) / "resources" / "infl_lu.csv.gz"
    try:
        st = table.stat()
    except OSError:
        return None
    key = hashlib.sha1("\n".join(lemmas).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / f"lemminflect-{st.st_size}-{st.st_mtime_ns}" / f"forms-{key}.json"
