"""Measure MT110 (untranslated-article) and MT111 (untranslated-sentence) through the real engine.

Usage: python bench/eval_doclang.py ../shared/eval [--min-letters N] [--min-probability P] [--shortcut]
(the two options change MT110's params; MT111 runs with its YAML's; --shortcut only counts, per set,
the texts the rules' plainly-expected short-cut sends past py3langid and how many of those py3langid
would have flagged: each would be a finding the short-cut loses)

Every text below is one document of one run with only MT110 selected, as a corpus would see it:
- English that must not be flagged: the 1,069 BBC articles (clean/bbc), the five seeds, the
  machine-translated English side of MLQE-PE (5 x 1,000 sentences, garbled ones included) and of
  WMT23 zh-en news (each distinct target once).
- Text in another language that should be flagged: MLQE-PE's source sentences (Russian, Romanian,
  Estonian, Nepali, Sinhala) and WMT23's Chinese sources (each distinct source once).
Reported: documents judged (at least --min-letters letters), flags, and the languages named; the
detection rate counts only judged documents. Speed: documents per second, MT110 alone.
MT111 is then run alone on the same texts, counting judged sentences (body sentences of at least
its min-letters letters) and the sentences its findings cover.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualcheck import engine, ruleset  # noqa: E402
from qualcheck.backends import langid  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.document import Document  # noqa: E402
from qualcheck.kinds.document_language import letters, plainly_expected  # noqa: E402
from qualcheck.scoring import sentences as sentence_scores  # noqa: E402

csv.field_size_limit(10**7)
PAIRS = ("ru", "ro", "et", "ne", "si")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _rule(min_letters: int | None, min_probability: float | None):
    rule = ruleset.load().by_code("MT110")
    changes = {k: v for k, v in (("min_letters", min_letters), ("min_probability", min_probability)) if v is not None}
    return dataclasses.replace(rule, params=dataclasses.replace(rule.params, **changes)) if changes else rule


def measure(label: str, texts: list[str], rule) -> dict:
    docs = [Document(id=f"{label}-{i}", raw=t) for i, t in enumerate(texts)]
    started = time.perf_counter()
    report = engine.check(docs, [rule], Settings())
    seconds = time.perf_counter() - started
    flagged = [f for r in report.documents for f in r.findings]
    if rule.kind == "passage-language":  # per sentence
        units = [(d.id, s) for d in docs for s in sentence_scores.body_sentences(d) if letters(d.text[s.start : s.end]) >= rule.params.min_letters]
        judged = len(units)
        flagged = [f for f in flagged for _ in range(sum(1 for d, s in units if d == f.document and f.span.start <= s.start < f.span.end))]
    else:
        judged = sum(1 for d in docs if letters(d.text) >= rule.params.min_letters)
    languages = Counter(f.data.get("language") for f in flagged)
    return {"set": label, "documents": len(docs), "judged": judged, "flagged": len(flagged),
            "rate": round(len(flagged) / judged, 4) if judged else None,
            "languages": dict(languages.most_common(5)), "docs_per_s": round(len(docs) / seconds, 1)}


def shortcut(label: str, texts: list[str], rule) -> dict:
    """How often the rule's plainly-expected short-cut skips py3langid on the texts it judges, and on
    how many of them py3langid would have flagged the text (each one a finding the short-cut loses)."""
    p = rule.params
    docs = [Document(id=f"{label}-{i}", raw=t) for i, t in enumerate(texts)]
    if rule.kind == "passage-language":
        units = [d.text[s.start : s.end] for d in docs for s in sentence_scores.body_sentences(d)]
    else:
        units = []
        for d in docs:
            body = sentence_scores.body_sentences(d) or list(d.sentences)
            units += [d.text[body[0].start : body[-1].end]] if body else []
    judged = [u for u in units if letters(u) >= p.min_letters]
    skipped = [u for u in judged if plainly_expected(u, p)]
    lost = [u for u in skipped if 1.0 - dict(langid.identify(u)).get(p.expected, 0.0) >= p.min_probability]
    return {"set": label, "judged": len(judged), "skipped": len(skipped), "lost": len(lost), "examples": [u[:90] for u in lost[:3]]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared eval folder (with clean/ and translation/)")
    ap.add_argument("--min-letters", type=int, default=None)
    ap.add_argument("--min-probability", type=float, default=None)
    ap.add_argument("--shortcut", action="store_true", help="only measure the plainly-expected short-cut past py3langid")
    args = ap.parse_args(argv)
    sets = [("BBC (English)", [p.read_text(encoding="utf-8", errors="replace") for p in sorted((args.data / "clean" / "bbc").rglob("*.txt"))]),
            ("seeds (English)", [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))])]
    for pair in PAIRS:
        with open(args.data / "translation" / f"mlqe-pe-{pair}-en-dev.tsv", encoding="utf-8") as fh:
            data = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        sets += [(f"MLQE-PE {pair}-en, English MT", [r["mt"] for r in data]), (f"MLQE-PE {pair}-en, {pair} source", [r["source"] for r in data])]
    with open(args.data / "translation" / "wmt23-mqm-zhen-news.tsv", encoding="utf-8") as fh:
        data = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    sets += [("WMT23 zh-en, English MT", sorted({r["target"] for r in data})), ("WMT23 zh-en, zh source", sorted({r["source"] for r in data}))]
    if args.shortcut:
        for rule in (ruleset.load().by_code("MT110"), ruleset.load().by_code("MT111")):
            print(f"\n{rule.code}: texts judged, sent past py3langid by the short-cut, and of those py3langid would flag (lost findings)")
            total = Counter()
            for label, texts in sets:
                r = shortcut(label, texts, rule)
                total.update(judged=r["judged"], skipped=r["skipped"], lost=r["lost"])
                print(f"{label:34} {r['judged']:6} {r['skipped']:6} {r['lost']:4}  {r['examples']}")
            print(f"{'all':34} {total['judged']:6} {total['skipped']:6} {total['lost']:4}")
        return 0
    # speed: the engine over BBC with no rule (segmenting, statistics) against the same with MT110 and MT111
    bbc = sets[0][1]
    timings = {}
    for label, rules in (("no rule", []), ("MT110 + MT111", [ruleset.load().by_code("MT110"), ruleset.load().by_code("MT111")]), ("no rule, again", [])):
        started = time.perf_counter()
        engine.check([Document(id=f"bbc-{i}", raw=t) for i, t in enumerate(bbc)], rules, Settings())
        timings[label] = time.perf_counter() - started
    base = (timings["no rule"] + timings["no rule, again"]) / 2
    print(f"speed on {len(bbc)} BBC articles: no rule {base:.2f} s (mean of two runs), MT110 + MT111 {timings['MT110 + MT111']:.2f} s = {timings['MT110 + MT111'] / base:.2f}x")
    for rule in (_rule(args.min_letters, args.min_probability), ruleset.load().by_code("MT111")):
        print(f"\n{rule.code} ({rule.name}): min-letters {rule.params.min_letters}, min-probability {rule.params.min_probability}")
        unit = "sentences" if rule.kind == "passage-language" else "docs"
        print(f"{'set':34} {'docs':>6} {'judged':>6} {'flagged':>7} {'rate':>7} {'docs/s':>8}  languages   (judged, flagged: {unit})")
        for label, texts in sets:
            r = measure(label, texts, rule)
            rate = "-" if r["rate"] is None else f"{r['rate']:.4f}"
            print(f"{r['set']:34} {r['documents']:6} {r['judged']:6} {r['flagged']:7} {rate:>7} {r['docs_per_s']:8}  {r['languages']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
