"""Hypothesis strategies over catalog schemas: bodies a schema allows, and anything at all."""

from __future__ import annotations

import math
from datetime import UTC
from typing import Any

from hypothesis import strategies as st

from mcexplorer.core.catalog.model import Schema

# Anything json.loads can return, NaN and huge integers included.
any_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

# Keyed by id(), so each entry keeps its schema alive: a schema freed by another test
# would hand its id, and so its strategy, to a different schema.
_cache: dict[tuple[int, str], tuple[Schema, st.SearchStrategy[Any]]] = {}


def valid_value(schema: Schema, name: str = "") -> st.SearchStrategy[Any]:
    """Values the schema allows: required fields always, optional ones sometimes."""
    key = (id(schema), name)
    if key not in _cache:
        _cache[key] = (schema, _valid(schema, name))
    return _cache[key][1]


def _valid(schema: Schema, name: str) -> st.SearchStrategy[Any]:
    if schema.enum:
        return st.sampled_from(schema.enum)
    kind = schema.type
    if kind == "object":
        props = schema.properties
        fixed = {n: valid_value(props[n], n) for n in schema.required}
        optional = {n: valid_value(s, n) for n, s in props.items() if n not in schema.required}
        shaped = st.fixed_dictionaries(fixed, optional=optional)
        if schema.additional is None:
            return shaped if props else st.dictionaries(st.text(max_size=6), any_json, max_size=3)
        extra = st.dictionaries(
            st.text(min_size=1, max_size=6).filter(lambda k: k not in props),
            valid_value(schema.additional),
            max_size=3,
        )
        return st.tuples(shaped, extra).map(lambda pair: {**pair[1], **pair[0]})
    if kind == "array":
        items = valid_value(schema.items) if schema.items is not None else any_json
        return st.lists(items, max_size=3)
    if kind == "string":
        if schema.format == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat())
        if schema.format == "email" or name == "email_address":
            return st.emails()
        return st.text(max_size=schema.max_length if schema.max_length is not None else 12)
    low = schema.minimum
    high = schema.maximum
    if kind == "integer":
        return st.integers(
            min_value=None if low is None else math.ceil(low),
            max_value=None if high is None else math.floor(high),
        )
    if kind == "number":
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return any_json
