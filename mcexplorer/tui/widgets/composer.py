"""The request composer: method, path and its parameters, query options, headers, body.

It holds one `Draft` (core/http/draft.py). Every widget writes its edits into the draft
at once (value watchers, not messages that may arrive after a Ctrl+S) and is drawn from
it; Send reads only the draft. For MailerSend the Mailchimp-only parts
(fields/exclude_fields, count/offset, X-Trigger-Error, the subscriber-hash helper, the
method override) are hidden and emptied: they are never sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static

from mcexplorer.core.catalog.model import Catalog, Operation
from mcexplorer.core.http.draft import HASH_PARAM, OPTION_NAMES, Draft
from mcexplorer.core.http.request import METHODS, ApiRequest, ValidationIssue
from mcexplorer.tui.widgets.composer_parts import FieldListSuggester, body_status, trigger_names
from mcexplorer.tui.widgets.doc_pane import DocPane, body_doc, focus_doc
from mcexplorer.tui.widgets.option_list import Picker
from mcexplorer.tui.widgets.param_fields import ParamFields

if TYPE_CHECKING:
    from mcexplorer.tui.widgets.body_editor import BodyEditor

SANDBOX_ERRORS = Path(__file__).resolve().parent.parent.parent / "data" / "sandbox_errors.json"
W = TypeVar("W", bound=Widget)
# Mailchimp features MailerSend has no use for: hidden (and emptied) for MailerSend.
_MAILCHIMP_ONLY = ("fields", "exclude_fields", "count", "offset", "email", "trigger", "override")


class Composer(Vertical):
    """Build a request; Ctrl+S (or the Send button) posts SendRequested."""

    DEFAULT_CSS = """
    Composer { height: auto; padding: 0 1; }
    Composer .row { height: 1; margin-bottom: 1; }
    Composer #params { margin-bottom: 1; }
    Composer #params.-with-choices { margin-bottom: 0; }  /* the pickers fill that line */
    Composer #method { width: 11; }
    Composer #path { width: 1fr; min-width: 16; }
    Composer #send { min-width: 8; margin-left: 1; }
    Composer #fields, Composer #exclude_fields { width: 1fr; min-width: 10; margin-right: 1; }
    Composer #count, Composer #offset { width: 8; margin-right: 1; }
    Composer #query { width: 1fr; min-width: 10; }
    Composer #headers { width: 1fr; min-width: 14; margin-right: 1; }
    Composer #email { width: 1fr; min-width: 14; margin-right: 1; }
    Composer #trigger { width: 22; margin-right: 1; }
    Composer #override { width: auto; }
    Composer #body { height: 6; }
    Composer #body-status { height: 1; color: $text-muted; }
    Composer #hint { height: auto; color: $text-muted; }
    Composer #issues { height: auto; color: $error; }
    Composer #send-anyway { display: none; }
    Composer.-insist #send-anyway { display: block; }
    """

    class SendRequested(Message):
        """The user asked to send what the composer holds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draft = Draft()
        self.catalog: Catalog | None = None
        self._catalog_fields: list[str] = []
        self._response_fields: list[str] = []
        self._fields_suggester = FieldListSuggester()
        self._exclude_suggester = FieldListSuggester()
        self._trigger_names = trigger_names()
        self.mailersend = False
        self._parts_mounted = False
        self._body_mounted = False
        self._rendering = False
        self.variables_note = ""  # which values variables gave (shown in the hint line)
        self.edited: Callable[[], None] = lambda: None  # the screen's dirty check

    @property
    def trigger_names(self) -> list[str]:
        return self._trigger_names

    @property
    def operation(self) -> Operation | None:
        return self.draft.operation

    def compose(self) -> ComposeResult:
        # Rows held empty (at their height: nothing moves) and filled just after the first
        # frame (`finish_layout`): styling their widgets (two pickers, eight inputs, two
        # buttons, a checkbox) kept the map's content from showing. What is loaded before
        # waits in the draft. The body editor waits until a body is wanted.
        yield Horizontal(classes="row", id="request-row")
        yield ParamFields(self._param_typed, self._choice_made, id="params")
        yield Horizontal(classes="row", id="query-row")
        yield Horizontal(classes="row", id="options-row")

    def _bind(
        self, widget: Widget, write: Callable[[Any], None], then: Callable[[], None] | None = None
    ) -> None:
        """Edits of `widget` go into the draft as they happen (not when drawn from it)."""

        def changed(value: Any) -> None:
            if self._rendering:
                return
            write(value)
            if then is not None:
                then()
            self._edited()

        self.watch(widget, "value", changed, init=False)

    def _setter(self, attribute: str) -> Callable[[Any], None]:
        """Writes one attribute of the current draft (the draft is replaced on loading)."""
        return lambda value: setattr(self.draft, attribute, value)

    def on_mount(self) -> None:
        self._show_params()

    def finish_layout(self) -> AwaitComplete:
        """Mount the request row, the option rows and the note lines unless done (the
        screen calls this after its first frame); they can be queried as soon as this
        returns (mounting registers them at once). Awaiting it waits until they are
        composed."""
        if self._parts_mounted:
            return AwaitComplete()
        self._parts_mounted = True
        method = Picker(
            [(m, m) for m in METHODS], value="GET", allow_blank=False, id="method", compact=True
        )
        # Focus must not select the path: one keystroke would replace all of it.
        path = Input("/", id="path", compact=True, select_on_focus=False)
        path.placeholder = "type a path, e.g. /lists"
        send = Button("Send", id="send", variant="primary", compact=True)
        request_row = self.query_one("#request-row", Horizontal).mount(method, path, send)
        self._bind(method, lambda v: self.draft.set_method(str(v), self.catalog), self._method_set)
        self._bind(path, lambda v: self.draft.set_path(v, self.catalog), self._path_set)
        # (input, placeholder, the draft's attribute it edits)
        texts = [
            ("fields", "fields: a,b.c", "fields"),
            ("exclude_fields", "exclude_fields", "exclude_fields"),
            ("count", "count", "count"),
            ("offset", "offset", "offset"),
            ("query", "query: name=value&…", "query_text"),
        ]
        suggesters = {"fields": self._fields_suggester, "exclude_fields": self._exclude_suggester}
        inputs = [
            Input(placeholder=hint, id=name, suggester=suggesters.get(name), compact=True)
            for name, hint, _ in texts
        ]
        headers = Input(placeholder="headers: Name: value; …", id="headers", compact=True)
        email = Input(placeholder="email → subscriber_hash", id="email", compact=True)
        trigger = Picker(
            [(name, name) for name in self._trigger_names],
            prompt="X-Trigger-Error",
            id="trigger",
            compact=True,
        )
        override = Checkbox("override", id="override", compact=True)
        override.tooltip = "Send PUT/PATCH/DELETE as POST with X-HTTP-Method-Override"
        query_row = self.query_one("#query-row", Horizontal).mount(*inputs)
        options_row = self.query_one("#options-row", Horizontal).mount(
            headers, email, trigger, override
        )
        for widget, (name, _, attribute) in zip(inputs, texts, strict=True):
            self._bind(widget, self._setter(attribute), self._show_notes)
            widget.field_name = name  # type: ignore[attr-defined]
        self._bind(headers, self._setter("headers_text"), self._show_notes)
        self._bind(email, self._setter("email"), self._email_set)
        self._bind(trigger, lambda v: self._setter("trigger")(v if isinstance(v, str) else None))
        self._bind(override, lambda v: self._setter("override")(bool(v)))
        notes = (
            Static("", id="hint", classes="note"),
            Static("", id="issues", classes="note"),
            Button("Send anyway", id="send-anyway", variant="warning", compact=True),
            DocPane("", id="doc"),
        )
        for note in (*notes[:2], notes[3]):
            note.display = False
        mounted = AwaitComplete(request_row, query_row, options_row, self.mount(*notes))
        self._show_provider_parts()
        self._render_draft()
        return mounted

    def focus_path(self) -> None:
        self._part("#path", Input).focus()

    def _part(self, selector: str, kind: type[W]) -> W:
        """One of the parts mounted after the first frame (mounted now if need be)."""
        self.finish_layout()
        return self.query_one(selector, kind)

    def body_editor(self) -> BodyEditor:
        """The body editor, mounted the first time a body is wanted: most requests are
        GETs, and a TextArea is the costliest widget here to build and style."""
        from mcexplorer.tui.widgets.body_editor import BodyEditor

        self.finish_layout()
        if not self._body_mounted:
            self._body_mounted = True
            editor = BodyEditor(self._body_typed, self._body_cursor, id="body")
            parts = (editor, Static("", id="body-status"))
            for part in parts:
                part.display = self.draft.has_body
            self.mount(*parts, before="#hint")
        return self.query_one("#body", BodyEditor)

    def set_mailersend(self, on: bool) -> None:
        """Show the parts that fit the provider; hidden ones are emptied (never sent)."""
        self.mailersend = on
        if self._parts_mounted:
            self._show_provider_parts()  # else done as they are mounted

    def _show_provider_parts(self) -> None:
        for name in _MAILCHIMP_ONLY:
            self.query_one(f"#{name}").display = not self.mailersend
        if self.mailersend:
            d = self.draft
            d.fields = d.exclude_fields = d.count = d.offset = d.email = ""
            d.trigger, d.override = None, False
            self._render_draft()

    # ----- loading ---------------------------------------------------------------------

    def load_draft(self, draft: Draft) -> None:
        """Show `draft` from now on, still attached to the saved request opened before."""
        self.draft = draft.keeping(self.draft)
        self._catalog_fields = (
            self.catalog.field_suggestions(draft.operation)
            if self.catalog and draft.operation
            else []
        )
        self._update_suggestions()
        self.remove_class("-insist")
        self._render_draft()
        self._show_doc(None)  # what was loaded, until the focus says otherwise
        self._edited()

    def load_operation(
        self,
        op: Operation,
        catalog: Catalog,
        params: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> None:
        """Fill from a catalog operation (and the values a followed link gave)."""
        self.catalog = catalog
        email = self.draft.email  # typed before the operation was chosen: it still applies
        draft = Draft.from_operation(op, params, query)
        if not (params or {}).get(HASH_PARAM):
            draft.email = email
        self.load_draft(draft)

    def load_request(self, req: ApiRequest, operation: Operation | None = None) -> None:
        self.load_draft(Draft.from_request(req, operation, set(self.trigger_names)))

    def _render_draft(self) -> None:
        """Draw every widget from the draft (their watchers stand still meanwhile)."""
        d = self.draft
        self._rendering = True
        try:
            if self._parts_mounted:
                method = self.query_one("#method", Select)
                method.value = d.method if d.method in METHODS else "GET"
                self._set_text(self.query_one("#path", Input), d.path)
                for name in (*OPTION_NAMES, "email"):
                    self._set_text(self.query_one(f"#{name}", Input), getattr(d, name))
                self._set_text(self.query_one("#query", Input), d.query_text)
                self._set_text(self.query_one("#headers", Input), d.headers_text)
                trigger = self.query_one("#trigger", Select)
                trigger.value = d.trigger if d.trigger in self._trigger_names else Select.NULL
                self.query_one("#override", Checkbox).value = d.override
            if d.body or self._body_mounted:
                editor = self.body_editor()
                if editor.text != d.body:
                    editor.text = d.body
                self.query_one("#body-status", Static).update(body_status(d.body))
        finally:
            self._rendering = False
        self._method_set()
        self._show_params()
        self._show_notes()

    @staticmethod
    def _set_text(widget: Input, value: str) -> None:
        if widget.value != value:
            widget.value = value
            widget.cursor_position = len(value)

    def set_response_fields(self, names: Iterable[str]) -> None:
        """Dotted names seen in the last response, offered after the catalog's."""
        self._response_fields = sorted(set(names))
        self._update_suggestions()

    def _update_suggestions(self) -> None:
        names = list(dict.fromkeys(self._catalog_fields + self._response_fields))
        self._fields_suggester.names = names
        self._exclude_suggester.names = names

    # ----- edits -----------------------------------------------------------------------

    def _edited(self) -> None:
        self.remove_class("-insist")  # the check is for what was shown then
        self.edited()

    def _path_set(self) -> None:
        self._show_params()
        self._show_notes()
        self._show_doc(self.screen.focused if self.is_attached else None)

    def _method_set(self) -> None:
        # Only writes carry a body: the editor gives its room to the response otherwise.
        has_body = self.draft.has_body
        if has_body or self._body_mounted:
            self.body_editor().display = has_body
            self.query_one("#body-status", Static).display = has_body

    def _show_params(self) -> None:
        d = self.draft
        values = {name: d.param_value(name) for name in d.names}
        self.query_one(ParamFields).show(d.names, values, d.enum_params(), d.choices)

    def _param_typed(self, name: str, value: str) -> None:
        self.draft.set_param(name, value)
        if name == HASH_PARAM and self._parts_mounted:
            self._rendering = True
            try:
                self._set_text(self.query_one("#email", Input), self.draft.email)
            finally:
                self._rendering = False
            self._show_notes()
        self._edited()

    def _choice_made(self, name: str, value: str | None) -> None:
        self.draft.set_choice(name, value)
        self._edited()

    def _email_set(self) -> None:
        self._show_params()
        self._show_notes()

    def _body_typed(self, text: str) -> None:
        if self._rendering:
            return
        self.draft.body = text
        self.query_one("#body-status", Static).update(body_status(text))
        self._edited()

    def set_page(self, offset: int, count: int) -> None:
        self.finish_layout()
        self.draft.set_page(offset, count)
        self._render_draft()

    # ----- notes and documentation -----------------------------------------------------

    def _show_notes(self) -> None:
        if not self._parts_mounted:
            return
        d = self.draft
        hints = []
        digest = d.email_hash()
        if digest is not None and not self.mailersend:
            where = (
                "" if HASH_PARAM in d.names else f" (fills {{{HASH_PARAM}}} once the path has it)"
            )
            hints.append(f"subscriber_hash of {d.email.strip()}: {digest}{where}")
        if self.variables_note:
            hints.append(self.variables_note)
        _note(self.query_one("#hint", Static), "\n".join(hints))
        self.show_issues(d.input_issues())

    def show_issues(
        self, issues: Iterable[ValidationIssue | object], *, insist: bool = False
    ) -> None:
        """Issues under the composer; `insist` offers to send anyway (server decides)."""
        _note(self._part("#issues", Static), "\n".join(str(i) for i in issues))
        self.set_class(insist, "-insist")

    def clear_issues(self) -> None:
        self.show_issues([])

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self._show_doc(event.widget)

    def _show_doc(self, widget: Widget | None) -> None:
        if not self._parts_mounted:
            return
        if widget is not None and widget.id == "body":
            self._body_cursor(self.body_editor().cursor_offset())
            return
        name = getattr(widget, "param_name", None) or getattr(widget, "field_name", None)
        if name is None and widget is not None and widget.id in ("headers", "email", "trigger"):
            name = widget.id
        self.query_one(DocPane).say(focus_doc(self.draft.operation, name))

    def _body_cursor(self, offset: int) -> None:
        op = self.draft.operation
        if op is not None and op.body is not None and self._parts_mounted:
            self.query_one(DocPane).say(body_doc(op, self.draft.body, offset))

    # ----- sending ---------------------------------------------------------------------

    @on(Button.Pressed, "#send, #send-anyway")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "send-anyway":
            self.add_class("-insist")  # stays armed: the screen sends without the check
        self.post_message(self.SendRequested())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.SendRequested())

    @property
    def insisting(self) -> bool:
        """The body check was shown for what the composer holds: a second Send sends."""
        return self.has_class("-insist")

    def build(self) -> ApiRequest:
        """The request exactly as shown; raises RequestInvalid for what cannot be sent."""
        return self.draft.to_request()


def _note(widget: Static, text: str) -> None:
    """A one-off line under the composer: shown only while it says something."""
    widget.update(text)
    widget.display = bool(text)
