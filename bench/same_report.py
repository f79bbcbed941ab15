"""Whether two JSON reports say the same thing: the guard for speed work, which must change no finding.

Usage:
    python bench/same_report.py BEFORE.json AFTER.json [--ignore KEY ...]

Run both reports from the same working directory (document paths are written relative to it).
Keys named by ``--ignore`` (none by default: the JSON report holds no timings today) are dropped
at any depth before comparing. Exit 0 when the reports are equal; otherwise exit 1 and print
where they differ: the top-level parts, then per document the rules whose findings changed and
the other fields that did.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def _strip(value: Any, ignore: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, ignore) for k, v in value.items() if k not in ignore}
    if isinstance(value, list):
        return [_strip(v, ignore) for v in value]
    return value


def differences(before: dict[str, Any], after: dict[str, Any], limit: int = 20) -> list[str]:
    """Human-readable lines naming what differs (empty when the reports are equal)."""
    out = [f"top-level {key!r} differs" for key in sorted(set(before) | set(after))
           if key != "documents" and before.get(key) != after.get(key)]
    docs_a = {d["path"]: d for d in before.get("documents", [])}
    docs_b = {d["path"]: d for d in after.get("documents", [])}
    for path in sorted(set(docs_a) ^ set(docs_b)):
        out.append(f"{path}: only in {'before' if path in docs_a else 'after'}")
    shown = 0
    for path in sorted(set(docs_a) & set(docs_b)):
        a, b = docs_a[path], docs_b[path]
        if a == b:
            continue
        rules = Counter(f["rule"] for f in a.get("findings", []))
        rules.subtract(Counter(f["rule"] for f in b.get("findings", [])))
        changed = {r: -n for r, n in rules.items() if n}
        fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        if shown < limit:
            out.append(f"{path}: fields {', '.join(fields)}; finding counts after-before {changed or 'same'}")
        shown += 1
    if shown > limit:
        out.append(f"... and {shown - limit} more documents")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--ignore", nargs="*", default=[], help="keys to drop at any depth before comparing")
    args = ap.parse_args(argv)
    ignore = frozenset(args.ignore)
    before = _strip(json.loads(args.before.read_text(encoding="utf-8")), ignore)
    after = _strip(json.loads(args.after.read_text(encoding="utf-8")), ignore)
    lines = differences(before, after)
    if not lines:
        print(f"same: {len(before.get('documents', []))} documents, {before.get('summary', {}).get('findings')} findings")
        return 0
    print("\n".join(lines))
    return 1


if __name__ == "__main__":
    sys.exit(main())
