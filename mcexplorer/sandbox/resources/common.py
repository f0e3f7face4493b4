"""What every handler shares: registration, paging, links and body validation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mcexplorer.sandbox.errors import invalid
from mcexplorer.sandbox.links import catalog_operations, resource_links
from mcexplorer.sandbox.routing import Ctx, Handler, Reply
from mcexplorer.sandbox.store import Record

HANDLERS: dict[tuple[str, str], Handler] = {}

# Runs before every handler (batches advance on the clock); set by resources/__init__.
before_each: list[Callable[[Ctx], None]] = []


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Register a handler for a catalog operation; it runs under the store's lock."""
    if (method, template) not in catalog_operations():
        raise ValueError(f"{method} {template} is not a catalog operation")

    def register(handler: Handler) -> Handler:
        def run(ctx: Ctx) -> Reply:
            with ctx.store.lock:
                for hook in before_each:
                    hook(ctx)
                return handler(ctx)

        run.__name__ = handler.__name__
        HANDLERS[(method, template)] = run
        return handler

    return register


def no_content() -> Reply:
    return Reply(status=204)


def with_links(base_url: str, template: str, params: dict[str, str], record: Record) -> Record:
    return {**record, "_links": resource_links(base_url, template, params, item=True)}


def item_reply(ctx: Ctx, record: Record, template: str | None = None, **params: str) -> Reply:
    """The object with links for `template` (default: the path called), params added."""
    path = template or ctx.template
    return Reply(
        body=with_links(ctx.base_url, path, {**ctx.params, **params}, record), template=path
    )


def paged(ctx: Ctx, items: list[Any]) -> list[Any]:
    count = _int(ctx.query.get("count"), 10)
    offset = _int(ctx.query.get("offset"), 0)
    return items[offset : offset + count]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def collection_reply(
    ctx: Ctx,
    key: str,
    items: list[Record],
    *,
    item_template: str | None = None,
    id_param: str = "",
    id_key: str = "id",
    render: Callable[[Record], Record] = dict,
    extra: dict[str, Any] | None = None,
) -> Reply:
    """`{key: [...page], **extra, total_items, _links}` with item links when item_template given."""
    rows = []
    for record in paged(ctx, items):
        row = render(record)
        if item_template:
            params = {**ctx.params, id_param: str(record[id_key])}
            row = with_links(ctx.base_url, item_template, params, row)
        rows.append(row)
    body = {key: rows, **(extra or {}), "total_items": len(items)}
    body["_links"] = resource_links(ctx.base_url, ctx.template, ctx.params, item=False)
    return Reply(body=body)


def body_of(ctx: Ctx, *, partial: bool = False, required: Iterable[str] | None = None) -> Record:
    """The request body checked against the catalog's field types, enums and required list."""
    body = ctx.body
    if not isinstance(body, dict):
        found = _json_type(body)
        raise invalid([{"field": "", "message": f"Schema describes object, {found} found instead"}])
    spec = catalog_operations()[(ctx.method, ctx.template)].body or {}
    need = list(required) if required is not None else ([] if partial else spec.get("required", []))
    errors: list[dict[str, str]] = []
    missing = [name for name in need if name not in body]
    if missing:
        text = ", ".join(missing)
        errors.append({"field": "", "message": f"Required fields were not provided: {text}"})
    _check(body, "", "", spec.get("fields", {}), errors)
    if errors:
        raise invalid(errors)
    return body


def _check(
    value: dict[str, Any],
    spec_prefix: str,
    shown_prefix: str,
    fields: dict[str, Any],
    errors: list[dict[str, str]],
) -> None:
    """Type-check known fields; array items are named like the API does (`ops.item:3.body`)."""
    for key, item in value.items():
        name, shown = spec_prefix + key, shown_prefix + key
        expected = fields.get(name)
        if expected is None:
            continue
        problem = _type_problem(item, expected)
        if problem:
            errors.append({"field": shown, "message": problem})
        elif isinstance(item, dict):
            _check(item, name + ".", shown + ".", fields, errors)
        elif isinstance(item, list) and expected == "array<object>":
            for index, element in enumerate(item):
                where = f"{shown}.item:{index}"
                if isinstance(element, dict):
                    _check(element, name + ".", where + ".", fields, errors)
                else:
                    found = _json_type(element)
                    message = f"Schema describes object, {found} found instead"
                    errors.append({"field": where, "message": message})


def _json_type(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _type_problem(value: Any, expected: str | list[str]) -> str | None:
    if isinstance(expected, list):
        if value in expected:
            return None
        return f"Value must be one of: {', '.join(map(str, expected))}"
    wanted = "array" if expected.startswith("array") else expected
    found = _json_type(value)
    if found == wanted or (wanted == "number" and found == "integer"):
        return None
    return f"Schema describes {wanted}, {found} found instead"
