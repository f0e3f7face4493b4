"""count/offset rules and fields/exclude_fields with dot notation over real responses."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"count": "1001"}, "at most 1000"),
        ({"count": "ten"}, "whole number"),
        ({"count": "-1"}, "negative"),
        ({"offset": "-5"}, "negative"),
        ({"offset": "1.5"}, "whole number"),
    ],
)
def test_bad_paging_is_rejected(api: httpx.Client, query: dict[str, str], needle: str) -> None:
    response = api.get("lists", params=query)
    assert response.status_code == 400
    assert needle in response.json()["detail"]


def test_count_limits_generated_collections(api: httpx.Client) -> None:
    assert api.get("lists", params={"count": "1000", "offset": "0"}).status_code == 200
    body = api.get("campaign-folders", params={"count": "1"}).json()
    assert len(body["folders"]) == 1


def test_fields_with_dot_notation_through_arrays(api: httpx.Client) -> None:
    body = api.get("campaign-folders", params={"fields": "folders.id,total_items"}).json()
    assert set(body) == {"folders", "total_items"}
    assert body["folders"] and all(set(f) == {"id"} for f in body["folders"])


def test_exclude_fields(api: httpx.Client) -> None:
    full = api.get("campaign-folders").json()
    cut = api.get("campaign-folders", params={"exclude_fields": "folders.name,_links"}).json()
    assert "_links" in full and "_links" not in cut
    assert [set(f) for f in cut["folders"]] == [set(f) - {"name"} for f in full["folders"]]


def test_fields_and_exclude_fields_together(api: httpx.Client) -> None:
    response = api.get("ping", params={"fields": "health_status", "exclude_fields": "x"})
    assert response.status_code == 400
    assert "not both" in response.json()["detail"]


def test_unknown_field_is_422(api: httpx.Client) -> None:
    response = api.get("ping", params={"fields": "health_status,nonsense.deep"})
    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Requested Fields Invalid"
    assert "nonsense.deep" in body["detail"]


def test_fields_on_a_stateful_handler(api: httpx.Client) -> None:
    assert api.get("ping", params={"fields": "health_status"}).json() == {
        "health_status": "Everything's Chimpy!"
    }
