"""Shared by the kind tests: the grammar engine as a machine without LanguageTool gets it."""

from __future__ import annotations

import pytest


@pytest.fixture
def offline_grammar(monkeypatch, tmp_path):
    """No LanguageTool server and no local installation: the offline engine, whatever the machine has."""
    monkeypatch.delenv("QUALCHECK_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path))  # language-tool-python's download folder: empty
