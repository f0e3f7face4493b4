"""The body check on real operations of the committed catalogs: what it flags and how it says it."""

from __future__ import annotations

from typing import Any

import pytest

from mcexplorer.core.catalog.body_paths import path_at
from mcexplorer.core.catalog.model import DEFAULT_PATH, Catalog, Operation
from mcexplorer.core.catalog.schema import Issue, check_body, describe, field_at, has_errors

MEMBER_STATUSES = ("subscribed", "unsubscribed", "cleaned", "pending", "transactional")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _op(catalog: Catalog, method: str, path: str) -> Operation:
    op = catalog.get(method, path)
    assert op is not None, (method, path)
    return op


def _by_path(issues: list[Issue]) -> dict[str, Issue]:
    return {issue.path: issue for issue in issues}


def _new_list() -> dict[str, Any]:
    return {
        "name": "Newsletter",
        "permission_reminder": "You signed up on our site.",
        "email_type_option": True,
        "contact": {
            "company": "Acme",
            "address1": "1 Main St",
            "city": "Springfield",
            "country": "US",
        },
        "campaign_defaults": {
            "from_name": "Acme",
            "from_email": "news@acme.example",
            "subject": "News",
            "language": "en",
        },
    }


def test_a_status_outside_the_enum_names_every_allowed_value(catalog: Catalog) -> None:
    op = _op(catalog, "PUT", "/lists/{list_id}/members/{subscriber_hash}")
    body = {"email_address": "ann@example.com", "status_if_new": "subscribed", "status": "bogus"}
    issues = check_body(op, body)
    assert [(i.severity, i.path) for i in issues] == [("error", "status")]
    assert '"bogus"' in issues[0].message
    assert all(status in issues[0].message for status in MEMBER_STATUSES)


def test_a_new_list_without_contact_names_it_and_what_it_must_hold(catalog: Catalog) -> None:
    op = _op(catalog, "POST", "/lists")
    body = _new_list()
    assert check_body(op, body) == []
    del body["contact"]
    issues = check_body(op, body)
    assert [(i.severity, i.path) for i in issues] == [("error", "contact")]
    for field in ("company", "address1", "city", "country"):
        assert field in issues[0].message


def test_required_fields_are_checked_at_every_level(catalog: Catalog) -> None:
    op = _op(catalog, "POST", "/lists")
    body = _new_list()
    del body["contact"]["city"]
    del body["campaign_defaults"]["from_email"]
    del body["name"]
    found = _by_path(check_body(op, body))
    assert set(found) == {"name", "contact.city", "campaign_defaults.from_email"}
    assert all(issue.is_error and "required" in issue.message for issue in found.values())


def test_wrong_types_name_the_path_and_both_types(catalog: Catalog) -> None:
    op = _op(catalog, "POST", "/lists/{list_id}/members")
    body = {
        "email_address": "ann@example.com",
        "status": "subscribed",
        "tags": ["vip", "2024", 3],
        "location": {"latitude": "north", "longitude": 2.35},
        "vip": "yes",
    }
    found = _by_path(check_body(op, body))
    assert set(found) == {"tags[2]", "location.latitude", "vip"}
    assert found["tags[2]"].message == "expected a string, got the integer 3."
    assert found["location.latitude"].message == 'expected a number, got the string "north".'
    assert "true or false" in found["vip"].message
    assert has_errors(list(found.values()))


def test_free_form_maps_check_their_values_not_their_keys(catalog: Catalog) -> None:
    op = _op(catalog, "POST", "/lists/{list_id}/members")
    body = {
        "email_address": "ann@example.com",
        "status": "subscribed",
        # A text merge field takes a string, an address one an object: both pass.
        "merge_fields": {"FNAME": "Ann", "ADDRESS": {"addr1": "1 Main St"}},
        "interests": {"9a8b7c": True, "1d2e3f": "yes"},
    }
    found = _by_path(check_body(op, body))
    assert set(found) == {"interests.1d2e3f"}
    assert found["interests.1d2e3f"].is_error


def test_unknown_fields_warn_and_suggest_the_close_name(catalog: Catalog) -> None:
    op = _op(catalog, "PATCH", "/lists/{list_id}/members/{subscriber_hash}")
    found = _by_path(check_body(op, {"stauts": "subscribed", "favourite_colour": "green"}))
    assert {issue.severity for issue in found.values()} == {"warning"}
    assert found["stauts"].message.endswith("did you mean status?")
    # With nothing close, the message lists the fields there are.
    assert "email_address" in found["favourite_colour"].message
    assert "merge_fields" in found["favourite_colour"].message


def test_numbers_outside_min_and_max_are_errors(catalog: Catalog) -> None:
    op = _op(catalog, "PATCH", "/campaigns/{campaign_id}")
    schedule = {"hour": 24, "monthly_send_date": -1}
    body = {"settings": {}, "rss_opts": {"feed_url": "https://x.example/f", "schedule": schedule}}
    found = _by_path(check_body(op, body))
    assert found["rss_opts.schedule.hour"].message == "is 24; the maximum is 23."
    assert found["rss_opts.schedule.monthly_send_date"].message == "is -1; the minimum is 0."
    schedule.update(hour=23, monthly_send_date=31)
    assert not any(i.path.startswith("rss_opts.schedule") for i in check_body(op, body))


def test_strings_longer_than_max_length_are_errors(catalog: Catalog) -> None:
    op = _op(catalog, "POST", "/ecommerce/stores/{store_id}/customers")
    body = {"id": "c" * 51, "email_address": "ann@example.com", "opt_in_status": False}
    found = _by_path(check_body(op, body))
    assert found["id"].is_error and "at most 50" in found["id"].message
    body["id"] = "c" * 50
    assert check_body(op, body) == []


def test_formats_the_spec_names_are_checked_as_warnings(catalog: Catalog) -> None:
    op = _op(catalog, "POST", "/lists/{list_id}/members")
    body = {"email_address": "ann.example.com", "status": "subscribed", "timestamp_opt": "soon"}
    found = _by_path(check_body(op, body))
    assert set(found) == {"email_address", "timestamp_opt"}
    assert {issue.severity for issue in found.values()} == {"warning"}
    assert "ISO 8601" in found["timestamp_opt"].message
    body.update(email_address="ann@example.com", timestamp_opt="2024-01-15T09:30:00+00:00")
    assert check_body(op, body) == []


def test_null_values_warn(catalog: Catalog) -> None:
    op = _op(catalog, "PATCH", "/lists/{list_id}/members/{subscriber_hash}")
    assert [(i.severity, i.path) for i in check_body(op, {"vip": None})] == [("warning", "vip")]


def test_bodies_where_none_is_taken_and_none_where_one_is_needed(catalog: Catalog) -> None:
    ping = _op(catalog, "GET", "/ping")
    assert check_body(ping, None) == []
    assert [i.severity for i in check_body(ping, {"a": 1})] == ["warning"]
    post_list = _op(catalog, "POST", "/lists")
    (issue,) = check_body(post_list, None)
    assert issue.is_error and issue.path == "" and "contact" in issue.message
    # A body that is not an object at all.
    (issue,) = check_body(post_list, ["name"])
    assert issue.message == "expected an object, got an array."


def test_every_body_template_passes_the_check(catalog: Catalog) -> None:
    for op in catalog.operations:
        template = catalog.body_template(op)
        if template is not None:
            assert not has_errors(check_body(op, template)), op.id


def test_field_at_follows_dots_indexes_and_free_form_keys(catalog: Catalog) -> None:
    body = _op(catalog, "POST", "/lists/{list_id}/members").body
    assert body is not None
    assert field_at(body, "location.latitude").type == "number"  # type: ignore[union-attr]
    assert field_at(body, "tags[2]").type == "string"  # type: ignore[union-attr]
    fname = field_at(body, "merge_fields.FNAME")
    assert fname is not None and fname.type == "any" and "merge tags" in fname.description
    assert field_at(body, "status").enum == MEMBER_STATUSES  # type: ignore[union-attr]
    assert field_at(body, "no_such.field") is None
    assert field_at(body, "") is body


def test_the_field_under_the_cursor_is_documented(catalog: Catalog) -> None:
    body = _op(catalog, "PUT", "/lists/{list_id}/members/{subscriber_hash}").body
    assert body is not None
    text = '{\n  "status": "sub",\n  "location": {"latitude": 4'
    status = field_at(body, path_at(text, text.index("sub")))
    assert status is not None and status.enum == MEMBER_STATUSES
    latitude = field_at(body, path_at(text, len(text)))
    assert latitude is not None and latitude.type == "number" and latitude.description


def test_describe_reads_as_plain_words(catalog: Catalog) -> None:
    body = _op(catalog, "POST", "/lists/{list_id}/members").body
    assert body is not None
    assert describe(body.properties["tags"]) == "an array of strings"
    assert describe(body.properties["timestamp_opt"]) == "a string (date-time)"
    assert describe(body.properties["status"]).startswith("one of: subscribed, unsubscribed")
    assert describe(body.properties["marketing_permissions"]) == "an array of objects"


def test_mailersend_bodies_are_checked_from_their_flat_fields() -> None:
    mailersend = Catalog.load(DEFAULT_PATH.with_name("mailersend_catalog.json"))
    send = next(op for op in mailersend.operations if op.id == "sendEmail")
    body = {
        "from": {"email": "info@example.com"},
        "to": [{"email": "ann@example.com"}],
        "subject": "Hi",
        "text": "Hello",
    }
    assert not has_errors(check_body(send, body))
    body["to"] = "ann@example.com"
    del body["subject"]
    found = _by_path(check_body(send, body))
    assert found["to"].message == 'expected an array of objects, got the string "ann@example.com".'
    assert found["subject"].is_error


def test_mailersend_enums_from_flat_fields_are_choices_not_type_names() -> None:
    mailersend = Catalog.load(DEFAULT_PATH.with_name("mailersend_catalog.json"))
    route = next(op for op in mailersend.operations if op.id == "createSmsInbound")
    body = {"sms_number_id": "n1", "name": "replies", "forward_url": "https://example.com/in"}
    body["filter"] = {"comparer": "equal", "value": "STOP"}
    assert check_body(route, body) == []
    body["filter"] = {"comparer": "bogus", "value": "STOP"}
    [issue] = check_body(route, body)
    assert issue.is_error and issue.path == "filter.comparer"
    assert "equal, not-equal" in issue.message
