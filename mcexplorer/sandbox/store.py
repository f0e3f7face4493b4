"""The demo account's state: every stateful resource the sandbox serves, in memory."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mcexplorer.sandbox.model.batch_state import Batch

Record = dict[str, Any]


@dataclass
class Store:
    """Plain dicts keyed by id; handlers render them (adding `_links`) on the way out."""

    seed: int
    dc: str
    account: Record
    api_keys: dict[str, str]  # key hex (32 chars) -> role
    oauth_tokens: dict[str, str]  # token -> role
    rng: random.Random
    # Injected in tests: `clock` drives batches, sending and webhook draining;
    # `wall` stamps created objects.
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    lock: threading.RLock = field(default_factory=threading.RLock)
    lists: dict[str, Record] = field(default_factory=dict)
    members: dict[str, dict[str, Record]] = field(default_factory=dict)  # list_id -> hash -> member
    # (list_id, hash) of permanently deleted members: they cannot be re-added.
    forgotten: set[tuple[str, str]] = field(default_factory=set)
    # (list_id, hash) of contacts who unsubscribed themselves or bounced: the API may not
    # subscribe them again (an unsubscribe made through the API itself can be undone).
    compliance: set[tuple[str, str]] = field(default_factory=set)
    # address -> wall times of its recent sign-ups on any audience (the anti-abuse check).
    signups: dict[str, list[datetime]] = field(default_factory=dict)
    merge_fields: dict[str, dict[int, Record]] = field(default_factory=dict)
    # list_id -> the GDPR marketing permissions of an audience that has them enabled
    permissions: dict[str, list[Record]] = field(default_factory=dict)
    segments: dict[str, dict[int, Record]] = field(default_factory=dict)
    segment_members: dict[int, set[str]] = field(default_factory=dict)  # segment id -> hashes
    interest_categories: dict[str, dict[str, Record]] = field(default_factory=dict)
    interests: dict[str, dict[str, Record]] = field(default_factory=dict)  # category id -> ...
    notes: dict[tuple[str, str], dict[int, Record]] = field(default_factory=dict)
    campaigns: dict[str, Record] = field(default_factory=dict)
    contents: dict[str, Record] = field(default_factory=dict)
    automations: dict[str, Record] = field(default_factory=dict)
    automation_emails: dict[str, dict[str, Record]] = field(default_factory=dict)
    templates: dict[int, Record] = field(default_factory=dict)
    batches: dict[str, Batch] = field(default_factory=dict)
    batch_webhooks: dict[str, Record] = field(default_factory=dict)
    # E-commerce objects created through the generic handler, by their path.
    created: dict[str, Record] = field(default_factory=dict)
    # Delivery times of batch-webhook events not yet delivered (monotonic seconds).
    webhook_queue: deque[float] = field(default_factory=deque)
    advancing: bool = False  # set while batches run their operations
    _counter: int = 1000

    def hex_id(self, length: int = 10) -> str:
        return f"{self.rng.getrandbits(4 * length):0{length}x}"

    def int_id(self) -> int:
        self._counter += 1
        return self._counter

    def now_iso(self) -> str:
        return self.wall().strftime("%Y-%m-%dT%H:%M:%S+00:00")

    @property
    def demo_key(self) -> str:
        return self._key_with_role("owner")

    @property
    def viewer_key(self) -> str:
        return self._key_with_role("viewer")

    @property
    def disabled_key(self) -> str:
        """The key of a deactivated user: every request with it gets 403 User Disabled."""
        return self._key_with_role("disabled")

    @property
    def demo_oauth_token(self) -> str:
        return next(t for t, role in self.oauth_tokens.items() if role == "owner")

    def _key_with_role(self, role: str) -> str:
        hex_part = next(k for k, r in self.api_keys.items() if r == role)
        return f"{hex_part}-{self.dc}"
