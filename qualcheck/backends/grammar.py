"""The grammar engine of a run: LanguageTool when reachable, else the offline engine; one per run.

Order: a server URL (--languagetool, [tool.qualcheck.grammar] server, QUALCHECK_LANGUAGETOOL_URL),
then a LanguageTool that language-tool-python already installed, then the offline engine
(link-grammar + Hunspell + a few patterns). Documents are checked in parallel on worker threads
as soon as the first grammar rule asks for any of them; a server that fails mid-run is a notice
and the remaining documents go to the offline engine. Offline, the expensive part (link-grammar,
issue type "structure") only runs when a rule asks for that type, on its own queue of futures.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from qualcheck import language
from qualcheck.backends import languagetool as lt
from qualcheck.backends.languagetool import Issue, Unavailable
from qualcheck.model import Notice, starting_in

OFFLINE_NOTICE = "grammar: no LanguageTool server; using the offline engine"
BREAKER_FAILURES = 3  # LanguageTool failing on this many documents in a row is not asked again this run


@dataclass(frozen=True, slots=True)
class Judgement:
    """Link-grammar's verdict on one body sentence (offsets into the document's text)."""

    start: int
    end: int
    parsed: bool  # judged: a sentence link-grammar can fairly parse, parsed within its time limit
    blamed: tuple[tuple[int, int, str], ...] = ()  # plain words outside quotations the parse left out

CHUNK_CHARS = 20_000  # LanguageTool request size: whole documents, split at paragraphs when longer

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_QUOTE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|‘[^’\n]{3,}’")  # direct quotations, within a line
_LOWER_I = re.compile(r"(?<![\w'’])i(?![\w'’])")
_QUOTE_CHARS = str.maketrans({**{c: " " for c in "“”\"‘«»"}, "’": "'"})  # ’ is mostly an apostrophe
_SPACE_BEFORE = re.compile(r"(?<=[A-Za-z])[ \t]+[,;:](?=[ \t]|$)|(?<=[A-Za-z])[ \t]+\.(?=[ \t]+[A-Z]|$)", re.M)
_NO_SPACE_AFTER = re.compile(r"(?<=[a-z]{2}),(?=[A-Za-z]{2})")
HUNSPELL_ORIGIN = "HUNSPELL_EN_US"
_POSSESSIVE = re.compile(r"['’]s?$")
_FULL_NAME = re.compile(r"[ \t]+[A-Z][a-z]+\b")

# What link-grammar is asked to judge (see OfflineEngine.judgeable); tuned on GUG half A and a BBC half
MIN_WORDS = 3
MAX_WORDS = 35
LOOKAHEAD = 4  # documents per grammar thread started ahead of the one a rule asks for  # default of [tool.qualcheck.grammar] max-words
_NUMBERS = re.compile(r"[0-9£$€%]")
_PRONOUN_I = {"I", "I'm", "I've", "I'll", "I'd", "I’m", "I’ve", "I’ll", "I’d"}
_LIST_LIKE = re.compile(r"(?:[^,;]+[,;]){5}")  # five or more commas: line-ups, lists of places
_PLAIN = re.compile(r"[a-z][a-z'’\-]*")


def for_context(ctx: Any) -> "GrammarBackend":
    """The run's grammar backend, built once on first use and closed with the run."""

    def build() -> GrammarBackend:
        backend = GrammarBackend(ctx.settings, [d for d in ctx.corpus.documents], names=ctx.corpus.names)
        for notice in backend.start_notices:
            ctx.notice(notice)
        ctx.on_close(lambda: _finish(ctx, backend))
        if hasattr(ctx, "on_forget"):
            ctx.on_forget(backend.forget)
        return backend

    return ctx.memo("grammar.backend", build)


def _finish(ctx: Any, backend: "GrammarBackend") -> None:
    for notice in backend.close():
        ctx.notice(notice)


def _server_url(settings: Any) -> str | None:
    grammar = getattr(settings, "grammar", None)
    return getattr(settings, "languagetool", None) or (grammar.server if grammar else None) or lt.env_url()


class GrammarBackend:
    """Chooses an engine once, then hands out each document's issues (checked in parallel, cached)."""

    def __init__(self, settings: Any, documents: list, names: Any = None) -> None:
        grammar = getattr(settings, "grammar", None)
        self.workers = grammar.workers if grammar else 2
        self.timeout = grammar.timeout if grammar else 60.0
        self.max_words = grammar.max_words if grammar else MAX_WORDS
        options = {
            "disabled_rules": tuple(grammar.disabled_rules) if grammar else (),
            "disabled_categories": tuple(grammar.disabled_categories) if grammar else (),
        }
        self.start_notices: list[Notice] = []
        self.client: lt.LanguageToolClient | None = None
        self.variant = language.parse(getattr(settings, "language", language.DEFAULT))
        options["language"] = self.variant.languagetool
        url = _server_url(settings)
        reasons = []
        if url:
            try:
                self.client = lt.LanguageToolClient.connect(url, timeout=self.timeout, **options)
            except Unavailable as exc:
                reasons.append(str(exc))
        elif lt.installed_version():
            try:
                self.client = lt.LanguageToolClient.start_local(timeout=self.timeout, **options)
            except Unavailable as exc:
                reasons.append(str(exc))
        self.offline = OfflineEngine(documents, max_words=self.max_words, dictionaries=self.variant.dictionaries, names=names)
        if self.client is None:
            self.start_notices.append(Notice("warning", OFFLINE_NOTICE + (f" ({'; '.join(reasons)})" if reasons else ""), code="engine"))
            self.start_notices.extend(self.offline.notices)
        else:
            self.start_notices.append(Notice("info", f"grammar: using LanguageTool at {self.client.where}", code="engine"))
        self.engine_name = lt.ENGINE if self.client else "offline"
        self._documents = {d.id: d for d in documents}
        self._order = {doc_id: i for i, doc_id in enumerate(self._documents)}
        self._ids = list(self._documents)
        self._futures: dict[str, Future] = {}
        self._structure: dict[str, Future] = {}
        self._offline_docs: set[str] = set()  # documents that fell back from LanguageTool
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._failed: str | None = None  # set when the breaker opens: LanguageTool is not asked again
        self._last_error: str | None = None
        self._in_a_row = 0  # consecutive documents LanguageTool failed on
        self._errors = 0  # documents LanguageTool failed on (each then checked offline)
        self._fell_back = 0

    @property
    def languagetool(self) -> bool:
        """True while LanguageTool serves the run (pattern rules then defer to its matches)."""
        return self.client is not None and self._failed is None

    def issues(self, doc: Any, types: tuple[str, ...] = ("spelling", "grammar", "typography", "style")) -> list[Issue]:
        """The issues of ``types`` in one document (code points into ``doc.text``), from whichever engine serves it.

        Link-grammar ("structure") runs only for a rule that asks for it: it costs far more than the rest.
        """
        out = []
        if set(types) - {"structure"}:
            out += self._result(self._futures, self._check, doc)
        if "structure" in types:
            out += [i for j in self.judgements(doc) if (i := _structure_issue(doc.text, j))]
        return [i for i in out if i.type in types]

    def judgements(self, doc: Any) -> list[Judgement]:
        """Link-grammar's verdict on each body sentence of an offline-checked document (parsed once, in parallel)."""
        if not (self._offline_serves(doc) and self.offline.structure_available):
            return []
        return self._result(self._structure, self.offline.judgements, doc)

    def _offline_serves(self, doc: Any) -> bool:
        """Link-grammar judges only documents the offline engine checked (LanguageTool has no such type)."""
        if self.client is None:
            return True
        self._result(self._futures, self._check, doc)  # LanguageTool first: it may fail over for this document
        return doc.id in self._offline_docs

    def _result(self, futures: dict[str, Future], work, doc: Any) -> list[Issue]:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="qualcheck-grammar")
            at = self._order.get(doc.id)
            if at is not None:  # rules ask in corpus order: start this document and the next few
                for other_id in self._ids[at : at + LOOKAHEAD * self.workers]:
                    if other_id not in futures:
                        futures[other_id] = self._pool.submit(work, self._documents[other_id])
            future = futures.get(doc.id)
            if future is None:  # a document outside the corpus (tests, examples)
                future = futures[doc.id] = self._pool.submit(work, doc)
        return future.result()

    def forget(self, doc_id: str) -> None:
        """Drop a checked document's results: a long run keeps only the few documents ahead."""
        with self._lock:
            self._futures.pop(doc_id, None)
            self._structure.pop(doc_id, None)

    def suggest(self, issue: Issue, text: str) -> tuple[str, ...]:
        """Replacements for an issue in ``text``: the engine's own, or Hunspell's for an offline misspelling.

        Hunspell takes ~50 ms per word, so suggestions are made only for words a rule reports (cached).
        """
        if issue.suggestions or issue.origin != HUNSPELL_ORIGIN or self.offline.speller is None:
            return issue.suggestions
        return self.offline.speller.suggest(text[issue.start : issue.end])

    def common_word(self, word: str, min_zipf: float, margin: float, glue: frozenset[str]) -> bool:
        """Whether a word the spelling dictionary lacks is common English all the same (wordfreq; see Speller.common)."""
        if self.offline.speller is None or word.isupper():
            return False
        other = self.offline.speller.variant_of(word)
        if other and other[1]:
            return False  # another variant's spelling is what --language asked to flag, however common
        return self.offline.speller.common(word, min_zipf, margin, glue)

    def _check(self, doc: Any) -> list[Issue]:
        """LanguageTool while it works; a document it fails on goes offline, and repeated failures open the breaker."""
        if self.client is not None and self._failed is None:
            try:
                issues = self._check_languagetool(doc)
                with self._lock:
                    self._in_a_row = 0
                return issues
            except Unavailable as exc:
                with self._lock:
                    self._errors += 1
                    self._in_a_row += 1
                    self._last_error = str(exc)
                    if self._in_a_row >= BREAKER_FAILURES and self._failed is None:
                        self._failed = str(exc)
        if self.client is not None:
            with self._lock:
                self._fell_back += 1
                self._offline_docs.add(doc.id)
        return self.offline.check(doc)

    def _check_languagetool(self, doc: Any) -> list[Issue]:
        out: list[Issue] = []
        for start, end in _chunks(doc):
            for issue in self.client.check(doc.text[start:end]):
                out.append(_shift(issue, start))
        return out

    def close(self) -> list[Notice]:
        """Stop workers and the client; return notices about what happened during the run."""
        notices = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._fell_back:
            why = self._failed or self._last_error
            breaker = (f"; after {BREAKER_FAILURES} failures in a row it was not asked again this run" if self._failed else "")
            notices.append(
                Notice(
                    "warning",
                    f"grammar: {why}{breaker}; {self._fell_back} document(s) were checked with the offline engine instead",
                    code="engine",
                )
            )
            notices.extend(n for n in self.offline.notices if n not in notices)
        if self.client is not None and self.client.dropped[0]:
            notices.append(Notice("warning", f"grammar: LanguageTool at {self.client.where} returned {self.client.dropped[0]} match(es) "
                                  "with offsets outside the text or malformed fields; they were ignored", code="engine"))
        if self.client is not None:
            self.client.close()
        self.offline.close()
        return notices


def _shift(issue: Issue, by: int) -> Issue:
    from dataclasses import replace

    return replace(issue, start=issue.start + by, end=issue.end + by)


def _chunks(doc: Any) -> list[tuple[int, int]]:
    """Whole body text in as few requests as possible, split between paragraphs past CHUNK_CHARS."""
    paras = doc.body_paragraphs
    if not paras:
        return []
    chunks, start, end = [], paras[0].start, paras[0].end
    for para in paras[1:]:
        if para.end - start > CHUNK_CHARS:
            chunks.append((start, end))
            start = para.start
        end = para.end
    chunks.append((start, end))
    return chunks


DEFAULT_DICTIONARIES = language.VARIANTS[language.DEFAULT].dictionaries


class OfflineEngine:
    """Link-grammar for sentence structure, Hunspell for spelling, patterns for typography.

    Proper nouns are the classic false positive of both, so: words capitalised mid-sentence are
    never spell-checked, nor a word capitalised in two or more documents of the corpus (a name the
    corpus agrees on), and quotation marks are blanked before parsing while words inside a direct
    quotation are never blamed for a failed parse. Link-grammar's English dictionary fails on about
    one edited BBC sentence in five (numbers, money, names, idioms), so only sentences it can judge
    are parsed at all (see ``judgeable``). Parses are cached by sentence text; the dictionaries are
    loaded once per process.
    """

    def __init__(self, documents: list, max_words: int = MAX_WORDS, dictionaries: tuple[str, ...] = DEFAULT_DICTIONARIES, names: Any = None) -> None:
        self.notices: list[Notice] = []
        self._corpus_names = names  # qualcheck.corpus_names.CorpusNames of the whole run, when the engine gives it
        self.dictionaries = dictionaries
        self.max_words = max_words
        self._documents = documents
        self._names_lock = threading.Lock()
        self._parses: dict[str, Any] = {}
        self._parser: Any = None
        self._parser_error: str | None = None
        self._parser_lock = threading.Lock()
        self.speller = None
        try:
            from qualcheck.backends import spelling

            try:
                self.speller = spelling.shared(dictionaries)
            except OSError as exc:
                if dictionaries == DEFAULT_DICTIONARIES:
                    raise
                self.notices.append(Notice("warning", f"grammar: {exc}; spelling (GR101) checked against {' and '.join(DEFAULT_DICTIONARIES)} instead", code="engine"))
                self.dictionaries = DEFAULT_DICTIONARIES
                self.speller = spelling.shared(DEFAULT_DICTIONARIES)
        except OSError as exc:
            self.notices.append(Notice("warning", f"grammar: Hunspell unavailable ({exc}); spelling (GR101) not checked", code="engine"))
        self.stats: Counter[str] = Counter()

    @property
    def structure_available(self) -> bool:
        """Whether link-grammar loads here; the first call loads it, and a failure becomes a notice."""
        return self.parser is not None

    @property
    def parser(self) -> Any:
        with self._parser_lock:
            if self._parser is None and self._parser_error is None:
                try:
                    from qualcheck.backends import linkgrammar

                    self._parser = linkgrammar.shared(max_words=max(self.max_words * 2, 20))
                except OSError as exc:
                    self._parser_error = str(exc)
                    self.notices.append(Notice("warning", f"grammar: link-grammar unavailable ({exc}); sentence structure (GR103) not checked", code="engine"))
            return self._parser

    @property
    def corpus_names(self) -> Any:
        """Names the corpus agrees on (capitalised mid-sentence in two or more documents): the run's,
        or counted from this engine's documents when it was built without them (tests, benches)."""
        if self._corpus_names is None:
            with self._names_lock:
                if self._corpus_names is None:
                    from qualcheck.corpus_names import CorpusNames, contribution

                    self._corpus_names = CorpusNames(contribution(d) for d in self._documents)
        return self._corpus_names

    @staticmethod
    def _body_sentences(doc: Any) -> list:
        return starting_in(doc.sentences, doc.body_paragraphs)

    def check(self, doc: Any) -> list[Issue]:
        """Spelling, doubled words and typography of the document's body: cheap, always run."""
        text = doc.text
        out: list[Issue] = []
        if self.speller is not None:
            for sent in self._body_sentences(doc):
                out.extend(self._spelling(text, sent.start, sent.end, doc.id))
        for para in doc.body_paragraphs:
            out.extend(_typography(text, para.start, para.end))
            out.extend(_doubled(text, para.start, para.end))
        return out

    def structure(self, doc: Any) -> list[Issue]:
        """Sentences link-grammar can only parse by leaving plain words out (GR103), judgeable ones only."""
        return [i for j in self.judgements(doc) if (i := _structure_issue(doc.text, j))]

    def judgements(self, doc: Any) -> list[Judgement]:
        """Link-grammar's verdict on every body sentence (unjudgeable ones are not parsed)."""
        if self.parser is None:
            return []
        text = doc.text
        quotes = [m.span() for m in _QUOTE.finditer(text)]
        inside = lambda a, b: any(qa <= a and b <= qb for qa, qb in quotes)  # noqa: E731
        return [self._judge(text, sent.start, sent.end, inside) for sent in self._body_sentences(doc)]

    def _spelling(self, text: str, start: int, end: int, document: str | None = None) -> list[Issue]:
        out = []
        for i, m in enumerate(_WORD.finditer(text, start, end)):
            token = m.group(0)
            core = _POSSESSIVE.sub("", token)  # possessives: Macron's, leaders'
            # (_WORD's tokens are ASCII letters, apostrophes and hyphens: lower() changes only capitals)
            if len(core) < 2 or core.isupper() or core[1:] != core[1:].lower():
                continue  # acronyms and CamelCase brand names
            before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
            if (before and before in "@#/\\_") or (after and (after in "@_/" or after.isdigit())):
                continue  # handles, tags, paths, codes
            if core[0].isupper():
                if i:  # capitalised mid-sentence: a name until proven otherwise
                    continue
                if self.corpus_names.agreed(core.lower(), document):
                    continue
                if self.speller.known(core) or re.search(rf"\w[ ,;:]+{re.escape(core)}\b", text):
                    continue
                if _FULL_NAME.match(text, m.end()):
                    continue  # "Filippo Inzaghi said": a first name opening the sentence
            if "-" in core:
                if self._known(core.replace("-", "")):
                    continue  # co-ordinated
                # year-olds, add-ons: Hunspell lacks some plurals of hyphenated compounds
                parts = [p[:-1] if p.endswith("s") and not self._known(p) else p for p in core.split("-") if p]
            else:
                parts = [core]
            if all(self._known(p.replace("'", "’")) for p in parts):
                continue
            other = self.speller.variant_of(core) if len(parts) == 1 else None
            if other and not other[1]:
                continue  # a gap in this variant's dictionary that another English one fills ("bn", "etc")
            self.stats["spelling"] += 1
            why = f"the {other[0]} spelling, not {self.dictionaries[0]}" if other else f"not in the Hunspell {' or '.join(self.dictionaries)} dictionary"
            # suggestions are made later, only for words a rule reports (GrammarBackend.suggest)
            out.append(Issue(m.start(), m.start() + len(core), "spelling", why, "hunspell", HUNSPELL_ORIGIN,
                             suggestions=(other[1],) if other else ()))
        return out

    def _known(self, word: str) -> bool:
        plain = word.replace("’", "'")
        return self.speller.known(plain) or self.speller.known(plain.lower()) or self.speller.known(plain.capitalize())

    def judgeable(self, sentence: str) -> str | None:
        """Why link-grammar cannot fairly judge ``sentence`` (None when it can).

        Measured on BBC articles (a tuning half): the dictionary fails on 22% of edited sentences,
        mostly for numbers and money (5-0, £308m, 22%), names and titles, and long list-like
        sentences. Skipping those keeps most learner errors (GUG) and saves most of the parsing.
        """
        stripped = sentence.rstrip()
        words = _WORD.findall(sentence)
        if len(words) < MIN_WORDS or not stripped[-1:] in ".!?\"”’":
            return "fragment"  # headlines, captions and fragments are not sentences to parse
        if len(words) > self.max_words:
            return "long"
        if _NUMBERS.search(sentence):
            return "numbers"
        if any(w[0].isupper() and w not in _PRONOUN_I for w in words[1:]):
            return "names"
        if _LIST_LIKE.search(sentence):
            return "list"
        return None

    def _judge(self, text: str, start: int, end: int, inside) -> Judgement:
        sentence = text[start:end]
        # lower-case "i" and backtick apostrophes are casing/typing slips, not structure: judge past them
        clean = _LOWER_I.sub("I", sentence.translate(_QUOTE_CHARS).replace("`", "'"))
        why_not = self.judgeable(clean)
        if why_not:
            self.stats[f"skipped-{why_not}"] += 1
            return Judgement(start, end, False)
        with self._names_lock:
            parse = self._parses.get(clean)
        if parse is None:
            parse = self.parser.parse(clean)
            with self._names_lock:
                self._parses[clean] = parse
            self.stats["parsed"] += 1
        else:
            self.stats["parse-cache-hits"] += 1
        if not parse.checked:
            self.stats["not-parsed"] += 1
            return Judgement(start, end, False)
        # only plain words are blamed: punctuation, quoted words and capitalised words are the parser's gaps
        blamed = tuple((start + a, start + b, w) for a, b, w in parse.unlinked
                       if not inside(start + a, start + b) and _PLAIN.fullmatch(w.strip("[]")))
        return Judgement(start, end, True, blamed)

    def close(self) -> None:
        """Nothing to release: the dictionaries are shared by every run in the process."""


def _structure_issue(text: str, j: Judgement) -> Issue | None:
    """GR103's issue for a sentence whose parse left plain words out, spanning them."""
    if not j.blamed:
        return None
    words = ", ".join(f"'{text[x:y]}'" for x, y, _ in j.blamed[:4])
    return Issue(j.blamed[0][0], j.blamed[-1][1], "structure", f"it only parses when leaving out {words}", "link-grammar",
                 "LINK_GRAMMAR_NULL_LINKS", (), None, float(len(j.blamed)))


_DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.I)
_DOUBLE_OK = {"had", "that", "is", "do", "no", "so", "very", "bye", "ha", "far", "many", "again", "really", "well", "knock", "tut", "go"}


def _doubled(text: str, start: int, end: int) -> list[Issue]:
    out = []
    for m in _DOUBLED.finditer(text, start, end):
        word = m.group(1)
        if word.lower() in _DOUBLE_OK or "\n" in m.group(0):
            continue
        out.append(Issue(m.start(), m.end(), "grammar", f"the word '{word}' is repeated", "patterns", "DOUBLED_WORD", (word,)))
    return out


def _typography(text: str, start: int, end: int) -> list[Issue]:
    out = []
    for m in _SPACE_BEFORE.finditer(text, start, end):
        mark = m.group(0).strip()
        out.append(Issue(m.start(), m.end(), "typography", f"space before '{mark}'", "patterns", "SPACE_BEFORE_PUNCTUATION", (mark,)))
    for m in _NO_SPACE_AFTER.finditer(text, start, end):
        out.append(Issue(m.start(), m.end(), "typography", "no space after ','", "patterns", "NO_SPACE_AFTER_COMMA", (", ",)))
    return out
