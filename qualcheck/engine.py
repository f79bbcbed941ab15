"""The pipeline: documents × enabled rules → findings → located, fingerprinted, scored report.

Phases, in order (``check``):

1. corpus names: per-document name counts, summed (from the store when it has them), when a
   rule of the run reads them (``Rule.uses_names``);
2. corpus rules (agreement, repeated lines) over every document a gate rule does not exclude:
   findings and the report's claims and sources parts; only the focus documents are reported in a
   gate run. They need only each document's gate verdict, claims and keywords (from the store, or
   computed here), so they run first;
3. the document phase (``document_phase``), per document: gate rules → document rules → score rules
   (MT900, GR900: they read the findings of the rules before them, and of their unselected inputs,
   which run here unreported); stored results reused, the rest in worker processes, which are
   forked and handed their documents before step 2 and check them while it runs. Results come
   back in report order, and each document goes through the next steps as soon as its result is
   there, then is let go (what it computed about itself, its sentence parts when streamed);
4. suppression: directives, per-file ignores, editor decisions, the baseline;
5. scoring (``scoring/``): category and overall scores, which every renderer and the gate read;
6. the report (``report.py``), rendered by ``render/``; a ``sink`` (``--report jsonl``) writes each
   document's entry as it is made.

A rule's phase is declared by its kind (``kinds.PHASES``), not by the order of codes.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Mapping, Sequence

from qualcheck import __version__, corpus_facts, discover, review, suppress
from qualcheck import ruleset as _ruleset
from qualcheck.cache import NoCache
from qualcheck.config import Settings
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.document_phase import DocumentResult, DocumentRules, check_all
from qualcheck.model import CATEGORIES, Finding, Notice, fingerprint
from qualcheck.report import DocumentReport, Report
from qualcheck.ruleset import Rule
from qualcheck.saferegex import RegexBudgetExceeded
from qualcheck.scoring import document_gate, gate, score_document  # noqa: F401 - gate is part of the engine API
from qualcheck.textsafe import display_name

Progress = Callable[[int, int], None]
SAVE_EVERY = 32  # documents checked between two writes to the store


def run(settings: Settings, stdin: BinaryIO | None = None, progress: Progress | None = None,
        sink: Callable[[DocumentReport], None] | None = None) -> Report:
    """Load rules and documents as the settings say, check them, and return the report.

    With ``settings.corpus``, the documents of ``settings.paths`` are checked and reported and the
    corpus documents are only what they are compared with (names, claims). With ``settings.cache``,
    results come from and go to the corpus store.
    """
    started = time.perf_counter()
    ruleset = _ruleset.load(settings.rules)
    rules = ruleset.select(settings.select, settings.ignore)
    root = Path(settings.root)
    unread = _unread_changes(settings.changed_unread)
    if settings.corpus and not settings.paths:  # a gate run with nothing new: an empty report
        return check([], rules, settings, unread, progress, all_codes=[r.code for r in ruleset.rules])
    loaded = discover.load(settings.paths, root, settings.exclude, stdin)
    loaded.notices.extend(unread)
    documents, focus = loaded.documents, None
    if settings.corpus:
        corpus = discover.load(settings.corpus, root, settings.exclude, None)
        loaded.notices.extend(n for n in corpus.notices if n not in loaded.notices)
        documents = [d for d in documents if _changed_record(d, settings.changed_records, root)]
        loaded.notices.extend(_missing_records(loaded.documents, settings.changed_records, root))
        focus = [d.id for d in documents]
        seen = set(focus)
        documents = documents + [d for d in corpus.documents if d.id not in seen]
    apply_source_map(documents, settings.source_map)
    read = time.perf_counter() - started
    cache = open_cache(settings, rules, ruleset, loaded.notices)
    try:
        report = check(documents, rules, settings, loaded.notices, progress, all_codes=[r.code for r in ruleset.rules], focus=focus, cache=cache,
                       jobs=settings.jobs, inputs=ruleset.inputs_of(rules), sink=sink)
    finally:
        cache.close()
    return dataclasses.replace(report, timings={"read": read, **report.timings})


def _changed_record(doc: Document, changed_records: Mapping[str, frozenset[str]], root: Path) -> bool:
    """Whether a document of the changed paths is to be checked: every document, but of a JSONL
    corpus whose changed records are known, only those (its other records stay in the corpus)."""
    if doc.format != "jsonl" or not changed_records or not doc.path:
        return True
    ids = changed_records.get(str((root / doc.path).resolve()))
    # a document's id is written as display_name writes it (a newline in a record id as \n)
    return ids is None or doc.id[len(doc.path) + 1 :] in ids or doc.id[len(doc.path) + 1 :] in {display_name(i) for i in ids}


UNREAD_NAMED = 10  # changed files named in the notice; the rest are counted


def _unread_changes(paths: Sequence[str]) -> list[Notice]:
    """One notice naming the changed files of the corpus that are not articles qualcheck reads."""
    if not paths:
        return []
    named = ", ".join(paths[:UNREAD_NAMED]) + (f" and {len(paths) - UNREAD_NAMED} more" if len(paths) > UNREAD_NAMED else "")
    suffixes = ", ".join(discover.READABLE_SUFFIXES)
    return [Notice("info", f"{len(paths)} changed file(s) were not checked, as they are not articles qualcheck reads ({suffixes}): {named}", code="input")]


def _missing_records(documents: Sequence[Document], changed_records: Mapping[str, frozenset[str]], root: Path) -> list[Notice]:
    """A warning for every record named as changed that its corpus file does not hold: never dropped unsaid."""
    if not changed_records:
        return []
    found: dict[str, set[str]] = {}
    for d in documents:
        if d.format == "jsonl" and d.path:
            found.setdefault(str((root / d.path).resolve()), set()).add(d.id[len(d.path) + 1 :])
    out = []
    for path, ids in sorted(changed_records.items()):
        if path not in found:
            continue  # the file itself could not be read: discover already said so
        shown = os.path.relpath(path, root)
        out += [Notice("warning", "no such record in the corpus file, so it was not checked", document=f"{shown}#{i}", code="input")
                for i in sorted(ids) if i not in found[path] and display_name(i) not in found[path]]
    return out


def open_cache(settings: Settings, rules: Sequence[Rule], ruleset, notices: list[Notice]) -> NoCache:
    """The corpus store when the settings ask for it (a notice, not a failure, when it cannot be opened)."""
    if not settings.cache or not settings.store:
        return NoCache()
    from qualcheck import cache as _cache
    from qualcheck.store import Store, StoreError

    folders = [Path(f) for f in ruleset.folders]
    try:
        store = Store(settings.store, notices)
    except StoreError as exc:
        notices.append(Notice("warning", f"{exc}; running without the store", code="store"))
        return NoCache()
    gate_codes = [r.code for r in rules if r.phase == "gate"]
    return _cache.StoreCache(store, _cache.results_producer(rules, folders, settings), _cache.claims_producer(folders, gate_codes))


def apply_source_map(documents: Iterable[Document], source_map: dict) -> None:
    """Give documents whose path matches a configured glob the configured source name."""
    for doc in documents:
        for pattern, source in source_map.items():
            if fnmatch(doc.id, pattern) or (doc.path and fnmatch(doc.path, pattern)):
                doc.fields = {**doc.fields, "source": source}
                doc.__dict__.pop("meta", None)
                break


def _run_rule(rule: Rule, target, ctx: Context, notices: list[Notice], where: str | None, timings: dict[str, float], evidence=None):
    """Run one rule as its phase asks (findings; ``kinds.Scored`` for a score rule, ``kinds.Compared`` for a
    corpus rule); None when it failed, with a notice saying why."""
    started = time.perf_counter()
    try:
        if rule.phase == "score":
            return rule.score(target, evidence, ctx)
        if rule.phase == "corpus":
            return rule.compare(target, ctx)
        return rule.run(target, ctx)
    except RegexBudgetExceeded as exc:  # a pattern that backtracks without end must not hang the run
        notices.append(Notice("warning", f"{rule.code} ({rule.name}) skipped here: {exc}", document=where, code="regex"))
        return None
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


def _drop_deferred(findings: list[Finding], rules: Sequence[Rule]) -> list[Finding]:
    """Drop findings whose passage another rule already flags: one error, one finding.

    What a rule's findings give way to is rule data (``Rule.yields_to``): ``"category"`` yields to any
    firm finding of the same category (a structural rule to a more specific one, declared by its
    kind); a list of codes yields to findings of those codes, whatever their category (GR102's
    doubled word to MT103's, MT111's sentence to MT107's: ``yield-to`` in their YAML).
    """
    yields = {r.code: r.yields_to for r in rules if r.yields_to}
    firm = [f for f in findings if f.code not in yields]
    kept = list(firm)
    taken: set[tuple[str, int, int]] = set()
    for f in findings:
        defer = yields.get(f.code)
        if not defer:
            continue
        key = (f.category, f.span.start, f.span.end)
        same = [g.span for g in firm if (g.code in defer if defer != "category" else g.category == f.category)]
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
            fp = fingerprint(f.code, f.document, f.excerpt, context, repeat=seen[fp])
        out.append(f.with_(line=line, column=col, end_line=end_line, end_column=end_col, fingerprint=fp))
    out.sort(key=Finding.sort_key)
    return out


def _not_run_notices(rules: Sequence[Rule], ran: set[str]) -> list[Notice]:
    """Say why a category's score is null: the report promises a notice for every null score."""
    enabled = {r.category for r in rules}
    out = []
    for category in CATEGORIES:
        if category in ran:
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
    focus: Iterable[str] | None = None,
    cache: NoCache | None = None,
    jobs: int | None = None,
    inputs: Sequence[Rule] | None = None,
    sink: Callable[[DocumentReport], None] | None = None,
) -> Report:
    """Run every rule on every document (then corpus rules), isolate failures, score, and report.

    ``all_codes`` (every loaded rule's code) lets directives naming no rule at all be reported (QC002).
    ``focus``: ids of the documents to check and report (a gate on new articles); the other documents
    are the corpus they are compared with (names, claims), not reported. ``cache``: where document
    results, claims and name counts are kept between runs (``cache.StoreCache``); none by default.
    ``jobs``: worker processes for the document phase (``document_phase.check_all``); default 1.
    ``inputs``: rules the selected score rules weigh but ``rules`` leaves out (``RuleSet.inputs_of``);
    default: read from the rule folders of ``settings``. ``sink``: called with each document's report,
    in path order, as soon as it is scored; the returned report then keeps only each document's
    score and findings (the JSONL report streams this way).

    Phases, in order: see the module docstring.
    """
    started = time.perf_counter()
    settings = settings or Settings()
    cache = cache or NoCache()
    notices = list(notices)
    timings: dict[str, float] = {}
    documents = list(documents)
    focus_set = frozenset(focus) if focus is not None else None
    targets = sorted((d for d in documents if focus_set is None or d.id in focus_set), key=lambda d: d.id)  # report order
    if inputs is None:
        inputs = _ruleset.load(settings.rules).inputs_of(rules) if any(r.inputs() for r in rules) else []
    # counted over the whole corpus only when a rule reads them (a readability or boilerplate run does not)
    names = cache.names(documents, jobs=jobs or 1) if any(r.uses_names for r in (*rules, *inputs)) else None
    # gate rules (MT110: not in English at all) run first; a document they flag gets no other check
    doc_rules = DocumentRules.of(rules, inputs)
    corpus_rules = [r for r in rules if r.phase == "corpus"]
    stored = {doc_id: DocumentResult.from_row(row) for doc_id, row in cache.results(targets).items()}
    pending = [d for d in targets if d.id not in stored or (names is not None and not names.still_holds(stored[d.id].names))]
    pending_ids = {d.id for d in pending}
    for doc in documents:
        doc.release()  # counted for the corpus names; computed again when checked

    ctx = Context(corpus=Corpus(pending, focus=focus_set, names_evidence=names), settings=settings, cache=cache)
    corpus_ctx = Context(corpus=Corpus(documents, focus=focus_set, names_evidence=names), settings=settings, cache=cache)
    corpus_found: dict[str, list[Finding]] = defaultdict(list)
    corpus_ran: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, dict] = {}  # per-document report parts from corpus rules: agreement
    compared: dict[str, object] = {}  # run-level report parts from corpus rules: claims, sources
    gated: set[str] = set()
    unsaved: list[tuple[Document, DocumentResult]] = []
    saved = 0
    fresh = None
    ran_anywhere: set[str] = set()  # categories that ran on some document (a null score needs a notice)
    reports = []

    def save(doc: Document | None = None, result: DocumentResult | None = None) -> None:
        """Store results as they come, in batches: an interrupted run keeps what it finished."""
        nonlocal saved
        if doc is not None and result.checked:  # a document whose worker died is tried again next run
            unsaved.append((doc, result))
        if unsaved and (doc is None or len(unsaved) >= SAVE_EVERY or saved + len(unsaved) >= len(pending)):
            cache.save_results({d.id: r.to_row() for d, r in unsaved}, [d for d, _ in unsaved])
            saved += len(unsaved)
            unsaved.clear()

    # what the corpus rules need of each document (gate verdicts of stored results are known)
    facts = corpus_facts.Facts(tuple(doc_rules.gate), {i: r.gated for i, r in stored.items() if i not in pending_ids},
                               any(r.kind == "agreement" for r in corpus_rules), corpus_ctx, _run_rule) if corpus_rules else None
    try:
        # 1. the document phase is handed to its workers first: they check documents while this
        #    process runs the corpus rules (a serial run checks them afterwards, one at a time)
        if settings.dask and pending:
            from qualcheck import dask_phase

            fresh = dask_phase.check_all(pending, doc_rules, ctx, _run_rule, timings, settings.dask, progress=progress)
        elif pending:
            fresh = check_all(pending, doc_rules, ctx, _run_rule, timings, jobs=jobs or 1, progress=progress, facts=facts, corpus=documents)
        # 2. corpus phase (agreement, repeated lines), so that each document's report is complete, and
        #    can be written and let go, as soon as its own result is there
        try:
            if facts is not None:
                # read by the document phase's workers (or cluster) when it has them, else on every core here
                gated = corpus_facts.gated(documents, facts, cache, jobs=jobs or 1, timings=timings,
                                           remote=getattr(fresh, "remote_facts", None), notices=notices)
            if fresh is not None:
                fresh.fill()  # the workers' other chunks, behind the facts (when the store had them all: now)
            checked = [d for d in documents if d.id not in gated]
            for rule in corpus_rules:
                result = _run_rule(rule, Corpus(checked, focus=focus_set, names_evidence=names), corpus_ctx, notices, None, timings)
                if result is None:
                    continue
                for f in result.findings:
                    if focus_set is None or f.document in focus_set:
                        corpus_found[f.document].append(f)
                for doc in checked:
                    corpus_ran[doc.id].add(rule.category)
                for doc_id, doc_parts in result.documents.items():
                    if focus_set is None or doc_id in focus_set:
                        parts.setdefault(doc_id, {}).update(doc_parts)
                for name in ("claims", "sources"):
                    if getattr(result, name) is not None:
                        compared.setdefault(name, getattr(result, name))
        finally:
            corpus_ctx.close()
            cache.done_with_facts()
            for doc in documents:
                doc.release()

        decisions, unusable = review.load_for_run(settings.decisions) if settings.decisions else ({}, None)
        baseline, unusable_baseline = review.load_for_run(settings.baseline) if settings.baseline else ({}, None)
        for problem, path in ((unusable, settings.decisions), (unusable_baseline, settings.baseline)):
            if problem:  # a corrupt or foreign database: set aside, reported, the run goes on without it
                notices.append(Notice("error", problem, document=path, code="input"))
        used: set[str] = set()
        in_baseline: set[str] = set()
        known_codes = [r.code for r in rules]

        # 3. each document reported as its result comes (from the store when the document, rules and
        #    name verdicts are unchanged)
        for doc in targets:
            if doc.id in pending_ids:
                checked_doc, result = next(fresh)
                assert checked_doc.id == doc.id, "the document phase hands results on in document order"
                save(doc, result)
            else:
                result = stored.pop(doc.id)
            for n in result.run_notices:  # run-level notices (which engine ran) in document order, whoever checked it
                ctx.notice(n)
            findings = _locate(doc, _drop_deferred(list(result.findings) + corpus_found.pop(doc.id, []), rules))
            findings, directive_notices = suppress.apply_directives(findings, doc.raw, doc.id, known_codes, all_codes)
            findings = suppress.apply_per_file_ignores(findings, doc.id, settings.per_file_ignores)
            findings = suppress.apply_decisions(findings, decisions, used)
            findings = suppress.apply_decisions(findings, baseline, in_baseline, kind="baseline")
            if result.stats is None:
                result.stats = dict(ctx.document_stats(doc, rules))
            ran = set(result.ran) | corpus_ran.pop(doc.id, set())
            ran_anywhere |= ran
            score = score_document(findings, result.stats.get("words", 0), ran, result.scores, settings.scoring)
            doc_parts = {**result.parts, **parts.pop(doc.id, {})}
            entry = DocumentReport(
                document=doc.id,
                title=doc.title,
                source=doc.source,
                date=doc.date,
                text=doc.raw,
                stats=result.stats,
                findings=tuple(findings),
                score=score,
                notices=tuple(doc.notices + result.notices + directive_notices),  # doc.notices: lone surrogates replaced
                record_line=doc.record_line,
                sentences=doc_parts.get("sentences"),
                grammar_sentences=doc_parts.get("grammar_sentences"),
                agreement=doc_parts.get("agreement"),
            )
            ctx.forget(doc)
            doc.release()
            if sink is not None:  # streamed out (--report jsonl): keep only what the summary and the gate read
                sink(entry)
                entry = dataclasses.replace(entry, text="", sentences=None, grammar_sentences=None)
            reports.append(entry)
        if fresh is not None and next(fresh, None) is not None:  # runs the phase's own ending (timings, closing notices)
            raise RuntimeError("the document phase returned more results than documents")
        save()
    finally:  # worker processes, threads and servers stop even when a progress callback or Ctrl-C interrupts the run
        if fresh is not None:
            fresh.close()
        ctx.close()
    notices.extend(n for n in ctx.notices + corpus_ctx.notices if n not in notices)  # backend notices, e.g. the grammar engine used

    if decisions:
        stale = len(decisions) - len(used)
        notices.append(Notice("info", f"decisions: applied {len(used)} of {len(decisions)} editor decisions from {settings.decisions}"
                              + (f"; {stale} matched no finding in this run (fixed, or another document)" if stale else ""), code="decisions"))
    if settings.baseline:
        new = sum(1 for r in reports for f in r.findings if f.counts)
        notices.append(Notice("info", f"baseline: {len(in_baseline)} finding(s) of this run are in {settings.baseline} and do not count; {new} new", code="baseline"))
    if focus_set is not None:
        notices.append(Notice("info", f"checked {len(targets)} new or changed document(s) against a corpus of {len(documents) - len(targets)} "
                              f"other document(s); only the checked ones are reported", code="corpus"))
    if targets:
        notices += _not_run_notices(rules, ran_anywhere)
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
        claims=compared.get("claims"),
        sources=_sources(compared.get("sources"), reports),
        timings={**timings, "check": time.perf_counter() - started},
        run_info={"store": str(cache.store.path) if cache.store else None, "reused": len(targets) - len(pending), "checked": len(pending)},
    )


def _sources(sources, reports: Sequence[DocumentReport]):
    """Each source's reliability from the agreement analysis, also weighing its documents' scores."""
    if sources is None:
        return None
    from qualcheck.agreement.reliability import with_quality

    return with_quality(sources, {r.document: r.score.overall for r in reports})
