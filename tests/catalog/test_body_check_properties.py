"""Properties of the body check over every catalog operation: it never crashes, a body
built from the schema passes, and a broken one is caught where it was broken."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcexplorer.core.catalog.body_paths import join_path, split_path
from mcexplorer.core.catalog.model import DEFAULT_PATH, Catalog, Operation
from mcexplorer.core.catalog.schema import check, check_body, field_at
from tests.catalog.strategies import any_json, valid_value

CATALOG = Catalog.load()
MAILERSEND = Catalog.load(DEFAULT_PATH.with_name("mailersend_catalog.json"))
WITH_BODY = [op for op in [*CATALOG.operations, *MAILERSEND.operations] if op.body is not None]
ALL = [*CATALOG.operations, *MAILERSEND.operations]
SLOW_OK = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

op_and_body = st.sampled_from(WITH_BODY).flatmap(
    lambda op: st.tuples(st.just(op), valid_value(op.body))  # type: ignore[arg-type]
)


@SLOW_OK
@given(op=st.sampled_from(ALL), body=any_json)
def test_any_json_body_gives_issues_and_never_raises(op: Operation, body: Any) -> None:
    for issue in check_body(op, body):
        assert issue.severity in ("error", "warning")
        assert issue.message


@SLOW_OK
@given(pair=op_and_body, junk=any_json, data=st.data())
def test_junk_anywhere_in_a_valid_body_never_raises(
    pair: tuple[Operation, Any], junk: Any, data: st.DataObject
) -> None:
    op, body = pair
    keys = list(body) if isinstance(body, dict) else []
    if keys:
        body = dict(body)
        body[data.draw(st.sampled_from(keys))] = junk
    for issue in check_body(op, body):
        # Every path the check reports leads somewhere in the body it was given.
        assert issue.path == "" or split_path(issue.path)[0] in body


@SLOW_OK
@given(pair=op_and_body)
def test_a_body_built_from_the_schema_passes(pair: tuple[Operation, Any]) -> None:
    op, body = pair
    assert check_body(op, body) == [], op.id


@SLOW_OK
@given(pair=op_and_body, data=st.data())
def test_a_removed_required_field_is_reported_at_its_path(
    pair: tuple[Operation, Any], data: st.DataObject
) -> None:
    op, body = pair
    holders = list(_required_holders(op, body, ""))
    if not holders:
        return
    path, name = data.draw(st.sampled_from(holders))
    broken = copy.deepcopy(body)
    _at(broken, path).pop(name)
    issues = check_body(op, broken)
    assert [(i.severity, i.path) for i in issues] == [("error", join_path(path, name))]


@given(st.text())
def test_any_text_is_a_path_that_looks_up_without_raising(path: str) -> None:
    for op in WITH_BODY[:20]:
        assert op.body is not None
        field_at(op.body, path)


@given(value=any_json)
def test_check_with_no_schema_shape_accepts_everything(value: Any) -> None:
    from mcexplorer.core.catalog.model import Schema

    assert check(Schema(), value) == []


def _required_holders(op: Operation, body: Any, path: str) -> list[tuple[str, str]]:
    """(object path, required name) for each required field present in the body."""
    schema = field_at(op.body, path) if op.body is not None else None
    node = _at(body, path)
    if schema is None or not isinstance(node, dict):
        return []
    found = [(path, name) for name in schema.required if name in node]
    for name, sub in schema.properties.items():
        if name in node and sub.type == "object":
            found += _required_holders(op, body, join_path(path, name))
    return found


def _at(body: Any, path: str) -> Any:
    for part in split_path(path):
        body = body[part]
    return body
