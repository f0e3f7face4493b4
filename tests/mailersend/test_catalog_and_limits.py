"""The MailerSend catalog and limits data, and the sandbox's windows and quota on their own."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mcexplorer.core.catalog.model import Catalog
from mcexplorer.sandbox.mailersend.limits import (
    BULK,
    EMAIL,
    GENERAL,
    DailyQuota,
    MinuteWindows,
    Plan,
    UnknownPlan,
    endpoint_class,
    next_midnight,
    plan_names,
)

DATA = Path(__file__).resolve().parents[2] / "mcexplorer" / "data"
CATALOG = DATA / "mailersend_catalog.json"
RESOURCES = {
    "email",
    "bulk-email",
    "activity",
    "analytics",
    "domains",
    "templates",
    "messages",
    "recipients",
    "webhooks",
    "tokens",
    "api-quota",
}
T0 = datetime(2026, 3, 4, 23, 59, 50, tzinfo=UTC).timestamp()


def test_the_catalog_loads_for_the_explorer_and_covers_every_resource() -> None:
    catalog = Catalog.load(CATALOG)
    assert catalog.base_path == "/v1"
    assert set(catalog.by_resource()) == RESOURCES
    found = catalog.match("GET", "/v1/domains/abc123/dns-records")
    assert found is not None and found[1] == {"domain_id": "abc123"}
    send = catalog.get("POST", "/email")
    assert send is not None and send.success == 202
    assert Catalog.body_template(send) == {
        "from": {"email": "", "name": ""},
        "to": [],
        "subject": "",
        "text": "",
    }


def test_catalog_operations_are_unique_and_well_formed() -> None:
    ops = json.loads(CATALOG.read_text())["operations"]
    assert len({op["id"] for op in ops}) == len(ops)
    assert len({(op["method"], op["path"]) for op in ops}) == len(ops)
    for op in ops:
        placeholders = set(re.findall(r"{(\w+)}", op["path"]))
        declared = {p["name"] for p in op["params"] if p["in"] == "path"}
        assert placeholders == declared, op["id"]
        assert op["success"] in {200, 201, 202, 204}, op["id"]
        for param in op["params"]:
            assert param["in"] in {"path", "query"}, op["id"]


def test_plans_carry_the_published_limits() -> None:
    assert plan_names() == ["trial", "free", "hobby", "starter", "professional", "enterprise"]
    quotas = {name: Plan.named(name).daily_quota for name in plan_names()}
    assert quotas == {
        "trial": 100,
        "free": 100,
        "hobby": 1000,
        "starter": 100_000,
        "professional": 500_000,
        "enterprise": 500_000,
    }
    assert Plan.named("starter").per_minute == {GENERAL: 60, EMAIL: 120, BULK: 15}
    assert Plan.named("starter", under_review=True).per_minute == {GENERAL: 60, EMAIL: 10, BULK: 1}
    assert Plan.named(None).name == "hobby"
    with pytest.raises(UnknownPlan, match="gold"):
        Plan.named("gold")


def test_endpoint_classes() -> None:
    assert endpoint_class("POST", "/email") == EMAIL
    assert endpoint_class("POST", "/bulk-email") == BULK
    assert endpoint_class("GET", "/bulk-email/{bulk_email_id}") == BULK
    assert endpoint_class("GET", "/email/{email_id}") == GENERAL
    assert endpoint_class("GET", "/domains") == GENERAL


def test_a_minute_window_fills_then_opens_again_on_the_next_minute() -> None:
    windows = MinuteWindows()
    checks = [windows.check(GENERAL, 3, T0) for _ in range(4)]
    assert [c.allowed for c in checks] == [True, True, True, False]
    assert [c.remaining for c in checks] == [2, 1, 0, 0]
    assert checks[-1].retry_after_s == 10 and checks[-1].reset_epoch == T0 + 10
    assert windows.check(EMAIL, 3, T0).allowed  # another class, another counter
    assert windows.check(GENERAL, 3, T0 + 9.5).retry_after_s == 1  # never zero
    assert windows.check(GENERAL, 3, T0 + 10).allowed


def test_peeking_at_a_window_takes_nothing() -> None:
    windows = MinuteWindows()
    assert windows.check(GENERAL, 1, T0, take=False).remaining == 1
    assert windows.check(GENERAL, 1, T0).allowed


def test_the_daily_quota_refills_exactly_at_midnight_utc() -> None:
    quota = DailyQuota(2)
    assert quota.try_take(T0) and quota.try_take(T0 + 5)
    assert not quota.try_take(T0 + 9.999)  # 23:59:59.999
    assert quota.remaining(T0 + 9.999) == 0
    assert next_midnight(T0) == datetime(2026, 3, 5, tzinfo=UTC)
    assert quota.remaining(T0 + 10) == 2  # 00:00:00 the next day
    assert quota.try_take(T0 + 10) and quota.remaining(T0 + 10) == 1
