"""Measure Bündnis over HTTP against the production server at a million activities.

    .venv/bin/python bench/http.py --database-url URL --setup [--activities 1000000]
    .venv/bin/python bench/http.py --database-url URL [--workers 4] [--load-seconds 60]

See ``bench/README.md``.
"""

import sys
from pathlib import Path

# This file is named like the standard library's ``http`` package, and Python puts the
# script's folder first on the path: move it last, behind the standard library, before
# anything imports ``http`` (the sibling bench scripts are still found).
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

ROOT = BENCH.parent


import report as report_bench  # noqa: E402 - its set-up and Django start are shared

OTHER_AGREEMENTS = 4  # large partners: about 250,000 activities each at a million


def setup(activities: int) -> dict[str, Any]:
    """The report bench's database, with the rest split over a few large partners."""
    return report_bench.setup(activities, other_agreements=OTHER_AGREEMENTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--setup", action="store_true", help="fill the (empty) database first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="buendnis-bench-http-") as tmp:
        report_bench._setup_django(args.database_url, tmp)
        if args.setup:
            started = time.perf_counter()
            result = setup(args.activities)
            result["total_seconds"] = time.perf_counter() - started
            print(json.dumps(result, indent=1), flush=True)


if __name__ == "__main__":
    main()
