"""Read a Markdown article's front matter (YAML between ``---`` or TOML between ``+++``) into fields.

Content repositories (Hugo, Jekyll, Eleventy, Astro) keep an article's title, date and source in
front matter, not in the text. The checks never read it (``document.mask`` blanks it), but what it
says is the document's metadata: the date decides which office a person held, the source is who
vouches for a claim. Only plain values of the keys below are taken; anything else is ignored.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from typing import Any

import yaml

from qualcheck import metadata

YAML_BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.S)
MAX_CHARS = 20_000  # a front matter longer than this is not metadata; it is not parsed
# document field <- front matter keys, first found wins (lower-cased keys)
KEYS = {
    "title": ("title", "headline"),
    "date": ("date", "publishdate", "publish_date", "published", "pubdate", "published_at", "datepublished"),
    "source": ("source", "publisher", "publication", "outlet", "site_name", "site"),
    "url": ("url", "canonical", "canonical_url", "canonicalurl", "source_url", "link", "permalink"),
    "event": ("event",),
}


class FrontMatterError(ValueError):
    """The front matter is there but cannot be read: one line for the notice."""


def block(raw: str) -> re.Match | None:
    """The front matter block at the head of ``raw``, YAML or TOML, or None."""
    return YAML_BLOCK.match(raw) or TOML_BLOCK.match(raw)


def fields(raw: str) -> dict[str, Any]:
    """The document fields a front matter gives (title, date, source, url, event); {} when none.

    Raises FrontMatterError when a front matter is there but is not a table of keys.
    """
    found = block(raw)
    if not found:
        return {}
    body = found.group(1) or ""
    if len(body) > MAX_CHARS:
        raise FrontMatterError(f"front matter of {len(body):,} characters (more than {MAX_CHARS:,}) not read")
    try:
        data = tomllib.loads(body) if found.re is TOML_BLOCK else yaml.safe_load(body)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError, RecursionError) as exc:
        # ValueError: a date YAML resolves but the calendar refuses ("2022-13-45"); RecursionError: deep nesting
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FrontMatterError(f"front matter is not valid {'TOML' if found.re is TOML_BLOCK else 'YAML'}: {first}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"front matter is a {type(data).__name__}, not a table of keys")
    lowered = {str(k).lower(): v for k, v in data.items()}
    out: dict[str, Any] = {}
    for name, keys in KEYS.items():
        for key in keys:
            value = _plain(lowered.get(key), name)
            if value:
                out[name] = value
                break
    return out


def _plain(value: Any, name: str) -> str | None:
    """A scalar as the string a field holds (dates as ISO days); None for lists, tables and blanks."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = " ".join(str(value).split())
    if name == "date":
        return _day(text)
    return text or None


_ISO_DAY = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")


def _day(text: str) -> str | None:
    """'2022-02-24T10:00:00Z', '2022-02-24 10:00', 'February 24, 2022' -> '2022-02-24'; else None."""
    if m := _ISO_DAY.match(text):
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    return metadata.parse(text).date
