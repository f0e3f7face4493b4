"""Whatever a server sends, decoding never raises and always yields something readable."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.problems.problem import (
    KINDS,
    FieldError,
    Problem,
    decode_problem,
    parse_retry_after,
)

# derandomize: the same examples on every run; the suite-wide autouse fixture is harmless here.
SETTINGS = settings(
    derandomize=True,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

statuses = st.integers(min_value=100, max_value=599) | st.integers(-10, 10_000)
content_types = st.sampled_from(
    [
        "",
        "application/problem+json; charset=utf-8",
        "application/json",
        "text/html",
        "text/plain",
        "application/octet-stream",
    ]
) | st.text(max_size=40)
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(
            st.sampled_from(["type", "title", "status", "detail", "instance", "errors", "message"])
            | st.text(max_size=10),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


def _check(status: int, content_type: str, body: bytes) -> None:
    problem = decode_problem(status, {"content-type": content_type}, body)
    if 200 <= status < 300:
        assert problem is None
        return
    assert problem is not None
    assert problem.title.strip()
    assert problem.kind in KINDS
    assert problem.status == status
    Glossary.load().lookup(problem)  # lookup must cope with whatever the decoder made
    json.dumps(problem.to_dict())


@SETTINGS
@given(statuses, content_types, st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(status: int, content_type: str, body: bytes) -> None:
    _check(status, content_type, body)


@SETTINGS
@given(statuses, content_types, json_values)
def test_arbitrary_json_never_raises(status: int, content_type: str, value: Any) -> None:
    _check(status, content_type, json.dumps(value).encode())


optional_text = st.none() | st.text(max_size=30)
problems = st.builds(
    Problem,
    status=st.none() | st.integers(100, 599),
    title=st.text(max_size=40),
    detail=st.text(max_size=80),
    type=st.text(max_size=30),
    instance=st.text(max_size=30),
    errors=st.lists(st.builds(FieldError, st.text(max_size=20), st.text(max_size=40))).map(tuple),
    kind=st.sampled_from(KINDS),
    reference=optional_text,
    code=optional_text,
    retry_after_s=st.none() | st.floats(min_value=0, max_value=1e6),
    quota_reset=optional_text,
)


@SETTINGS
@given(problems)
def test_problems_round_trip_through_json(problem: Problem) -> None:
    again = Problem.from_dict(json.loads(json.dumps(problem.to_dict())))
    assert again == problem


@SETTINGS
@given(statuses, json_values)
def test_decoded_problems_round_trip(status: int, value: Any) -> None:
    problem = decode_problem(
        status, {"content-type": "application/json"}, json.dumps(value).encode()
    )
    if problem is not None:
        assert Problem.from_dict(problem.to_dict()) == problem
        assert problem.retry_after_s is None or math.isfinite(problem.retry_after_s)


date_like = st.builds(
    "{}, {:02d} {} {} {:02d}:{:02d}:{:02d} {}".format,
    st.sampled_from(["Mon", "Sat", "Xyz"]),
    st.integers(0, 99),
    st.sampled_from(["Jan", "Jul", "Dec", "Foo"]),
    st.integers(-1, 99_999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["GMT", "+0200", "-9999", ""]),
)


@SETTINGS
@given(st.text(max_size=60) | date_like | st.integers(-(10**20), 10**20).map(str))
def test_any_retry_after_value_is_safe(value: str) -> None:
    seconds = parse_retry_after(value, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert seconds is None or (math.isfinite(seconds) and seconds >= 0)
    problem = decode_problem(429, {"Retry-After": value}, b"")
    assert problem is not None and problem.title == "Too Many Requests"
