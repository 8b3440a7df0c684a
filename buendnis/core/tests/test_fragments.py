"""Fragment keys: the same data gives the same key; any change, or another language, another."""

from django.utils.translation import gettext_lazy, override

from buendnis.core.fragments import digest


def _table(total: int) -> list[object]:
    return [("kind", gettext_lazy("Summe"), [{"label": gettext_lazy("Summe"), "total": total}])]


def test_it_gives_equal_data_the_same_key() -> None:
    assert digest(2025, _table(3)) == digest(2025, _table(3))


def test_it_gives_changed_data_another_key() -> None:
    assert digest(2025, _table(3)) != digest(2025, _table(4))
    assert digest(2025, _table(3)) != digest(2024, _table(3))
    assert digest("3") != digest(3)


def test_it_gives_another_language_another_key() -> None:
    with override("de"):
        german = digest(_table(3))
    with override("en"):
        assert digest(_table(3)) != german


def test_it_takes_keys_that_json_cannot() -> None:
    assert digest({(1, 2): 3}) == digest({(1, 2): 3})
    assert digest({(1, 2): 3}) != digest({(1, 2): 4})
