"""Line features: what each says about a line of real scraped text."""

from __future__ import annotations

import pytest

from qualcheck import line_features

STOP = frozenset("the a of to and in on for was said with at after from he his had have".split())
LINES = [
    "Rovers beat Burnley to go top",
    "Home | News | Sport | Weather",
    "Blackburn Rovers went top of the table on Tuesday night after a 2-0 win over Burnley at Ewood Park.",
    "Roberts opened the scoring after 20 minutes when he met a cross from Pedersen at the far post.",
    "Burnley: Jensen, Duff, Caldwell, McCann, Harley",
    "Posted by Dave at 10:42 PM",
    "© 2008 Lancashire Newspapers. All rights reserved.",
]
ROWS = line_features.features(LINES, [False, True, False, False, False, False, False], STOP, title=LINES[0])
F = {name: [row[i] for row in ROWS] for i, name in enumerate(line_features.NAMES)}


def test_one_row_of_every_feature_per_line():
    assert len(ROWS) == len(LINES) and all(len(r) == len(line_features.NAMES) for r in ROWS)
    assert len(set(line_features.NAMES)) == len(line_features.NAMES)


@pytest.mark.parametrize("name,line,value", [
    ("prose", 2, 1.0), ("prose", 1, 0.0), ("prose", 5, 0.0),
    ("log_separators", 1, pytest.approx(1.3863, abs=1e-3)),  # three bars: log1p(3)
    ("copyright", 6, 1.0), ("copyright", 2, 0.0),
    ("year_or_time", 5, 1.0), ("flagged", 1, 1.0), ("prev_flagged", 2, 1.0), ("next_flagged", 0, 1.0),
    ("prev2_missing", 0, 1.0), ("prev2_missing", 2, 0.0), ("next2_missing", 6, 1.0),
])
def test_feature_values(name, line, value):
    assert F[name][line] == value


def test_stopwords_separate_prose_from_a_menu():
    assert F["stop_share"][2] >= 0.3 and F["stop_share"][1] == 0.0


def test_prose_mass_above_and_below_place_a_line_in_the_document():
    # the menu has all the prose below it, the copyright line all of it above
    assert F["prose_above"][1] == 0.0 and F["prose_below"][1] == 1.0
    assert F["prose_above"][6] == 1.0 and F["prose_below"][6] == 0.0
    assert F["inside_prose"][1] == 0.0 and F["inside_prose"][6] == 0.0


def test_names_the_prose_names_count_for_a_line_up():
    # "Burnley: Jensen, Duff..." names no one the prose names (a line's first word is left out: sentence case)
    assert F["names_in_prose"][4] == 0.0
    rows = line_features.features(["Rovers win", LINES[2], "Scorers: Pedersen, McCarthy", LINES[3]], [False] * 4, STOP)
    assert rows[2][line_features.NAMES.index("names_in_prose")] == 0.5  # Pedersen is in the prose, McCarthy is not


def test_a_short_run_is_measured_across_consecutive_non_prose_lines():
    i = line_features.NAMES.index("log_short_run")
    assert ROWS[4][i] == ROWS[5][i] == ROWS[6][i] > ROWS[0][i]


def test_a_repeated_title_is_noticed_and_an_empty_document_gives_no_rows():
    rows = line_features.features(["Rovers beat Burnley", "Text.", "Rovers beat Burnley"], [False] * 3, STOP, title="Rovers beat Burnley")
    assert [r[line_features.NAMES.index("repeats_title")] for r in rows] == [0.0, 0.0, 1.0]
    assert line_features.features([], [], STOP) == []
