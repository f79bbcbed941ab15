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


def test_forms_of_one_part_of_speech_are_cached_apart_from_all_forms(tmp_path, monkeypatch):
    """GR204's verbs take their verb forms only ("join" -> joins, joined, joining) through the cache."""
    monkeypatch.setenv("QUALCHECK_CACHE_DIR", str(tmp_path))
    from qualcheck.backends import inflection

    verbs = inflection.forms(["join", "visit"], upos="VERB")
    assert verbs["join"] == {"join", "joins", "joined", "joining"}
    assert verbs == inflection.forms(["visit", "join"], upos="VERB")  # read back from the cache
    assert len(list(tmp_path.rglob("forms-*.json"))) == 1
    inflection.forms(["join", "visit"])  # every part of speech: another file
    assert len(list(tmp_path.rglob("forms-*.json"))) == 2
