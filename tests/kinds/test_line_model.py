"""line-model (BP305): the trained residue line model on whole scraped pages and on article text."""

from __future__ import annotations

import json

import pytest

from qualcheck import engine, line_features, ruleset
from qualcheck.bundled import bundled_rules_dir
from qualcheck.document import Document
from qualcheck.kinds.line_model import load_model

RULESET = ruleset.load()
BP = RULESET.select(["BP", "BP305"], [])
ARTICLE = [
    "Blackburn Rovers went top of the table on Tuesday night after a 2-0 win over Burnley at Ewood Park, "
    "with goals in each half from Jason Roberts and Benni McCarthy.",
    "Roberts opened the scoring after 20 minutes when he met a cross from Morten Gamst Pedersen at the far post, "
    "and McCarthy added a second from the penalty spot shortly after the break.",
    '"We were patient and we took our chances," said manager Mark Hughes, whose side have now won five league games in a row.',
    "Burnley, who had not lost away from home since August, rarely threatened and finished the game with ten men "
    "after a late red card.",
    "Rovers travel to Wigan on Saturday, when Hughes expects to have David Dunn back from a hamstring injury.",
]
# a site's section menu under its tagline: no phrase rule knows these words, and the tagline, a
# sentence, stops BP302's scan from the head
MENU = ["Blackburn", "Burnley", "Hyndburn", "Ribble Valley", "Rossendale", "Pendle", "Business", "Crime",
        "Education", "Health", "Politics", "Motoring", "Property", "Leisure", "Family notices"]
PAGE = (["Rovers beat Burnley to go top", "Your local news, sport and weather for East Lancashire since 1886."]
        + MENU + ["Friday 14 March 2008"] + ARTICLE
        + ["Add your comment", "Name", "Email", "Comment", "Submit", "Contact us", "Advertise", "Jobs", "Terms and conditions"])


def flagged(lines: list[str], code: str = "BP305") -> list[str]:
    report = engine.check([Document(id="page.txt", raw="\n\n".join(lines))], BP)
    return [f.excerpt for f in report.findings if f.code == code]


def test_a_section_menu_no_rule_knows_is_flagged_on_a_whole_page():
    found = flagged(PAGE)
    assert found and set(found) <= set(MENU)
    assert {"Crime", "Education"} <= set(found)  # the model's surest: mid-menu, far from the prose


def test_the_article_and_its_title_are_never_flagged_on_the_page():
    found = flagged(PAGE)
    assert not set(found) & set(ARTICLE + PAGE[:2])


def test_lines_another_bp_rule_flags_are_left_to_it():
    report = engine.check([Document(id="page.txt", raw="\n\n".join(PAGE))], BP)
    by_line: dict[str, set[str]] = {}
    for f in report.findings:
        by_line.setdefault(f.excerpt, set()).add(f.code)
    assert by_line["Terms and conditions"] == {"BP301"}
    assert all(len(codes) == 1 for codes in by_line.values())


@pytest.mark.parametrize(
    "tail",
    [
        # a match report's own line-ups, referee and attendance
        ["Rovers: Friedel, Emerton, Samba, Nelsen, Warnock, Bentley, Savage, Dunn, Pedersen, Roberts, McCarthy.",
         "Burnley: Jensen, Duff, Caldwell, McCann, Harley, Elliott, Mahon, Jones, Gudjonsson, Gray, Lafferty.",
         "Referee: Mike Dean (Wirral)", "Attendance: 23,871"],
        # a fact box under the article
        ["HEAD TO HEAD", "Played 112", "Rovers wins 48", "Burnley wins 41", "Draws 23"],
    ],
)
def test_an_articles_own_closing_lists_are_not_flagged(tail):
    assert flagged(["Rovers beat Burnley to go top", *ARTICLE, *tail]) == []


def test_it_is_opt_in():
    assert "BP305" not in {r.code for r in RULESET.select(["BP"], [])}


def test_the_model_file_matches_the_features_and_names_its_training(tmp_path):
    rule = RULESET.by_code("BP305")
    data = json.loads((bundled_rules_dir() / rule.params.model).read_text(encoding="utf-8"))
    assert data["features"] == list(line_features.NAMES)
    assert "train_line_model.py" in data["command"] and "tune half" in data["data"]
    assert abs(data["threshold"] - rule.params.threshold) < 1e-9
    stale = dict(data, features=data["features"][:-1])
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(stale))
    with pytest.raises(ValueError, match="retrain"):
        load_model(str(path))

