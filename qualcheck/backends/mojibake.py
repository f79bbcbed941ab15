"""Mojibake detection and repair with ftfy ("KremlinÃ¢â‚¬â„¢s" -> "Kremlin’s")."""

from __future__ import annotations

import ftfy
from ftfy.badness import is_bad

ENGINE = f"ftfy {ftfy.__version__}"


def looks_bad(text: str) -> bool:
    """True when the text contains character sequences that are almost surely mis-decoded UTF-8."""
    return is_bad(text)


def repair(text: str) -> str:
    """Return ftfy's repair of the text (unchanged when nothing is wrong)."""
    return ftfy.fix_encoding(text)
