"""Is a paragraph hard-wrapped? Its lines but the last are filled to near the widest, which is a
wrapping width (Markdown sources are often wrapped at 72-100 columns), not one scraped block per line.

Structural checks read a scraped page's lines as its blocks; the lines of a wrapped paragraph are
not blocks, and a paragraph of blocks (a title over its text, a menu) is not wrapped.
"""

from __future__ import annotations

from typing import Sequence

WRAP_MIN, WRAP_MAX, WRAP_SLACK = 50, 120, 20


def is_wrapped(widths: Sequence[int]) -> bool:
    """Widths of a paragraph's lines, stripped: at least two lines, the widest 50-120 characters,
    and every line but the last within 20 characters of it (a wrapper breaks before the word that
    would overflow)."""
    if len(widths) < 2:
        return False
    widest = max(widths)
    return WRAP_MIN <= widest <= WRAP_MAX and all(w >= widest - WRAP_SLACK for w in widths[:-1])
