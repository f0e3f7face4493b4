"""The composer's request model: what the composer shows, held as the user typed it.

Every widget of the composer edits one `Draft` and renders from it; Send reads only the
Draft (`to_request`). Texts stay texts (count, headers, the query line, the body) so that
what cannot be read is reported, never dropped or replaced by a default: an empty path
is refused, not sent as the API root.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from mcexplorer.core import jsontext
from mcexplorer.core.catalog.model import Catalog, Operation
from mcexplorer.core.http.links import split_href
from mcexplorer.core.http.request import (
    METHODS,
    TRIGGER_HEADER,
    ApiRequest,
    RequestInvalid,
    ValidationIssue,
    parse_body_text,
    placeholders,
    subscriber_hash,
)

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
OVERRIDABLE = frozenset({"PUT", "PATCH", "DELETE"})
# Mailchimp's query options with inputs of their own.
OPTION_NAMES = ("fields", "exclude_fields", "count", "offset")
HASH_PARAM = "subscriber_hash"
_VARIABLE_OPEN = "{{"


def parse_headers(text: str) -> dict[str, str]:
    """`Name: value; Other: value` into a dict; a clear issue for a part without a colon."""
    headers: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition(":")
        if not sep or not name.strip():
            raise RequestInvalid(
                [ValidationIssue("headers", f"{part.strip()!r} needs Name: value")]
            )
        headers[name.strip()] = value.strip()
    return headers


def parse_query(text: str) -> dict[str, str]:
    """`name=value&other=value` into a dict; a clear issue for a part without `=`."""
    query: dict[str, str] = {}
    for part in text.split("&"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise RequestInvalid([ValidationIssue("query", f"{part.strip()!r} needs name=value")])
        query[name.strip()] = value.strip()
    return query


def format_headers(headers: dict[str, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in headers.items())


def _whole_number(name: str, text: str) -> ValidationIssue | None:
    """Empty means the API's default; anything else must be digits (shown, not dropped)."""
    text = text.strip()
    if text and not text.isdigit():
        return ValidationIssue(name, f"{text!r} is not a whole number (leave empty for default)")
    return None


@dataclass(frozen=True)
class SavedOrigin:
    """The saved request a draft was opened from, and the operation it held then."""

    rel: str
    method: str
    path: str


@dataclass
class Draft:
    method: str = "GET"
    path: str = "/"  # the template as typed; "" is an empty path, never the root
    params: dict[str, str] = field(default_factory=dict)  # by name, kept across edits
    fields: str = ""
    exclude_fields: str = ""
    count: str = ""
    offset: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # enum query params picked
    query_text: str = ""  # every other query parameter, `name=value&…`
    headers_text: str = ""
    trigger: str | None = None
    override: bool = False
    body: str = ""
    email: str = ""  # stands for subscriber_hash while it holds an address
    operation: Operation | None = None
    origin: SavedOrigin | None = None

    # ----- loading ---------------------------------------------------------------------

    @classmethod
    def from_operation(
        cls,
        op: Operation,
        params: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> Draft:
        """A catalog operation, its body template, and the values a followed link gave."""
        template = Catalog.body_template(op)
        body = jsontext.dumps(template, indent=2) if template is not None else ""
        draft = cls(op.method, op.path, dict(params or {}), body=body, operation=op)
        draft._take_query(dict(query or {}))
        return draft

    @classmethod
    def from_request(
        cls,
        req: ApiRequest,
        op: Operation | None = None,
        triggers: frozenset[str] | set[str] = frozenset(),
    ) -> Draft:
        """A request (saved, from history, pasted); a trigger name the picker knows goes
        to the picker, any other stays a plain header."""
        headers = dict(req.headers)
        trigger = headers.get(TRIGGER_HEADER)
        if trigger in triggers:
            del headers[TRIGGER_HEADER]
        else:
            trigger = None
        body = jsontext.dumps(req.body, indent=2) if req.body is not None else ""
        draft = cls(
            req.method.upper(),
            req.path,
            dict(req.path_params),
            headers_text=format_headers(headers),
            trigger=trigger,
            body=body,
            operation=op,
        )
        draft._take_query(dict(req.query))
        return draft

    @classmethod
    def from_link(cls, method: str, href: str, catalog: Catalog | None) -> Draft:
        """A followed link: its operation when the catalog knows it, else the bare path."""
        path, query = split_href(href, catalog.base_path if catalog else "/3.0")
        found = catalog.match(method, path) if catalog else None
        if found is None:
            draft = cls(method.upper(), path)
            draft._take_query(query)
            return draft
        op, params = found
        return cls.from_operation(op, params, query)

    def _take_query(self, query: dict[str, str]) -> None:
        self.fields, self.exclude_fields, self.count, self.offset = (
            query.pop(name, "") for name in OPTION_NAMES
        )
        enums = set(self.enum_params())
        self.choices = {k: v for k, v in query.items() if k in enums}
        self.query_text = urlencode({k: v for k, v in query.items() if k not in enums})

    def keeping(self, previous: Draft) -> Draft:
        """This draft, still attached to the saved request `previous` came from."""
        return replace(self, origin=previous.origin)

    # ----- edits -----------------------------------------------------------------------

    def set_path(self, text: str, catalog: Catalog | None = None) -> None:
        """A typed path: values already given stay, by name; the operation follows the
        template when the catalog has one for it."""
        self.path = text
        self._follow_operation(catalog)

    def set_method(self, method: str, catalog: Catalog | None = None) -> None:
        self.method = method.upper()
        self._follow_operation(catalog)

    def _follow_operation(self, catalog: Catalog | None) -> None:
        if self.operation and (self.operation.method, self.operation.path) == (
            self.method,
            self.path,
        ):
            return
        self.operation = catalog.get(self.method, self.path.strip()) if catalog else None

    def set_param(self, name: str, value: str) -> None:
        self.params[name] = value
        if name == HASH_PARAM and value != self.email_hash():
            self.email = ""  # the hash typed by hand wins over the address

    def set_email(self, text: str) -> None:
        self.email = text

    def set_choice(self, name: str, value: str | None) -> None:
        if value:
            self.choices[name] = value
        else:
            self.choices.pop(name, None)

    def set_page(self, offset: int, count: int) -> None:
        self.offset, self.count = str(offset), str(count)

    # ----- reading ---------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """The template's parameters, each once, in order."""
        return list(dict.fromkeys(placeholders(self.path)))

    @property
    def has_body(self) -> bool:
        return self.method in BODY_METHODS

    def enum_params(self) -> dict[str, tuple[str, ...]]:
        """The operation's query parameters with a fixed set of values (chosen, not typed)."""
        if self.operation is None:
            return {}
        return {p.name: p.enum for p in self.operation.query_params if p.enum}

    def email_hash(self) -> str | None:
        email = self.email.strip()
        return subscriber_hash(email) if "@" in email else None

    def param_value(self, name: str) -> str:
        """What a parameter holds, as shown and as sent (the address's hash, if given)."""
        digest = self.email_hash() if name == HASH_PARAM else None
        return digest if digest is not None else self.params.get(name, "")

    def query(self) -> dict[str, str]:
        """Every query parameter as it will be sent; raises RequestInvalid for text that
        cannot be read."""
        query = parse_query(self.query_text)
        query.update(self.choices)
        for name in OPTION_NAMES:
            value = getattr(self, name).strip()
            if value:
                query[name] = ",".join(v.strip() for v in value.split(",") if v.strip())
        return query

    def input_issues(self) -> list[ValidationIssue]:
        """What is wrong in the text as typed, shown while typing (before any Send)."""
        issues: list[ValidationIssue] = []
        if not self.path.strip():
            issues.append(ValidationIssue("path", "is empty: type a path such as /lists"))
        if self.fields.strip() and self.exclude_fields.strip():
            issues.append(
                ValidationIssue(
                    "fields",
                    "fields and exclude_fields cannot be used together (the API refuses "
                    "both): clear one of them",
                )
            )
        for name in ("count", "offset"):
            issue = _whole_number(name, getattr(self, name))
            issues += [issue] if issue else []
        try:
            parse_query(self.query_text)
        except RequestInvalid as exc:
            issues += exc.issues
        try:
            self.headers()
        except RequestInvalid as exc:
            issues += exc.issues
        return issues

    def headers(self) -> dict[str, str]:
        headers = parse_headers(self.headers_text)
        if self.trigger:
            headers[TRIGGER_HEADER] = self.trigger
        return headers

    def body_value(self) -> Any:
        """The parsed body (None without one); raises RequestInvalid for invalid JSON."""
        if not self.has_body or not self.body.strip():
            return None
        return parse_body_text(self.body)

    def to_request(self) -> ApiRequest:
        """The request exactly as shown; raises RequestInvalid listing what stops it."""
        issues = self.input_issues()
        if self.method not in METHODS:
            issues.append(ValidationIssue("method", f"{self.method!r} is not an HTTP method"))
        body: Any = None
        try:
            body = self.body_value()
        except RequestInvalid as exc:
            issues += exc.issues
        if issues:
            raise RequestInvalid(issues)
        path = self.path.strip()
        params = {name: self.param_value(name).strip() for name in self.names}
        req = ApiRequest(self.method, path, params, self.query(), self.headers(), body)
        if self.override and self.method in OVERRIDABLE:
            req = req.with_method_override()
        return req

    def differs_from_origin(self) -> bool:
        """Holds another operation than the saved request it was opened from."""
        if self.origin is None:
            return False
        return (self.method, self.path.strip()) != (self.origin.method, self.origin.path)


def unresolved_variables(req: ApiRequest) -> list[str]:
    """`{{name}}` uses left in a request: no environment gave them a value."""
    from mcexplorer.core.collections.store import value_variables

    texts = [*req.path_params.values(), *req.query.values(), *req.headers.values(), req.body]
    if not any(_VARIABLE_OPEN in str(text) for text in texts):
        return []
    return list(dict.fromkeys(value_variables(texts)))
