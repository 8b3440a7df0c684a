"""What every two-writer test checks: two people load the same record, both save."""

import html
from typing import Any

from django.test import Client


def loaded_form(client: Client, url: str) -> Any:
    """Open an edit page as a person would; return its form (with the version it carries)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.context["form"]


def loaded_version(client: Client, url: str) -> int:
    """The version the edit page's hidden field sends back."""
    form = loaded_form(client, url)
    return int(form["version"].value())


def assert_second_writer_refused(response: Any, *, mine: str, stored: str) -> None:
    """409 on the shared page: the second writer's input beside the stored value, kept.

    ``mine`` is a value the second writer typed, ``stored`` one the first writer saved.
    Their input is both shown and re-sent, so choosing to save it again loses nothing.
    """
    assert response.status_code == 409
    text = html.unescape(response.content.decode())
    assert "Gleichzeitige Änderung" in text
    assert mine in text and stored in text
    assert any(mine in value for _name, value in response.context["resent"])
    assert "Meine Fassung trotzdem speichern" in text


def resend(response: Any) -> dict[str, list[str]]:
    """The form the conflict page posts when the writer keeps their version."""
    data: dict[str, list[str]] = {}
    for name, value in response.context["resent"]:
        data.setdefault(name, []).append(value)
    return data
