"""Pure parts: the fields filter (hypothesis), fault configs, catalog matching."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.sandbox import fields
from mcexplorer.sandbox.catalog import Catalog
from mcexplorer.sandbox.errors import ApiError
from mcexplorer.sandbox.faults import PROFILES, FaultConfig, FaultConfigError

names = st.sampled_from(["id", "name", "stats", "lists", "email", "x"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=4),
    max_leaves=20,
)
dicts = st.dictionaries(names, json_values, min_size=1, max_size=5)


def _paths(value: Any, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _paths(item, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = prefix + key
            found |= {name} | _paths(item, name + ".")
    return found


@given(dicts, st.data())
def test_fields_keeps_only_what_was_asked(body: dict[str, Any], data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(sorted(_paths(body))), min_size=1, max_size=3))
    cut = fields.apply(body, {"fields": ",".join(chosen)}, {})
    kept = _paths(cut)
    assert kept <= _paths(body)
    for path in kept:
        assert any(
            path == c or path.startswith(c + ".") or c.startswith(path + ".") for c in chosen
        )


@given(dicts, st.data())
def test_exclude_fields_removes_what_was_named(body: dict[str, Any], data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(sorted(_paths(body))), min_size=1, max_size=3))
    cut = fields.apply(body, {"exclude_fields": ",".join(chosen)}, {})
    assert not (_paths(cut) & set(chosen))


def test_fields_unknown_name_raises_422() -> None:
    with pytest.raises(ApiError) as caught:
        fields.apply({"a": 1}, {"fields": "a,b.c"}, {"a": "integer"})
    assert caught.value.status == 422 and "b.c" in caught.value.detail


def test_fields_known_from_catalog_even_if_absent() -> None:
    assert fields.apply({"lists": []}, {"fields": "lists.id"}, {"lists.id": "string"}) == {
        "lists": []
    }


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_is_valid(name: str) -> None:
    assert FaultConfig.profile(name).to_dict() == FaultConfig.from_dict({"profile": name}).to_dict()


def test_profile_overrides_and_errors() -> None:
    config = FaultConfig.from_dict({"profile": "flaky", "latency_ms": 0})
    assert config.latency_ms == 0 and config.rates
    with pytest.raises(FaultConfigError, match="between 0 and 1"):
        FaultConfig(rates={"500": 2.0})
    with pytest.raises(FaultConfigError, match="firewall_after_404s"):
        FaultConfig(firewall_after_404s=0)


def test_fault_draws_follow_rates_and_seed() -> None:
    config = FaultConfig(rates={"503": 0.25, "reset": 0.25})
    draws = [config.draw(random.Random(5)) for _ in range(3)]
    assert len(set(draws)) == 1
    rng = random.Random(1)
    many = [config.draw(rng) for _ in range(4000)]
    assert 800 < many.count("503") < 1200 and 800 < many.count("reset") < 1200
    assert FaultConfig().draw(rng) is None


def test_latency_fixed_or_jittered() -> None:
    rng = random.Random(0)
    assert FaultConfig(latency_ms=50).delay_s(rng) == 0.05
    jittered = [FaultConfig(latency_ms=50, latency_jitter_ms=20).delay_s(rng) for _ in range(200)]
    assert min(jittered) > 0.05 and max(jittered) > 0.09


def test_catalog_prefers_literal_segments() -> None:
    catalog = Catalog.load()
    match = catalog.match(["lists", "abc", "members", "h1", "actions", "delete-permanent"])
    assert match is not None and set(match.ops) == {"POST"}
    assert catalog.match(["lists", "abc", "nothing"]) is None
    assert not catalog.too_deep(["lists", "abc", "nothing"])
    assert catalog.too_deep(["ping", "x"])
