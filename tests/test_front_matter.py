"""Front matter: a Markdown article's title, date and source come from it; a broken one is one warning."""

from __future__ import annotations

import pytest

from qualcheck import front_matter
from qualcheck.document import Document

BODY = "\nTurkish Prime Minister Recep Tayyip Erdogan offered to host the talks in Istanbul.\n"


def _md(head: str, fields=None) -> Document:
    return Document(id="articles/a.md", raw=head + BODY, format="md", fields=fields or {})


@pytest.mark.parametrize(
    "head,title,date,source",
    [
        ('---\ntitle: "Talks offered"\ndate: 2022-02-24T10:00:00Z\nsource: Example Wire\n---\n', "Talks offered", "2022-02-24", "Example Wire"),
        ("---\ntitle: Talks offered\ndate: 2022-02-24\npublisher: Example Wire\n---\n", "Talks offered", "2022-02-24", "Example Wire"),
        ("---\nTitle: Talks offered\nPublishDate: 'February 24, 2022'\n---\n", "Talks offered", "2022-02-24", None),
        ('+++\ntitle = "Talks offered"\ndate = 2022-02-24T10:00:00Z\nsource = "Example Wire"\n+++\n', "Talks offered", "2022-02-24", "Example Wire"),
        ("---\ntitle: Talks offered\ndate: not a date\ntags: [a, b]\n---\n", "Talks offered", None, None),
        ("---\n---\n", None, None, None),
    ],
)
def test_front_matter_gives_title_date_and_source(head, title, date, source):
    doc = _md(head)
    assert (doc.title, doc.date, doc.source) == (title, date, source)
    assert not doc.notices
    assert "Talks offered" not in doc.text  # still blanked for the checks, offsets kept
    assert len(doc.text) == len(doc.raw)


def test_a_records_own_fields_win_over_its_front_matter():
    doc = _md("---\ntitle: From front matter\ndate: 2022-02-24\n---\n", {"title": "From the record"})
    assert (doc.title, doc.date) == ("From the record", "2022-02-24")


@pytest.mark.parametrize(
    "head,problem",
    [
        ("---\ntitle: [unclosed\n---\n", "front matter is not valid YAML"),
        ('+++\ntitle = "unclosed\n+++\n', "front matter is not valid TOML"),
        ("---\n- a\n- b\n---\n", "front matter is a list, not a table of keys"),
        ("---\n" + "x: " + "y" * 25_000 + "\n---\n", "not read"),
        ("---\ntitle: Talks\ndate: 2022-13-45\n---\n", "front matter is not valid YAML: month must be in 1..12"),
        ("---\ndate: 2022-02-30 10:00:00\n---\n", "front matter is not valid YAML: day is out of range"),
        ("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n", "front matter is not valid YAML"),
        ("---\n!!python/object/apply:os.system [echo hi]\n---\n", "front matter is not valid YAML"),
    ],
)
def test_a_broken_front_matter_is_one_warning_and_the_article_is_still_checked(head, problem):
    doc = _md(head)
    [notice] = doc.notices
    assert notice.level == "warning" and notice.document == "articles/a.md" and problem in notice.message
    assert "\n" not in notice.message
    assert doc.date is None and "Erdogan" in doc.text


def test_a_txt_article_starting_with_dashes_has_no_front_matter():
    doc = Document(id="a.txt", raw="---\ntitle: x\n---\nText.")
    assert doc.title != "x" and doc.date is None and not doc.notices


def test_an_alias_bomb_is_not_expanded():
    """Aliases build shared references; only scalar values are taken, so nothing is walked."""
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi")
    ) + "title: Safe\n---\n"
    assert front_matter.fields(bomb + BODY) == {"title": "Safe"}


def test_the_front_matter_date_decides_which_office_a_person_held(tmp_path):
    """A content repository's article dated in its front matter is judged on that day."""
    from qualcheck import engine, ruleset

    fa102 = [r for r in ruleset.load().rules if r.code == "FA102"]
    docs = [_md("---\ntitle: Talks offered\ndate: 2022-02-24\n---\n"),
            Document(id="articles/b.md", raw="---\ntitle: Talks offered\ndate: 2010-05-12\n---\n" + BODY, format="md")]
    report = engine.check(docs, fa102)
    assert [f.document for f in report.findings if f.code == "FA102"] == ["articles/a.md"]
