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
