"""Residue in blocks (BP306) and the article's own head and tail lines (BP301, BP302) on scraped-news shapes.

Each case is a shape seen on the tune sites of L3S-GN1 or in edited news, written afresh (the data
set is never copied here)."""

from __future__ import annotations

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document, normalise_newlines

BP = ruleset.load().select(["BP"], [])

TITLE = "Bhutto buried as violence spreads across Pakistan"
P1 = "Benazir Bhutto was buried on Friday beside her father in the family mausoleum near Larkana."
P2 = "Gun battles broke out in Karachi and Lahore as her supporters blamed the government for her death."
P3 = "The Interior Ministry said she had died when her head struck the lever of her car's sunroof."


def flagged(*lines: str) -> dict[str, set[str]]:
    """Line -> codes of the BP findings on it, for a document of these lines (a blank line between)."""
    doc = Document(id="a.txt", raw=normalise_newlines("\n\n".join(lines)))
    out: dict[str, set[str]] = {}
    for f in engine.check([doc], BP).findings:
        out.setdefault(f.excerpt, set()).add(f.code)
    return out


def test_the_headlines_under_a_related_box_between_paragraphs_are_flagged():
    """The box's label is a phrase rule's; the headlines under it name the article's names, which
    made them the article's own list before."""
    found = flagged(TITLE, P1, "Related Articles", "Militant group denies killing Bhutto",
                    "Bhutto aides cast doubt on official account of her death", "Bhutto maps her return", P2, P3)
    assert found.get("Militant group denies killing Bhutto") == {"BP306"}
    assert found.get("Bhutto aides cast doubt on official account of her death") == {"BP306"}
    assert found.get("Bhutto maps her return") == {"BP306"}
    assert "Related Articles" in found
    assert not {P1, P2, P3} & found.keys()


def test_a_share_bar_between_paragraphs_is_flagged_around_its_known_buttons():
    found = flagged(TITLE, P1, "Print", "Fark", "Newsvine", "Yahoo", P2, P3)
    assert {"Fark", "Newsvine", "Yahoo"} <= found.keys()


@pytest.mark.parametrize(
    "block",
    [
        ["What happens next"],  # a subheading stands alone
        ["- Curfews in Karachi and Lahore", "- Three days of national mourning", "- Elections still due on 8 January"],
        ["Karachi", "Lahore", "Larkana"],  # a list of the article's places, nothing flagged among them
    ],
)
def test_the_articles_own_lines_between_paragraphs_are_left_alone(block):
    assert flagged(TITLE, P1, *block, P2, P3) == {}


def test_the_articles_own_headline_in_a_block_above_its_first_paragraph_is_left_alone():
    """Scraped with the page's lines above it, the headline sits in a run of short lines that holds a
    flagged one (a share button); it shares its words with the paragraph under it."""
    found = flagged("Top stories from our network tonight.", "Print", "Aussies need doubles win at Hopman Cup",
                    "Australia's team in the Hopman Cup will need to win the mixed doubles tonight to stay in contention.",
                    "Alicia Molik lost her singles match against Sania Mirza earlier in the day.")
    assert "Aussies need doubles win at Hopman Cup" not in found


def test_three_related_headlines_at_the_tail_are_residue_though_they_name_the_articles_names():
    found = flagged(TITLE, P1, P2, P3, "Militant group denies killing Bhutto",
                    "Bhutto aides cast doubt on official account of her death", "Karachi mourners defy curfew for Bhutto")
    assert len(found) == 3 and all(codes == {"BP301"} for codes in found.values())


def test_a_line_up_under_the_article_still_belongs_to_it():
    found = flagged("Rovers beat Burnley", "Rovers went top after a 2-0 win over Burnley at Ewood Park, with goals from Jason Roberts and David Dunn.",
                    "Player of the match", "David Dunn")
    assert found == {}


@pytest.mark.parametrize(
    "byline",
    [
        ["By Faisal Islam", "Economics editor, BBC News"],
        ["By Simon Jack", "Business editor"],
        ["Laura Smith", "BBC News, Truro"],
        ["By JANE SMITH, Staff Writer"],
    ],
)
def test_a_byline_and_its_role_above_the_first_paragraph_are_the_articles(byline):
    assert flagged(TITLE, *byline, P1, P2, P3) == {}


def test_menu_items_that_look_like_a_name_over_a_desk_are_still_residue():
    found = flagged(TITLE, "Internet News", "Latest India News", "Weight Loss", P1, P2, P3)
    assert {"Internet News", "Latest India News", "Weight Loss"} <= found.keys()


@pytest.mark.parametrize(
    "tail",
    [
        ["Additional reporting by Jane Doe"],
        ["(Editing by Pritha Sarkar)"],
        ["With files from the Canadian Press"],
        ["The main changes are:", "National Insurance cut by 2p", "Fuel duty up 5p a litre", "Child benefit threshold raised to £60,000"],
    ],
)
def test_the_articles_own_closing_lines_are_left_alone(tail):
    assert flagged(TITLE, P1, P2, P3, *tail) == {}


@pytest.mark.parametrize("prompt", ["Link this story:", "Related to this story:", "Spread the news by clicking below:"])
def test_a_pages_prompt_ending_in_a_colon_heads_no_list_of_the_articles(prompt):
    found = flagged(TITLE, P1, P2, P3, prompt, "Digg", "Reddit")
    assert {"Digg", "Reddit"} <= found.keys()


def test_dates_in_a_block_of_residue_are_the_pages_archive_not_a_fact_box():
    found = flagged(TITLE, P1, "Archives", "January 2008", "December 2007", "November 2007", P2, P3)
    assert {"January 2008", "December 2007", "November 2007"} <= found.keys()


def test_a_sites_name_in_its_copyright_line_does_not_make_its_menu_the_articles():
    """The article's names are its paragraphs', not those of a short prose line of the page."""
    long1 = P1[:-1] + ", where thousands of mourners had gathered since dawn."
    long2 = P2[:-1] + " and the army was called out in three provinces."
    found = flagged(TITLE, long1, "Print", "Sindh Chronicle Jobs", "Sindh Chronicle Motors", long2, P3,
                    "© 2008 Sindh Chronicle.")
    assert {"Sindh Chronicle Jobs", "Sindh Chronicle Motors"} <= found.keys()
