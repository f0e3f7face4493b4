"""The catalog answers the composer's questions from the real data file."""

from __future__ import annotations

import pytest

from mcexplorer.core.catalog.model import Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_loads_every_operation_of_the_spec(catalog: Catalog) -> None:
    assert len(catalog.operations) == 270
    assert len({op.id for op in catalog.operations}) == 270


def test_groups_by_resource_with_root_named(catalog: Catalog) -> None:
    groups = catalog.by_resource()
    assert {"lists", "campaigns", "reports", "automations", "root"} <= set(groups)
    assert [op.id for op in groups["root"]] == ["getRoot"]
    assert sum(len(ops) for ops in groups.values()) == 270


def test_match_fills_path_params_and_prefers_literal_segments(catalog: Catalog) -> None:
    found = catalog.match("GET", "/lists/abc123/members/0f%2Fx")
    assert found is not None
    op, params = found
    assert op.path == "/lists/{list_id}/members/{subscriber_hash}"
    assert params == {"list_id": "abc123", "subscriber_hash": "0f/x"}
    # A literal segment wins over a placeholder in the same position.
    found = catalog.match("GET", "/lists/abc123/members")
    assert found is not None and found[0].path == "/lists/{list_id}/members"


def test_match_strips_base_path_query_and_method_case(catalog: Catalog) -> None:
    found = catalog.match("post", "/3.0/lists/abc/members?skip_merge_validation=true")
    assert found is not None
    assert found[0].id == "postListsIdMembers"
    assert catalog.match("GET", "/3.0/")[0].id == "getRoot"  # type: ignore[index]


def test_match_unknown_path_is_none(catalog: Catalog) -> None:
    assert catalog.match("GET", "/no/such/thing/here/at/all") is None
    assert catalog.match("PATCH", "/ping") is None


def test_field_suggestions_are_dotted_response_names(catalog: Catalog) -> None:
    op = catalog.get("GET", "/lists")
    assert op is not None
    names = catalog.field_suggestions(op)
    assert "lists.id" in names and "lists.stats.member_count" in names
    assert names == sorted(names)


def test_collection_ops_page_and_instances_do_not(catalog: Catalog) -> None:
    assert catalog.get("GET", "/lists").is_collection  # type: ignore[union-attr]
    assert not catalog.get("GET", "/lists/{list_id}").is_collection  # type: ignore[union-attr]


def test_body_template_holds_required_fields_with_enum_defaults(catalog: Catalog) -> None:
    op = catalog.get("POST", "/lists/{list_id}/members")
    assert op is not None
    assert catalog.body_template(op) == {"email_address": "", "status": "subscribed"}


def test_body_template_fills_nested_required_objects(catalog: Catalog) -> None:
    op = catalog.get("POST", "/lists")
    assert op is not None
    template = catalog.body_template(op)
    assert template is not None
    assert isinstance(template["contact"], dict) and "company" in template["contact"]
    assert isinstance(template["campaign_defaults"], dict)


def test_body_template_is_none_without_body(catalog: Catalog) -> None:
    op = catalog.get("GET", "/ping")
    assert op is not None and catalog.body_template(op) is None


def test_operations_carry_their_summary_and_description(catalog: Catalog) -> None:
    op = catalog.get("PUT", "/lists/{list_id}/members/{subscriber_hash}")
    assert op is not None
    assert op.summary and op.description
    assert all(o.summary for o in catalog.operations)
    assert sum(o.deprecated for o in catalog.operations) >= 1


def test_params_carry_description_type_enum_and_limits(catalog: Catalog) -> None:
    op = catalog.get("GET", "/lists/{list_id}/members")
    assert op is not None
    list_id, count, status, fields = (op.param(n) for n in ("list_id", "count", "status", "fields"))
    assert list_id is not None and list_id.required and list_id.location == "path"
    assert list_id.description
    assert count is not None and (count.type, count.default, count.maximum) == ("integer", 10, 1000)
    assert status is not None and "subscribed" in status.enum and "archived" in status.enum
    assert fields is not None and (fields.type, fields.items) == ("array", "string")
    assert op.param("no_such_param") is None


def test_member_operations_show_the_member_not_the_collection(catalog: Catalog) -> None:
    for method in ("GET", "PUT", "PATCH"):
        op = catalog.get(method, "/lists/{list_id}/members/{subscriber_hash}")
        assert op is not None
        names = catalog.field_suggestions(op)
        assert {"email_address", "merge_fields", "status", "tags", "full_name"} <= set(names)
        assert "members" not in names and "total_items" not in names
        assert op.response["status"] == (
            "subscribed",
            "unsubscribed",
            "cleaned",
            "pending",
            "transactional",
        )


def test_collection_suggestions_reach_into_the_elements(catalog: Catalog) -> None:
    op = catalog.get("GET", "/lists/{list_id}/members")
    assert op is not None
    names = catalog.field_suggestions(op)
    assert {"members.email_address", "members.merge_fields", "total_items"} <= set(names)
    webhooks = catalog.get("GET", "/lists/{list_id}/webhooks")
    assert webhooks is not None and "webhooks.url" in catalog.field_suggestions(webhooks)


def test_the_body_schema_nests_with_required_fields_at_every_level(catalog: Catalog) -> None:
    op = catalog.get("POST", "/lists")
    assert op is not None and op.body is not None
    assert op.body.type == "object"
    assert set(op.body.required) == set(op.body_required)
    contact = op.body.properties["contact"]
    assert contact.type == "object" and "company" in contact.required
    assert contact.properties["company"].description
    orders = catalog.get("POST", "/ecommerce/stores/{store_id}/orders")
    assert orders is not None and orders.body is not None
    lines = orders.body.properties["lines"]
    assert lines.type == "array" and lines.items is not None
    assert "product_id" in lines.items.required
