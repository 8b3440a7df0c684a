"""Keys for rendered page fragments that are cached by what they show.

A page hands ``digest(...)`` of the data a fragment shows (and the language) to the
template, which wraps the fragment in ``{% cache FRAGMENT_SECONDS name key using="fragments" %}``.
The same data gives the same key, so the fragment is rendered once per process; changed data
gives another key, so a cached fragment is never out of date and nothing is invalidated.
The SQL that reads the data still runs on every request: only the rendering is saved.
"""

import hashlib
import json
from typing import Any

from django.utils import translation

FRAGMENT_SECONDS = 3600  # a fragment nobody asked for in an hour gives its place up


def _plain(value: Any) -> Any:
    """Lazy translations and other objects as their text, containers as tuples."""
    if isinstance(value, dict):
        return tuple((_plain(k), _plain(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def digest(*parts: Any) -> str:
    """A key for the fragment that shows ``parts`` in the active language.

    JSON (written in C) where the parts allow it, lazy texts as their text; parts with
    keys JSON cannot take are walked in Python.
    """
    language = translation.get_language()
    try:
        text = json.dumps([language, parts], default=str, ensure_ascii=False)
    except TypeError:
        text = repr((language, _plain(parts)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
