"""Whether two renderings of one quoted remark differ in substance, not only in wording.

Translated remarks are worded differently by every outlet ("they deceived us" / "they lied to
us"), so FA103 only notes renderings far apart. A rendering close to the others can still change
what the speaker said: another figure ("one centimetre" / "one kilometre"), the opposite direction
("to the east" / "to the west"), a negation added or dropped. Those are compared here, word by
word on the edit script between the two renderings; the words come from
``rules/agreement/data/quotes.yaml`` and the claim vocabulary (units, directions of change).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from qualcheck.agreement.owners import require_words
from qualcheck.bundled import bundled_rules_dir
from qualcheck.errors import RuleFileError

_WORD = re.compile(r"[0-9][0-9.,]*|[^\W\d_]+(?:['’][^\W\d_]+)*")
NUMBER_WORDS = {
    w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
     "dozen": 12, "half": 0.5}


@dataclass(frozen=True)
class Lexicon:
    negations: frozenset[str]
    opposite: dict[str, frozenset[str]]  # word -> the words it is the opposite of
    units: dict[str, tuple[str, float]]  # surface -> (dimension, factor)
    directions: dict[str, str]  # word -> up/down


@functools.lru_cache(maxsize=4)
def lexicon(folder: str | None = None) -> Lexicon:
    """Read ``quotes.yaml`` (and the claim vocabulary's units and directions) from ``folder``."""
    from qualcheck.agreement import claims

    base = Path(folder) if folder else bundled_rules_dir() / "agreement" / "data"
    path = base / "quotes.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise RuleFileError(str(path), None, "must be a YAML mapping")
    negations, pairs = data.get("negations", []), data.get("opposites", [])
    require_words(negations, path, "negations")
    require_words([w for pair in pairs for w in (pair if isinstance(pair, list) else [pair])], path, "opposites")
    if any(not isinstance(pair, list) or len(pair) != 2 for pair in pairs):
        raise RuleFileError(str(path), "opposites", "each entry is a pair of words: [east, west]")
    opposite: dict[str, set[str]] = {}
    for a, b in pairs:
        opposite.setdefault(a.lower(), set()).add(b.lower())
        opposite.setdefault(b.lower(), set()).add(a.lower())
    vocab = claims.vocabulary(folder)
    return Lexicon(
        negations=frozenset(w.lower() for w in negations),
        opposite={k: frozenset(v) for k, v in opposite.items()},
        units={k: (dim, factor) for k, (dim, _, factor) in vocab.units.items()},
        directions=dict(vocab.directions),
    )


def words(text: str) -> list[str]:
    """The words of a rendering, lower-case, curly apostrophes straightened, "n't" and "cannot" as
    "not" ("don't" and "do not" say the same)."""
    out = []
    for w in _WORD.findall(text.replace("’", "'")):
        w = w.lower().rstrip(".,")
        if w.endswith("n't") and len(w) > 3:  # "didn't" = "did not"; "can't", "won't", "ain't" = "can", "will", "is" + "not"
            out += [{"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}.get(w[:-3], w[:-3]), "not"]
            continue
        if w == "cannot":
            out += ["can", "not"]
            continue
        out.append(w)
    return [w for w in out if w]


def _number(w: str) -> float | None:
    if w in NUMBER_WORDS:
        return float(NUMBER_WORDS[w])
    if not w[:1].isdigit():
        return None  # "nan", "infinity" are words here, not figures
    try:
        return float(w.replace(",", ""))
    except ValueError:
        return None


def change(a: Sequence[str], b: Sequence[str], lex: Lexicon) -> str | None:
    """How rendering ``b`` changes what rendering ``a`` says ("'centimeter' -> 'kilometre'"), or None.

    Only words inside the stretch both renderings cover count: a rendering that quotes less of the
    remark (a fragment) changes nothing by what it leaves out.
    """
    from qualcheck.backends.fuzzy import word_diff

    ops = word_diff(list(a), list(b))
    equal = [k for k, (tag, _, _) in enumerate(ops) if tag == "equal"]
    if not equal:
        return None
    for k, (tag, xs, ys) in enumerate(ops):
        if tag == "equal" or not equal[0] < k < equal[-1]:
            continue  # outside the shared stretch: one rendering quotes more of the remark
        said = _differs(xs, ys, lex)
        if said:
            return said
    return None


def _differs(xs: Sequence[str], ys: Sequence[str], lex: Lexicon) -> str | None:
    before, after = " ".join(xs), " ".join(ys)
    shown = f"'{before}' -> '{after}'" if xs and ys else (f"'{before}' dropped" if xs else f"'{after}' added")
    if sum(w in lex.negations for w in xs) != sum(w in lex.negations for w in ys):
        return shown  # a negation added or dropped ("no" for "not", "never" for "not" says the same)
    nx = {n for n in map(_number, xs) if n is not None}
    ny = {n for n in map(_number, ys) if n is not None}
    if nx and ny and nx != ny:
        return shown  # another figure ("one" alone against "a" is no figure: both sides must give one)
    ux = {lex.units[w] for w in xs if w in lex.units}
    uy = {lex.units[w] for w in ys if w in lex.units}
    if ux and uy and ux != uy and {d for d, _ in ux} & {d for d, _ in uy}:
        return shown  # one dimension, another unit
    dx = {lex.directions[w] for w in xs if w in lex.directions}
    dy = {lex.directions[w] for w in ys if w in lex.directions}
    if dx and dy and dx.isdisjoint(dy):
        return shown
    if any(lex.opposite.get(x, frozenset()) & set(ys) for x in xs):
        return shown
    return None
