"""The committed catalog is what scripts/build_catalog.py derives from the spec, and is coherent."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "mcexplorer" / "data" / "catalog.json"
SPEC = ROOT.parent / "shared" / "spec" / "mailchimp-marketing.json"
LOST_ITEMS = ROOT / "scripts" / "lost_item_schemas.json"
needs_spec = pytest.mark.skipif(
    not SPEC.exists(), reason="../shared/spec is not beside this checkout"
)


def _catalog() -> dict[str, Any]:
    return json.loads(CATALOG.read_text())


def _builder() -> Any:
    module_spec = importlib.util.spec_from_file_location(
        "build_catalog", ROOT / "scripts" / "build_catalog.py"
    )
    assert module_spec and module_spec.loader
    builder = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(builder)
    return builder


def _self_referencing(spec: dict[str, Any]) -> set[str]:
    """Schemas whose own text holds a $ref to themselves."""
    schemas = spec["components"]["schemas"]
    prefix = "#/components/schemas/"
    return {name for name, body in schemas.items() if f'"{prefix}{name}"' in json.dumps(body)}


@needs_spec
def test_catalog_matches_the_spec() -> None:
    spec = json.loads(SPEC.read_text())
    assert _builder().build_catalog(spec) == _catalog()
    expected = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert {(op["method"], op["path"]) for op in _catalog()["operations"]} == expected


def test_every_path_placeholder_is_a_required_path_param() -> None:
    for op in _catalog()["operations"]:
        placeholders = set(re.findall(r"{(\w+)}", op["path"]))
        declared = {p["name"] for p in op["params"] if p["in"] == "path"}
        assert placeholders == declared, op["id"]
        assert all(p["required"] for p in op["params"] if p["in"] == "path"), op["id"]


def test_operations_are_unique_and_well_formed() -> None:
    ops = _catalog()["operations"]
    assert len(ops) == 270
    assert len({op["id"] for op in ops}) == len(ops)
    assert len({(op["method"], op["path"]) for op in ops}) == len(ops)
    for op in ops:
        assert op["method"] in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        assert op["success"] in {200, 204}
        assert op["path"].startswith("/")


def test_paging_parameters_carry_their_limits() -> None:
    counts = [p for op in _catalog()["operations"] for p in op["params"] if p["name"] == "count"]
    assert counts
    assert all(p.get("maximum") == 1000 and p.get("default") == 10 for p in counts)


def test_body_fields_name_their_required_fields() -> None:
    put_member = next(
        op
        for op in _catalog()["operations"]
        if op["method"] == "PUT" and op["path"] == "/lists/{list_id}/members/{subscriber_hash}"
    )
    assert {"email_address", "status_if_new"} <= set(put_member["body"]["required"])
    assert put_member["body"]["fields"]["status_if_new"][0] == "subscribed"


@needs_spec
def test_lost_item_schemas_are_exactly_the_specs_self_references() -> None:
    spec = json.loads(SPEC.read_text())
    lost = {name for name in json.loads(LOST_ITEMS.read_text()) if not name.startswith("_")}
    # When a newer spec stops looping, its entry here must go (and the reverse).
    assert lost == _self_referencing(spec)
    restored = _builder()._restore_lost_items(spec)
    assert _self_referencing(restored) == set()
    assert spec == json.loads(SPEC.read_text()), "the builder must not change its input"


@needs_spec
def test_every_ref_of_the_lost_item_schemas_resolves() -> None:
    builder = _builder()
    spec = builder._restore_lost_items(json.loads(SPEC.read_text()))
    refs = re.findall(r'"\$ref": "([^"]+)"', LOST_ITEMS.read_text())
    assert refs
    for ref in refs:
        assert builder._deref(spec, ref), ref


def test_body_schemas_agree_with_the_flat_fields() -> None:
    for op in _catalog()["operations"]:
        body = op["body"]
        if body is None:
            continue
        schema = body["schema"]
        top = {name for name in body["fields"] if "." not in name}
        assert set(schema.get("properties", {})) == top, op["id"]
        assert sorted(schema.get("required", [])) == body["required"], op["id"]


def test_required_names_are_properties_at_every_level() -> None:
    def walk(node: dict[str, Any], where: str) -> None:
        props = node.get("properties", {})
        assert set(node.get("required", [])) <= set(props), where
        assert node["type"] in {"object", "array", "string", "integer", "number", "boolean", "any"}
        for name, sub in props.items():
            walk(sub, f"{where}.{name}")
        for key in ("items", "additional"):
            if key in node:
                walk(node[key], f"{where}[{key}]")

    bodies = [op for op in _catalog()["operations"] if op["body"]]
    assert len(bodies) > 50
    for op in bodies:
        walk(op["body"]["schema"], op["id"])


def test_operations_and_parameters_are_documented() -> None:
    for op in _catalog()["operations"]:
        assert op["summary"] and op["description"], op["id"]
        for param in op["params"]:
            assert param["description"], (op["id"], param["name"])


def test_instance_operations_answer_with_the_element_not_the_collection() -> None:
    ops = {(op["method"], op["path"]): op for op in _catalog()["operations"]}
    for (method, path), op in ops.items():
        collection = ops.get(("GET", path.rsplit("/", 1)[0]))
        if not path.endswith("}") or collection is None or method == "DELETE":
            continue
        arrays = [k for k, v in collection["response"].items() if v == "array<object>"]
        # An instance never answers with its collection's paging fields and element list.
        assert not ("total_items" in op["response"] and set(arrays) <= set(op["response"])), op[
            "id"
        ]
