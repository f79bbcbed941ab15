"""False alarms of the quotation-mark rules on curly-quoted clean news: BBC with its straight quotes made typographic.

Usage: python bench/eval_curly_quotes.py ../shared/eval [--select MT113,MT105] [--show N]

The BBC articles (../shared/eval/clean/bbc, never copied into the project) use straight quotes only,
so MT113 (reopened-quote, curly marks only) cannot fire on them as they are. Here every straight mark
is turned into a typographic one the way SmartyPants does (John Gruber's algorithm): a double or
single mark is an opening one at the start of a line or after whitespace, an opening bracket, a dash
or another opening mark, and a closing one elsewhere; a single mark before a decade ('90s) is an
apostrophe. Both versions are checked with the same rules; every finding is a false alarm (BBC is
edited news; a finding that is there in both versions is counted in both). Reported per 1,000
sentences, on all articles and on the two halves by a hash of the path (as eval_clean_flags.py).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

from qualcheck import engine, ruleset
from qualcheck.config import Settings
from qualcheck.document import Document

_OPENING_CONTEXT = "([{<—–-“‘\u00a0"
_DECADE = re.compile(r"'(?=\d0s\b)")


def smarten(text: str) -> str:
    """Straight quotes to typographic ones, SmartyPants-style (opening after whitespace, start or an opener)."""
    text = _DECADE.sub("’", text)
    out = []
    for i, ch in enumerate(text):
        if ch not in "\"'":
            out.append(ch)
            continue
        before = out[-1] if out else ""
        opening = before == "" or before.isspace() or before in _OPENING_CONTEXT
        if ch == '"':
            out.append("“" if opening else "”")
        else:
            out.append("‘" if opening else "’")
    return "".join(out)


def half(text: str) -> str:
    return "A" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def count(docs: list[Document], rules) -> tuple[Counter, list]:
    report = engine.check(docs, rules, Settings())
    hits: Counter = Counter()
    shown = []
    for f in report.findings:
        hits[(half(f.document), f.code)] += 1
        shown.append(f"{f.document} {f.code}: {f.excerpt[:100]!r} | {f.message[:140]}")
    return hits, shown


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--select", default="MT113,MT105", help="rule codes to count (opt-in ones run when named, e.g. MT109)")
    ap.add_argument("--show", type=int, default=0, help="print N findings on the curly version")
    args = ap.parse_args(argv)
    rules = ruleset.load().select(tuple(args.select.split(",")), ())
    bbc = args.data / "clean" / "bbc"
    files = sorted(p for p in bbc.rglob("*.txt"))
    raw = {p.relative_to(bbc).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in files}
    straight = [Document(id=k, raw=v) for k, v in raw.items()]
    curly = [Document(id=k, raw=smarten(v)) for k, v in raw.items()]
    sentences = Counter()
    for d in straight:
        sentences[half(d.id)] += len(d.sentences)
    total = sum(sentences.values())
    marks = sum(v.count('"') + v.count("'") for v in raw.values())
    print(f"BBC: {len(raw)} articles, {total} sentences (A {sentences['A']}, B {sentences['B']}), {marks} straight marks made typographic")
    for label, docs in (("straight", straight), ("curly", curly)):
        hits, shown = count(docs, rules)
        codes = sorted({c for _, c in hits} | {r.code for r in rules})
        per = {c: round(1000 * (hits[("A", c)] + hits[("B", c)]) / total, 2) for c in codes}
        halves = {c: {h: round(1000 * hits[(h, c)] / max(1, sentences[h]), 2) for h in "AB"} for c in codes}
        print(f"{label}: findings per 1,000 sentences {per}; per half {halves}; counts {dict(sorted(Counter(c for _, c in hits.elements()).items()))}")
        if label == "curly":
            for line in shown[: args.show]:
                print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
