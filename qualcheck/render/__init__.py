"""Renderers: one module per output format, each ``render(report) -> str``."""

from __future__ import annotations

import importlib
from typing import Callable

from qualcheck.report import Report

FORMATS = {
    "text": "qualcheck.render.text",
    "json": "qualcheck.render.json",
    "jsonl": "qualcheck.render.jsonl",
    "html": "qualcheck.render.html",
    "sarif": "qualcheck.render.sarif",
    "github": "qualcheck.render.github",
    "junit": "qualcheck.render.junit",
}


def renderer(fmt: str) -> Callable[[Report], str]:
    """Return the render function of a format."""
    return importlib.import_module(FORMATS[fmt]).render
