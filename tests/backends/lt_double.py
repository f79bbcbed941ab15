"""A LanguageTool protocol double: a real HTTP server on 127.0.0.1 answering like LanguageTool 6.x.

It proves the wiring (language-tool-python's remote_server path, our requests, offsets, mapping),
not grammar accuracy: it "finds" a fixed list of words and reports them with LanguageTool's JSON
shape, counting offsets in UTF-16 code units as LanguageTool does.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# word -> (rule id, category id, issueType, message, replacements)
RULES = {
    "goverment": ("MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", "Possible spelling mistake found.", ["government"]),
    "the the": ("ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication", "Possible typo: you repeated a word.", ["the"]),
    "they was": ("PERS_PRONOUN_AGREEMENT", "GRAMMAR", "grammar", "Did you mean \u201cthey were\u201d?", ["they were"]),
    "he go ": ("HE_VERB_AGR", "GRAMMAR", "grammar", "The pronoun ‘He’ is usually used with a third-person verb.", ["He goes "]),
    " ,": ("COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY", "whitespace", "Don't put a space before the comma.", [","]),
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


FAULTS = ("hang", "slow", "http500", "http503-once", "malformed-json", "close", "offsets", "hang-after-probe")


class Double:
    """Start with ``Double()``; ``url`` is the base URL; ``requests`` records every /v2/check form.

    ``fault`` makes it a sick server from the ``fail_after``-th check on (default: from the first):
    "hang" never answers, "slow" answers after ``delay`` seconds, "http500" answers 500,
    "http503-once" answers 503 once then normally, "malformed-json" answers non-JSON, "close"
    drops the connection, "offsets" answers matches pointing outside the text, and
    "hang-after-probe" answers the first /v2/languages and hangs on every later request.
    """

    def __init__(self, fail_after: int | None = None, fault: str | None = None, delay: float = 0.3) -> None:
        assert fault is None or fault in FAULTS, fault
        self.requests: list[dict[str, str]] = []
        self.fail_after = fail_after
        self.fault = fault if fault else ("close" if fail_after is not None else None)
        self.delay = delay
        self.probes = 0
        self.released = threading.Event()  # set by close(): hanging handlers return
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def _send(self, status: int, payload) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                double.probes += 1
                if double.fault == "hang-after-probe" and double.probes > 1:
                    double.released.wait(60)
                    return
                if self.path.startswith("/v2/languages"):
                    # the English entries of a real LanguageTool 6.x server's list
                    self._send(200, [{"name": name, "code": "en", "longCode": code} for name, code in (
                        ("English", "en"), ("English (Australian)", "en-AU"), ("English (Canadian)", "en-CA"),
                        ("English (GB)", "en-GB"), ("English (New Zealand)", "en-NZ"),
                        ("English (South African)", "en-ZA"), ("English (US)", "en-US"))])
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                if not self.path.startswith("/v2/check"):
                    return self._send(404, {"error": "not found"})
                double.requests.append(form)
                sick = double.fault and len(double.requests) > (double.fail_after or 0)
                if not sick:
                    return self._send(200, double.answer(form))
                fault = double.fault
                if fault in ("hang", "hang-after-probe"):
                    double.released.wait(60)
                    return
                if fault == "slow":
                    time.sleep(double.delay)
                    return self._send(200, double.answer(form))
                if fault == "http500":
                    return self._send(500, {"error": "Internal Server Error"})
                if fault == "http503-once":
                    double.fault = None
                    return self._send(503, {"error": "Service Unavailable"})
                if fault == "malformed-json":
                    body = b'{"matches": [ {"offset": 1,'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if fault == "offsets":
                    answer = double.answer(form)
                    n = utf16_len(form.get("text", ""))
                    answer["matches"] = [dict(m, offset=n + 5) for m in answer["matches"]] + [
                        dict(m, offset=-3) for m in answer["matches"]] + [dict(m, length="x") for m in answer["matches"]]
                    return self._send(200, answer)
                # "close": a dying server drops the connection without an answer
                self.close_connection = True
                self.connection.shutdown(2)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, form: dict[str, str]) -> dict:
        text = form.get("text", "")
        disabled = set(filter(None, form.get("disabledRules", "").split(",")))
        matches = []
        for needle, (rule_id, category, issue_type, message, replacements) in RULES.items():
            if rule_id in disabled:
                continue
            start = text.lower().find(needle)
            while start >= 0:
                offset, length = utf16_len(text[:start]), utf16_len(text[start : start + len(needle)])
                ctx_start = max(0, start - 10)
                matches.append({
                    "message": message,
                    "shortMessage": "",
                    "replacements": [{"value": r} for r in replacements],
                    "offset": offset,
                    "length": length,
                    "context": {"text": text[ctx_start : start + len(needle) + 10], "offset": start - ctx_start, "length": length},
                    "sentence": text,
                    "type": {"typeName": "Other"},
                    "rule": {"id": rule_id, "description": message, "issueType": issue_type,
                             "category": {"id": category, "name": category.title()}},
                    "ignoreForIncompleteSentence": False,
                    "contextForSureMatch": 0,
                })
                start = text.lower().find(needle, start + 1)
        return {
            "software": {"name": "LanguageTool", "version": "6.3", "buildDate": "2023-10-06", "apiVersion": 1,
                         "premium": False, "status": ""},
            "warnings": {"incompleteResults": False},
            "language": {"name": "English (US)", "code": "en-US",
                         "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.99}},
            "matches": matches,
        }

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
