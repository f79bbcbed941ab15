"""Quote speakers and person names: the regex rules in claims.py against spaCy NER + parser.

Usage:
    .venv/bin/python bench/eval_speakers.py ../shared/eval [--json FILE]

Gold: ``bench/data/quote_speakers_bbc.json`` (70 quotes in 19 BBC articles, labelled by hand; file
names, offsets and surnames only) and the seeds' quotes (all Putin's except the State Department
officials', Boris Johnson's, Joe Biden's and Volodymyr Zelensky's, checked by reading). A prediction is right
when its person key (folded surname, or the head noun of "a BBC spokesman") equals the label.
``regex_by_half``: [right, quotes] per half of the BBC files (A was read while changing the rules, B not).

spaCy approach: in the sentence holding the quote, the subject of a speech verb outside the quote
(its PERSON entity when there is one); a pronoun subject, or no speech verb, resolves to the speaker
of the quote before in the same or the previous paragraph, else the nearest PERSON entity before.
Also reported: seconds per document for each approach, and how many spaCy PERSON entities right
after a title word ("Prime Minister X") the regex person-title extractor misses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck.agreement import claims  # noqa: E402
from qualcheck.backends import nlp as nlp_backend  # noqa: E402
from qualcheck.document import Document  # noqa: E402

SAY = {"say", "tell", "add", "warn", "stress", "ask", "claim", "insist", "explain", "note", "assert", "declare",
       "urge", "confirm", "announce", "state", "write", "report", "argue", "reply", "tweet", "accuse", "describe"}
SEED_OTHERS = {"received a written": "officials", "holding a gun": "johnson", "The potential invasion": "johnson",
               "big war in Europe": "zelensky", "humanitarian disaster": "johnson", "grave consequences": "biden", "will be no occupation": "zelensky", "but there will be a bloody": "zelensky"}


def key(name: str | None) -> str:
    return claims.person_key(name) if name and name.strip() else "?"


def regex_speakers(doc: Document, spans) -> dict[int, str]:
    """The speakers claims.quotes() gives (the same calls, in text order), keyed by opening mark."""
    vocab = claims.vocabulary()
    people = list(claims.persons(doc, vocab))
    known = {c.subject: c.extra["person"] for c in people}
    out, previous = {}, None
    for o, a, b, e in claims.quote_spans(doc.text):
        if len(claims.content_words(doc.text[a:b])) < 2:
            continue
        speaker = claims._speaker(doc, o, e, known, previous)
        previous = (speaker, e) if speaker else previous
        out[o] = key(speaker)
    return out


def spacy_speakers(nlp, doc: Document, spans) -> dict[int, str]:
    parsed = nlp(doc.text)
    persons = [(e.start_char, e.text) for e in parsed.ents if e.label_ == "PERSON"]
    inside = [(a - 1, e) for o, a, b, e in spans]
    out: dict[int, str] = {}
    last: tuple[int, str] | None = None
    for o, a, b, e in spans:
        sent_ids = {t.sent.start for t in parsed if o <= t.idx < e} or set()
        sents = [s for s in parsed.sents if s.start in sent_ids or s.start_char <= o < s.end_char]
        found = None
        for s in sents:
            for t in s:
                if t.lemma_ in SAY and t.pos_ == "VERB" and not any(x <= t.idx < y for x, y in inside):
                    subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    if subj is None:
                        continue
                    if subj.pos_ == "PRON":
                        found = "PRON"
                        break
                    span = parsed[subj.left_edge.i : subj.right_edge.i + 1]
                    ents = [x for x in span.ents if x.label_ == "PERSON"]
                    found = ents[-1].text if ents else subj.text
                    break
            if found:
                break
        if found in (None, "PRON"):
            para_start = doc.text.rfind("\n", 0, o)
            if last and last[0] >= doc.text.rfind("\n", 0, max(para_start, 0)) and found is None or (found == "PRON" and last):
                found = last[1]
            else:
                before = [p for p in persons if p[0] < o]
                found = before[-1][1] if before else None
        out[o] = key(found)
        last = (e, found) if found else last
    return out


def gold_sets(data_dir: Path):
    labels = json.loads((ROOT / "bench" / "data" / "quote_speakers_bbc.json").read_text(encoding="utf-8"))["quotes"]
    by_file: dict[str, dict[int, str]] = {}
    for row in labels:
        by_file.setdefault(row["file"], {})[row["quote_offset"]] = row["speaker"]
    bbc = [(Document(id=f, raw=(data_dir / "clean" / "bbc" / f).read_text(encoding="utf-8", errors="replace")), g) for f, g in by_file.items()]
    seeds = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        doc = Document(id=p.name, raw=p.read_text(encoding="utf-8"))
        gold = {}
        for o, a, b, e in claims.quote_spans(doc.text):
            if len(claims.content_words(doc.text[a:b])) < 2:
                continue
            inner = doc.text[a:b]
            gold[o] = next((v for k, v in SEED_OTHERS.items() if inner.startswith(k)), "putin")
        seeds.append((doc, gold))
    return {"bbc": bbc, "seeds": seeds}


def half(doc_id: str) -> str:
    """'A' or 'B' by a hash of the file name: the regex rules were changed reading only half A's
    errors (December), so half B's figure is held out."""
    return "A" if hashlib.sha1(doc_id.encode()).digest()[0] % 2 == 0 else "B"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    nlp, reason = nlp_backend.load_nlp()
    if nlp is None:
        parser.error(reason)
    results = {"spacy": reason}
    for name, docs in gold_sets(args.data_dir).items():
        row = {"quotes": 0, "regex_correct": 0, "spacy_correct": 0, "regex_s": 0.0, "spacy_s": 0.0, "documents": len(docs)}
        errors = []
        for doc, gold in docs:
            spans = [s for s in claims.quote_spans(doc.text) if s[0] in gold]
            missing = set(gold) - {s[0] for s in spans}
            assert not missing, f"{doc.id}: labelled quotes not found at {sorted(missing)}"
            t0 = time.perf_counter()
            rx = regex_speakers(doc, spans)
            t1 = time.perf_counter()
            sp = spacy_speakers(nlp, doc, spans)
            t2 = time.perf_counter()
            row["regex_s"] += t1 - t0
            row["spacy_s"] += t2 - t1
            for o, g in gold.items():
                row["quotes"] += 1
                g = key(g)
                row["regex_correct"] += rx[o] == g
                part = row.setdefault("regex_by_half", {}).setdefault(half(doc.id), [0, 0])
                part[0] += rx[o] == g
                part[1] += 1
                row["spacy_correct"] += sp[o] == g
                if rx[o] != g or sp[o] != g:
                    errors.append(f"{doc.id}@{o}: gold={g} regex={rx[o]} spacy={sp[o]}")
        row["regex_accuracy"] = round(row["regex_correct"] / row["quotes"], 3)
        row["spacy_accuracy"] = round(row["spacy_correct"] / row["quotes"], 3)
        row["regex_s"] = round(row["regex_s"], 3)
        row["spacy_s"] = round(row["spacy_s"], 3)
        row["errors"] = errors
        results[name] = row
    # person + title: PERSON entities right after a title word that the regex extractor does not give
    vocab = claims.vocabulary()
    titles = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, vocab.offices), key=len, reverse=True)) + r")\s+$", re.I)
    seen = missed = agree = found = 0
    for name in ("bbc", "seeds"):
        for doc, _ in gold_sets(args.data_dir)[name]:
            parsed = nlp(doc.text)
            regex_people = list(claims.persons(doc, vocab))
            found += len(regex_people)
            ents = {(e.start_char, e.end_char) for e in parsed.ents if e.label_ == "PERSON"}
            agree += sum(1 for c in regex_people if any(s <= c.end - len(c.extra["person"]) < e for s, e in ents))
            for s, e in ents:
                if titles.search(doc.text[max(0, s - 30) : s]):
                    seen += 1
                    if not any(c.start <= s < c.end for c in regex_people):
                        missed += 1
    results["person_title"] = {"regex_claims": found, "regex_names_spacy_calls_person": agree,
                               "spacy_persons_after_a_title": seen, "of_which_regex_misses": missed}
    shown = {k: ({kk: vv for kk, vv in v.items()} if isinstance(v, dict) else v) for k, v in results.items()}
    print(json.dumps(shown, indent=2))
    if args.json:
        saved = {k: ({kk: vv for kk, vv in v.items() if kk != "errors"} if isinstance(v, dict) else v) for k, v in results.items()}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
