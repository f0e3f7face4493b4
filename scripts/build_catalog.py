"""Derive the compact endpoint catalog from the Mailchimp Marketing OpenAPI document.

    python scripts/build_catalog.py [SPEC] [-o mcexplorer/data/catalog.json]

Only facts are kept (methods, paths, parameter types and limits, field names and
types, success codes): no prose from the spec. The sandbox and the explorer both
read the output; tests/test_catalog.py rebuilds it and compares when the spec is
present.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT.parent / "shared" / "spec" / "mailchimp-marketing.json"
DEFAULT_OUT = ROOT / "mcexplorer" / "data" / "catalog.json"
METHODS = ("get", "post", "put", "patch", "delete")
MAX_DEPTH = 4
PARAM_KEYS = ("enum", "default", "maximum", "minimum")


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
        seen += 1
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = _resolve(spec, part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return schema


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    return str(kind)


def _ref_name(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]


def _fields(
    spec: dict[str, Any],
    schema: dict[str, Any],
    prefix: str,
    depth: int,
    out: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> None:
    # The converted spec has self-referencing schemas (e.g. List_Members_2
    # whose `members` items are List_Members_2): stop at a repeated ref.
    seen = seen | {_ref_name(schema)}
    schema = _resolve(spec, schema)
    if _type_of(schema) == "array":
        seen = seen | {_ref_name(schema.get("items", {}))}
        schema = _resolve(spec, schema.get("items", {}))
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(spec, raw)
        ref = _ref_name(raw) or _ref_name(raw.get("items", {}))
        path = f"{prefix}{name}"
        kind = _type_of(prop)
        item = _resolve(spec, prop.get("items", {})) if kind == "array" else {}
        if kind == "array" and _type_of(item) == "object" and item.get("properties"):
            kind = "array<object>"
        elif kind == "array":
            kind = f"array<{_type_of(item)}>"
        out[path] = list(prop["enum"]) if "enum" in prop and kind == "string" else kind
        if name == "_links" or depth >= MAX_DEPTH or (ref and ref in seen):
            continue
        if kind in ("object", "array<object>"):
            _fields(spec, raw, f"{path}.", depth + 1, out, seen)


def _param(spec: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(spec, raw.get("schema", {}))
    param: dict[str, Any] = {
        "name": raw["name"],
        "in": raw["in"],
        "required": bool(raw.get("required", False)),
        "type": _type_of(schema),
    }
    if param["type"] == "array":
        items = _resolve(spec, schema.get("items", {}))
        param["items"] = _type_of(items)
        if "enum" in items:
            param["enum"] = list(items["enum"])
    for key in PARAM_KEYS:
        if key in schema:
            param[key] = schema[key]
    return param


def _operation(spec: dict[str, Any], path: str, method: str, raw: dict[str, Any]) -> dict[str, Any]:
    params = [_param(spec, p) for p in raw.get("parameters", [])]
    body = None
    content = raw.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = _resolve(spec, content["application/json"]["schema"])
        fields: dict[str, Any] = {}
        _fields(spec, schema, "", 1, fields)
        body = {"required": sorted(set(schema.get("required", []))), "fields": fields}
    success = sorted(code for code in raw.get("responses", {}) if code.isdigit())
    status = int(success[0]) if success else 200
    response: dict[str, Any] = {}
    ok = raw.get("responses", {}).get(str(status), {}).get("content", {})
    if "application/json" in ok:
        _fields(spec, ok["application/json"]["schema"], "", 1, response)
    segments = [s for s in path.split("/") if s]
    return {
        "id": raw["operationId"],
        "method": method.upper(),
        "path": path,
        "resource": segments[0] if segments else "",
        "tag": (raw.get("tags") or [""])[0],
        "sdk_method": raw.get("x-custom-config", {}).get("methodNameSnake", ""),
        "params": params,
        "body": body,
        "success": status,
        "response": response,
    }


def build_catalog(spec: dict[str, Any]) -> dict[str, Any]:
    operations = [
        _operation(spec, path, method, item[method])
        for path, item in sorted(spec["paths"].items())
        for method in METHODS
        if method in item
    ]
    return {
        "api": "mailchimp-marketing",
        "version": spec["info"]["version"],
        "base_path": "/3.0",
        "operations": operations,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    catalog = build_catalog(json.loads(args.spec.read_text()))
    args.output.write_text(json.dumps(catalog, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{len(catalog['operations'])} operations -> {args.output}")


if __name__ == "__main__":
    main()
