"""Partial responses: `fields` and `exclude_fields` with dot notation.

Arrays are traversed transparently, so `lists.id` picks `id` in every element
of `lists`. A name is valid when the catalog lists it for the operation or the
actual body has it (the catalog has gaps, e.g. self-referencing member schemas).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mcexplorer.sandbox.errors import ApiError, named

Tree = dict[str, "Tree"]  # an empty subtree means "this whole value"


def split_names(raw: str) -> list[str]:
    return [name.strip() for name in raw.split(",") if name.strip()]


def _tree(names: Iterable[str]) -> Tree:
    root: Tree = {}
    for name in names:
        node = root
        parts = name.split(".")
        for i, part in enumerate(parts):
            if part in node and not node[part]:
                break  # a shorter name already asks for the whole value
            node = node.setdefault(part, {})
            if i == len(parts) - 1:
                node.clear()
    return root


def _include(value: Any, tree: Tree) -> Any:
    if not tree:
        return value
    if isinstance(value, list):
        return [_include(v, tree) for v in value]
    if isinstance(value, dict):
        return {k: _include(value[k], sub) for k, sub in tree.items() if k in value}
    return value


def _exclude(value: Any, tree: Tree) -> Any:
    if isinstance(value, list):
        return [_exclude(v, tree) for v in value]
    if isinstance(value, dict):
        return {
            k: (_exclude(v, tree[k]) if k in tree else v)
            for k, v in value.items()
            if k not in tree or tree[k]
        }
    return value


def _exists(value: Any, parts: list[str]) -> bool:
    if not parts:
        return True
    if isinstance(value, list):
        return any(_exists(v, parts) for v in value)
    if isinstance(value, dict) and parts[0] in value:
        return _exists(value[parts[0]], parts[1:])
    return False


def _known(name: str, catalog_fields: dict[str, Any], body: Any) -> bool:
    if name in catalog_fields or any(k.startswith(name + ".") for k in catalog_fields):
        return True
    parts = name.split(".")
    # Below an array or object whose items the catalog does not describe, any name may exist
    # (an empty collection has no item to look into).
    for end in range(1, len(parts)):
        prefix = ".".join(parts[:end])
        kind = catalog_fields.get(prefix)
        opaque = isinstance(kind, str) and (kind.startswith("array") or kind == "object")
        if opaque and not any(k.startswith(prefix + ".") for k in catalog_fields):
            return True
    return _exists(body, parts)


def check_exclusive(query: dict[str, str]) -> None:
    if query.get("fields") and query.get("exclude_fields"):
        raise named("BadRequest", "Use either fields or exclude_fields, not both in one request.")


def apply(body: Any, query: dict[str, str], catalog_fields: dict[str, Any]) -> Any:
    """The body cut down as the query asks; ApiError 422 for a `fields` name that does not
    exist (an unknown `exclude_fields` name is ignored, as the API does)."""
    fields = split_names(query.get("fields", ""))
    excluded = split_names(query.get("exclude_fields", ""))
    if fields:
        unknown = [n for n in fields if not _known(n, catalog_fields, body)]
        if unknown:
            raise _invalid(unknown)
        return _include(body, _tree(fields))
    return _exclude(body, _tree(excluded)) if excluded else body


def _invalid(unknown: list[str]) -> ApiError:
    return named(
        "RequestedFieldsInvalid",
        f"This response has no field named {', '.join(repr(n) for n in unknown)}.",
    )
