"""Measure language identification of untranslated Latin-script spans (lingua), which was not adopted.

Usage: pip install lingua-language-detector && python bench/eval_langid.py DATA_DIR

lingua-language-detector (restricted to English and 11 European languages) splits each sentence
into language spans; a non-English span counts when it has at least two lower-case words that are
no English word (wordfreq Zipf < 3 and not in Hunspell) and they make up half its lower-case words.
Reports the load time, sentences/s and flags per 1,000 sentences on every 5th clean BBC document,
and mean Spearman with DA and pooled ROC-AUC on MLQE-PE, as bench/eval_translation.py does.
Measured (README "Translation"): 1.3 s to load and ~920 sentences/s on an idle machine (8-10 s and
~110/s on a busy one), 0.25 flags per 1,000 BBC sentences ("joie de vivre"), mean Spearman 0.00 and
AUC 0.50 on MLQE-PE: it adds nothing the rare-word evidence does not, so it is not worth its 96 MB.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_translation import PAIRS, auc, spearman  # noqa: E402

from qualcheck import discover  # noqa: E402
from qualcheck.backends import lexicon as lex  # noqa: E402
from qualcheck.scoring import sentences as sentence_scores  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+", re.U)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared evaluation folder (../shared/eval)")
    args = ap.parse_args(argv)
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        sys.exit("eval_langid: pip install lingua-language-detector first (it is not a qualcheck dependency)")
    names = ("ENGLISH FRENCH GERMAN SPANISH ITALIAN PORTUGUESE ROMANIAN ESTONIAN DUTCH LATIN TURKISH").split()
    t0 = time.perf_counter()
    det = LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names)).with_preloaded_language_models().build()
    print(f"load {time.perf_counter() - t0:.1f} s")

    def foreign(sentence: str) -> tuple[int, list]:
        count, spans = 0, []
        for r in det.detect_multiple_languages_of(sentence):
            if r.language == Language.ENGLISH:
                continue
            span = sentence[r.start_index : r.end_index]
            words = _WORD.findall(span)
            low = [w for w in words if w.islower()]
            non = [w for w in low if lex.zipf(w) < 3.0 and not lex.is_lower_word(w)]
            if len(words) >= 2 and len(non) >= 2 and len(non) >= 0.5 * len(low):
                count += len(non)
                spans.append((r.language.name, span))
        return count, spans

    bbc = args.data / "clean" / "bbc"
    docs = sorted(discover.load([str(bbc)], bbc, [], None).documents, key=lambda d: d.id)[::5]
    t0, n, flagged = time.perf_counter(), 0, []
    for d in docs:
        for s in sentence_scores.body_sentences(d):
            n += 1
            hits, spans = foreign(" ".join(d.text[s.start : s.end].split()))
            if hits:
                flagged.append(spans)
    secs = time.perf_counter() - t0
    print(f"BBC: {n} sentences, {n / secs:.0f} sentences/s, {1000 * len(flagged) / n:.2f} flags per 1,000: {flagged[:10]}")
    bad, good, rhos = [], [], []
    for pair in PAIRS:
        with (args.data / "translation" / f"mlqe-pe-{pair}-en-dev.tsv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        scores = [foreign(r["mt"])[0] for r in rows]
        rhos.append(spearman(scores, [float(r["da_z_mean"]) for r in rows]))
        bad += [x for x, r in zip(scores, rows) if float(r["da_mean_0to100"]) < 30]
        good += [x for x, r in zip(scores, rows) if float(r["da_mean_0to100"]) >= 70 and float(r["hter"]) <= 0.1]
        print(f"  {pair}-en Spearman(DA) {rhos[-1]:+.3f}, fires on {sum(1 for x in scores if x)} of {len(rows)}")
    print(f"MLQE-PE mean Spearman(DA) {sum(rhos) / len(rhos):+.3f}, pooled AUC {auc(bad, good):.3f}, "
          f"fires on {sum(1 for x in bad if x) / len(bad):.3%} of garbled and {sum(1 for x in good if x) / len(good):.3%} of fine sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
