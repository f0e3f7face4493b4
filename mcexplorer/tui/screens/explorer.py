"""The explorer: resource map / operations on the left, composer and response on the right.

Data flows one way: composer → ApiRequest → Engine (in a worker) → Outcome → views.
The screen shows at once; the connection (and the sandbox behind it) arrives later.
A MailerSend account swaps in its own catalog, a map built from it (MailerSend has no API
root to walk), the rate/quota gauge instead of the slot gauge, and a composer without the
Mailchimp-only parts.
"""

from __future__ import annotations

import gc
import threading
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

from mcexplorer.core.accounts.keys import Provider
from mcexplorer.core.http.draft import Draft
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.tui.messages import (
    LayoutFinished,
    LinkFollowed,
    SlotsChanged,
)
from mcexplorer.tui.screens.saved_requests import SavedRequests
from mcexplorer.tui.screens.sender import Sender
from mcexplorer.tui.state import Visits
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
    from mcexplorer.core.http.slots import SlotSnapshot
    from mcexplorer.core.problems.glossary import Glossary
    from mcexplorer.core.session.explain import Explanation
    from mcexplorer.core.session.session import Session
    from mcexplorer.tui.widgets.operations_list import OperationsList

SLOT_UPDATE_INTERVAL_S = 0.1  # the gauge redraws at most ~10 times a second
MAILERSEND_CATALOG = "mailersend_catalog.json"  # next to the Mailchimp catalog


def _freeze_startup_heap() -> None:
    """Move what startup built (Textual, the catalog, an embedded sandbox's data) out of
    the garbage collector's reach: a full collection over it took ~180 ms and stalled the
    UI while a big response was being decoded."""
    gc.freeze()


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_mailersend(target: Target | None) -> bool:
    """A MailerSend account: its credentials say so (the URL may be a sandbox's)."""
    credentials = target.credentials if target else None
    return credentials is not None and credentials.provider is Provider.MAILERSEND


class ExplorerScreen(Screen[None]):
    AUTO_FOCUS = "#map"
    # Below 32 rows the composer packs its rows (app.tcss: `.-short`).
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", id="send", priority=True),
        Binding("ctrl+r", "repeat", "Repeat ×20", id="repeat"),
        Binding("alt+left", "back", "Back", id="back"),
        Binding("alt+right", "forward", "Forward", id="forward"),
        Binding("ctrl+pageup", "previous_page", "Prev page", id="previous-page", show=False),
        Binding("ctrl+pagedown", "next_page", "Next page", id="next-page", show=False),
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
        self.mailersend = mailersend
        self.engine_clock = engine_clock
        self._catalogs: dict[bool, Catalog] = {}  # by "is MailerSend"
        self._catalogs_loading: set[bool] = set()
        self.target: Target | None = None
        self.session: Session | None = None
        self.catalog: Catalog | None = None
        self.glossary: Glossary | None = None
        self.root_body: Any = None
        self._loop_thread = threading.get_ident()
        self._last_slot_post = 0.0
        self._pending_snapshot: SlotSnapshot | None = None
        self.saved = SavedRequests(
            lambda: self.catalog, lambda: self.target.profile if self.target else None
        )
        self.sender = Sender(lambda: self.session, self.observe_limits, self.show_outcome)

    def compose(self) -> ComposeResult:
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

    def on_mount(self) -> None:
        self.query_one(ResourceMap).fetch = self._fetch_json
        self.query_one(Composer).edited = self.saved.check_dirty
        self.saved.folder = self.collections_dir
        # After the first frame: the loader's thread would hold the GIL during the layout.
        self.call_after_refresh(self.saved.reload)
        self._apply_provider()
        self._catalogs_loading.add(self.mailersend)
        self.call_after_refresh(self._first_frame_shown)

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
        self._load_reference_data(self.mailersend)
        self.post_message(LayoutFinished())

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.aclose()

    @work(group="close")
    async def _close_session(self, session: Session) -> None:
        await session.aclose()

    @work(thread=True, group="startup", exit_on_error=False)
    def _load_reference_data(self, mailersend: bool) -> None:
        """The catalog (270 operations) and the glossary load off the UI thread."""
        from mcexplorer.core.problems.glossary import Glossary

        self._read_catalog(mailersend)
        glossary = Glossary.load()
        self.app.call_from_thread(setattr, self, "glossary", glossary)

    @work(thread=True, group="catalog", exit_on_error=False)
    def _load_catalog(self, mailersend: bool) -> None:
        self._read_catalog(mailersend)

    def _read_catalog(self, mailersend: bool) -> None:
        """Runs in a thread worker."""
        from mcexplorer.core.catalog.model import DEFAULT_PATH, Catalog

        path = DEFAULT_PATH.with_name(MAILERSEND_CATALOG) if mailersend else DEFAULT_PATH
        catalog = Catalog.load(path)
        self.app.call_from_thread(self._catalog_loaded, mailersend, catalog)

    def _catalog_loaded(self, mailersend: bool, catalog: Catalog) -> None:
        self._catalogs[mailersend] = catalog
        self._catalogs_loading.discard(mailersend)
        if mailersend != self.mailersend:
            return  # the account changed provider while it loaded: kept for later
        self.catalog = catalog
        self.query_one(Composer).catalog = catalog
        from mcexplorer.tui.widgets.operations_list import OperationsList

        for ops in self.query(OperationsList):  # none yet if it is still to be mounted
            ops.set_catalog(catalog)
        # MailerSend's map comes from the catalog alone; Mailchimp's needs the root too.
        ready = self.target is not None if mailersend else self.root_body is not None
        if ready and not self.query_one(ResourceMap).root.children:
            self._populate_map()
        _freeze_startup_heap()

    def _apply_provider(self) -> None:
        """Show the gauge and the composer parts that fit the account's provider."""
        self.query_one(SlotGauge).display = not self.mailersend
        gauges = self.query(RateGauge)
        if gauges:
            gauges.first().display = self.mailersend
        elif self.mailersend:
            self.mount(RateGauge(id="rate", clock=self.wall_clock), after="#slots")
        self.query_one(Composer).set_mailersend(self.mailersend)

    def _switch_provider(self, mailersend: bool) -> None:
        """A different API from now on: its catalog, map, gauge and composer parts."""
        self.mailersend = mailersend
        self.root_body = None
        self.catalog = None  # the other API's operations must not match this one's paths
        self.query_one(Composer).catalog = None
        self.query_one(ResourceMap).clear()
        self._apply_provider()
        cached = self._catalogs.get(mailersend)
        if cached is not None:
            self._catalog_loaded(mailersend, cached)
        elif mailersend not in self._catalogs_loading:
            self._catalogs_loading.add(mailersend)
            self._load_catalog(mailersend)

    # ----- connecting ------------------------------------------------------------------

    def connect(self, target: Target) -> None:
        """Use this account from now on (called once the sandbox or profile is ready)."""
        from mcexplorer.core.session.session import Session

        if self.session is not None:
            self._close_session(self.session)
        self.sender.visits = Visits()
        self.target = target
        if is_mailersend(target) != self.mailersend:
            self._switch_provider(is_mailersend(target))
        for gauge in self.query(RateGauge):  # another account: earlier readings do not apply
            gauge.rate = gauge.quota = None
        self.session = Session(
            target,
            clock=self.engine_clock,
            history=self.history_enabled,
            store=self._store(),
            warn=lambda text: self.app.call_from_thread(self._failed, f"History: {text}"),
            glossary=self.glossary,
        )
        self.session.engine.slots.add_listener(self._slots_changed)
        header = self.query_one(AccountHeader)
        header.profile = target.label
        if target.notice:
            self.notify(target.notice)
        self._load_root()

    @work(exclusive=True, group="root")
    async def _load_root(self) -> None:
        assert self.session is not None and self.target is not None
        if self.mailersend:
            await self._load_quota()
            return
        header = self.query_one(AccountHeader)
        root = await self.session.fetch(ApiRequest("GET", "/"))
        dc = self.target.credentials.dc if self.target.credentials else None
        self.root_body = root.json() if root.ok else None
        header.set_root(self.root_body, dc)
        if not root.ok:
            header.account = f"root: {root.status or 'no response'}"
        self._populate_map()
        ping = await self.session.fetch(ApiRequest("GET", "/ping"))
        body = ping.json()
        health = body.get("health_status") if isinstance(body, dict) else None
        header.set_health(str(health or ping.status or "unreachable"), ping.ok)
        _freeze_startup_heap()

    async def _load_quota(self) -> None:
        """MailerSend has no API root: the map comes from the catalog, and GET /api-quota
        (which the daily quota does not count) fills the gauge and shows the token works."""
        assert self.session is not None
        header = self.query_one(AccountHeader)
        header.account, header.role, header.dc = "MailerSend", None, None
        if not self.query_one(ResourceMap).root.children:
            self._populate_map()
        outcome = await self.session.fetch(ApiRequest("GET", "/api-quota"))
        if outcome.ok:
            self.query_one(RateGauge).observe_quota_document(outcome.json())
        self.observe_limits(outcome)
        header.set_health(
            "token works" if outcome.ok else str(outcome.status or "unreachable"), outcome.ok
        )
        _freeze_startup_heap()

    def observe_limits(self, outcome: Outcome) -> None:
        """MailerSend reports its rate limit and quota on every response."""
        if self.mailersend:
            for gauge in self.query(RateGauge):
                gauge.observe(outcome.headers)

    def _populate_map(self) -> None:
        if self.mailersend:
            if self.catalog is not None:
                self.query_one(ResourceMap).populate_catalog("MailerSend", self.catalog)
            return
        fallback = []
        if self.catalog is not None:
            fallback = sorted(
                op.path
                for op in self.catalog.operations
                if op.method == "GET"
                and op.path.count("/") == 1
                and "{" not in op.path
                and op.path not in ("/", "/ping")
            )
        self.query_one(ResourceMap).populate_root(self.root_body, fallback)

    async def _fetch_json(self, path: str, query: dict[str, str]) -> Any:
        """The resource map's loader: a GET through the same engine (and slots)."""
        if self.session is None:
            return None
        outcome = await self.session.fetch(ApiRequest("GET", path, query=dict(query)))
        self.observe_limits(outcome)
        return outcome.json() if outcome.ok else None

    # ----- slots -----------------------------------------------------------------------

    def _slots_changed(self, snapshot: SlotSnapshot) -> None:
        """Engine listener: throttle to ~10 posts a second, always ending on the latest."""
        if threading.get_ident() != self._loop_thread:
            self.app.call_from_thread(self._slots_changed, snapshot)
            return
        pending = self._pending_snapshot is not None
        self._pending_snapshot = snapshot
        if pending:
            return
        wait = SLOT_UPDATE_INTERVAL_S - (time.monotonic() - self._last_slot_post)
        if wait <= 0:
            self._post_slots()
        else:
            self.set_timer(wait, self._post_slots)

    def _post_slots(self) -> None:
        snapshot, self._pending_snapshot = self._pending_snapshot, None
        if snapshot is not None:
            self._last_slot_post = time.monotonic()
            self.post_message(SlotsChanged(snapshot))

    def on_slots_changed(self, message: SlotsChanged) -> None:
        self.query_one(SlotGauge).sample(message.snapshot, self.clock())

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
        self.query_one(target).focus()

    def action_follow_link(self) -> None:
        if self.query_one(ResponseView).tabs_ready:  # not in the first moments
            self.action_show_tab("tab-links")
            self.query_one("#links").focus()

    def action_show_tab(self, tab: str) -> None:
        if self.query_one(ResponseView).tabs_ready:
            self.query_one("#response-tabs", TabbedContent).active = tab

    def action_focus_composer(self) -> None:
        self.query_one("#path").focus()

    def action_help(self) -> None:
        from mcexplorer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.focused))

    def action_glossary(self) -> None:
        from mcexplorer.tui.screens.glossary import GlossaryScreen

        self.app.push_screen(GlossaryScreen(self.glossary))

    def action_accounts(self) -> None:
        self.app.action_accounts()  # type: ignore[attr-defined]

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
