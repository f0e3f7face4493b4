"""Derive the endpoint catalog from the Mailchimp Marketing OpenAPI document.

    python scripts/build_catalog.py [SPEC] [-o mcexplorer/data/catalog.json]

For each operation: method, path, summary and description, parameters (type, format,
enum, default, limits, required, description), the request body as a nested schema
(plus the flat dotted `fields` the sandbox reads), the success code and the response
as dotted field paths with their types. Summaries and descriptions are the API's own
reference text, carried so the explorer can show it where the cursor is.

The normalised spec lost the element schema of seven collections (the element
`$ref`s the collection itself); scripts/lost_item_schemas.json supplies them. The
sandbox and the explorer both read the output; tests/data/test_catalog_data.py
rebuilds it and compares when the spec is present.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT.parent / "shared" / "spec" / "mailchimp-marketing.json"
DEFAULT_OUT = ROOT / "mcexplorer" / "data" / "catalog.json"
LOST_ITEMS = Path(__file__).resolve().parent / "lost_item_schemas.json"
METHODS = ("get", "post", "put", "patch", "delete")
MAX_DEPTH = 4
PARAM_KEYS = ("enum", "default", "maximum", "minimum", "format")
# Schema facts a body node keeps, under the catalog's own key names.
NODE_KEYS = {
    "enum": "enum",
    "format": "format",
    "default": "default",
    "minimum": "minimum",
    "maximum": "maximum",
    "maxLength": "max_length",
}
REF_PREFIX = "#/components/schemas/"


def _deref(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    """A `$ref` as a JSON pointer: a whole schema or one property of one."""
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        schema = _deref(spec, schema["$ref"])
        seen += 1
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = _resolve(spec, part)
            if part.get("description") and "description" not in merged:
                merged["description"] = part["description"]
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return schema


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    return str(kind)


def _ref(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", ""))


def _is_collection_get(path: str, method: str) -> bool:
    return method == "get" and not path.rstrip("/").endswith("}")


def _restore_lost_items(spec: dict[str, Any]) -> dict[str, Any]:
    """Point every use of a self-referencing collection at its element, except the
    collection GETs, which do answer with the collection."""
    lost: dict[str, Any] = json.loads(LOST_ITEMS.read_text("utf-8"))
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    renames: dict[str, str] = {}
    for name, item in lost.items():
        if name.startswith("_"):
            continue
        schemas[f"{name}_item"] = item
        renames[REF_PREFIX + name] = f"{REF_PREFIX}{name}_item"

    def rewrite(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("$ref") in renames:
                node["$ref"] = renames[node["$ref"]]
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    collection_gets = {
        path: copy.deepcopy(item["get"].get("responses"))
        for path, item in spec["paths"].items()
        if "get" in item and _is_collection_get(path, "get")
    }
    rewrite(spec["paths"])
    rewrite(schemas)
    for path, responses in collection_gets.items():
        spec["paths"][path]["get"]["responses"] = responses
    return spec


def _fields(
    spec: dict[str, Any],
    schema: dict[str, Any],
    prefix: str,
    depth: int,
    out: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> None:
    """Dotted field names with their types (enums as their values), to MAX_DEPTH."""
    seen = seen | {_ref(schema)}
    schema = _resolve(spec, schema)
    if _type_of(schema) == "array":
        seen = seen | {_ref(schema.get("items", {}))}
        schema = _resolve(spec, schema.get("items", {}))
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(spec, raw)
        ref = _ref(raw) or _ref(raw.get("items", {}))
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


def _node(spec: dict[str, Any], raw: dict[str, Any], seen: frozenset[str] = frozenset()) -> Any:
    """A body schema as a nested node: type, description, facts, and its children."""
    ref = _ref(raw)
    schema = _resolve(spec, raw)
    kind = _type_of(schema)
    node: dict[str, Any] = {"type": kind}
    if schema.get("description"):
        node["description"] = schema["description"]
    for key, name in NODE_KEYS.items():
        if key in schema:
            node[name] = schema[key]
    if ref and ref in seen:
        return node  # a cycle: the shape is described where it started
    seen = seen | {ref}
    if kind == "object":
        props = schema.get("properties", {})
        if props:
            node["properties"] = {n: _node(spec, p, seen) for n, p in props.items()}
        required = [n for n in dict.fromkeys(schema.get("required", [])) if n in props]
        if required:
            node["required"] = required
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            value = _node(spec, extra, seen)
            # The spec types merge-field values as bare objects, yet a text merge
            # field takes a string: a value schema with no shape accepts anything.
            if value["type"] == "object" and "properties" not in value:
                value["type"] = "any"
            node["additional"] = value
    elif kind == "array" and "items" in schema:
        node["items"] = _node(spec, schema["items"], seen)
    return node


def _param(spec: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(spec, raw.get("schema", {}))
    param: dict[str, Any] = {
        "name": raw["name"],
        "in": raw["in"],
        "required": bool(raw.get("required", False)),
        "type": _type_of(schema),
    }
    if raw.get("description"):
        param["description"] = raw["description"]
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
        body = {
            "required": sorted(set(schema.get("required", []))),
            "fields": fields,
            "schema": _node(spec, content["application/json"]["schema"]),
        }
    success = sorted(code for code in raw.get("responses", {}) if code.isdigit())
    status = int(success[0]) if success else 200
    response: dict[str, Any] = {}
    ok = raw.get("responses", {}).get(str(status), {}).get("content", {})
    if "application/json" in ok:
        _fields(spec, ok["application/json"]["schema"], "", 1, response)
    segments = [s for s in path.split("/") if s]
    op = {
        "id": raw["operationId"],
        "method": method.upper(),
        "path": path,
        "resource": segments[0] if segments else "",
        "tag": (raw.get("tags") or [""])[0],
        "sdk_method": raw.get("x-custom-config", {}).get("methodNameSnake", ""),
        "summary": raw.get("summary", ""),
        "description": raw.get("description", ""),
        "params": params,
        "body": body,
        "success": status,
        "response": response,
    }
    if raw.get("deprecated"):
        op["deprecated"] = True
    return op


def build_catalog(spec: dict[str, Any]) -> dict[str, Any]:
    spec = _restore_lost_items(spec)
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
