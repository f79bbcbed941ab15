"""Metadata: what scraped residue says about title, date and source; explicit fields win."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcheck import metadata
from qualcheck.document import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed(stem: str) -> Document:
    path = next(SEEDS.glob(f"{stem}_*.txt"))
    return Document(id=path.name, raw=path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "stem,title,date,source",
    [
        ("000", None, "2022-02-08", None),  # ' date 2022-02-08' glued to the first sentence
        ("001", "Putin accuses America of wanting to drag Russia along in war", None, "AsumeTech"),
        ("002", "US, NATO ‘ignored’ Russia’s key concerns over Ukraine, says Putin", None, None),  # trailing '-'
        ("003", "Putin says the West has ignored Russia’s security concerns over NATO and Ukraine", None, "government.vision"),
        ("004", None, "2021-12-26", None),  # 'posted on 12/26/2021 5:10 PM' is the publication date
    ],
)
def test_seed_metadata(stem, title, date, source):
    doc = _seed(stem)
    assert (doc.title, doc.date, doc.source) == (title, date, source)
    if doc.meta.title_span:
        assert doc.raw[doc.meta.title_span.start : doc.meta.title_span.end] == title


@pytest.mark.parametrize(
    "text,field,value",
    [
        (" date 2022-02-08 Russian President Vladimir Putin spoke.", "date", "2022-02-08"),
        ("posted on 12/26/2021 5:10 PM\n\nPutin spoke.", "date", "2021-12-26"),
        ("Published: 1/2/2022\n\nPutin spoke.", "date", "2022-01-02"),
        (" date 2022-02-31 impossible day.", "date", None),
        ("Putin warns the West -government.vision\n\nPutin spoke.", "title", "Putin warns the West"),
        ("Putin warns the West -government.vision\n\nPutin spoke.", "source", "government.vision"),
        ("Putin warns the West | Daily Planet\n\nPutin spoke.", "source", "Daily Planet"),
        ("Putin warns the West, says Kremlin-\n\nPutin spoke.", "title", "Putin warns the West, says Kremlin"),
        ("Putin spoke at length today.\n\nFollow AsumeTech on", "source", "AsumeTech"),
        ("Putin spoke at length today.\n\nThen more text.", "source", None),
    ],
)
def test_parse_residue(text, field, value):
    assert getattr(metadata.parse(text), field) == value


def test_jsonl_fields_win_over_residue():
    text = "Putin warns the West -government.vision\n\n date 2022-02-08 Putin spoke.\n\nFollow AsumeTech on"
    meta = metadata.parse(text, {"title": "Field title", "source": "Reuters", "date": "2022-02-09"})
    assert (meta.title, meta.source, meta.date) == ("Field title", "Reuters", "2022-02-09")
    assert meta.source_evidence == "field"
    # the residue's title span is still found, so it can be reported
    assert text[meta.title_span.start : meta.title_span.end] == "Putin warns the West"


def test_source_from_url_when_nothing_else():
    meta = metadata.parse("Putin spoke at length today.", {"url": "https://www.tass.com/world/1"})
    assert (meta.source, meta.source_evidence) == ("tass.com", "url")


@pytest.mark.parametrize(
    "text,date",
    [
        ("Leaders react to the crisis\n\nFebruary 24, 2022\n\nThe talks went on.", "2022-02-24"),
        ("Published: February 8, 2022 10:15 AM\n\nPutin spoke.", "2022-02-08"),  # BP201's own example
        ("Thursday 24 February 2022 10.30 GMT\nPutin spoke.", "2022-02-24"),
        ("Mar. 31, 2021 at 9:30 a.m. ET\nThe talks went on.", "2021-03-31"),
        ("Updated 3rd of May 2019\nThe talks went on.", "2019-05-03"),
        ("Last updated: March 3, 2012\nPublished: May 5, 2004\n\nThe talks went on.", "2004-05-05"),  # written, not updated
        ("By Jane Smith | Sept 9, 2015\n\nThe talks went on.", "2015-09-09"),
        ("Headline\n\n2020-11-03\n\nThe talks went on.", "2020-11-03"),
        ("February 30, 2022\n\nThe talks went on.", None),  # no such day
        ("The summit on February 24, 2022 was tense.\n", None),  # a date in a sentence is not the stamp
        ("Talks\n\nThe figures, updated on March 3, 2021, show growth.\n", None),  # nor a label in prose
        ("Talks\nBy Jane Smith, Published 4 May 2020\n\nText.", "2020-05-04"),
        ("One.\nTwo.\nThree.\nFour.\nFive.\nSix.\nFebruary 24, 2022\n", None),  # a timeline's line, not the head
    ],
)
def test_a_date_stamp_in_the_head_dates_the_article(text, date):
    assert metadata.parse(text).date == date


@pytest.mark.parametrize(
    "text,title",
    [
        ("February 24, 2022\n\nLeaders react to the crisis\n\nThe talks went on.", "Leaders react to the crisis"),
        ("By Jane Smith\n\nLeaders react to the crisis\n\nThe talks went on.", "Leaders react to the crisis"),
        ("By the river they stood\n\nThe talks went on.", "By the river they stood"),  # a headline, not a byline
        ("Leaders react to the crisis\n\nFebruary 24, 2022\n\nThe talks went on.", "Leaders react to the crisis"),
    ],
)
def test_a_date_stamp_or_byline_above_the_headline_is_not_the_headline(text, title):
    assert metadata.parse(text).title == title


@pytest.mark.parametrize(
    "text,title",
    [
        # the site's path above the headline, in the headline's paragraph or as a paragraph of its own
        ("Home | World | Europe | Politics\nGermany pledges more aid to Ukraine\n\nGermany will send aid.", "Germany pledges more aid to Ukraine"),
        ("News › UK › Politics\n\nJohnson resigns as party leader\n\nBoris Johnson resigned on Thursday.", "Johnson resigns as party leader"),
        ("Sport / Football / Premier League\n\nCity win the title again\n\nCity won on Sunday.", "City win the title again"),
        # unspaced paths, as many sites write them
        ("Home>Business>Markets\n\nOil prices fall again\n\nOil fell on Monday.", "Oil prices fall again"),
        ("News»World»Asia\nFloods hit the capital\n\nRain fell for a week.", "Floods hit the capital"),
        # a byline under the headline with no blank line between
        ("Germany pledges more aid to Ukraine\nBy Anna Schmidt, Berlin correspondent | 5 min read\n\nGermany will send aid.",
         "Germany pledges more aid to Ukraine"),
        # a headline with one slash or a date with slashes is no path
        ("Germany, France and Italy agree / disagree on the budget\n\nThe talks went on.", "Germany, France and Italy agree / disagree on the budget"),
        ("posted on 12/26/2021 5:10 PM\n\nLeaders react to the crisis\n\nThe talks went on.", "Leaders react to the crisis"),
    ],
)
def test_a_site_path_or_a_byline_around_the_headline_is_not_the_headline(text, title):
    assert metadata.parse(text).title == title
