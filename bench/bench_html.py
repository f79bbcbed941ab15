"""Measure the HTML report on a big corpus: file size, generation time, and time to interactive in chromium.

Usage:
    .venv/bin/python bench/bench_html.py ../shared/eval/clean/bbc [--docs 1000] [--select BP,RD] [--out bench/results/bench_html.json]

Builds a corpus of the first N articles (sorted paths) under DATA, checks it once, then renders it as
HTML and, as the baseline of the same session, as JSON (the same data without the page). In headless
chromium (Debian's chromium + chromium-driver, as in tests/browser) it loads the page from disk and
reads: navigation start to the page's script having built the overview (``data-ready``), the script's
own time, and the time to open one document view, to sort the 1,000-row table and to apply a filter.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualcheck import config, engine  # noqa: E402
from qualcheck.render import html  # noqa: E402
from qualcheck.render import json as json_render


def build_corpus(data: Path, n: int, into: Path) -> int:
    files = sorted(p for p in data.rglob("*.txt"))[:n]
    for p in files:
        target = into / p.relative_to(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, target)
    return len(files)


def timed(fn, repeat: int = 3):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, statistics.median(times)


def browser_timings(page: Path, repeat: int = 3) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from conftest import (
        FLAGS,
        chromium_paths,  # the same flags and binaries as the browser tests
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser_bin, driver_bin = chromium_paths()
    if not browser_bin or not driver_bin:
        return {"skipped": "chromium/chromium-driver not installed"}
    runs = []
    for _ in range(repeat):
        options = webdriver.ChromeOptions()
        options.binary_location = browser_bin
        for flag in FLAGS:
            options.add_argument(flag)
        profile = tempfile.mkdtemp(prefix="qc-bench-")
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(driver_bin), options=options)
        try:
            driver.get(page.resolve().as_uri())
            WebDriverWait(driver, 60).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
            nav = driver.execute_script(
                "var t = performance.getEntriesByType('navigation')[0];"
                "return {dcl: t.domContentLoadedEventEnd, load: t.loadEventEnd, script: window.qualcheck.readyMs,"
                " rows: document.querySelectorAll('#overview tbody tr').length, nodes: document.getElementsByTagName('*').length};"
            )
            open_doc = driver.execute_script(
                "var t = performance.now(); location.hash = '#/doc/500'; window.dispatchEvent(new HashChangeEvent('hashchange'));"
                "return {ms: performance.now() - t, marks: document.querySelectorAll('#doc-text mark').length};"
            )
            sort_ms = driver.execute_script(
                "location.hash = '#/overview'; var th = document.querySelector('#overview th[data-key=score]');"
                "var t = performance.now(); th.click(); return performance.now() - t;"
            )
            filter_ms = driver.execute_script(
                "var c = document.querySelector('label.chip[data-value=readability]'); var t = performance.now(); c.click(); return performance.now() - t;"
            )
            runs.append({"dom_content_loaded_ms": nav["dcl"], "load_ms": nav["load"], "script_ready_ms": nav["script"],
                         "open_document_ms": open_doc["ms"], "document_marks": open_doc["marks"], "sort_1000_rows_ms": sort_ms,
                         "filter_ms": filter_ms, "rows": nav["rows"], "dom_nodes": nav["nodes"]})
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    keys = [k for k in runs[0] if k not in ("rows", "dom_nodes", "document_marks")]
    out = {k: round(statistics.median(r[k] for r in runs), 1) for k in keys}
    out.update(rows=runs[0]["rows"], dom_nodes=runs[0]["dom_nodes"], document_marks=runs[0]["document_marks"], runs=repeat)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="folder of .txt articles, e.g. ../shared/eval/clean/bbc")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--select", default="", help="rule codes/prefixes to run (default: every enabled rule)")
    ap.add_argument("--out", type=Path, default=None, help="write the measurements as JSON here too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        n = build_corpus(args.data, args.docs, corpus)
        select = tuple(c for c in args.select.split(",") if c)
        settings = config.build({"paths": (str(corpus),), "select": select}, cwd=Path(tmp))
        t = time.perf_counter()
        report = engine.run(settings)
        check_s = time.perf_counter() - t
        page, html_s = timed(lambda: html.render(report))
        js, json_s = timed(lambda: json_render.render(report))
        target = Path(tmp) / "report.html"
        target.write_text(page, encoding="utf-8")
        html_bytes, json_bytes = len(page.encode("utf-8")), len(js.encode("utf-8"))
        text_bytes = sum(len(d.text.encode("utf-8")) for d in report.documents)
        result = {
            "documents": n,
            "findings": len(report.findings),
            "check_seconds": round(check_s, 2),
            "html_bytes": html_bytes,
            "json_bytes": json_bytes,
            "article_text_bytes": text_bytes,
            "html_vs_json_size": round(html_bytes / json_bytes, 2),
            "html_vs_article_text_size": round(html_bytes / text_bytes, 2),
            "html_render_seconds": round(html_s, 3),
            "json_render_seconds": round(json_s, 3),
            "html_vs_json_render_time": round(html_s / json_s, 2),
            "browser": browser_timings(target),
        }
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
