"""Claim extraction on real text: numbers with qualifiers as ranges, titles, dates, quotes and speakers."""

from __future__ import annotations

import math
import re

import pytest

from qualcheck.agreement import claims
from qualcheck.agreement.claims import Quantity
from qualcheck.document import Document


def _claims(text: str, kind: str | None = None):
    doc = Document(id="t.txt", raw=text)
    found = claims.extract(doc)
    for c in found:
        assert doc.raw[c.start : c.end] == c.text  # exact spans
    return [c for c in found if kind is None or c.kind == kind]


@pytest.mark.parametrize(
    "text,low,high,subject",
    [
        ("Russia has amassed more than 100,000 troops on the frontier.", 100_000, 150_000, "troops"),
        ("The conflict has since claimed over 14,000 lives.", 14_000, 21_000, "casualties"),
        ("The fighting has killed more than 14,000 people.", 14_000, 21_000, "casualties"),
        ("Fewer than 90 people attended.", 60.03, 90, "people"),  # 0.667 of 90
        ("Almost 6,000 soldiers were sent.", 5_100, 6_000, "troops"),
        ("About 200 residents were evacuated.", 180, 220, "people"),
        ("Officials said 300 jobs will go.", 300, 300, "jobs"),
    ],
)
def test_numbers_with_qualifiers_become_ranges(text, low, high, subject):
    [c] = _claims(text, "number")
    assert c.subject == subject
    assert c.value.low == pytest.approx(low) and c.value.high == pytest.approx(high)


def test_two_bounds_far_apart_are_two_counts_not_one():
    """'more than 14,000' and 'more than 40,000' lives: each is the best count its source knows."""
    [low] = _claims("The fighting has killed more than 14,000 people.", "number")
    [high] = _claims("The fighting has killed more than 40,000 people.", "number")
    [near] = _claims("The fighting has killed about 15,000 people.", "number")
    assert not low.value.agrees(high.value)
    assert low.value.agrees(near.value)


def test_units_are_normalised_and_dimensions_kept_apart():
    [km] = _claims("Kharkiv is only 40 kilometers away from the troops.", "distance")
    assert km.value == Quantity(40_000, 40_000, "m")
    [dur] = _claims("They held a five-hour meeting in Moscow.", "duration")
    assert dur.value.low == 5 * 3600
    [rng] = _claims("Missiles would take four or five minutes to reach Moscow.", "duration")
    assert (rng.value.low, rng.value.high) == (240, 300)


def test_direction_of_change_is_part_of_the_value():
    [up] = _claims("Company revenue rose 12% in the quarter.", "percent")
    [down] = _claims("Company revenue fell 12% in the quarter.", "percent")
    assert up.value.direction == 1 and down.value.direction == -1
    assert not up.value.agrees(down.value)  # similar wording, opposite facts


def test_money_has_currency_and_scale():
    [m] = _claims("The deal is worth $2.5 billion, the company said.", "money")
    assert m.value.low == 2.5e9 and m.value.unit == "USD"


def test_ranges_agree_when_they_overlap():
    over = Quantity(14_000, math.inf)
    assert over.agrees(Quantity(14_000, math.inf))
    assert over.agrees(Quantity(15_000, 15_000))
    assert not over.agrees(Quantity(9_000, 9_000))


@pytest.mark.parametrize(
    "text,person,office,nationality",
    [
        ("talks with Hungarian Prime Minister Viktor Orban in Moscow", "Viktor Orban", "prime minister", "Hungarian"),
        ("talks with Hungarian President Viktor Orban, a friend", "Viktor Orban", "president", "Hungarian"),
        ("and Moscow’s foreign minister Sergei Lavrov spoke", "Sergei Lavrov", "foreign minister", "Russian"),
        ("US Secretary of State Antony Blinken said", "Antony Blinken", "secretary of state", "American"),
        ("the face of President Putin’s claims", "Putin", "president", None),
    ],
)
def test_person_titles(text, person, office, nationality):
    [c] = _claims(text, "person-title")
    assert c.extra["person"] == person
    assert c.value == (office, nationality)


def test_spelling_variants_share_a_person_key():
    assert claims.person_key("Sergei Lavrov") == claims.person_key("Sergey Lavrov")
    assert claims.person_key("Orban") == claims.person_key("Viktor Orban")
    assert claims.person_key("Zelensky") == claims.person_key("Zelenskyy")


def test_title_does_not_cross_a_paragraph_break():
    text = "Russia and NATO over Ukraine\n\nPresident Vladimir Putin has blamed the West."
    [c] = _claims(text, "person-title")
    assert c.value == ("president", None)


def test_dates_and_weekdays():
    found = _claims("Putin on Feb. 8, Tuesday sent a warning; talks on Tuesday; since 26 December 2021.", "date")
    values = [c.value for c in found]
    assert ("date", 2, 8, None) in values
    assert ("weekday", "tuesday") in values
    assert ("date", 12, 26, 2021) in values


def test_years_but_not_metadata_dates():
    found = _claims(" date 2022-02-08 Russia annexed the Crimean Peninsula in 2014.", "year")
    assert [c.text for c in found] == ["2014"]


def test_quotes_split_into_sentences_with_speaker(seeds_dir):
    doc = Document(id="002.txt", raw=(seeds_dir / "002_95a1c4ae04f2f19f.txt").read_text(encoding="utf-8"))
    quotes = [c for c in claims.extract(doc) if c.kind == "quote"]
    texts = [q.text for q in quotes]
    assert "So, has anyone thought about this?" in texts
    assert "Let’s imagine that Ukraine is a NATO country and starts these military operations." in texts
    imagine = next(q for q in quotes if q.text.startswith("Let’s imagine"))
    assert imagine.extra["speaker"] == "Vladimir Putin"
    johnson = next(q for q in quotes if q.text.startswith("holding a gun"))
    assert johnson.extra["speaker"] == "Boris Johnson"


def test_quote_with_wrong_closing_mark_is_still_read(seeds_dir):
    doc = Document(id="001.txt", raw=(seeds_dir / "001_5ad0f26136440ebb.txt").read_text(encoding="utf-8"))
    texts = [c.text for c in claims.extract(doc) if c.kind == "quote"]
    assert "Has anyone thought about it?" in texts


def test_empty_and_number_free_text():
    assert _claims("") == []
    assert _claims("No figures here, only words.") == []


@pytest.mark.parametrize(
    "a,b,agree",
    [
        ("Shares rose 9% in late trading.", "Shares rose 8.76 per cent in late trading.", True),  # rounding
        ("The index edged down 0.3 percent.", "The index edged down 0.2 percent.", False),  # beyond rounding
        ("Hospital costs accounted for 51 percent of the increase.", "Costs dominated the increase, accounting for 51 percent.", True),
        ("Company revenue rose 12% in the quarter.", "Company revenue fell 12% in the quarter.", False),
        ("The Nasdaq was up 12.81, or 0.1 percent, at noon.", "The Nasdaq was down 8.76, or 0.1 percent, at noon.", False),
        ("Margin of error of plus or minus 4.9 percent.", "Margin of error of plus or minus five percent.", True),
    ],
)
def test_rounding_and_direction_decide_agreement(a, b, agree):
    [x] = [c for c in _claims(a) if c.kind == "percent"]
    [y] = [c for c in _claims(b) if c.kind == "percent"]
    assert x.value.agrees(y.value) is agree


def test_a_change_and_a_level_are_not_comparable():
    [change, level] = _claims("Bristol shares rose $1.30 to $28.20 on Friday.", "money")
    assert change.value.direction == 1 and level.value.level
    assert not change.value.comparable(level.value)


def test_currencies_and_rates_are_units():
    [pounds] = _claims("The tool is listed at £169.99 in Britain.", "money")
    [dollars] = _claims("The tool is listed at $273 in America.", "money")
    assert not pounds.value.comparable(dollars.value)
    [per_share] = _claims("Cisco earned 14 cents a share on sales.", "money")
    assert per_share.value.unit == "USD/share" and per_share.value.low == pytest.approx(0.14)


@pytest.mark.parametrize(
    "text,low,high",
    [
        ("Trans fat makes up 1 percent to 3 percent of fat.", 1, 3),
        ("Tax cuts of between $4 and $11 a week.", 4, 11),
        ("Vivendi could fetch $12 billion-$14 billion for it.", 12e9, 14e9),
        ("Predictions ranged from 16 cents a share to 27 cents a share.", 0.16, 0.27),
    ],
)
def test_ranges_with_the_unit_written_twice(text, low, high):
    [c] = [c for c in _claims(text) if c.kind in ("percent", "money")]
    assert (c.value.low, c.value.high) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    "text",
    [
        "Southwest exercised options on nine Boeing 737-700s next year.",
        "The contest ran until 6 p.m. EDT Sunday.",
        "Britain's FTSE 100 gained slightly in late trade.",
        "Chelsea won 2-1 at home.",
    ],
)
def test_names_models_times_and_scores_are_not_quantities(text):
    assert [c for c in _claims(text) if c.kind in ("number", "money", "percent", "duration", "distance")] == []


def test_a_fall_to_a_level_is_not_a_range():
    found = _claims("Altria shares fell $1.17 to $42.51 on Monday.", "money")
    assert [(c.text, c.value.direction, c.value.level) for c in found] == [("$1.17", -1, False), ("$42.51", 0, True)]


def test_an_amount_restating_a_percentage_is_a_change_not_a_range():
    found = _claims("Altria shares fell 2.5 percent or $1.11 to $42.57 on Monday.", "money")
    assert [(c.text, c.value.level) for c in found] == [("$1.11", False), ("$42.57", True)]


def test_market_off_and_trailing_down_are_falls():
    [off] = _claims("Acme shares were off 30 cents on the exchange.", "money")
    [down] = _claims("In New York, Vivendi shares were 1.4 percent down at midday.", "percent")
    assert off.value.direction == -1 and down.value.direction == -1
    [paid] = [c for c in _claims("The firm paid off 30 million dollars of debt.") if c.kind == "money"]
    assert paid.value.direction == 0


def test_figures_in_different_units_agree_within_a_conversion():
    [miles] = _claims("The town lies 30 miles west of the capital.", "distance")
    [km] = _claims("The town lies 50 km west of the capital.", "distance")
    [far] = _claims("The town lies 80 km west of the capital.", "distance")
    [metres] = _claims("The town lies 50,000 metres west of the capital.", "distance")
    assert miles.value.agrees(km.value) and not miles.value.agrees(far.value)
    assert not metres.value.agrees(Quantity(48_000, 48_000, "m", written="metre"))  # one unit: no slack
    [both] = _claims("The town lies 50 km (32 miles) west of the capital.", "distance")
    assert both.value.low == pytest.approx(50_000) and both.value.high == pytest.approx(32 * 1609.344)


def test_added_counts_are_not_totals_and_readings_carry_their_time():
    [new] = _claims("Taiwan reported 18 new cases on Friday.", "number")
    [total] = _claims("Taiwan reported 149 cases on Friday.", "number")
    assert new.subject == "cases (added)" and total.subject == "cases"
    [at] = _claims("Shares were down 40 cents at 10:15 a.m. in New York.", "money")
    [closed] = _claims("Shares closed down 40 cents in New York.", "money")
    assert at.extra["when"] == "1015" and closed.extra["when"] == "close"


def test_straight_quotes_are_paired_by_position_and_pronouns_continue_the_speaker():
    text = (
        'Ms Hewitt said: "We have already doubled the length of maternity pay. "We are going to extend it '
        'to nine months by 2007." She said new mothers were entitled to leave. "We have made a firm '
        'commitment to parents," she said. Economist Colen Garrow said the budget "looked fine". '
        '"It is pleasant to see the cut in company taxes," said race director Matthew Turnbull.'
    )
    found = _claims(text, "quote")
    texts = [q.text for q in found]
    assert "She said new mothers were entitled to leave." not in " ".join(texts)  # between quotes, not a quote
    speakers = {q.text[:20]: q.extra["speaker"] for q in found}
    assert speakers["We have already doub"] == "Ms Hewitt"
    assert speakers["We are going to exte"] == "Ms Hewitt"
    assert speakers["We have made a firm "] == "Ms Hewitt"  # "she said": the speaker just before
    assert speakers["It is pleasant to se"] == "Matthew Turnbull"


def test_case_blind_letters_are_the_classes_the_person_pattern_writes():
    # _alternation writes (?i:p) as [Pp]: that must be every character Python's case-blind p matches
    import string

    from qualcheck.agreement.claims import _CASE_EXTRA

    any_letter = re.compile("(?i:" + "|".join(string.ascii_lowercase) + ")")
    blind = [chr(c) for c in range(0x110000) if any_letter.fullmatch(chr(c))]
    for letter in string.ascii_lowercase:
        matched = {c for c in blind if re.fullmatch(f"(?i:{letter})", c)}
        assert matched == set(letter + letter.upper() + _CASE_EXTRA.get(letter, "")), letter


@pytest.mark.parametrize("ignorecase", [False, True])
def test_grouped_alternation_matches_as_the_plain_one(ignorecase):
    from qualcheck.agreement.claims import _alternation

    options = ["prime minister", "president", "pm", "minister", "Kremlin", "kelvin", "ſir", "s", "Islam", "ı", "a.b"]
    grouped = re.compile(_alternation(options, ignorecase) + r"\w*")
    body = "|".join(re.escape(o) for o in options)
    plain = re.compile((f"(?i:{body})" if ignorecase else f"(?:{body})") + r"\w*")
    text = "The Prime Minister and PRESIDENT met the pm; KELVIN, Kremlin, ſir, Sir, İslam, islam, ıs, a.b, aXb, s."
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(list(grouped.finditer(text))) >= 8


def test_content_words_fold_as_lower_case():
    """content_words lower-cases its words instead of calling fold(): the same for every character _WORD matches."""
    from qualcheck.agreement.claims import _WORD, fold

    alphabet = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF and _WORD.fullmatch("a" + chr(i) + "a"))
    alphabet += "0123456789,"  # the number branch
    assert fold(alphabet) == alphabet.lower()
    assert set(alphabet) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'’.-,")


@pytest.mark.parametrize(
    "text,title,person,value",
    [
        ("Boris Johnson, the British President, said the West would respond.", "British President", "Boris Johnson", ("president", "British")),
        ("The British president, Boris Johnson, said the West would respond.", "British president", "Boris Johnson", ("president", "British")),
        ("Viktor Orban, Hungary's prime minister, told reporters.", "Hungary's prime minister", "Viktor Orban", ("prime minister", "Hungarian")),
        ("On Tuesday Mario Draghi, the Italian Prime Minister, met them.", "Italian Prime Minister", "Mario Draghi", ("prime minister", "Italian")),
        ("He met Olaf Scholz, the German Chancellor.", "German Chancellor", "Olaf Scholz", ("chancellor", "German")),
    ],
)
def test_titles_in_apposition_are_claims_whose_span_is_the_title(text, title, person, value):
    [c] = _claims(text, "person-title")
    assert (c.text, c.extra["person"], c.value) == (title, person, value)


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv, the Ukrainian capital, was calm.",  # a place, and no office
        "The French Foreign Minister, Dominique de Villepin, is expected.",  # a name cut at its particle is not taken
        "Tony Blair, the then British Prime Minister, said so.",  # a title of the past, said so
        "Boris Johnson, the British Prime Minister's spokesman, said so.",  # the title does not end the phrase
    ],
)
def test_what_is_not_a_title_in_apposition(text):
    assert _claims(text, "person-title") == []


def test_about_is_narrower_for_a_figure_given_to_more_digits():
    """'about 16.3 million' (three digits) allows 5%, not the 10% of a round 'about 500,000'."""
    def value(text: str, counted: str):
        return next(c.value for c in claims.extract(Document(id="t.txt", raw=text)) if c.subject == counted)

    precise = value("T-Mobile is a subsidiary company of Deutsche Telekom and has about 16.3 million subscribers in the US.", "subscribers")
    assert not precise.agrees(value("T-Mobile has 15.1 million subscribers in the US.", "subscribers"))
    assert precise.agrees(value("T-Mobile has 16.2 million subscribers in the US.", "subscribers"))
    round_ = value("There are more than 6,000 exhibitors registered and about 500,000 visitors are expected.", "visitors")
    assert round_.agrees(value("Organisers expect 460,000 visitors.", "visitors"))


def test_a_year_earlier_is_no_rate():
    [c] = [c for c in claims.extract(Document(id="t.txt", raw="Profits rose to $1.13bn from $639m a year earlier.")) if c.display.startswith("$639")]
    assert c.value.unit == "USD"
    [d] = [c for c in claims.extract(Document(id="t.txt", raw="The pass costs $40 a year.")) if c.kind == "money"]
    assert d.value.unit == "USD/year"


@pytest.mark.parametrize(
    "text,direction",
    [
        ("Drug developer Inspire Pharmaceuticals Inc. ISPH.O tumbled $2.17, or 13.4 percent, to $13.98.", -1),
        ("The technology-laced Nasdaq Composite Index <.IXIC> shed 15 points, or 0.98 percent, to 1,492.", -1),
        ("Telecom equipment maker Lucent Technologies Inc. rallied 43 cents, or 12.3 percent, to $3.95.", 1),
    ],
)
def test_market_verbs_give_the_move_its_direction(text, direction):
    moves = [c for c in claims.extract(Document(id="t.txt", raw=text)) if c.kind in ("money", "number", "percent") and not c.value.level]
    assert moves and all(c.value.direction == direction for c in moves)
    assert all(c.extra.get("base") for c in moves)  # and, with the level reached, where the move started


def test_a_fraction_of_a_point_is_a_move_in_points():
    [points, pct] = [c for c in claims.extract(Document(id="t.txt", raw="The Dow Jones industrial average eased 0.45 of a point, or 0.01 percent, to 9,310.56.")) if c.kind in ("number", "percent")]
    assert points.subject == "points" and points.value.direction == -1 and pct.value.direction == -1
    assert abs(sum(points.extra["base"][:2]) / 2 - 9311.01) < 0.01  # 9,310.56 + 0.45
    [other] = [c for c in claims.extract(Document(id="t.txt", raw="The Dow slipped 0.26 point.")) if c.kind == "number"]
    assert other.subject == "points"


def test_from_to_is_a_range_after_a_price_word_and_a_change_after_a_verb():
    def money(text: str) -> list[str]:
        return [str(c.value) for c in claims.extract(Document(id="t.txt", raw=text)) if c.kind == "money"]

    assert money("A used Cooper S is likely to be priced from £12,556 to £14,000, according to Parker's.") == ["12,556–14,000 GBP"]
    # a change from one level to another stays two figures
    assert len(money("The report suggests cutting national spending limits from £20m to £15m.")) == 2
    assert len(money("The club managed to reduce its losses last year from £20.6m to £1.2m.")) == 2


def _units_copy(tmp_path):
    """A copy of the bundled claim data to edit: (folder, its units.yaml, the file's text)."""
    import shutil

    from qualcheck.bundled import bundled_rules_dir

    folder = tmp_path / "data"
    shutil.copytree(bundled_rules_dir() / "agreement" / "data", folder)
    units = folder / "units.yaml"
    return folder, units, units.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,key",
    [
        ("  4: 0.2", "  4: 2", "approximate-width"),
        ("range-words: [priced,", "range-words: [no,", "range-words"),
        ("  CHF: {words: [Swiss francs]}", "  Chf: {words: [Swiss francs]}", "currencies.Chf"),
        ("mln: 1000000,", "mln: 0,", "scales"),
    ],
)
def test_unit_data_is_checked_at_load(tmp_path, old, new, key):
    from qualcheck.errors import RuleFileError

    folder, units, text = _units_copy(tmp_path)
    assert old in text
    units.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleFileError, match=key):
        claims.vocabulary(str(folder) + "/" * len(key))  # another folder string each time: vocabulary() is cached


@pytest.mark.parametrize(
    "text,title,person,value",
    [
        # before the name: the span runs to the name, as for "French President Emmanuel Macron"
        ("President of the Russian Federation Dmitry Medvedev said so.", "President of the Russian Federation Dmitry Medvedev",
         "Dmitry Medvedev", ("president", "Russian")),
        ("Prime Minister of India Narendra Modi arrived.", "Prime Minister of India Narendra Modi", "Narendra Modi", ("prime minister", "Indian")),
        ("the former President of France Jacques Chirac said", "former President of France Jacques Chirac", "Jacques Chirac",
         ("former president", "French")),
        # in apposition: the span is the office
        ("Olaf Scholz, Chancellor of Germany, said so.", "Chancellor of Germany", "Olaf Scholz", ("chancellor", "German")),
        ("Justin Trudeau, the prime minister of Canada, said so.", "prime minister of Canada", "Justin Trudeau", ("prime minister", "Canadian")),
        ("The President of the People's Republic of China, Xi Jinping, said so.", "President of the People's Republic of China",
         "Xi Jinping", ("president", "Chinese")),
    ],
)
def test_an_office_of_a_country_is_a_title(text, title, person, value):
    [c] = _claims(text, "person-title")
    assert (c.text, c.extra["person"], c.value) == (title, person, value)


@pytest.mark.parametrize(
    "text",
    [
        "Mayor of London Sadiq Khan said so.",  # a city's office, not the country's
        "The chief executive of China Aviation Oil Chen Jiulin was arrested.",  # a company's office
        "He is president of the Pakistan Association of Dermatologists.",  # an organisation named after the country
        "the Minister of Foreign Affairs of Russia said",  # no name
    ],
)
def test_what_is_not_an_office_of_a_country(text):
    assert _claims(text, "person-title") == []


@pytest.mark.parametrize(
    "text,low,high",
    [
        ("Officials said 600 000 soldiers died at Verdun.", 600_000, 600_000),  # a space between groups
        ("Officials said 1\u00a0250\u00a0000 people fled.", 1_250_000, 1_250_000),  # no-break spaces
        ("Officials said 42\u202f300 people fled.", 42_300, 42_300),  # narrow no-break space (French style)
        ("Officials said 36.658.166 people live there.", 36_658_166, 36_658_166),  # dots between groups
        ("Officials said 8.400 refugees crossed on Monday.", 8_400, 8_400),  # one dot before a counted noun
        ("Officials said 2,07 million people live there.", 2_070_000, 2_070_000),  # a decimal comma before a scale word
    ],
)
def test_figures_grouped_as_other_languages_write_them(text, low, high):
    [c] = _claims(text, "number")
    assert (c.value.low, c.value.high) == pytest.approx((low, high))


@pytest.mark.parametrize(
    "text,value",
    [
        ("The jobless total rose to 4.875 million people.", 4_875_000),  # a decimal before a scale word
        ("The 10-year note was yielding 3.782 percent.", 3.782),  # a decimal of a percentage
        ("He will be paid $24.125 million.", 24_125_000),
    ],
)
def test_decimals_with_three_digits_stay_decimals(text, value):
    [c] = [c for c in claims.extract(Document(id="x.txt", raw=text)) if c.kind in ("number", "percent", "money")]
    assert c.value.low == pytest.approx(value)


def test_a_telephone_number_is_no_space_grouped_figure():
    found = claims.extract(Document(id="x.txt", raw="Call 0800 555 111 about the 300 people who were moved."))
    assert all(c.value.low < 1000 for c in found if c.kind == "number")


@pytest.mark.parametrize(
    "text,value",
    [
        ("The summit opened on the 14th of March, officials said.", ("date", 3, 14, None)),
        ("The summit opened on 14 of March, officials said.", ("date", 3, 14, None)),  # as translations write it
        ("The summit opened on 14.03.2019, officials said.", ("date", 3, 14, 2019)),  # day first, dots
        ("The summit opened on 2019-03-14, officials said.", ("date", 3, 14, 2019)),
        ("The summit opened on 14/03/2019, officials said.", ("date", 3, 14, 2019)),  # 14 is no month
        ("The summit opened on 03/14/2019, officials said.", ("date", 3, 14, 2019)),
    ],
)
def test_dates_written_in_other_ways(text, value):
    assert [c.value for c in _claims(text, "date")] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "The summit opened on 04/03/2019, officials said.",  # March 4 or April 3
        "Posted on 14/03/2019 10:15 by the desk",  # the page's stamp
        "By Jo Smith 14/03/2019 | Related articles",  # a byline's date: no preposition before it
        "Comment by reader on 2019-03-14 17:05:23",  # a time stamp
    ],
)
def test_dates_in_figures_that_are_no_claim(text):
    assert _claims(text, "date") == []


@pytest.mark.parametrize(
    "text",
    [
        "Merkel said: «We will not send troops to the region, whatever happens there».",  # French, Russian
        "Merkel said: „We will not send troops to the region, whatever happens there“.",  # German
        "Merkel said: »We will not send troops to the region, whatever happens there«.",  # German, Danish
        "«We will not send troops to the region, whatever happens there», Merkel said.",
    ],
)
def test_quotes_in_the_marks_other_languages_use(text):
    [q] = _claims(text, "quote")
    assert q.text == "We will not send troops to the region, whatever happens there"
    assert q.extra["speaker"] == "Merkel"


@pytest.mark.parametrize(
    "text,low,unit",
    [
        ("The contract is worth USD 6.8 billion, officials said.", 6.8e9, "USD"),  # a code before the figure
        ("The contract is worth 6.8 billion USD, officials said.", 6.8e9, "USD"),  # and after it
        ("The contract is worth CHF 120 million, officials said.", 1.2e8, "CHF"),
        ("The contract is worth 500 mln euros, officials said.", 5e8, "EUR"),  # a wire's scale word
        ("The contract is worth Rs 500 crore, officials said.", 5e9, "INR"),  # an Indian scale word
        ("The contract is worth 481 million yuan, officials said.", 4.81e8, "CNY"),
        ("The contract is worth A$75m, officials said.", 7.5e7, "AUD"),
        ("The contract is worth ₽300 million, officials said.", 3e8, "RUB"),
    ],
)
def test_money_in_codes_signs_and_scales_of_many_countries(text, low, unit):
    [c] = _claims(text, "money")
    assert c.value.low == pytest.approx(low) and c.value.unit == unit


def test_a_code_in_lower_case_is_a_word():
    assert _claims("They try 500 times a day and usd 20 there.", "money") == []


def test_an_older_unit_file_takes_the_bundled_currencies(tmp_path):
    folder, units, text = _units_copy(tmp_path)
    # an editor's older units.yaml without the sections: the bundled currencies and scales are used
    cut = text[: text.index("# Money.")]
    units.write_text(cut, encoding="utf-8")
    vocab = claims.vocabulary(str(folder) + "//")
    assert vocab.money.signs["€"] == "EUR" and vocab.scales["bn"] == 1e9
