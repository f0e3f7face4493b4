"""The running part of a members import: a bar, rate and ETA, the slots, the batch's stage.

The direct route fills the slot gauge; the batch route walks its stages (pending → …
→ finished) on the API's side, so the stage line is what moves there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from mcexplorer.core.bulk.batch_jobs import STATES, BatchStatus
from mcexplorer.core.bulk.progress import ProgressMeter
from mcexplorer.core.http.slots import SlotSnapshot
from mcexplorer.tui.widgets.slot_gauge import SlotGauge


def stage_line(status: BatchStatus) -> Content:
    """Every stage in order: passed ones muted, the current one highlighted, then counts."""
    current = STATES.index(status.status) if status.status in STATES else -1
    parts: list[str | tuple[str, str]] = [(f"Batch {status.id} ", "bold")]
    for index, state in enumerate(STATES):
        if index:
            parts.append((" → ", "$text-muted"))
        if index < current:
            parts.append((state, "$text-muted"))
        elif index == current:
            parts.append((state, "bold $accent" if not status.done else "bold $success"))
        else:
            parts.append((state, "$text-disabled"))
    if current < 0:
        parts.append((f"  ({status.status})", "$warning"))
    errored = f", {status.errored} errored" if status.errored else ""
    parts.append(f"   {status.finished}/{status.total} operations{errored}")
    return Content.assemble(*parts)


class ImportProgress(Vertical):
    DEFAULT_CSS = """
    ImportProgress {
        height: auto;
        padding: 0 1;
        #import-bar { width: 1fr; }
        #import-bar Bar { width: 1fr; }
        #import-rate { color: $text-muted; }
        #import-slots { padding: 0; }
        #import-batch { display: none; }
    }
    """

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._batch_base = 0  # rows settled before the current batch started
        self._batch: BatchStatus | None = None

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="import-bar", show_eta=False)
        yield Static(id="import-rate")
        yield SlotGauge(id="import-slots", clock=self._clock)
        yield Static(id="import-batch")

    def start(self, total: int, *, batch: bool) -> None:
        self._batch = None
        self._batch_base = 0
        self.query_one(ProgressBar).update(total=max(total, 1), progress=0)
        self.query_one("#import-rate", Static).update("starting…")
        self.query_one("#import-batch").display = batch
        self.query_one("#import-batch", Static).update(
            Content.styled("Batch: submitting…", "$text-muted")
        )

    def show_meter(self, meter: ProgressMeter) -> None:
        """Rows settled so far; while a batch runs, its own operation count when ahead."""
        done = meter.done
        if self._batch is not None:
            done = max(done, self._batch_base + self._batch.finished)
        self.query_one(ProgressBar).update(progress=min(done, meter.total))
        self.query_one("#import-rate", Static).update(meter.line())

    def show_batch(self, status: BatchStatus, meter: ProgressMeter) -> None:
        if self._batch is None or self._batch.id != status.id:
            self._batch_base = meter.done
        self._batch = status
        self.query_one("#import-batch", Static).update(stage_line(status))
        self.show_meter(meter)

    def show_slots(self, snapshot: SlotSnapshot) -> None:
        self.query_one(SlotGauge).sample(snapshot, self._clock())
