"""Answers kept by data version: computed once per version, shared, waited for."""

import threading

import pytest
from django.core.cache import cache

from buendnis.core import versioned


def _counting(answer: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return answer

    return calls, compute


def test_the_same_version_is_computed_once_and_a_new_version_again() -> None:
    calls, compute = _counting({"n": 1})
    assert versioned.remembered("figures", (1, "a"), compute) == {"n": 1}
    versioned.forget()  # another process: only the shared cache is left
    assert versioned.remembered("figures", (1, "a"), compute) == {"n": 1}
    assert len(calls) == 1
    assert versioned.remembered("figures", (1, "b"), compute) == {"n": 1}
    assert versioned.remembered("other", (1, "a"), compute) == {"n": 1}
    assert len(calls) == 3


def test_a_request_waits_for_the_answer_another_one_is_computing() -> None:
    calls, compute = _counting("mine")
    key = "live:" + versioned.hashlib.sha256(b"figures:(2,)").hexdigest()
    cache.add(key + ":computing", True, 30)  # another worker is computing
    other = threading.Timer(0.2, lambda: cache.set(key, "theirs", 60))
    other.start()
    try:
        assert versioned.remembered("figures", (2,), compute, wait_seconds=30) == "theirs"
    finally:
        other.join()
    assert calls == []


def test_it_computes_itself_when_the_other_answer_does_not_come() -> None:
    calls, compute = _counting("mine")
    key = "live:" + versioned.hashlib.sha256(b"figures:(3,)").hexdigest()
    cache.add(key + ":computing", True, 30)  # a worker that died while computing
    assert versioned.remembered("figures", (3,), compute, wait_seconds=0.1) == "mine"
    assert calls == [1]
    assert cache.get(key) == "mine"


def test_a_failed_computation_leaves_no_lock_behind() -> None:
    def failing() -> object:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        versioned.remembered("figures", (4,), failing)
    calls, compute = _counting("again")
    assert versioned.remembered("figures", (4,), compute, wait_seconds=0.1) == "again"
    assert calls == [1]
