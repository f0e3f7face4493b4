"""The MailerSend sandbox account: tokens, switches, and one table of records per kind of
object (domains, templates, webhooks, ...), each keyed by id.

Ids take the API's shapes: 16 lower-case letters and digits for most objects, 24 hex digits
for messages, recipients and other per-email objects, 80 hex digits for API tokens. They all
come from the seeded generator, so two sandboxes with one seed hand out the same ids.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

TOKEN_PREFIX = "mlsn."
ALNUM = string.ascii_lowercase + string.digits
Record = dict[str, Any]


@dataclass
class Token:
    name: str
    access: str  # "full" or "read"
    record_id: str  # the token's id in the `tokens` table


@dataclass
class Account:
    seed: int
    name: str
    rng: random.Random
    tokens: dict[str, Token] = field(default_factory=dict)  # secret -> token
    tables: dict[str, dict[str, Record]] = field(default_factory=dict)
    # Switches for the 403 scenarios and the creation throttle, set through the admin routes.
    suspended: bool = False
    blocked_ip: bool = False
    create_throttle: int = 0  # how many more creations answer 429

    def table(self, kind: str) -> dict[str, Record]:
        return self.tables.setdefault(kind, {})

    # -- ids -------------------------------------------------------------------------------

    def new_id(self) -> str:
        """24 hex digits: messages, recipients, bulk jobs, events, suppression entries."""
        return f"{self.rng.getrandbits(96):024x}"

    def new_key(self) -> str:
        """16 lower-case letters and digits: domains, templates, webhooks, users, ..."""
        return "".join(self.rng.choice(ALNUM) for _ in range(16))

    def new_token_id(self) -> str:
        return f"{self.rng.getrandbits(320):080x}"

    def new_secret(self, length: int = 32) -> str:
        return "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(length))

    def new_token_secret(self) -> str:
        return f"{TOKEN_PREFIX}{self.rng.getrandbits(256):064x}"

    # -- lookups ---------------------------------------------------------------------------

    def token_with(self, access: str) -> str:
        return next(t for t, info in self.tokens.items() if info.access == access)

    def domain_named(self, name: str) -> Record | None:
        wanted = name.lower()
        return next((d for d in self.table("domains").values() if d["name"] == wanted), None)

    def verified_domain(self, name: str) -> Record | None:
        domain = self.domain_named(name)
        return domain if domain is not None and domain["is_verified"] else None
