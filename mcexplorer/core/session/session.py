"""A session: one account's work, the same for every front end.

The CLI and the TUI both send through a Session, which sends through the engine,
records each outcome in history and explains what failed. Nothing here knows about a
screen or a terminal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from mcexplorer.core.accounts.keys import AuthKind
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.clock import Clock
from mcexplorer.core.history.store import HistoryStore, Recorder
from mcexplorer.core.http.engine import Engine, EventCallback
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.repeat import RepeatSummary, repeat
from mcexplorer.core.http.request import ApiRequest, PreparedRequest
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.core.http.slots import MAX_LIMIT
from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.session.explain import Explanation, explain
from mcexplorer.core.session.run import RunItem, RunReport, RunResult, run_items


class Session:
    def __init__(
        self,
        target: Target,
        *,
        limit: int = MAX_LIMIT,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        history: bool = True,
        store: HistoryStore | None = None,
        warn: Callable[[str], None] | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        """`warn` hears, once, that history could not be written (the work goes on)."""
        self.target = target
        self.engine = Engine(
            target.base_url, target.credentials, limit=limit, policy=policy, clock=clock
        )
        self.recorder = Recorder(
            profile=target.profile,
            base_url=target.base_url,
            credentials=target.credentials,
            enabled=history,
            warn=warn,
            store=store,
        )
        self.glossary = glossary
        self.role: str | None = None  # the key user's role, once the API root has said it

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.engine.aclose()

    async def send(
        self, req: ApiRequest | PreparedRequest, *, on_event: EventCallback | None = None
    ) -> Outcome:
        """Send and record; RequestInvalid (nothing sent) for a plain request that does not
        validate."""
        outcome = await self.engine.send(req, on_event=on_event)
        await asyncio.to_thread(self.recorder, outcome)
        return outcome

    async def fetch(self, req: ApiRequest) -> Outcome:
        """A look-up of the tool's own (the API root, a map node, a role check): sent through
        the same slots, not recorded."""
        outcome = await self.engine.send(req)
        if outcome.ok and req.path == "/" and req.method.upper() == "GET":
            body = outcome.json()
            role = body.get("role") if isinstance(body, dict) else None
            self.role = str(role) if role else self.role
        return outcome

    async def explain(self, outcome: Outcome) -> Explanation | None:
        """The glossary entry and diagnosis for a failure; None for a success. The role
        costs one cheap GET of the API root, and only for a 403 while it is not known."""
        if outcome.ok or outcome.problem is None:
            return None
        creds = self.target.credentials
        if (
            outcome.status == 403
            and self.role is None
            and creds is not None
            and creds.kind is not AuthKind.TOKEN
        ):
            await self.fetch(ApiRequest(path="/", query={"fields": "role"}))
        return self.explanation(outcome)

    def explanation(self, outcome: Outcome) -> Explanation | None:
        """The same from what the session knows already (no request): for outcomes shown again."""
        creds = self.target.credentials
        return explain(
            outcome,
            base_url=self.target.base_url,
            key_dc=creds.dc if creds else None,
            role=self.role,
            glossary=self.glossary,
        )

    async def repeat(
        self, req: ApiRequest | PreparedRequest, n: int, concurrency: int
    ) -> tuple[RepeatSummary, list[Outcome]]:
        """The same request n times, concurrency at a time; every outcome is recorded."""
        summary, outcomes = await repeat(self.engine, req, n, concurrency)
        await asyncio.to_thread(self.recorder.record_many, outcomes)
        return summary, outcomes

    async def run(
        self,
        items: list[RunItem],
        *,
        concurrency: int = 4,
        on_result: Callable[[RunResult], None] | None = None,
    ) -> RunReport:
        """Saved requests, headless: each outcome recorded, a result per item."""

        async def record(outcome: Outcome) -> int | None:
            return await asyncio.to_thread(self.recorder, outcome)

        return await run_items(
            self.engine, items, concurrency=concurrency, on_outcome=record, on_result=on_result
        )
