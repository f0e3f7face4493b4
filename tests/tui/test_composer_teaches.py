"""The composer teaches the API: documentation where the cursor is, choosable enums,
schema checks before sending, and the habits of API clients (curl, $EDITOR, a big editor).
Driven on a real sandbox; assertions on the screen and on what the sandbox answered."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select

from mcexplorer.tui.dialogs.paste_curl import PasteCurlDialog
from mcexplorer.tui.widgets.body_editor import BodyEditor
from mcexplorer.tui.widgets.composer import Composer
from mcexplorer.tui.widgets.doc_pane import DocPane
from tests.tui.test_explorer import Session, demo_get

MEMBERS = "/lists/{list_id}/members"


def _doc(session: Session) -> str:
    pane = session.screen.query_one(DocPane)
    return str(pane.render()) if pane.display else ""


def _issues(session: Session) -> str:
    issues = session.screen.query_one("#issues")
    return str(issues.render()) if issues.display else ""


def _list_id(session: Session) -> str:
    return str(demo_get(session.server, "/lists")["lists"][0]["id"])  # type: ignore[index]


async def _body(session: Session, body: dict[str, Any]) -> BodyEditor:
    editor = session.screen.query_one("#body", BodyEditor)
    editor.text = json.dumps(body, indent=2)
    await session.pilot.pause()
    return editor


async def test_the_doc_pane_follows_the_focus(session: Session) -> None:
    await session.choose_operation("postListsIdMembers", "post members")
    session.composer_input("path").focus()
    await session.pilot.pause()
    assert "POST /lists/{list_id}/members — Add member to list" in _doc(session)
    labels = session.screen.query("#params .param-label")
    assert any(str(w.render()) == "list_id *" for w in labels)  # required, marked
    session.screen.query_one("#param-list_id", Input).focus()
    await session.pilot.pause()
    assert "list_id [path] — string, required" in _doc(session)
    assert "The unique ID for the list." in _doc(session)
    editor = session.screen.query_one("#body", BodyEditor)
    editor.focus()
    row = next(i for i, line in enumerate(editor.text.split("\n")) if '"status"' in line)
    editor.move_cursor((row, editor.text.split("\n")[row].index("status") + 2))
    await session.pilot.pause()
    doc = _doc(session)
    assert doc.startswith("body status — one of: subscribed, unsubscribed") and "required" in doc


async def test_an_enum_query_parameter_is_chosen_and_sent(session: Session) -> None:
    await session.choose_operation("getListsIdMembers", "get members")
    session.screen.query_one("#param-list_id", Input).value = _list_id(session)
    picker = session.screen.query_one("#choice-status", Select)
    picker.value = "unsubscribed"
    await session.pilot.pause()
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent()[-1].query == {"status": "unsubscribed"}
    members = session.last_response().json()["members"]
    assert all(m["status"] == "unsubscribed" for m in members)


async def test_pickers_take_their_own_row_and_leave_the_path_value_its_room(
    session: Session,
) -> None:
    await session.choose_operation("getListsIdMembers", "get members")
    pickers = [w for w in session.screen.query("#params Select") if w.display]
    assert len(pickers) == 4  # status, interest_match, sort_field, sort_dir
    assert all(w.parent is not None and w.parent.id == "choice-row" for w in pickers)
    value = session.screen.query_one("#param-list_id", Input)
    assert value.size.width >= 32  # a subscriber hash would fit, let alone a list id
    # The pickers use the blank line under the parameters: the rows below stay put.
    fields_row_y = session.composer_input("fields").region.y
    await session.choose_operation("postListsIdMembers", "post members")
    assert session.composer_input("fields").region.y == fields_row_y


async def test_fields_suggestions_come_from_the_operation_before_any_response(
    session: Session,
) -> None:
    await session.choose_operation("getLists", "get lists")
    suggester = session.composer_input("fields").suggester
    assert await suggester.get_suggestion("lists.stats.member_c") == (  # type: ignore[union-attr]
        "lists.stats.member_count"
    )


async def test_a_body_outside_the_schema_waits_until_the_user_insists(session: Session) -> None:
    await session.choose_operation("postListsIdMembers", "post members")
    session.screen.query_one("#param-list_id", Input).value = _list_id(session)
    await _body(session, {"email_address": "new.person@larkspurmail.com", "status": "bogus"})
    await session.pilot.press("ctrl+s")
    await session.settle()
    issues = _issues(session)
    assert 'status: "bogus" is not allowed; use one of: subscribed' in issues
    assert session.sent() == []
    assert session.screen.query_one("#send-anyway").display
    await session.pilot.click("#send-anyway")
    await session.settle()
    outcome = session.last_response()
    assert outcome.request.body["status"] == "bogus" and outcome.status == 400


async def test_an_unknown_field_warns_but_does_not_block(session: Session) -> None:
    await session.choose_operation("postListsIdMembers", "post members")
    session.screen.query_one("#param-list_id", Input).value = _list_id(session)
    body = {"email_address": "warned@larkspurmail.com", "status": "subscribed", "nickname": "x"}
    await _body(session, body)
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.last_response().status == 200
    assert session.last_response().json()["email_address"] == "warned@larkspurmail.com"


async def test_copy_as_curl_reads_the_key_from_the_environment(session: Session) -> None:
    session.composer_input("path").value = "/lists"
    session.composer_input("count").value = "3"
    await session.pilot.press("f8")
    await session.pilot.pause()
    copied = session.app.clipboard
    assert copied.startswith("printf") and '"$MAILCHIMP_API_KEY"' in copied
    assert "lists?count=3" in copied and session.server.demo_key not in copied
    assert any("Copied as curl" in n.message for n in session.app._notifications)


async def test_pasting_a_curl_command_fills_the_composer(session: Session) -> None:
    list_id = _list_id(session)
    await session.pilot.press("shift+f8")
    await session.pilot.pause()
    dialog = session.app.screen
    assert isinstance(dialog, PasteCurlDialog)
    command = (
        f"curl -u any:secret -X GET 'https://us6.api.mailchimp.com/3.0/lists/{list_id}/members"
        "?count=2&status=subscribed'"
    )
    dialog.query_one("#curl-text", Input).value = command
    await session.pilot.press("enter")
    await session.settle()
    assert session.composer_input("path").value == MEMBERS
    assert session.screen.query_one("#param-list_id", Input).value == list_id
    assert session.composer_input("count").value == "2"
    await session.pilot.press("ctrl+s")
    await session.settle()
    assert session.sent()[-1].query == {"count": "2", "status": "subscribed"}
    assert session.last_response().status == 200


async def test_the_body_opens_in_editor_and_comes_back(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\nprintf \'{"name": "from the editor"}\' > "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    session.screen.query_one("#method", Select).value = "POST"
    session.composer_input("path").value = "/lists"
    await session.pilot.pause()
    await session.pilot.press("f9")
    await session.settle()
    assert session.screen.query_one("#body", BodyEditor).text == '{"name": "from the editor"}'
    assert session.screen.query_one(Composer).draft.body == '{"name": "from the editor"}'


async def test_the_body_editor_maximises_and_selects_all(session: Session) -> None:
    session.screen.query_one("#method", Select).value = "POST"
    await session.pilot.pause()
    editor = await _body(session, {"name": "x", "contact": {"company": "y"}})
    await session.pilot.press("f11")
    await session.pilot.pause()
    assert session.screen.maximized is editor and editor.has_focus
    await session.pilot.press("ctrl+a")
    assert editor.selected_text == editor.text
    await session.pilot.press("ctrl+end")
    assert editor.cursor_location == editor.document.end
    await session.pilot.press("f11")
    await session.pilot.pause()
    assert session.screen.maximized is None
