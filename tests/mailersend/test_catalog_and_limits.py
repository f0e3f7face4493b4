"""The MailerSend catalog and limits data, and the sandbox's windows and quota on their own."""

from __future__ import annotations

import ast
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import mailersend
import pytest
from mailersend import MailerSendClient

from mcexplorer.core.catalog.model import Catalog
from mcexplorer.sandbox.catalog import Catalog as SandboxCatalog
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
    "messages",
    "message-schedules",
    "activity",
    "analytics",
    "domains",
    "smtp-users",
    "identities",
    "inbound",
    "recipients",
    "suppressions",
    "templates",
    "tokens",
    "webhooks",
    "email-verification",
    "users",
    "sms",
    "sms-messages",
    "sms-activity",
    "sms-numbers",
    "sms-recipients",
    "sms-webhooks",
    "sms-inbounds",
    "dmarc-monitoring",
    "whatsapp",
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


def _sdk_endpoints() -> set[tuple[str, str]]:
    """(method, path shape) of every request the installed `mailersend` SDK's resources make,
    read from their source: f-string parts become `{}`."""
    found: set[tuple[str, str]] = set()
    for module in (Path(mailersend.__file__).parent / "resources").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "_request"):
                continue
            given = dict(zip(("method", "path"), node.args, strict=False))
            given.update({k.arg: k.value for k in node.keywords if k.arg in ("method", "path")})
            method, path = given["method"], given["path"]
            assert isinstance(method, ast.Constant), ast.unparse(node)
            parts = path.values if isinstance(path, ast.JoinedStr) else [path]
            shape = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in parts)
            found.add((method.value, shape))
    return found


def test_the_catalog_covers_every_request_the_sdk_makes() -> None:
    catalog = SandboxCatalog.load("mailersend_catalog.json")
    endpoints = _sdk_endpoints()
    assert len(endpoints) > 120  # the reading found the SDK's resources
    missing = []
    for method, shape in sorted(endpoints):
        match = catalog.match([s.replace("{}", "x") for s in shape.split("/") if s])
        if match is None or method not in match.ops:
            missing.append(f"{method} /{shape}")
    assert missing == []


def test_every_operation_has_a_summary_and_a_real_sdk_method() -> None:
    client = MailerSendClient(api_key="mlsn." + "0" * 64)
    for op in json.loads(CATALOG.read_text())["operations"]:
        assert op["summary"].strip().endswith("."), op["id"]
        resource, method = op["sdk_method"].split(".")
        assert callable(getattr(getattr(client, resource), method)), op["id"]
