"""Regular expressions from rules, compiled so that no pattern can hang a run.

Rule patterns come from YAML that editors write; one nested quantifier (``(a+)+$``) can make
Python's ``re`` backtrack for hours on one unlucky line. Rule patterns are therefore compiled with
the ``regex`` module (``VERSION0``: ``re``'s syntax and semantics), whose matching takes a
``timeout``. A scan that runs over ``BUDGET`` seconds raises ``RegexBudgetExceeded``; the engine
turns it into a notice naming the rule and the document, and the run goes on.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterator

import regex

from qualcheck import prefilter

BUDGET = 1.0  # seconds one pattern may spend scanning one document (one call); bench/bench_regex.py measures
_FLAGS = {re.I: regex.I, re.M: regex.M, re.S: regex.S, re.X: regex.X, re.A: regex.A, re.U: regex.U}


class RegexBudgetExceeded(Exception):
    """A rule pattern ran out of its time budget on one text (catastrophic backtracking)."""

    def __init__(self, pattern: str, budget: float) -> None:
        shown = pattern if len(pattern) <= 60 else pattern[:59] + "…"
        super().__init__(f"a pattern ran over its {budget:g} s budget (catastrophic backtracking?): {shown!r}")
        self.pattern, self.budget = pattern, budget


class GuardedPattern:
    """The part of ``re.Pattern``'s interface kinds use, every call bounded by the budget."""

    __slots__ = ("_compiled", "pattern", "flags", "budget", "_needs")

    def __init__(self, compiled: Any, pattern: str, flags: int, budget: float) -> None:
        self._compiled, self.pattern, self.flags, self.budget = compiled, pattern, flags, budget
        # the literal text every match contains (qualcheck/prefilter.py): a text without it is not scanned
        self._needs = prefilter.needed(pattern, flags)

    def _hopeless(self, string: str, pos: int, endpos: int | None) -> bool:
        """True only when no match can lie in ``string[pos:endpos]`` (a scan would find none)."""
        needs = self._needs
        if needs is None or not isinstance(string, str):
            return False
        if pos > 0 or (endpos is not None and 0 <= endpos < len(string)):
            string = string[max(pos, 0) : endpos if endpos is None or endpos >= 0 else None]
        return not prefilter.may_match(needs, string)

    def _over(self) -> RegexBudgetExceeded:
        return RegexBudgetExceeded(self.pattern, self.budget)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        if self._hopeless(string, pos, endpos):
            return
        try:
            yield from self._compiled.finditer(string, pos, endpos, timeout=self.budget)
        except TimeoutError:
            raise self._over() from None

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        if self._hopeless(string, pos, endpos):
            return []
        try:
            return self._compiled.findall(string, pos, endpos, timeout=self.budget)
        except TimeoutError:
            raise self._over() from None

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        if self._hopeless(string, pos, endpos):
            return None
        try:
            return self._compiled.search(string, pos, endpos, timeout=self.budget)
        except TimeoutError:
            raise self._over() from None

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        if self._hopeless(string, pos, endpos):
            return None
        try:
            return self._compiled.match(string, pos, endpos, timeout=self.budget)
        except TimeoutError:
            raise self._over() from None

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        if self._hopeless(string, pos, endpos):
            return None
        try:
            return self._compiled.fullmatch(string, pos, endpos, timeout=self.budget)
        except TimeoutError:
            raise self._over() from None

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        if self._hopeless(string, 0, None):
            return string
        try:
            return self._compiled.sub(repl, string, count, timeout=self.budget)
        except TimeoutError:
            raise self._over() from None

    def __repr__(self) -> str:
        return f"GuardedPattern({self.pattern!r}, budget={self.budget:g})"


def compile(pattern: str, flags: int = 0, budget: float | None = None) -> GuardedPattern:  # noqa: A001 - mirrors re
    """Compile a rule pattern with ``re``'s syntax; raise ``re.error`` for an invalid one, as ``re`` would."""
    re.compile(pattern, flags)  # re's syntax and error messages: a rule stays valid Python regex, whatever runs it
    native = 0
    for flag, value in _FLAGS.items():
        if flags & flag:
            native |= value
    try:
        compiled = regex.compile(pattern, native | regex.VERSION0)
    except regex.error as exc:
        raise re.error(str(exc), pattern) from None
    return GuardedPattern(compiled, pattern, flags, BUDGET if budget is None else budget)


@functools.lru_cache(maxsize=512)
def cached(pattern: str, flags: int = 0) -> GuardedPattern:
    """``compile`` once per process for patterns a kind builds at check time (cues, separators)."""
    return compile(pattern, flags)
