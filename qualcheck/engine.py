"""The pipeline: documents × enabled rules → findings → located, fingerprinted, scored report."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Sequence

from qualcheck import __version__, discover, review, suppress
from qualcheck import ruleset as _ruleset
from qualcheck.config import Settings
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.model import CATEGORIES, Finding, Notice, fingerprint
from qualcheck.report import DocumentReport, Report
from qualcheck.ruleset import Rule
from qualcheck.scoring import score_document

Progress = Callable[[int, int], None]


def run(settings: Settings, stdin: BinaryIO | None = None, progress: Progress | None = None) -> Report:
    """Load rules and documents as the settings say, check them, and return the report."""
    started = time.perf_counter()
    ruleset = _ruleset.load(settings.rules)
    rules = ruleset.select(settings.select, settings.ignore)
    loaded = discover.load(settings.paths, Path(settings.root), settings.exclude, stdin)
    apply_source_map(loaded.documents, settings.source_map)
    read = time.perf_counter() - started
    report = check(loaded.documents, rules, settings, loaded.notices, progress, all_codes=[r.code for r in ruleset.rules])
    return dataclasses.replace(report, timings={"read": read, **report.timings})


def apply_source_map(documents: Iterable[Document], source_map: dict) -> None:
    """Give documents whose path matches a configured glob the configured source name."""
    for doc in documents:
        for pattern, source in source_map.items():
            if fnmatch(doc.id, pattern) or (doc.path and fnmatch(doc.path, pattern)):
                doc.fields = {**doc.fields, "source": source}
                doc.__dict__.pop("meta", None)
                break


def _run_rule(rule: Rule, target, ctx: Context, notices: list[Notice], where: str | None, timings: dict[str, float]) -> list[Finding] | None:
    started = time.perf_counter()
    try:
        return rule.run(target, ctx)
    except Exception as exc:  # one failing check must not stop the run: it becomes a notice
        notices.append(Notice("error", f"{rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}", document=where, code="check"))
        return None
    finally:  # what --verbose shows: where a slow run spends its time (engines load in their first rule)
        timings[rule.code] = timings.get(rule.code, 0.0) + time.perf_counter() - started


def _covered(span, others) -> float:
    """Share of ``span`` covered by the union of ``others``."""
    length = span.end - span.start
    if length <= 0:
        return 1.0 if any(o.start <= span.start <= o.end for o in others) else 0.0
    marks = bytearray(length)
    for o in others:
        for i in range(max(o.start, span.start), min(o.end, span.end)):
            marks[i - span.start] = 1
    return sum(marks) / length


def _drop_deferred(findings: list[Finding]) -> list[Finding]:
    """Drop findings whose passage another rule already flags: one error, one finding.

    ``defer`` True yields to any firm finding of the same category (a structural rule to a more
    specific one); a list of codes yields to findings of those codes, whatever their category
    (GR102's doubled word to MT103's, declared in GR102's YAML).
    """
    firm = [f for f in findings if not f.data.get("defer")]
    kept = list(firm)
    taken: set[tuple[str, int, int]] = set()
    for f in findings:
        defer = f.data.get("defer")
        if not defer:
            continue
        key = (f.category, f.span.start, f.span.end)
        same = [g.span for g in firm if (g.code in defer if isinstance(defer, (list, tuple)) else g.category == f.category)]
        if key not in taken and _covered(f.span, same) < 0.5:
            taken.add(key)
            kept.append(f)
    return kept


def _locate(doc: Document, findings: list[Finding]) -> list[Finding]:
    out = []
    seen: Counter[str] = Counter()
    for f in findings:
        line, col = doc.locate(f.span.start)
        end_line, end_col = doc.locate(f.span.end)
        sentence = doc.sentence_at(f.span.start)
        context = doc.raw[sentence.start : sentence.end] if sentence else doc.raw[doc.lines[line - 1].start : doc.lines[line - 1].end]
        fp = fingerprint(f.code, f.document, f.excerpt, context)
        seen[fp] += 1
        if seen[fp] > 1:  # same text flagged twice in one sentence: keep fingerprints distinct
            fp = fingerprint(f.code, f.document, f.excerpt, f"{context}\x1e{seen[fp]}")
        data = {k: v for k, v in f.data.items() if k != "defer"}
        out.append(f.with_(line=line, column=col, end_line=end_line, end_column=end_col, fingerprint=fp, data=data))
    out.sort(key=Finding.sort_key)
    return out


def _not_run_notices(rules: Sequence[Rule], ran: dict[str, set[str]]) -> list[Notice]:
    """Say why a category's score is null: the report promises a notice for every null score."""
    enabled = {r.category for r in rules}
    out = []
    for category in CATEGORIES:
        if any(category in cats for cats in ran.values()):
            continue
        why = "every rule of this category failed (see its notices)" if category in enabled else "no rule of this category is enabled"
        out.append(Notice("info", f"{category}: not checked, {why}; its score is null", code="category"))
    return out


def check(
    documents: Sequence[Document],
    rules: Sequence[Rule],
    settings: Settings | None = None,
    notices: Iterable[Notice] = (),
    progress: Progress | None = None,
    all_codes: Sequence[str] | None = None,
) -> Report:
    """Run every rule on every document (then corpus rules), isolate failures, score, and report.

    ``all_codes`` (every loaded rule's code) lets directives naming no rule at all be reported (QC002).
    """
    started = time.perf_counter()
    settings = settings or Settings()
    notices = list(notices)
    timings: dict[str, float] = {}
    corpus = Corpus(list(documents))
    ctx = Context(corpus=corpus, settings=settings)
    found: dict[str, list[Finding]] = defaultdict(list)
    ran: dict[str, set[str]] = defaultdict(set)
    doc_notices: dict[str, list[Notice]] = defaultdict(list)
    # gate rules (MT110: not in English at all) run first; a document they flag gets no other check
    doc_rules = sorted((r for r in rules if r.scope == "document"), key=lambda r: not r.spec.gate)
    corpus_rules = [r for r in rules if r.scope == "corpus"]
    total = len(corpus.documents)
    gated: set[str] = set()
    try:
        for i, doc in enumerate(corpus.documents, 1):
            for rule in doc_rules:
                if doc.id in gated:
                    break
                result = _run_rule(rule, doc, ctx, doc_notices[doc.id], doc.id, timings)
                if result is not None:
                    found[doc.id].extend(result)
                    ran[doc.id].add(rule.category)
                if result and rule.spec.gate:
                    gated.add(doc.id)
                    doc_notices[doc.id].append(Notice("warning", f"{rule.code} ({rule.name}) flagged this document, so no other rule ran on it and it is left out of the cross-source comparison", document=doc.id, code="gate"))
            if progress:
                progress(i, total)
        checked = corpus if not gated else Corpus([d for d in corpus.documents if d.id not in gated], focus=corpus.focus)
        for rule in corpus_rules:
            result = _run_rule(rule, checked, ctx, notices, None, timings)
            if result is None:
                continue
            for f in result:
                found[f.document].append(f)
            for doc in checked.documents:
                ran[doc.id].add(rule.category)
    finally:  # worker threads and servers stop even when a progress callback or Ctrl-C interrupts the run
        ctx.close()
    notices.extend(n for n in ctx.notices if n not in notices)  # backend notices, e.g. the grammar engine used

    decisions = review.load(settings.decisions) if settings.decisions else {}
    used: set[str] = set()
    known_codes = [r.code for r in rules]
    reports = []
    for doc in corpus.documents:
        findings = _locate(doc, _drop_deferred(found[doc.id]))
        findings, directive_notices = suppress.apply_directives(findings, doc.raw, doc.id, known_codes, all_codes)
        doc_notices[doc.id].extend(directive_notices)
        findings = suppress.apply_per_file_ignores(findings, doc.id, settings.per_file_ignores)
        findings = suppress.apply_decisions(findings, decisions, used)
        stats = dict(ctx.readability(doc))
        measured = {k.split(".", 1)[1]: v for k, v in ctx.measurements.get(doc.id, {}).items() if k.startswith("score.")}
        extra = {k: v for k, v in ctx.measurements.get(doc.id, {}).items() if not k.startswith("score.")}
        score = score_document(findings, stats.get("words", 0), ran[doc.id], measured, settings.scoring)
        reports.append(
            DocumentReport(
                document=doc.id,
                title=doc.title,
                source=doc.source,
                date=doc.date,
                text=doc.raw,
                stats=stats,
                findings=tuple(findings),
                score=score,
                notices=tuple(doc_notices[doc.id]),
                extra=extra,
                record_line=doc.record_line,
            )
        )
    reports.sort(key=lambda r: r.document)
    if decisions:
        stale = len(decisions) - len(used)
        notices.append(Notice("info", f"decisions: applied {len(used)} of {len(decisions)} editor decisions from {settings.decisions}"
                              + (f"; {stale} matched no finding in this run (fixed, or another document)" if stale else ""), code="decisions"))
    if corpus.documents:
        notices += _not_run_notices(rules, ran)
    all_notices = notices + [n for r in reports for n in r.notices]
    return Report(
        tool_version=__version__,
        rules=tuple(r.info() for r in rules),
        documents=tuple(reports),
        notices=tuple(all_notices),
        settings={
            "select": list(settings.select),
            "ignore": list(settings.ignore),
            "fail_under": settings.fail_under,
            "fail_on": str(settings.gate_severity) if settings.gate_severity else None,
        },
        extra=_run_extra(ctx, reports),
        timings={**timings, "check": time.perf_counter() - started},
    )


def _run_extra(ctx: Context, reports: Sequence[DocumentReport]) -> dict:
    """Run-level results kinds recorded (claims, sources); each source's reliability also weighs its documents' scores."""
    extra = dict(ctx.report)
    if "sources" in extra:
        from qualcheck.reliability import with_quality

        extra["sources"] = with_quality(extra["sources"], {r.document: r.score.overall for r in reports})
    return extra


def gate(report: Report, fail_under: float | None, fail_on=None) -> list[str]:
    """Return why the gate fails (empty when it passes): a document under the bar or a severe finding."""
    return [reason for doc in report.documents for reason in document_gate(doc, fail_under, fail_on)]


def document_gate(doc: DocumentReport, fail_under: float | None, fail_on=None) -> list[str]:
    """Return why one document fails the gate (empty when it passes); dismissed findings never count."""
    reasons = []
    if fail_under is not None and doc.score.overall < fail_under:
        reasons.append(f"{doc.document}: score {doc.score.overall:.1f} is below {fail_under:g}")
    if fail_on is not None:
        worst = [f for f in doc.counting if f.severity >= fail_on]
        if worst:
            reasons.append(f"{doc.document}: {len(worst)} finding(s) at {fail_on} or above")
    return reasons
