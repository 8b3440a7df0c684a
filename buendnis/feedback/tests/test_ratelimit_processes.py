"""The feedback rate limit holds across server processes that share the cache.

Two real processes submit from one address to one link at the same time; together they get
exactly the limit through — with Django's database cache (the default) and with Redis.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from buendnis.conftest import REPO_ROOT

LIMIT = 20
TRIES = 25  # per process
SCRIPT = """
import sys, django
django.setup()
from django.test import RequestFactory
from buendnis.feedback import ratelimit
request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
start = float(sys.argv[2])
import time
while time.time() < start:
    time.sleep(0.01)
tries = range(int(sys.argv[1]))
print(sum(ratelimit.allow_submission(request, link_code="SHARED1") for _ in tries))
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BUENDNIS_")}
    env.update(
        DJANGO_SETTINGS_MODULE="buendnis.settings",
        BUENDNIS_DATA_DIR=str(tmp_path),
        BUENDNIS_DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        BUENDNIS_SECRET_KEY="shared-secret-for-both-processes-" + "x" * 30,
        BUENDNIS_FEEDBACK_RATE_LIMIT=str(LIMIT),
        BUENDNIS_FEEDBACK_RATE_WINDOW_SECONDS="86400",
        **extra,
    )
    return env


def _two_processes(env: dict[str, str]) -> list[int]:
    start = str(time.time() + 3)  # both start counting at the same moment
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(TRIES), start],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    counts = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        counts.append(int(out.strip().splitlines()[-1]))
    return counts


def test_it_holds_across_two_processes_on_the_database_cache(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "buendnis.cli", "createcachetable"],
        env=env, cwd=REPO_ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    counts = _two_processes(env)
    assert sum(counts) == LIMIT, counts


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """Redis at 127.0.0.1:6379 (db 2), or a private redis-server when none runs there."""
    if _reachable(6379):
        yield "redis://127.0.0.1:6379/2"
        return
    server = shutil.which("redis-server")
    assert server, "redis-server is needed for this test (./dev test installs it)"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if _reachable(port):
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/2"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_it_holds_across_two_processes_on_redis(tmp_path: Path, redis_url: str) -> None:
    prefix = f"buendnis-test-{os.getpid()}-{time.time_ns()}"  # a key space of this run only
    env = _env(tmp_path, BUENDNIS_CACHE_URL=redis_url, BUENDNIS_CACHE_KEY_PREFIX=prefix)
    counts = _two_processes(env)
    assert sum(counts) == LIMIT, counts
