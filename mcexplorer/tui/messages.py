"""Messages the explorer posts, named for what happened (F2's widgets read them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from mcexplorer.core.http.events import AttemptEvent
    from mcexplorer.core.http.outcome import Outcome
    from mcexplorer.core.http.request import ApiRequest
    from mcexplorer.core.http.slots import SlotSnapshot
    from mcexplorer.core.session.explain import Explanation


class LayoutFinished(Message):
    """The explorer's whole layout is on screen: slow start-up work may begin."""


@dataclass
class RequestSubmitted(Message):
    """A request passed local validation and is about to go to the engine."""

    request: ApiRequest


@dataclass
class AttemptRecorded(Message):
    """The engine reported one step of an attempt (queued, sent, backoff, ...)."""

    event: AttemptEvent


@dataclass
class SlotsChanged(Message):
    """The connection slots changed; bursts merge so only the latest counts."""

    snapshot: SlotSnapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SlotsChanged)


@dataclass
class ResponseReceived(Message):
    """A request finished: a response, a problem, or a transport failure."""

    outcome: Outcome
    explanation: Explanation | None  # None for a success


@dataclass
class LinkFollowed(Message):
    """The user chose a link (from the resource map or a response's `_links`)."""

    href: str
    method: str
