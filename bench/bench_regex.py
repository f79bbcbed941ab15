"""Worst-case time one rule's regular expressions spend on one adversarial document.

Usage:
    .venv/bin/python bench/bench_regex.py [--size 200000] [--out bench/results/bench_regex.json]

Builds documents made to provoke backtracking (long runs of one letter, of spaces, of punctuation,
one huge line, nested brackets and quotes, repeated words, a run of "a" ending in a non-match) and
runs every bundled rule whose kind applies rule patterns (existence, substitution, grammar
patterns, stray-headline and edge-lines cues, repetition separators) on each, timing each (rule, document) pair.
A user rule with a pattern known to backtrack catastrophically (``(a|aa)+$``, as BP999) is added to show
that the guard (qualcheck/saferegex.py) stops it at its budget and the run goes on.
Prints the slowest pairs and the worst time; writes them as JSON with --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualcheck import ruleset, saferegex  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.context import Context, Corpus  # noqa: E402
from qualcheck.document import Document  # noqa: E402

PATTERN_KINDS = {"existence", "substitution", "grammar", "stray-headline", "repetition", "edge-lines"}
EVIL_RULE = """code: BP999
name: evil-pattern
kind: existence
severity: info
message: "Matched '{match}'."
summary: A pattern that backtracks catastrophically on a run of a's ending in a non-match.
why: It exists to show the regex budget at work.
params:
  patterns: ['(a|aa)+$']
  multiline: false
"""


def adversarial(size: int) -> dict[str, str]:
    line = max(size // 50, 100)
    return {
        "run-of-a": "a" * size + "!",
        "run-of-spaces": "Word" + " " * size + "word.",
        "punctuation": ("!?.,;:-" * (size // 7)),
        "huge-line": ("The minister said the the talks would go on " * (size // 45)).strip(),
        "nested": "(" * (size // 4) + "[" * (size // 4) + "“" * (size // 4) + "\"" * (size // 4),
        "many-lines": ("Photo: " + "x" * 60 + "\n") * (size // 68),
        "a-then-b": ("a" * 40 + "b\n") * (size // 42),
        "repeated-word": ("go " * (size // 3)).strip(),
        "mixed-script": ("Путин  사진  🌅 café\u0301 \u202e" * (size // 20)),
        "short-lines": ("Leave a Reply\n" * (size // 14)),
        "no-spaces": "x" * line + ("\n" + "y" * line) * 49,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=200_000, help="characters per adversarial document")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "BP999-evil-pattern.yaml").write_text(EVIL_RULE, encoding="utf-8")
        rules = [r for r in ruleset.load([tmp]).rules if r.kind in PATTERN_KINDS and (r.kind != "grammar" or r.prepared is not None)]
    docs = [Document(id=name, raw=text) for name, text in adversarial(args.size).items()]
    ctx = Context(corpus=Corpus(docs), settings=Settings())
    rows = []
    for doc in docs:
        doc.text, doc.paragraphs, doc.sentences  # segmentation is not the regex's time: do it first
        for rule in rules:
            started = time.perf_counter()
            try:
                rule.run(doc, ctx)
                outcome = "ok"
            except saferegex.RegexBudgetExceeded:
                outcome = "over budget (notice)"
            rows.append({"rule": rule.code, "document": doc.id, "seconds": round(time.perf_counter() - started, 4), "outcome": outcome})
    ctx.close()
    rows.sort(key=lambda r: -r["seconds"])
    bundled = [r for r in rows if r["rule"] != "BP999"]
    print(f"{len(rules)} pattern rules x {len(docs)} adversarial documents of {args.size} characters; budget {saferegex.BUDGET:g} s per scan")
    for r in rows[:10]:
        print(f"  {r['seconds']:8.3f} s  {r['rule']}  {r['document']}  {r['outcome']}")
    print(f"worst bundled rule: {bundled[0]['seconds']:.3f} s ({bundled[0]['rule']} on {bundled[0]['document']})")
    evil = [r for r in rows if r["rule"] == "BP999"]
    print(f"worst user rule (catastrophic pattern): {max(r['seconds'] for r in evil):.3f} s, {sum(r['outcome'] != 'ok' for r in evil)} scan(s) stopped at the budget")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"size": args.size, "budget": saferegex.BUDGET, "rows": rows[:40]}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
