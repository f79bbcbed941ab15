"""Do quantulum3 / dateparser earn a place next to our hand-written claim regexes? (issue 3)

Usage:
    .venv/bin/python bench/eval_number_parsers.py ../shared/eval [--json bench/results/number_parsers.json]

quantulum3 and dateparser are BENCH-ONLY dependencies (``.venv/bin/pip install quantulum3
dateparser``); they are not in pyproject.toml and qualcheck never imports them.

Measured on MRPC sentences (agreement/mrpc-train.tsv, both sentences of every pair) and on the
sentences of seeds/*.txt:
1. agreement of the numeric values each extractor finds per sentence. Ours: the Quantity values of
   ``claims.extract`` (number, money, percent, distance, duration, year) plus day and year of
   dates. Values are matched loosely across units (ours is in base units, "40 km" = 36,000–44,000 m;
   quantulum keeps the surface unit), within 1% or inside our interval.
2. a naive contradiction detector on MRPC pairs: "the two sentences' value sets differ" (and the
   stricter "both have values and they differ"), how often it fires on equivalent / non-equivalent
   pairs, and its precision (non-equivalent among fired).
3. speed in sentences/s on the same sentences in one process, and import/load time.
4. dateparser.search.search_dates on the seeds: date mentions our date/year claims do not cover.
Sentence text is printed only for seeds examples (and never saved); the JSON holds numbers only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck.agreement import claims  # noqa: E402
from qualcheck.document import Document  # noqa: E402

# base-unit factors ours may have applied (km, mile, minute, hour, day, week, month, year, thousand)
_FACTORS = (1.0, 1000.0, 1609.344, 60.0, 3600.0, 86400.0, 604800.0, 2629800.0, 31557600.0, 0.01, 100.0)


def ours_values(doc: Document, vocab) -> list[tuple[float, float, str]]:
    """(low, high, kind) of every numeric value our extractor reports."""
    out = []
    for c in claims.extract(doc, vocab):
        v = c.value
        if isinstance(v, claims.Quantity):
            high = v.high if v.high != float("inf") else v.low
            out.append((v.low, high, c.kind))
        elif c.kind == "date" and isinstance(v, tuple) and v[0] == "date":
            out.append((float(v[2]), float(v[2]), "date"))
            if v[3] is not None:
                out.append((float(v[3]), float(v[3]), "date"))
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(1.0, abs(a), abs(b))


def matches(ours: tuple[float, float, str], q: float) -> bool:
    low, high, _ = ours
    for f in _FACTORS:
        lo, hi = low / f, high / f
        if lo - 1e-9 <= q <= hi + 1e-9 or _close(lo, q) or _close(hi, q):
            return True
    return False


def compare(ours: list, qs: list[float]) -> tuple[int, int]:
    """(our values quantulum lacks, quantulum values we lack)."""
    only_ours = sum(1 for o in ours if not any(matches(o, q) for q in qs))
    only_q = sum(1 for q in qs if not any(matches(o, q) for o in ours))
    return only_ours, only_q


def q_values(parser, text: str) -> list:
    return parser.parse(text)


def tally(rows) -> dict:
    """rows: (n_ours, n_q, only_ours, only_q) per sentence."""
    t = {"sentences": 0, "both_empty": 0, "agree_nonempty": 0, "only_ours_finds": 0, "only_quantulum_finds": 0,
         "both_find_extra": 0, "ours_values": 0, "quantulum_values": 0,
         "ours_values_unmatched": 0, "quantulum_values_unmatched": 0}
    for n_o, n_q, oo, oq in rows:
        t["sentences"] += 1
        t["ours_values"] += n_o
        t["quantulum_values"] += n_q
        t["ours_values_unmatched"] += oo
        t["quantulum_values_unmatched"] += oq
        if n_o == 0 and n_q == 0:
            t["both_empty"] += 1
        elif oo == 0 and oq == 0:
            t["agree_nonempty"] += 1
        elif oo and oq:
            t["both_find_extra"] += 1
        elif oo:
            t["only_ours_finds"] += 1
        else:
            t["only_quantulum_finds"] += 1
    return t


def key_ours(vals) -> frozenset:
    return frozenset((k if k != "date" else "date", round(lo, 6), round(hi, 6)) for lo, hi, k in vals)


def key_q(qs) -> frozenset:
    return frozenset((q.unit.name, round(float(q.value), 6)) for q in qs)


def detector(pairs, keys_a, keys_b) -> dict:
    out = {}
    for name, strict in (("differ", False), ("both_nonempty_and_differ", True)):
        fired = {0: 0, 1: 0}
        total = {0: 0, 1: 0}
        for (label, _, _), a, b in zip(pairs, keys_a, keys_b):
            total[label] += 1
            if a != b and (not strict or (a and b)):
                fired[label] += 1
        n = fired[0] + fired[1]
        out[name] = {
            "fires_on_equivalent": fired[1], "equivalent_pairs": total[1],
            "fires_on_nonequivalent": fired[0], "nonequivalent_pairs": total[0],
            "rate_equivalent": round(fired[1] / max(1, total[1]), 4),
            "rate_nonequivalent": round(fired[0] / max(1, total[0]), 4),
            "precision": round(fired[0] / n, 4) if n else None,
            "base_rate_nonequivalent": round(total[0] / max(1, total[0] + total[1]), 4),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    res: dict = {}

    t0 = time.perf_counter()
    vocab = claims.vocabulary()
    claims.extract(Document(id="warm", raw="It rose 5% to $3 million on Feb. 8, 2003."), vocab)
    res["ours_load_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser as qparser
        qparser.parse("It rose 5% to $3 million.")
    res["quantulum3_import_load_s"] = round(time.perf_counter() - t0, 3)

    # ---- MRPC
    pairs = []
    with open(args.data_dir / "agreement" / "mrpc-train.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            s1, s2 = row["sentence1"].strip('"').replace('""', '"'), row["sentence2"].strip('"').replace('""', '"')
            pairs.append((int(row["equivalent"]), s1, s2))
    sents = [s for _, a, b in pairs for s in (a, b)]

    t0 = time.perf_counter()
    ours = [ours_values(Document(id=str(i), raw=s), vocab) for i, s in enumerate(sents)]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qs = [qparser.parse(s) for s in sents]
    t_q = time.perf_counter() - t0
    rows = []
    for o, q in zip(ours, qs):
        vals = [float(x.value) for x in q]
        rows.append((len(o), len(vals), *compare(o, vals)))
    res["mrpc_agreement"] = tally(rows)
    res["mrpc_speed"] = {"sentences": len(sents), "ours_s": round(t_ours, 2), "quantulum3_s": round(t_q, 2),
                         "ours_sent_per_s": round(len(sents) / t_ours, 1),
                         "quantulum3_sent_per_s": round(len(sents) / t_q, 1),
                         "quantulum3_slowdown": round(t_q / t_ours, 2)}
    ko = [key_ours(o) for o in ours]
    kq = [key_q(q) for q in qs]
    res["mrpc_detector"] = {"ours": detector(pairs, ko[0::2], ko[1::2]),
                            "quantulum3": detector(pairs, kq[0::2], kq[1::2])}

    # ---- seeds
    seed_rows, only_o_ex, only_q_ex, seed_sents = [], [], [], []
    date_extra, n_dp = [], 0
    t_dp = 0.0
    try:
        import dateparser.search as dps
        t0 = time.perf_counter()
        dps.search_dates("It happened on Feb. 8, 2003.", languages=["en"])
        res["dateparser_import_load_s"] = round(time.perf_counter() - t0, 3)
    except Exception as exc:  # report, not crash
        dps = None
        res["dateparser_error"] = type(exc).__name__
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        doc = Document(id=path.name, raw=path.read_text(encoding="utf-8"))
        all_claims = claims.extract(doc, vocab)
        date_spans = [(c.start, c.end) for c in all_claims if c.kind in ("date", "year")]
        for sp in doc.sentences:
            text = doc.raw[sp.start : sp.end]
            seed_sents.append(text)
            sub = Document(id="s", raw=text)
            o = ours_values(sub, vocab)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                q = qparser.parse(text)
            vals = [float(x.value) for x in q]
            oo, oq = compare(o, vals)
            seed_rows.append((len(o), len(vals), oo, oq))
            if oo and len(only_o_ex) < 10:
                only_o_ex.append((text, [x for x in o if not any(matches(x, v) for v in vals)]))
            if oq and len(only_q_ex) < 10:
                only_q_ex.append((text, [(x.surface, x.value, x.unit.name) for x in q
                                         if not any(matches(y, float(x.value)) for y in o)]))
            if dps is not None:
                t0 = time.perf_counter()
                found = dps.search_dates(text, languages=["en"]) or []
                t_dp += time.perf_counter() - t0
                n_dp += len(found)
                pos = 0
                for surf, dt in found:
                    i = text.find(surf, pos)
                    if i < 0:
                        continue
                    pos = i + len(surf)
                    a, b = sp.start + i, sp.start + i + len(surf)
                    if not any(x < b and a < y for x, y in date_spans):
                        date_extra.append((surf, dt.isoformat()))
    res["seeds_agreement"] = tally(seed_rows)
    if dps is not None:
        res["dateparser_seeds"] = {"sentences": len(seed_sents), "dates_found": n_dp,
                                   "not_covered_by_ours": len(date_extra),
                                   "sent_per_s": round(len(seed_sents) / t_dp, 1) if t_dp else None}
    # our speed on the same seed sentences, for the dateparser ratio
    t0 = time.perf_counter()
    for s in seed_sents:
        claims.extract(Document(id="s", raw=s), vocab)
    t_o = time.perf_counter() - t0
    res["seeds_ours_sent_per_s"] = round(len(seed_sents) / t_o, 1)

    print(json.dumps(res, indent=2))
    print("\n--- seeds: values only ours finds (first 10 sentences)")
    for text, vals in only_o_ex:
        print(f"  {[(round(a, 2), round(b, 2), k) for a, b, k in vals]}  <- {text.strip()[:160]!r}")
    print("\n--- seeds: values only quantulum3 finds (first 10 sentences)")
    for text, vals in only_q_ex:
        print(f"  {vals}  <- {text.strip()[:160]!r}")
    print("\n--- seeds: dateparser dates not covered by our date/year claims")
    for surf, iso in date_extra:
        print(f"  {surf!r} -> {iso}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
