"""The composer sends what it shows: journeys that broke it, driven on a real sandbox.

Each test asserts on what is on screen and on what the sandbox answered (the request as
it left, the response it gave), never on the composer's internals alone.
"""

from __future__ import annotations

import hashlib
from typing import Any

from textual.widgets import Input, OptionList, Select
from textual.widgets._select import SelectOverlay

from mcexplorer.tui.widgets.composer import Composer
from mcexplorer.tui.widgets.resource_map import ResourceMap
from mcexplorer.tui.widgets.response_view import ResponseView
from tests.tui.test_explorer import Session, demo_get

MEMBER = "/lists/{list_id}/members/{subscriber_hash}"


def _issues(session: Session) -> str:
    issues = session.screen.query_one("#issues")
    return str(issues.render()) if issues.display else ""


def _first_list(session: Session) -> tuple[str, str]:
    lists = demo_get(session.server, "/lists")["lists"]
    first = lists[0]  # type: ignore[index]
    members = demo_get(session.server, f"/lists/{first['id']}/members")["members"]
    return first["id"], members[0]["email_address"]  # type: ignore[index]


async def _open(session: Session, node: Any) -> None:
    node.expand()
    await session.settle()


def _child(node: Any, label: str | None = None) -> Any:
    for child in node.children:
        if label is None or str(child.label).split(" ")[0] == label:
            return child
    raise AssertionError(f"no {label} under {node.label}: {[str(c.label) for c in node.children]}")


# ----- the composer sends what it shows ----------------------------------------------


async def test_an_empty_path_is_refused_not_sent_as_the_root(session: Session) -> None:
    path = session.composer_input("path")
    path.value = "/lists"
    await session.pilot.pause()
    path.value = ""
    await session.pilot.pause()
    assert path.placeholder.startswith("type a path")  # a hint, not an old template
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent() == []
    assert "path: is empty" in _issues(session)


async def test_an_email_typed_before_the_template_fetches_the_member_the_hint_names(
    session: Session,
) -> None:
    list_id, email = _first_list(session)
    session.composer_input("email").value = email.upper()
    await session.pilot.pause()
    digest = hashlib.md5(email.lower().encode()).hexdigest()
    assert digest in str(session.screen.query_one("#hint").render())
    await session.choose_operation("getListsIdMembersId", "get members")
    assert session.composer_input("path").value == MEMBER
    session.screen.query_one("#param-list_id", Input).value = list_id
    await session.pilot.pause()
    assert session.screen.query_one("#param-subscriber_hash", Input).value == digest
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent()[-1].path_params["subscriber_hash"] == digest
    outcome = session.last_response()
    assert outcome.status == 200 and outcome.json()["email_address"] == email


async def test_typing_in_the_path_field_appends_and_keeps_the_other_fields(
    session: Session,
) -> None:
    list_id, _ = _first_list(session)
    composer = session.screen.query_one(Composer)
    await session.choose_operation("getListsIdMembers", "get members")
    session.screen.query_one("#param-list_id", Input).value = list_id
    session.composer_input("count").value = "2"
    session.composer_input("offset").value = "1"
    await session.pilot.pause()
    session.composer_input("path").focus()
    await session.pilot.pause()
    await session.pilot.press("end", "x", "backspace")
    await session.pilot.pause()
    assert session.composer_input("path").value == "/lists/{list_id}/members"
    assert session.screen.query_one("#param-list_id", Input).value == list_id
    assert (session.composer_input("count").value, session.composer_input("offset").value) == (
        "2",
        "1",
    )
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent()[-1].query == {"count": "2", "offset": "1"}
    assert len(session.last_response().json()["members"]) <= 2
    assert composer.draft.path == "/lists/{list_id}/members"


async def test_fields_and_exclude_fields_both_stay_editable_and_say_why_not_both(
    session: Session,
) -> None:
    fields, exclude = session.composer_input("fields"), session.composer_input("exclude_fields")
    session.composer_input("path").value = "/lists"
    fields.focus()
    await session.pilot.press(*"lists.id")
    exclude.focus()
    await session.pilot.press(*"total_items")
    await session.pilot.pause()
    assert not fields.disabled and not exclude.disabled
    assert exclude.value == "total_items" and session.composer_input("count").value == ""
    assert "cannot be used together" in _issues(session)
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent() == []


async def test_letters_in_count_are_shown_and_refused_empty_count_is_the_default(
    session: Session,
) -> None:
    count = session.composer_input("count")
    session.composer_input("path").value = "/lists"
    count.focus()
    await session.pilot.press("1", "x")
    await session.pilot.pause()
    assert count.value == "1x"  # nothing typed is dropped
    assert "count: '1x' is not a whole number" in _issues(session)
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent() == []
    await session.pilot.press("backspace", "backspace")
    await session.pilot.pause()
    assert _issues(session) == "" and not count.has_class("-invalid")
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert "count" not in session.sent()[-1].query
    assert session.last_response().status == 200


# ----- no DuplicateIds on the routes that crashed ---------------------------------------


async def test_the_map_into_a_member_and_its_parent_link(session: Session) -> None:
    list_id, email = _first_list(session)
    tree = session.screen.query_one(ResourceMap)
    lists = _child(tree.root, "lists")
    await _open(session, lists)
    name = demo_get(session.server, "/lists")["lists"][0]["name"]  # type: ignore[index]
    audience = next(c for c in lists.children if str(c.label) == name)
    tree.select_node(audience)
    await _open(session, audience)
    members = _child(audience, "members")
    tree.select_node(members)
    await _open(session, members)
    member = next(c for c in members.children if str(c.label).startswith(email))
    tree.select_node(member)
    await session.settle()
    assert session.composer_input("path").value == MEMBER
    assert session.screen.query_one("#param-list_id", Input).value == list_id
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.last_response().json()["email_address"] == email
    await session.pilot.press("ctrl+l")  # the member's links: follow `parent`
    await session.settle()
    view = session.screen.query_one(ResponseView)
    links = view.query_one("#links", OptionList)
    links.highlighted = next(i for i, link in enumerate(view.links) if link.rel == "parent")
    links.action_select()
    await session.settle()
    assert session.composer_input("path").value == "/lists/{list_id}/members"
    assert len(session.screen.query("#param-list_id")) == 1
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.last_response().status == 200


async def test_merge_fields_right_after_put_member_in_operations(session: Session) -> None:
    await session.choose_operation("putListsIdMembersId", "put members")
    assert session.screen.query_one("#method", Select).value == "PUT"
    await session.choose_operation("getListsIdMergeFields", "get merge-fields")
    assert session.composer_input("path").value == "/lists/{list_id}/merge-fields"
    assert len(session.screen.query("#param-list_id")) == 1
    assert not session.screen.query_one("#param-subscriber_hash").display


async def test_an_upsert_node_after_a_path_typed_by_hand(session: Session) -> None:
    list_id, email = _first_list(session)
    path = session.composer_input("path")
    path.value = ""
    path.focus()
    await session.pilot.press(*"/lists/{list_id}/members")
    session.screen.query_one("#param-list_id", Input).value = list_id
    await session.pilot.pause()
    session.screen.action_toggle_view()  # back to the map
    session.screen.action_toggle_view()
    tree = session.screen.query_one(ResourceMap)
    lists = _child(tree.root, "lists")
    await _open(session, lists)
    audience = lists.children[
        next(i for i, c in enumerate(lists.children) if "POST" not in str(c.label))
    ]
    await _open(session, audience)
    members = _child(audience, "members")
    await _open(session, members)
    member = next(c for c in members.children if str(c.label).startswith(email))
    await _open(session, member)
    upsert = next(c for c in member.children if "PUT" in str(c.label))
    tree.select_node(upsert)
    await session.settle()
    assert session.screen.query_one("#method", Select).value == "PUT"
    assert path.value == MEMBER
    assert len(session.screen.query("#param-subscriber_hash")) == 1


async def test_parameter_names_typed_by_hand_that_cannot_be_ids(session: Session) -> None:
    path = session.composer_input("path")
    path.value = ""
    path.focus()
    await session.pilot.press(*"/x/{a b}/{c.d}/{list_id}")
    await session.pilot.pause()
    params = [w for w in session.screen.query("#params Input") if w.display]
    assert [w.param_name for w in params] == ["a b", "c.d", "list_id"]  # type: ignore[attr-defined]
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent() == [] and "space" in _issues(session)


async def test_paging_in_a_picker_just_opened(session: Session) -> None:
    """PageUp/PageDown before the method's list is drawn (a KeyError in Textual 8's
    OptionList, found by tui-monkey); the picker still works afterwards."""
    picker = session.screen.query_one("#method", Select)
    picker.focus()
    picker.expanded = True
    overlay = picker.query_one(SelectOverlay)
    overlay.action_page_down()  # before any layout: nothing to page through yet
    overlay.action_page_up()
    await session.pilot.pause()
    await session.pilot.press("down", "enter")
    await session.pilot.pause()
    assert picker.value == "POST"
