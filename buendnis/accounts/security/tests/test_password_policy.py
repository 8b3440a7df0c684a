"""Password rules that the account pages apply (OWASP ASVS 2.1)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_it_refuses_passwords_shorter_than_twelve_characters() -> None:
    with pytest.raises(ValidationError):
        validate_password("kurz-9x!aQ")
    validate_password("zwölf-zeichen-lang")


def test_it_accepts_long_passphrases_with_any_characters() -> None:
    validate_password("ein langer Satz mit Umlauten äöü und Zeichen ☂︎ " * 2)
