"""Measure the identifier screening: loading the name list once, then one note at a time.

    .venv/bin/python bench/screening.py

Prints JSON: the first use (import of the name list from faker, seconds and MiB), and the
time to screen and to mask a 500-character note beside a floor (one pass of a word regex
over the same text), as a ratio.
"""

import json
import os
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")

import django

django.setup()

from buendnis.core import identifiers  # noqa: E402
from buendnis.core.names import name_list  # noqa: E402
from buendnis.core.tests.screening_corpus import HARMLESS, IDENTIFYING  # noqa: E402

ROUNDS = 200


def _note() -> str:
    """About 500 characters of ordinary and identifying notes together."""
    parts = [*HARMLESS[:4], IDENTIFYING[0][0], IDENTIFYING[30][0], *HARMLESS[10:14]]
    return " ".join(parts)[:500]


def _per_call(function: object, text: str) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        function(text)  # type: ignore[operator]
    return (time.perf_counter() - started) / ROUNDS


def main() -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    names = name_list()
    load_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    name_list.cache_clear()  # once more under tracemalloc, which slows it, for the memory
    tracemalloc.start()
    name_list()
    load_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    note = _note()
    word = re.compile(r"\w+")
    floor = _per_call(word.findall, note)
    screen = _per_call(identifiers.find_identifiers, note)
    mask = _per_call(identifiers.mask_identifiers, note)
    print(
        json.dumps(
            {
                "first_names": len(names.first_names),
                "surnames": len(names.surnames),
                "name_list_load_s": round(load_s, 3),
                "name_list_traced_mib": round(load_mib, 1),
                "rss_growth_mib": round(rss_after - rss_before, 1),
                "note_chars": len(note),
                "screen_ms": round(screen * 1000, 2),
                "mask_ms": round(mask * 1000, 2),
                "floor_ms": round(floor * 1000, 3),
                "screen_over_floor": round(screen / floor, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
