"""Does a short report join the story of the long article it reports on, in changed-articles mode?

Usage:
    .venv/bin/python bench/eval_short_reports.py ../shared/eval [--sample 300] [--seed 7] [--json FILE]

For each sampled BBC article (``clean/bbc``, read in place), a short report is made of three of its
sentences from the middle of the body (the 3rd to 5th; no headline), and grouped as the one new
document against the 1,069 articles (``events.group`` with ``focus``, as a gate run groups it).
Counted: reports whose story holds their article (joined), reports left in a story of their own
(alone), and reports whose story holds an article of another BBC category (a lower bound on wrong
merges; some are related stories, e.g. a Wal-Mart lawsuit in entertainment and Wal-Mart in business).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualcheck.agreement import events  # noqa: E402
from qualcheck.backends import fuzzy  # noqa: E402
from qualcheck.document import Document  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    root = args.data / "clean" / "bbc"
    docs = [Document(id=str(p.relative_to(root)), raw=p.read_text(encoding="utf-8", errors="replace")) for p in sorted(root.rglob("*.txt"))]
    known = {d.id: events.keywords(d) for d in docs}
    similarity = lambda a, b: fuzzy.similarity(a, b, "token_set")  # noqa: E731
    joined = alone = other = 0
    for article in random.Random(args.seed).sample(docs, min(args.sample, len(docs))):
        body = " ".join(p for p in article.raw.split("\n\n")[1:] if p.strip())
        report = Document(id="new/report.txt", raw=" ".join(re.split(r"(?<=[.!?])\s+", body)[2:5]) + "\n")
        g = events.group(docs + [report], similarity, focus=frozenset({report.id}), known_keywords=known)
        mates = [d for d, s in g.story.items() if s == g.story[report.id] and d != report.id]
        joined += article.id in mates
        alone += not mates
        other += any(m.split("/")[0] != article.id.split("/")[0] for m in mates)
    result = {"reports": min(args.sample, len(docs)), "joined_their_article": joined, "alone": alone, "with_another_category": other}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
