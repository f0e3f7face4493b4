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


def _catalog() -> dict[str, Any]:
    return json.loads(CATALOG.read_text())


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/spec is not beside this checkout")
def test_catalog_matches_the_spec() -> None:
    spec_path = ROOT / "scripts" / "build_catalog.py"
    module_spec = importlib.util.spec_from_file_location("build_catalog", spec_path)
    assert module_spec and module_spec.loader
    builder = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(builder)
    spec = json.loads(SPEC.read_text())
    assert builder.build_catalog(spec) == _catalog()
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
