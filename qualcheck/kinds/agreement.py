"""agreement: corpus-scope findings from cross-source claim alignment (qualcheck/agreement/alignment.py).

One analysis per run (kept in the context's per-run cache) serves every FA rule; each rule picks its check:
``contradiction`` (values that conflict with other sources), ``quote-wording`` (a rendering that
departs from the others), ``quote-change`` (a rendering close to another that changes a figure, a
unit, a direction or a negation: ``agreement/quotes.py``), ``quote-speaker`` (a remark attributed to someone else), or
``single-source`` (a claim no other source covering the event makes). Each returns, besides its
findings, the report's ``claims`` and ``sources`` parts and each document's agreement counts
(``kinds.Compared``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from qualcheck.kinds import Compared, kind
from qualcheck.model import Finding, Location, Severity, Span

CHECKS = ("contradiction", "quote-wording", "quote-change", "quote-speaker", "single-source")


@dataclass(frozen=True, slots=True)
class AgreementParams:
    """Which claims a rule covers and how claims are aligned (0–100 rapidfuzz scores)."""

    check: str
    claims: tuple[str, ...]
    # context token_set ratio for numbers/dates to be about one thing: 55 was the lowest that kept MRPC's
    # tune half at 3.0% false alarms (60 before; 50 gave 3.3%)
    align_min_score: float = 55.0
    quote_min_score: float = 70.0  # token_set ratio for two quoted sentences to be one remark
    wording_min_score: float = 60.0  # plain ratio under which a rendering departs from the others
    min_sources: int = 2  # single-source: only when this many sources cover the story

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"check: {self.check!r} is not one of {', '.join(CHECKS)}")
        if not self.claims:
            raise ValueError("claims: name at least one claim kind")


def _analysis(corpus, rule, ctx):
    from qualcheck.agreement import alignment, offices

    p = rule.params
    focus = getattr(corpus, "focus", None)
    key = f"agreement:{p.align_min_score}:{p.quote_min_score}:{p.wording_min_score}"

    def run():
        result = alignment.analyse(
            corpus.documents,
            ctx.backend("fuzzy"),
            align_min=p.align_min_score,
            quote_min=p.quote_min_score,
            wording_min=p.wording_min_score,
            extracted=ctx.cache.claims(corpus.documents) if getattr(ctx, "cache", None) else None,
            keywords=ctx.cache.keywords(corpus.documents) if getattr(ctx, "cache", None) else None,
            focus=focus,
            knowledge=offices.load(),
        )
        # one pass over the groups, indexed by document (not a scan of every group per document)
        counts: dict[str, dict[str, int]] = {}
        for g in result.groups:
            for doc_id in {m.doc.id for m in g.members}:
                counts.setdefault(doc_id, {"corroborated": 0, "contradicted": 0, "single-source": 0})[g.status] += 1
        # corroboration is reported as a positive signal
        per_document = {doc.id: {"agreement": counts.get(doc.id, {"corroborated": 0, "contradicted": 0, "single-source": 0})}
                        for doc in corpus.documents if focus is None or doc.id in focus}
        return result, Compared(claims=alignment.ClaimsView(result), sources=result.sources_json(), documents=per_document)

    return ctx.memo(key, run)


def _rewrite(this, other_prefix: str) -> str:
    """The flagged span with its title part replaced ("British President Boris Johnson" -> "British Prime Minister Boris Johnson")."""
    person = this.claim.extra.get("person", "")
    text = " ".join(this.claim.text.split())
    return f"{other_prefix.strip()} {person}" if person and text.endswith(person) else other_prefix.strip()


def _title_prefix(m) -> str:
    text = " ".join(m.claim.text.split())
    if m.claim.extra.get("apposition"):
        return text  # "British President" in "Boris Johnson, the British President,": the span is the title
    person = m.claim.extra.get("person", "")
    return text[: len(text) - len(person)].strip() if person and text.endswith(person) else m.claim.display


def _location(m, message: str = "") -> Location:
    line, col = m.doc.locate(m.claim.start)
    return Location(m.doc.id, m.claim.start, m.claim.end, line, col, m.claim.text, message or f"{m.source}: '{m.claim.display}'")


@kind("agreement", params=AgreementParams, phase="corpus")
def agreement(corpus, rule, ctx) -> Compared:
    """Flag claims that other sources contradict, quotes that depart, and single-source claims
    (in changed-articles mode, on the focus documents only), with the claims and sources parts."""
    focus = getattr(corpus, "focus", None)
    result, parts = _analysis(corpus, rule, ctx)
    findings = [f for f in _findings(corpus, rule, ctx, result) if focus is None or f.document in focus]
    return Compared(findings=findings, claims=parts.claims, sources=parts.sources, documents=parts.documents)


def _same_office(a, b) -> bool:
    """Whether the offices file confirms two title claims as one office ("Chancellor", "finance minister")."""
    return a.knowledge is not None and b.knowledge is not None and a.knowledge.office is not None and a.knowledge.office == b.knowledge.office


def _findings(corpus, rule, ctx, result) -> Iterator[Finding]:
    from qualcheck.agreement.alignment import compatible

    p = rule.params
    focus = getattr(corpus, "focus", None)
    fuzzy = ctx.backend("fuzzy")
    story_sources: dict[str, set[str]] = {}
    for doc_id, story in result.grouping.story.items():
        story_sources.setdefault(story, set()).add(result.sources[doc_id])
    for g in result.groups:
        if g.kind not in p.claims:
            continue
        if p.check == "contradiction" and g.kind != "quote" and g.flags:
            for i, (decided_by, against) in sorted(g.flags.items()):
                m = g.members[i]
                if focus is not None and m.doc.id not in focus:
                    continue  # only the documents being checked are reported
                others = [g.members[j] for j in against]
                verdict = m.knowledge if decided_by == "knowledge" else None
                supporters = {o.voter for o in others if compatible(o.claim.value, others[0].claim.value) or _same_office(o, others[0])} if others else set()
                if verdict is not None or (len(supporters) >= 2 and g.confidence.get(m.claim.value, 0) < 0.5):
                    severity = Severity.ERROR
                else:
                    severity = None
                other_sources = ", ".join(sorted({o.source for o in others}))
                told = f"'{others[0].claim.display}' in {other_sources}" if others else ""
                if verdict is not None:
                    evidence = "; ".join(x for x in (verdict.reason, told) if x)
                    suggestion = None
                    if verdict.suggestion:
                        written, title_text = _title_prefix(m), m.claim.extra.get("title", "")
                        if verdict.nationality:  # the person holds this office in another country
                            prefix = f"{verdict.nationality} {verdict.suggestion}"
                        elif title_text and title_text in written:
                            cut = written.rindex(title_text)
                            prefix = written[:cut] + verdict.suggestion + written[cut + len(title_text) :]
                        else:
                            prefix = verdict.suggestion
                        suggestion = _rewrite(m, prefix)
                    suggestions = [suggestion] if suggestion else []
                    if not suggestions and others and g.kind == "person-title":
                        suggestions = [_rewrite(m, _title_prefix(others[0]))]
                else:
                    evidence = told
                    if m.knowledge is not None and m.knowledge.undated and m.knowledge.reason:
                        evidence = f"{told}; {m.knowledge.reason}, and this article has no date that places it then"
                    suggestions = [_rewrite(m, _title_prefix(others[0]))] if g.kind == "person-title" and others else []
                if not others and verdict is None:
                    continue
                yield rule.finding(
                    m.doc,
                    Span(m.claim.start, m.claim.end),
                    severity=severity,
                    related=[_location(o) for o in others],
                    suggestions=suggestions,
                    data={
                        "claim": g.id,
                        "kind": g.kind,
                        "subject": g.subject,
                        "confidence": round(g.confidence.get(m.claim.value, 0), 3),
                        "decided_by": decided_by,
                    },
                    subject=g.subject,
                    this=m.claim.display,
                    other=others[0].claim.display if others else "",
                    other_source=other_sources,
                    decided="the offices data" if decided_by == "knowledge" else "the other sources",
                    evidence=evidence,
                )
        elif p.check == "quote-wording" and g.kind == "quote":
            for i, (score, j) in sorted(g.departs.items()):
                m, o = g.members[i], g.members[j]
                ops = fuzzy.word_diff(o.claim.text.split(), m.claim.text.split())
                diff = fuzzy.render_diff(ops)
                yield rule.finding(
                    m.doc,
                    Span(m.claim.start, m.claim.end),
                    related=[_location(x) for x in g.members if x.source != m.source],
                    data={"claim": g.id, "similarity": round(score, 1), "diff": diff, "closest": o.doc.id},
                    other_source=o.source,
                    diff=diff,
                    score=f"{score:.0f}",
                )
        elif p.check == "quote-change" and g.kind == "quote":
            for i, (said, j) in sorted(g.changes.items()):
                m, o = g.members[i], g.members[j]
                diff = fuzzy.render_diff(fuzzy.word_diff(o.claim.text.split(), m.claim.text.split()))
                yield rule.finding(
                    m.doc,
                    Span(m.claim.start, m.claim.end),
                    related=[_location(o)],
                    data={"claim": g.id, "change": said, "diff": diff, "closest": o.doc.id},
                    other_source=o.source,
                    change=said,
                    diff=diff,
                )
        elif p.check == "quote-speaker" and g.kind == "quote" and g.status == "contradicted":
            speakers = {}
            for m in g.members:
                if m.claim.subject != "?":  # a rendering that names no speaker contradicts none
                    speakers.setdefault(m.claim.subject, []).append(m)
            if len(speakers) < 2:
                continue  # contradicted on what was said (FA107), not on who said it
            # in changed-articles mode the established documents decide when they agree on who said it
            settled = {m.claim.subject for ms in speakers.values() for m in ms if focus is not None and m.doc.id not in focus}
            by_established = len(settled) == 1 and any(m.doc.id in focus for ms in speakers.values() for m in ms)
            main = next(iter(settled)) if by_established else max(speakers, key=lambda k: (len({m.voter for m in speakers[k]}), k))
            for key, ms in sorted(speakers.items()):
                if key == main or (not by_established and len({m.voter for m in ms}) >= len({m.voter for m in speakers[main]})):
                    continue
                for m in ms:
                    others = speakers[main]
                    yield rule.finding(
                        m.doc,
                        Span(m.claim.start, m.claim.end),
                        related=[_location(o) for o in others],
                        data={"claim": g.id},
                        speaker=m.claim.extra.get("speaker") or "someone",
                        other=others[0].claim.extra.get("speaker") or "someone else",
                        other_source=", ".join(sorted({o.source for o in others})),
                    )
        elif p.check == "single-source" and g.status == "single-source":
            m = g.members[0]
            if m.claim.extra.get("quoted"):
                continue  # the speaker's words ("not one centimeter"): a quote, not a reported figure
            if len(story_sources.get(result.grouping.story[m.doc.id], ())) < p.min_sources:
                continue
            yield rule.finding(m.doc, Span(m.claim.start, m.claim.end), data={"claim": g.id, "kind": g.kind}, subject=g.subject)
