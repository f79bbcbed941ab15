"""A small ctypes binding to the link-grammar C library, for sentences it cannot parse fully.

Debian's Python binding (python3-link-grammar) is built for Debian's own Python, so we load
``liblink-grammar.so.5`` directly. A sentence the English dictionary can only link by leaving
words out ("null links") is a strong sign of a grammar error; the words left out locate it.
ctypes releases the GIL during foreign calls, so parses run in parallel on threads.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass

ENGINE = "link-grammar"
LIBRARY_NAMES = ("liblink-grammar.so.5", "link-grammar")
# Measured on BBC sentences: a lower linkage limit is *slower* and finds more null links, because
# when every sampled linkage fails post-processing the parser moves on to the next null count.
LINKAGE_LIMIT = 100
MAX_NULLS = 4  # sentences needing more null links are simply "badly broken"
MAX_PARSE_SECONDS = 1  # the library's timer counts whole seconds; a timeout is "not checked", never guessed

_lock = threading.Lock()
_thread = threading.local()
_lib: ctypes.CDLL | None = None
_load_error: str | None = None
# The library prints dictionary and locale diagnostics on stderr; qualcheck reports through notices.
_SILENT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(lambda info, data: None)


def _bind(lib: ctypes.CDLL) -> None:
    p, i, c, f = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_float
    sigs = {
        "dictionary_create_lang": (p, [c]),
        "dictionary_delete": (None, [p]),
        "parse_options_create": (p, []),
        "parse_options_delete": (i, [p]),
        "parse_options_set_linkage_limit": (None, [p, i]),
        "parse_options_set_max_parse_time": (None, [p, i]),
        "parse_options_set_min_null_count": (None, [p, i]),
        "parse_options_set_max_null_count": (None, [p, i]),
        "parse_options_set_verbosity": (None, [p, i]),
        "parse_options_set_islands_ok": (None, [p, i]),
        "parse_options_set_spell_guess": (None, [p, i]),
        "parse_options_set_disjunct_cost": (None, [p, f]),  # a C float, not a double
        "parse_options_timer_expired": (i, [p]),
        "parse_options_reset_resources": (None, [p]),
        "sentence_create": (p, [c, p]),
        "sentence_delete": (None, [p]),
        "sentence_split": (i, [p, p]),
        "sentence_parse": (i, [p, p]),
        "sentence_length": (i, [p]),
        "sentence_null_count": (i, [p]),
        "sentence_num_valid_linkages": (i, [p]),
        "linkage_create": (p, [i, p, p]),
        "linkage_delete": (None, [p]),
        "linkage_get_num_words": (i, [p]),
        "linkage_get_num_links": (i, [p]),
        "linkage_get_link_lword": (i, [p, i]),
        "linkage_get_link_rword": (i, [p, i]),
        "linkage_get_word": (c, [p, i]),
        "linkage_get_word_char_start": (i, [p, i]),
        "linkage_get_word_char_end": (i, [p, i]),
        "linkage_unused_word_cost": (i, [p]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def library() -> ctypes.CDLL:
    """Load and bind the C library once; raise OSError naming what is missing."""
    global _lib, _load_error
    with _lock:
        if _lib is not None:
            return _lib
        if _load_error is not None:
            raise OSError(_load_error)
        errors = []
        for name in LIBRARY_NAMES:
            path = name if name.endswith(".5") else ctypes.util.find_library(name)
            if not path:
                continue
            try:
                lib = ctypes.CDLL(path)
                _bind(lib)
                lib.lg_error_set_handler.restype = ctypes.c_void_p
                lib.lg_error_set_handler.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
                lib.lg_error_set_handler(ctypes.cast(_SILENT, ctypes.c_void_p), None)
                _lib = lib
                return lib
            except (OSError, AttributeError) as exc:
                errors.append(str(exc))
        _load_error = "liblink-grammar5 is not installed (" + ("; ".join(errors) or "library not found") + ")"
        raise OSError(_load_error)


@dataclass(frozen=True, slots=True)
class Parse:
    """The outcome for one sentence: how many words had to be left out, and which (char offsets)."""

    checked: bool  # False when the parser gave up (timeout, too long): no judgement either way
    words: int
    null_count: int
    unlinked: tuple[tuple[int, int, str], ...] = ()  # (start, end, word) in the sentence string


_shared: dict[tuple[str, int], "Parser"] = {}


def shared(lang: str = "en", max_words: int = 60) -> "Parser":
    """The process's parser for ``lang``: the dictionary takes a third of a second to load, so once."""
    with _lock:
        parser = _shared.get((lang, max_words))
    if parser is None:
        parser = Parser(lang, max_words)
        with _lock:
            parser = _shared.setdefault((lang, max_words), parser)
    return parser


class Parser:
    """One English dictionary shared by all threads; parse options are per call (they are not thread-safe)."""

    def __init__(self, lang: str = "en", max_words: int = 60) -> None:
        self.lib = library()
        self.dict = self.lib.dictionary_create_lang(lang.encode())
        if not self.dict:
            raise OSError(f"link-grammar has no '{lang}' dictionary (install link-grammar-dictionaries-{lang})")
        self.max_words = max_words

    def _options(self) -> int:
        lib = self.lib
        opts = lib.parse_options_create()
        lib.parse_options_set_verbosity(opts, 0)
        lib.parse_options_set_linkage_limit(opts, LINKAGE_LIMIT)
        lib.parse_options_set_max_parse_time(opts, MAX_PARSE_SECONDS)
        lib.parse_options_set_islands_ok(opts, 0)
        lib.parse_options_set_spell_guess(opts, 0)
        lib.parse_options_set_min_null_count(opts, 0)
        return opts

    def parse(self, sentence: str) -> Parse:
        """Parse one sentence, allowing as many null links as needed, and report the words left out."""
        lib = self.lib
        if not getattr(_thread, "silenced", False):  # the error handler is thread-local in link-grammar
            lib.lg_error_set_handler(ctypes.cast(_SILENT, ctypes.c_void_p), None)
            _thread.silenced = True
        opts = self._options()
        sent = lib.sentence_create(sentence.encode("utf-8"), self.dict)
        try:
            if not sent or lib.sentence_split(sent, opts) < 0:
                return Parse(False, 0, 0)
            length = lib.sentence_length(sent)
            if length - 2 > self.max_words:  # minus the left and right walls
                return Parse(False, length - 2, 0)
            # One call: the library tries 0 null links, then 1, 2 ... up to MAX_NULLS, reusing the
            # tokenisation and pruning (two calls cost the same and tokenise twice).
            lib.parse_options_set_max_null_count(opts, MAX_NULLS)
            found = lib.sentence_parse(sent, opts)
            if lib.parse_options_timer_expired(opts):
                return Parse(False, length - 2, 0)
            if found <= 0:
                return Parse(True, length - 2, MAX_NULLS + 1)
            nulls = lib.sentence_null_count(sent)
            unlinked: list[tuple[int, int, str]] = []
            if nulls:
                unlinked = self._unlinked(sent, opts)
            return Parse(True, length - 2, nulls, tuple(unlinked))
        finally:
            if sent:
                lib.sentence_delete(sent)
            lib.parse_options_delete(opts)

    def _unlinked(self, sent: int, opts: int) -> list[tuple[int, int, str]]:
        lib = self.lib
        linkage = lib.linkage_create(0, sent, opts)
        if not linkage:
            return []
        try:
            n = lib.linkage_get_num_words(linkage)
            linked = set()
            for k in range(lib.linkage_get_num_links(linkage)):
                linked.add(lib.linkage_get_link_lword(linkage, k))
                linked.add(lib.linkage_get_link_rword(linkage, k))
            out = []
            for w in range(n):
                if w in linked:
                    continue
                word = (lib.linkage_get_word(linkage, w) or b"").decode("utf-8", "replace")
                if word in ("LEFT-WALL", "RIGHT-WALL"):
                    continue
                start, end = lib.linkage_get_word_char_start(linkage, w), lib.linkage_get_word_char_end(linkage, w)
                if 0 <= start < end:
                    out.append((start, end, word))
            return out
        finally:
            lib.linkage_delete(linkage)

    def close(self) -> None:
        if self.dict:
            self.lib.dictionary_delete(self.dict)
            self.dict = None
