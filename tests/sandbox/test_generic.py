"""Catalog-driven answers for operations without a stateful handler."""

from __future__ import annotations

import re

import httpx

from mcexplorer.sandbox.catalog import Catalog
from mcexplorer.sandbox.resources import HANDLERS


def _top_keys(template: str, method: str = "GET") -> set[str]:
    op = next(o for o in Catalog.load().operations if (o.method, o.template) == (method, template))
    return {name.split(".")[0] for name in op.response}


def test_every_catalog_operation_has_an_answer() -> None:
    ops = Catalog.load().operations
    assert len(ops) == 270
    assert [
        o for o in ops if Catalog.load().match([s for s in o.template.split("/") if s]) is None
    ] == []


def test_collection_shape_and_links(api: httpx.Client) -> None:
    body = api.get("ecommerce/stores").json()
    assert set(body) == _top_keys("/ecommerce/stores")
    assert body["total_items"] == len(body["stores"]) == 2
    assert {link["rel"] for link in body["_links"]} >= {"self", "parent", "create"}
    assert body["stores"][0]["id"] != body["stores"][1]["id"]


def test_item_echoes_path_params_and_ids_are_stable(api: httpx.Client) -> None:
    path = "ecommerce/stores/shop1/customers/cust9"
    first, second = api.get(path).json(), api.get(path).json()
    assert first == second
    assert first["id"] == "cust9" or first["id"]
    assert set(first) == _top_keys("/ecommerce/stores/{store_id}/customers/{customer_id}")


def test_write_echoes_accepted_body_fields(api: httpx.Client) -> None:
    response = api.patch("ecommerce/stores/shop1", json={"name": "Corner Shop", "bogus": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Corner Shop"
    assert "bogus" not in body


def test_write_body_is_validated(api: httpx.Client) -> None:
    response = api.post("ecommerce/stores", json={"name": "No id"})
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Invalid Resource"
    assert any("Required fields" in e["message"] for e in body["errors"])
    wrong = api.patch("ecommerce/stores/shop1", json={"name": 5})
    assert wrong.json()["errors"][0]["field"] == "name"


def test_delete_and_actions_are_204_without_body(api: httpx.Client) -> None:
    for response in (
        api.delete("ecommerce/stores/shop1"),
        api.post("connected-sites/site1/actions/verify-script-installation"),
    ):
        assert response.status_code == 204
        assert response.content == b""
        assert response.headers["x-request-id"]


def test_sample_of_generic_gets_have_the_catalog_shape(api: httpx.Client) -> None:
    generic = [
        o
        for o in Catalog.load().operations
        if o.method == "GET" and (o.method, o.template) not in HANDLERS
    ]
    assert len(generic) > 50
    for op in generic[::7]:
        path = re.sub(r"\{[^}]+\}", "x1", op.template).lstrip("/")
        response = api.get(path)
        assert response.status_code == 200, (op.template, response.text)
        assert set(response.json()) == _top_keys(op.template), op.template
