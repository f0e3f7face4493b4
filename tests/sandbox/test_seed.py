"""The generated demo account: deterministic per seed, plausible, and only invented data."""

from __future__ import annotations

import hashlib
import json
import re

from mcexplorer.sandbox.links import catalog_operations, resource_links
from mcexplorer.sandbox.model.members import check_address
from mcexplorer.sandbox.model.records import seed_params
from mcexplorer.sandbox.resources import HANDLERS
from mcexplorer.sandbox.seed import build_store
from mcexplorer.sandbox.store import Store


def snapshot(store: Store) -> str:
    state = {
        "account": store.account,
        "keys": store.api_keys,
        "tokens": store.oauth_tokens,
        "lists": store.lists,
        "members": store.members,
        "campaigns": store.campaigns,
        "automations": store.automations,
        "templates": store.templates,
        "notes": {f"{k[0]}/{k[1]}": v for k, v in store.notes.items()},
    }
    return json.dumps(state, sort_keys=True, default=str)


def test_same_seed_same_account() -> None:
    assert snapshot(build_store(3, "us6")) == snapshot(build_store(3, "us6"))


def test_different_seed_different_account() -> None:
    one, two = build_store(3, "us6"), build_store(4, "us6")
    assert one.demo_key != two.demo_key
    assert snapshot(one) != snapshot(two)


def test_account_shape_and_keys() -> None:
    store = build_store(0, "us19")
    assert store.account["role"] == "owner"
    assert sorted(store.api_keys.values()) == ["disabled", "owner", "viewer"]
    assert re.fullmatch(r"[0-9a-f]{32}-us19", store.demo_key)
    assert re.fullmatch(r"[0-9a-f]{32}-us19", store.viewer_key)
    assert store.demo_oauth_token in store.oauth_tokens


def test_counts_follow_the_parameters() -> None:
    params = seed_params()
    store = build_store(1, "us6")
    assert 3 <= len(store.lists) <= 4
    total = sum(len(m) for m in store.members.values())
    assert total == sum(spec["members"] for spec in params["lists"])
    assert 1100 <= total <= 1300
    statuses = [m["status"] for members in store.members.values() for m in members.values()]
    assert {"subscribed", "unsubscribed", "cleaned", "pending"} <= set(statuses)
    assert any(c["status"] == "sent" for c in store.campaigns.values())
    assert any(c["status"] == "save" for c in store.campaigns.values())
    assert len(store.automations) == 2
    assert len(store.templates) == len(params["templates"])
    assert store.notes


def test_members_use_addresses_the_api_accepts_and_their_hash() -> None:
    store = build_store(2, "us6")
    domains = tuple("@" + d for d in seed_params()["domains"])
    for members in store.members.values():
        for member_hash, member in members.items():
            email = member["email_address"]
            check_address(email)  # raises for reserved or malformed addresses
            assert email.endswith(domains)
            assert member_hash == hashlib.md5(email.lower().encode()).hexdigest()
            assert set(member["merge_fields"]) >= {"FNAME", "LNAME"}


def test_every_handler_is_a_catalog_operation() -> None:
    assert set(HANDLERS) <= set(catalog_operations())
    assert ("GET", "/") in HANDLERS and ("POST", "/batches") in HANDLERS


def test_item_links_follow_the_catalog() -> None:
    links = resource_links(
        "http://127.0.0.1:9/3.0", "/batches/{batch_id}", {"batch_id": "b1"}, item=True
    )
    assert [(link["rel"], link["method"]) for link in links] == [
        ("self", "GET"),
        ("parent", "GET"),
        ("delete", "DELETE"),
    ]
    assert links[0]["href"] == "http://127.0.0.1:9/3.0/batches/b1"
    assert links[1]["targetSchema"].endswith(
        "/schema/3.0/Definitions/Batches/CollectionResponse.json"
    )


def test_collection_links_offer_create_and_quote_params() -> None:
    links = resource_links(
        "http://127.0.0.1:9/3.0", "/lists/{list_id}/members", {"list_id": "a b"}, item=False
    )
    rels = {link["rel"]: link for link in links}
    assert set(rels) == {"self", "parent", "create"}
    assert rels["self"]["href"] == "http://127.0.0.1:9/3.0/lists/a%20b/members"
    assert rels["create"]["schema"].endswith("/Definitions/Lists/Members/POST.json")
    assert rels["parent"]["href"] == "http://127.0.0.1:9/3.0/lists/a%20b"
