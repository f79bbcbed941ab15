"""Group documents into stories (same topic) and events (same occasion) so claims are compared
only where they can be about the same thing.

Documents are linked when they share distinctive keywords (names and title words, weighted by
rarity in the corpus) and their titles are alike (rapidfuzz), and an event also needs compatible
dates. Candidate pairs come from an inverted index of keywords whose document frequency is capped,
so the work grows close to linearly with the corpus. The JSONL ``event`` field overrides all this.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from qualcheck.agreement.claims import content_words, fold

_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-ÿ]+(?:[-'’][A-Za-z]+)?\b|\b[A-Z]{2,5}\b", re.M)


@dataclass(frozen=True)
class Grouping:
    """Which story and which event each document belongs to."""

    story: dict[str, str]
    event: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)  # event id -> short human label
    duplicates: dict[str, str] = field(default_factory=dict)  # document -> first copy of its text
    pairs_scored: int = 0

    def members(self, which: str = "event") -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for doc, group in (self.event if which == "event" else self.story).items():
            out[group].append(doc)
        return {k: sorted(v) for k, v in out.items()}


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


SHORT_WORDS = 150  # a body shorter than this has few names: its content words are keywords too


def keywords(doc) -> Counter[str]:
    """Distinctive words of a document: capitalised names in the body and content words of the title
    (and of a short body)."""
    counts = _names_and_title(doc)
    words = _body_words(doc)
    if len(words) < SHORT_WORDS:
        for w in content_words(" ".join(words)):
            counts[w.removesuffix("'s").removesuffix("’s")] += 1
    return counts


def _names_and_title(doc) -> Counter[str]:
    counts: Counter[str] = Counter()
    for raw, n in Counter(_CAPITAL.findall(doc.text[:20000])).items():  # fold each distinct word once
        w = fold(raw).replace("’", "'").removesuffix("'s")
        if len(w) > 2:
            counts[w] += n
    for w in content_words(doc.title or ""):
        counts[w.removesuffix("'s").removesuffix("’s")] += 2
    return counts


def _body_words(doc) -> list[str]:
    return (doc.text[doc.meta.title_span.end :] if doc.meta.title_span else doc.text).split()


_MEETING = re.compile(
    r"\b(?:talks|meeting|met|meets|summit|press conference|news conference|dialogue|phone call|call|visit)\b"
    r"[^.;\n]{0,40}?\b(?:with|alongside)\s+(?P<after>[^.;\n]{0,60})"
)
_RUN = re.compile(r"[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-zà-ÿ]+)*")
_NOT_NAMES = frozenset(
    "the his her their moscow kremlin monday tuesday wednesday thursday friday saturday sunday".split()
)


def occasion(doc) -> str | None:
    """Whom the document's main actor meets ("talks with Hungarian Prime Minister Viktor Orban" -> orban).

    Who met whom is what tells two occasions of one story apart, when dates are missing.
    """
    from qualcheck.agreement.claims import vocabulary

    vocab = vocabulary()
    counts: Counter[str] = Counter()
    for m in _MEETING.finditer(doc.text[:20000]):
        for run in _RUN.finditer(m.group("after")):
            last = run.group(0).split()[-1]
            if last in vocab.nationalities or last in vocab.places or last.lower() in vocab.offices or last.lower() in _NOT_NAMES:
                continue
            counts[fold(last)] += 1
            break
    if not counts:
        return None
    top = max(counts.values())
    return next(name for name in counts if counts[name] == top)  # ties: the one named first (the lede)


def _date(doc) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(doc.date)[:10]) if doc.date else None
    except ValueError:
        return None


def group(
    documents: Sequence,
    title_similarity: Callable[[str, str], float],
    *,
    story_min: float = 0.3,
    story_mean_min: float = 0.3,
    event_min: float = 0.5,
    event_days: int = 3,
    story_days: int = 45,
    occasion_bonus: float = 0.15,
    top_keywords: int = 40,
    max_df: int = 200,
    duplicate_similarity: Callable[[str, str], float] | None = None,
    duplicate_min: float = 90.0,
    focus: frozenset[str] | None = None,
    known_keywords: Mapping[str, Counter] | None = None,
) -> Grouping:
    """Assign every document a story and an event.

    Args:
        title_similarity: 0–100 similarity of two titles (the fuzzy backend's token_set ratio).
        story_min, event_min: pair score (0–1) needed to link two documents into a story / event.
        story_mean_min: mean pair score (unscored pairs count 0) two groups need to join one story,
            so a chain of pairwise links (Blair - Brown - Budget - tsunami aid ...) cannot grow
            a "story" of a hundred articles.
        occasion_bonus: added to a pair's story score when both name the same occasion (whom the
            main actor met): a short new report of the Kremlin talks with Orban shares few keywords
            with the long ones, yet is the same story.
        max_df: keywords in more documents than this are not used to find candidate pairs (blocking).
        duplicate_similarity: 0–100 similarity of two texts, to find near-duplicate copies.
        focus: when given, only the documents that share keywords with these (and these) are
            linked; every other document stays a story of its own (changed-articles mode).
        known_keywords: ``keywords(doc)`` of documents computed earlier (e.g. kept in a cache beside
            their claims), by document id; the others are computed here.
    """
    ids = [d.id for d in documents]
    by_id = {d.id: d for d in documents}
    explicit = {d.id: str(d.event) for d in documents if getattr(d, "event", None)}
    known_keywords = known_keywords or {}
    kws = {d.id: Counter(known_keywords[d.id]) if d.id in known_keywords else keywords(d) for d in documents if d.id not in explicit}
    # copies first: documents with the same title and keywords that are near-duplicates join their
    # first copy and take its story and event, so copies do not multiply the pairs to score
    copies: dict[str, str] = {}
    if duplicate_similarity:
        same: dict[tuple, list[str]] = defaultdict(list)
        for doc_id, counts in kws.items():
            if len(by_id[doc_id].text) >= 300 and counts:
                same[(by_id[doc_id].title or "", frozenset(counts.items()))].append(doc_id)
        for members in same.values():
            firsts: list[str] = []
            for doc_id in sorted(members):
                for first in firsts[:20]:
                    if duplicate_similarity(by_id[first].text[:3000], by_id[doc_id].text[:3000]) >= duplicate_min:
                        copies[doc_id] = first
                        break
                else:
                    firsts.append(doc_id)
        for doc_id in copies:
            del kws[doc_id]
        if focus is not None:
            focus = frozenset(copies.get(d, d) for d in focus)
    df: Counter[str] = Counter()
    for counts in kws.values():
        df.update(counts.keys())
    n = max(1, len(kws))
    idf = {w: 1 + math.log((n + 1) / (c + 1)) for w, c in df.items()}  # smoothed, as in sklearn
    vectors: dict[str, dict[str, float]] = {}
    for doc_id, counts in kws.items():
        weighted = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items()}
        top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:top_keywords]
        vectors[doc_id] = dict(top)
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, vec in vectors.items():
        for w in vec:
            postings[w].append(doc_id)
    allowed: set[str] | None = None
    words: Iterable[str] = postings
    if focus is not None:
        # the neighbourhood of the focus documents: those sharing two or more usable keywords
        allowed = {d for d in focus if d in vectors}
        shared: Counter[str] = Counter()
        for f in list(allowed):
            for w in vectors[f]:
                if 2 <= len(postings[w]) <= max_df:
                    shared.update(b for b in postings[w] if b != f)
        allowed |= {b for b, n in shared.items() if n >= 2}
        words = {w for d in allowed for w in vectors[d]}
    candidates: Counter[tuple[str, str]] = Counter()
    for w in words:
        docs = postings[w]
        if len(docs) < 2 or len(docs) > max_df:
            continue  # too common to say two documents share a story (blocking keeps this linear)
        if allowed is not None:
            docs = [d for d in docs if d in allowed]
        for i, a in enumerate(docs):
            for b in docs[i + 1 :]:
                candidates[(a, b) if a < b else (b, a)] += 1

    stories, events = _UnionFind(ids), _UnionFind(ids)
    occasions = {doc_id: occasion(by_id[doc_id]) for doc_id in (vectors if allowed is None else allowed)}
    norms = {doc_id: math.sqrt(sum(v * v for v in vec.values())) or 1.0 for doc_id, vec in vectors.items()}
    # a short text's body words are keywords, a long one's are not: beside a long text, the short one's
    # body words that are neither names nor title words nor the long text's keywords only dilute it
    # (a three-sentence report of the troop build-up shared the long reports' names, yet scored under
    # story_min against each)
    short_named: dict[str, set[str]] = {}

    def named(doc_id: str) -> set[str] | None:
        if doc_id not in short_named:
            doc = by_id[doc_id]
            short_named[doc_id] = set(_names_and_title(doc)) if len(_body_words(doc)) < SHORT_WORDS else None
        return short_named[doc_id]
    duplicates: dict[str, str] = {}
    scored = 0
    story_links: list[tuple[float, str, str]] = []
    event_links: list[tuple[str, str]] = []
    for (a, b), shared in sorted(candidates.items()):
        if shared < 2:
            continue
        scored += 1
        va, vb = vectors[a], vectors[b]
        na, nb = norms[a], norms[b]
        short_a, short_b = named(a), named(b)
        if (short_a is None) != (short_b is None) and len(va.keys() & vb.keys()) >= 3:  # two shared names say little
            if short_a is not None:
                va = {w: v for w, v in va.items() if w in short_a or w in vb}
                na = math.sqrt(sum(v * v for v in va.values())) or 1.0
            else:
                vb = {w: v for w, v in vb.items() if w in short_b or w in va}
                nb = math.sqrt(sum(v * v for v in vb.values())) or 1.0
        cosine = sum(va[w] * vb[w] for w in va.keys() & vb.keys()) / (na * nb)
        ta, tb = by_id[a].title or "", by_id[b].title or ""
        score = 0.7 * cosine + 0.3 * title_similarity(ta, tb) / 100 if ta and tb else cosine
        da, db = _date(by_id[a]), _date(by_id[b])
        gap = abs((da - db).days) if da and db else None
        oa, ob = occasions.get(a), occasions.get(b)
        same_occasion = oa is not None and oa == ob
        if gap is None or gap <= story_days:
            story_links.append((score + occasion_bonus if same_occasion else score, a, b))
        if oa and ob and oa != ob:
            pass  # who met whom differs: two occasions of one story
        elif (same_occasion and score >= story_min or score >= event_min) and (gap is None or gap <= event_days):
            event_links.append((a, b))
        long_enough = min(len(by_id[a].text), len(by_id[b].text)) >= 300  # short texts: similar, not copies
        if duplicate_similarity and long_enough and score >= event_min:
            if duplicate_similarity(by_id[a].text[:3000], by_id[b].text[:3000]) >= duplicate_min:
                duplicates[b] = duplicates.get(a, a)
    if duplicate_similarity and explicit:
        # documents given one event by the corpus are compared for copies among themselves
        for members in _members(explicit).values():
            if len(members) > max_df:
                continue  # blocking: a huge hand-made event is not scanned pair by pair
            members = sorted(m for m in members if len(by_id[m].text) >= 300)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if b not in duplicates and duplicate_similarity(by_id[a].text[:3000], by_id[b].text[:3000]) >= duplicate_min:
                        duplicates[b] = duplicates.get(a, a)
    _average_link(stories, story_links, story_min, story_mean_min)
    for a, b in event_links:
        if stories.find(a) == stories.find(b):  # an event lies inside one story
            events.union(a, b)
    story: dict[str, str] = {}
    event: dict[str, str] = {}
    for doc_id in ids:
        if doc_id in explicit:
            story[doc_id] = event[doc_id] = f"event:{explicit[doc_id]}"
        else:
            first = copies.get(doc_id, doc_id)
            story[doc_id] = f"story:{stories.find(first)}"
            event[doc_id] = f"event:{events.find(first)}"
    for doc_id, first in copies.items():
        duplicates[doc_id] = duplicates.get(first, first)
    labels = {}
    for ev, members in _members(event).items():
        if allowed is not None and not any(m in allowed or m in explicit for m in members):
            continue  # not compared in this run: no label needed
        shared = Counter()
        for m in members:
            shared.update(vectors.get(m, {}).keys())
        common = [w for w, c in shared.most_common() if c == sum(1 for m in members if m in vectors)][:4] or [w for w, _ in shared.most_common(4)]
        dates = sorted(str(_date(by_id[m])) for m in members if _date(by_id[m]))
        met = Counter(occasions.get(m) for m in members if occasions.get(m))
        what = f"meeting with {met.most_common(1)[0][0].title()}" if met else ", ".join(common)
        labels[ev] = ev.removeprefix("event:") if ev.removeprefix("event:") in explicit.values() else (
            what + (f" ({dates[0]})" if dates else "")
        )
    return Grouping(story=story, event=event, labels=labels, duplicates=duplicates, pairs_scored=scored)


def _average_link(uf: _UnionFind, links: list[tuple[float, str, str]], pair_min: float, mean_min: float) -> None:
    """Merge along links of score >= ``pair_min``, strongest first, while the mean score over all
    document pairs of the two groups (0 for pairs that share no keyword) stays >= ``mean_min``.

    Average linkage on the sparse candidate graph: the cost grows with the number of links.
    """
    size: dict[str, int] = defaultdict(lambda: 1)
    between: dict[str, dict[str, float]] = defaultdict(dict)
    for score, a, b in links:
        between[a][b] = between[a].get(b, 0.0) + score
        between[b][a] = between[b].get(a, 0.0) + score
    for score, a, b in sorted(links, key=lambda t: (-t[0], t[1], t[2])):
        if score < pair_min:
            break
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if between[ra].get(rb, 0.0) / (size[ra] * size[rb]) < mean_min:
            continue
        uf.union(ra, rb)
        keep, gone = uf.find(ra), (rb if uf.find(ra) == ra else ra)
        size[keep] += size.pop(gone, 1)
        for other, total in between.pop(gone, {}).items():
            if other == keep:
                continue
            between[keep][other] = between[keep].get(other, 0.0) + total
            between[other].pop(gone, None)
            between[other][keep] = between[keep][other]
        between[keep].pop(gone, None)


def _members(mapping: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for doc, group_id in mapping.items():
        out[group_id].append(doc)
    return out
