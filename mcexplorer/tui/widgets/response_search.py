"""Search in a response: plain text marked in the body, or a JSON path listing its values.

`members[*].email_address` (anything starting with `$`, or with a `.` or `[`, that reads
as a path and selects something) lists the values; anything else is looked for as text,
ignoring case, and the matches are marked in the body, Enter / n going to the next one.
Both run in a thread worker, so a multi-megabyte body never holds up typing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from mcexplorer.core.collections.json_path import JsonPathError, Step, parse_path, select
from mcexplorer.tui.widgets.json_view import JsonView, TextMatch, decode_body, indent_json
from mcexplorer.tui.widgets.option_list import OptionList

MAX_MATCHES = 10_000  # past this, the count says so and the search stops
MAX_LISTED = 1000  # values a path search lists (all of them are copied)
_SHOWN_VALUE = 200  # characters of one value in the results list
_CHECK_EVERY = 4096  # lines searched between two looks at whether to give up


def find_text(
    lines: list[str], query: str, cancelled: Callable[[], bool] = lambda: False
) -> list[TextMatch]:
    """Every match of `query` in `lines`, ignoring case, not overlapping; at most
    MAX_MATCHES, and none when `cancelled` says the search is stale."""
    needle = query.lower()
    matches: list[TextMatch] = []
    if not needle:
        return matches
    for number, line in enumerate(lines):
        if number % _CHECK_EVERY == 0 and cancelled():
            return []
        low = line.lower()
        # lower() keeps the length of nearly every text; where it does not, offsets
        # would drift, so such a line is searched as it is.
        haystack, wanted = (low, needle) if len(low) == len(line) else (line, query)
        start = haystack.find(wanted)
        while start >= 0:
            matches.append(TextMatch(number, start, start + len(wanted)))
            if len(matches) == MAX_MATCHES:
                return matches
            start = haystack.find(wanted, start + len(wanted))
    return matches


def path_of(query: str) -> tuple[Step, ...] | None:
    """The steps of a query that reads as a JSON path, else None (a text search)."""
    text = query.strip()
    if not (text.startswith("$") or "." in text or "[" in text):
        return None
    try:
        return parse_path(text)
    except JsonPathError:
        return None


def value_text(value: Any) -> str:
    """A value as copied: a string as it is, anything else as indented JSON."""
    return value if isinstance(value, str) else indent_json(value)


def values_text(values: list[Any]) -> str:
    """Values as copied: strings one a line (a column of emails), else a JSON array."""
    if all(isinstance(value, str) for value in values):
        return "\n".join(values)
    return indent_json(values)


def line_value(line: str) -> str:
    """The value on a line of indented JSON (`"key": value,`): a string unquoted."""
    text = line.strip().rstrip(",")
    decoder = json.JSONDecoder()
    try:
        first, end = decoder.raw_decode(text)
    except ValueError:
        return text
    rest = text[end:].lstrip()
    if not rest.startswith(":"):
        return first if isinstance(first, str) else text
    value = rest[1:].strip()
    try:
        decoded, _ = decoder.raw_decode(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, str) else value


def _one_line(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 1] + "…"


@dataclass
class Copy(Message):
    """Copy `text` to the clipboard; `what` names it in the notification."""

    text: str
    what: str


class ResponseSearch(Vertical):
    """The search bar over the body; hidden until opened (/ or Ctrl+F on the response)."""

    DEFAULT_CSS = """
    ResponseSearch { display: none; height: auto; padding: 0 1; }
    ResponseSearch.-open { display: block; }
    ResponseSearch #search-status {
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ResponseSearch #search-results { display: none; height: auto; max-height: 8; border: none; }
    ResponseSearch.-values #search-results { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+enter", "step(-1)", "Previous match", show=False),
    ]

    @dataclass
    class Closed(Message):
        """The bar closed: the view takes the focus back."""

    def __init__(self, view: JsonView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.body: bytes = b""  # the shown response's, for path queries
        self.matches: list[TextMatch] = []
        self.current: int | None = None  # index into matches
        self.values: list[Any] = []  # what a path query selected
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Search text, or a JSON path: members[*].email_address",
            id="search-input",
            compact=True,
            select_on_focus=False,  # coming back from the results keeps the query
        )
        yield Static("", id="search-status", markup=False)  # it quotes the query
        yield OptionList(id="search-results")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        field = self.query_one(Input)
        field.focus()
        field.select_all()

    def action_close(self) -> None:
        self.remove_class("-open", "-values")
        self._clear()
        self.post_message(self.Closed())

    def _clear(self) -> None:
        self.matches, self.current, self.values, self.query_text = [], None, [], ""
        self.view.mark([])
        self.query_one(OptionList).clear_options()
        self.query_one("#search-status", Static).update("")

    def refresh_results(self, body: bytes) -> None:
        """A new response is shown: search it for the same query."""
        self.body = body
        if self.is_open:
            self._search(self.query_one(Input).value)
        else:
            self._clear()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.values:
            results = self.query_one(OptionList)
            results.highlighted = results.highlighted or 0
            results.focus()
        else:
            self.action_step(1)

    def on_key(self, event: events.Key) -> None:
        # Up from the first value goes back to the box, as Enter came down from it.
        results = self.query_one(OptionList)
        if event.key == "up" and results.has_focus and not results.highlighted:
            event.stop()
            self.query_one(Input).focus()

    def action_step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) text match, round the end."""
        if not self.matches:
            return
        if self.current is None:
            self.current = 0 if direction > 0 else len(self.matches) - 1
        else:
            self.current = (self.current + direction) % len(self.matches)
        self.view.set_current(self.matches[self.current])
        self._say_matches()

    # Named: the default description reprs the arguments, a multi-MB body among them.
    @work(thread=True, exclusive=True, group="search", description="search response")
    def _search(self, query: str) -> None:
        worker = get_current_worker()
        lines, body = self.view.lines, self.body  # what the results are about
        steps = path_of(query)
        if steps is not None:
            data = decode_body(body) if body else None
            values = select(data, steps) if data is not None else []
            del data
            if values or query.strip().startswith("$"):
                if not worker.is_cancelled:
                    self.app.call_from_thread(self._show_values, lines, query, values)
                return
        matches = find_text(lines, query, lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_matches, lines, query, matches)

    def _stale(self, lines: list[str]) -> bool:
        """Results for a body no longer shown, or for a bar since closed."""
        return lines is not self.view.lines or not self.is_open or not self.is_attached

    def _show_values(self, lines: list[str], query: str, values: list[Any]) -> None:
        if self._stale(lines):
            return
        self.query_text, self.values, self.matches, self.current = query, values, [], None
        self.view.mark([])
        self.set_class(True, "-values")
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(  # Text: a value is never parsed as markup
            Option(Text(_one_line(value))) for value in values[:MAX_LISTED]
        )
        count = f"{len(values)} value{'s' if len(values) != 1 else ''}"
        if len(values) > MAX_LISTED:
            count += f" (the first {MAX_LISTED} listed)"
        self.query_one("#search-status", Static).update(
            f"{count} at {query.strip()}  ·  Enter: list  ·  y: copy all  ·  Esc: close"
            if values
            else f"Nothing at {query.strip()}."
        )

    def _show_matches(self, lines: list[str], query: str, matches: list[TextMatch]) -> None:
        if self._stale(lines):
            return
        self.query_text, self.values, self.matches = query, [], matches
        self.set_class(False, "-values")
        self.query_one(OptionList).clear_options()
        self.current = 0 if matches else None
        self.view.mark(matches, matches[0] if matches else None)
        self._say_matches()

    def _say_matches(self) -> None:
        status = self.query_one("#search-status", Static)
        if not self.query_text:
            status.update("Type text to find, or a JSON path such as members[*].id.")
        elif not self.matches:
            status.update(f"No match for {self.query_text!r}.")
        else:
            total = f"{len(self.matches)}{'+' if len(self.matches) == MAX_MATCHES else ''}"
            at = (self.current or 0) + 1
            status.update(
                f"{at} of {total} matches  ·  Enter/n: next  ·  Shift+Enter/N: previous"
                "  ·  Esc: close"
            )

    @on(OptionList.OptionSelected, "#search-results")
    def _value_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Copy(value_text(self.values[event.option_index]), "one value"))
