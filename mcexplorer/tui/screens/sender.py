"""Sending what the composer shows: a helper the explorer composes.

It checks the request once more than the composer can (variables left unresolved, the
body against the operation's schema, unless the user insists), sends it through the
session in a worker, and routes each attempt and the outcome to the views. Repeat ×20
goes the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget

from mcexplorer.core.http.draft import unresolved_variables
from mcexplorer.core.http.request import ApiRequest, PreparedRequest, RequestInvalid
from mcexplorer.tui.messages import AttemptRecorded, RequestSubmitted, ResponseReceived
from mcexplorer.tui.state import Visits
from mcexplorer.tui.widgets.composer import Composer

if TYPE_CHECKING:
    from mcexplorer.core.http.events import AttemptEvent
    from mcexplorer.core.http.outcome import Outcome
    from mcexplorer.core.session.explain import Explanation
    from mcexplorer.core.session.session import Session

REPEAT_COUNT = 20
KEPT_TIMELINES = 64
NOT_CONNECTED = "Not connected yet: wait for the header to show the account."


class Sender(Widget):
    DEFAULT_CSS = "Sender { display: none; }"

    def __init__(
        self,
        session: Callable[[], Session | None],
        observe: Callable[[Outcome], None],
        show: Callable[[Outcome, Explanation | None], None],
    ) -> None:
        super().__init__(id="sender")
        self._session = session
        self._observe = observe
        self._show = show
        self.visits: Visits[Outcome] = Visits()
        self.shown_request_id: str | None = None
        self._latest_submission = 0
        self._timelines: dict[str, list[AttemptEvent]] = {}

    def reset(self) -> None:
        """Another account: the responses visited before are not its."""
        self.visits = Visits()

    @property
    def composer(self) -> Composer:
        return self.screen.query_one(Composer)

    def ready_request(self) -> ApiRequest | None:
        """What the composer shows, if it may go: readable, every variable resolved, and
        the body fits the operation's schema (unless the user insists: the server is the
        final judge). Otherwise the issues show under the composer."""
        composer = self.composer
        try:
            req = composer.build()
        except RequestInvalid as exc:
            composer.show_issues(exc.issues)
            return None
        unresolved = unresolved_variables(req)
        if unresolved:
            names = ", ".join("{{" + name + "}}" for name in unresolved)
            composer.show_issues([f"variables: no value for {names}"])
            return None
        op = composer.operation
        if op is not None and op.body is not None and not composer.insisting:
            from mcexplorer.core.catalog.schema import check_body, has_errors

            issues = check_body(op, req.body)
            if has_errors(issues):
                lines = [str(i) for i in issues]
                lines.append("Not sent. Ctrl+S again (or Send anyway) sends it as it is.")
                composer.show_issues(lines, insist=True)
                return None
        return req

    def send_composed(self) -> None:
        req = self.ready_request()
        if req is not None:
            self.submit(req)

    def submit(self, req: ApiRequest, *, visit: bool = True) -> bool:
        """Check the request (once), then send it in a worker; False (and the issues shown)
        if it cannot go."""
        composer = self.composer
        try:
            prepared = req.prepare()
        except RequestInvalid as exc:
            composer.show_issues(exc.issues)
            return False
        if self._session() is None:
            self.notify(NOT_CONNECTED)
            return False
        composer.clear_issues()
        self._latest_submission += 1
        self.post_message(RequestSubmitted(req))
        self._send(prepared, self._latest_submission, visit)
        return True

    # A description of our own: by default Textual reprs the arguments, bodies included.
    @work(exclusive=False, group="send", exit_on_error=False, description="send")
    async def _send(self, req: PreparedRequest, submission: int, visit: bool) -> None:
        session = self._session()
        assert session is not None

        def on_event(event: AttemptEvent) -> None:
            if submission == self._latest_submission:
                self.shown_request_id = event.request_id
            self.post_message(AttemptRecorded(event))

        outcome = await session.send(req, on_event=on_event)
        self._observe(outcome)
        if visit and outcome.request.method.upper() == "GET":
            self.visits.visit(outcome)
        explained = await session.explain(outcome)
        self.post_message(ResponseReceived(outcome, explained))

    def on_attempt_recorded(self, message: AttemptRecorded) -> None:
        event = message.event
        events = self._timelines.setdefault(event.request_id, [])
        events.append(event)
        while len(self._timelines) > KEPT_TIMELINES:
            del self._timelines[next(iter(self._timelines))]
        if event.request_id == self.shown_request_id:
            from mcexplorer.tui.widgets.retry_timeline import RetryTimeline

            self.screen.query_one(RetryTimeline).show(events)

    def on_response_received(self, message: ResponseReceived) -> None:
        outcome = message.outcome
        if outcome.request_id != self.shown_request_id and self.shown_request_id is not None:
            return  # an older or repeated request finished: the view keeps the latest
        self._show(outcome, message.explanation)

    @work(exclusive=True, group="repeat", exit_on_error=False)
    async def repeat(self) -> None:
        """Send the composer's request 20 times at once (the 11th and later queue)."""
        req = self.ready_request()
        if req is None:
            return
        try:
            prepared = req.prepare()
        except RequestInvalid as exc:
            self.composer.show_issues(exc.issues)
            return
        session = self._session()
        if session is None:
            self.notify(NOT_CONNECTED)
            return
        self.post_message(RequestSubmitted(prepared.request))
        summary, outcomes = await session.repeat(prepared, REPEAT_COUNT, REPEAT_COUNT)
        for outcome in outcomes:
            self._observe(outcome)
        statuses = ", ".join(f"{n}× {status}" for status, n in summary.statuses.items())
        self.notify(f"Repeated ×{REPEAT_COUNT}: {statuses}; peak {summary.peak_in_flight}")
        if outcomes:
            last = outcomes[-1]
            self.shown_request_id = last.request_id
            self.post_message(ResponseReceived(last, await session.explain(last)))
