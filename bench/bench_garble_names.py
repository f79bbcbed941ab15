"""Speed and false-flag cost of each way MT101 tells a name from a stray capital.

Usage: python bench/bench_garble_names.py CORPUS_DIR   (e.g. ../shared/eval/clean/bbc)

Runs MT101 over the corpus four times: dictionary only; + names seen in the run; + spaCy on the
remaining candidates; both. Prints seconds (ratio to the dictionary-only baseline of the same
session, after one warm-up run) and flags per 1,000 sentences.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from qualcheck import discover, engine, ruleset


def main(argv=None) -> int:
    folder = Path((argv or sys.argv[1:])[0])
    loaded = discover.load([str(folder)], folder, [], None)
    base = ruleset.load().by_code("MT101")
    sentences = sum(len(d.sentences) for d in loaded.documents)
    baseline = None
    engine.check(discover.load([str(folder)], folder, [], None).documents, [base])  # warm-up: imports, dictionaries, spaCy load
    for corpus_names, nlp_names in ((False, False), (True, False), (False, True), (True, True)):
        rule = dataclasses.replace(base, params=dataclasses.replace(base.params, corpus_names=corpus_names, nlp_names=nlp_names))
        docs = discover.load([str(folder)], folder, [], None).documents  # fresh: no cached segments
        t0 = time.perf_counter()
        report = engine.check(docs, [rule])
        secs = time.perf_counter() - t0
        baseline = baseline or secs
        flags = len(report.findings)
        print(
            f"corpus_names={corpus_names!s:5} nlp_names={nlp_names!s:5} {secs:7.2f} s (x{secs / baseline:.2f}) "
            f"{flags} flags = {1000 * flags / sentences:.2f} per 1,000 sentences"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
