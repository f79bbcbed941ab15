"""The offices data (rules/agreement/data/offices.yaml): validation at load, and verdicts on titles."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from qualcheck.agreement import claims, offices
from qualcheck.document import Document
from qualcheck.errors import RuleFileError
from qualcheck.ruleset import bundled_rules_dir

DATA = bundled_rules_dir() / "agreement" / "data"


def _verdict(text: str, date: str | None = None):
    """The verdict on the one person + title claim of ``text`` (alone: no dating from other claims)."""
    doc = Document(id="x.txt", raw=text)
    found = list(claims.persons(doc, claims.vocabulary()))
    assert len(found) == 1, found
    c = found[0]
    day = dt.date.fromisoformat(date) if date else None
    return offices.verdict(c, offices.load(), day, doc.text[max(0, c.start - 30) : c.start])


def test_bundled_file_covers_the_countries_news_names_most():
    data = offices.load()
    assert len(data.countries) >= 25
    for key in ("British", "American", "Hungarian", "Italian", "German", "French", "Russian", "Ukrainian", "Chinese", "Japanese", "Indian"):
        assert key in data.countries
    assert data.forms["UK"] == "British" and data.places["Italy"] == "Italian"
    # every head-of-government list runs to the present (an open last term)
    assert data.countries["British"].holders["prime minister"][-1].end is None
    # the adjectives of the file become nationalities of title claims ("Dutch Prime Minister")
    assert claims.vocabulary().nationalities["Dutch"] == "Dutch"


@pytest.mark.parametrize(
    "text,date,suggestion",
    [
        ("Putin met British President Boris Johnson.", None, "Prime Minister"),  # no such office
        ("Italian President Mario Draghi said so.", "2021-06-01", "Prime Minister"),  # Mattarella was President
        ("Italian President Mario Draghi said so.", None, "Prime Minister"),  # never President
        ("German Prime Minister Angela Merkel said so.", None, "Chancellor"),  # Germany has no Prime Minister
        ("Japanese President Shinzo Abe said so.", None, "Prime Minister"),
        ("Russian President Dmitry Medvedev said so.", "2015-03-01", "Prime Minister"),  # by the date
        ("French Prime Minister Emmanuel Macron said so.", "2019-05-01", "President"),
        ("Turkish Prime Minister Recep Tayyip Erdogan said so.", "2016-01-10", "President"),
        ("Canadian President Justin Trudeau said so.", None, "Prime Minister"),
        ("President Boris Johnson said so.", None, "Prime Minister"),  # no nationality: his country decides
        # cabinet offices: a person called by one they never held (BBC-style titles, no nationality)
        ("Home Secretary Gordon Brown said so.", None, "Prime Minister"),
        ("Defence Secretary Tony Blair said so.", None, "Prime Minister"),
        ("Health Secretary Charles Clarke said so.", None, "Home Secretary"),
        ("Health Secretary George Bush said so.", None, "President"),
        ("Defence Secretary Vladimir Putin said so.", None, "President"),
        ("Foreign Secretary Viktor Yushchenko said so.", None, "President"),
        ("President Thaksin Shinawatra said so.", None, "Prime Minister"),  # Thailand has no President
        ("Home Secretary John Reid said so.", "2004-06-01", "Health Secretary"),  # by the date: Blunkett was
        # leaders whose whole national career the file lists ("complete-careers"), given a cabinet office
        ("Health Secretary George W Bush said so.", None, "President"),  # a middle initial is part of the name
        ("Interior Minister Gerhard Schroeder said so.", None, "Chancellor"),
        ("Defence Secretary Thabo Mbeki said so.", None, "President"),
        ("Defence Secretary Jacques Chirac said so.", None, "President"),
        ("Home Secretary Putin said so.", None, "President"),  # the surname alone: a listed alias
        # countries and earlier holders added with the dating work
        ("Chancellor Laurent Gbagbo said so.", None, "President"),  # Ivory Coast has no Chancellor
        ("Sri Lankan Prime Minister Chandrika Kumaratunga said so.", "2004-01-01", "President"),
        ("Albanian President Fatos Nano said so.", None, "Prime Minister"),
        ("Prime Minister Hugo Chavez said so.", None, "President"),
        # complete careers and offices added for issue 13's title swaps
        ("Health Secretary Thaksin Shinawatra said so.", None, "Prime Minister"),  # complete: PM, Foreign Minister 1994-95
        ("Foreign Minister Thaksin Shinawatra said so.", "2005-01-01", "Prime Minister"),  # by the date
        ("Defence Secretary Fatos Nano said so.", None, "Prime Minister"),
        ("Health Secretary Jacques Chirac said so.", None, "President"),
        ("Home Secretary Donald Rumsfeld said so.", None, "Defence Minister"),
        ("Home Secretary Leonid Kuchma said so.", None, "President"),
        ("Chancellor Olaf Scholz said so.", "2019-05-01", "Finance Minister"),  # Germany's finance ministers
    ],
)
def test_wrong_titles_are_refuted_with_the_right_one(text, date, suggestion):
    v = _verdict(text, date)
    assert v is not None and not v.consistent, v
    assert v.suggestion == suggestion


def test_a_holder_of_the_office_elsewhere_gets_the_right_nationality():
    v = _verdict("British Prime Minister Viktor Orban said so.")
    assert not v.consistent and v.nationality == "Hungarian" and "Hungary" in v.reason


@pytest.mark.parametrize(
    "text,date",
    [
        ("Italian Prime Minister Mario Draghi said so.", "2021-06-01"),
        ("Russian President Dmitry Medvedev said so.", None),  # he was President 2008-2012
        ("Russian President Dmitry Medvedev said so.", "2010-03-01"),
        ("Chancellor Gordon Brown said so.", None),  # the UK's finance minister is the Chancellor
        ("Chancellor of the Exchequer Gordon Brown said so.", None),
        ("Prime Minister Tony Blair said so.", "2005-01-01"),
        ("Foreign Secretary Jack Straw said so.", "2004-01-01"),
        ("Russian Foreign Minister Sergey Lavrov said so.", "2022-02-08"),
        ("Ukrainian President Volodymyr Zelenskyy said so.", "2023-05-01"),
        ("Chinese President Xi said so.", None),
        ("US President George Bush said so.", "2004-01-01"),
        ("Home Secretary Jack Straw said so.", None),  # Home Secretary 1997-2001, Foreign Secretary after
        ("Health Secretary John Reid said so.", "2004-06-01"),
        ("Defence Secretary John Reid said so.", "2005-09-01"),
        ("US Defence Secretary Donald Rumsfeld said so.", None),
        ("US Treasury Secretary John Snow said so.", "2004-01-01"),
        ("Thai Prime Minister Thaksin Shinawatra said so.", "2005-01-01"),
        ("German Defence Minister Peter Struck said so.", None),
        # earlier terms of people listed for a later office: they held the title too
        ("Prime Minister Laurent Fabius said so.", None),  # France's Prime Minister 1984-86
        ("French Interior Minister Nicolas Sarkozy said so.", "2003-01-01"),
        ("Prime Minister Leonid Kuchma said so.", None),  # Ukraine's Prime Minister 1992-93
        ("Defense Secretary Dick Cheney said so.", None),  # 1989-93, before he was Vice President
        ("Vice President George Bush said so.", None),  # George H. W. Bush, 1981-89
        # a person listed in two places is right if right in one
        ("President Jose Manuel Barroso said so.", None),  # of the European Commission; Portugal's Prime Minister
        ("President Donald Tusk said so.", None),  # of the European Council; Poland's Prime Minister
        ("Prime Minister Jose Manuel Barroso said so.", None),
        ("President Jose Manuel Barosso said so.", None),  # a misspelling: doubled letters fold to one key
        # offices added for issue 13's title swaps
        ("Foreign Minister Thaksin Shinawatra said so.", None),  # Thailand's Foreign Minister in 1994-95
        ("Foreign Minister Thaksin Shinawatra said so.", "1995-01-01"),
        ("German Finance Minister Olaf Scholz said so.", "2019-05-01"),
        ("Defense Secretary Donald Rumsfeld said so.", "1976-05-01"),  # his first term, 1975-77
        ("Prime Minister Fatos Nano said so.", None),
    ],
)
def test_right_titles_are_confirmed(text, date):
    v = _verdict(text, date)
    assert v is not None and v.consistent, v


@pytest.mark.parametrize(
    "text",
    [
        "Shadow Chancellor Oliver Letwin said so.",  # another office
        "Lord Chancellor Jack Straw said so.",
        "EU Commission President Romano Prodi said so.",  # another body's office
        "French Finance Minister Nicolas Sarkozy said so.",  # holders of this office are not listed: no verdict
        "Health Minister John Hutton said so.",  # in the UK a minister of state, not the Health Secretary
        "Health Secretary Andy Kerr said so.",  # Scotland's: a person the file does not list
        "Italian President Giovanni Rossini said so.",  # not listed: the file cannot say
        "Deputy Prime Minister John Prescott said so.",
        "Finance Minister Romano Prodi said so.",  # complete in Italy, but also the Commission's President
        "Vice President Hu Jintao said so.",  # vice president is not a career office: a complete career says nothing
        "Defence Minister Mahinda Rajapaksa said so.",  # Sri Lanka's presidents held the defence ministry
    ],
)
def test_no_verdict_where_the_file_is_not_sure(text):
    assert _verdict(text) is None


@pytest.mark.parametrize(
    "text,judged",
    [
        # a capitalised word that opens the sentence or names a day is not another body's name
        ("The talks ended. On Tuesday Home Secretary Gordon Brown said so.", False),
        ("The talks ended. Earlier Chancellor Gordon Brown said so.", True),
        ("The talks ended. Separately Home Secretary David Blunkett said so.", True),
        ("Talks resumed in March. In January Foreign Secretary Robin Cook said so.", True),
        ("The talks ended. Yesterday Prime Minister Jack Straw said so.", False),
        # still another body's office
        ("The talks ended. World Bank President Tony Blair said so.", None),
        ("The talks ended. Commission President Romano Prodi said so.", None),
    ],
)
def test_a_sentence_opener_before_a_title_is_not_a_body_name(text, judged):
    v = _verdict(text)
    if judged is None:
        assert v is None
    else:
        assert v is not None and v.consistent is judged, v


def _copy(tmp_path: Path, old: str, new: str) -> str:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "offices.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("[Tony Blair, 1997-05-02, 2007-06-27]", "[Tony Blair, May 1997, 2007-06-27]", "countries.British.holders.prime minister[0]: 'May 1997' is not an ISO date"),
        ("[Tony Blair, 1997-05-02, 2007-06-27]", "[Tony Blair, 2007-06-27, 1997-05-02]", "ends (1997-05-02) before it starts"),
        ("    no-such-office: [president]\n", "    no-such-ofice: [president]\n", "unknown key (did you mean 'no-such-office'?)"),
        ("    no-such-office: [president]\n", "    no-such-office: [presidnt]\n", "'presidnt' is not an office of titles.yaml (did you mean 'president'?)"),
        ("{Sergey Lavrov: Sergei Lavrov,", "{Sergey Lavrov: Sergei Lavrow,", "aliases.Sergey Lavrov: 'Sergei Lavrow' is not a holder"),
        ("    junior-titles: [Health Minister,", "    junior-titles: [7, Health Minister,", "countries.British.junior-titles: must be a list of words"),
        ("[Gordon Brown, 2007-06-27, 2010-05-11]", "[Gordon Brown, 1990-06-27, 2010-05-11]", "terms must be in date order"),
        ("complete-careers: [George H. W. Bush,", "complete-careers: [George Bushh,", "complete-careers: 'George Bushh' is not a holder listed for American"),
        ("career-offices: [president,", "career-offices: [presidnt,", "career-offices: 'presidnt' is not an office of titles.yaml"),
    ],
)
def test_bad_entries_are_named_with_file_and_key(tmp_path, old, new, message):
    path = _copy(tmp_path, old, new)
    with pytest.raises(RuleFileError) as err:
        offices.load(path)
    assert path in str(err.value.message) and message in str(err.value.message)
    assert "\n" not in str(err.value.message)


def test_an_impossible_date_is_one_line_naming_the_file(tmp_path):
    path = _copy(tmp_path, "[Tony Blair, 1997-05-02, 2007-06-27]", "[Tony Blair, 1997-13-02, 2007-06-27]")
    with pytest.raises(RuleFileError) as err:
        offices.load(path)
    assert str(err.value.message).startswith(f"{path}: cannot read the offices file") and "\n" not in err.value.message


@pytest.mark.parametrize(
    "text,consistent",
    [
        # a past office written with "former"/"ex" before the title, as news hyphenates it: judged as a past office
        ("The talks were suggested by ex-Home Secretary David Blunkett.", True),
        ("The talks were suggested by ex-Prime Minister David Blunkett.", False),
        ("It was the plan of former-Prime Minister Leonid Kuchma.", True),
        ("It was the plan of former-Defence Secretary Leonid Kuchma.", False),
        ("A speech by ex-President George W. Bush was cited.", True),
        ("A speech by former-Health Secretary George W. Bush was cited.", False),
    ],
)
def test_a_title_after_former_or_ex_is_judged_as_a_past_office(text, consistent):
    v = _verdict(text)
    assert v is not None and v.consistent is consistent, v


def _dated_verdict(text: str, date: str):
    """The verdict on the one person + title claim of ``text`` in an article dated ``date``, with its sentence."""
    doc = Document(id="x.txt", raw=text)
    [c] = list(claims.persons(doc, claims.vocabulary()))
    return offices.verdict(c, offices.load(), dt.date.fromisoformat(date), doc.text[max(0, c.start - 30) : c.start],
                           sentence=offices.sentence_around(doc.text, c.start, c.end))


@pytest.mark.parametrize(
    "text,date",
    [
        ("German Chancellor Angela Merkel said on Tuesday that the talks would go on.", "2022-02-24"),
        ("British Prime Minister Theresa May warned the bloc again on Monday.", "2021-06-01"),
        ("US President Barack Obama called the governor to offer help.", "2019-03-10"),
    ],
)
def test_a_title_its_holder_had_left_long_before_the_articles_date_is_refuted(text, date):
    v = _dated_verdict(text, date)
    assert v is not None and not v.consistent
    assert "no longer" in v.reason and "former" in v.reason


@pytest.mark.parametrize(
    "text,date",
    [
        ("In 2015, German Chancellor Angela Merkel opened the borders to refugees.", "2022-02-24"),  # a year of the term
        ("At the time, British Prime Minister Theresa May said the deal was done.", "2021-06-01"),  # a retrospective word
        ("The policy began under US President Barack Obama and was never reversed.", "2019-03-10"),
        ("Talks went on. In 2015, Mr. Kerry met US President Barack Obama.", "2019-03-10"),  # "Mr." ends no sentence
        ("German Chancellor Angela Merkel said on Tuesday that the talks would go on.", "2021-12-20"),  # within a hand-over
        ("German Chancellor Angela Merkel said on Tuesday that the talks would go on.", "2021-06-01"),  # in office
    ],
)
def test_a_past_title_in_a_sentence_set_in_the_past_or_near_the_handover_stands(text, date):
    v = _dated_verdict(text, date)
    assert v is None or v.consistent


@pytest.mark.parametrize(
    "text,suggestion",
    [
        ("Narendra Modi, President of India, arrived.", "Prime Minister"),
        ("The prime minister of Germany, Olaf Scholz, said so.", "Chancellor"),  # Germany has no Prime Minister
        ("Prime Minister of France Emmanuel Macron said so.", "President"),
    ],
)
def test_an_office_of_a_country_is_judged_as_the_country_s_title(text, suggestion):
    doc = Document(id="x.txt", raw=text)
    [c] = [c for c in claims.extract(doc) if c.kind == "person-title"]
    v = offices.verdict(c, offices.load(), None, doc.text[max(0, c.start - 30) : c.start])
    assert v is not None and not v.consistent and v.suggestion == suggestion


def test_offices_are_written_as_titles():
    assert offices.title_case("secretary of state") == "Secretary of State"
    assert offices.title_case("prime minister") == "Prime Minister"
    [c] = [c for c in claims.extract(Document(id="x.txt", raw="US Secretary of State Antony Blinken said so.")) if c.kind == "person-title"]
    assert c.display == "American Secretary of State"
