"""Measure sentence segmenters on the seeds (boundary P/R/F1 against hand labels) and their speed on BBC.

Usage:
    .venv/bin/python bench/segmentation.py [DATA_DIR] [--json bench/results/segmentation.json]

Gold: ``bench/data/seed-sentences.json`` (our own hand-checked labels of the seed articles; its
``about`` field states the guidelines). Every segmenter sees the same paragraphs that
``Document`` hands to ``qualcheck.backends.segmenter`` (blank-line separated), so paragraph starts
are free; we score only the boundaries *inside* paragraphs, where segmenters differ, and also
report exact-sentence F1. Speed: sentences per second over every paragraph of ``clean/bbc``
(if DATA_DIR is given). pysbd is a bench-only comparison (``pip install pysbd``), not a dependency.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck import discover  # noqa: E402
from qualcheck.backends import segmenter as _syntok  # noqa: E402
from qualcheck.document import Document  # noqa: E402

GOLD = ROOT / "bench" / "data" / "seed-sentences.json"
_REGEX_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def regex_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Baseline: split after . ! ? (and closing quotes) before an upper-case letter or digit."""
    spans, pos = [], 0
    for m in _REGEX_END.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text.rstrip())))
    return [(offset + a, offset + b) for a, b in spans if b > a]


def pysbd_segmenter():
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
        out = []
        for span in seg.segment(text):
            chunk = text[span.start : span.end]
            lead = len(chunk) - len(chunk.lstrip())
            a, b = span.start + lead, span.start + len(chunk.rstrip())
            if b > a:
                out.append((offset + a, offset + b))
        return out

    return sentences


def segmenters() -> dict:
    found = {"syntok (qualcheck)": _syntok.sentences, "regex baseline": regex_sentences}
    if (pysbd := pysbd_segmenter()) is not None:
        found["pysbd"] = pysbd
    return found


def gold_spans(raw: str, sentences: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for s in sentences:
        start = raw.index(s, pos)
        spans.append((start, start + len(s)))
        pos = start + len(s)
    return spans


def segment(doc: Document, func) -> list[tuple[int, int]]:
    spans = []
    for para in doc.paragraphs:
        spans.extend(func(doc.text[para.start : para.end], para.start))
    return spans


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def evaluate_seeds() -> dict:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["sentences"]
    results = {}
    for name, func in segmenters().items():
        tp_b = n_pred_b = n_gold_b = tp_s = n_pred_s = n_gold_s = 0
        errors = []
        for seed, sentences in gold.items():
            raw = (ROOT / "seeds" / seed).read_text(encoding="utf-8")
            doc = Document(id=seed, raw=raw)
            para_starts = {p.start for p in doc.paragraphs}
            g = gold_spans(raw, sentences)
            pred = segment(doc, func)
            gb = {a for a, _ in g} - para_starts
            pb = {a for a, _ in pred} - para_starts
            tp_b += len(gb & pb)
            n_pred_b += len(pb)
            n_gold_b += len(gb)
            tp_s += len(set(g) & set(pred))
            n_pred_s += len(pred)
            n_gold_s += len(g)
            errors += [f"{seed}: missed boundary before {raw[a:a + 40]!r}" for a in sorted(gb - pb)]
            errors += [f"{seed}: false boundary before {raw[a:a + 40]!r}" for a in sorted(pb - gb)]
        results[name] = {"boundaries": prf(tp_b, n_pred_b, n_gold_b), "sentences": prf(tp_s, n_pred_s, n_gold_s),
                         "errors": errors}
    return results


def speed(bbc: Path) -> dict:
    docs = discover.load([str(bbc)], bbc).documents
    paragraphs = [(d.text[p.start : p.end], p.start) for d in docs for p in d.paragraphs]
    words = sum(len(d.words()) for d in docs)
    out = {"documents": len(docs), "paragraphs": len(paragraphs), "words": words}
    for name, func in segmenters().items():
        t0 = time.perf_counter()
        n = sum(len(func(text, offset)) for text, offset in paragraphs)
        seconds = time.perf_counter() - t0
        out[name] = {"sentences": n, "seconds": round(seconds, 2), "sentences_per_second": round(n / seconds),
                     "words_per_second": round(words / seconds)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path, nargs="?", help="the shared eval folder (for speed on clean/bbc)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--errors", action="store_true", help="list every boundary error")
    args = ap.parse_args(argv)
    if pysbd_segmenter() is None:
        print("note: pysbd is not installed; comparing syntok with the regex baseline only", file=sys.stderr)
    results = {"seeds": evaluate_seeds()}
    print("Seeds (boundaries inside paragraphs; exact sentences):")
    for name, r in results["seeds"].items():
        b, s = r["boundaries"], r["sentences"]
        print(f"  {name:20} boundary P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f} "
              f"(gold {b['gold']}, predicted {b['predicted']})   sentence F1 {s['f1']:.3f}")
        if args.errors:
            for e in r["errors"]:
                print("     ", e)
    if args.data_dir and (args.data_dir / "clean" / "bbc").is_dir():
        results["bbc_speed"] = sp = speed(args.data_dir / "clean" / "bbc")
        print(f"BBC speed ({sp['documents']} documents, {sp['paragraphs']} paragraphs, {sp['words']} words):")
        for name in segmenters():
            r = sp[name]
            print(f"  {name:20} {r['sentences']} sentences in {r['seconds']} s = {r['sentences_per_second']} "
                  f"sentences/s, {r['words_per_second']} words/s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        for r in results["seeds"].values():
            r.pop("errors")
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
