"""Cross-source analysis: group documents into events, align their claims by subject, compare the
values exactly, and score sources by truth discovery. The agreement kind turns the result into
findings; the report shows its claim groups and source scores.

Blocking keeps this near-linear: person titles are compared per person key across the corpus,
numbers per (story, kind, counted subject), dates and quotes per event; only claims inside one
block are paired, by rapidfuzz similarity of their context (alignment), never of their values.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence as _SequenceABC
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterator, Sequence

from qualcheck.agreement import claims as _claims
from qualcheck.agreement import dating as _dating
from qualcheck.agreement import events as _events
from qualcheck.agreement import offices as _offices
from qualcheck.agreement import owners as _owners
from qualcheck.agreement import quotes as _quotes
from qualcheck.agreement import reliability
from qualcheck.agreement.claims import Claim, Quantity

NUMERIC = ("number", "money", "percent", "distance", "duration", "year")


@dataclass
class Member:
    """One document's claim inside a claim group."""

    doc: Any
    source: str
    voter: str  # near-duplicate copies share a voter
    claim: Claim
    knowledge: Any = None  # offices.Verdict for person + title claims the offices file can judge


@dataclass
class Group:
    """Claims from several documents about one thing."""

    id: str
    kind: str
    subject: str
    event: str | None
    members: list[Member]
    status: str = "single-source"
    truth: Hashable = None
    confidence: dict[Hashable, float] = field(default_factory=dict)
    departs: dict[int, tuple[float, int]] = field(default_factory=dict)  # quote member -> (best score, closest)
    closest: dict[int, tuple[float, int]] = field(default_factory=dict)  # every quote member's closest rendering
    changes: dict[int, tuple[str, int]] = field(default_factory=dict)  # quote member -> (what it changes, closest rendering)
    flags: dict[int, tuple[str, list[int]]] = field(default_factory=dict)  # wrong member -> (decided by, the members it contradicts)

    @property
    def sources(self) -> set[str]:
        return {m.source for m in self.members}


def _line_col(raw: str, offset: int) -> tuple[int, int]:
    """``Document.locate`` without caching the document's line starts (the claims part may be built
    for every document of a large run, after each was let go)."""
    offset = max(0, min(offset, len(raw)))
    return raw.count("\n", 0, offset) + 1, offset - (raw.rfind("\n", 0, offset) + 1) + 1


class ClaimsView(_SequenceABC):
    """The report's claims part, each group built when it is read: a large run does not hold a dict
    for every claim of every document (16,000 BBC articles: about 190,000 values) at once."""

    def __init__(self, analysis: "Analysis") -> None:
        self._analysis = analysis

    def __len__(self) -> int:
        return len(self._analysis.groups)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._analysis.group_json(g) for g in self._analysis.groups[i]]
        return self._analysis.group_json(self._analysis.groups[i])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._analysis.group_json(g) for g in self._analysis.groups)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, ClaimsView)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Analysis:
    groups: list[Group]
    grouping: _events.Grouping
    sources: dict[str, str]  # document -> source
    trust: dict[str, float]
    evidence: dict[str, Counter]
    fuzzy: Any = None

    def claims_json(self) -> list[dict[str, Any]]:
        return [self.group_json(g) for g in self.groups]

    def group_json(self, g: Group) -> dict[str, Any]:
        """One claim group as the report gives it: its values, where each is, and its status."""
        values = []
        for i, m in enumerate(g.members):
            line, col = _line_col(m.doc.raw, m.claim.start)
            item = {
                "document": m.doc.id,
                "source": m.source,
                "value": _value_text(m.claim),
                "text": m.claim.text,
                "start": m.claim.start,
                "end": m.claim.end,
                "line": line,
                "column": col,
            }
            if isinstance(m.claim.value, Quantity):
                q = m.claim.value  # the compared value; an open bound ("more than") is null
                item["quantity"] = {
                    "low": q.low if math.isfinite(q.low) else None,
                    "high": q.high if math.isfinite(q.high) else None,
                    "unit": q.unit,
                    "direction": q.direction,
                }
            if g.kind != "quote":
                item["confidence"] = round(g.confidence.get(_key(m.claim), 0.0), 3)
            else:
                item["speaker"] = m.claim.extra.get("speaker")
                item["departs"] = i in g.departs
                if i in g.changes:
                    item["changes"] = g.changes[i][0]
                if i in g.closest:
                    score, j = g.closest[i]
                    item["similarity"] = round(score, 1)
                    item["diff"] = self.fuzzy.render_diff(
                        self.fuzzy.word_diff(g.members[j].claim.text.split(), m.claim.text.split())
                    )
                    item["diff_against"] = g.members[j].doc.id
            values.append(item)
        return {
            "id": g.id,
            "kind": g.kind,
            "subject": g.subject,
            "event": self.grouping.labels.get(g.event, g.event) if g.event else None,
            "status": g.status,
            "values": values,
        }

    def sources_json(self) -> list[dict[str, Any]]:
        docs: dict[str, list[str]] = defaultdict(list)
        for doc_id, src in self.sources.items():
            docs[src].append(doc_id)
        out = []
        for src in sorted(docs):
            ev = self.evidence.get(src, Counter())
            trust = self.trust.get(src)
            out.append(
                {
                    "name": src,
                    "documents": sorted(docs[src]),
                    "reliability": reliability.blend(trust, None),
                    "evidence": {
                        "corroborated": ev["corroborated"],
                        "contradicted": ev["contradicted"],
                        "outvoted": ev["outvoted"],
                        "single": ev["single"],
                        "copies": ev["copies"],
                        "trust": None if trust is None else round(trust, 3),
                        "method": "TruthFinder (near-duplicate copies vote once)",
                    },
                }
            )
        return out


def _value_text(claim: Claim) -> str:
    if claim.kind == "quote":
        return claim.display
    if claim.kind == "person-title":
        return claim.display
    return claim.display


def _key(claim: Claim) -> Hashable:
    return claim.value


def compatible(a: Hashable, b: Hashable) -> bool:
    """Whether two extracted values agree: overlapping quantities, the same office, the same date."""
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return a.agrees(b)
    if isinstance(a, tuple) and isinstance(b, tuple) and a and b:
        if a[0] in ("date", "weekday") or b[0] in ("date", "weekday"):
            if a[0] != b[0]:
                return False  # a weekday and a calendar date are not compared (``comparable``), so never agree
            if a[0] == "date":
                return a[1:3] == b[1:3] and (a[3] is None or b[3] is None or a[3] == b[3])
            return a == b
        office_a, nat_a = a
        office_b, nat_b = b
        return _office(office_a) == _office(office_b) and (nat_a is None or nat_b is None or nat_a == nat_b)
    return a == b


def comparable(a: Hashable, b: Hashable) -> bool:
    """Whether two values can be about one thing at all (a price in pounds and one in dollars cannot)."""
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return a.comparable(b)
    if isinstance(a, tuple) and isinstance(b, tuple) and a and b and {a[0], b[0]} == {"date", "weekday"}:
        return False  # "Thursday" and "December 23" without a year: neither corroborates nor contradicts the other
    return True


def _bare(value: Hashable) -> Hashable:
    """A quantity without its rate ("$10 million a year" -> "$10 million"), for partial matches."""
    if isinstance(value, Quantity) and "/" in value.unit:
        return Quantity(value.low, value.high, value.unit.split("/")[0], value.direction, value.precision, value.level, value.written)
    return value


def _office(office: str) -> str:
    # "former President Bill Clinton" names the same office, held earlier: not a contradiction
    for past in ("former ", "late ", "ex "):
        office = office.removeprefix(past)
    return office


def source_of(doc, folders_vary: bool) -> str:
    """A document's source: JSONL/config/title suffix/'Follow X on' (metadata), else its folder, else itself."""
    if doc.source:
        return str(doc.source)
    if folders_vary and "/" in doc.id:
        return doc.id.rsplit("/", 1)[0]
    return doc.id


def _first_names_match(a: str, b: str, similarity: Callable[[str, str], float]) -> bool:
    fa, fb = a.split()[:-1], b.split()[:-1]
    if not fa or not fb:
        return True
    return similarity(" ".join(fa), " ".join(fb)) >= 75


def _stable_id(kind: str, subject: str, members: list[Member]) -> str:
    payload = "\x1f".join([kind, subject] + sorted(f"{m.doc.id}:{m.claim.start}" for m in members))
    return f"{kind}-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:10]


def analyse(
    documents: Sequence,
    fuzzy,
    *,
    align_min: float = 60.0,
    quote_min: float = 70.0,
    wording_min: float = 60.0,
    agree_bonus: float = 15.0,
    extracted: dict[str, list[Claim]] | None = None,
    focus: frozenset[str] | set[str] | None = None,
    knowledge=None,
    keywords: dict[str, Counter] | None = None,
) -> Analysis:
    """Extract, group, align and compare claims across the documents; run truth discovery.

    Args:
        fuzzy: the fuzzy backend (similarity, matrix).
        align_min: context similarity (token_set, 0–100) for two numeric/date claims to be about one thing.
        quote_min: quote similarity (token_set) for two quoted sentences to be renderings of one remark.
        wording_min: a rendering whose best plain ratio to the others is below this departs from them.
        agree_bonus: context similarity forgiven when two values agree (contradictions get none).
        focus: ids of the documents being checked (new or edited articles); the others are the
            established corpus. Only the stories, events and people the focus documents touch are
            compared, and an established claim is never outvoted by focus documents.
        knowledge: the offices file (``offices.load()``) to judge person + title claims by, or None.
        keywords: ``events.keywords(doc)`` by document id, computed earlier (a cache keeps them
            beside the claims); with ``extracted`` and ``focus`` this makes checking one new
            article against a large corpus cheap.
    """
    vocab = _claims.vocabulary()
    focus = frozenset(focus) if focus is not None else None
    grouping = _events.group(
        documents,
        lambda a, b: fuzzy.similarity(a, b, "token_set"),
        duplicate_similarity=lambda a, b: fuzzy.similarity(a, b, "ratio", cutoff=80),
        focus=focus,
        known_keywords=keywords,
    )
    folders = {d.id.rsplit("/", 1)[0] for d in documents if "/" in d.id}
    sources = {d.id: source_of(d, len(folders) > 1) for d in documents}
    voter = {d.id: grouping.duplicates.get(d.id, d.id) for d in documents}
    per_doc = extracted if extracted is not None else {d.id: _claims.extract(d, vocab) for d in documents}
    stories = events_ = people = None
    if focus is not None:  # only what the focus documents touch is compared
        stories = {grouping.story[d] for d in focus if d in grouping.story}
        events_ = {grouping.event[d] for d in focus if d in grouping.event}
        people = {c.subject for d in focus for c in per_doc.get(d, []) if c.kind == "person-title"}

    blocks: dict[tuple, list[Member]] = defaultdict(list)
    dated: dict[str, dict] = {}
    for d in documents:
        story, event = grouping.story[d.id], grouping.event[d.id]
        for c in per_doc.get(d.id, []):
            if c.kind == "person-title":
                key: tuple = ("person-title", c.subject)
                if people is not None and c.subject not in people:
                    continue
            elif c.kind in ("quote", "date"):
                key = (c.kind, event)
                if events_ is not None and event not in events_:
                    continue
            else:
                key = (c.kind, story, c.subject)
                if stories is not None and story not in stories:
                    continue
            m = Member(d, sources[d.id], voter[d.id], c)
            if c.kind == "person-title" and knowledge is not None:
                day = _events._date(d)
                if day is None and d.id not in dated:  # undated: estimate the period from the article's own evidence
                    dated[d.id] = _dating.periods(d.text, [x for x in per_doc.get(d.id, []) if x.kind == "person-title"], knowledge)
                period = dated[d.id].get(c.start) if day is None else None
                m.knowledge = _offices.verdict(
                    c, knowledge, day, d.text[max(0, c.start - 30) : c.start], period,
                    sentence=_offices.sentence_around(d.text, c.start, c.end) if day is not None else "",
                )
            blocks[key].append(m)

    groups: list[Group] = []
    for key in sorted(blocks, key=str):
        members, copied = _collapse(blocks[key])
        kind = key[0]
        if kind == "person-title":
            clusters = _cluster_people(members, fuzzy)
        elif kind == "quote":
            clusters = _cluster(members, lambda m: m.claim.context, fuzzy, quote_min, min_shared=3)
        else:
            clusters = _cluster(members, lambda m: m.claim.context, fuzzy, align_min, agree_bonus=agree_bonus)
        if copied:
            clusters = [_expand(cl, copied) for cl in clusters]
        for cl in clusters:
            evs = {grouping.event[m.doc.id] for m in cl}
            event = evs.pop() if len(evs) == 1 and kind != "person-title" else None
            subject = _subject(kind, cl)
            groups.append(Group(_stable_id(kind, subject, cl), kind, subject, event, cl))

    # truth discovery over every non-quote group with more than one independent voter
    assertions = [
        reliability.Assertion(g.id, _key(m.claim), m.source, m.voter)
        for g in groups
        if g.kind != "quote"
        for m in g.members
    ]
    result = reliability.truthfinder(assertions, compatible)
    evidence: dict[str, Counter] = defaultdict(Counter)
    for doc_id, first in grouping.duplicates.items():
        evidence[sources[doc_id]]["copies"] += 1
    for g in groups:
        voters = {m.voter for m in g.members}
        if g.kind == "quote":
            _quote_status(g, fuzzy, wording_min)
        else:
            g.truth = result.truth.get(g.id)
            g.confidence = {_key(m.claim): result.confidence.get((g.id, _key(m.claim)), 0.0) for m in g.members}
            by_value: dict[Hashable, set[str]] = defaultdict(set)
            for m in g.members:
                by_value[_key(m.claim)].add(m.source)
            values = list(by_value)
            conflict = any(
                not compatible(v, w) and (len(by_value[v] | by_value[w]) > 1)
                for i, v in enumerate(values)
                for w in values[i + 1 :]
            )
            if conflict:
                g.status = "contradicted"  # even copies that changed a value disagree
            elif len(g.sources) >= 2 and len(voters) >= 2:
                g.status = "corroborated"
            else:
                g.status = "single-source"  # one source, or copies of one article
            g.flags = decide(g, focus)
            right = [m for i, m in enumerate(g.members) if i not in g.flags]
            if g.flags and right:
                g.truth = _key(max(right, key=lambda m: g.confidence.get(_key(m.claim), 0.0)).claim)
        for i, m in enumerate(g.members):
            if g.status == "single-source":
                evidence[m.source]["single"] += 1
            elif g.status == "corroborated":
                evidence[m.source]["corroborated"] += 1
            else:
                evidence[m.source]["contradicted"] += 1
                if g.kind != "quote" and not compatible(_key(m.claim), g.truth):
                    evidence[m.source]["outvoted"] += 1
            if g.status != "contradicted" and i in g.flags:
                evidence[m.source]["outvoted"] += 1  # wrong by the offices file though no source says otherwise
    groups.sort(key=lambda g: (g.kind, g.subject, g.id))
    return Analysis(groups, grouping, sources, result.trust, evidence, fuzzy)


def _collapse(members: list[Member]) -> tuple[list[Member], dict[int, list[Member]]]:
    """Copies' claims stand in by their first copy's (same voter, value, context and occurrence), so
    a block's comparisons grow with the distinct claims in it, not with the number of copies."""
    if all(m.voter == m.doc.id for m in members):
        return members, {}
    seen: Counter = Counter()
    first: dict[tuple, Member] = {}
    unique: list[Member] = []
    copied: dict[int, list[Member]] = defaultdict(list)
    for m in sorted(members, key=lambda m: (m.doc.id, m.claim.start)):
        c = m.claim
        base = (m.voter, c.kind, c.value, c.context, c.extra.get("person"), c.extra.get("speaker"))
        seen[(m.doc.id, base)] += 1
        k = (*base, seen[(m.doc.id, base)])
        if k in first:
            copied[id(first[k])].append(m)
        else:
            first[k] = m
            unique.append(m)
    return unique, copied


def _expand(cluster: list[Member], copied: dict[int, list[Member]]) -> list[Member]:
    docs = {m.doc.id for m in cluster}
    out = list(cluster)
    for m in cluster:
        for x in copied.get(id(m), ()):
            if x.doc.id not in docs:
                docs.add(x.doc.id)
                out.append(x)
    return sorted(out, key=lambda m: (m.doc.id, m.claim.start))


RELATED_MAX = 20  # other members named per finding: enough to check, bounded for huge person groups


def decide(g: Group, focus: frozenset[str] | None = None) -> dict[int, tuple[str, list[int]]]:
    """Which members of a group are wrong, and what decided it ("knowledge" or "sources").

    In this order: the offices file (a title it refutes is always flagged, even from a single
    source; one it confirms is never flagged, but for one confirmed only as held at some time in an
    undated new article, which established sources that agree on another office of the person
    outvote: ``_placed_by_established``); then, when some documents are in focus, the established
    documents when they agree among themselves (a new article and its copies never outvote them);
    then a value that two or more independent sources give against lone dissenters; then
    TruthFinder's confidence (both sides when tied). Work is per distinct value, so a person named
    in thousands of documents costs little.
    """
    ms = g.members
    by_value: dict[Hashable, list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        by_value[_key(m.claim)].append(i)
    values = list(by_value)
    clash = {v: [w for w in values if w != v and not compatible(v, w)] for v in values}
    agree = {v: [w for w in values if w == v or compatible(v, w)] for v in values}
    flags: dict[int, tuple[str, list[int]]] = {}

    def rivals(i: int, among: set[int] | None = None) -> list[int]:
        out = []
        for w in clash[_key(ms[i].claim)]:
            for j in by_value[w]:
                if ms[j].source != ms[i].source and (among is None or j in among):
                    out.append(j)
                    if len(out) >= RELATED_MAX:
                        return out
        return out

    for i, m in enumerate(ms):
        if m.knowledge is not None and not m.knowledge.consistent:
            flags[i] = ("knowledge", rivals(i))
    if g.status != "contradicted":
        return flags
    confirmed = [i for i, m in enumerate(ms) if m.knowledge is not None and m.knowledge.consistent]
    if focus:
        confirmed = _placed_by_established(ms, confirmed, focus)
    ref: list[int] = confirmed
    if not ref and focus:
        est = [i for i, m in enumerate(ms) if m.doc.id not in focus]
        est_set = set(est)
        if est and len(est) < len(ms) and not any(rivals(i, est_set) for i in est):
            ref = est
    if not ref:
        def support(v: Hashable) -> int:
            backers = [ms[j] for w in agree[v] for j in by_value[w]]
            return min(len({o.voter for o in backers}), len({o.source for o in backers}))

        sup = {v: support(v) for v in values}
        best = max(values, key=lambda v: (sup[v], g.confidence.get(v, 0.0), str(v)))
        if sup[best] >= 2 and all(sup[w] <= 1 for w in clash[best]):
            ref = [j for w in agree[best] for j in by_value[w]]
    if ref:
        ref_values = {_key(ms[j].claim) for j in ref}
        ok_values = {w for v in ref_values for w in agree[v]}
        for i in range(len(ms)):
            if i in flags or _key(ms[i].claim) in ok_values:
                continue  # agrees with a reference value (knowledge may confirm two forms of one office)
            against = [j for j in ref if ms[j].source != ms[i].source][:RELATED_MAX]
            if against:
                flags[i] = ("sources", against)
        return flags
    top = max(g.confidence.values(), default=0.0)
    for i, m in enumerate(ms):
        if i in flags:
            continue
        v = _key(m.claim)
        conf = g.confidence.get(v, 0.0)
        if compatible(v, g.truth) and conf >= top - 1e-9:
            # the best-supported value: flag it too only when another value ties with it
            if not clash[v] or max(g.confidence[w] for w in clash[v]) < conf - 1e-9:
                continue
        against = rivals(i)
        if against:
            flags[i] = ("sources", against)
    return flags


# established articles of one source (a publisher's own archive, a content repository fed by one desk) that
# date the corpus: several distinct articles (copies count once), not one that may be stale
SAME_SOURCE_ARTICLES = 3


def _placed_by_established(ms: list[Member], confirmed: list[int], focus: frozenset[str]) -> list[int]:
    """``confirmed`` without the new articles' titles that the established sources place in another time.

    The offices file confirms a title held at some time ("Prime Minister Gordon Brown", 2007–2010)
    in an article with no date. When the established documents of a changed-articles run, from two
    or more independent sources, all name the person by one other office the file confirms
    ("Chancellor", "finance minister": 1997–2007), they date the corpus, and the new title is
    judged by them instead. Established titles the file cannot judge count when they say that office too.
    One source will do when SAME_SOURCE_ARTICLES or more distinct articles of it say so.
    """
    est = [i for i, m in enumerate(ms) if m.doc.id not in focus]
    judged = [i for i in est if ms[i].knowledge is not None]
    offices = {ms[i].knowledge.office if ms[i].knowledge.consistent else None for i in judged}
    voters, sources = len({ms[i].voter for i in judged}), len({ms[i].source for i in judged})
    if len(offices) != 1 or None in offices or not (min(voters, sources) >= 2 or voters >= SAME_SOURCE_ARTICLES):
        return confirmed
    # an established title the file does not judge (its wording, a surname alone) must still say the same
    # office as the judged ones: it may not outvote them, nor may it veto them
    said = {_key(ms[i].claim) for i in judged}
    if any(not any(_key(ms[j].claim) == v or compatible(_key(ms[j].claim), v) for v in said) for j in est if ms[j].knowledge is None):
        return confirmed
    (office,) = offices
    return [i for i in confirmed if not (ms[i].doc.id in focus and ms[i].knowledge.undated and ms[i].knowledge.office != office)]


_WHAT = {
    "money": "the amount",
    "percent": "the percentage",
    "distance": "the distance",
    "duration": "the duration",
    "year": "the year",
    "date": "the date",
}


def _subject(kind: str, members: list[Member]) -> str:
    """What the group is about, in words an editor reads: a person, the counted noun ("the number of
    Russian troops"), or the clause around the figure with the figure left out."""
    c = members[0].claim
    if kind == "person-title":
        return max((m.claim.extra["person"] for m in members), key=len)
    if kind == "quote":
        speakers = Counter(m.claim.extra.get("speaker") or "?" for m in members)
        return f"{speakers.most_common(1)[0][0]}: {c.display[:60]}"
    if kind == "number" and c.extra.get("noun"):
        return f"the number of {c.extra['noun']}"
    what = _WHAT.get(kind, f"the number of {c.subject}")
    clause = excerpt(members[0].doc, c)
    return f"{what} in '{clause}'" if clause else what


def excerpt(doc, claim: Claim, words: int = 7) -> str:
    """The clause around a claim with the claim itself shown as '…' ("Kharkiv is only … away from the
    Russian troops"): up to ``words`` words each side, not past a clause mark."""
    span = doc.sentence_at(claim.start)
    s, e = (span.start, span.end) if span else (max(0, claim.start - 120), min(len(doc.text), claim.end + 120))
    left = re.split(r"[;:,“”\"()—]|\s[-–]\s", doc.text[s : claim.start])[-1].split()[-words:]
    right = re.split(r"[;:,“”\"()—.!?]|\s[-–]\s", doc.text[claim.end : e])[0].split()[:words]
    if not left and not right:
        return ""
    return " ".join(left + ["…"] + right)


def _cluster_people(members: list[Member], fuzzy) -> list[list[Member]]:
    """Split one surname block into people whose first names are compatible (Sergei ~ Sergey)."""
    clusters: list[list[Member]] = []
    for m in sorted(members, key=lambda m: (-len(m.claim.extra["person"]), m.doc.id, m.claim.start)):
        for cl in clusters:
            if _first_names_match(cl[0].claim.extra["person"], m.claim.extra["person"], lambda a, b: fuzzy.similarity(a, b, "ratio")):
                cl.append(m)
                break
        else:
            clusters.append([m])
    return [sorted(cl, key=lambda m: (m.doc.id, m.claim.start)) for cl in clusters]


def _cluster(
    members: list[Member],
    text: Callable[[Member], str],
    fuzzy,
    cutoff: float,
    agree_bonus: float = 0.0,
    min_shared: int = 0,
) -> list[list[Member]]:
    """Greedy alignment inside a block: each claim joins the most similar cluster (one claim per document).

    A claim whose value agrees with a member needs ``agree_bonus`` less context similarity (an equal
    value is itself evidence of the same subject); one whose value conflicts must reach ``cutoff``
    on the stricter token_sort score with a conflicting member, so contradictions need strong
    alignment. It need not reach it with every one: a corroborated figure told in several wordings
    ("amassed more than 100,000 troops near Ukraine's borders", "troops remain stationed along")
    would otherwise shield itself from a new article that says "about 30,000" in one of them.
    ``min_shared``: content words two texts must share (capped by the shorter text).
    """
    members = sorted(members, key=lambda m: (m.doc.id, m.claim.start))
    if len(members) == 1:
        return [members]
    texts = [text(m) for m in members]
    loose = fuzzy.matrix(texts, texts, "token_set")
    strict = fuzzy.matrix(texts, texts, "token_sort")
    words = [set(t.lower().split()) for t in texts] if min_shared else []
    quote = members[0].claim.kind == "quote"
    # documents that give a value compatible with each claim somewhere in the block: "2003" here
    # against "2004" there is no contradiction when there also says "2003" (partial alignment)
    matched: list[set[str]] = [set() for _ in members]
    if not quote:
        for i, a in enumerate(members):
            for j, b in enumerate(members):
                if (
                    a.doc.id != b.doc.id
                    and compatible(_bare(a.claim.value), _bare(b.claim.value))
                    and _owners.compatible(a.claim.extra.get("owner"), b.claim.extra.get("owner"))
                    and not _different_times(a.claim, b.claim)
                    and not _different_bases(a.claim, b.claim)
                ):
                    # only a value of the same thing, period and moment: "rose 1.1 percent last
                    # week" there does not vouch for "rose 1 percent" (today) against "fell 2.1 percent"
                    matched[i].add(b.doc.id)
    clusters: list[list[int]] = []
    for i, m in enumerate(members):
        best, best_score = None, 0.0
        for ci, cl in enumerate(clusters):
            if any(members[j].doc.id == m.doc.id for j in cl):
                continue
            score, blocked, weak, strong = 0.0, False, False, False
            for j in cl:
                if min_shared and len(words[i] & words[j]) < min(min_shared, len(words[i]), len(words[j])):
                    continue
                if quote or compatible(m.claim.value, members[j].claim.value):
                    if not quote and not _owners.compatible(m.claim.extra.get("owner"), members[j].claim.extra.get("owner")):
                        blocked = True  # the same value of another thing ("1.1 percent last week") neither corroborates nor joins
                        continue
                    score = max(score, float(loose[i][j]) + agree_bonus)
                elif (
                    not comparable(m.claim.value, members[j].claim.value)
                    or _different_times(m.claim, members[j].claim)
                    or _different_bases(m.claim, members[j].claim)
                    or not _owners.compatible(m.claim.extra.get("owner"), members[j].claim.extra.get("owner"))
                    or members[j].doc.id in matched[i]
                    or m.doc.id in matched[j]
                ):
                    blocked = True
                elif float(strict[i][j]) < cutoff and not _same_base(m.claim, members[j].claim):
                    weak = True  # a conflict in other words: allowed only beside a strongly aligned one
                else:
                    # moves from one stated start ("to 4.48 percent from 4.42 percent" / "rose to
                    # 4.46% from 4.42%") are one move told in other words
                    strong = True
                    score = max(score, float(strict[i][j]), cutoff if _same_base(m.claim, members[j].claim) else 0.0)
            blocked = blocked or (weak and not strong)
            if not blocked and score >= cutoff and score > best_score:
                best, best_score = ci, score
        if best is None:
            clusters.append([i])
        else:
            clusters[best].append(i)
    return [[members[i] for i in cl] for cl in clusters]


def _different_bases(a: Claim, b: Claim) -> bool:
    """Both figures are changes (or their levels) whose stated start differs ("rose $2.88 to $46.50"
    from $43.62, "was up 40 cents to $21.25" from $20.85): two sessions, two companies or two
    periods, not two accounts of one move."""
    ba, bb = a.extra.get("base"), b.extra.get("base")
    if not ba or not bb or ba[2] != bb[2]:
        return False
    eps = 1e-6 * max(1.0, abs(ba[0]), abs(bb[0]))
    return ba[0] > bb[1] + eps or bb[0] > ba[1] + eps


def _same_base(a: Claim, b: Claim) -> bool:
    """Both figures state one start (overlapping bases of one unit)."""
    ba, bb = a.extra.get("base"), b.extra.get("base")
    return bool(ba and bb and ba[2] == bb[2] and not _different_bases(a, b))


def _different_times(a: Claim, b: Claim) -> bool:
    """Both figures are readings taken at stated, different times ("at 1018 GMT" / "by 0835 GMT",
    "closed at" / "in midday trading"): a moving figure, not a contradiction."""
    wa, wb = a.extra.get("when"), b.extra.get("when")
    if bool(wa) != bool(wb) and _moving(a) and _moving(b):
        # a reading taken during the day ("in midday trading", "as of 10:33 a.m.") against one that
        # says no time: a moving figure caught at two moments, not two accounts of one
        return all(t != "close" for t in (wa or wb).split())
    return bool(wa and wb and not set(wa.split()) & set(wb.split()))


def _moving(c: Claim) -> bool:
    """A market reading: a change with a level reached, or a level, of a price or an index."""
    return bool(c.extra.get("base")) or (isinstance(c.value, Quantity) and c.value.level and c.kind == "money")


def _quote_status(g: Group, fuzzy, wording_min: float) -> None:
    """Quotes: corroborated when several sources render the remark; note renderings that depart."""
    if len(g.sources) < 2:
        g.status = "single-source"
        return
    speakers = Counter(m.claim.subject for m in g.members if m.claim.subject != "?")  # an unattributed rendering conflicts with none
    g.status = "contradicted" if len(speakers) > 1 else "corroborated"
    for i, m in enumerate(g.members):
        best, closest = 0.0, -1
        for j, o in enumerate(g.members):
            if o.source == m.source:
                continue
            score = fuzzy.similarity(m.claim.value, o.claim.value, "ratio")
            if score > best:
                best, closest = score, j
        if closest >= 0:
            g.closest[i] = (best, closest)
        if closest >= 0 and best < wording_min:
            g.departs[i] = (best, closest)
        elif closest >= 0:
            changed = _changed_rendering(g, i)
            if changed:
                g.changes[i] = changed
                g.status = "contradicted"  # another figure, direction or negation: the sources disagree on what was said


def _changed_rendering(g: Group, i: int) -> tuple[str, int] | None:
    """(what it changes, the closest such rendering) when member ``i``'s rendering of the remark
    changes a figure, unit, direction or negation against every other source's rendering; None when
    some other source renders it the same way (then the odd one out is the other)."""
    lex = _quotes.lexicon()
    mine = _quotes.words(g.members[i].claim.value)
    closest = g.closest.get(i, (0.0, -1))[1]
    others = sorted((j for j, o in enumerate(g.members) if o.source != g.members[i].source), key=lambda j: (j != closest, j))
    first = None
    for j in others:
        said = _quotes.change(_quotes.words(g.members[j].claim.value), mine, lex)
        if said is None:
            return None
        first = first or (said, j)
    return first


