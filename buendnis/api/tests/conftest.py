"""Fixtures for the API: the documenting agreement, a JSON client and personal tokens."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from buendnis.accounts.models import User
from buendnis.activities.tests.conftest import documenting, make_activity  # noqa: F401
from buendnis.api.services import token_create
from buendnis.counselling.tests.conftest import make_contact, topics  # noqa: F401


class Api:
    """Calls ``/api/v1/`` with a bearer token (or a logged-in session) and reads JSON."""

    def __init__(self, client: Client, secret: str | None = None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        url = "/api/v1/" + path.lstrip("/")
        if method == "get":
            response = self.client.get(url, query, **self.headers)
        else:
            response = getattr(self.client, method)(
                url, json.dumps(body), content_type="application/json", **self.headers
            )
        response.data = response.json() if response.content else None
        return response

    def get(self, path: str, **query: Any) -> Any:
        return self.call("get", path, **query)

    def post(self, path: str, body: Any) -> Any:
        return self.call("post", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.call("put", path, body)


@pytest.fixture
def api_as() -> Callable[..., Api]:
    """``api_as(user)``: a read-write token client; ``scope="read"`` for a read token."""

    def make(user: User | None, scope: str = "write") -> Api:
        if user is None:
            return Api(Client())
        _token, secret = token_create(user=user, name="test", scope=scope)
        return Api(Client(), secret)

    return make
