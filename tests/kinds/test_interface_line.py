"""interface-line (BP111): short lines made only of a page's interface words, wherever they sit."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document
from qualcheck.kinds.interface_line import InterfaceLineParams

RULE = next(r for r in ruleset.load().rules if r.code == "BP111")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PROSE = "Dock workers in Antwerp walked out over pay on Monday, the union said.\n\nTalks resume next week."


def _flagged(text: str) -> list[str]:
    return [f.excerpt for f in engine.check([Document(id="x.txt", raw=text)], [RULE]).findings]


@pytest.mark.parametrize("line", ["Skip to navigation", "Loading comments...", "2 days ago", "Print this page", "Podcasts/RSS"])
def test_interface_lines_between_paragraphs(line):
    assert _flagged(f"Strike halts port\n\n{PROSE.replace(chr(10) * 2, chr(10) * 2 + line + chr(10) * 2, 1)}") == [line]


@pytest.mark.parametrize("line", ["Share prices tumble", "Talks continue", "Back to work", "Latest figures", "Watch this space."])
def test_subheadings_and_prose_are_not_interface(line):
    assert _flagged(f"Strike halts port\n\n{PROSE.replace(chr(10) * 2, chr(10) * 2 + line + chr(10) * 2, 1)}") == []


def test_no_seed_prose_is_interface():
    docs = [Document(id=p.name, raw=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    assert [f.excerpt for f in engine.check(docs, [RULE]).findings] == []


def test_word_lists_hold_single_words():
    with pytest.raises(ValueError, match="strong"):
        InterfaceLineParams(strong=("menu", "skip to"))
    with pytest.raises(ValueError, match="strong"):
        InterfaceLineParams(strong=())
