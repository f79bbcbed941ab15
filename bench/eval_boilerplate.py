"""Measure the boilerplate (BP) rules on L3S-GN1 (line-level P/R/F1 of residue) and on clean BBC text.

Usage:
    .venv/bin/python bench/eval_boilerplate.py ../shared/eval [--context 3] [--json bench/results/boilerplate.json] [--select BP,BP305]

DATA_DIR is the shared evaluation folder (it must hold ``boilerplate/l3s-gn1`` and/or ``clean/bbc``).
Nothing is extracted or copied: the annotated HTML is read from the tar.gz in memory.

How an L3S page becomes a document
----------------------------------
The annotators labelled every *text block* (text not interrupted by a tag other than <a>) with a
``<span class="x-nc-selN">``; unlabelled text is "not content". A scraper's plain text has one line
per HTML block element, not per inline run (``<p>He said <b>no</b>.</p>`` is one line), so we break
lines at block-level tags and ``<br>`` only, give each line the label that covers most of its
characters, and join lines with a blank line (one paragraph per line, like the seeds). Text inside
<head>, <script>, <style>, <noscript> and elements of class ``x-nc-invisible`` is dropped.

Labels: headline (1) and full text (2) are the **article**; not content (0, and unlabelled text),
related content (4) and comments (5) are **residue**; supplemental (3: captions, bylines, datelines,
"Last updated" stamps) is **excluded** from precision and recall, because our rules count some of it
as residue (photo credits, date markers) and some of it belongs to the article (bylines, subheads);
how often it is flagged is reported on its own.

Three views of each page:
- ``page``: the whole page as text, menus and all (what the annotators saw).
- ``article±K``: the lines from K lines before the first article line to K lines after the last one,
  checked as their own document: scraped article text with residue at its head and tail (and
  whatever residue sits between the article's paragraphs). The document's first line is then a
  residue line, which qualcheck takes for the title, and the real headline sits below it.
- ``headline..article+K``: from the headline (the first line, as in our articles) to K lines after
  the last article line. This is closest to our use case: a scraper's article text whose title is
  its first line, with residue inside and at the tail.

Pages are split in two halves by a hash of the file name (``tune`` and ``test``); rules were tuned
looking at the ``tune`` half only, and both halves are reported. ``--split site`` hashes the site
instead, so no site has pages on both sides: the ``test`` half then measures layouts not seen in
``tune`` (408 sites for 621 pages; the file split lets a site's other pages teach its layout).

BBC: every article of ``clean/bbc`` is checked in one run (one corpus, so repeated-line sees them
all); we report BP flags per 1,000 non-blank lines and list every flag.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tarfile
import textwrap
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcheck import discover, engine, ruleset  # noqa: E402
from qualcheck.document import Document  # noqa: E402

LABELS = {0: "not-content", 1: "headline", 2: "full-text", 3: "supplemental", 4: "related", 5: "comments"}
ARTICLE = {1, 2}
RESIDUE = {0, 4, 5}
SUPPLEMENTAL = 3

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "html", "iframe", "img", "input", "label", "legend", "li", "main", "nav", "ol", "option", "p", "pre",
    "section", "select", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul",
    "button",
}
SKIP_TAGS = {"head", "script", "style", "noscript", "title"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
             "track", "wbr"}
_SEL = re.compile(r"\bx-nc-sel(\d)\b")
_SPACE = re.compile(r"\s+")


# -- L3S pages -> labelled lines ---------------------------------------------------------------


class _Lines(HTMLParser):
    """Collect (text, label) runs and cut lines at block-level tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int | None, bool]] = []  # (tag, label or None, hidden)
        self.lines: list[list[tuple[str, int]]] = [[]]

    def _label(self) -> int:
        for _, label, _ in reversed(self.stack):
            if label is not None:
                return label
        return 0  # unlabelled text is "not content"

    def _hidden(self) -> bool:
        return any(hidden for *_, hidden in self.stack)

    def _break(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        m = _SEL.search(cls)
        hidden = tag in SKIP_TAGS or "x-nc-invisible" in cls
        if tag in BLOCK_TAGS:
            self._break()
        if tag not in VOID_TAGS:
            self.stack.append((tag, int(m.group(1)) if m else None, hidden))

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._hidden() and data:
            self.lines[-1].append((data, self._label()))


@dataclass
class Page:
    name: str
    source: str
    lines: list[str]
    labels: list[int]
    purity: list[float]

    @property
    def half(self) -> str:
        return self.split("file")

    def split(self, by: str) -> str:
        """``tune`` or ``test`` by a hash of the file name, or of the site (every page of a site on one side)."""
        key = self.name if by == "file" else self.source
        return "tune" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "test"


def page_lines(html: str) -> tuple[list[str], list[int], list[float]]:
    """Turn an annotated page into plain-text lines, each with its majority label and label purity."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    lines, labels, purity = [], [], []
    for runs in parser.lines:
        text = _SPACE.sub(" ", "".join(t for t, _ in runs)).strip()
        if not text or not re.search(r"[^\W_]", text):
            continue
        weight: Counter[int] = Counter()
        for t, label in runs:
            weight[label] += len(t.strip())
        label, top = weight.most_common(1)[0]
        lines.append(text)
        labels.append(label)
        purity.append(top / max(1, sum(weight.values())))
    return lines, labels, purity


def load_pages(l3s: Path) -> list[Page]:
    """Read every annotated page from the tar.gz in memory (never extracted)."""
    hosts = {}
    mapping = l3s / "url-mapping.txt"
    if mapping.exists():
        for row in mapping.read_text(encoding="utf-8", errors="replace").splitlines():
            if "\t" in row:
                urn, url = row.split("\t", 1)
                hosts[urn.strip("<>").removeprefix("urn:uuid:")] = (urlparse(url).hostname or "").removeprefix("www.")
    pages = []
    with tarfile.open(l3s / "L3S-GN1-annotated.tar.gz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".html"):
                continue
            name = Path(member.name).stem
            html = tar.extractfile(member).read().decode("utf-8", errors="replace")
            lines, labels, purity = page_lines(html)
            if any(label in ARTICLE for label in labels):
                pages.append(Page(name, hosts.get(name, name), lines, labels, purity))
    pages.sort(key=lambda p: p.name)
    return pages


def crop(page: Page, context: int | None, from_headline: bool = False) -> tuple[list[str], list[int]]:
    """The article region of a page extended by ``context`` lines each side (None: whole page).

    ``from_headline``: start at the headline instead (our articles open with their title), and
    extend only the tail.
    """
    if context is None:
        return page.lines, page.labels
    idx = [i for i, label in enumerate(page.labels) if label in ARTICLE]
    a, b = max(0, idx[0] - context), min(len(page.lines), idx[-1] + 1 + context)
    if from_headline:
        a = next((i for i, label in enumerate(page.labels) if label == 1), idx[0])
    return page.lines[a:b], page.labels[a:b]


# -- running qualcheck and scoring lines -------------------------------------------------------


def bp_rules(select: str = "BP"):
    """The BP rules, or the codes asked for (``BP,BP305`` adds the opt-in line model)."""
    return ruleset.load().select(select.split(","), [])


def as_document(doc_id: str, lines: list[str], source: str | None, sep: str = "\n\n") -> tuple[Document, list[tuple[int, int]]]:
    """Join lines into one document (a blank line between lines, or ``sep``) and return the line spans."""
    spans, pos = [], 0
    for line in lines:
        spans.append((pos, pos + len(line)))
        pos += len(line) + len(sep)
    fields = {"source": source} if source else {}
    return Document(id=doc_id, raw=sep.join(lines), fields=fields), spans


def flagged_lines(findings, spans: list[tuple[int, int]]) -> dict[int, set[str]]:
    """Map each finding to the lines its span overlaps: line index -> set of rule codes."""
    starts = [s for s, _ in spans]
    import bisect

    out: dict[int, set[str]] = defaultdict(set)
    for f in findings:
        if f.category != "boilerplate" or f.span.end <= f.span.start:
            continue
        i = max(0, bisect.bisect_right(starts, f.span.start) - 1)
        while i < len(spans) and spans[i][0] < f.span.end:
            if spans[i][1] > f.span.start:
                out[i].add(f.code)
            i += 1
    return out


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    article_lines: int = 0
    article_flagged: int = 0
    fulltext_lines: int = 0
    fulltext_flagged: int = 0
    supplemental_lines: int = 0
    supplemental_flagged: int = 0
    per_rule: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # code -> [tp, fp]
    fp_samples: Counter = field(default_factory=Counter)
    fn_samples: Counter = field(default_factory=Counter)

    def add(self, labels: list[int], lines: list[str], flags: dict[int, set[str]]) -> None:
        for i, label in enumerate(labels):
            codes = flags.get(i, set())
            if label == SUPPLEMENTAL:
                self.supplemental_lines += 1
                self.supplemental_flagged += bool(codes)
                continue
            residue = label in RESIDUE
            if label in ARTICLE:
                self.article_lines += 1
                self.article_flagged += bool(codes)
            if label == 2:
                self.fulltext_lines += 1
                self.fulltext_flagged += bool(codes)
            if codes and residue:
                self.tp += 1
            elif codes:
                self.fp += 1
                for c in codes:
                    self.fp_samples[f"{c} [{LABELS[label]}] {lines[i][:90]}"] += 1
            elif residue:
                self.fn += 1
                self.fn_samples[lines[i][:60]] += 1
            for c in codes:
                self.per_rule[c][0 if residue else 1] += 1

    def summary(self, residue_total: int | None = None) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rules = {}
        for code, (tp, fp) in sorted(self.per_rule.items()):
            rules[code] = {
                "flagged_lines": tp + fp,
                "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                "recall_share": round(tp / (self.tp + self.fn), 4) if self.tp + self.fn else None,
            }
        return {
            "residue_lines": self.tp + self.fn,
            "flagged_lines": self.tp + self.fp,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
            "article_lines": self.article_lines,
            "article_false_flags_per_1000": round(1000 * self.article_flagged / max(1, self.article_lines), 1),
            "fulltext_lines": self.fulltext_lines,
            "fulltext_false_flags_per_1000": round(1000 * self.fulltext_flagged / max(1, self.fulltext_lines), 1),
            "supplemental_lines": self.supplemental_lines,
            "supplemental_flagged_share": round(self.supplemental_flagged / max(1, self.supplemental_lines), 3),
            "per_rule": rules,
        }


def evaluate_l3s(pages: list[Page], context: int | None, rules, from_headline: bool = False, split: str = "file", sep: str = "\n\n") -> dict:
    """Check all pages as one corpus (a source per site) and score their lines per half."""
    docs, spans, kept = [], [], []
    for page in pages:
        lines, labels = crop(page, context, from_headline)
        doc, sp = as_document(f"{page.name}.txt", lines, page.source, sep)
        docs.append(doc)
        spans.append(sp)
        kept.append((page, lines, labels))
    t0 = time.perf_counter()
    report = engine.check(docs, rules)
    seconds = time.perf_counter() - t0
    by_doc = {d.document: d.findings for d in report.documents}
    tallies = {"tune": Tally(), "test": Tally(), "all": Tally()}
    for doc, sp, (page, lines, labels) in zip(docs, spans, kept):
        flags = flagged_lines(by_doc.get(doc.id, ()), sp)
        tallies[page.split(split)].add(labels, lines, flags)
        tallies["all"].add(labels, lines, flags)
    out = {half: t.summary() for half, t in tallies.items()}
    out["pages"] = {h: sum(1 for p in pages if p.split(split) == h) for h in ("tune", "test")}
    out["split"] = split
    out["seconds"] = round(seconds, 1)
    out["_tallies"] = tallies
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘']?[A-Z0-9])")


def relaid(raw: str, layout: str) -> str:
    """A BBC article (headline, blank line, paragraphs) written as other sources write articles:
    ``wrapped`` hard-wraps each paragraph at 72 columns (Markdown sources), ``no-blank-lines`` puts one
    paragraph on each line with no blank line between (many exports), ``sentence-lines`` one sentence a
    line with no blank lines (sentence-split corpora). The words are the same."""
    paras = [p.strip() for p in raw.split("\n\n") if p.strip()]
    if layout == "wrapped":
        return "\n\n".join(textwrap.fill(p, 72, break_on_hyphens=False) for p in paras) + "\n"
    if layout == "no-blank-lines":
        return "\n".join(paras) + "\n"
    if layout == "sentence-lines":
        return "\n".join([paras[0], *(s for p in paras[1:] for s in _SENTENCE_END.split(p))]) + "\n"
    return raw


def evaluate_bbc(bbc: Path, rules, layout: str = "as-is") -> dict:
    """Check every BBC article as one corpus and count BP flags per 1,000 non-blank lines."""
    loaded = discover.load([str(bbc)], bbc)
    docs = loaded.documents
    if layout != "as-is":
        docs = [Document(id=d.id, raw=relaid(d.raw, layout), format=d.format, path=d.path, fields=d.fields) for d in docs]
    report = engine.check(docs, rules)
    lines = sum(1 for d in docs for ln in d.raw.split("\n") if ln.strip())
    flags = [f for d in report.documents for f in d.findings if f.category == "boilerplate"]
    flagged = {(f.document, f.line) for f in flags}
    return {
        "layout": layout,
        "documents": len(docs),
        "lines": lines,
        "findings": len(flags),
        "flagged_lines": len(flagged),
        "flags_per_1000_lines": round(1000 * len(flagged) / max(1, lines), 2),
        "by_rule": dict(Counter(f.code for f in flags)),
        # BP110 flags character references the corpus really holds ("pass&#233;"): counted apart, so the
        # false-alarm figure of the other rules stays readable
        "flagged_lines_without_markup": len({(f.document, f.line) for f in flags if f.code != "BP110"}),
        "list": [f"{f.document}:{f.line} {f.code} {f.excerpt[:80]!r}" for f in flags],
        "where": [f"{f.document}:{f.line} {f.code}" for f in flags],  # for the JSON: no text of the data set
    }


def _fmt(name: str, s: dict) -> str:
    return (f"  {name:5} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
            f"(residue lines {s['residue_lines']}, flagged {s['flagged_lines']}; "
            f"full-text false flags {s['fulltext_false_flags_per_1000']}/1000 of {s['fulltext_lines']}; "
            f"supplemental flagged {100 * s['supplemental_flagged_share']:.1f}%)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path, help="the shared eval folder (holds boilerplate/l3s-gn1, clean/bbc)")
    ap.add_argument("--context", type=int, action="append", help="lines kept around the article (repeatable)")
    ap.add_argument("--json", type=Path, help="write the numbers to this JSON file")
    ap.add_argument("--errors", type=int, default=0, help="print this many most common false/missed lines (tune half)")
    ap.add_argument("--skip-bbc", action="store_true")
    ap.add_argument("--views", default="", help="only these views (comma-separated: page, article, headline)")
    ap.add_argument("--skip-l3s", action="store_true")
    ap.add_argument("--select", default="BP", help="rule codes or prefixes to run, comma-separated (BP,BP305: with the opt-in line model)")
    ap.add_argument("--bbc-layout", choices=("as-is", "wrapped", "no-blank-lines", "sentence-lines"), default="as-is",
                    help="rewrite the BBC articles' layout first: hard-wrapped at 72 columns, no blank lines between paragraphs, or one sentence a line")
    ap.add_argument("--l3s-layout", choices=("blank-lines", "no-blank-lines"), default="blank-lines",
                    help="join a page's lines with a blank line between (default) or with none, as many extractors write them")
    ap.add_argument("--split", choices=("file", "site"), default="file",
                    help="halves by a hash of the page's file name, or of its site (all pages of a site in one half)")
    args = ap.parse_args(argv)
    rules = bp_rules(args.select)
    results: dict = {"rules": [r.code for r in rules]}
    l3s = args.data_dir / "boilerplate" / "l3s-gn1"
    if not args.skip_l3s and l3s.is_dir():
        pages = load_pages(l3s)
        lines = sum(len(p.lines) for p in pages)
        pure = sum(1 for p in pages for x in p.purity if x >= 0.999)
        labels = Counter(LABELS[label] for p in pages for label in p.labels)
        print(f"L3S-GN1: {len(pages)} pages, {lines} lines ({100 * pure / max(1, lines):.1f}% with one label); "
              f"labels {dict(labels)}")
        results["l3s"] = {"pages": len(pages), "lines": lines, "labels": dict(labels)}
        views = [("page", None, False)]
        for k in args.context or [3]:
            views += [(f"article±{k}", k, False), (f"headline..article+{k}", k, True)]
        if args.views:
            wanted = args.views.split(",")
            views = [v for v in views if v[0].split("±")[0].split("..")[0] in wanted]
        for view, context, from_headline in views:
            res = evaluate_l3s(pages, context, rules, from_headline, args.split, "\n" if args.l3s_layout == "no-blank-lines" else "\n\n")
            tallies = res.pop("_tallies")
            print(f"\n[{view}]  ({res['seconds']} s for the engine)")
            for half in ("tune", "test", "all"):
                print(_fmt(half, res[half]))
            print("  per rule (all pages): " + "  ".join(
                f"{c} {v['flagged_lines']}@P{v['precision']}" for c, v in res["all"]["per_rule"].items()))
            if args.errors:
                t = tallies["tune"]
                print("  most common false flags (tune):")
                for text, n in t.fp_samples.most_common(args.errors):
                    print(f"    {n:3} {text}")
                print("  most common missed residue lines (tune):")
                for text, n in t.fn_samples.most_common(args.errors):
                    print(f"    {n:3} {text}")
            results["l3s"][view] = res
    bbc = args.data_dir / "clean" / "bbc"
    if not args.skip_bbc and bbc.is_dir():
        res = evaluate_bbc(bbc, rules, args.bbc_layout)
        print(f"\nBBC ({res['layout']}): {res['documents']} documents, {res['lines']} lines: {res['flagged_lines']} flagged lines "
              f"= {res['flags_per_1000_lines']} per 1,000 lines; by rule {res['by_rule']}; "
              f"{res['flagged_lines_without_markup']} without BP110's character references")
        for row in res["list"]:
            print("   ", row)
        results["bbc"] = {k: v for k, v in res.items() if k != "list"}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
