"""The MailerSend sandbox account: tokens, domains, sent messages and bulk jobs.

Everything derives from the seed, so two sandboxes with one seed hand out the same
tokens and ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from mcexplorer.sandbox.mailersend.limits import sandbox_data

TOKEN_PREFIX = "mlsn."


@dataclass(frozen=True)
class Token:
    name: str
    access: str  # "full" or "read"


@dataclass
class Account:
    seed: int
    name: str
    tokens: dict[str, Token]
    domains: dict[str, dict[str, Any]]  # id -> domain record
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    bulk: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Switches for the 403 scenarios, set through the admin routes.
    suspended: bool = False
    blocked_ip: bool = False
    rng: random.Random = field(default_factory=random.Random)

    def new_id(self) -> str:
        """24 hex digits, the shape of MailerSend's object ids."""
        return f"{self.rng.getrandbits(96):024x}"

    def token_with(self, access: str) -> str:
        return next(t for t, info in self.tokens.items() if info.access == access)

    def verified_domain(self, name: str) -> dict[str, Any] | None:
        for domain in self.domains.values():
            if domain["name"] == name.lower():
                return domain if domain["is_verified"] else None
        return None


def build_account(seed: int) -> Account:
    data = sandbox_data()["seed"]
    rng = random.Random(f"mailersend:{seed}")
    account = Account(seed=seed, name=data["account_name"], tokens={}, domains={}, rng=rng)
    for raw in data["tokens"]:
        secret = f"{TOKEN_PREFIX}{rng.getrandbits(256):064x}"
        account.tokens[secret] = Token(raw["name"], raw["access"])
    for raw in data["domains"]:
        domain_id = account.new_id()
        account.domains[domain_id] = {
            "id": domain_id,
            "name": raw["name"],
            "is_verified": raw["is_verified"],
            "is_dns_active": raw["is_verified"],
            "created_at": "2026-01-01T00:00:00.000000Z",
            "updated_at": "2026-01-01T00:00:00.000000Z",
        }
    return account
