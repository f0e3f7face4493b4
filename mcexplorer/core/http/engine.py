"""Send one request through the slots, retrying by phase, and report every attempt.

Order per attempt: wait for a slot, send, read and close the body (which frees the
slot), then decide; a backoff sleep happens with no slot held.
"""

from __future__ import annotations

import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from mcexplorer import __version__
from mcexplorer.core.accounts.keys import Credentials, normalize_base_url
from mcexplorer.core.clock import Clock, SystemClock
from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.ratelimit import daily_quota_reset
from mcexplorer.core.http.request import TRIGGER_HEADER, ApiRequest, PreparedRequest, url_for
from mcexplorer.core.http.retry import Failure, RetryPolicy, Verdict, decide
from mcexplorer.core.http.slots import MAX_LIMIT, SlotGate, SlotSnapshot
from mcexplorer.core.http.transport import Exchange, HttpxExchange, LeanTransport, Timeouts
from mcexplorer.core.problems.problem import (
    Problem,
    decode_problem,
    parse_retry_after,
    problem_from_error,
)

EventCallback = Callable[[AttemptEvent], None]
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 130.0  # a little above Mailchimp's own 120 s, so we never leave first
TIMEOUTS = Timeouts(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S, write=30.0)
SAFE_TO_REPEAT = frozenset({"GET", "HEAD", "OPTIONS"})
USER_AGENT = f"mcexplorer/{__version__}"
DEFAULT_HEADERS = {"Accept": "application/json", "User-Agent": USER_AGENT}
JSON_TYPE = {"Content-Type": "application/json"}


@dataclass
class _Attempt:
    """What one try produced: a response, or a failure with its phase."""

    sent: bool = False
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: Failure | None = None
    error: str | None = None
    elapsed_ms: float = 0.0


def _failure_of(exc: httpx.TransportError) -> tuple[Failure, str]:
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure.CONNECT, f"connecting timed out after {CONNECT_TIMEOUT_S:g} s"
    if isinstance(exc, httpx.ConnectError):
        return Failure.CONNECT, f"could not connect: {exc}"
    if isinstance(exc, httpx.ReadTimeout):
        return Failure.TIMEOUT, (
            f"no response within {READ_TIMEOUT_S:g} s (Mailchimp ends a request at 120 s)"
        )
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT, f"timed out: {type(exc).__name__}"
    return Failure.RESET, f"connection dropped: {exc or type(exc).__name__}"


def environment_proxy(url: str) -> str | None:
    """The proxy HTTPS_PROXY / HTTP_PROXY / ALL_PROXY name for `url`, unless NO_PROXY exempts it."""
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(parts.scheme) or proxies.get("all")


class Engine:
    def __init__(
        self,
        base_url: str,
        credentials: Credentials | None,
        *,
        limit: int = MAX_LIMIT,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        on_event: EventCallback | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.credentials = credentials
        self.policy = policy or RetryPolicy()
        self.clock: Clock = clock or SystemClock()
        self._on_event = on_event
        # No httpx client on the way: no cookie jar (auth is by header), no redirects, no
        # per-request URL re-parsing. A given transport (tests, callers) is used as is.
        self._wire: Exchange
        proxy = environment_proxy(self.base_url) if transport is None else None
        if proxy is not None:
            # The lean transport speaks only direct HTTP/1.1; behind a proxy, httpx's does the work.
            transport = httpx.AsyncHTTPTransport(
                proxy=proxy, limits=httpx.Limits(max_connections=limit), http2=False
            )
        if transport is None:
            # As many idle connections as slots, so every slot has a warm one; expire idle
            # ones before a typical server's 5 s keep-alive does, avoiding stale sockets.
            self._wire = LeanTransport(TIMEOUTS, max_idle=limit, keepalive_expiry=4.0)
        else:
            self._wire = HttpxExchange(transport, TIMEOUTS)
        self.slots = SlotGate(limit, monotonic=self.clock.monotonic)
        self._auth = credentials.auth_headers() if credentials else {}

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._wire.aclose()

    def snapshot(self) -> SlotSnapshot:
        return self.slots.snapshot()

    def url_for(self, prepared: PreparedRequest) -> str:
        return url_for(self.base_url, prepared.path, prepared.request.query)

    async def send(
        self, req: ApiRequest | PreparedRequest, *, on_event: EventCallback | None = None
    ) -> Outcome:
        """A plain ApiRequest is prepared here: RequestInvalid (nothing sent) when it does not
        validate. A PreparedRequest has been checked already and is trusted."""
        prepared = req if isinstance(req, PreparedRequest) else req.prepare()
        req = prepared.request
        request_id = uuid.uuid4().hex[:16]
        method, meaning, content = prepared.method, prepared.meaning, prepared.content
        url = self.url_for(prepared)
        headers = self._headers_for(req)
        # A reproduced 429 says nothing about the account's real load: keep the limit.
        adaptive = req.header(TRIGGER_HEADER) is None
        events: list[AttemptEvent] = []
        callbacks = [cb for cb in (self._on_event, on_event) if cb is not None]

        def emit(kind: EventKind, attempt: int, **info: Any) -> None:
            event = AttemptEvent(kind, request_id, attempt, self.clock.monotonic(), **info)
            events.append(event)
            for cb in callbacks:
                cb(event)

        started_at = self.clock.wall_iso()
        t0 = self.clock.monotonic()
        attempt = 0
        while True:
            attempt += 1
            emit(EventKind.QUEUED, attempt)
            result = await self._attempt(method, url, headers, content, attempt, emit, adaptive)
            retry_after = parse_retry_after(result.headers.get("retry-after"))
            if result.status is not None:
                emit(
                    EventKind.RESPONSE, attempt, status=result.status, elapsed_ms=result.elapsed_ms
                )
                if result.status < 400:
                    if attempt == 1:
                        self.policy.budget.credit()
                    return self._outcome(req, request_id, method, url, result, events, started_at)
                wall_now = datetime.fromisoformat(self.clock.wall_iso())
                verdict = decide(
                    meaning,
                    status=result.status,
                    retry_after_s=retry_after,
                    quota_reset=daily_quota_reset(
                        result.status, result.headers, result.body, wall_now
                    ),
                )
            else:
                emit(EventKind.FAILED, attempt, error=result.error, sent=result.sent)
                verdict = decide(meaning, failure=result.failure, sent=result.sent)
            stop = self._stop_reason(verdict, attempt, t0, retry_after)
            if stop is None:
                delay = self.policy.delay(
                    attempt, throttled=verdict.throttled, retry_after_s=retry_after
                )
                if self.clock.monotonic() - t0 + delay > self.policy.deadline_s:
                    stop = f"deadline of {self.policy.deadline_s:g} s would pass during the backoff"
                else:
                    emit(
                        EventKind.BACKOFF,
                        attempt,
                        delay_s=delay,
                        reason=verdict.reason,
                        retry_after_s=retry_after,
                    )
                    await self.clock.sleep(delay)
                    continue
            unknown = verdict.unknown or (
                result.status is None and result.sent and meaning not in SAFE_TO_REPEAT
            )
            if stop:
                emit(
                    EventKind.GAVE_UP,
                    attempt,
                    reason=stop,
                    status=result.status,
                    error=result.error,
                )
            return self._outcome(
                req,
                request_id,
                method,
                url,
                result,
                events,
                started_at,
                unknown=unknown,
                gave_up=stop,
            )

    def _stop_reason(
        self, verdict: Verdict, attempt: int, t0: float, retry_after: float | None
    ) -> str | None:
        """None to retry; "" for a final answer; otherwise why retrying stops here."""
        if not verdict.retry:
            return verdict.reason if verdict.unknown or verdict.waits_for_reset else ""
        if attempt >= self.policy.max_attempts:
            return f"{verdict.reason}; stopped after {attempt} attempts"
        if (
            retry_after is not None
            and self.clock.monotonic() - t0 + retry_after > self.policy.deadline_s
        ):
            deadline = self.policy.deadline_s
            return f"Retry-After of {retry_after:g} s goes past the {deadline:g} s deadline"
        if not self.policy.budget.try_spend(verdict.throttled):
            return f"{verdict.reason}; retry budget exhausted (too many recent failures)"
        return None

    def _headers_for(self, req: ApiRequest) -> dict[str, str]:
        """Ours, then the request's (replacing ours of the same name in any case), then the
        content type of the JSON body we encode and the auth headers, which win."""
        last = {**JSON_TYPE, **self._auth} if req.body is not None else self._auth
        headers = {**DEFAULT_HEADERS, **req.headers, **last}
        if req.headers:
            by_name = {name.lower(): (name, value) for name, value in headers.items()}
            headers = dict(by_name.values())
        return headers

    async def _attempt(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        content: bytes | None,
        attempt: int,
        emit: Callable[..., None],
        adaptive: bool,
    ) -> _Attempt:
        result = _Attempt()
        snap = await self.slots.acquire()
        started = self.clock.monotonic()

        def on_sent() -> None:
            if not result.sent:
                result.sent = True
                emit(EventKind.SENT, attempt)

        try:
            emit(
                EventKind.SLOT_ACQUIRED, attempt, in_use=snap.in_flight, limit=snap.effective_limit
            )
            reply = await self._wire.exchange(method, url, headers, content, on_sent)
        except httpx.TransportError as exc:
            result.failure, result.error = _failure_of(exc)
            if result.failure is Failure.CONNECT:
                result.sent = False
        except (
            ValueError,
            OSError,
        ) as exc:  # not the network's doing: every send ends in an Outcome
            result.failure = Failure.RESET if result.sent else Failure.LOCAL
            result.error = f"could not send the request: {exc}"
        else:
            if adaptive:
                self.slots.observe(reply.status)
            result.sent = True
            result.status, result.headers, result.body = reply.status, reply.headers, reply.body
        finally:
            self.slots.release()
        result.elapsed_ms = (self.clock.monotonic() - started) * 1000.0
        return result

    def _outcome(
        self,
        req: ApiRequest,
        request_id: str,
        method: str,
        url: str,
        result: _Attempt,
        events: list[AttemptEvent],
        started_at: str,
        *,
        unknown: bool = False,
        gave_up: str | None = None,
    ) -> Outcome:
        problem: Problem | None
        if result.status is not None:
            problem = decode_problem(result.status, result.headers, result.body)
        else:
            problem = problem_from_error(
                result.error or "request failed",
                sent=result.sent,
                timeout=result.failure is Failure.TIMEOUT,
                reset=result.failure is Failure.RESET,
            )
        return Outcome(
            request=req,
            request_id=request_id,
            method=method,
            url=url,
            status=result.status,
            headers=result.headers,
            body=result.body,
            elapsed_ms=result.elapsed_ms,
            attempts=events,
            problem=problem,
            unknown_outcome=unknown,
            started_at=started_at,
            gave_up=gave_up or None,
        )
