"""MT110: a whole article in another language gets one finding, and no other check runs on it."""

from __future__ import annotations

from qualcheck import config, engine, ruleset
from qualcheck.document import Document

PACK = ruleset.load()
GERMAN = (
    "Bundeskanzler trifft Präsident in Berlin\n\n"
    "Der Bundeskanzler hat am Dienstag den französischen Präsidenten in Berlin empfangen. Die beiden Politiker "
    "sprachen über die Lage in der Ukraine und über neue Sanktionen gegen Russland. Nach dem Treffen sagte der "
    "Kanzler, man sei sich in allen wichtigen Fragen einig.\n"
)
ENGLISH = (
    "Chancellor meets president in Berlin\n\n"
    "The German chancellor received the French president in Berlin on Tuesday. The two leaders discussed the "
    "situation in Ukraine and new sanctions against Russia. After the meeting the chancellor said they agreed on "
    "every important question.\n"
)
NEPALI = "प्रधानमन्त्रीले मंगलबार काठमाडौंमा मन्त्रिपरिषद्को बैठक बोलाउनुभएको छ। बैठकमा बजेट र बाढी पीडितलाई राहत दिने विषयमा छलफल भएको थियो। सरकारले अर्को हप्ता नयाँ नीति ल्याउने बताएको छ।"


def _check(*docs: Document, select=("ALL",)):
    return engine.check(list(docs), PACK.select(list(select)), config.Settings())


def test_a_german_article_gets_one_finding_and_no_other_check():
    report = _check(Document(id="de.txt", raw=GERMAN))
    [doc] = report.documents
    assert [f.code for f in doc.findings] == ["MT110"]
    [f] = doc.findings
    assert f.message.startswith("The article is written in German (de), not English (probability 1.00)")
    assert f.excerpt.startswith("Der Bundeskanzler hat am Dienstag") and f.severity.name.lower() == "error"
    assert doc.score.categories["grammar"] is None and doc.score.categories["readability"] is None
    assert any(n.code == "gate" and "MT110" in n.message for n in doc.notices)


def test_without_the_gate_the_same_article_collects_misspellings():
    """What the gate saves the editor from: the English checks read German as fifty errors."""
    report = _check(Document(id="de.txt", raw=GERMAN), select=("GR101",))
    assert len(report.documents[0].findings) >= 10


def test_english_articles_are_untouched_and_checked_as_before():
    report = _check(Document(id="en.txt", raw=ENGLISH))
    [doc] = report.documents
    assert "MT110" not in {f.code for f in doc.findings}
    assert doc.score.categories["readability"] is not None
    assert not any(n.code == "gate" for n in doc.notices)


def test_a_script_shared_with_hindi_is_still_named_and_caught():
    [f] = _check(Document(id="ne.txt", raw=NEPALI), select=("MT110",)).documents[0].findings
    assert f.data["language"] == "ne" and "Nepali" in f.message


def test_short_text_is_not_judged():
    report = _check(Document(id="de.txt", raw="Der Kanzler sagte am Dienstag nichts."), select=("MT110",))
    assert report.documents[0].findings == ()


def test_the_untranslated_article_is_left_out_of_the_cross_source_comparison():
    german = GERMAN.replace("einig.", "einig. Bei dem Angriff wurden 12 Menschen getötet.")
    docs = Document(id="a.txt", raw=ENGLISH), Document(id="b.txt", raw=german)
    ungated = _check(*docs, select=("FA",))  # the English claim extractor reads "12 Menschen" as a claim
    assert any(v["document"] == "b.txt" for c in ungated.claims for v in c["values"])
    report = _check(*docs, select=("FA", "MT110"))
    gated = next(d for d in report.documents if d.document == "b.txt")
    assert [f.code for f in gated.findings] == ["MT110"]
    assert gated.score.categories["agreement"] is None
    assert not any(v["document"] == "b.txt" for c in report.claims for v in c["values"])


SPANISH_INSIDE = (
    "Minister speaks on economy\n\n"
    "The minister spoke to reporters in Madrid on Tuesday about the new budget. "
    "El Gobierno aprobará la próxima semana un nuevo paquete de medidas económicas para las familias. "
    "Según el ministro, las ayudas llegarán a más de dos millones de hogares antes del verano. "
    "He did not take questions from the reporters who had gathered outside.\n"
)


def test_a_spanish_passage_in_an_english_article_is_one_finding():
    report = _check(Document(id="es.txt", raw=SPANISH_INSIDE), select=("MT",))
    [f] = [f for f in report.findings if f.code == "MT111"]
    assert f.excerpt.startswith("El Gobierno aprobará") and f.excerpt.endswith("antes del verano.")
    assert "Sentence left in Spanish (es" in f.message
    assert "MT110" not in {g.code for g in report.findings}, "the article as a whole is English"
    mt900 = report.documents[0].sentences
    spanish = [s for s in mt900 if s["start"] >= f.span.start and s["end"] <= f.span.end]
    assert spanish and all("MT111" in s["signals"] for s in spanish)


def test_a_sentence_in_another_script_is_reported_once_as_mt107():
    text = ("Talks in Moscow\n\nThe Kremlin issued a statement on Tuesday. "
            "Президент России провел во вторник совещание с членами Совета безопасности по гарантиям. "
            "Officials in Washington did not comment on the statement.\n")
    alone = _check(Document(id="ru.txt", raw=text), select=("MT111",))
    assert [f.code for f in alone.findings] == ["MT111"]
    both = _check(Document(id="ru.txt", raw=text), select=("MT107", "MT111"))
    assert [f.code for f in both.findings] == ["MT107"]


def test_only_plain_english_skips_langid_and_foreign_text_quoting_english_titles_does_not():
    """The short-cut past py3langid takes English sentences only: Latin-script languages share
    none of its words, and a foreign sentence that quotes an English title keeps its own letters."""
    from qualcheck.kinds.document_language import plainly_expected

    params = ruleset.load().by_code("MT111").params
    english = ["The minister said the talks with the unions would resume after the holiday.",
               "Shares in the company, which has been for sale since March, rose by 4% on Tuesday."]
    foreign = ["Tolkien care este rănit în război, publica \"The Lord of the Rings\", o transpunere fantezista.",
               "De minister zei dat de gesprekken met de bonden na de vakantie worden hervat, of niet.",
               "Der Minister sagte, was die Gespräche mit den Gewerkschaften angeht, will er warten.",
               "Maailmas on väga erinevaid kiirabiteenust pakkuvaid organisatsioone, mis on head."]
    assert all(plainly_expected(s, params) for s in english)
    assert not any(plainly_expected(s, params) for s in foreign)
    # and the rule still finds the Spanish sentence between English ones
    doc = Document(id="mixed.txt", raw="Talks resumed on Tuesday, and the minister said they would go on. "
                   "El Gobierno aprobará la próxima semana un nuevo paquete de medidas económicas para las familias. "
                   "He did not take questions after the meeting with the unions.")
    report = engine.check([doc], [ruleset.load().by_code("MT111")], config.Settings())
    assert [f.code for f in report.documents[0].findings] == ["MT111"]
