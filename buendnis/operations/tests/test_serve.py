"""``buendnis serve``: gunicorn with access log and timeout, a worker beside it, one Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from buendnis.conftest import REPO_ROOT
from buendnis.core.management.commands.serve import gunicorn_arguments


def test_it_runs_gunicorn_with_workers_timeout_and_access_log() -> None:
    command = gunicorn_arguments("0.0.0.0:9000", workers=3, timeout=300)
    assert command[1:4] == ["-m", "gunicorn", "buendnis.wsgi:application"]
    options = dict(zip(command[4::2], command[5::2], strict=True))
    assert options["--bind"] == "0.0.0.0:9000"
    assert options["--workers"] == "3"
    assert options["--timeout"] == "300"
    # threads: a streamed export keeps the worker's heartbeat going, the timeout spares it
    assert options["--worker-class"] == "gthread"
    assert options["--threads"] == "4"
    # kept-alive connections spread over the workers instead of piling onto one
    assert options["--worker-connections"] == "12"
    assert options["--access-logfile"] == "-"
    assert gunicorn_arguments("8123", workers=1, timeout=30)[5] == "127.0.0.1:8123"
    assert "--access-logformat" not in command


def test_it_writes_the_access_log_as_json_with_the_request_id_when_asked() -> None:
    command = gunicorn_arguments("127.0.0.1:9000", workers=1, timeout=30, json_log=True)
    template = command[command.index("--access-logformat") + 1]
    assert '"request_id": "%({x-request-id}o)s"' in template
    sample = template.replace("%(s)s", "200").replace("%(M)s", "12")
    for field in ("t", "h", "m", "U", "B", "{x-request-id}o"):
        sample = sample.replace(f"%({field})s", "x")
    assert json.loads(sample)["status"] == 200


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _wait_for(url: str, status: int, seconds: float = 90) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    last: object = None
    while time.monotonic() < deadline:
        try:
            code, body = _get(url)
            if code == status:
                return body
            last = body
        except OSError as error:
            last = error
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {status}: {last}")


def _gunicorn_option(parent: int, option: str) -> str:
    """An option on the command line of the gunicorn that ``parent`` started (Linux)."""
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        arguments = Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0")
        if "gunicorn" in arguments:
            return arguments[arguments.index(option) + 1]
    raise AssertionError("no gunicorn among the children")


def test_it_serves_with_a_worker_reloads_on_hup_and_stops_on_one_interrupt(
    tmp_path: Path,
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BUENDNIS_")}
    env.update(
        BUENDNIS_DATA_DIR=str(tmp_path), BUENDNIS_WORKERS="1", BUENDNIS_WORKER_CONNECTIONS="5"
    )
    buendnis = [sys.executable, "-m", "buendnis.cli"]
    subprocess.run([*buendnis, "migrate", "-v0"], env=env, cwd=REPO_ROOT, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*buendnis, "serve", f"127.0.0.1:{port}", "--with-worker"],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_for(f"{base}/healthz", 200) == {"status": "ok"}
        assert _wait_for(f"{base}/readyz", 200)["worker"] == "ok"  # the worker beats
        assert _gunicorn_option(server.pid, "--worker-connections") == "5"

        server.send_signal(signal.SIGHUP)  # graceful reload: new workers, same socket
        time.sleep(1)
        assert _wait_for(f"{base}/healthz", 200) == {"status": "ok"}

        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the terminal
        out, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert '"GET /healthz HTTP/1.1" 200' in out  # the access log
    assert "Handling signal: hup" in out
    # web server, its workers and the task worker are all gone: the process group is empty
    with pytest.raises(ProcessLookupError):
        os.killpg(server.pid, 0)
