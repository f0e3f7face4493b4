"""Reading MailerSend's rate-limit and quota headers: good, missing and malformed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcexplorer.core.http.ratelimit import (
    QuotaState,
    daily_quota_block,
    daily_quota_reset,
    next_midnight_utc,
    parse_instant,
    parse_quota_headers,
    parse_rate_headers,
    quota_from_document,
)

NOW = datetime(2026, 3, 4, 21, 30, 15, tzinfo=UTC)
MIDNIGHT = datetime(2026, 3, 5, tzinfo=UTC)
# derandomize: the same examples on every run; the suite-wide autouse fixture is harmless here.
SETTINGS = settings(
    derandomize=True,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
HEADER_NAMES = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "x-apiquota-remaining",
    "x-apiquota-reset",
)


def test_a_successful_send_reports_both_limits() -> None:
    headers = {
        "X-RateLimit-Limit": "120",
        "X-RateLimit-Remaining": "118",
        "x-apiquota-remaining": "92",
        "x-apiquota-reset": "2026-03-05T00:00:00Z",
    }
    rate = parse_rate_headers(headers, NOW)
    assert (rate.limit, rate.remaining, rate.retry_after_s, rate.reset_at) == (120, 118, None, None)
    assert rate.known and not rate.exhausted
    quota = parse_quota_headers(headers, NOW)
    assert quota == QuotaState(remaining=92, reset_at=MIDNIGHT)
    assert quota.seconds_to_reset(NOW) == 2 * 3600 + 29 * 60 + 45


def test_a_per_minute_429_refills_at_the_reset_epoch_or_after_retry_after() -> None:
    with_epoch = {
        "x-ratelimit-limit": "60",
        "x-ratelimit-remaining": "0",
        "retry-after": "59",
        "x-ratelimit-reset": str(int(NOW.timestamp()) + 45),
    }
    rate = parse_rate_headers(with_epoch, NOW)
    assert rate.exhausted and rate.retry_after_s == 59
    assert rate.seconds_to_reset(NOW) == 45.0  # x-ratelimit-reset wins over retry-after
    without = parse_rate_headers({"retry-after": "12", "x-ratelimit-remaining": "0"}, NOW)
    assert without.reset_at == NOW + timedelta(seconds=12)
    assert without.seconds_to_reset(NOW + timedelta(seconds=20)) == 0.0


def test_missing_headers_read_as_unknown() -> None:
    rate = parse_rate_headers({}, NOW)
    assert not rate.known and not rate.exhausted and rate.seconds_to_reset(NOW) is None
    quota = parse_quota_headers({"content-type": "application/json"}, NOW)
    assert quota == QuotaState() and not quota.known


def test_malformed_headers_read_as_unknown() -> None:
    headers = {
        "x-ratelimit-limit": "sixty",
        "x-ratelimit-remaining": "-1",
        "x-ratelimit-reset": "soon",
        "retry-after": "a while",
        "x-apiquota-remaining": "1e3",
        "x-apiquota-reset": "tomorrow",
    }
    assert parse_rate_headers(headers, NOW) == parse_rate_headers({}, NOW)
    assert parse_quota_headers(headers, NOW) == QuotaState()


def test_a_count_without_a_readable_reset_refills_at_midnight_utc() -> None:
    quota = parse_quota_headers({"x-apiquota-remaining": "5", "x-apiquota-reset": "?"}, NOW)
    assert quota.reset_at == MIDNIGHT


def test_instants_without_a_zone_are_utc_and_others_are_converted() -> None:
    assert parse_instant("2026-03-05T00:00:00") == MIDNIGHT
    assert parse_instant("2026-03-05T01:00:00+01:00") == MIDNIGHT
    assert parse_instant("x" * 100) is None
    assert next_midnight_utc(datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)) == datetime(
        2027, 1, 1, tzinfo=UTC
    )


def test_the_api_quota_document_gives_the_total_and_survives_later_headers() -> None:
    start = quota_from_document(
        {"quota": 1000, "remaining": 752, "reset": "2026-03-05T00:00:00Z"}, NOW
    )
    assert start == QuotaState(remaining=752, reset_at=MIDNIGHT, quota=1000)
    later = start.merged(parse_quota_headers({"x-apiquota-remaining": "751"}, NOW))
    assert later == QuotaState(remaining=751, reset_at=MIDNIGHT, quota=1000)
    assert later.merged(QuotaState()) == later
    assert quota_from_document(["not", "a", "mapping"], NOW) == QuotaState()
    assert quota_from_document({"quota": True, "remaining": -3}, NOW) == QuotaState()


def test_daily_quota_429_is_told_apart_from_the_per_minute_one() -> None:
    daily_headers = {
        "retry-after": "59",
        "x-ratelimit-remaining": "59",
        "x-apiquota-remaining": "0",
        "x-apiquota-reset": "2026-03-05T00:00:00Z",
    }
    block = daily_quota_block(429, daily_headers, b'{"message":"quota"}', NOW)
    assert block == QuotaState(remaining=0, reset_at=MIDNIGHT)
    # Only the body's code says so: the reset falls back to the next midnight UTC.
    by_code = daily_quota_block(429, {}, b'{"message":"Daily quota reached. #MS42901"}', NOW)
    assert by_code is not None and by_code.reset_at == MIDNIGHT
    minute = {"retry-after": "20", "x-ratelimit-remaining": "0", "x-apiquota-remaining": "40"}
    assert daily_quota_block(429, minute, b'{"message":"#MS42903"}', NOW) is None
    assert daily_quota_block(200, daily_headers, b"", NOW) is None


@SETTINGS
@given(
    headers=st.dictionaries(
        st.sampled_from(HEADER_NAMES) | st.text(max_size=20),
        st.text(max_size=40) | st.integers(-(10**15), 10**15).map(str),
        max_size=8,
    ),
    offset=st.integers(-(10**9), 10**9),
)
def test_any_headers_parse_without_raising(headers: dict[str, str], offset: int) -> None:
    now = NOW + timedelta(seconds=offset)
    rate = parse_rate_headers(headers, now)
    quota = parse_quota_headers(headers, now)
    for count in (rate.limit, rate.remaining, quota.remaining):
        assert count is None or count >= 0
    if rate.retry_after_s is not None:
        assert rate.retry_after_s >= 0
    if quota.known:
        assert quota.reset_at is not None and quota.reset_at.tzinfo is not None
    daily_quota_block(429, headers, b"", now)


@SETTINGS
@given(remaining=st.integers(0, 10**9), limit=st.integers(1, 10**6))
def test_well_formed_counts_round_trip(remaining: int, limit: int) -> None:
    headers = {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-apiquota-remaining": str(remaining),
    }
    rate = parse_rate_headers(headers, NOW)
    assert (rate.limit, rate.remaining) == (limit, remaining)
    assert parse_quota_headers(headers, NOW).remaining == remaining


def test_the_reset_a_daily_quota_429_waits_for_is_named_in_iso_utc() -> None:
    headers = {"x-apiquota-remaining": "0", "x-apiquota-reset": "2026-03-05T01:00:00+01:00"}
    assert daily_quota_reset(429, headers, b"", NOW) == "2026-03-05T00:00:00Z"
    assert daily_quota_reset(429, {"x-apiquota-remaining": "3"}, b"", NOW) is None
