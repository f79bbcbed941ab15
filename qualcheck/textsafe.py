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


def scrub(text: str) -> tuple[str, int]:
    """Replace every lone surrogate by U+FFFD (same length); return the text and how many were replaced."""
    if not _SURROGATE.search(text):
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)


def display_name(name: str) -> str:
    """A file name as the user can read and every report can hold: undecodable bytes as ``\\xff``."""
    if not _SURROGATE.search(name):
        return name
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate that did not come from undecodable bytes
        return scrub(name)[0]
