"""Hostile paths, names, fields and streams (docs/robustness.md, the rows after "full disk while
writing the report"): each case run through the real command line, most in a subprocess with a
time limit, since the failures they keep out were hangs, tracebacks and deleted files."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAST = ["--isolated", "--select", "BP", "--no-cache"]
ARTICLE = "Putin spoke on Tuesday about the talks.\n\nLeave a Reply\n"


def qualcheck(*args: str, cwd: Path, timeout: float = 120, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command; a hang fails the test instead of hanging the suite."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        result = subprocess.run([sys.executable, "-m", "qualcheck", *args], cwd=cwd, env=full_env, input=stdin or b"",
                                capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"qualcheck {' '.join(args)} still running after {timeout} s")
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err
    return result


def _mknod_null(path: Path) -> None:
    """A character device like /dev/null at ``path`` (needs root; the test is skipped without it)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")


def _is_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


# -- the store at a path that is no file -------------------------------------------------------


def test_a_store_at_a_device_is_never_deleted_or_replaced(tmp_path):
    """Before: `--store DEVICE` made SQLite fail, and qualcheck unlinked the "half-built store":
    the device node itself (as root, `--store /dev/full` deleted /dev/full)."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    dev = tmp_path / "null"
    _mknod_null(dev)
    result = qualcheck("a.txt", "--isolated", "--select", "BP", "--store", "null", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "qualcheck: warning: null: cannot use it as the store: it is a character device, not a file; running without the store" in result.stderr.decode()
    assert _is_device(dev)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "null"], "no journal or store beside it"
    for option in ("--cache-clear", "--cache-info"):
        result = qualcheck(option, "--isolated", "--store", "null", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.decode().strip().splitlines() == [f"qualcheck: error: null: {'not deleted' if option == '--cache-clear' else 'cannot use it as the store'}: it is a character device, not {'a store' if option == '--cache-clear' else 'a file'}"]
        assert _is_device(dev)


@pytest.mark.parametrize("what", ["fifo", "directory"])
def test_a_store_that_is_a_fifo_or_a_folder_is_a_warning_and_left_alone(tmp_path, what):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / ".qualcheck" / "store.db"
    store.parent.mkdir()
    os.mkfifo(store) if what == "fifo" else store.mkdir()
    # the default store path (an option naming a folder is refused by the option parser)
    result = qualcheck("a.txt", "--isolated", "--select", "BP", cwd=tmp_path, timeout=60, env={"QUALCHECK_STORE": ".qualcheck/store.db"})
    assert result.returncode == 0, result.stderr
    kind = "a named pipe (FIFO)" if what == "fifo" else "a directory"
    assert f"cannot use it as the store: it is {kind}, not a file; running without the store" in result.stderr.decode()
    assert (stat.S_ISFIFO if what == "fifo" else stat.S_ISDIR)(store.stat().st_mode)


def test_cache_clear_deletes_only_a_qualcheck_store(tmp_path):
    """A mistyped `--store article.txt --cache-clear` used to delete the article."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = qualcheck("--cache-clear", "--isolated", "--store", "a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "qualcheck: error: a.txt: not deleted: it is not a qualcheck store"
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == ARTICLE
    qualcheck("a.txt", "--isolated", "--select", "BP", "--store", "s.db", cwd=tmp_path)
    assert (tmp_path / "s.db").is_file()
    result = qualcheck("--cache-clear", "--isolated", "--store", "s.db", cwd=tmp_path)
    assert result.returncode == 0 and not (tmp_path / "s.db").exists()


# -- named pipes, sockets and devices among the inputs -----------------------------------------


def _assert_named_and_others_checked(result: subprocess.CompletedProcess, errors: list[str], checked: list[str]) -> None:
    """An incomplete run (exit 2) that names each input it could not read and reports the others."""
    assert result.returncode == 2
    err = result.stderr.decode()
    for line in errors:
        assert line in err
    assert [d["path"] for d in json.loads(result.stdout)["documents"]] == checked


def test_a_named_pipe_given_as_an_article_does_not_hang_the_run(tmp_path):
    """Before: open() waited for a writer for ever; now the pipe with no writer is an error notice."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for name in ("p.txt", "c.jsonl"):
        os.mkfifo(tmp_path / name)
    result = qualcheck("p.txt", "c.jsonl", "a.txt", *FAST, "--report", "json", cwd=tmp_path, timeout=60)
    _assert_named_and_others_checked(result, [
        "qualcheck: error: p.txt: cannot read: it is a named pipe (FIFO) and nothing is writing to it",
        "qualcheck: error: c.jsonl: cannot read: it is a named pipe (FIFO) and nothing is writing to it",
    ], ["a.txt"])


def test_a_pipe_with_a_writer_is_read(tmp_path):
    """`qualcheck <(command)`: a pipe something writes to is an article like any other."""
    read_end, write_end = os.pipe()
    os.write(write_end, ARTICLE.encode())
    os.close(write_end)
    try:
        result = subprocess.run([sys.executable, "-m", "qualcheck", f"/dev/fd/{read_end}", *FAST, "--report", "json"], cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120, pass_fds=(read_end,))
    finally:
        os.close(read_end)
    assert result.returncode == 0, result.stderr
    [doc] = json.loads(result.stdout)["documents"]
    assert [f["code"] for f in doc["findings"]] == ["BP101"]


def test_pipes_and_sockets_in_a_folder_are_named_not_skipped(tmp_path):
    """Before: a FIFO or socket named like an article was left out of a folder's run without a word."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "p.md")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "s.txt"))
        result = qualcheck("articles", *FAST, "--report", "json", cwd=tmp_path, timeout=60)
    finally:
        sock.close()
    _assert_named_and_others_checked(result, [
        "qualcheck: error: articles/p.md: cannot read: it is a named pipe (FIFO), not a file",
        "qualcheck: error: articles/s.txt: cannot read: it is a socket, not a file",
    ], ["articles/a.txt"])


def test_a_rule_file_that_is_a_named_pipe_is_a_rule_file_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "mine" / "boilerplate").mkdir(parents=True)
    os.mkfifo(tmp_path / "mine" / "boilerplate" / "BP950-pipe.yaml")
    result = qualcheck("a.txt", *FAST, "--rules", "mine", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    [line] = result.stderr.decode().strip().splitlines()
    assert line.endswith("mine/boilerplate/BP950-pipe.yaml: cannot read: it is a named pipe (FIFO), not a file"), line


@pytest.mark.parametrize("option", ["--decisions", "--baseline", "merge-into", "merge-from"])
def test_a_decisions_file_that_is_a_named_pipe_is_one_line(tmp_path, option):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "d.jsonl")
    (tmp_path / "ok.jsonl").write_text('{"fingerprint": "abc", "status": "dismissed"}\n', encoding="utf-8")
    if option == "merge-into":
        args = ["--merge-decisions", "ok.jsonl", "--decisions", "d.jsonl"]
    elif option == "merge-from":
        args = ["--merge-decisions", "d.jsonl", "--decisions", "ok.jsonl"]
    else:
        args = ["a.txt", *FAST, option, "d.jsonl"]
    result = qualcheck(*args, "--isolated", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == ["qualcheck: error: d.jsonl: cannot use it as a decisions file: it is a named pipe (FIFO), not a file"]
    assert stat.S_ISFIFO((tmp_path / "d.jsonl").stat().st_mode)


# -- JSON Lines records whose optional fields have the wrong type ------------------------------


def test_record_fields_of_the_wrong_type_are_left_out_with_a_notice(tmp_path):
    """Before: a record whose title, source, url, date or event was a list, an object or a boolean
    ended the whole run ("internal error: TypeError") once an agreement rule read it."""
    text = "Prime Minister Viktor Orban met officials in Paris on 3 March 2022. Revenue rose 12% to $4 billion.\n\nLeave a Reply\n"
    records = [
        {"id": "list", "text": text, "title": ["a", "b"], "source": ["x"], "event": [1]},
        {"id": "object", "text": text, "title": {"a": 1}, "source": {"x": 1}, "date": {"y": 2022}},
        {"id": "bool", "text": text, "title": True, "url": ["http://x"], "date": [2022, 3, 3]},
        {"id": "number", "text": text, "source": 3.5, "date": 20220303},
        {"id": "ok", "text": text, "source": "TASS", "date": "2022-03-03"},
    ]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = qualcheck("c.jsonl", "--isolated", "--select", "BP,FA", "--no-cache", "--report", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    for line in ("c.jsonl#list: field 'title' is a list, not a string: not used",
                 "c.jsonl#object: field 'source' is an object, not a string: not used",
                 "c.jsonl#bool: field 'title' is true or false, not a string: not used",
                 "c.jsonl#bool: field 'date' is a list, not a string: not used"):
        assert f"qualcheck: warning: {line}\n" in err
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["documents"]] == [f"c.jsonl#{r['id']}" for r in sorted(records, key=lambda r: r["id"])]
    by_id = {d["path"]: d for d in report["documents"]}
    assert by_id["c.jsonl#number"]["source"] == "3.5" and by_id["c.jsonl#ok"]["source"] == "TASS"
    assert all([f["code"] for f in d["findings"]] == ["BP101"] for d in report["documents"])


# -- names, ids and text that a terminal would act on -------------------------------------------

CONTROL = set(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0x202E]))


def _one_line_each(output: str) -> list[str]:
    lines = output.split("\n")
    for line in lines:
        assert not CONTROL & set(line), repr(line)
    return lines


def test_names_ids_and_passages_with_control_characters_stay_one_line(tmp_path):
    """Before: a file name or record id with a newline split its report and notice lines in two,
    and escape sequences (in names, ids or a quoted passage) reached the terminal: recolouring,
    retitling or clearing it, or hiding text behind a bidi override."""
    (tmp_path / "new\nline.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ansi\x1b[31m.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bin\nary.txt").write_bytes(b"\x00binary")
    passage = "The talks went on.\n\nLeave a Reply \x1b]0;pwned\x07 here \x1b[2J now\n"
    records = [{"id": "a\nb", "text": passage}, {"id": "\u202eevil", "text": ARTICLE}, {"id": "\x1b[2J", "text": ARTICLE}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = qualcheck(".", *FAST, cwd=tmp_path)
    assert result.returncode == 2  # the binary file
    out, err = result.stdout.decode(), result.stderr.decode()
    lines = _one_line_each(out)
    for name in ("ansi\\x1b[31m.txt", "new\\nline.txt", "c.jsonl#a\\nb", "c.jsonl#\\u202eevil", "c.jsonl#\\x1b[2J"):
        assert any(line.startswith(f"{name}  score ") for line in lines), name
    assert "'Leave a Reply \\x1b]0;pwned\\x07 here \\x1b[2J now'" in out
    err_lines = _one_line_each(err)
    assert "qualcheck: error: bin\\nary.txt: cannot read: binary file (contains NUL bytes)" in err_lines
    assert all(line.startswith("qualcheck: ") for line in err_lines if line)
    report = json.loads(qualcheck(".", *FAST, "--report", "json", cwd=tmp_path).stdout)
    assert "c.jsonl#a\\nb" in [d["path"] for d in report["documents"]]  # the same name in every report


def test_an_error_quoting_a_path_with_a_newline_is_one_line(tmp_path):
    result = qualcheck("a.txt", "--config", "no\nsuch.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert len(_one_line_each(result.stderr.decode().rstrip("\n"))) == 1, result.stderr


# -- standard output that goes away or fills up ------------------------------------------------


def _run_into(stdout_fd: int, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "qualcheck", *args], cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=stdout_fd, stderr=subprocess.PIPE, timeout=120)
    return result


@pytest.mark.parametrize("args", [["--report", "jsonl"], ["--report", "json"], ["--report", "text"], ["--list-rules"]])
def test_a_reader_that_goes_away_is_one_line_and_exit_2(tmp_path, args):
    """`qualcheck ... | head -1`: before, "internal error: BrokenPipeError (please report this)", or
    Python's "Exception ignored ... BrokenPipeError" at exit."""
    (tmp_path / "c.jsonl").write_text("".join(json.dumps({"id": i, "text": ARTICLE}) + "\n" for i in range(300)), encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte
    try:
        result = _run_into(write_end, *(["c.jsonl", *FAST] if args[0] != "--list-rules" else []), *args, cwd=tmp_path)
    finally:
        os.close(write_end)
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines()[-1] == (
        "qualcheck: error: standard output was closed before all was written (its reader went away, e.g. | head): the output is cut short")
    assert "Traceback" not in result.stderr.decode() and "Exception ignored" not in result.stderr.decode()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_a_full_standard_output_is_one_line_and_exit_2(tmp_path, fmt):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        result = _run_into(full.fileno(), "a.txt", *FAST, "-q", "--report", fmt, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == ["qualcheck: error: cannot write to standard output: No space left on device"]


# -- rule files with values of the wrong shape -------------------------------------------------

RULE = """code: BP951
name: wrong-shape
kind: {kind}
severity: warning
message: "Found '{{match}}'."
summary: A test rule.
why: To test loading.
{extra}
"""


@pytest.mark.parametrize("kind, extra, key, problem", [
    # YAML aliases nest an example as deep as they like: 10 levels of 9 made --explain build billions of strings
    ("existence", "params: {patterns: [zzz]}\nexamples:\n  fail: &a [[x, y], [x, y]]\n  pass: [*a, *a]", "examples.pass[0]",
     "must be a text or a list of texts, got a list that holds more than texts"),
    ("existence", "params: {patterns: [zzz]}\nexamples: {fail: [{text: x}]}", "examples.fail[0]", "must be a text or a list of texts, got a mapping"),
    # a link is the HTML report's "More about" href and SARIF's helpUri (a list made the SARIF invalid)
    ("existence", "params: {patterns: [zzz]}\nlink: [1, 2]", "link", "must be a web address (http:// or https://)"),
    ("existence", "params: {patterns: [zzz]}\nlink: 'javascript:alert(document.cookie)'", "link", "must be a web address (http:// or https://)"),
    # a swap map's values are the suggestions: a number was accepted and quietly turned into text
    ("substitution", "params: {swap: {minister: 5}}", "params.swap", "expected a mapping of str to str, got dict"),
])
def test_rule_values_of_the_wrong_shape_are_rejected_at_load(tmp_path, kind, extra, key, problem):
    folder = tmp_path / "mine" / "boilerplate"
    folder.mkdir(parents=True)
    (folder / "BP951-wrong-shape.yaml").write_text(RULE.format(kind=kind, extra=extra), encoding="utf-8")
    for args in (["--list-rules"], ["--explain", "BP951"]):
        result = qualcheck("--isolated", "--rules", "mine", *args, cwd=tmp_path, timeout=60)
        assert result.returncode == 2, result.stdout
        assert result.stderr.decode().strip().splitlines() == [f"qualcheck: error: {folder / 'BP951-wrong-shape.yaml'}: {key}: {problem}"]


def test_a_rule_with_a_web_link_and_list_examples_still_loads(tmp_path):
    folder = tmp_path / "mine" / "boilerplate"
    folder.mkdir(parents=True)
    extra = "params: {patterns: [zzz]}\nlink: https://example.org/rules#BP951\nexamples: {fail: [zzz, [zzz, zzz]], pass: [abc]}"
    (folder / "BP951-wrong-shape.yaml").write_text(RULE.format(kind="existence", extra=extra), encoding="utf-8")
    result = qualcheck("--isolated", "--rules", "mine", "--explain", "BP951", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "More: https://example.org/rules#BP951" in result.stdout.decode()


# -- a document of very many tiny paragraphs ---------------------------------------------------


def test_sentences_in_the_body_are_those_any_paragraph_holds():
    """``starting_in`` (binary search) keeps exactly the sentences the old scan of every paragraph kept."""
    import random

    from qualcheck.model import Span, starting_in

    rng = random.Random(7)
    for _ in range(2000):
        within = [Span(a, a + rng.randint(0, 9)) for a in (rng.randint(0, 40) for _ in range(rng.randint(0, 6)))]
        spans = [Span(a, a + 2) for a in (rng.randint(0, 50) for _ in range(rng.randint(0, 8)))]
        assert starting_in(spans, within) == [s for s in spans if any(p.start <= s.start < p.end for p in within)]


def test_a_hundred_thousand_tiny_paragraphs_take_seconds_not_minutes():
    """Before: every sentence was looked for in every paragraph (statistics, sentence scores, the
    grammar engine's body): a 400,000-character article of 99,000 paragraphs "A." took 4 minutes
    with the BP rules alone. Now 3.5 s with BP, 10 s with every rule (under one core's load)."""
    import time

    from qualcheck.backends.grammar import OfflineEngine
    from qualcheck.document import Document
    from qualcheck.scoring.sentences import body_sentences
    from qualcheck.stats import document_counts

    doc = Document(id="paras.txt", raw="The talks went on.\n\n" + "A.\n\n" * 99_000)
    assert len(doc.sentences) > 99_000  # segmenting is linear: not what is timed below
    started = time.perf_counter()
    counts = document_counts(doc)
    scored = body_sentences(doc)
    judged = OfflineEngine._body_sentences(doc)
    took = time.perf_counter() - started
    assert counts["paragraphs"] == 99_001 and len(scored) == len(judged) == counts["sentences"] > 99_000
    assert took < 30, f"{took:.0f} s"  # the scans took minutes; the searches take well under a second


# -- Markdown: tags never closed, huge tables and code blocks ----------------------------------

_OLD_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z][\w:-]*(?:\s*=\s*(?:\"[^\"\n]{0,500}\"|'[^'\n]{0,500}'|[^\s>]{1,200}))?){0,20}\s*/?>")


def test_an_unclosed_tag_with_many_attributes_is_masked_in_linear_time():
    """Before: each `b="c"` could be a quoted or an unquoted value, 2**20 attempts for every
    `<a b="c" ...` never closed: 300 such lines of Markdown took 75 s to read, 3,000 hours."""
    import random
    import time

    from qualcheck.document import mask

    started = time.perf_counter()
    masked = mask("Intro.\n\n" + ('<a ' + 'b="c" ' * 19 + '\n') * 3000 + "<b x='1'>Bold</b>\n", "md")
    assert time.perf_counter() - started < 10
    assert masked.endswith("Bold    \n") and masked.startswith("Intro.")
    # the same tags are found as before, on every short mix of the characters that matter
    from qualcheck.document import _MD_MASKS

    tag = next(p for p in _MD_MASKS if p.pattern.startswith("</?[A-Za-z]"))
    rng = random.Random(3)
    alphabet = ["<", "a", "b", "=", '"', "'", " ", "/", ">", "\n", "x", "-", "c d", "<a ", ' b="c"', "='x y'"]
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        assert [m.span() for m in tag.finditer(text)] == [m.span() for m in _OLD_TAG.finditer(text)], repr(text)


def _old_fingerprint(code: str, document: str, excerpt: str, context: str) -> str:
    import hashlib

    norm = lambda s: re.sub(r"\s+", " ", s).strip().lower()  # noqa: E731
    return hashlib.sha1("\x1f".join((code, document, norm(excerpt), norm(context))).encode("utf-8")).hexdigest()[:16]


def test_fingerprints_are_those_of_before():
    """Decisions are keyed by fingerprints: computing them from the sentence normalised once must give the same values."""
    import random

    from qualcheck.model import fingerprint

    rng = random.Random(5)
    alphabet = ["a", "Σ", "İ", " ", "\n", "\x1e", "\xa0", "\u2028", "B", "ς", "\t", "ß", ""]
    for _ in range(50_000):
        context = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        excerpt = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4)))
        n = rng.choice([1, 1, 2, 3, 12])
        want = _old_fingerprint("BP101", "a.md", excerpt, context if n == 1 else f"{context}\x1e{n}")
        assert fingerprint("BP101", "a.md", excerpt, context, repeat=n) == want


@pytest.mark.parametrize("body", ["| x | y | z |\n" * 12_500, "```\n" + "code line\n" * 19_000])
def test_a_huge_markdown_table_or_unclosed_code_block_takes_seconds(tmp_path, body):
    """Before: about 3 minutes with the BP rules (a table of 12,500 rows, a code block of 19,000
    lines never closed; twice that, over 5 minutes): the whole is one "sentence", normalised again
    for each of its tens of thousands of findings' fingerprints. Now about 10 s (the full-size ones
    22 s and 32 s: hashing the sentence for each fingerprint is what remains, as fingerprints must
    not change)."""
    import time

    (tmp_path / "a.md").write_text("# Title\n\n| a | b | c |\n|---|---|---|\n" + body, encoding="utf-8")
    started = time.perf_counter()
    result = qualcheck("a.md", *FAST, "-j", "1", "--report", "json", cwd=tmp_path, timeout=240)
    assert result.returncode in (0, 1), result.stderr
    assert time.perf_counter() - started < 60
    json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_report_to_a_named_pipe_nobody_reads_is_one_line_not_a_hang(tmp_path, fmt):
    """Before: `-o PIPE` with no reader waited for ever in open() (a pipe that is read still gets the report in place)."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "out")
    result = qualcheck("a.txt", *FAST, "-q", "--report", fmt, "-o", "out", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == ["qualcheck: error: out: cannot write the report: it is a named pipe (FIFO) and nothing is reading from it"]
    assert stat.S_ISFIFO((tmp_path / "out").stat().st_mode)


def test_changed_from_a_named_pipe_nobody_writes_is_one_line_not_a_hang(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "list")
    result = qualcheck(".", *FAST, "--changed-from", "list", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == ["qualcheck: error: --changed-from list: it is a named pipe (FIFO) and nothing is writing to it"]
