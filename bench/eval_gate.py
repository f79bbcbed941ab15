"""Does the recommended gate separate broken articles from edited news?

Runs qualcheck's recommended CI gate (``--fail-under BAR --fail-on error``, default rules, each
test article checked as a new article against the BBC corpus) on:

- clean: the BBC articles (professionally edited news; aim: >= 99% pass),
- the seeds (001 and 003 must fail),
- residue: BBC articles with the 3 lines that follow the article on an L3S-GN1 page appended
  (boilerplate labelled by L3S's annotators, from 400 other sites),
- garbled: BBC articles with 3 machine-translated sentences that MLQE-PE's raters scored DA < 30
  inserted between paragraphs (many read fluently: DA judges adequacy too, which the English alone
  cannot show),
- wmt: BBC articles with 3 visibly broken machine-translated sentences inserted the same way: WMT23
  zh-en news segments whose MQM annotation has at least one fluency or style error per rater on
  average and a major error marked at least twice (``n_fluency_or_style >= 3``, ``n_major >= 2``,
  summed over the 3 raters), that are sentences (8 words or more, ending with . ! ? or a quotation
  mark; not a story's headline),
- title: BBC articles where an office before a name ("Prime Minister Tony Blair") is swapped for
  another office ("President Tony Blair"); the first such title that is not part of a longer one
  ("Deputy Prime Minister", "Lord Chancellor", "former President").

Every injected set comes in two halves, so rules can be tuned on one and reported on the other:
residue blocks by the L3S site they were scraped from (``eval_boilerplate.Page.split("site")``: no
site on both sides; ``tune`` blocks go into BBC half A articles, ``test`` blocks into half B), title
swaps by a hash of the BBC file name (A = tune, B = test), WMT23 segments by their news story
(``eval_translation.half`` of ``doc``, as ``eval_translation.py --split doc`` splits them: no story,
and no other system's translation of a segment, on both sides; tune into BBC half A, test into half
B), MLQE-PE sentences by ``eval_translation.half`` of the sentence (the halves MT900 was and was not
fitted on; tune into BBC half A, test into half B). ``garbled`` is the former whole set (all
MLQE-PE rows, BBC half B), kept for comparison with earlier runs. The clean BBC line is reported
per half too (A was used for choosing scoring constants and MT901's thresholds).

``--explain SET`` prints, for every article of the named sets that was expected to fail but passed
(or, for clean, that failed), its score and its findings: what to fix, article by article.

Usage: python bench/eval_gate.py ../shared/eval [--sample 60] [--bar 70] [--work DIR] [--bbc-limit N]
       [--lm] [--encoder] [--sentences FILE] [--explain residue-tune,title-tune]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualcheck import engine  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.model import Severity  # noqa: E402
from qualcheck.scoring import ScoringSettings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OFFICES = ("Prime Minister", "President", "Chancellor", "Foreign Secretary", "Home Secretary", "Defence Secretary", "Health Secretary")
# a title of its own before the name: not part of a longer one ("Deputy Prime Minister", "Lord
# Chancellor", "Shadow Home Secretary"), where a swap makes another compound title, not a wrong one
_OFFICE = re.compile(r"(?<!Deputy )(?<!Lord )(?<!Shadow )(?<!Vice )(?<!Acting )(?<!acting )(?<!former )(?<!Former )\b(" + "|".join(OFFICES) + r") ([A-Z][a-z]+ [A-Z][a-z]+)")


def half(path) -> str:
    """A or B by a hash of "category/file.txt" (file names repeat across BBC categories)."""
    p = Path(path)
    return "A" if hashlib.sha1(f"{p.parent.name}/{p.name}".encode()).digest()[0] % 2 == 0 else "B"


def _name(p: Path) -> str:
    return f"{p.parent.name}-{p.name}"


def gate(settings: Settings):
    """Run the gate: (documents, failed count, {document: reasons}, report)."""
    report = engine.run(settings)
    failed = {}
    for doc in report.documents:
        reasons = engine.document_gate(doc, settings.fail_under, settings.gate_severity)
        if reasons:
            failed[doc.document] = reasons
    return len(report.documents), len(failed), failed, report


def residue_lines(eval_dir: Path, rng: random.Random, n: int) -> dict[str, list[list[str]]]:
    """Up to ``n`` blocks of 3 residue lines per half (``tune``/``test`` by the L3S page's site)."""
    from eval_boilerplate import ARTICLE, load_pages

    blocks: dict[str, list[list[str]]] = {"tune": [], "test": []}
    for page in load_pages(eval_dir / "boilerplate" / "l3s-gn1"):
        idx = [i for i, label in enumerate(page.labels) if label in ARTICLE]
        tail = [line for line, label in zip(page.lines[idx[-1] + 1 :], page.labels[idx[-1] + 1 :]) if label not in ARTICLE and len(line) >= 8][:3]
        if len(tail) == 3:
            blocks[page.split("site")].append(tail)
    for found in blocks.values():
        rng.shuffle(found)
        del found[n:]
    return blocks


def garbled_sentences(eval_dir: Path) -> list[str]:
    out = []
    for path in sorted((eval_dir / "translation").glob("mlqe-pe-*-en-dev.tsv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if float(row["da_mean_0to100"]) < 30 and len(row["mt"].split()) >= 8:
                    out.append(row["mt"].strip())
    return out


# WMT23 zh-en segments an editor sees as broken English: MQM counts summed over the 3 raters
WMT_MIN_FLUENCY = 3  # fluency or style errors: one per rater on average
WMT_MIN_MAJOR = 2  # major errors: marked at least twice, not one rater's opinion


def _tsv_field(text: str) -> str:
    """A WMT23 target as written: the file keeps some CSV quoting ('"say \\""x\\"" now"' is 'say "x" now')."""
    if len(text) > 1 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text.replace('\\"', '"')


def wmt_broken_segments(eval_dir: Path) -> dict[str, list[str]]:
    """WMT23 zh-en news segments with visible fluency damage (see WMT_MIN_*), by story half (tune = A, test = B)."""
    from eval_translation import half as text_half

    out: dict[str, list[str]] = {"tune": [], "test": []}
    seen: set[str] = set()
    with (eval_dir / "translation" / "wmt23-mqm-zhen-news.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = _tsv_field(row["target"]).strip()
            if int(row["n_fluency_or_style"]) < WMT_MIN_FLUENCY or int(row["n_major"]) < WMT_MIN_MAJOR or row["docSegId"] == "1":
                continue
            if len(text.split()) < 8 or not text.endswith((".", "!", "?", '"', "”")) or text in seen:
                continue
            seen.add(text)
            out["tune" if text_half(row["doc"]) == "A" else "test"].append(text)
    return out


def with_inserted(text: str, sentences: list[str]) -> str:
    """The article with each sentence inserted as a paragraph of its own, spread over the body."""
    paras = text.split("\n\n")
    for j, sentence in enumerate(sentences):
        at = min(len(paras), 2 + j * max(1, (len(paras) - 2) // len(sentences)))
        paras.insert(at, sentence)
    return "\n\n".join(paras)


SETS = ("residue-tune", "residue-test", "garbled", "garbled-tune", "garbled-test", "wmt-tune", "wmt-test", "title-tune", "title-test")


def build(eval_dir: Path, work: Path, sample: int, seed: int) -> dict[str, Path]:
    rng = random.Random(seed)
    bbc = sorted((eval_dir / "clean" / "bbc").rglob("*.txt"))
    pools = {h: [p for p in bbc if half(p) == h] for h in "AB"}
    for pool in pools.values():
        rng.shuffle(pool)
    sets = {name: work / name for name in SETS}
    for folder in sets.values():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    blocks = residue_lines(eval_dir, rng, sample)
    for side, h in (("tune", "A"), ("test", "B")):
        for p, block in zip(pools[h], blocks[side]):
            (sets[f"residue-{side}"] / _name(p)).write_text(p.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n\n".join(block) + "\n", encoding="utf-8")
    bad = garbled_sentences(eval_dir)
    rng.shuffle(bad)
    for k, p in enumerate(pools["B"][:sample]):
        (sets["garbled"] / _name(p)).write_text(with_inserted(p.read_text(encoding="utf-8"), bad[3 * k : 3 * k + 3]), encoding="utf-8")
    # the halves draw from their own generator, so the sets above and below are the same as before they existed
    own = random.Random(seed + 1)
    from eval_translation import half as text_half

    injected = {f"garbled-{side}": [s for s in bad if text_half(s) == h] for side, h in (("tune", "A"), ("test", "B"))}
    injected |= {f"wmt-{side}": found for side, found in wmt_broken_segments(eval_dir).items()}
    for name, found in injected.items():
        own.shuffle(found)
        pool = list(pools["A" if name.endswith("tune") else "B"])
        own.shuffle(pool)
        for k, p in enumerate(pool[: min(sample, len(found) // 3)]):
            (sets[name] / _name(p)).write_text(with_inserted(p.read_text(encoding="utf-8"), found[3 * k : 3 * k + 3]), encoding="utf-8")
    for side, h in (("tune", "A"), ("test", "B")):
        titled = [p for p in bbc if half(p) == h and _OFFICE.search(p.read_text(encoding="utf-8"))]
        rng.shuffle(titled)
        for p in titled[:sample]:
            text = p.read_text(encoding="utf-8")
            m = _OFFICE.search(text)
            other = rng.choice([o for o in OFFICES if o != m.group(1)])
            (sets[f"title-{side}"] / _name(p)).write_text(text[: m.start(1)] + other + text[m.end(1) :], encoding="utf-8")
    return sets


def explain(report, names: set[str] | None, limit: int = 400) -> None:
    """Print the score, category scores and findings of the named documents."""
    for doc in report.documents:
        if names is not None and doc.document not in names:
            continue
        cats = " ".join(f"{c[:4]} {v:g}" for c, v in doc.score.categories.items() if v is not None)
        print(f"  {Path(doc.document).name}: overall {doc.score.overall:g} ({cats})")
        for f in doc.counting[:limit]:
            print(f"    L{f.line} {f.code} {f.severity!s}: {f.excerpt[:90]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--sample", type=int, default=60, help="articles per injected set (and per half)")
    ap.add_argument("--bar", type=float, default=70.0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--bbc-limit", type=int, default=None, help="check only the first N clean BBC articles")
    ap.add_argument("--bbc-half", choices=("A", "B"), default=None, help="check only clean BBC articles of this half (with --bbc-limit: N of them, drawn at random)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--sets", default="clean,seeds," + ",".join(SETS), help="which sets to run (comma-separated)")
    ap.add_argument("--json", type=Path, default=None, help="write the table (set -> articles, as expected, share) here")
    ap.add_argument("--several", default="", help="measure another scoring.several, e.g. boilerplate=2 (as [tool.qualcheck.scoring] would set it)")
    ap.add_argument("--explain", default="", help="sets whose unexpected results to print with their findings")
    ap.add_argument("--lm", action="store_true", help="score sentences with the language model too (qualcheck --lm)")
    ap.add_argument("--encoder", action="store_true", help="score sentences with the sentence encoder too (qualcheck --encoder)")
    ap.add_argument("--sentences", type=Path, default=None, help="write every checked article's sentence scores here (JSON Lines: set, document, failed, codes, scores, words)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="qualcheck-gate-"))
    bbc = args.eval_dir / "clean" / "bbc"
    sets = build(args.eval_dir, work, args.sample, args.seed)
    wanted = set(args.sets.split(","))
    to_explain = set(filter(None, args.explain.split(",")))
    scoring = ScoringSettings()
    if args.several:
        several = dict(scoring.several)
        several.update({k: int(v) for k, v in (item.split("=") for item in args.several.split(","))})
        scoring = ScoringSettings(several=several)
    common = dict(scoring=scoring, lm=args.lm, encoder=args.encoder, root="/", fail_under=args.bar, fail_on=Severity.ERROR, cache=True, store=str(work / "store.db"), jobs=args.jobs)
    subset = [p for p in sorted(bbc.rglob("*.txt")) if args.bbc_half in (None, half(p))]
    if args.bbc_half:  # a spread over the categories, not the first files of one
        random.Random(args.seed).shuffle(subset)
    clean_paths = tuple(str(p) for p in subset[: args.bbc_limit]) if args.bbc_limit or args.bbc_half else (str(bbc),)
    rows, keys = [], []
    started = time.perf_counter()
    dump = args.sentences.open("w", encoding="utf-8") if args.sentences else None

    def sentences(set_name, report, why):
        if dump is not None:
            for d in report.documents:
                row = {"set": set_name, "document": d.document, "overall": d.score.overall, "failed": d.document in why, "codes": sorted({f.code for f in d.counting}), "scores": [s["score"] for s in d.sentences or []],
                       # words per sentence as MT900 counted them (its log_words feature), for MT901's min_words
                       "words": [round(math.exp(s.get("features", {}).get("log_words", 0.0))) for s in d.sentences or []]}
                dump.write(json.dumps(row) + "\n")

    if "clean" in wanted:
        # a subset is checked against the whole corpus, as every article is in the full run
        n, failed, why, report = gate(Settings(paths=clean_paths, corpus=(str(bbc),) if args.bbc_limit or args.bbc_half else (), **common))
        for h in "AB":
            docs = [d.document for d in report.documents if half(d.document) == h]
            bad = [d for d in docs if d in why]
            rows.append((f"clean BBC half {h} (edited news)", len(docs), len(docs) - len(bad), "pass", {d: why[d] for d in bad}))
            keys.append(f"clean-{h}")
        rows.append(("clean BBC, all", n, n - failed, "pass", why))
        keys.append("clean")
        sentences("clean", report, why)
        if "clean" in to_explain:
            explain(report, set(why))
    if "seeds" in wanted:
        n, failed, why, _ = gate(Settings(paths=(str(ROOT / "seeds"),), **{**common, "root": str(ROOT)}))
        rows.append(("seeds", n, failed, "fail", why))
        keys.append("seeds")
    labels = {
        "residue": "BBC + 3 L3S residue lines",
        "garbled": "BBC + 3 garbled MT sentences (MLQE-PE DA < 30)",
        "wmt": "BBC + 3 broken MT sentences (WMT23 zh-en, MQM fluency >= 3, major >= 2)",
        "title": "BBC + a swapped office title",
    }
    for name in SETS:
        if name not in wanted:
            continue
        n, failed, why, report = gate(Settings(paths=(str(sets[name]),), corpus=(str(bbc),), **common))
        kind, _, side = name.partition("-")
        rows.append((labels[kind] + (f" ({side} half)" if side else ""), n, failed, "fail", why))
        keys.append(name)
        sentences(name, report, why)
        if name in to_explain:
            print(f"\n{name}: articles that passed the gate")
            explain(report, {d.document for d in report.documents if d.document not in why})
    if dump is not None:
        dump.close()
    print(f"gate: --fail-under {args.bar:g} --fail-on error, scoring.several {dict(scoring.several)}, default rules{' with --lm' if args.lm else ''}{' with --encoder' if args.encoder else ''} ({time.perf_counter() - started:.0f} s)\n")
    print("| set | articles | expected | as expected | share |")
    print("|---|---|---|---|---|")
    for label, n, ok, expect, _ in rows:
        print(f"| {label} | {n} | {expect} | {ok} | {100 * ok / max(n, 1):.1f}% |")
    for label, n, ok, expect, why in rows:
        if label == "seeds":
            print("\nseeds failing: " + ", ".join(f"{Path(k).name[:3]} ({'; '.join(v)})" for k, v in sorted(why.items())))
        elif label == "clean BBC, all" and why:
            print("clean articles failing: " + "; ".join(f"{Path(k).name}: {' / '.join(v)}" for k, v in sorted(why.items())[:20]))
        elif expect == "fail" and n - ok:
            print(f"{label}: {n - ok} passed the gate")
    if args.json:
        table = {k: {"articles": n, "as_expected": ok, "share": round(ok / max(n, 1), 4), "expected": expect} for k, (_, n, ok, expect, _) in zip(keys, rows)}
        table["seeds_failing"] = sorted(Path(k).name[:3] for k, _ in rows[keys.index("seeds")][4].items()) if "seeds" in keys else []
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"bar": args.bar, "lm": args.lm, "encoder": args.encoder, "several": dict(scoring.several), "sample": args.sample, "sets": table}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
