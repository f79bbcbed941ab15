"""Readability metrics are computed offline: textstat must never reach for NLTK's downloader."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import json, socket, sys
    import nltk

    def no_download(*args, **kwargs):
        raise RuntimeError(f"nltk.download called with {args!r}")

    def no_network(*args, **kwargs):
        raise RuntimeError("network access attempted")

    nltk.download = no_download
    nltk.downloader.download = no_download
    socket.socket.connect = no_network
    socket.create_connection = no_network
    nltk.data.path[:] = [sys.argv[1]]  # an empty data folder: no cmudict anywhere
    try:
        nltk.data.find("corpora/cmudict")
        sys.exit("cmudict is installed as NLTK data; the test would prove nothing")
    except LookupError:
        pass

    from qualcheck import check_text
    from qualcheck.backends import textstat as backend

    text = open(sys.argv[2], encoding="utf-8").read()
    doc = check_text(text, "seed.txt", select=["RD"]).documents[0]
    print(json.dumps({"stats": doc.stats, "syllables": backend.syllables("Ukraine's unprecedented negotiations"),
                      "notices": [str(n) for n in doc.notices]}))
    """
)


def test_metrics_without_network_or_nltk_data(tmp_path):
    seed = next((ROOT / "seeds").glob("003_*.txt"))
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(empty), str(seed)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={"PATH": "/usr/bin:/bin", "NLTK_DATA": str(empty), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    stats = out["stats"]
    assert stats["words"] > 400 and stats["sentences"] > 20
    assert 20 < stats["flesch_reading_ease"] < 80  # plausible for news prose, not an absurd value
    assert 6 < stats["flesch_kincaid_grade"] < 18
    assert stats["gunning_fog"] is not None and stats["dale_chall"] is not None
    assert out["syllables"] >= 10  # CMU dictionary counts: U-kraine's(2) un-pre-ce-dent-ed(5) ne-go-ti-a-tions(5)
    assert out["notices"] == []


def test_syllables_word_by_word_are_textstat_s_own_count():
    # syllables() counts each distinct word once (textstat caches whole texts only): the total must not move
    from qualcheck.backends import textstat as backend

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += ["Zelenskyy's co-operation, re-elected; naïve Ukrainians — 2022's CAPITALS and wi-fi!", "", "  "]
    for text in texts:
        expected = int(backend._textstat.syllable_count(text)) if text.strip() else 0
        assert backend.syllables(text) == expected
    assert backend.syllables(texts[0]) > 300  # the seed article really was counted
