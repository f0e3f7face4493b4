"""The explorer: resource map / operations on the left, composer and response on the right.

Data flows one way: composer → ApiRequest → Engine (in a worker) → Outcome → views.
The screen shows at once; the connection (and the sandbox behind it) arrives later.
A MailerSend account swaps in its own catalog, a map built from it (MailerSend has no API
root to walk), the rate/quota gauge instead of the slot gauge, and a composer without the
Mailchimp-only parts.

The screen lays the parts out and routes keys and messages; the work is done by helpers
it composes: `Connection` (catalog, session, root, gauges), `Sender` (checks, sending,
timelines), `SavedRequests` (the collection) and `ComposerTools` (curl, $EDITOR).
"""

from __future__ import annotations

__all__ = ["ExplorerScreen", "is_mailersend", "utc_now"]

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import MountError
from textual.widgets import TabbedContent, TabPane

from mcexplorer.core.http.draft import Draft
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.tui.messages import (
    LayoutFinished,
    LinkFollowed,
)
from mcexplorer.tui.screens.connection import Connection, is_mailersend
from mcexplorer.tui.screens.saved_requests import SavedRequests
from mcexplorer.tui.screens.sender import Sender
from mcexplorer.tui.widgets.collection_tree import CollectionTree
from mcexplorer.tui.widgets.composer import Composer
from mcexplorer.tui.widgets.composer_tools import ComposerTools
from mcexplorer.tui.widgets.header import AccountHeader
from mcexplorer.tui.widgets.key_hints import KeyHints
from mcexplorer.tui.widgets.rate_gauge import RateGauge
from mcexplorer.tui.widgets.resource_map import ResourceMap
from mcexplorer.tui.widgets.response_view import ResponseView
from mcexplorer.tui.widgets.slot_gauge import SlotGauge

if TYPE_CHECKING:
    from mcexplorer.core.accounts.target import Target
    from mcexplorer.core.catalog.model import Catalog
    from mcexplorer.core.clock import Clock
    from mcexplorer.core.history.store import HistoryStore
    from mcexplorer.core.http.outcome import Outcome
    from mcexplorer.core.problems.glossary import Glossary
    from mcexplorer.core.session.explain import Explanation
    from mcexplorer.core.session.session import Session
    from mcexplorer.tui.widgets.operations_list import OperationsList


def utc_now() -> datetime:
    return datetime.now(UTC)


class ExplorerScreen(Screen[None]):
    AUTO_FOCUS = "#map"
    # Below 32 rows the composer packs its rows (app.tcss: `.-short`).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", id="send", priority=True),
        Binding("ctrl+r", "repeat", "Repeat ×20", id="repeat"),
        Binding("alt+left", "back", "Back", id="back"),
        Binding("alt+right", "forward", "Forward", id="forward"),
        Binding(
            "ctrl+pageup",
            "previous_page",
            "Prev page",
            id="previous-page",
            show=False,
            priority=True,
        ),
        Binding(
            "ctrl+pagedown", "next_page", "Next page", id="next-page", show=False, priority=True
        ),
        Binding("ctrl+o", "toggle_view", "Map/Ops", id="toggle-view"),
        Binding("ctrl+l", "follow_link", "Links", id="follow-link", show=False),
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "glossary", "Glossary", id="glossary"),
        Binding("f3", "accounts", "Accounts", id="accounts"),
        Binding("f7", "import_members", "Import", id="import-members", show=False),
        # Out of the footer (already full); the command palette lists them with their keys.
        Binding("f4", "save_request", "Save", id="save-request", show=False),
        Binding("f5", "save_request_as", "Save as", id="save-request-as", show=False),
        Binding("f6", "history", "History", id="history", show=False),
        Binding("ctrl+n", "new_request", "New", id="new-request", show=False),
        Binding("f8", "copy_curl", "Copy curl", id="copy-curl", show=False),
        Binding("shift+f8", "paste_curl", "Paste curl", id="paste-curl", show=False),
        Binding("f9", "edit_body", "$EDITOR", id="edit-body", show=False),
        Binding("f11", "maximize_body", "Body editor", id="maximize-body", show=False),
    ]
    DEFAULT_CSS = """
    ExplorerScreen Composer.-saved {
        border-top: hkey $panel-lighten-1;
        border-title-color: $text-muted;
    }
    ExplorerScreen Composer.-dirty { border-title-color: #d7af5f; }
    """

    # Set by the app before the screen mounts; None means the user data dir.
    collections_dir: Path | None = None
    history_enabled: bool = True
    history_store: HistoryStore | None = None
    # A root known before the screen mounted (the sandbox child's): the map shows it then.
    _early_root: Any = None

    def __init__(
        self,
        *,
        mask_volatile: bool = False,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = utc_now,
        mailersend: bool = False,
        engine_clock: Clock | None = None,
    ) -> None:
        """`mask_volatile` hides timings and request ids, `clock` drives the slot gauge's
        sparkline and `wall_clock` the rate gauge's countdowns: fixed, they keep snapshots
        the same from run to run, like `engine_clock` (the engine's; attempt timings).
        `mailersend` is the first account's provider, if known."""
        super().__init__()
        self.mask_volatile = mask_volatile
        self.clock = clock
        self.wall_clock = wall_clock
        self.saved = SavedRequests(
            lambda: self.catalog, lambda: self.target.profile if self.target else None
        )
        self.sender = Sender(lambda: self.session, self.observe_limits, self.show_outcome)
        self.connection = Connection(
            mailersend=mailersend,
            clock=clock,
            wall_clock=wall_clock,
            engine_clock=engine_clock,
            store=self._store,
            reset=self.sender.reset,
        )

    # What the connection knows, read by the screen's parts and by tests.
    @property
    def mailersend(self) -> bool:
        return self.connection.mailersend

    @property
    def session(self) -> Session | None:
        return self.connection.session

    @property
    def target(self) -> Target | None:
        return self.connection.target

    @property
    def catalog(self) -> Catalog | None:
        return self.connection.catalog

    @property
    def glossary(self) -> Glossary | None:
        return self.connection.glossary

    def connect(self, target: Target) -> None:
        """Use this account from now on (called once the sandbox or profile is ready)."""
        self.connection.connect(target)

    def observe_limits(self, outcome: Outcome) -> None:
        self.connection.observe_limits(outcome)

    def compose(self) -> ComposeResult:
        self._set_breakpoint_class()
        yield self.connection
        yield self.saved
        yield self.sender
        yield ComposerTools(lambda: self.target, lambda: self.catalog)
        yield AccountHeader(id="header")
        yield SlotGauge(id="slots", clock=self.clock)
        if self.mailersend:
            yield RateGauge(id="rate", clock=self.wall_clock)
        with Horizontal(id="main"):
            with Vertical(id="sidebar"), TabbedContent(id="sidebar-tabs"):
                with TabPane("Map", id="tab-map"):
                    yield ResourceMap(id="map")
                yield TabPane("Operations", id="tab-ops")  # filled after the first frame
                with TabPane("Saved", id="tab-saved"):
                    yield CollectionTree(id="collections")
            with Vertical(id="work"):
                yield Composer(id="composer")
                yield ResponseView(id="response", mask_volatile=self.mask_volatile)
        yield KeyHints()

    def _set_breakpoint_class(self) -> None:
        """The terminal height's breakpoint class, set before the widgets get their styles:
        left to Textual's first Resize, it restyled every widget once more (a quarter of the
        styling done before the first frame)."""
        height = self.app.size.height
        current = [name for least, name in self.VERTICAL_BREAKPOINTS if height >= least][-1]
        classes = {name: name == current for _, name in self.VERTICAL_BREAKPOINTS}
        self.update_classes(classes, update=False)  # styled as it starts

    def on_mount(self) -> None:
        self.query_one(ResourceMap).fetch = self.connection.fetch_json
        if self._early_root is not None:  # here, not later: it is in the first frame
            self._populate_early(self._early_root)
        self.query_one(Composer).edited = self.saved.check_dirty
        self.saved.folder = self.collections_dir
        # After the first frame: the loader's thread would hold the GIL during the layout.
        self.call_after_refresh(self.saved.reload)
        self.connection.apply_provider()
        self.call_after_refresh(self._first_frame_shown)

    def show_root_early(self, root: Any) -> None:
        """The map's first level from a root known before the session is connected (the
        sandbox child announces it while the HTTP engine still loads); the session's own
        GET / replaces it a moment later."""
        if self.is_mounted:
            self._populate_early(root)
        else:
            self._early_root = root  # on_mount shows it

    def _populate_early(self, root: Any) -> None:
        resource_map = self.query_one(ResourceMap)
        if self.session is None and not resource_map.root.children:
            resource_map.populate_root(root, [])

    def _first_frame_shown(self) -> None:
        """Fill in what the first frame held back (in one go: one more layout, not one per
        part); the rest waits for that to show."""
        # Imported here, like the other parts' modules below: the first frame has no use
        # for them (nor for DataTable, which the problem panel brings).
        from mcexplorer.tui.widgets.operations_list import OperationsList
        from mcexplorer.tui.widgets.problem_panel import ProblemPanel
        from mcexplorer.tui.widgets.retry_timeline import RetryTimeline

        column = self.query_one("#work", Vertical)
        try:
            mounted = [
                self.query_one("#tab-ops", TabPane).mount(OperationsList(id="ops")),
                column.mount(ProblemPanel(id="problem"), before="#response"),  # hidden for now
                column.mount(RetryTimeline(id="timeline")),
                self.query_one(Composer).finish_layout(),
                self.query_one(ResponseView).finish_layout(),
            ]
        except MountError:
            return  # quit before the second frame: the widgets are already being removed
        self._when_composed(mounted)

    @work(group="startup")
    async def _when_composed(self, mounted: list[Awaitable[object]]) -> None:
        for done in mounted:
            await done
        self.call_after_refresh(self._layout_finished)

    def _layout_finished(self) -> None:
        # Thread work from here on (the catalog, the sandbox's start) holds the GIL for long
        # stretches: started earlier, it held back the frames above.
        self.connection.load_reference_data(self.mailersend)
        self.post_message(LayoutFinished())

    # ----- sending (the Sender helper does the work) ---------------------------------

    def show_outcome(self, outcome: Outcome, explained: Explanation | None) -> None:
        from mcexplorer.tui.widgets.problem_panel import ProblemPanel
        from mcexplorer.tui.widgets.retry_timeline import RetryTimeline

        self.query_one(ResponseView).show(outcome)
        self.query_one(RetryTimeline).show(outcome.attempts)
        self.query_one(ProblemPanel).show(explained)

    @on(Composer.SendRequested)
    def action_send(self) -> None:
        self.sender.send_composed()

    def action_repeat(self) -> None:
        self.sender.repeat()

    # ----- navigation ------------------------------------------------------------------

    def on_link_followed(self, message: LinkFollowed) -> None:
        self.query_one(Composer).load_draft(
            Draft.from_link(message.method, message.href, self.catalog)
        )

    def on_operations_list_operation_chosen(self, message: OperationsList.OperationChosen) -> None:
        if self.catalog is not None:
            self.query_one(Composer).load_operation(message.operation, self.catalog)

    def on_response_view_formatted(self, message: ResponseView.Formatted) -> None:
        self.query_one(Composer).set_response_fields(message.field_names)

    def on_response_view_page_requested(self, message: ResponseView.PageRequested) -> None:
        self.query_one(Composer).set_page(message.offset, message.count)
        self.action_send()

    def _revisit(self, outcome: Outcome | None) -> None:
        if outcome is None:
            self.notify("Nothing further in that direction.", severity="warning")
            return
        op = None
        if self.catalog is not None:
            op = self.catalog.get(outcome.request.method, outcome.request.path)
        self.query_one(Composer).load_request(outcome.request, op)
        self.sender.shown_request_id = outcome.request_id
        self.show_outcome(outcome, self.session.explanation(outcome) if self.session else None)

    def action_back(self) -> None:
        self._revisit(self.sender.visits.back())

    def action_forward(self) -> None:
        self._revisit(self.sender.visits.forward())

    def action_previous_page(self) -> None:
        self.query_one(ResponseView).turn_page(-1)

    def action_next_page(self) -> None:
        self.query_one(ResponseView).turn_page(1)

    def action_toggle_view(self) -> None:
        tabs = self.query_one("#sidebar-tabs", TabbedContent)
        tabs.active = "tab-ops" if tabs.active == "tab-map" else "tab-map"
        target = "#ops-filter" if tabs.active == "tab-ops" else "#map"
        for widget in self.query(target):  # none in the first moments: Operations mounts
            widget.focus()  # just after the first frame

    def action_follow_link(self) -> None:
        if self.query_one(ResponseView).parts_ready:  # not in the first moments
            self.action_show_tab("tab-links")
            self.query_one("#links").focus()

    def action_show_tab(self, tab: str) -> None:
        if self.query_one(ResponseView).parts_ready:
            self.query_one("#response-tabs", TabbedContent).active = tab

    def action_focus_composer(self) -> None:
        self.query_one(Composer).focus_path()

    def action_help(self) -> None:
        from mcexplorer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.focused))

    def action_glossary(self) -> None:
        from mcexplorer.tui.screens.glossary import GlossaryScreen

        self.app.push_screen(GlossaryScreen(self.glossary))

    def action_accounts(self) -> None:
        self.app.action_accounts()  # type: ignore[attr-defined]

    def action_sandbox_faults(self, profile: str) -> None:
        self.connection.set_fault_profile(profile)

    def action_import_members(self) -> None:
        from mcexplorer.tui.screens.import_screen import ImportScreen

        engine = self.session.engine if self.session else None
        self.app.push_screen(ImportScreen(engine, clock=self.clock))

    # ----- saved requests and history (the SavedRequests helper does the work) ---------

    def on_collection_tree_request_chosen(self, message: CollectionTree.RequestChosen) -> None:
        self.saved.choose(message.item)

    def action_save_request(self) -> None:
        self.saved.save()

    def action_save_request_as(self) -> None:
        self.saved.save_current_as()

    def action_new_request(self) -> None:
        self.saved.new_request()

    def action_rename_request(self) -> None:
        self.saved.rename()

    def action_duplicate_request(self) -> None:
        self.saved.duplicate()

    def action_delete_request(self) -> None:
        self.saved.delete()

    def action_reload_collection(self) -> None:
        self.saved.reload()

    def action_show_saved(self) -> None:
        self.query_one("#sidebar-tabs", TabbedContent).active = "tab-saved"
        self.query_one(CollectionTree).focus()

    def _store(self) -> HistoryStore | None:
        if not self.history_enabled:
            return None
        if self.history_store is None:
            from mcexplorer.core.history.store import HistoryStore

            self.history_store = HistoryStore()
        return self.history_store

    def _failed(self, text: str) -> None:
        self.notify(text, severity="error", timeout=10, markup=False)

    def action_history(self) -> None:
        from mcexplorer.tui.screens.history import HistoryScreen

        store = self._store()
        if store is None:
            self.notify("History is off for this session (started with --no-history).")
            return
        screen = HistoryScreen(
            store,
            glossary=self.glossary,
            on_resend=self.resend,
            on_save=lambda req: self.saved.save_as(req, open_after=False),
            mask_volatile=self.mask_volatile,
        )
        self.app.push_screen(screen)

    def resend(self, req: ApiRequest) -> None:
        """Fill the composer with a request from history and send it."""
        op = self.catalog.get(req.method, req.path) if self.catalog else None
        composer = self.query_one(Composer)
        composer.load_request(req, op)
        self.saved.detach()
        composer.post_message(Composer.SendRequested())  # the explorer sends what it holds

    # ----- habits of API clients (the ComposerTools helper does the work) ---------------

    def action_copy_curl(self) -> None:
        self.query_one(ComposerTools).copy_curl()

    def action_paste_curl(self) -> None:
        self.query_one(ComposerTools).paste_curl()

    def action_edit_body(self) -> None:
        self.query_one(ComposerTools).edit_body()

    def action_maximize_body(self) -> None:
        self.query_one(ComposerTools).toggle_maximize()
