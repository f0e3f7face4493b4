"""The operation catalog: `data/catalog.json`, built from the spec by scripts/build_catalog.py.

The TUI uses it to fill and document the composer: each operation's summary and
description, which parameters a path takes (with their type, limits and description),
the request body as a nested `Schema` (checked by `catalog.schema`), which response
fields `fields=` can name, and a body template for writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import orjson

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "catalog.json"

# A body field's type: a type name ("string", "array<object>") or the allowed values of an enum.
FieldType = str | tuple[str, ...]

_PLACEHOLDERS: dict[str, Any] = {
    "string": "",
    "integer": 0,
    "number": 0,
    "boolean": False,
    "object": {},
}


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # "path" | "query" | "header"
    required: bool = False
    type: str = "string"
    enum: tuple[str, ...] = ()
    default: Any = None
    maximum: int | None = None
    minimum: int | None = None
    description: str = ""
    format: str = ""
    items: str = ""  # the element type of an array parameter (`fields` takes strings)


@dataclass(frozen=True)
class Schema:
    """What a JSON value in a request body may be, with the API's description of it.

    `type` is object, array, string, integer, number, boolean or "any". An object lists
    its `properties` (and which are `required`); `additional` is the schema of the values
    of a free-form map (merge_fields: {"FNAME": ...}). An array's elements are `items`.
    """

    type: str = "any"
    description: str = ""
    format: str = ""
    enum: tuple[Any, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    properties: Mapping[str, Schema] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    items: Schema | None = None
    additional: Schema | None = None


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    resource: str
    tag: str
    sdk_method: str
    params: tuple[Param, ...]
    body_required: tuple[str, ...]
    body_fields: dict[str, FieldType] | None
    success: int
    response: dict[str, FieldType]  # dotted response field -> type (or enum values)
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    # The catalog's nested body node, made into `body` on first use: building every
    # operation's schema up front would double the catalog's load time.
    body_node: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def body(self) -> Schema | None:
        """The request body's schema; None when the operation takes no body."""
        if self.body_fields is None:
            return None
        if self.body_node is not None:
            return _schema(self.body_node)
        return _schema_from_fields(self.body_fields, self.body_required)

    @property
    def path_params(self) -> list[str]:
        return [p.name for p in self.params if p.location == "path"]

    @property
    def query_params(self) -> list[Param]:
        return [p for p in self.params if p.location == "query"]

    @property
    def label(self) -> str:
        return f"{self.method:<6} {self.path}"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def is_collection(self) -> bool:
        """A GET that pages with count/offset."""
        return any(p.name == "offset" for p in self.query_params)


def _param(raw: dict[str, Any]) -> Param:
    return Param(
        name=str(raw["name"]),
        location=str(raw["in"]),
        required=bool(raw.get("required", False)),
        type=str(raw.get("type", "string")),
        enum=tuple(str(v) for v in raw.get("enum") or ()),
        default=raw.get("default"),
        maximum=raw.get("maximum"),
        minimum=raw.get("minimum"),
        description=str(raw.get("description", "")),
        format=str(raw.get("format", "")),
        items=str(raw.get("items", "")),
    )


def _schema(raw: dict[str, Any]) -> Schema:
    props = raw.get("properties") or {}
    return Schema(
        type=str(raw.get("type", "any")),
        description=str(raw.get("description", "")),
        format=str(raw.get("format", "")),
        enum=tuple(raw.get("enum") or ()),
        default=raw.get("default"),
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        max_length=raw.get("max_length"),
        properties={name: _schema(sub) for name, sub in props.items()},
        required=tuple(raw.get("required") or ()),
        items=_schema(raw["items"]) if "items" in raw else None,
        additional=_schema(raw["additional"]) if "additional" in raw else None,
    )


def _schema_from_fields(fields: dict[str, Any], required: Iterable[str]) -> Schema:
    """A body schema rebuilt from dotted field types, for catalogs that carry no nested
    schema (MailerSend's): `to` "array<object>" with `to.email` "string" and so on."""
    children: dict[str, dict[str, Any]] = {}  # parent path -> {name: type}
    for dotted, kind in fields.items():
        parent, _, leaf = dotted.rpartition(".")
        children.setdefault(parent, {})[leaf] = kind

    def build(path: str, kind: Any, needed: Iterable[str] = ()) -> Schema:
        if isinstance(kind, (list, tuple)):  # the fields hold enums as tuples
            return Schema(type="string", enum=tuple(kind))
        text = str(kind)
        if text.startswith("array<"):
            return Schema(type="array", items=build(path, text[len("array<") : -1]))
        if text != "object":
            return Schema(type=text)
        props = {
            name: build(f"{path}.{name}" if path else name, sub)
            for name, sub in children.get(path, {}).items()
        }
        return Schema(type="object", properties=props, required=tuple(needed))

    return build("", "object", required)


def _field_type(value: Any) -> FieldType:
    return tuple(str(v) for v in value) if isinstance(value, list) else str(value)


def _operation(raw: dict[str, Any]) -> Operation:
    body = raw.get("body")
    return Operation(
        id=str(raw["id"]),
        method=str(raw["method"]).upper(),
        path=str(raw["path"]),
        resource=str(raw.get("resource", "")),
        tag=str(raw.get("tag", "")),
        sdk_method=str(raw.get("sdk_method", "")),
        params=tuple(_param(p) for p in raw.get("params", [])),
        body_required=tuple(body.get("required", ())) if body else (),
        body_fields=(
            {k: _field_type(v) for k, v in body.get("fields", {}).items()} if body else None
        ),
        success=int(raw.get("success", 200)),
        response={str(k): _field_type(v) for k, v in (raw.get("response") or {}).items()},
        summary=str(raw.get("summary", "")),
        description=str(raw.get("description", "")),
        deprecated=bool(raw.get("deprecated", False)),
        body_node=body.get("schema") if body else None,
    )


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _is_placeholder(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


class Catalog:
    """Every operation of the spec, with lookups by resource and by concrete path."""

    def __init__(self, operations: Iterable[Operation], *, base_path: str = "/3.0") -> None:
        self.operations: list[Operation] = list(operations)
        self.base_path = base_path
        # Most literal segments first, so /lists/{id}/members beats /lists/{id}/{x}-style ties.
        self._by_specificity = sorted(
            self.operations,
            key=lambda op: -sum(not _is_placeholder(s) for s in _segments(op.path)),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Catalog:
        raw = orjson.loads((path or DEFAULT_PATH).read_bytes())
        return cls(
            (_operation(op) for op in raw["operations"]), base_path=raw.get("base_path", "/3.0")
        )

    def by_resource(self) -> dict[str, list[Operation]]:
        groups: dict[str, list[Operation]] = {}
        for op in self.operations:
            groups.setdefault(op.resource or "root", []).append(op)
        return dict(sorted(groups.items()))

    def get(self, method: str, template: str) -> Operation | None:
        method = method.upper()
        for op in self.operations:
            if op.method == method and op.path == template:
                return op
        return None

    def match(self, method: str, concrete_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation a concrete path belongs to, with its path parameters filled in."""
        path = concrete_path.split("?", 1)[0]
        if path.startswith(self.base_path + "/") or path == self.base_path:
            path = path[len(self.base_path) :]
        wanted = _segments(path)
        method = method.upper()
        for op in self._by_specificity:
            if op.method != method:
                continue
            template = _segments(op.path)
            if len(template) != len(wanted):
                continue
            params: dict[str, str] = {}
            for tseg, seg in zip(template, wanted, strict=True):
                if _is_placeholder(tseg):
                    params[tseg[1:-1]] = unquote(seg)
                elif tseg != seg:
                    break
            else:
                return op, params
        return None

    def field_suggestions(self, op: Operation) -> list[str]:
        """Dotted response field names, as `fields=`/`exclude_fields=` take them."""
        return sorted(name for name in op.response if name)

    @staticmethod
    def body_template(op: Operation) -> dict[str, Any] | None:
        """A JSON body to start from: the required fields (or every top-level one if none are)."""
        if op.body_fields is None:
            return None
        names = list(op.body_required) or [n for n in op.body_fields if "." not in n]
        template: dict[str, Any] = {}
        for name in names:
            kind = op.body_fields.get(name, "string")
            if isinstance(kind, tuple):
                value: Any = kind[0] if kind else ""
            elif kind.startswith("array"):
                value = []
            else:
                value = _PLACEHOLDERS.get(kind, "")
            if value == {}:
                value = _object_template(op.body_fields, name)
            template[name] = value
        return template


def _object_template(fields: dict[str, FieldType], prefix: str) -> dict[str, Any]:
    """Fill a nested object from the dotted names under `prefix` (one level deep is enough)."""
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        if not name.startswith(prefix + "."):
            continue
        rest = name[len(prefix) + 1 :]
        if "." in rest:
            continue
        if isinstance(kind, tuple):
            out[rest] = kind[0] if kind else ""
        elif kind.startswith("array"):
            out[rest] = []
        else:
            out[rest] = _PLACEHOLDERS.get(kind, "")
    return out
