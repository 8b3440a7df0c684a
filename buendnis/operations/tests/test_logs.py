"""Structured logs: JSON lines carrying the request id."""

import json
import logging
import subprocess
import sys

from buendnis.conftest import REPO_ROOT
from buendnis.operations.logs import JsonFormatter, RequestIdFilter, request_id


def test_it_writes_one_json_object_with_the_request_id() -> None:
    record = logging.LogRecord("buendnis.x", logging.WARNING, __file__, 1, "Über %s", ("18",), None)
    token = request_id.set("abc123abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Über 18"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "buendnis.x"
    assert entry["request_id"] == "abc123abc123"


def test_it_switches_to_json_with_the_environment_variable(tmp_path: object) -> None:
    script = (
        "import django, logging; django.setup(); logging.getLogger('buendnis').warning('hallo')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "buendnis.settings",
            "BUENDNIS_LOG_FORMAT": "json",
            "BUENDNIS_DATA_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "hallo"
    assert entry["request_id"] == "-"


def test_it_takes_the_id_from_the_request_django_logs_a_response_with() -> None:
    from django.test import RequestFactory

    request = RequestFactory().get("/nope")
    request.request_id = "req0000abcd"  # type: ignore[attr-defined]
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = request
    RequestIdFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["request_id"] == "req0000abcd"
