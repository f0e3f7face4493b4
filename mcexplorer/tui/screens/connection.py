"""The explorer's connection to an API: a helper the screen composes.

It loads the catalog and the glossary off the UI thread, opens a session for an account
(closing the one before), fetches the root (Mailchimp) or the quota (MailerSend) for the
header and the map, swaps in the other provider's catalog, gauge and composer parts when
the account changes provider, and forwards the engine's slot readings to the gauge.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widget import Widget

from mcexplorer.core.accounts.keys import Provider
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.tui.messages import SlotsChanged
from mcexplorer.tui.widgets.composer import Composer
from mcexplorer.tui.widgets.header import AccountHeader
from mcexplorer.tui.widgets.rate_gauge import RateGauge
from mcexplorer.tui.widgets.resource_map import ResourceMap
from mcexplorer.tui.widgets.slot_gauge import SlotGauge

if TYPE_CHECKING:
    from mcexplorer.core.accounts.target import Target
    from mcexplorer.core.catalog.model import Catalog
    from mcexplorer.core.clock import Clock
    from mcexplorer.core.history.store import HistoryStore
    from mcexplorer.core.http.outcome import Outcome
    from mcexplorer.core.http.slots import SlotSnapshot
    from mcexplorer.core.problems.glossary import Glossary
    from mcexplorer.core.session.session import Session

SLOT_UPDATE_INTERVAL_S = 0.1  # the gauge redraws at most ~10 times a second
MAILERSEND_CATALOG = "mailersend_catalog.json"  # next to the Mailchimp catalog
CONNECT_WAIT_S = 15.0  # how long a map node opened before the session is up waits for it


def _freeze_startup_heap() -> None:
    """Move what startup built (Textual, the catalog, an embedded sandbox's data) out of
    the garbage collector's reach: a full collection over it took ~180 ms and stalled the
    UI while a big response was being decoded."""
    gc.freeze()


def is_mailersend(target: Target | None) -> bool:
    """A MailerSend account: its credentials say so (the URL may be a sandbox's)."""
    credentials = target.credentials if target else None
    return credentials is not None and credentials.provider is Provider.MAILERSEND


class Connection(Widget):
    DEFAULT_CSS = "Connection { display: none; }"

    def __init__(
        self,
        *,
        mailersend: bool,
        clock: Callable[[], float],
        wall_clock: Callable[[], datetime],
        engine_clock: Clock | None,
        store: Callable[[], HistoryStore | None],
        reset: Callable[[], None],
    ) -> None:
        """`store` gives the history store (None: history is off); `reset` forgets what
        the previous account showed (visited responses)."""
        super().__init__(id="connection")
        self.mailersend = mailersend
        self._clock = clock
        self._wall_clock = wall_clock
        self._engine_clock = engine_clock
        self._store = store
        self._reset = reset
        self._catalogs: dict[bool, Catalog] = {}  # by "is MailerSend"
        self._catalogs_loading: set[bool] = {mailersend}
        self.target: Target | None = None
        self.session: Session | None = None
        self.catalog: Catalog | None = None
        self.glossary: Glossary | None = None
        self.root_body: Any = None
        self._connected = asyncio.Event()
        self._loop_thread = threading.get_ident()
        self._last_slot_post = 0.0
        self._pending_snapshot: SlotSnapshot | None = None

    @work(exclusive=True, group="sandbox-faults", exit_on_error=False)
    async def set_fault_profile(self, profile: str) -> None:
        from mcexplorer.core.session.sandbox_admin import SandboxAdminError, set_fault_profile

        if self.target is None:
            self._failed("No account is open yet.")
            return
        try:
            await set_fault_profile(self.target.base_url, profile)
        except SandboxAdminError as exc:
            self._failed(f"Sandbox faults: {exc}")
            return
        self.notify(f"The sandbox now answers with the '{profile}' fault profile.")

    def _failed(self, text: str) -> None:
        self.notify(text, severity="error", timeout=10, markup=False)

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.aclose()

    @work(group="close")
    async def _close_session(self, session: Session) -> None:
        await session.aclose()

    @work(thread=True, group="startup", exit_on_error=False)
    def load_reference_data(self, mailersend: bool) -> None:
        """The catalog (270 operations) and the glossary load off the UI thread."""
        from mcexplorer.core.problems.glossary import Glossary

        self._read_catalog(mailersend)
        self.app.call_from_thread(self.use_glossary, Glossary.load())

    def use_glossary(self, glossary: Glossary) -> None:
        """A session opened before the glossary loaded gets it too (its explanations name
        glossary entries)."""
        self.glossary = glossary
        if self.session is not None and self.session.glossary is None:
            self.session.glossary = glossary

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
        self.screen.query_one(Composer).catalog = catalog
        from mcexplorer.tui.widgets.operations_list import OperationsList

        for ops in self.screen.query(OperationsList):  # none yet if it is still to be mounted
            ops.set_catalog(catalog)
        # MailerSend's map comes from the catalog alone; Mailchimp's needs the root too.
        ready = self.target is not None if mailersend else self.root_body is not None
        if ready and not self.screen.query_one(ResourceMap).root.children:
            self.populate_map()
        _freeze_startup_heap()

    def apply_provider(self) -> None:
        """Show the gauge and the composer parts that fit the account's provider."""
        self.screen.query_one(SlotGauge).display = not self.mailersend
        gauges = self.screen.query(RateGauge)
        if gauges:
            gauges.first().display = self.mailersend
        elif self.mailersend:
            self.screen.mount(RateGauge(id="rate", clock=self._wall_clock), after="#slots")
        self.screen.query_one(Composer).set_mailersend(self.mailersend)

    def _switch_provider(self, mailersend: bool) -> None:
        """A different API from now on: its catalog, map, gauge and composer parts."""
        self.mailersend = mailersend
        self.root_body = None
        self.catalog = None  # the other API's operations must not match this one's paths
        self.screen.query_one(Composer).catalog = None
        self.screen.query_one(ResourceMap).clear()
        self.apply_provider()
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
        store = self._store()
        self._reset()
        self.target = target
        if is_mailersend(target) != self.mailersend:
            self._switch_provider(is_mailersend(target))
        for gauge in self.screen.query(RateGauge):  # another account: earlier readings do not apply
            gauge.rate = gauge.quota = None
        self.session = Session(
            target,
            clock=self._engine_clock,
            history=store is not None,
            store=store,
            warn=lambda text: self.app.call_from_thread(self._failed, f"History: {text}"),
            glossary=self.glossary,
        )
        self.session.engine.slots.add_listener(self._slots_changed)
        self._connected.set()
        header = self.screen.query_one(AccountHeader)
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
        header = self.screen.query_one(AccountHeader)
        root = await self.session.fetch(ApiRequest("GET", "/"))
        dc = self.target.credentials.dc if self.target.credentials else None
        self.root_body = root.json() if root.ok else None
        header.set_root(self.root_body, dc)
        if not root.ok:
            header.account = f"root: {root.status or 'no response'}"
        self.populate_map()
        ping = await self.session.fetch(ApiRequest("GET", "/ping"))
        body = ping.json()
        health = body.get("health_status") if isinstance(body, dict) else None
        header.set_health(str(health or ping.status or "unreachable"), ping.ok)
        _freeze_startup_heap()

    async def _load_quota(self) -> None:
        """MailerSend has no API root: the map comes from the catalog, and GET /api-quota
        (which the daily quota does not count) fills the gauge and shows the token works."""
        assert self.session is not None
        header = self.screen.query_one(AccountHeader)
        header.account, header.role, header.dc = "MailerSend", None, None
        if not self.screen.query_one(ResourceMap).root.children:
            self.populate_map()
        outcome = await self.session.fetch(ApiRequest("GET", "/api-quota"))
        if outcome.ok:
            self.screen.query_one(RateGauge).observe_quota_document(outcome.json())
        self.observe_limits(outcome)
        header.set_health(
            "token works" if outcome.ok else str(outcome.status or "unreachable"), outcome.ok
        )
        _freeze_startup_heap()

    def observe_limits(self, outcome: Outcome) -> None:
        """MailerSend reports its rate limit and quota on every response."""
        if self.mailersend:
            for gauge in self.screen.query(RateGauge):
                gauge.observe(outcome.headers)

    def populate_map(self) -> None:
        if self.mailersend:
            if self.catalog is not None:
                self.screen.query_one(ResourceMap).populate_catalog("MailerSend", self.catalog)
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
        self.screen.query_one(ResourceMap).populate_root(self.root_body, fallback)

    async def fetch_json(self, path: str, query: dict[str, str]) -> Any:
        """The resource map's loader: a GET through the same engine (and slots)."""
        if self.session is None:
            # The map shows the sandbox child's root before the session is up: a node
            # opened then waits for it (a sandbox that never starts: it fails in time).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._connected.wait(), CONNECT_WAIT_S)
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
        self.screen.query_one(SlotGauge).sample(message.snapshot, self._clock())
