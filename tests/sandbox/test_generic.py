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
    body = api.get("campaign-folders").json()
    assert set(body) == _top_keys("/campaign-folders")
    assert body["total_items"] == len(body["folders"]) == 2
    assert {link["rel"] for link in body["_links"]} >= {"self", "parent", "create"}
    assert body["folders"][0]["id"] != body["folders"][1]["id"]


def test_item_echoes_path_params_and_ids_are_stable(api: httpx.Client) -> None:
    path = "template-folders/tf9"
    first, second = api.get(path).json(), api.get(path).json()
    assert first == second
    assert set(first) == _top_keys("/template-folders/{folder_id}")


def test_write_echoes_accepted_body_fields(api: httpx.Client) -> None:
    response = api.patch("campaign-folders/f1", json={"name": "Spring", "bogus": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Spring"
    assert "bogus" not in body


def test_write_body_is_validated(api: httpx.Client) -> None:
    response = api.post("ecommerce/stores", json={"name": "No id"})
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Invalid Resource"
    assert any("Required fields" in e["message"] for e in body["errors"])
    wrong = api.patch("campaign-folders/f1", json={"name": 5})
    assert wrong.json()["errors"][0]["field"] == "name"


def test_delete_and_actions_are_204_without_body(api: httpx.Client) -> None:
    for response in (
        api.delete("campaign-folders/f1"),
        api.post("connected-sites/site1/actions/verify-script-installation"),
    ):
        assert response.status_code == 204
        assert response.content == b""
        assert response.headers["x-request-id"]


def test_ecommerce_objects_exist_once_created(api: httpx.Client) -> None:
    """Unknown stores, customers and orders are 404; created ones are kept and listed."""
    assert api.get("ecommerce/stores/shop-x").status_code == 404
    assert api.get("ecommerce/stores/shop-x/customers/c1").status_code == 404
    store = {"id": "shop-x", "list_id": "l1", "name": "Corner Shop", "currency_code": "EUR"}
    created = api.post("ecommerce/stores", json=store)
    assert created.status_code == 200
    body = created.json()
    assert body["name"] == "Corner Shop" and body["created_at"]
    assert {link["rel"] for link in body["_links"]} >= {"self", "parent"}
    assert not any("sample" in str(v) for v in body.values())
    assert api.get("ecommerce/stores/shop-x").json()["id"] == "shop-x"
    listed = api.get("ecommerce/stores").json()
    assert [s["id"] for s in listed["stores"]] == ["shop-x"]
    assert api.get("ecommerce/stores/shop-x/customers/c1").status_code == 404
    assert api.delete("ecommerce/stores/shop-x").status_code == 204
    assert api.get("ecommerce/stores/shop-x").status_code == 404


def test_sample_of_generic_gets_have_the_catalog_shape(api: httpx.Client) -> None:
    generic = [
        o
        for o in Catalog.load().operations
        if o.method == "GET" and (o.method, o.template) not in HANDLERS
    ]
    assert len(generic) > 50
    for op in [o for o in generic if not o.template.startswith("/ecommerce/stores")][::7]:
        path = re.sub(r"\{[^}]+\}", "x1", op.template).lstrip("/")
        response = api.get(path)
        assert response.status_code == 200, (op.template, response.text)
        assert set(response.json()) == _top_keys(op.template), op.template
