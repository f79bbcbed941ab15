"""Measure GR205 (subject-verb agreement across words, on spaCy's parse) on third-party data.

Usage: python bench/eval_subject_verb.py ../shared/eval [--show N] [--l3s] [--select CODES]

- GMEG-wiki (gmeg-wiki-dev.tsv): the gold is in the corrections. A subject-verb agreement error is a
  verb a reference changes into its other present-tense number (is/are, has/have, was/were,
  does/do, -s/bare: "shows" -> "show") where spaCy's tagger reads the source word as a verb. Reports how many
  sentences have one (by any reference, and by at least two of the four), how many of those GR205
  flags on that verb (recall), and how many of its flags fall on a verb some reference changes
  that way or on a sentence no reference leaves unchanged (precision, strict and lenient).
- GUG (gug-train.tsv): no corrections, only a rating. Reports, per half by id parity (A even ids was
  looked at while writing the rule; B odd ids was not), how many sentences GR205 flags by expert
  rating, the sentence-level precision over rated 1-2 vs 4, and prints every flag of half B with its
  sentence for judging by hand (--show).
- L3S-GN1 (--l3s): the lines annotators labelled full text on 621 news pages of 408 sites (2008),
  one document per page: edited news the rule was never looked at on; flags per 1,000 sentences, each
  printed for judging by hand (curly quotes are '?' in that copy, which costs the parser a little).
Clean BBC news: bench/eval_clean_flags.py ../shared/eval --select GR205 --show N.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualcheck import engine, ruleset  # noqa: E402
from qualcheck.config import Settings  # noqa: E402
from qualcheck.document import Document  # noqa: E402

csv.field_size_limit(10**7)
PAIRS = {("is", "are"), ("has", "have"), ("was", "were"), ("does", "do"), ("doesn't", "don't"), ("isn't", "aren't"),
         ("hasn't", "haven't"), ("wasn't", "weren't")}


def number_swap(a: str, b: str) -> bool:
    """Whether b is the other present-tense (or was/were) number of the verb a ("shows" / "show")."""
    a, b = a.lower(), b.lower()
    if (a, b) in PAIRS or (b, a) in PAIRS:
        return True
    from qualcheck.backends import inflection

    for x, y in ((a, b), (b, a)):  # x the -s form, y the bare form
        for lemma in inflection.all_lemmas(y, upos="VERB").get("VERB", ()):
            if x in (f.lower() for f in inflection.inflection(lemma, tag="VBZ")) and y in (f.lower() for f in inflection.inflection(lemma, tag="VBP")):
                return True
    return False


def swapped_positions(src: list[str], ref: list[str]) -> set[int]:
    """Token positions of ``src`` whose one-for-one replacement in ``ref`` is a number swap of a verb."""
    out = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=src, b=ref, autojunk=False).get_opcodes():
        if op == "replace":  # "are listed" -> "is listed", or inside a longer rewrite of the same words
            out.update(i for i in range(i1, i2) if any(number_swap(src[i], ref[j]) for j in range(j1, j2)))
    return out


def verbs(tokens: list[str]) -> set[int]:
    """Positions spaCy's tagger reads as verbs, so that a noun's number change ("stage" -> "stages") is not gold."""
    from spacy.tokens import Doc

    from qualcheck.backends.nlp import load_nlp

    nlp, _ = load_nlp()
    doc = nlp(Doc(nlp.vocab, words=tokens), disable=["parser", "ner"])
    return {t.i for t in doc if t.tag_.startswith("VB") or t.tag_ == "MD"}


def run(texts: dict[str, str], rules) -> dict[str, list]:
    docs = [Document(id=k, raw=v) for k, v in texts.items()]
    report = engine.check(docs, rules, Settings())
    out: dict[str, list] = {k: [] for k in texts}
    for f in report.findings:
        out[f.document].append(f)
    return out


def gmeg(path: Path, rules) -> dict:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    texts, gold, unchanged, offsets = {}, {}, set(), {}
    for r in rows:
        src = r["source"].split()
        refs = [r[f"ref{i}"].split() for i in range(4) if r.get(f"ref{i}")]
        votes = Counter(p for ref in refs for p in swapped_positions(src, ref))
        if votes:
            keep = verbs(src)
            votes = Counter({p: n for p, n in votes.items() if p in keep})
        key = f"gmeg-{r['id']}"
        # the tokenised sentence, keeping each source token's offset (GR205 reads the parse, not the spacing)
        text, starts = "", []
        for tok in src:
            starts.append(len(text) + (1 if text else 0))
            text = f"{text} {tok}" if text else tok
        texts[key], offsets[key] = text, starts
        gold[key] = votes
        if any(ref == src for ref in refs):
            unchanged.add(key)
    found = run(texts, rules)
    any_gold = {k for k, v in gold.items() if v}
    two_gold = {k for k, v in gold.items() if any(n >= 2 for n in v.values())}
    hit_any = hit_two = 0
    flags = strict = lenient = 0
    examples = []
    for key, fs in found.items():
        starts = offsets[key]
        for f in fs:
            flags += 1
            pos = max(i for i, s in enumerate(starts) if s <= f.start)
            ok = pos in gold[key]
            strict += ok
            lenient += ok or key not in unchanged
            examples.append(("gold" if ok else ("edited" if key not in unchanged else "clean")) + f"  {f.excerpt!r} <- {texts[key][:160]}")
        flagged_pos = {max(i for i, s in enumerate(starts) if s <= f.start) for f in fs}
        hit_any += bool(flagged_pos & set(gold[key])) and key in any_gold
        hit_two += bool(flagged_pos & {p for p, n in gold[key].items() if n >= 2}) and key in two_gold
    return {
        "sentences": len(rows), "with_agreement_edit_any_ref": len(any_gold), "with_agreement_edit_2_refs": len(two_gold),
        "found_any_ref": hit_any, "found_2_refs": hit_two, "flags": flags, "flags_on_gold_verb": strict,
        "flags_in_edited_sentences": lenient, "unchanged_sentences": len(unchanged), "examples": examples,
    }


def gug(path: Path, rules) -> dict:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    found = run({f"gug-{r['id']}": r["sentence"] for r in rows}, rules)
    out = {}
    for name, parity in (("A", 0), ("B", 1)):
        part = [r for r in rows if int(r["id"]) % 2 == parity]
        by_rating = Counter((r["expert_1to4"], bool(found[f"gug-{r['id']}"])) for r in part)
        tp = by_rating[("1", True)] + by_rating[("2", True)]
        fp = by_rating[("4", True)]
        out[name] = {
            "sentences": len(part),
            "flagged_by_rating": {k: by_rating[(k, True)] for k in "1234"},
            "sentences_by_rating": {k: by_rating[(k, True)] + by_rating[(k, False)] for k in "1234"},
            "sentence_precision_12_vs_4": round(tp / (tp + fp), 3) if tp + fp else None,
            "flags": [f"{r['id']}\t{r['expert_1to4']}\t{f.excerpt!r}\t{f.message}\t{r['sentence'][:200]}"
                      for r in part for f in found[f"gug-{r['id']}"]],
        }
    return out


def l3s(eval_dir: Path, rules) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_boilerplate import load_pages

    pages = load_pages(eval_dir / "boilerplate" / "l3s-gn1")
    docs = [Document(id=p.name, raw="\n\n".join(t for t, label in zip(p.lines, p.labels) if label == 2)) for p in pages]
    report = engine.check(docs, rules, Settings())
    sentences = sum(len(d.sentences) for d in docs)
    text = {d.id: d.text for d in docs}
    flags = []
    for f in report.findings:
        a = text[f.document].rfind("\n", 0, f.start) + 1
        b = text[f.document].find("\n", f.end)
        flags.append(f"{f.document}\t{f.excerpt!r}\t{f.message}\t{text[f.document][max(a, f.start - 150) : min(b if b > 0 else len(text[f.document]), f.end + 80)]}")
    return {"pages": len(docs), "sentences": sentences, "flags": len(flags),
            "per_1000_sentences": round(1000 * len(flags) / max(1, sentences), 2), "list": flags}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path, help="the shared evaluation folder (../shared/eval)")
    ap.add_argument("--show", type=int, default=0, help="print up to N flags per set (GUG half B, GMEG, L3S)")
    ap.add_argument("--l3s", action="store_true", help="also count flags on L3S-GN1's full-text lines (clean news)")
    ap.add_argument("--select", default="GR205", help="the rules to run instead (e.g. GR204 with --l3s: its flags on clean news)")
    args = ap.parse_args(argv)
    rules = ruleset.load().select(tuple(args.select.split(",")), ())
    if args.l3s:
        res = l3s(args.eval_dir, rules)
        print("L3S-GN1 full text:", {k: v for k, v in res.items() if k != "list"})
        for line in res["list"][: args.show]:
            print("   ", line)
    g = gmeg(args.eval_dir / "grammar" / "gmeg-wiki-dev.tsv", rules)
    print("GMEG-wiki:", {k: v for k, v in g.items() if k != "examples"})
    for line in g["examples"][: args.show]:
        print("   ", line)
    u = gug(args.eval_dir / "grammar" / "gug-train.tsv", rules)
    for name, res in u.items():
        print(f"GUG half {name}:", {k: v for k, v in res.items() if k != "flags"})
    for line in u["B"]["flags"][: args.show]:
        print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
