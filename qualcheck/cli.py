"""The ``qualcheck`` command: parse options, build Settings, run the engine, render, choose the exit code."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path

import click

from qualcheck import __version__, atomic, config, engine, ruleset
from qualcheck.errors import ConfigError, QualcheckError
from qualcheck.model import Severity
from qualcheck.render import renderer
from qualcheck.textsafe import display_name, printable

EPILOG = """\b
Exit codes:
  0  every document passed
  1  the gate failed (--fail-under or --fail-on)
  2  usage, configuration, rule-file or input error (an unreadable input
     makes the run incomplete: 2 unless --allow-incomplete)
  130 interrupted (Ctrl-C); 143 terminated (SIGTERM): the -o file is left as it was
"""
DEFAULT_HTML = "reports/qualcheck.html"


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.strip() for v in values for c in v.split(",") if c.strip())


def _out(text: str, nl: bool = True) -> None:
    """Write to standard output (a report, a listing); a reader that went away (``| head -1``) or a
    full disk is one line and exit 2, never an internal error or a traceback at exit."""
    try:
        click.echo(text, nl=nl)
        sys.stdout.flush()
    except OSError as exc:
        try:  # the interpreter flushes stdout once more at exit: let that go nowhere, quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        if isinstance(exc, BrokenPipeError):
            raise QualcheckError("standard output was closed before all was written (its reader went away, e.g. | head): the output is cut short") from None
        raise QualcheckError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _explain(rules: ruleset.RuleSet, code: str) -> str:
    rule = rules.by_code(code)
    if rule is None:
        raise QualcheckError(f"--explain {code}: no rule has this code (see --list-rules)")
    lines = [
        f"{rule.code} {rule.name} ({rule.category}, {rule.severity}, kind {rule.kind})",
        "",
        rule.summary,
        "",
        "Why: " + rule.why,
        "",
        f"Message: {rule.message}",
        f"Defined in: {rule.path}",
    ]
    if not rule.enabled:
        lines.append("Off by default: enable it with --select " + rule.code)
    for key in ("fail", "pass"):
        for example in rule.examples.get(key, []):
            lines.append(f"{'Flags' if key == 'fail' else 'Passes'}: {example}")
    if rule.link:
        lines.append(f"More: {rule.link}")
    return "\n".join(lines) + "\n"


def _list(rules: ruleset.RuleSet) -> str:
    rows = [f"{r.code}  {r.name:28} {r.category:12} {str(r.severity):8} {'' if r.enabled else '(off) '}{r.summary}" for r in rules.rules]
    return "\n".join(rows) + "\n"


def _install_languagetool() -> None:
    from qualcheck.backends import languagetool

    click.echo("qualcheck: downloading LanguageTool (about 250 MB) for language-tool-python...", err=True)
    try:
        folder = languagetool.install()
    except languagetool.Unavailable as exc:
        raise QualcheckError(str(exc)) from None
    click.echo(f"qualcheck: LanguageTool installed in {folder}; grammar checks will start it locally", err=True)


def _merge_decisions(target: str | None, sources: tuple[str, ...]) -> None:
    from qualcheck import review

    if not target:
        raise ConfigError("--merge-decisions needs --decisions FILE (or decisions = \"...\" in the config) to merge into")
    result = review.merge(target, sources)
    click.echo(
        f"qualcheck: {target}: {result.added} decision(s) added, {result.changed} changed, "
        f"{result.unchanged} unchanged; {result.total} in all",
        err=True,
    )


def _decide(target: str | None, dismiss: tuple[str, ...], accept: tuple[str, ...], note: str) -> None:
    from qualcheck import review

    if not target:
        raise ConfigError("--dismiss/--accept need --decisions FILE (or decisions = \"...\" in the config) to record into")
    decided = [review.Decision(fp, "dismissed", note) for fp in dismiss] + [review.Decision(fp, "accepted", note) for fp in accept]
    result = review.record(target, decided)
    click.echo(f"qualcheck: {target}: {result.added} decision(s) added, {result.changed} changed; {result.total} in all", err=True)


def _cache_command(path: str, clear: bool) -> None:
    from qualcheck import store as _store

    try:
        if clear:
            found = _store.clear(path)
            click.echo(f"qualcheck: store {path}: {'deleted' if found else 'there was none'}", err=True)
            return
        if not Path(path).exists():
            _out(f"qualcheck: store {path}: none yet (a run creates it)")
            _engine_cache_info()
            return
        notices: list = []
        with _store.Store(path, notices) as st:
            info = st.info()
    except _store.StoreError as exc:
        raise QualcheckError(str(exc)) from None
    for n in notices:
        click.echo(f"qualcheck: {n.level}: {n.message}", err=True)
    _out(
        f"store {info['path']}: {info['documents']} document(s), {info['results']} checked result(s) "
        f"from {info['rule_sets']} rule set(s), {info['claims']} claim set(s), {info['names']} name count(s); "
        f"{info['bytes'] / 1e6:.1f} MB"
    )
    _engine_cache_info()


def _engine_cache_info() -> None:
    """The engine cache beside the store: not the corpus store, so --cache-clear and --no-cache leave it."""
    from qualcheck import user_cache

    entries, size = user_cache.size()
    _out(f"engine cache {user_cache.cache_dir()}: {entries} entr{'y' if entries == 1 else 'ies'}, {size / 1e6:.1f} MB "
         f"(unpacked models and engine answers, kept for the {user_cache.KEEP} installs last used; ${user_cache.CACHE_ENV} moves it)")


def _is_git_ref(name: str) -> bool:
    import subprocess

    try:
        return subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _changed_settings(settings: config.Settings, ref: str | None, listed: str | None) -> config.Settings:
    """PATHS (else the configured corpus, else here) become the corpus; the changed articles in it are checked."""
    from qualcheck import changes

    if ref is not None and listed is not None:
        raise ConfigError("--changed and --changed-from cannot be combined")
    corpus = settings.paths or settings.corpus or (".",)
    root = Path(settings.root)
    if ref is not None:
        paths, unread = changes.articles(changes.since(ref, root), corpus, root)
        records, flawed = changes.changed_records(ref, paths, root)
    else:  # a CI system's own list: files, or records as reports name them ("corpus.jsonl#ID")
        named, records = changes.named_records(changes.from_list(listed), root)
        (paths, unread), flawed = changes.articles(named, corpus, root), frozenset()
    # a corpus file whose records are all as they were (reordered, reformatted) has nothing to check,
    # unless it gained lines that are no record: read, so that they are reported
    paths = [p for p in paths if records.get(str((root / p).resolve())) != frozenset() or str((root / p).resolve()) in flawed]
    return dataclasses.replace(settings, paths=tuple(paths), corpus=tuple(corpus), changed_records=records, changed_unread=tuple(unread))


def _timing_lines(result, documents: int) -> list[str]:
    """Where the time went: reading, checking, and the slowest rules (engines load in their first rule)."""
    t = dict(result.timings)
    read, check = t.pop("read", 0.0), t.pop("check", 0.0)
    t = {k: v for k, v in t.items() if not k.endswith("-workers")}  # counts of worker processes, not seconds
    lines = [f"read {documents} document(s) in {read:.2f} s; checked with {len(result.rules)} rule(s) in {check:.2f} s"]
    slowest = sorted(t.items(), key=lambda kv: -kv[1])[:8]
    if slowest:
        lines.append("slowest rules: " + ", ".join(f"{code} {seconds:.2f} s" for code, seconds in slowest))
    return lines


class _Progress:
    """A progress bar on stderr, only when stderr is a terminal and the run is long (``quiet``: none).

    Called after every document, it also ends a run whose SIGTERM was swallowed (see _exit_on_sigterm)."""

    def __init__(self, quiet: bool = False) -> None:
        self.bar = None
        self.quiet = quiet

    def __call__(self, done: int, total: int) -> None:
        _end_if_terminated()
        if self.quiet or total < 20 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="checking", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)
        if done == total:
            self.bar.__exit__(None, None, None)


def _run_streaming(settings, quiet: bool):
    """Run with the JSONL report written as documents are scored: to the -o file (put in place when the run
    ends, never half-written) or to stdout, line by line."""
    from qualcheck.render import jsonl

    progress = _Progress(quiet)
    if not settings.output:
        result = engine.run(settings, progress=progress, sink=lambda d: _out(jsonl.document_line(d), nl=False))
        for chunk in jsonl.run_chunks(result):
            _out(chunk, nl=False)
        return result
    path = Path(settings.output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic.streaming(path) as write:
            result = engine.run(settings, progress=progress, sink=lambda d: write(jsonl.document_line(d)))
            _end_if_terminated()  # before the report is put in place
            for chunk in jsonl.run_chunks(result):
                write(chunk)
    except OSError as exc:
        raise QualcheckError(f"{display_name(str(path))}: cannot write the report: {exc.strerror or exc}") from None
    return result


_TERMINATED: list[int] = []  # the signal, once SIGTERM has come


def _exit_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C (temporary files removed, servers stopped) and exits 143.

    A signal that lands while an object's ``__del__`` runs raises there, and Python ignores
    exceptions raised in ``__del__``: so the signal is also remembered, and the run ends at the next
    document or before its report is written (``_end_if_terminated``)."""

    def stop(signum, frame):
        if not _TERMINATED:
            click.echo("qualcheck: terminated; no report was written (the -o file, if any, is unchanged)", err=True)
            _TERMINATED.append(signum)
        sys.exit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding application): leave its handlers alone
        pass


def _end_if_terminated() -> None:
    """End the run if a SIGTERM came whose exit was swallowed (raised inside a ``__del__``)."""
    if _TERMINATED:
        sys.exit(128 + _TERMINATED[0])


class _Command(click.Command):
    """Turn an unexpected exception into exit 2 with one line: a crash must never read as "gate failed" (1)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # click would print "Aborted!" and exit 1, which reads as "gate failed"
            click.echo("qualcheck: interrupted; no report was written (the -o file, if any, is unchanged)", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            raise QualcheckError(f"internal error: {type(exc).__name__}: {exc} (please report this)") from exc


@click.command(cls=_Command, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option("--report", "-r", "report", type=click.Choice(config.REPORT_FORMATS), default=None, help="Output format.  [default: text]")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help=f"Write the report to this file (html defaults to {DEFAULT_HTML}).")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra folder of rule YAML files (repeatable); loaded with the bundled rules.")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (comma-separated, repeatable), e.g. BP,RD101.")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (comma-separated, repeatable).")
@click.option("--exclude", multiple=True, help="Skip files matching this glob (repeatable).")
@click.option("--language", "language", metavar="TAG", default=None, help="English variant whose spelling counts as correct: en (American and British alike), en-US, en-GB, en-AU, en-CA, en-ZA.  [default: language in the config, else en]")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, help="Exit 1 when any document's overall score is below this.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "never"]), default=None, help="Exit 1 when any finding has at least this severity (never: no severity gate, overriding the config).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when the gate fails (gate failures are still listed on stderr); errors and incomplete runs still exit 2.")
@click.option("--allow-incomplete", is_flag=True, default=None, help="Exit 0/1 even when some inputs could not be read (they are still reported).")
@click.option("--decisions", type=click.Path(dir_okay=False), default=None, help="Editor decisions (JSON Lines exported from the HTML report, or a SQLite database): dismissed findings stay in the report but no longer count toward scores or the gate.")
@click.option("--merge-decisions", multiple=True, type=click.Path(dir_okay=False), metavar="JSONL", help="Merge decisions exported from the HTML report (repeatable) into the --decisions file (JSON Lines or SQLite, created when missing), then exit.")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, help="Findings recorded as known (written by --write-baseline): they stay in the report but only findings not in it count toward scores and the gate.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False), default=None, metavar="FILE", help="Record every finding of this run in FILE as the baseline (JSON Lines, the decisions format), then exit 0.")
@click.option("--dismiss", "dismiss", multiple=True, metavar="FINGERPRINT", help="Record an editor decision from the command line into the --decisions file: this finding is a false alarm (repeatable; with --note), then exit.")
@click.option("--accept", "accept", multiple=True, metavar="FINGERPRINT", help="Record that this finding is a real problem into the --decisions file (repeatable; with --note), then exit.")
@click.option("--note", default="", help="The note recorded with --dismiss / --accept.")
@click.option("--corpus", "corpus", multiple=True, help="Compare the checked articles with these files or folders too (repeatable); corpus documents are read, not reported.  [default: corpus in the config]")
@click.option("--changed", "changed", is_flag=False, flag_value="HEAD", default=None, metavar="[REF]", help="Check only the articles added or modified since git REF (default HEAD: uncommitted and untracked ones); PATHS are the corpus they are compared with.")
@click.option("--changed-from", "changed_from", type=str, default=None, metavar="FILE", help="Check only the articles listed in FILE (one path a line; - for stdin); PATHS are the corpus they are compared with.")
@click.option("--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None, help="Worker processes for the per-document checks; the report is the same whatever the number.  [default: every core]")
@click.option("--dask", "dask", metavar="ADDRESS", default=None, help="Run the per-document checks on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster of --jobs worker processes (extra qualcheck[dask]); the report is the same.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the corpus store: check every document afresh.")
@click.option("--store", "store", type=click.Path(dir_okay=False), default=None, help="The corpus store file.  [default: .qualcheck/store.db beside the config, else here]")
@click.option("--cache-info", is_flag=True, help="Print what the corpus store holds, then exit.")
@click.option("--cache-clear", is_flag=True, help="Delete the corpus store, then exit.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="Config file (qualcheck.toml or pyproject.toml). [default: nearest one]")
@click.option("--isolated", is_flag=True, help="Read no config file: defaults and command-line options only.")
@click.option("--show-config", is_flag=True, help="Print the resolved settings (config file and options merged) as TOML and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="CODE", default=None, help="Explain one rule and exit.")
@click.option("--languagetool", "languagetool", metavar="URL", default=None, help="LanguageTool server for the grammar check (else [tool.qualcheck.grammar] server, $QUALCHECK_LANGUAGETOOL_URL, a local install, the offline engine).")
@click.option("--install-languagetool", is_flag=True, help="Download LanguageTool once for local use (needs internet and Java 17+), then exit; checks never download.")
@click.option("--lm/--no-lm", "lm", default=None, help="Add language-model surprisal (SmolLM2-135M, extra qualcheck[lm]) to the garble score; slower.  [default: [tool.qualcheck.translation] lm, else off]")
@click.option("--encoder/--no-encoder", "encoder", default=None, help="Add a small sentence encoder's probe (all-MiniLM-L6-v2, extra qualcheck[encoder]) to the garble score: about 0.3 s to load, then about 150 sentences/s on one core.  [default: [tool.qualcheck.translation] encoder, else off]")
@click.option("--quiet", "-q", is_flag=True, help="Do not print notices or the HTML path on stderr/stdout.")
@click.option("--verbose", "-v", is_flag=True, help="Also print on stderr the engines used and where the time went (reading, checking, the slowest rules).")
@click.version_option(__version__, "--version", prog_name="qualcheck")
def main(paths, report, output, rule_dirs, select, ignore, exclude, language, fail_under, fail_on, exit_zero, allow_incomplete, decisions, merge_decisions, baseline, write_baseline, dismiss, accept, note, corpus, changed, changed_from, jobs, dask, no_cache, store, cache_info, cache_clear, config_file, isolated, show_config, list_rules, explain, languagetool, install_languagetool, lm, encoder, quiet, verbose) -> None:
    """Check news articles for grammar, garbled translation, boilerplate residue,
    readability and cross-source agreement.

    PATHS are files (.txt, .md, .jsonl), folders (searched recursively), globs, or - for stdin.
    """
    if changed is not None and changed != "HEAD" and Path(changed).exists() and not _is_git_ref(changed):
        paths, changed = (*paths, changed), "HEAD"  # `--changed seeds/`: a path, not a ref
    cli = {
        "paths": tuple(paths),
        "report": report,
        "output": output,
        "rules": tuple(str(Path(d).resolve()) for d in rule_dirs),
        "select": _codes(select),
        "ignore": _codes(ignore),
        "exclude": tuple(exclude),
        "language": language,
        "fail_under": fail_under,
        "fail_on": fail_on if fail_on in (None, "never") else Severity.parse(fail_on),
        "allow_incomplete": allow_incomplete,
        "decisions": decisions,
        "baseline": baseline,
        "corpus": tuple(corpus),
        "cache": False if no_cache else None,
        "store": store,
        "jobs": jobs,
        "dask": dask,
        "languagetool": languagetool,
        "lm": lm,
        "encoder": encoder,
    }
    if install_languagetool:
        _install_languagetool()
        return
    settings = config.build(cli, config_file, isolated=isolated)
    if show_config:
        _out(config.show(settings), nl=False)
        return
    if merge_decisions:
        _merge_decisions(settings.decisions, merge_decisions)
        return
    if dismiss or accept:
        _decide(settings.decisions, dismiss, accept, note)
        return
    if cache_info or cache_clear:
        _cache_command(settings.store, clear=cache_clear)
        return
    from qualcheck.document_phase import default_jobs

    settings = dataclasses.replace(settings, cache=settings.cache is not False, jobs=settings.jobs or default_jobs())
    if list_rules or explain:
        rules = ruleset.load(settings.rules)
        _out(_explain(rules, explain) if explain else _list(rules), nl=False)
        return
    if changed is not None or changed_from is not None:
        settings = _changed_settings(settings, changed, changed_from)
        if not settings.paths and not quiet:
            click.echo("qualcheck: no new or changed articles to check; the report is empty", err=True)
    elif not settings.paths:
        raise ConfigError("no PATHS given (try: qualcheck seeds/)")
    _exit_on_sigterm()

    if settings.report == "jsonl":
        result = _run_streaming(settings, quiet)
    else:
        result = engine.run(settings, progress=_Progress(quiet))
    _end_if_terminated()  # before any report is written
    if not quiet:
        for notice in result.notices:
            where = f"{notice.document}: " if notice.document else ""
            click.echo(printable(f"qualcheck: {notice.level}: {where}{notice.message}"), err=True)

    info = result.run_info
    if info.get("store") and (verbose or info.get("reused")) and not quiet:
        click.echo(f"qualcheck: store: {info['reused']} document(s) unchanged since they were checked, read from {info['store']}; {info['checked']} checked", err=True)
    if verbose:
        for line in _timing_lines(result, len(result.documents)):
            click.echo(f"qualcheck: timing: {line}", err=True)

    rendered = renderer(settings.report)(result) if settings.report != "jsonl" else None
    target = settings.output or (DEFAULT_HTML if settings.report == "html" else None)
    if rendered is None:  # streamed while the run went
        if target and not quiet:
            _out(display_name(str(target)))
    elif target:
        path = Path(target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(path, rendered)  # never a truncated report at the -o path
        except OSError as exc:
            raise QualcheckError(f"{display_name(target)}: cannot write the report: {exc.strerror or exc}") from None
        if not quiet:
            _out(display_name(str(path)))
    else:
        _out(rendered, nl=False)

    if write_baseline:
        from qualcheck import review

        count = review.write_baseline(write_baseline, result)
        if not quiet:
            click.echo(f"qualcheck: baseline: recorded {count} finding(s) in {write_baseline}", err=True)
        sys.exit(2 if result.incomplete and not settings.allow_incomplete else 0)

    reasons = engine.gate(result, settings.fail_under, settings.gate_severity)
    for reason in reasons:
        click.echo(printable(f"qualcheck: gate: {reason}"), err=True)
    if result.incomplete and not settings.allow_incomplete:
        click.echo("qualcheck: error: the run is incomplete: some inputs could not be read (see notices above)", err=True)
        sys.exit(2)
    if reasons and exit_zero:
        click.echo("qualcheck: gate: failed, but --exit-zero makes the exit code 0", err=True)
    sys.exit(1 if reasons and not exit_zero else 0)
