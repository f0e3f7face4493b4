"""The request composer: method, path and its parameters, query options, headers, body.

It turns what is typed into an ApiRequest (`build`) and shows local problems (bad JSON,
a header without a colon, validation issues) before anything is sent. For MailerSend the
Mailchimp-only parts (fields/exclude_fields, count/offset, X-Trigger-Error, the
subscriber-hash helper, the method override) give way to a plain query line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static

from mcexplorer.core.catalog.model import Catalog, Operation
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

if TYPE_CHECKING:
    from textual.widgets import TextArea

SANDBOX_ERRORS = Path(__file__).resolve().parent.parent.parent / "data" / "sandbox_errors.json"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_OVERRIDABLE = frozenset({"PUT", "PATCH", "DELETE"})
W = TypeVar("W", bound=Widget)
# Mailchimp features MailerSend has no use for: hidden (and emptied) for MailerSend.
_MAILCHIMP_ONLY = ("fields", "exclude_fields", "count", "offset", "email", "trigger", "override")


def trigger_names() -> list[str]:
    """Error names the sandbox can be asked for (X-Trigger-Error), else the glossary's."""
    if SANDBOX_ERRORS.exists():
        return sorted(json.loads(SANDBOX_ERRORS.read_text("utf-8")))
    from mcexplorer.core.problems.glossary import Glossary

    return sorted({e.trigger for e in Glossary.load().entries if e.trigger})


class FieldListSuggester(Suggester):
    """Completes the last item of a comma-separated list of dotted field names."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        last = last.strip()
        if not last:
            return None
        for name in self.names:
            if name.startswith(last) and name != last:
                return f"{head}," + name if head else name
        return None


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


def _format_headers(headers: dict[str, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in headers.items())


class Composer(Vertical):
    """Build a request; Ctrl+S (or the Send button) posts SendRequested."""

    DEFAULT_CSS = """
    Composer { height: auto; padding: 0 1; }
    Composer .row { height: 1; margin-bottom: 1; }
    Composer #method { width: 11; }
    Composer #path { width: 1fr; }
    Composer #send { min-width: 8; margin-left: 1; }
    Composer #params { height: auto; }
    Composer .param-label { width: auto; padding: 0 1 0 0; color: $text-muted; }
    Composer .param { width: 1fr; margin-right: 1; }
    Composer #fields, Composer #exclude_fields { width: 2fr; margin-right: 1; }
    Composer #count, Composer #offset { width: 9; margin-right: 1; }
    Composer #query { width: 1fr; }
    Composer #headers { width: 2fr; margin-right: 1; }
    Composer #email { width: 1fr; margin-right: 1; }
    Composer #trigger { width: 24; margin-right: 1; }
    Composer #override { width: auto; }
    Composer #body { height: 6; }
    Composer #body-status { height: 1; color: $text-muted; }
    Composer #hint { height: auto; color: $text-muted; }
    Composer #issues { height: auto; color: $error; }
    """

    class SendRequested(Message):
        """The user asked to send what the composer holds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.operation: Operation | None = None
        self.extra_query: dict[str, str] = {}
        self._param_values: dict[str, str] = {}
        self._param_names: list[str] = []
        self._catalog_fields: list[str] = []
        self._response_fields: list[str] = []
        self._fields_suggester = FieldListSuggester()
        self._exclude_suggester = FieldListSuggester()
        self._trigger_names = trigger_names()
        self.mailersend = False
        self._parts_mounted = False
        self._body_mounted = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Select(
                [(m, m) for m in METHODS], value="GET", allow_blank=False, id="method", compact=True
            )
            yield Input("/", placeholder="/lists/{list_id}/members", id="path", compact=True)
            yield Button("Send", id="send", variant="primary", compact=True)
        yield Horizontal(classes="row", id="params")
        # Rows held empty (at their height: nothing moves) and filled just after the first
        # frame (`finish_layout`): styling a dozen more widgets, a picker among them, kept
        # the whole screen from showing. The body editor waits until a body is wanted.
        yield Horizontal(classes="row", id="query-row")
        yield Horizontal(classes="row", id="options-row")

    def on_mount(self) -> None:
        self._rebuild_params()

    def finish_layout(self) -> AwaitComplete:
        """Mount the option rows and the note lines unless done (the screen calls this
        after its first frame); they can be queried as soon as this returns (mounting
        registers them at once). Awaiting it waits until they are composed."""
        if self._parts_mounted:
            return AwaitComplete()
        self._parts_mounted = True
        query_row = self.query_one("#query-row", Horizontal).mount(
            Input(
                placeholder="fields: a,b.c",
                id="fields",
                suggester=self._fields_suggester,
                compact=True,
            ),
            Input(
                placeholder="exclude_fields",
                id="exclude_fields",
                suggester=self._exclude_suggester,
                compact=True,
            ),
            Input(placeholder="count", id="count", type="integer", compact=True),
            Input(placeholder="offset", id="offset", type="integer", compact=True),
            Input(placeholder="query: name=value&…", id="query", compact=True),
        )
        override = Checkbox("override", id="override", compact=True)
        override.tooltip = "Send PUT/PATCH/DELETE as POST with X-HTTP-Method-Override"
        options_row = self.query_one("#options-row", Horizontal).mount(
            Input(placeholder="headers: Name: value; …", id="headers", compact=True),
            Input(placeholder="email → subscriber_hash", id="email", compact=True),
            Select(
                [(name, name) for name in self._trigger_names],
                prompt="X-Trigger-Error",
                id="trigger",
                compact=True,
            ),
            override,
        )
        notes = (Static("", id="hint", classes="note"), Static("", id="issues", classes="note"))
        for note in notes:
            note.display = False
        mounted = AwaitComplete(query_row, options_row, self.mount(*notes))
        self._show_provider_parts()
        return mounted

    def _part(self, selector: str, kind: type[W]) -> W:
        """One of the parts mounted after the first frame (mounted now if need be)."""
        self.finish_layout()
        return self.query_one(selector, kind)

    def _body_editor(self) -> TextArea:
        """The body editor, mounted the first time a body is wanted: most requests are
        GETs, and a TextArea is the costliest widget here to build and style."""
        from textual.widgets import TextArea  # ~10 ms to import: not before it is wanted

        self.finish_layout()
        if not self._body_mounted:
            self._body_mounted = True
            has_body = self.query_one("#method", Select).value in _BODY_METHODS
            parts = (
                TextArea("", id="body", show_line_numbers=False, soft_wrap=False),
                Static("", id="body-status"),
            )
            for part in parts:
                part.display = has_body
            self.mount(*parts, before="#hint")
        return self.query_one("#body", TextArea)

    def _set_body(self, text: str) -> None:
        if text or self._body_mounted:
            self._body_editor().text = text

    def _body_text(self) -> str:
        return self._body_editor().text if self._body_mounted else ""

    def set_mailersend(self, on: bool) -> None:
        """Show the parts that fit the provider; hidden ones are emptied (never sent)."""
        self.mailersend = on
        if self._parts_mounted:
            self._show_provider_parts()  # else done as they are mounted

    def _show_provider_parts(self) -> None:
        for name in _MAILCHIMP_ONLY:
            widget = self.query_one(f"#{name}")
            widget.display = not self.mailersend
            if self.mailersend and isinstance(widget, Input):
                widget.value = ""
        self.query_one("#query", Input).display = self.mailersend
        if self.mailersend:
            self.query_one("#trigger", Select).value = Select.NULL
            self.query_one("#override", Checkbox).value = False
            _note(self.query_one("#hint", Static), "")
        else:
            self.query_one("#query", Input).value = ""

    # ----- loading ---------------------------------------------------------------------

    def load_operation(
        self,
        op: Operation,
        catalog: Catalog,
        params: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> None:
        """Fill from a catalog operation (and the values a followed link gave)."""
        self.operation = op
        self._catalog_fields = catalog.field_suggestions(op)
        self._update_suggestions()
        template = catalog.body_template(op)
        body = json.dumps(template, indent=2) if template is not None else ""
        self._fill(op.method, op.path, params or {}, query or {}, {}, body)

    def load_request(self, req: ApiRequest, operation: Operation | None = None) -> None:
        self.operation = operation
        body = json.dumps(req.body, indent=2) if req.body is not None else ""
        self._fill(req.method, req.path, req.path_params, req.query, req.headers, body)

    def load_path(self, method: str, path: str, query: dict[str, str]) -> None:
        """A concrete path no catalog operation matches."""
        self.operation = None
        self._catalog_fields = []
        self._update_suggestions()
        self._fill(method, path, {}, query, {}, "")

    def _fill(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        query: dict[str, str],
        headers: dict[str, str],
        body: str,
    ) -> None:
        self.finish_layout()
        query = dict(query)
        self.query_one("#method", Select).value = method.upper()
        self.query_one("#path", Input).value = path
        self._param_values = dict(params)
        self._rebuild_params()
        if self.mailersend:  # every query parameter and header shows as typed
            self.query_one("#query", Input).value = urlencode(query)
            self.extra_query = {}
            self.query_one("#headers", Input).value = _format_headers(headers)
            self._set_body(body)
            _note(self._part("#issues", Static), "")
            return
        for name in ("fields", "exclude_fields", "count", "offset"):
            self.query_one(f"#{name}", Input).value = query.pop(name, "")
        self.extra_query = query
        picker = self.query_one("#trigger", Select)
        trigger = headers.get(TRIGGER_HEADER)
        # A name the picker does not offer (an old saved request) stays a plain header.
        known = trigger in self._trigger_names
        rest = {k: v for k, v in headers.items() if not (known and k == TRIGGER_HEADER)}
        self.query_one("#headers", Input).value = _format_headers(rest)
        picker.value = trigger if known else Select.NULL
        self._set_body(body)
        _note(self._part("#issues", Static), "")

    def set_response_fields(self, names: Iterable[str]) -> None:
        """Dotted names seen in the last response, offered after the catalog's."""
        self._response_fields = sorted(set(names))
        self._update_suggestions()

    def _update_suggestions(self) -> None:
        names = list(dict.fromkeys(self._catalog_fields + self._response_fields))
        self._fields_suggester.names = names
        self._exclude_suggester.names = names

    # ----- path parameters -------------------------------------------------------------

    def _rebuild_params(self) -> None:
        names = placeholders(self.query_one("#path", Input).value)
        row = self.query_one("#params", Horizontal)
        if names == self._param_names and row.children:
            for name in names:
                self.query_one(f"#param-{name}", Input).value = self._param_values.get(name, "")
            return
        self._param_names = names
        row.remove_children()
        if not names:
            row.mount(Static("no path parameters", classes="param-label"))
            return
        for name in names:
            row.mount(Static(name, classes="param-label"))
            row.mount(
                Input(
                    self._param_values.get(name, ""),
                    placeholder=name,
                    id=f"param-{name}",
                    classes="param",
                    compact=True,
                )
            )

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._rebuild_params()

    @on(Select.Changed, "#method")
    def _method_changed(self, event: Select.Changed) -> None:
        # Only writes carry a body: the editor gives its room to the response otherwise.
        has_body = event.value in _BODY_METHODS
        if not (has_body or self._body_mounted):
            return  # no editor yet: none is needed
        self._body_editor().display = has_body
        self.query_one("#body-status", Static).display = has_body

    @on(Input.Changed, ".param")
    def _param_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._param_values[event.input.id.removeprefix("param-")] = event.value

    @on(Input.Changed, "#email")
    def _email_changed(self, event: Input.Changed) -> None:
        email = event.value.strip()
        hint = self._part("#hint", Static)
        if "@" not in email:
            _note(hint, "")
            return
        digest = subscriber_hash(email)
        if "subscriber_hash" in self._param_names:
            self._param_values["subscriber_hash"] = digest
            self.query_one("#param-subscriber_hash", Input).value = digest
        _note(hint, f"subscriber_hash of {email}: {digest}")

    @on(Input.Changed, "#fields, #exclude_fields")
    def _keep_fields_exclusive(self) -> None:
        fields = self.query_one("#fields", Input)
        exclude = self.query_one("#exclude_fields", Input)
        # Typing in one greys the other out; if both hold text (pasted, loaded), both stay
        # editable and the issue shows until one is cleared.
        fields.disabled = bool(exclude.value) and not fields.value
        exclude.disabled = bool(fields.value) and not exclude.value
        both = bool(fields.value and exclude.value)
        _note(
            self._part("#issues", Static),
            "fields: fields and exclude_fields cannot be used together" if both else "",
        )

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#body-status", Static).update(body_status(event.text_area.text))

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.SendRequested())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.SendRequested())

    # ----- building --------------------------------------------------------------------

    def build(self) -> ApiRequest:
        """The request as typed; raises RequestInvalid for text that cannot be read."""
        self.finish_layout()
        method = str(self.query_one("#method", Select).value)
        path = self.query_one("#path", Input).value.strip() or "/"
        names = placeholders(path)
        params = {n: self._param_values.get(n, "").strip() for n in names}
        query = dict(self.extra_query)
        if self.mailersend:
            query.update(parse_query(self.query_one("#query", Input).value))
        for name in ("fields", "exclude_fields", "count", "offset"):
            value = self.query_one(f"#{name}", Input).value.strip()
            if value:
                query[name] = ",".join(v.strip() for v in value.split(",") if v.strip())
        headers = parse_headers(self.query_one("#headers", Input).value)
        body_text = self._body_text()
        body: Any = None
        if method in _BODY_METHODS and body_text.strip():
            body = parse_body_text(body_text)
        req = ApiRequest(method, path, params, query, headers, body)
        if self.mailersend:
            return req
        trigger = self.query_one("#trigger", Select).value
        if isinstance(trigger, str):
            req = req.with_trigger_error(trigger)
        if self.query_one("#override", Checkbox).value and method in _OVERRIDABLE:
            req = req.with_method_override()
        return req

    def set_page(self, offset: int, count: int) -> None:
        self.finish_layout()
        self.query_one("#offset", Input).value = str(offset)
        self.query_one("#count", Input).value = str(count)

    def show_issues(self, issues: Iterable[ValidationIssue]) -> None:
        _note(self._part("#issues", Static), "\n".join(str(i) for i in issues))

    def clear_issues(self) -> None:
        self.show_issues([])


def _note(widget: Static, text: str) -> None:
    """A one-off line under the composer: shown only while it says something."""
    widget.update(text)
    widget.display = bool(text)


def body_status(text: str) -> str:
    """One line about the body as typed: empty, valid JSON, or where it breaks."""
    if not text.strip():
        return "body: none"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"body: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return "body: valid JSON"
