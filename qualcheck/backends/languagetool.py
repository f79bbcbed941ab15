"""LanguageTool through language-tool-python 3.4.0: find a server, check texts, convert offsets.

Facts about language-tool-python 3.4.0 this module relies on (verified on the team's machines):
- ``LanguageTool()`` without ``remote_server`` downloads LanguageTool on first use; offline that
  raises ``requests.exceptions.ConnectionError`` (not ``LanguageToolError``). We therefore only
  start a local server when an installation is already on disk, and never download during a check.
- an unreachable ``remote_server`` raises ``LanguageToolError`` (from fetching /v2/languages);
- a Java version it cannot parse raises ``SystemExit``; ``LTP_JAR_DIR_PATH`` does not work in
  3.4.0, ``LTP_PATH`` (the download folder) does.
- ``Match`` converts offsets through class-level state shared by every thread and leaves the
  length in UTF-16 units, so we read the raw JSON matches and convert offsets ourselves.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

# language-tool-python imports requests, urllib3, psutil and packaging (about 0.15 s): it is imported
# only when a server is asked for or an installation exists, never in an offline run

ENV_URL = "QUALCHECK_LANGUAGETOOL_URL"
ENGINE = "languagetool"

# A sick server must cost seconds, not the 300 s language-tool-python waits by default.
CONNECT_TIMEOUT = 3.0  # seconds to open a connection: a live server on the network answers far sooner
PROBE_TIMEOUT = 10.0  # seconds for /v2/languages, which any server answers at once
READ_BASE = 5.0  # seconds to answer a check, plus one per READ_CHARS_PER_SECOND characters of text
READ_CHARS_PER_SECOND = 1000.0  # a slow LanguageTool on a loaded machine; typical is several times faster
RETRIES = 2  # extra attempts after a refused/reset connection or a 429/502/503/504 (a check changes nothing)
BACKOFF = 0.25  # seconds before the first retry, doubled for each next one
RETRY_STATUS = {429, 502, 503, 504}


def read_timeout(chars: int, cap: float) -> float:
    """How long to wait for LanguageTool's answer on ``chars`` characters: grows with the text, never past ``cap``."""
    return max(1.0, min(cap, READ_BASE + chars / READ_CHARS_PER_SECOND))


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found by a grammar engine, in code points relative to the checked text."""

    start: int
    end: int
    type: str  # spelling | grammar | structure | typography
    message: str
    engine: str
    origin: str | None = None  # the engine's own rule id
    suggestions: tuple[str, ...] = ()
    severity: str | None = None  # LanguageTool's own weight of the type, kept for reports
    weight: float = 1.0  # how strong the evidence is (offline: words a parse had to leave out)


class Unavailable(Exception):
    """LanguageTool cannot be reached or started; the message says why in one line."""


def utf16_to_codepoints(text: str) -> list[int]:
    """Map every UTF-16 offset of ``text`` (0..len16) to its code-point offset.

    LanguageTool counts UTF-16 code units; Python strings count code points, so every astral
    character (emoji, some CJK) before an offset shifts it by one.
    """
    table = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(i + 1)  # the low surrogate: an offset inside a pair rounds up
    table.append(len(text))
    return table


# LanguageTool category ids and issue types -> our issue types (GR rules select on these)
_CATEGORY_TYPES = {
    "TYPOS": "spelling",
    "GRAMMAR": "grammar",
    "CONFUSED_WORDS": "grammar",
    "COLLOCATIONS": "grammar",
    "SEMANTICS": "grammar",
    "NONSTANDARD_PHRASES": "grammar",
    "MISC": "grammar",
    "PUNCTUATION": "typography",
    "TYPOGRAPHY": "typography",
    "CASING": "typography",
    "COMPOUNDING": "typography",
    "STYLE": "style",
    "REDUNDANCY": "style",
    "PLAIN_ENGLISH": "style",
    "WIKIPEDIA": "style",
    "REPETITIONS_STYLE": "style",
    "GENDER_NEUTRALITY": "style",
    "FALSE_FRIENDS": "grammar",
}
_ISSUE_TYPES = {
    "misspelling": "spelling",
    "grammar": "grammar",
    "duplication": "grammar",
    "typographical": "typography",
    "whitespace": "typography",
    "style": "style",
    "register": "style",
    "locale-violation": "spelling",
}
_SEVERITY = {"spelling": "warning", "grammar": "warning", "typography": "info", "style": "info"}


def issue_type(category: str, issue_type_: str) -> str:
    """Map a LanguageTool match to our issue type: the issue type first, then the category."""
    return _ISSUE_TYPES.get(issue_type_) or _CATEGORY_TYPES.get(category, "grammar")


def to_issues(text: str, matches: Iterable[dict[str, Any]], table: list[int] | None = None, dropped: list[int] | None = None) -> list[Issue]:
    """Turn LanguageTool's JSON matches for ``text`` into issues with code-point spans.

    A match whose offsets fall outside the text or whose fields have the wrong shape is dropped
    (counted in ``dropped[0]`` when given), never allowed to end the run or point past the text.
    """
    table = table or utf16_to_codepoints(text)
    last = len(table) - 1
    out = []
    bad = 0
    for m in matches:
        try:
            rule = m.get("rule") or {}
            category = str((rule.get("category") or {}).get("id", ""))
            kind = issue_type(category, str(rule.get("issueType", "")))
            offset, length = m["offset"], m["length"]
            if isinstance(offset, bool) or isinstance(length, bool) or not isinstance(offset, int) or not isinstance(length, int):
                raise ValueError("offset/length not integers")
            if offset < 0 or length < 0 or offset + length > last:
                raise ValueError("offsets outside the text")
            start, end = table[offset], table[offset + length]
            replacements = tuple(str(r["value"]) for r in (m.get("replacements") or [])[:5] if isinstance(r, dict) and r.get("value") is not None)
            origin = rule.get("id")
        except (AttributeError, KeyError, TypeError, ValueError):
            bad += 1
            continue
        if end <= start:
            continue
        out.append(
            Issue(
                start=start,
                end=end,
                type=kind,
                message=" ".join(str(m.get("message", "")).split()),
                engine=ENGINE,
                origin=None if origin is None else str(origin),
                suggestions=replacements,
                severity=_SEVERITY.get(kind),
            )
        )
    if dropped is not None:
        dropped[0] += bad
    return out


def _download_folder() -> Path:
    """language-tool-python's download folder (its ``get_language_tool_download_path``, without creating it)."""
    return Path(os.environ.get("LTP_PATH", str(Path.home() / ".cache" / "language_tool_python")))


def installed_version() -> str | None:
    """The newest LanguageTool that language-tool-python already has on disk (LTP_PATH), if any."""
    try:
        # language-tool-python finds installations as LanguageTool* folders: with none, it need not be imported
        if not any(p.is_dir() for p in _download_folder().glob("LanguageTool*")):
            return None
        from language_tool_python.download_lt import LocalLanguageTool

        latest = LocalLanguageTool.get_latest_installed_version()
    except (OSError, ValueError):
        return None
    return latest.version_name if latest else None


class LanguageToolClient:
    """One connection to a LanguageTool server (remote, or local started from an existing install).

    ``check`` is safe to call from several threads: it builds the request itself and only reads
    the tool's settings.
    """

    def __init__(self, tool: Any, where: str, timeout: float, disabled_rules=(), disabled_categories=()) -> None:
        self.tool = tool
        self.where = where
        self.timeout = timeout
        if disabled_rules:
            tool.disabled_rules = set(disabled_rules)
        if disabled_categories:
            tool.disabled_categories = set(disabled_categories)
        self._check_url = urllib.parse.urljoin(tool._url, "check")
        self.dropped = [0]  # matches with offsets outside the text or malformed fields, over the run
        self._dropped_lock = threading.Lock()

    @classmethod
    def connect(cls, url: str, language: str = "en-US", timeout: float = 60.0, **kwargs) -> "LanguageToolClient":
        """Connect to a running server at ``url``; raise Unavailable with the reason."""
        import language_tool_python
        import requests
        from language_tool_python.exceptions import LanguageToolError
        from language_tool_python.utils import parse_url

        # language-tool-python waits up to 300 s on /v2/languages; probe with our own timeout first
        probe = urllib.parse.urljoin(parse_url(url), "v2/languages")
        bounded = (CONNECT_TIMEOUT, min(timeout, PROBE_TIMEOUT))
        try:
            requests.get(probe, timeout=bounded).raise_for_status()
        except (requests.RequestException, ValueError) as exc:
            raise Unavailable(f"no LanguageTool server at {url} ({_short(exc)})") from None
        # the constructor fetches /v2/languages again with a class-level 300 s timeout: bound it too
        bounded_tool = type("BoundedLanguageTool", (language_tool_python.LanguageTool,), {"_TIMEOUT": bounded})
        try:
            tool = bounded_tool(language, remote_server=url)
        except (LanguageToolError, requests.RequestException, ValueError) as exc:
            raise Unavailable(f"no LanguageTool server at {url} ({_short(exc)})") from None
        return cls(tool, url, timeout, **kwargs)

    @classmethod
    def start_local(cls, language: str = "en-US", timeout: float = 60.0, **kwargs) -> "LanguageToolClient":
        """Start a local server from an installation already on disk; never download one."""
        import language_tool_python
        import requests
        from language_tool_python.exceptions import LanguageToolError

        version = installed_version()
        if version is None:
            raise Unavailable("no local LanguageTool installation (see `qualcheck --install-languagetool`)")
        try:
            tool = language_tool_python.LanguageTool(language, language_tool_download_version=version)
        except SystemExit as exc:  # language-tool-python exits when it cannot parse `java -version`
            raise Unavailable(f"local LanguageTool {version} cannot start: {exc}") from None
        except (LanguageToolError, requests.RequestException, OSError, ValueError) as exc:
            raise Unavailable(f"local LanguageTool {version} cannot start ({_short(exc)})") from None
        return cls(tool, f"local LanguageTool {version}", timeout, **kwargs)

    def check(self, text: str) -> list[Issue]:
        """Check a whole text in one request; raise Unavailable when the server fails, times out or answers nonsense.

        The read timeout grows with the text (``read_timeout``). A refused or reset connection and a
        429/502/503/504 are retried with back-off (a check changes nothing on the server, and the
        request was not served); a timeout is not (a server that hung once would hang again and
        double the wait), nor an HTTP 500 or a malformed answer (the same text would fail again).
        """
        import requests

        params = self.tool._create_params(text)
        timeout = (CONNECT_TIMEOUT, read_timeout(len(text), self.timeout))
        for attempt in range(RETRIES + 1):
            try:
                response = requests.post(self._check_url, data=params, timeout=timeout)
                if response.status_code in RETRY_STATUS and attempt < RETRIES:
                    time.sleep(BACKOFF * 2**attempt)
                    continue
                response.raise_for_status()
                answer = response.json()
                matches = answer["matches"]
                if not isinstance(matches, list):
                    raise ValueError("'matches' is not a list")
                break
            except requests.ConnectionError as exc:
                if attempt < RETRIES and not isinstance(exc, requests.Timeout):
                    time.sleep(BACKOFF * 2**attempt)
                    continue
                raise Unavailable(f"LanguageTool at {self.where} failed ({_short(exc)})") from None
            except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
                raise Unavailable(f"LanguageTool at {self.where} failed ({_short(exc)})") from None
        dropped = [0]
        issues = to_issues(text, matches, dropped=dropped)
        if dropped[0]:
            with self._dropped_lock:
                self.dropped[0] += dropped[0]
        return issues

    def close(self) -> None:
        try:
            self.tool.close()
        except Exception:  # closing a remote client or a dead server must not fail the run
            pass


def _short(exc: BaseException) -> str:
    import requests

    if isinstance(exc, requests.ConnectionError):
        url = getattr(getattr(exc, "request", None), "url", None)
        return f"cannot connect to {url}" if url else "cannot connect"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, ValueError) and not str(exc).strip():
        return "malformed answer"
    if isinstance(exc, (KeyError, TypeError)):
        return f"malformed answer: {type(exc).__name__} {exc}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def install(version: str | None = None) -> str:
    """Download LanguageTool once into language-tool-python's folder (LTP_PATH); needs internet and Java.

    ``version`` defaults to the one language-tool-python downloads. Returns the folder. Raises
    Unavailable with the reason on failure.
    """
    import requests
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool
    from language_tool_python.exceptions import LanguageToolError

    local = LocalLanguageTool.from_version_name(version or LTP_DOWNLOAD_VERSION)
    try:
        local.download()
        return str(local.get_directory_path())
    except SystemExit as exc:
        raise Unavailable(f"cannot install LanguageTool {version}: {exc}") from None
    except (requests.RequestException, LanguageToolError, OSError, ValueError) as exc:
        raise Unavailable(f"cannot install LanguageTool {version}: {_short(exc)}") from None


def env_url() -> str | None:
    return os.environ.get(ENV_URL) or None
