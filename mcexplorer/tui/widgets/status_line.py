"""The response's status line: status, method, path, time, size and request id.

It never wraps. The path gives way first (cut in the middle, keeping its distinguishing
tail; the query is cut before the path); when even the rest cannot share one line, the
request id takes a second line of its own, so the id support asks for is always on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from mcexplorer.tui.widgets.response_body import human_size
from mcexplorer.tui.widgets.text_fit import ELLIPSIS, ellipsize_middle

if TYPE_CHECKING:
    from textual.geometry import Size

    from mcexplorer.core.http.outcome import Outcome

EMPTY = "No request sent yet. Pick a resource or an operation, then Ctrl+S."
# A path cut shorter than this says too little: the ids move to a second line instead.
_MIN_TARGET = 16
_GAP = "  "


def fit_target(path: str, query: str, width: int) -> str:
    """Path and query in `width` characters: the query gives way first, then the path's
    middle (its start and distinguishing tail stay)."""
    full = f"{path}?{query}" if query else path
    if len(full) <= width:
        return full
    if query and len(path) + 2 < width:
        return f"{path}?{query[: width - len(path) - 2]}{ELLIPSIS}"
    suffix = f"?{ELLIPSIS}" if query and width > len(ELLIPSIS) + 2 else ""
    return ellipsize_middle(path, width - len(suffix)) + suffix


def _head(outcome: Outcome) -> Text:
    # Styled spans, not the Text's own style, which would colour the whole line.
    if outcome.status is None:
        head = Text.assemble(("no response", "bold red"))
    else:
        head = Text.assemble((str(outcome.status), "bold green" if outcome.ok else "bold red"))
    if outcome.unknown_outcome:
        head.append(f"{_GAP}outcome unknown", style="bold #d7af5f")
    return head.append(f"{_GAP}{outcome.method}", style="bold")


def _ids(outcome: Outcome, mask_volatile: bool) -> Text:
    request_id = "…" if mask_volatile else (outcome.x_request_id or "none")
    ids = Text(f"id {request_id}", style="dim")
    message_id = outcome.headers.get("x-message-id")  # MailerSend's handle on a sent email
    if message_id:
        ids.append(f"{_GAP}message {'…' if mask_volatile else message_id}", style="bold")
    return ids


def _line(head: Text, path: str, query: str, room: int, tail: str) -> Text:
    """`head path tail`, the path fitted into `room` cells (a space included)."""
    line = head.copy()
    shown = fit_target(path, query, room - 1)
    if shown:
        line.append(f" {shown}", style="bold")
    return line.append(tail)


def status_lines(
    outcome: Outcome, width: int, *, reserve: int = 0, mask_volatile: bool = False
) -> list[Text]:
    """The status line laid out for `width` cells, one line or two; the first line leaves
    `reserve` cells free at its right end (the pager shows there)."""
    url = urlsplit(outcome.url)
    head, ids = _head(outcome), _ids(outcome, mask_volatile)
    elapsed = "… ms" if mask_volatile else f"{outcome.elapsed_ms:.0f} ms"
    tail = f"{_GAP}{elapsed}{_GAP}{human_size(len(outcome.body))}"
    first = width - reserve - head.cell_len - len(tail)
    room = first - len(_GAP) - ids.cell_len
    target_len = len(url.path) + (len(url.query) + 1 if url.query else 0)
    if room > min(target_len, _MIN_TARGET):
        line = _line(head, url.path, url.query, room, tail)
        return [line.append(_GAP).append_text(ids)]
    if ids.cell_len > width:  # narrower than the ids alone: keep both ends
        ids = Text(ellipsize_middle(ids.plain, width), style="dim")
    return [_line(head, url.path, url.query, first, tail), ids]


class StatusLine(Static):
    """Shows `status_lines` for the outcome at the widget's width (a Static for queries)."""

    DEFAULT_CSS = """
    StatusLine { height: auto; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    reserve: reactive[int] = reactive(0, layout=True)
    """Cells kept free at the first line's end, for what shows over it."""

    def __init__(self, *, id: str | None = None, mask_volatile: bool = False) -> None:
        super().__init__(EMPTY, id=id)
        self.outcome: Outcome | None = None
        self.mask_volatile = mask_volatile

    def show(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.reserve = 0
        # The whole URL, which the line may have cut, on hover.
        self.tooltip = Text(f"{outcome.method} {outcome.url}")
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        if self.outcome is None:
            return [Text(EMPTY, no_wrap=True, overflow="ellipsis")]
        return status_lines(
            self.outcome, width, reserve=self.reserve, mask_volatile=self.mask_volatile
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_region.width))
