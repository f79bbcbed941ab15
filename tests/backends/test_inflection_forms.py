"""Word forms for MT201's pre-check, kept in the user cache so a run need not load lemminflect's tables."""

from __future__ import annotations

from qualcheck.backends import inflection


def test_forms_are_lemminflect_s_and_survive_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCHECK_CACHE_DIR", str(tmp_path))
    first = inflection.forms(["make", "Drag", "go"])
    assert first["make"] == {"make", "makes", "made", "making"}
    assert {"went", "gone", "goes"} <= first["go"] and "dragged" in first["drag"]
    [stored] = list(tmp_path.glob("lemminflect-*/forms-*.json"))
    assert inflection.forms(["go", "make", "drag"]) == first  # read back from the file
    stored.write_text("{not json", encoding="utf-8")  # a damaged cache is recomputed, not trusted
    assert inflection.forms(["make", "drag", "go"]) == first
