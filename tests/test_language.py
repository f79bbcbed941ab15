"""--language: which English variant's spelling counts as correct, in config, on the command line and offline."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcheck import config, engine, language, ruleset
from qualcheck.backends import spelling
from qualcheck.backends.grammar import OfflineEngine
from qualcheck.cli import main
from qualcheck.document import Document
from qualcheck.errors import ConfigError

GR101 = ruleset.load().select(["GR101"])
TEXT = "The colour of the flag changed, and the color of the sky did not."


def _have(*names: str) -> bool:
    try:
        for name in names:
            spelling.Speller(name, ())
    except OSError:
        return False
    return True


needs_us_gb = pytest.mark.skipif(not _have("en_US", "en_GB"), reason="Hunspell en_US and en_GB dictionaries not installed (scripts/system-deps.sh)")


def _flagged(tag: str) -> dict[str, str]:
    report = engine.check([Document(id="d.txt", raw=TEXT)], GR101, config.Settings(language=tag))
    return {f.excerpt: f for f in report.findings}


@pytest.mark.parametrize("tag,expect", [("en", "en"), ("en-gb", "en-GB"), ("EN_US", "en-US"), ("en-ZA", "en-ZA")])
def test_tags_are_normalised(tag, expect):
    assert language.parse(tag).tag == expect


def test_config_key_and_cli_option(tmp_path):
    (tmp_path / "qualcheck.toml").write_text('language = "en-gb"\n', encoding="utf-8")
    assert config.build({}, cwd=tmp_path).language == "en-GB"
    assert config.build({"language": "en-US"}, cwd=tmp_path).language == "en-US"
    assert config.build({}, cwd=tmp_path / "..", isolated=True).language == "en"


def test_unsupported_language_in_config_names_file_and_key(tmp_path):
    path = tmp_path / "qualcheck.toml"
    path.write_text('language = "de-DE"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        config.build({}, cwd=tmp_path)
    assert str(exc.value) == f"{path}: language: expected an English variant qualcheck checks (en, en-US, en-GB, en-AU, en-CA, en-ZA), got 'de-DE'"


def test_unsupported_language_on_the_command_line_exits_2(tmp_path):
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(tmp_path), "--language", "fr", "--isolated"])
    assert result.exit_code == 2
    assert "--language 'fr' is not supported: qualcheck checks English text" in result.output


def test_show_config_round_trips_the_language(tmp_path):
    settings = config.build({"language": "en-GB"}, cwd=tmp_path, isolated=True)
    back = config.from_table(__import__("tomllib").loads(config.show(settings)), "shown", tmp_path)
    assert back["language"] == "en-GB"


@needs_us_gb
def test_default_accepts_american_and_british_spelling():
    assert _flagged("en") == {}


@needs_us_gb
def test_a_variant_flags_the_other_variants_spelling_even_when_common():
    us = _flagged("en-US")
    assert list(us) == ["colour"]
    assert "the en_GB spelling, not en_US" in us["colour"].message
    assert us["colour"].suggestions == ("color",)
    gb = _flagged("en-GB")
    assert list(gb) == ["color"]
    assert "the en_US spelling, not en_GB" in gb["color"].message and gb["color"].suggestions == ("colour",)


@needs_us_gb
def test_a_gap_in_one_variants_dictionary_is_not_a_variant_spelling():
    """en_GB lacks the "bn" of "£5bn", which en_US has: not an American spelling, so not flagged (481 times on BBC otherwise)."""
    report = engine.check([Document(id="d.txt", raw="The firm made £5bn last year and spent it on programmes.")], GR101, config.Settings(language="en-GB"))
    assert report.findings == []


@needs_us_gb
def test_real_misspellings_are_still_misspellings_under_a_variant():
    report = engine.check([Document(id="d.txt", raw="The goverment met on Monday.")], GR101, config.Settings(language="en-GB"))
    [f] = report.findings
    assert f.excerpt == "goverment" and "not in the Hunspell en_GB dictionary" in f.message


@needs_us_gb
def test_a_missing_variant_dictionary_falls_back_with_a_notice():
    engine_ = OfflineEngine([], dictionaries=("xx_XX",))
    assert engine_.dictionaries == ("en_US", "en_GB") and engine_.speller is not None
    [notice] = engine_.notices
    assert "no Hunspell dictionary for xx_XX (apt-get install hunspell-xx-xx)" in notice.message
    assert "checked against en_US and en_GB instead" in notice.message
