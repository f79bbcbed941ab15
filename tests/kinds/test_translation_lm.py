"""Language-model surprisal in the garble score: how a run turns it on, what it says when it cannot, what it records."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from qualcheck import config, discover, engine, ruleset
from qualcheck.backends import lm
from qualcheck.context import Context, Corpus
from qualcheck.document import Document
from qualcheck.errors import ConfigError
from qualcheck.kinds import Evidence

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
OK, WHY = lm.status()
needs_lm = pytest.mark.skipif(not OK, reason=f"language model not installed: {WHY}")
MT900 = ruleset.load().by_code("MT900")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_off_by_default(tmp_path):
    assert config.build({}, cwd=tmp_path).use_lm is False


def test_config_turns_it_on_and_cli_wins(tmp_path):
    _write(tmp_path / "qualcheck.toml", "[translation]\nlm = true\n")
    assert config.build({}, cwd=tmp_path).use_lm is True
    assert config.build({"lm": False}, cwd=tmp_path).use_lm is False
    assert config.build({"lm": True}, cwd=tmp_path / "..").use_lm is True


@pytest.mark.parametrize(
    "body,error",
    [
        ('[translation]\nlm = "yes"\n', "translation.lm: expected true or false, got 'yes'"),
        ("[translation]\nlms = true\n", "translation.lms: unknown key (did you mean 'translation.lm'?)"),
        ("translation = 1\n", "translation: must be a table"),
    ],
)
def test_bad_translation_config_names_file_and_key(tmp_path, body, error):
    path = _write(tmp_path / "qualcheck.toml", body)
    with pytest.raises(ConfigError) as exc:
        config.build({}, cwd=tmp_path)
    assert str(exc.value) == f"{path}: {error}"


def _run_mt900(backend):
    doc = Document(id="d.txt", raw="Putin spoke about the talks in Geneva on Tuesday. The West ignored the demands.")
    ctx = Context(corpus=Corpus([doc]), settings=config.Settings(lm=True), backends={"lm": backend})
    return MT900.score(doc, Evidence((), {}), ctx), ctx, doc


def test_asked_for_but_missing_says_so_once_and_scores_without_it():
    missing = types.SimpleNamespace(load=lambda: (None, "torch not installed (pip install 'qualcheck[lm]')"), NAME="SmolLM2-135M", THREADS=2)
    scored, ctx, doc = _run_mt900(missing)
    assert scored.findings == []
    [notice] = ctx.notices
    assert notice.level == "warning"
    assert "surprisal was asked for (--lm) but is unavailable: torch not installed" in notice.message
    sentences = scored.records
    assert scored.part == "sentences" and len(sentences) == 2 and all("surprisal" not in s and "lm-model" not in s["signals"] and "model" in s["signals"] for s in sentences)


def test_grammar_score_alone_names_itself_when_the_model_is_missing():
    """GR900 reads the same LM pass as MT900; run without MT900, the notice must not speak of translation only."""
    missing = types.SimpleNamespace(load=lambda: (None, "torch not installed"), NAME="SmolLM2-135M", THREADS=2)
    doc = Document(id="d.txt", raw="The West ignored the demands of the Kremlin on Tuesday.")
    ctx = Context(corpus=Corpus([doc]), settings=config.Settings(lm=True), backends={"lm": missing})
    ruleset.load().by_code("GR900").run(doc, ctx)
    [notice] = [n for n in ctx.notices if "surprisal" in n.message]
    assert notice.message.startswith("language model:") and "GR900" in notice.message


def test_not_asked_for_never_loads():
    def boom():
        raise AssertionError("the LM must not load when the run did not ask for it")

    doc = Document(id="d.txt", raw="The West ignored the demands.")
    ctx = Context(corpus=Corpus([doc]), settings=config.Settings(), backends={"lm": types.SimpleNamespace(load=boom)})
    MT900.run(doc, ctx)
    assert ctx.notices == []


@pytest.fixture(scope="module")
def seeds_with_lm():
    loaded = discover.load([str(SEEDS)], SEEDS, [], None)
    rules = ruleset.load().select(["MT"])
    return engine.check(loaded.documents, rules, config.Settings(lm=True)), {d.id: d for d in loaded.documents}


@needs_lm
def test_real_lm_scores_every_seed_sentence_and_says_its_cost(seeds_with_lm):
    report, docs = seeds_with_lm
    assert any("language model: surprisal on (SmolLM2-135M" in n.message for n in report.notices)
    sentences = [s for d in report.documents for s in (d.sentences or [])]
    assert sentences and all(s["surprisal"]["tokens"] > 0 for s in sentences)


@needs_lm
def test_real_lm_finds_the_garbled_seed_sentence_more_surprising(seeds_with_lm):
    report, docs = seeds_with_lm
    doc = next(d for d in report.documents if d.document.endswith("001_5ad0f26136440ebb.txt"))
    raw = doc.text

    def z(text):
        at = raw.index(text)
        return next(s["surprisal"]["z"] for s in doc.sentences if s["start"] <= at < s["end"])

    assert z("In his prime Direct statements") > z("Putin is reported to fear") + 1.0


@needs_lm
def test_real_lm_json_report_keeps_the_schema(seeds_with_lm):
    import json
    from importlib import resources

    import jsonschema

    from qualcheck.render import json as json_render

    report, _ = seeds_with_lm
    schema = json.loads(resources.files("qualcheck").joinpath("schema/report-v1.json").read_text(encoding="utf-8"))
    data = json.loads(json_render.render(report))
    jsonschema.Draft202012Validator(schema).validate(data)
    sentences = [s for d in data["documents"] for s in d.get("sentences", [])]
    assert all(set(s["surprisal"]) == {"mean", "tokens", "z"} for s in sentences)
    # every sentence carries the LM model's evidence and the statistics it read
    assert all(s["signals"]["lm-model"] > 0 and "model" not in s["signals"] for s in sentences)
    assert all({"slor", "top3", "entropy", "log_tokens"} <= set(s["features"]) for s in sentences)


@needs_lm
def test_real_lm_model_ranks_the_garbled_seed_sentence_above_its_neighbours(seeds_with_lm):
    report, _ = seeds_with_lm
    doc = next(d for d in report.documents if d.document.endswith("001_5ad0f26136440ebb.txt"))

    def evidence(text):
        at = doc.text.index(text)
        return next(s["signals"]["lm-model"] for s in doc.sentences if s["start"] <= at < s["end"])

    assert evidence("In his prime Direct statements") > 2 * evidence("Putin is reported to fear")


@needs_lm
def test_real_lm_name_discounted_slor_spares_unfamiliar_names():
    """slor_names gives capitalised words that are rare in lower case (transliterated names) no excess:
    a sentence full of names unknown to wordfreq is less suspect by it than by plain SLOR."""
    from qualcheck.backends import lexicon
    from qualcheck.kinds.translation_score import unigram_nats

    scorer, _ = lm.load()
    names = "Pasang Jung met Dhangadhi Tharu and Bhakari Lakhe in Kholagaun on Sunday."
    plain = "The minister met the farmers and the traders in the village on Sunday."
    out = {}
    for text, s in zip((names, plain), scorer.surprisal([names, plain])):
        stats = lm.statistics(s, text, unigram_nats(lexicon))
        out[text] = (stats["slor"], stats["slor_names"], stats["names"])
    slor, slor_names, n = out[names]
    assert n >= 5 and slor_names < slor - 1.0
    # without names the two differ only by the tokens outside words (the full stop), which slor_names skips
    assert out[plain][2] == 0 and out[plain][1] == pytest.approx(out[plain][0], abs=0.2)


@needs_lm
def test_real_lm_end_of_text_surprisal_is_higher_for_a_sentence_cut_short():
    scorer, _ = lm.load()
    whole, cut = scorer.surprisal(["The talks ended without an agreement on Monday.", "The talks ended without an agreement on the"])
    assert cut.eos > whole.eos + 2.0


@needs_lm
def test_real_lm_probe_reads_the_garbled_seed_sentence_as_worse(seeds_with_lm):
    """MT900's lm_probe (a linear model on the pooled hidden state) is a feature of every sentence and
    gives the garbled seed sentences higher log-odds than fluent ones of their length in the same article."""
    report, _ = seeds_with_lm
    doc = next(d for d in report.documents if d.document.endswith("001_5ad0f26136440ebb.txt"))
    assert all("probe" in s["features"] for s in doc.sentences)

    def probe(text):
        at = doc.text.index(text)
        return next(s["features"]["probe"] for s in doc.sentences if s["start"] <= at < s["end"])

    fluent_long = ("Putin is reported to fear", "Interestingly, Russia has amassed", "Western countries have threatened")
    assert probe("In his prime Direct statements") > max(probe(t) for t in fluent_long)
    assert probe("We have to go in in war") > probe("Has anyone thought about it?")
