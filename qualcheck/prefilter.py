"""Literal text a regular expression cannot match without: a cheap test that skips hopeless scans.

A rule's pattern (one case-blind alternation of 42 page notices, say) costs the regular expression
engine a try of every branch at every character; most texts it is searched on contain none of the
words its branches spell out. ``needed(pattern, flags)`` reads the pattern's parse tree and returns
what every match must contain: a tuple of clauses, each a tuple of strings, such that a match
contains at least one string of every clause (compared after ``fold``: ``str.casefold``, with the
Turkish dotted and dotless i made "i", so case-blind patterns are covered); a pattern that is one
alternation gets such a tuple for each of its alternatives, and a match satisfies one of them.
``may_match(needs, text)`` is then a few substring tests, and ``False`` proves the pattern has no
match in ``text``; ``True`` proves nothing (the pattern is run as before).

What is read: ASCII literal characters (a run of them in sequence is one string), groups, repeats
of at least one, and alternations (every branch must need something; the clause is the union of each
branch's best one). Everything else (character classes, ``.``, anchors, lookarounds,
backreferences, conditionals) needs nothing, which only makes the test weaker, never wrong.
Case-blind matching is covered by folding both sides: ``tests/test_prefilter.py`` checks, for
every ASCII character, that every code point ``regex`` (and ``re``) matches to it case-blind folds
alike; other literal characters are not read, so a rule written with any alphabet stays covered.
"""

from __future__ import annotations

import functools
import re

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# regex's case-blind matching pairs "i" with "İ" and "I" with "ı", which casefold keeps apart
_DOTTED = {0x130: "i", 0x131: "i"}


def fold(text: str) -> str:
    """The text as the pre-check compares it: every pair of characters a case-blind match equates folds alike."""
    if "\u0130" in text or "\u0131" in text:
        text = text.translate(_DOTTED)
    return text.casefold()


Needs = tuple[tuple[tuple[str, ...], ...], ...]  # alternatives (OR) of clauses (AND) of strings (OR)

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
MAX_CLAUSES = 3  # the test stays a handful of substring searches
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _strength(clause: frozenset[str]) -> tuple[int, int]:
    return (min(len(s) for s in clause), -len(clause))


def _best(clauses: list[frozenset[str]]) -> frozenset[str] | None:
    return max(clauses, key=_strength) if clauses else None


def _clauses(seq) -> list[frozenset[str]]:
    """AND of ORs that every match of the parsed sequence satisfies (empty: nothing is needed)."""
    out: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        # only ASCII pieces of a literal run: the test checks every code point a case-blind match
        # pairs with an ASCII character, so this holds for any rule, not only the bundled ones
        for piece in _NOT_ASCII.split("".join(run)):
            if piece:
                out.append(frozenset({fold(piece)}))
        run.clear()

    for op, av in seq:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _c.SUBPATTERN:
            out.extend(_clauses(av[-1]))
        elif _ATOMIC is not None and op is _ATOMIC:
            out.extend(_clauses(av))
        elif op in _REPEATS:
            low, _high, sub = av
            if low >= 1:
                out.extend(_clauses(sub))
        elif op is _c.BRANCH:
            best = [_best(_clauses(alt)) for alt in av[1]]
            if best and all(b is not None for b in best):
                out.append(frozenset().union(*best))  # type: ignore[arg-type]
        # IN, ANY, AT, ASSERT, ASSERT_NOT, GROUPREF, GROUPREF_EXISTS, NOT_LITERAL, ...: nothing needed
    flush()
    return out


def _cnf(seq) -> tuple[tuple[str, ...], ...]:
    clauses = [c for c in _clauses(seq) if all(c)]  # an empty string is in every text
    clauses = sorted(set(clauses), key=_strength, reverse=True)[:MAX_CLAUSES]
    return tuple(tuple(sorted(c)) for c in clauses)


def _top_branches(seq) -> list | None:
    """The alternatives of a pattern that is one alternation (``(?:a)|(?:b)``, as rules combine cues)."""
    while len(seq) == 1 and seq[0][0] is _c.SUBPATTERN and not seq[0][1][1] and not seq[0][1][2]:
        seq = seq[0][1][-1]  # a group around the whole pattern, adding or removing no flags
    if len(seq) == 1 and seq[0][0] is _c.BRANCH:
        return list(seq[0][1][1])
    return None


@functools.lru_cache(maxsize=1024)
def needed(pattern: str, flags: int = 0) -> Needs | None:
    """What every match of ``pattern`` contains (see the module's docstring); None when nothing is known.

    One CNF per alternative of a pattern that is one alternation (a match is a match of one of
    them), else one CNF for the whole pattern."""
    try:
        parsed = _p.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern just gets no short-cut
        return None
    alternatives = _top_branches(list(parsed)) or [parsed]
    needs = tuple(_cnf(alt) for alt in alternatives)
    if not all(needs):
        return None  # one alternative needs nothing: any text may match
    return needs


_last: tuple[str | None, str] = (None, "")  # the text folded last and its fold: one line is tried by many cues in turn


def may_match(needs: Needs, text: str) -> bool:
    """False only when a pattern with these needs cannot match anywhere in ``text``."""
    global _last
    last = _last  # one read: another thread may replace it meanwhile
    if last[0] is text:
        folded = last[1]
    else:
        folded = fold(text)
        _last = (text, folded)
    for cnf in needs:
        for clause in cnf:
            for s in clause:
                if s in folded:
                    break
            else:
                break  # this clause fails: this alternative cannot match
        else:
            return True  # every clause of this alternative holds
    return False
