"""Every L3S-GN1 residue block of one half, appended to BBC articles: how many does the BP rules' scan catch?

The gate eval (``eval_gate.py``) samples 60 blocks per half and runs every rule; this checks all of
them (about 300 per half) with the BP rules alone, so a change to the tail scan shows on more cases
in seconds. A block is the 3 lines after the article on an L3S page (at least 8 characters, not
article text), as ``eval_gate.residue_lines`` picks them; halves by site. Each is appended to a BBC
half A article (its own paragraphs are then the "article"); a block counts as caught when the
document has BP findings on at least 3 lines, which is what caps the boilerplate score in the gate.

Usage: python bench/eval_residue_blocks.py ../shared/eval [--half tune|test] [--show]
(``--show`` prints the blocks not caught, with their flags: look only at the tune half.)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval_boilerplate import ARTICLE, bp_rules, load_pages  # noqa: E402
from eval_gate import half  # noqa: E402

from qualcheck import engine  # noqa: E402
from qualcheck.document import Document  # noqa: E402


def blocks(eval_dir: Path, side: str) -> list[tuple[str, list[str]]]:
    out = []
    for page in load_pages(eval_dir / "boilerplate" / "l3s-gn1"):
        if page.split("site") != side:
            continue
        idx = [i for i, label in enumerate(page.labels) if label in ARTICLE]
        tail = [ln for ln, lb in zip(page.lines[idx[-1] + 1 :], page.labels[idx[-1] + 1 :]) if lb not in ARTICLE and len(ln) >= 8][:3]
        if len(tail) == 3:
            out.append((page.name, tail))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--half", choices=("tune", "test"), default="tune")
    ap.add_argument("--show", action="store_true", help="print the blocks not caught")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    bbc = [p for p in sorted((args.eval_dir / "clean" / "bbc").rglob("*.txt")) if half(p) == "A"]
    random.Random(args.seed).shuffle(bbc)
    docs = []
    for k, (name, tail) in enumerate(blocks(args.eval_dir, args.half)):
        base = bbc[k % len(bbc)].read_text(encoding="utf-8").rstrip("\n")
        docs.append((Document(id=f"{name}.txt", raw=base + "\n\n" + "\n\n".join(tail) + "\n"), base.count("\n") + 1, tail))
    report = engine.check([d for d, _, _ in docs], bp_rules())
    found = {d.document: [f for f in d.findings if f.category == "boilerplate"] for d in report.documents}
    caught = 0
    for doc, body_lines, tail in docs:
        flagged = {f.line for f in found[doc.id]}
        if len(flagged) >= 3:
            caught += 1
        elif args.show:
            print(f"=== {doc.id} ({len(flagged)} lines flagged)")
            for j, line in enumerate(tail):
                codes = sorted({f.code for f in found[doc.id] if f.line == body_lines + 2 + 2 * j})
                print(f"   {','.join(codes) or '--':6} {line[:150]}")
    print(f"{args.half}: {caught} of {len(docs)} blocks caught ({100 * caught / max(1, len(docs)):.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
