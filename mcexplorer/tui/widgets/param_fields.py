"""The composer's parameter rows: an input per path parameter, then a row of pickers, one
per enum option (the pickers take the blank line under the row, so nothing moves).

Widgets are kept by name and shown or hidden, never removed and mounted again: a
parameter that leaves and comes back (lists → member → parent) reuses its input, so two
inputs with the same id can never meet (the DuplicateIds crash of removing
asynchronously while mounting anew).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from mcexplorer.tui.widgets.option_list import Picker

_ID = re.compile(r"^[A-Za-z_-][A-Za-z0-9_-]*$")


def _id(prefix: str, name: str) -> str | None:
    """`param-list_id`; none for a name typed by hand that cannot be an id (`{a b}`)."""
    return f"{prefix}-{name}" if _ID.match(name) else None


class ParamFields(Vertical):
    """Renders names and values it is given; reports edits through the callbacks."""

    DEFAULT_CSS = """
    ParamFields { height: auto; }
    ParamFields > Horizontal { height: 1; }
    ParamFields .param-label { width: auto; padding: 0 1 0 0; color: $text-muted; }
    ParamFields .param { width: 1fr; margin-right: 1; }
    ParamFields .choice { width: 1fr; max-width: 30; margin-right: 1; }
    """

    def __init__(
        self,
        on_param: Callable[[str, str], None],
        on_choice: Callable[[str, str | None], None],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._report_param = on_param
        self._report_choice = on_choice
        self._inputs: dict[str, Input] = {}
        self._pickers: dict[str, Select[str]] = {}
        self._labels: dict[str, Static] = {}
        self._options: dict[str, tuple[str, ...]] = {}
        self._rendering = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="param-row"):
            yield Static("no path parameters", id="no-params", classes="param-label")
        yield Horizontal(id="choice-row")

    def show(
        self,
        names: list[str],
        values: Mapping[str, str],
        enums: Mapping[str, tuple[str, ...]],
        choices: Mapping[str, str],
    ) -> None:
        """Show these parameters (required ones marked *) and these enum pickers."""
        self._rendering = True
        try:
            wanted: list[Widget] = []
            for name in names:
                wanted += [self._label(f"p:{name}", f"{name} *"), self._input(name)]
                self._set_input(self._inputs[name], values.get(name, ""))
            chosen: list[Widget] = []
            for name, options in enums.items():
                chosen += [self._label(f"c:{name}", name), self._picker(name, options)]
                picker = self._pickers[name]
                if self._options[name] != options:  # the same name in another operation
                    self._options[name] = options
                    picker.set_options([(v, v) for v in options])
                value = choices.get(name)
                picker.value = value if value in options else Select.NULL
            self.query_one("#no-params").display = not wanted
            self.set_class(bool(chosen), "-with-choices")
            for row, shown in ((self._row("param"), wanted), (self._row("choice"), chosen)):
                row.display = bool(shown) or row.id == "param-row"
                for child in row.children:
                    if child.id != "no-params":
                        child.display = child in shown
                for widget in shown:  # in the template's order
                    row.move_child(widget, after=row.children[-1])
        finally:
            self._rendering = False

    def _row(self, kind: str) -> Horizontal:
        return self.query_one(f"#{kind}-row", Horizontal)

    @staticmethod
    def _set_input(widget: Input, value: str) -> None:
        if widget.value != value:
            widget.value = value
            widget.cursor_position = len(value)

    def _label(self, key: str, text: str) -> Static:
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = Static(text, classes="param-label")
            self._row("param" if key.startswith("p:") else "choice").mount(label)
        return label

    def _input(self, name: str) -> Input:
        widget = self._inputs.get(name)
        if widget is None:
            # The label names it; the empty input says what leaving it empty means.
            widget = Input(
                placeholder="required", id=_id("param", name), classes="param", compact=True
            )
            widget.param_name = name  # type: ignore[attr-defined]
            self._inputs[name] = widget
            self._row("param").mount(widget)
            self.watch(widget, "value", lambda value: self._edited(name, value), init=False)
        return widget

    def _picker(self, name: str, options: tuple[str, ...]) -> Select[str]:
        picker = self._pickers.get(name)
        if picker is None:
            picker = Picker(
                [(v, v) for v in options],
                prompt="default",  # nothing chosen: the parameter is not sent
                id=_id("choice", name),
                classes="choice",
                compact=True,
            )
            picker.param_name = name  # type: ignore[attr-defined]
            self._pickers[name] = picker
            self._options[name] = options
            self._row("choice").mount(picker)
            self.watch(picker, "value", lambda value: self._chosen(name, value), init=False)
        return picker

    def _edited(self, name: str, value: str) -> None:
        if not self._rendering:
            self._report_param(name, value)

    def _chosen(self, name: str, value: object) -> None:
        if not self._rendering:
            self._report_choice(name, value if isinstance(value, str) else None)

    def input_for(self, name: str) -> Input | None:
        return self._inputs.get(name)
