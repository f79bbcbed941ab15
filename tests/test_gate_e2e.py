"""The CI gate end to end, in a real git repository: changed-articles mode, the store, the pre-commit
hook run by the real ``pre-commit`` command, and the shell steps of the GitHub Action."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

NEW_ARTICLE = """Johnson and Zelensky discuss Russian troops on Ukraine's border

British President Boris Johnson spoke with Ukrainian President Volodymyr Zelensky on Wednesday about the Russian troops massed near Ukraine's border.

Johnson said the West would respond with sanctions if Moscow attacked, and promised more defensive weapons for Kyiv.

Russian President Vladimir Putin said on Tuesday that the United States and NATO had ignored Russia's main security demands.

Leave a Reply
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _env(repo: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "QUALCHECK_STORE": str(repo / ".qualcheck" / "store.db"),
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }


@pytest.fixture
def repo(tmp_path) -> Path:
    """A content repository: the five seeds committed under articles/, then a sixth article added."""
    repo = tmp_path / "content"
    (repo / "articles").mkdir(parents=True)
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(p, repo / "articles" / p.name)
    (repo / ".gitignore").write_text(".qualcheck/\nqualcheck-report/\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    env = _env(repo)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "seeds"], cwd=repo, check=True, env=env)
    (repo / "articles" / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    return repo


def _qualcheck(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qualcheck", *args], cwd=repo, env=_env(repo), capture_output=True, text=True, timeout=900)


def test_changed_mode_reports_and_gates_only_the_new_article(repo):
    first = _qualcheck(repo, "articles/", "--changed", "--fail-under", "70", "--report", "json")
    assert first.returncode == 1, first.stderr
    report = json.loads(first.stdout)
    assert [d["path"] for d in report["documents"]] == ["articles/005_new.txt"]
    doc = report["documents"][0]
    assert doc["score"] < 70
    codes = {f["code"]: f for f in doc["findings"]}
    assert "BP101" in codes and codes["BP101"]["excerpt"] == "Leave a Reply"
    title = [f for f in doc["findings"] if f["code"] == "FA102"]
    assert title and "British President" in title[0]["excerpt"]
    assert any("against a corpus of 5 other document(s)" in n["message"] for n in report["notices"])
    assert "gate: articles/005_new.txt: score" in first.stderr
    second = _qualcheck(repo, "articles/", "--changed", "--fail-under", "70", "--report", "json")
    assert second.returncode == 1
    assert "store: 1 document(s) unchanged since they were checked" in second.stderr
    assert json.loads(second.stdout)["documents"] == report["documents"]


def test_a_full_run_does_not_blame_the_established_title(repo):
    full = _qualcheck(repo, "articles/", "--report", "json")
    data = json.loads(full.stdout)
    flagged = {d["path"] for d in data["documents"] for f in d["findings"] if f["code"] == "FA102" and "Johnson" in f["excerpt"]}
    assert "articles/005_new.txt" in flagged
    assert not any(p.startswith("articles/002") for p in flagged)


def test_changed_from_a_list_and_nothing_changed(repo):
    listed = _qualcheck(repo, "articles/", "--changed-from", "-", "--report", "json", "--select", "BP")
    assert listed.returncode == 0 and json.loads(listed.stdout)["documents"] == []  # empty stdin: nothing to check
    (repo / "list.txt").write_text("# from the CI system\narticles/005_new.txt\nREADME.md\n", encoding="utf-8")
    named = _qualcheck(repo, "articles/", "--changed-from", "list.txt", "--report", "json", "--select", "BP")
    assert [d["path"] for d in json.loads(named.stdout)["documents"]] == ["articles/005_new.txt"]
    _git(repo, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "new"], cwd=repo, check=True, env=_env(repo))
    clean = _qualcheck(repo, "articles/", "--changed", "--fail-under", "70", "--report", "json")
    assert clean.returncode == 0 and "no new or changed articles" in clean.stderr
    assert json.loads(clean.stdout)["documents"] == []
    since = _qualcheck(repo, "articles/", "--changed", "HEAD~1", "--report", "json", "--select", "BP")
    assert [d["path"] for d in json.loads(since.stdout)["documents"]] == ["articles/005_new.txt"]
    bad = _qualcheck(repo, "articles/", "--changed", "no-such-ref")
    assert bad.returncode == 2 and bad.stderr.count("\n") <= 2 and "no-such-ref" in bad.stderr


def test_a_ref_missing_from_a_shallow_clone_says_how_to_fetch_it(repo, tmp_path):
    """CI checks out one commit by default; --changed HEAD~1 there names the cause in one line."""
    _git(repo, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "new"], cwd=repo, check=True, env=_env(repo))
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)], check=True, env=_env(repo))
    run = _qualcheck(shallow, "articles/", "--changed", "HEAD~1")
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "HEAD~1" in run.stderr and "shallow" in run.stderr and "fetch-depth: 0" in run.stderr


def test_changed_files_that_are_no_articles_are_named_not_dropped(repo):
    """An HTML page and a note added beside the articles are not read; the run says so in its report
    (one info notice), checks the new article, and leaves out files outside the corpus and hidden ones."""
    (repo / "articles" / "006_page.html").write_text("<html><body><p>Talks ended on Monday.</p></body></html>\n", encoding="utf-8")
    (repo / "articles" / "NOTES").write_text("sources to check\n", encoding="utf-8")
    (repo / "articles" / ".draft.html").write_text("<p>draft</p>\n", encoding="utf-8")
    (repo / "README.md").write_text("# Content\n", encoding="utf-8")
    run = _qualcheck(repo, "articles/", "--changed", "--report", "json", "--select", "BP")
    report = json.loads(run.stdout)
    assert [d["path"] for d in report["documents"]] == ["articles/005_new.txt"]
    unread = [n for n in report["notices"] if "changed file" in n["message"]]
    assert len(unread) == 1 and unread[0]["level"] == "info"
    assert "articles/006_page.html" in unread[0]["message"] and "articles/NOTES" in unread[0]["message"]
    assert "README.md" not in unread[0]["message"] and ".draft" not in unread[0]["message"]
    (repo / "articles" / "005_new.txt").unlink()  # nothing left to check: the empty report still says it
    empty = _qualcheck(repo, "articles/", "--changed", "--report", "json", "--select", "BP")
    assert json.loads(empty.stdout)["documents"] == [] and "006_page.html" in empty.stderr


@pytest.fixture
def jsonl_repo(tmp_path) -> tuple[Path, list[dict]]:
    """A content repository that keeps its corpus as one JSONL file: the five seeds, committed."""
    repo = tmp_path / "content"
    repo.mkdir()
    records = [{"id": p.stem[:3], "text": p.read_text(encoding="utf-8"), "date": "2022-02-08", "source": f"S{i}"}
               for i, p in enumerate(sorted((ROOT / "seeds").glob("*.txt")))]
    (repo / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (repo / ".gitignore").write_text(".qualcheck/\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=_env(repo))
    subprocess.run(["git", "commit", "-qm", "corpus"], cwd=repo, check=True, env=_env(repo))
    return repo, records


def test_a_jsonl_corpus_is_gated_on_the_records_that_changed(jsonl_repo):
    """A corpus kept as one JSONL file gains an article: only that record is checked and reported,
    against the file's other records; an edited record counts too, a reordered file not at all."""
    repo, records = jsonl_repo
    corpus = repo / "corpus.jsonl"
    new = {"id": "new", "text": NEW_ARTICLE, "date": "2022-02-09", "source": "N"}
    corpus.write_text("".join(json.dumps(r) + "\n" for r in [*records, new]), encoding="utf-8")
    added = _qualcheck(repo, "corpus.jsonl", "--changed", "--fail-under", "70", "--report", "json")
    assert added.returncode == 1, added.stderr
    report = json.loads(added.stdout)
    assert [d["path"] for d in report["documents"]] == ["corpus.jsonl#new"]
    assert any(f["code"] == "FA102" for f in report["documents"][0]["findings"])
    assert any("against a corpus of 5 other document(s)" in n["message"] for n in report["notices"])

    (repo / "list.txt").write_text("corpus.jsonl#new\ncorpus.jsonl#gone\n", encoding="utf-8")  # a CI system's own list
    listed = _qualcheck(repo, "corpus.jsonl", "--changed-from", "list.txt", "--report", "json", "--select", "FA102")
    assert [d["path"] for d in json.loads(listed.stdout)["documents"]] == ["corpus.jsonl#new"]
    assert "corpus.jsonl#gone: no such record in the corpus file" in listed.stderr

    edited = [dict(r) for r in records]
    edited[2]["text"] = edited[2]["text"].replace("Hungarian Prime Minister", "Hungarian President", 1)
    corpus.write_text("".join(json.dumps(r) + "\n" for r in reversed(edited)), encoding="utf-8")
    changed = _qualcheck(repo, "corpus.jsonl", "--changed", "--report", "json", "--select", "FA102")
    assert [d["path"] for d in json.loads(changed.stdout)["documents"]] == ["corpus.jsonl#002"]

    corpus.write_text("".join(json.dumps(r) + "\n" for r in reversed(records)), encoding="utf-8")
    same = _qualcheck(repo, "corpus.jsonl", "--changed", "--fail-under", "70", "--report", "json")
    assert same.returncode == 0 and "no new or changed articles" in same.stderr



def test_lines_of_a_jsonl_corpus_that_are_no_record_never_pass_the_gate(jsonl_repo):
    """A corpus file that gains lines the reader rejects (a second record with an existing id, a record
    with no id, invalid JSON, JSON nested past the parser's depth, a record made invalid) fails the
    gate with each line named, even though none of its valid records changed: the established record
    whose id was repeated is not checked in place of the rejected copy."""
    repo, records = jsonl_repo
    corpus = repo / "corpus.jsonl"
    copy = dict(records[1], text=NEW_ARTICLE)  # the broken article under an established id
    extra = [json.dumps(copy), json.dumps({"text": NEW_ARTICLE}), '{"id": "x", "text": "unfinished"', "[" * 5000 + "]" * 5000]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n".join(extra) + "\n", encoding="utf-8")
    run = _qualcheck(repo, "corpus.jsonl", "--changed", "--fail-under", "70", "--report", "json")
    assert run.returncode == 2, run.stderr
    assert json.loads(run.stdout)["documents"] == []  # record 001 is as it was: nothing is checked in its place
    for line, problem in [(6, "duplicate id '001'"), (7, "missing required key(s) id"), (8, "invalid JSON"), (9, "invalid JSON")]:
        assert f"corpus.jsonl:{line}: {problem}" in run.stderr
    assert "internal error" not in run.stderr and "no such record" not in run.stderr

    broken = [dict(r) for r in records]
    broken[3]["text"] = 5  # an established record edited into one the reader rejects
    corpus.write_text("".join(json.dumps(r) + "\n" for r in broken), encoding="utf-8")
    run = _qualcheck(repo, "corpus.jsonl", "--changed", "--fail-under", "70", "--report", "json")
    assert run.returncode == 2 and "corpus.jsonl:4: 'text' must be a string" in run.stderr, run.stderr

def _hooks_repository(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding this project's .pre-commit-hooks.yaml, as pre-commit fetches it; (path, commit)."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml")
    _git(hooks, "init", "-q", "-b", "main")
    subprocess.run(["git", "add", "-A"], cwd=hooks, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "hooks"], cwd=hooks, check=True, env=env)
    return hooks, _git(hooks, "rev-parse", "HEAD").strip()


def test_the_pre_commit_hook_stops_a_commit_of_a_broken_article(repo, tmp_path):
    env = _env(repo)
    hooks, rev = _hooks_repository(tmp_path, env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: qualcheck-system\n        args: [--fail-under, '70']\n", encoding="utf-8"
    )
    subprocess.run(["git", "add", ".pre-commit-config.yaml", "articles/005_new.txt"], cwd=repo, check=True, env=env)
    run = subprocess.run([str(BIN / "pre-commit"), "run"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "articles/005_new.txt: score" in run.stdout
    assert "articles/00" + "2_" not in run.stdout.split("gate:")[-1]
    # a clean article passes the same hook
    (repo / "articles" / "005_new.txt").write_text(NEW_ARTICLE.replace("British President", "British Prime Minister").replace("Leave a Reply\n", ""), encoding="utf-8")
    subprocess.run(["git", "add", "articles/005_new.txt"], cwd=repo, check=True, env=env)
    again = subprocess.run([str(BIN / "pre-commit"), "run"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_pre_commit_hook_gates_the_staged_records_of_a_jsonl_corpus(jsonl_repo, tmp_path):
    """The README's set-up for a JSONL corpus: the file is named, --changed HEAD picks the staged records."""
    repo, records = jsonl_repo
    env = _env(repo)
    hooks, rev = _hooks_repository(tmp_path, env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: qualcheck-system\n        pass_filenames: false\n"
        "        args: [corpus.jsonl, --changed, HEAD, --fail-under, '70']\n", encoding="utf-8"
    )
    new = {"id": "new", "text": NEW_ARTICLE, "date": "2022-02-09", "source": "N"}
    (repo / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [*records, new]), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    run = subprocess.run([str(BIN / "pre-commit"), "run"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "gate: corpus.jsonl#new: score" in run.stdout
    assert "gate: corpus.jsonl#00" not in run.stdout  # the established records are not gated


def test_the_action_shell_steps_keep_the_gate_exit_code_and_write_sarif(repo):
    env = {**_env(repo), "QUALCHECK_BASE": "main", "QUALCHECK_CORPUS": "articles", "GITHUB_OUTPUT": str(repo / "gh-output.txt")}
    _git(repo, "checkout", "-q", "-b", "pr")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "new article"], cwd=repo, check=True, env=env)
    run = subprocess.run(["bash", str(ROOT / "scripts" / "ci-gate.sh")], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1, run.stderr
    assert "exit-code=1" in (repo / "gh-output.txt").read_text(encoding="utf-8")
    sarif = json.loads((repo / "qualcheck-report" / "qualcheck.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"articles/005_new.txt"}
    assert (repo / "qualcheck-report" / "qualcheck.html").stat().st_size > 1000
    assert "::error file=articles/005_new.txt" in run.stdout
