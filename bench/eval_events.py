"""Purity of story and event grouping on BBC News, with the category folders as weak labels.

Usage:
    .venv/bin/python bench/eval_events.py ../shared/eval [--json FILE]

A story that spans business and sport has certainly merged unrelated articles, so the share of
grouped documents whose category is not their story's majority category is a lower bound on the
over-merge. Also reported: how many documents are grouped at all, the largest story and event,
and the number of cross-category links (pairs inside one story from different folders).
The BBC set (``clean/bbc/<category>/NNN.txt``) is read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck.agreement import events  # noqa: E402
from qualcheck.backends import fuzzy  # noqa: E402
from qualcheck.document import Document  # noqa: E402


def purity(groups: dict[str, list[str]], label: dict[str, str]) -> dict:
    multi = [m for m in groups.values() if len(m) > 1]
    grouped = sum(len(m) for m in multi)
    off = sum(len(m) - Counter(label[d] for d in m).most_common(1)[0][1] for m in multi)
    cross_pairs = sum(
        sum(1 for i, a in enumerate(m) for b in m[i + 1 :] if label[a] != label[b]) for m in multi
    )
    pairs = sum(len(m) * (len(m) - 1) // 2 for m in multi)
    mixed = sum(1 for m in multi if len({label[d] for d in m}) > 1)
    return {
        "groups_with_2plus": len(multi),
        "documents_grouped": grouped,
        "largest": max((len(m) for m in multi), default=1),
        "purity": round(1 - off / grouped, 4) if grouped else None,
        "mixed_groups": mixed,
        "pairs": pairs,
        "cross_category_pairs": cross_pairs,
        "pair_precision": round(1 - cross_pairs / pairs, 4) if pairs else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="the shared eval folder (holds clean/bbc/)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    folder = args.data_dir / "clean" / "bbc"
    if not folder.is_dir():
        parser.error(f"{folder}: not found")
    docs, label = [], {}
    for path in sorted(folder.glob("*/*.txt")):
        doc_id = f"{path.parent.name}/{path.name}"
        docs.append(Document(id=doc_id, raw=path.read_text(encoding="utf-8", errors="replace")))
        label[doc_id] = path.parent.name
    started = time.perf_counter()
    grouping = events.group(
        docs,
        lambda a, b: fuzzy.similarity(a, b, "token_set"),
        duplicate_similarity=lambda a, b: fuzzy.similarity(a, b, "ratio", cutoff=80),
    )
    seconds = time.perf_counter() - started
    result = {
        "documents": len(docs),
        "seconds": round(seconds, 2),
        "pairs_scored": grouping.pairs_scored,
        "story": purity(grouping.members("story"), label),
        "event": purity(grouping.members("event"), label),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
