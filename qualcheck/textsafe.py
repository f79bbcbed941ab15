"""Make text from outside safe to write anywhere: no lone surrogates, readable file names.

Python strings can hold lone surrogates (a ``\\udfff`` escape in a JSON string, a file name
whose bytes are not UTF-8 decoded with ``surrogateescape``), and no UTF-8 writer accepts them.
They are replaced where text enters qualcheck, one code point for one, so offsets stay true.
"""

from __future__ import annotations

import os
import re

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# what a terminal acts on instead of showing: control characters (newlines, escape sequences that
# recolour, retitle or clear the terminal), line and paragraph separators, and the bidirectional
# controls that make a line display in another order than it reads ("Trojan Source")
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def scrub(text: str) -> tuple[str, int]:
    """Replace every lone surrogate by U+FFFD (same length); return the text and how many were replaced."""
    if not _SURROGATE.search(text):
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)


def printable(text: str) -> str:
    """``text`` as one line a terminal shows as it is: control characters, separators and bidi
    controls written as escapes (``\\n``, ``\\x1b``, ``\\u202e``); tabs and everything else kept."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: _NAMED.get(m.group(), m.group().encode("unicode_escape").decode("ascii")), text)


def display_name(name: str) -> str:
    """A file name (or record id) as the user can read and every report can hold, on one line:
    undecodable bytes as ``\\xff``, control characters as ``\\n``, ``\\x1b`` (see ``printable``)."""
    if _SURROGATE.search(name):
        try:
            name = os.fsencode(name).decode("utf-8", "backslashreplace")
        except UnicodeError:  # a surrogate that did not come from undecodable bytes
            name = scrub(name)[0]
    return printable(name)
