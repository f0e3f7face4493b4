"""Activity (the events of each email) and analytics (event counts over time, and opens by
country, client and reading environment), both computed from the messages in the account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged
from mcexplorer.sandbox.mailersend.errors import Check, not_found
from mcexplorer.sandbox.mailersend.limits import sandbox_data
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

GROUPS = ("days", "weeks", "months", "years")


def _epoch(iso: str) -> int:
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp())


def _date_range(call: Call, check: Check) -> tuple[int, int]:
    """`date_from` and `date_to` as epoch seconds (0, 0 when they failed the checks)."""
    values = []
    for name in ("date_from", "date_to"):
        raw = call.query.get(name)
        if raw is None or raw == "":
            check.add(name, "required")
            values.append(0)
            continue
        try:
            values.append(int(raw))
        except ValueError:
            check.add(name, "integer")
            values.append(0)
    start, end = values
    if start and end and end < start:
        check.add("date_to", "after_or_equal", other="date from")
    return start, end


def _events(call: Call) -> list[Record]:
    """One event per email: its latest state."""
    rows = []
    recipients = call.account.table("recipients").values()
    for message in call.account.table("messages").values():
        for email in message["emails"]:
            recipient = next((r for r in recipients if r["email"] == email["to"]), None)
            rows.append(
                {
                    "id": email["id"],
                    "created_at": email["created_at"],
                    "updated_at": email["updated_at"],
                    "type": email["status"],
                    "email": {
                        "id": message["id"],
                        "from": email["from"],
                        "subject": email["subject"],
                        "text": None,
                        "html": None,
                        "status": email["status"],
                        "tags": email["tags"],
                        "created_at": email["created_at"],
                        "updated_at": email["updated_at"],
                        "recipient": records.recipient_listed(recipient) if recipient else None,
                    },
                    "domain_id": message["domain_id"],
                }
            )
    return rows


def get_activity(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    check = Check(call.query)
    start, end = _date_range(call, check)
    wanted = call.values("event")
    allowed = sandbox_data()["vocabulary"]["email_events"]
    for i, name in enumerate(wanted or []):
        if name not in allowed:
            check.add(f"event.{i}", "selected_invalid")
    check.done()
    rows = [
        {k: v for k, v in event.items() if k != "domain_id"}
        for event in _events(call)
        if event["domain_id"] == domain["id"]
        and start <= _epoch(event["created_at"]) <= end
        and (not wanted or event["type"] in wanted)
    ]
    return paged(call, rows)


def get_single_activity(call: Call) -> Reply:
    wanted = call.params["activity_id"]
    event = next((e for e in _events(call) if e["id"] == wanted), None)
    if event is None:
        raise not_found()
    return Reply(200, {"data": {k: v for k, v in event.items() if k != "domain_id"}})


def _bucket(moment: datetime, group: str) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if group == "weeks":
        return day - timedelta(days=day.weekday())
    if group == "months":
        return day.replace(day=1)
    if group == "years":
        return day.replace(month=1, day=1)
    return day


def _next_bucket(start: datetime, group: str) -> datetime:
    if group == "days":
        return start + timedelta(days=1)
    if group == "weeks":
        return start + timedelta(days=7)
    if group == "months":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def analytics_by_date(call: Call) -> Reply:
    check = Check(call.query)
    start, end = _date_range(call, check)
    events = call.values("event")
    allowed = sandbox_data()["vocabulary"]["email_events"]
    if events is None:
        check.add("event", "array")
    for i, name in enumerate(events or []):
        if name not in allowed:
            check.add(f"event.{i}", "selected_invalid")
    group = call.query.get("group_by") or "days"
    if group not in GROUPS:
        check.add("group_by", "selected_invalid")
    check.done()
    last = _bucket(datetime.fromtimestamp(end, UTC), "days") + timedelta(days=1, seconds=-1)
    counts: dict[int, int] = {}
    for event in _events(call):
        moment = _epoch(event["created_at"])
        if start <= moment <= last.timestamp() and event["type"] in ("queued", "delivered"):
            key = int(_bucket(datetime.fromtimestamp(moment, UTC), group).timestamp())
            counts[key] = counts.get(key, 0) + 1
    stats = []
    bucket = _bucket(datetime.fromtimestamp(start, UTC), group)
    while bucket <= last:
        key = int(bucket.timestamp())
        sent = counts.get(key, 0)
        per_event = {"sent": sent, "delivered": sent, "queued": sent}
        stats.append({"date": str(key), **{e: per_event.get(e, 0) for e in events or []}})
        bucket = _next_bucket(bucket, group)
    data = {
        "date_from": str(start),
        "date_to": str(int(last.timestamp())),
        "group_by": group,
        "stats": stats,
    }
    return Reply(200, {"data": data})


def opens_grouped(call: Call) -> Reply:
    """Opens by country, client or environment: the sandbox records no opens, so none."""
    check = Check(call.query)
    start, end = _date_range(call, check)
    check.done()
    last = _bucket(datetime.fromtimestamp(end, UTC), "days") + timedelta(days=1, seconds=-1)
    return Reply(200, {"data": {"date_from": start, "date_to": int(last.timestamp()), "stats": []}})


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/activity/{domain_id}"): get_activity,
    ("GET", "/activities/{activity_id}"): get_single_activity,
    ("GET", "/analytics/date"): analytics_by_date,
    ("GET", "/analytics/country"): opens_grouped,
    ("GET", "/analytics/ua-name"): opens_grouped,
    ("GET", "/analytics/ua-type"): opens_grouped,
}
