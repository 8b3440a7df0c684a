"""Run schemathesis against the API in-process and count what breaks (tests and bench).

Requests go through Django's WSGI handler inside the caller's database transaction, with a
personal token, on the real agreement and activity where a path names one, so the successful
paths are exercised and not only 404s.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Outcome:
    cases: int = 0
    server_errors: int = 0
    schema_violations: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@contextmanager
def in_transaction() -> Iterator[None]:
    """Keep the connection open across WSGI requests (they run in the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run(
    *,
    secret: str,
    known: dict[str, Any],
    examples: int,
    modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE,),
    derandomize: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Generate ``examples`` requests per operation and mode; count errors and violations."""
    outcome = Outcome()
    headers = {"Authorization": f"Bearer {secret}"}
    with in_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in modes:

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(
                    max_examples=examples,
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                    derandomize=derandomize,
                    database=None,
                )
                def probe(case: Any) -> None:
                    for name, value in known.items():
                        if case.path_parameters and name in case.path_parameters:
                            case.path_parameters[name] = value
                    response = case.call(headers=headers)
                    outcome.cases += 1
                    outcome.statuses[response.status_code] = (
                        outcome.statuses.get(response.status_code, 0) + 1
                    )
                    for check, counter in ((not_a_server_error, "server_errors"),):
                        try:
                            case.validate_response(response, checks=[check], headers=headers)
                        except (AssertionError, FailureGroup) as error:
                            setattr(outcome, counter, getattr(outcome, counter) + 1)
                            outcome.failures.append(f"{case.method} {case.path}: {error}"[:600])
                    try:
                        case.validate_response(response, checks=SCHEMA_CHECKS, headers=headers)
                    except (AssertionError, FailureGroup) as error:
                        outcome.schema_violations += 1
                        outcome.failures.append(f"{case.method} {case.path}: {error}"[:600])

                probe()
                if progress is not None:
                    progress(f"{operation.label} ({mode.value}): {outcome.cases} cases so far")
    return outcome
