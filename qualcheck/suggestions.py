"""Keep a suggestion only when the sentence it rewrites checks better: re-check, compose, or drop.

A rule proposes a rewrite from what it sees (a capital, a calque, a stray full stop); it does not see
what other rules flag on the same words, and it cannot tell whether its rewrite reads as English. So
each rewrite suggestion (grammar and translation findings) is applied to its sentence and the
sentence is checked again by the local grammar and translation rules:

- another finding inside the passage whose words the rewrite carries over (MT201's "first Direct"
  keeps the capital MT101 flags) has its fix applied too ("first direct"), and so has a finding
  the re-check sees *inside* the rewritten words; the composed rewrite is checked again;
- a finding *across* the rewritten words by the rule that made the suggestion (its problem is still
  there), or by any rule that did not flag the original sentence at that place (the rewrite made a
  new problem), drops the suggestion: a suggestion is a correct rewrite or absent;
- findings that were already there outside the rewrite (MT201's "prime direct" after MT101's fix)
  are another finding's business and do not count against it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Any, Iterable, Sequence

from qualcheck.document import Document
from qualcheck.model import Finding, Span

REWRITE_CATEGORIES = frozenset({"grammar", "translation"})
# kinds that judge words in their sentence: cheap to run again on one sentence (scores and language gates are not)
RECHECK_KINDS = frozenset({"translation-signal", "substitution", "repetition", "tag-pattern", "grammar"})
MAX_ROUNDS = 3  # compositions tried before a rewrite is given up
MAX_SUGGESTIONS = 3  # alternatives checked per finding (what reports show); the unchecked rest are not offered


def checkers(rules: Iterable[Any]) -> list[Any]:
    """The enabled rules that re-check a rewritten sentence."""
    return [r for r in rules if r.category in REWRITE_CATEGORIES and r.kind in RECHECK_KINDS and r.scope == "document" and not r.spec.gate]


def verify(doc: Document, findings: Sequence[Finding], rules: Sequence[Any], ctx: Any) -> list[Finding]:
    """Return ``findings`` with each rewrite suggestion checked: kept, composed with the fixes it needs, or dropped."""
    if not rules or not any(_rewrites(f) for f in findings):
        return list(findings)
    if any(r.kind == "grammar" for r in rules) and ctx.backend("grammar").for_context(ctx).client is not None:
        # with a LanguageTool server, its rules would ask it once per suggestion (and count rewrites among the
        # documents it checked): they judge only the original, the pattern and garble rules judge the rewrite
        rules = [r for r in rules if r.kind != "grammar"]
    sub = _child(ctx)
    out = []
    for f in findings:
        if not _rewrites(f):
            out.append(f)
            continue
        kept: list[str] = []
        for s in f.suggestions[:MAX_SUGGESTIONS]:
            v = _verified(doc, f, s, findings, rules, sub)
            if v is not None and v != f.excerpt and v not in kept:
                kept.append(v)
        if tuple(kept) == f.suggestions:
            out.append(f)
            continue
        message = f.message  # a message that quotes the rewrite ("English says 'first Direct'") quotes the checked one
        if kept and f"'{f.suggestions[0]}'" in message:
            message = message.replace(f"'{f.suggestions[0]}'", f"'{kept[0]}'")
        out.append(f.with_(suggestions=tuple(kept), message=message))
    return out


def _rewrites(f: Finding) -> bool:
    return bool(f.suggestions) and f.category in REWRITE_CATEGORIES and f.span.end > f.span.start


def _child(ctx: Any) -> Any:
    """A context sharing the run's engines and memo (models load once) but not its notices or statistics."""
    return replace(ctx, notices=[], _readability={})


def _carry_fixes(f: Finding, s: str, originals: Sequence[Finding]) -> str:
    """Apply the fixes of other findings inside ``f``'s passage whose words ``s`` carries over unchanged.

    MT201 rewrites "prime Direct" as "first Direct"; MT101 flags the capital of "Direct" inside it.
    The re-check alone cannot be relied on to see it again (a tagger may now take "first Direct" for
    a name), so the composed rewrite is "first direct".
    """
    for g in originals:
        if g is f or g.code == f.code or not g.suggestions or g.span == f.span:
            continue
        if not (f.span.start <= g.span.start and g.span.end <= f.span.end):
            continue
        hits = list(re.finditer(rf"(?<![\w’'-]){re.escape(g.excerpt)}(?![\w’'-])", s))
        if len(hits) == 1:
            s = s[: hits[0].start()] + g.suggestions[0] + s[hits[0].end() :]
    return s


def _back(pos: int, a: int, b: int, end: int) -> int:
    """An offset in the rewritten text mapped back to the original: before the rewrite unchanged, after it
    shifted by the length difference, inside it clamped to the original passage (a finding may start there)."""
    if pos <= a:
        return pos
    return pos - (b - end) if pos >= b else min(pos, end)


def _verified(doc: Document, f: Finding, s: str, originals: Sequence[Finding], rules: Sequence[Any], ctx: Any) -> str | None:
    a = f.span.start
    s = _carry_fixes(f, s, originals)
    for _ in range(MAX_ROUNDS):
        new = _recheck(doc, f.span, s, rules, ctx)
        if new is None:
            return s  # the sentence cannot be rebuilt (no sentence here): nothing to judge with
        b = a + len(s)
        inside, across = [], []
        for g in new:
            if a <= g.span.start and g.span.end <= b and g.span.end > g.span.start and (b > a):
                inside.append(g)
            elif g.span.start < b and a < g.span.end or (a == b and g.span.start < a < g.span.end):
                across.append(g)
        for g in across:
            if g.code == f.code:
                return None  # the rule that flagged the passage still flags it: not fixed
            was = Span(_back(g.span.start, a, b, f.span.end), _back(g.span.end, a, b, f.span.end))
            if not any(o.code == g.code and o.span.start < max(was.end, was.start + 1) and was.start < max(o.span.end, o.span.start + 1) for o in originals):
                return None  # the rewrite makes a problem the original did not have
        if not inside:
            return s
        fixes = sorted((g for g in inside if g.suggestions), key=lambda g: -g.span.start)
        if len(fixes) < len(inside):
            return None  # a problem inside the rewrite that nothing fixes
        edited, last = s, None
        for g in fixes:  # right to left, so earlier offsets stay valid
            if last is not None and g.span.end > last:
                continue
            edited = edited[: g.span.start - a] + g.suggestions[0] + edited[g.span.end - a :]
            last = g.span.start
        if edited == s:
            return None
        s = edited
    return None


def _recheck(doc: Document, span: Span, s: str, rules: Sequence[Any], ctx: Any) -> list[Finding] | None:
    """The findings of ``rules`` on the sentence with ``s`` in place of ``span``, in the document's offsets.

    The probe document is the title (so headline detection is unchanged) and the rewritten sentence,
    nothing else: re-checking costs one sentence, not one document, per suggestion.
    """
    sentence = doc.sentence_at(span.start)
    if sentence is None:
        return None
    start, end = sentence.start, max(sentence.end, span.end)
    text = doc.text
    title = doc.meta.title_span
    head = text[title.start : title.end] + "\n\n" if title and (title.end <= start or title.start >= end) else ""
    rewritten = head + text[start : span.start] + s + text[span.end : end]
    shift = start - len(head)  # probe offset + shift = document offset (before the rewritten words)
    digest = hashlib.blake2b(rewritten.encode(), digest_size=8).hexdigest()
    probe = Document(id=f"{doc.id}\x1frewrite\x1f{digest}", raw=rewritten, format="txt", language=doc.language, fields=doc.fields)
    found: list[Finding] = []
    for rule in rules:
        try:
            found.extend(rule.run(probe, ctx))
        except Exception:  # a check that fails on the rewrite gives no verdict; the run already reports its failures
            continue
    return [g.with_(span=Span(g.span.start + shift, g.span.end + shift)) for g in found if g.span.end > len(head)]
