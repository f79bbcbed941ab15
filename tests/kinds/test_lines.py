"""Structural boilerplate kinds (edge-lines, stray-headline, repeated-line) on real scraped text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcheck import engine, ruleset
from qualcheck.document import Document, normalise_newlines
from qualcheck.kinds.lines import is_heading_case, is_prose, starts_lowercase

RULES = {r.code: r for r in ruleset.load().rules}
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
P1 = "Russian President Vladimir Putin met Hungary's prime minister on Tuesday."
P2 = "He said the West had ignored Russia's demands over NATO."
P3 = "Talks will go on next week in Berlin, officials said."

# Every residue line of the seeds (the issue lists them) and nothing else may be flagged by BP rules.
SEED_RESIDUE = {
    "000_08a5b9ee43d040ad.txt": {"date 2022-02-08", "US, West drawing us into a military conflict: Putin"},
    "001_5ad0f26136440ebb.txt": {"Read More About: World News", "Follow AsumeTech on", "More From Category",
                                 "More Stories Today", "Leave a Reply"},
    "002_95a1c4ae04f2f19f.txt": {"-", "What are US options for sanctions against Russia President Vladimir Putin?-",
                                 "Source link"},
    "003_a670b415abc76fb3.txt": {"-government.vision",
                                 "Putin says the West has ignored Russia’s security concerns over NATO and Ukraine",
                                 "Leave a Reply",
                                 "Your email address will not be published. Required fields are marked *"},
    "004_7d38692210c993ff.txt": {"date 2021-12-28", "posted on 12/26/2021 5:10 PM", "(credit: Mikhail Metzel/AFP)"},
}


def _run(texts, *codes):
    docs = [Document(id=f"d{i}.txt", raw=normalise_newlines(t)) for i, t in enumerate(texts)]
    report = engine.check(docs, [RULES[c] for c in codes])
    for d in report.documents:
        for f in d.findings:
            assert f.excerpt == d.text[f.span.start : f.span.end]
    return report


def _excerpts(raw: str, code: str) -> list[str]:
    return [f.excerpt for f in _run([raw], code).findings if f.code == code]


def test_every_seed_residue_is_flagged_and_no_seed_prose():
    docs = [Document(id=p.name, raw=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    report = engine.check(docs, [r for r in RULES.values() if r.category == "boilerplate"])
    for d in report.documents:
        flagged = {f.excerpt for f in d.findings}
        assert flagged == SEED_RESIDUE[d.document], d.document


@pytest.mark.parametrize(
    "line,prose",
    [
        ("Putin spoke on Tuesday.", True),
        ("“We have no choice,” he said.”", True),
        ("Leave a Reply", False),
        ("What are US options for sanctions against Russia?-", False),
        ("", False),
        (" ".join(["word"] * 16), True),  # longer than any menu item
    ],
)
def test_is_prose(line, prose):
    assert is_prose(line, 15) is prose


@pytest.mark.parametrize(
    "line,lower,heading",
    [
        ("Pricing and Availability", False, True),
        ("WHEN THE PACKERS HAVE THE BALL", False, True),
        ("US, West drawing us into a military conflict: Putin", False, False),
        ("than beer itself", True, False),
        ("“quoted start", True, False),
        ("🌅 sunrise over Kyiv", True, False),
        ("2000 GMT", False, False),
    ],
)
def test_line_shapes(line, lower, heading):
    assert starts_lowercase(line) is lower
    assert is_heading_case(line) is heading


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("", []),
        (f"{P1}\n\n{P2}", []),
        (f"Title\n\n{P1}\n\nWorld News Today\n\nOur Network", ["World News Today", "Our Network"]),
        (f"Title\r\n\r\n{P1}\r\n\r\nOur Network\r\n", ["Our Network"]),  # CRLF
        (f"🌅 Title\n\n{P1}\n\n🌅 Our Network", ["🌅 Our Network"]),  # emoji before the span
        # a bulleted list closing the article is the article's own
        (f"Title\n\n{P1} The winners were:\n\n- Best actor - Richard Griffiths\n\n- Best actress - Clare Higgins", []),
        (f"Title\n\n{P1}\n\n“Stop!”", []),  # a quote that ends like a sentence
        # lines naming what the prose names are the article's own list (a line-up with its match facts) ...
        ("Killie beat Motherwell\n\nKilmarnock beat Motherwell 2-0 at Rugby Park, with Naismith and Boyd scoring.\n\n"
         "Naismith 33, Boyd 71\n\n8,661\n\nSaturday, 5 March", []),
        # ... but page chrome stays residue beside them, and a fact box without the article's names too
        ("Killie beat Motherwell\n\nKilmarnock beat Motherwell 2-0 at Rugby Park, with Naismith and Boyd scoring.\n\n"
         "Naismith 33, Boyd 71\n\nMore Football\n\nWeather", ["More Football", "Weather"]),
        (f"Title\n\n{P1}\n\n8,661\n\nSaturday, 5 March", ["8,661", "Saturday, 5 March"]),
        # page notices that end like sentences are residue, and the run goes on above them
        (f"Title\n\n{P1}\n\n© 2008 AFP\n\nThis story is sourced direct from an overseas news agency as an "
         "additional service to readers.\n\nSPONSORED LINKS",
         ["© 2008 AFP", "This story is sourced direct from an overseas news agency as an additional service to readers.",
          "SPONSORED LINKS"]),
        (f"Title\n\n{P1}\n\n-- Scott Ferguson\n\nDo you have comments on this story?\n\nTalkback here",
         ["-- Scott Ferguson", "Do you have comments on this story?", "Talkback here"]),
        (f"Title\n\n{P1}\n\nJane Roe can be reached at jroe@example.com or 206-464-2067.\n\nBe the first to "
         "comment!", ["Jane Roe can be reached at jroe@example.com or 206-464-2067.", "Be the first to comment!"]),
        (f"Title\n\n{P1}\n\nComments from our readers are moderated before they appear.",
         ["Comments from our readers are moderated before they appear."]),
        # a related-stories list at the tail: the header and its items, sentences or not
        (f"Title\n\n{P1}\n\nRelated Posts:\n\nTalks stall as both sides dig in? Officials say no.\n\n"
         "What the deal means for you",
         ["Related Posts:", "Talks stall as both sides dig in? Officials say no.", "What the deal means for you"]),
        # news prose that mentions comments or reports is not a notice
        (f"Title\n\n{P1}\n\nThe company declined to comment on the report.", []),
        (f"Title\n\n{P1}\n\nThe story was first reported by the Financial Times.", []),
        # an article does not go on below a page notice: a poll, an ad, a menu of bars under one are residue too ...
        (f"Title\n\n{P1}\n\nTom Reed can be reached at tom.reed@example.com\n\nWho should start in goal on Saturday?\n\n"
         "Keepers", ["Tom Reed can be reached at tom.reed@example.com", "Who should start in goal on Saturday?", "Keepers"]),
        (f"Title\n\n{P1}\n\n© 2008 Example News Ltd\n\nClaim your $20 free bet with Acme Sports today.",
         ["© 2008 Example News Ltd", "Claim your $20 free bet with Acme Sports today."]),
        (f"Title\n\n{P1}\n\nShare this story\n\nTools: E-MAIL | PRINT | Text Size: S M L | REPORT TYPO | FEEDBACK",
         ["Share this story", "Tools: E-MAIL | PRINT | Text Size: S M L | REPORT TYPO | FEEDBACK"]),
        # ... unless it names what the article's prose names
        ("Orban meets Putin\n\nPutin met Orban in the Kremlin on Tuesday, and both called the talks useful.\n\n"
         "Share this story\n\nOrban flew on to Minsk, where he is to meet Lukashenko.",
         ["Share this story"]),
        # an author's biography and a short publisher's line are page notices
        (f"Title\n\n{P1}\n\nAnna Berg writes about film for us. Her columns can be found at her blog.\n\n"
         "Keep reading, and add your comments below!",
         ["Anna Berg writes about film for us. Her columns can be found at her blog.", "Keep reading, and add your comments below!"]),
        (f"Title\n\n{P1}\n\nValley Weekly\n\nA publication of the\n\nRidge Media Group.",
         ["Valley Weekly", "A publication of the", "Ridge Media Group."]),
        # a short question in the site's own voice ends no article; one in quotation marks does
        (f"Title\n\n{P1}\n\nWhat do you think of the new kit?", ["What do you think of the new kit?"]),
        (f"Title\n\n{P1}\n\n“Who would not want that?”", []),
        # news prose that tells of contacts and permission is no notice
        (f"Title\n\n{P1}\n\nOthers chose to contact her instead, and published without permission.", []),
        # the article's own closing list: under a fact-box heading run into the last line, or under a line-up
        (f"Title\n\n{P1} {P2} HEAD TO HEAD\n\n16th PREM\n\nWINNERS (twice)", []),
        (f"Title\n\n{P1}\n\nNext game\n\nWhen: 7 p.m., Friday\n\nRadio: WXYZ-AM (990)", []),
        (f"Title\n\n{P1}\n\nSmith; Jones, Brown, Green, White; Black, Gray (capt), Hill, Ward.\n\nJ Doe (France)", []),
        (f"Title\n\n{P1}\n\nSmith; Jones, Brown, Green, White; Black, Gray (capt), Hill, Ward.\n\nJ Doe (France)\n\n"
         "Print this story\n\nMore Sport", ["Print this story", "More Sport"]),
        # a nominees list whose items mostly name the prose's names is the article's own, all of it
        ("Little Britain wins comedy award\n\nLittle Britain, starring Matt Lucas and David Walliams, beat The Office at the British Comedy Awards, where "
         "Catherine Tate, Ant and Dec and Caroline Quentin were also nominated.\n\n"
         "Matt Lucas & David Walliams (Little Britain, BBC Three)\n\nCaroline Quentin (Life Begins, ITV1)\n\n"
         "Catherine Tate (The Catherine Tate Show, BBC Two)\n\nAnt & Dec (Saturday Night Takeaway, ITV1)\n\n"
         "School Of Rock", []),
    ],
)
def test_tail_residue(raw, expected):
    assert _excerpts(raw, "BP301") == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("", []),
        (f"Putin meets Orban\n\n{P1}", []),
        (f"Putin meets Orban\n\nWhat are US options for sanctions against Russia?-\n\n{P1}",
         ["What are US options for sanctions against Russia?-"]),
        (f"Putin meets Orban\n\nPutin meets Orban\n\n{P1}", ["Putin meets Orban"]),  # a repeated title
        (f"Putin meets Orban\n\nHome\n\nWorld\n\n{P1}", ["Home", "World"]),
        # match facts above a preview that names the ground: the article's own
        (f"Blackburn v Burnley\n\nEwood Park\n\nTuesday, 1 March\n\n2000 GMT\n\nBurnley travel to Ewood Park "
         f"for the derby, with Blackburn unbeaten in five.\n\n{P2}", []),
        # a match's fact box (ground, date, kick-off) is the article's own even when the prose does not name the ground
        (f"Worcester v Sale\n\nSixways\n\nFriday, 25 February\n\n2000 GMT\n\n{P2}\n\n{P3}", []),
        # a standfirst (summary line) above the first paragraph is the article's own
        (f"Japan turns to beer alternatives\n\nJapanese brewers are increasingly making money from "
         f"beer-flavoured drinks rather than beer itself\n\n{P1}", []),
        # a sentence broken over two lines is prose, not residue
        (f"Title\n\nThe government had claimed tobacco firms\nhad lied about the risks of smoking.\n\n{P1}", []),
    ],
)
def test_head_residue(raw, expected):
    assert _excerpts(raw, "BP302") == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        (f"{P1}\n\nUS, West drawing us into a military conflict: Putin\n\n{P2}",
         ["US, West drawing us into a military conflict: Putin"]),
        (f"{P1}\n\nWhat are US options for sanctions?-\n\n{P2}", ["What are US options for sanctions?-"]),
        (f"{P1}\n\nNATO ‘ignored’ Russia’s concerns, says Putin\n\n{P2}", ["NATO ‘ignored’ Russia’s concerns, says Putin"]),
        (f"{P1}\n\nPricing and Availability\n\n{P2}", []),  # a subheading in Title Case
        (f"{P1}\n\nChance of a lifetime\n\n{P2}", []),  # a subheading without a headline mark
        (f"{P1}\n\nThe government had claimed: Putin\n\nhad lied, they said.", []),  # continues in lower case
        (f"{P1}\n\nOn the line: Putin\n\n{P2}\r\n", ["On the line: Putin"]),
        (f"{P1}\n\nA line: Putin", []),  # not between two prose paragraphs
    ],
)
def test_stray_headline(raw, expected):
    assert _excerpts(raw, "BP303") == expected


def test_repeated_line_across_documents_of_one_source():
    texts = [f"{p}\n\nFollow AsumeTech on\n\nShare your thoughts below" for p in (P1, P2)]
    report = _run(texts, "BP304")
    # "Follow AsumeTech on" names the source, so both documents share it: every shared line is furniture
    assert sorted(f.excerpt for f in report.findings) == ["Follow AsumeTech on"] * 2 + ["Share your thoughts below"] * 2
    assert {d.source for d in report.documents} == {"AsumeTech"}
    assert all(f.data == {} for f in report.findings)


@pytest.mark.parametrize(
    "texts,count",
    [
        ([f"{p}\n\nOur Network Sites" for p in (P1, P2, P3)], 3),  # short line in three documents
        ([f"{p}\n\nOur Network Sites" for p in (P1, P2)], 0),  # two documents of unknown source: not enough
        ([f"{P1}\n\n{P2}", f"{P3}\n\n{P2}", f"{P2}\n\n{P1}"], 0),  # a long sentence repeated is quoting, not furniture
        ([""] * 3, 0),
        ([f"Title {i}\n\n{p}\n\n2000 GMT" for i, p in enumerate((P1, P2, P3))], 0),  # a kick-off time recurs as data
    ],
)
def test_repeated_short_lines_across_the_corpus(texts, count):
    assert len(_run(texts, "BP304").findings) == count


def test_repeated_line_in_a_gate_run_is_found_as_in_a_full_run():
    """A gate run keys only the corpus documents whose raw text holds a new line's words; every
    document that does, however marked up ("**...**", "[...](url)") or wrapped, is still compared."""
    texts = {
        "a.md": f"{P1}\n\n**Our Network Sites**\n\n[Share your thoughts](https://example.com/c) below",
        "b.txt": f"{P2}\n\nOur Network Sites\n\nShare your thoughts below",
        "c.md": f"{P3}\n\n## Our  Network   Sites\n\nSomething else entirely",
        "d.txt": "An unrelated report about the weather in Leeds on Sunday.\n\nMore sun is due.",
    }
    docs = lambda: [Document(id=i, raw=normalise_newlines(t)) for i, t in texts.items()]  # noqa: E731
    full = {(f.document, f.excerpt) for f in engine.check(docs(), [RULES["BP304"]]).findings}
    assert ("a.md", "Our Network Sites") in {(d, e.strip("*# ")) for d, e in full}
    for focus in texts:
        gate = {(f.document, f.excerpt) for f in engine.check(docs(), [RULES["BP304"]], focus=[focus]).findings}
        assert gate == {(d, e) for d, e in full if d == focus}


@pytest.mark.parametrize("promo", ["Sign up for our daily briefing", "Click here to get the app", ">> Read our full coverage"])
def test_an_inline_promo_is_not_where_the_article_ends(promo):
    """Two paragraphs of prose under a sign-up box or a link are the article going on: only the promo
    itself may be flagged, never the paragraphs below it."""
    text = (f"Dock strike halts exports\n\n{P1}\n\n{promo}\n\n"
            "Port workers in Antwerp walked out on Monday over pay, halting most container traffic for the day.\n\n"
            "Union leaders said the strike would go on until the port authority agreed to reopen talks next week.\n")
    flagged = _excerpts(text, "BP301")
    assert not any("Port workers" in e or "Union leaders" in e for e in flagged)


def test_a_comment_notice_still_ends_the_article():
    text = (f"Dock strike halts exports\n\n{P1}\n\n{P2}\n\nLeave a comment on this story\n\n"
            "I think the workers are right and the port should pay them more, frankly it is overdue.\n\n"
            "Typical, another strike. This country never learns and the rest of us pay for it again.\n")
    flagged = _excerpts(text, "BP301")
    assert any("I think the workers" in e for e in flagged)
