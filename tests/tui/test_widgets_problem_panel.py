"""The problem panel: decoded problems with their glossary entry and the diagnosis."""

from __future__ import annotations

import json

from textual.widgets import DataTable

from mcexplorer.core.problems.diagnosis import DiagnosisContext, diagnose
from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.problems.problem import Problem, decode_problem, problem_from_error
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from tests.tui.apps.widget_hosts import (
    INVALID_RESOURCE,
    INVALID_RESOURCE_DIAGNOSIS,
    ProblemHost,
    screen_text,
)
from tests.tui.waiting import wait_until

FIREWALL_PAGE = (
    b"<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>\n<H1>Access Denied</H1>\n"
    b"You don't have permission to access "
    b'"http&#58;&#47;&#47;us6&#46;api&#46;mailchimp&#46;com&#47;3&#46;0&#47;lists" '
    b"on this server.<P>\nReference&#32;&#35;18&#46;9c1d2e17&#46;1763900000&#46;5a6b7c8\n"
    b"</BODY></HTML>"
)

MAILERSEND_422 = {
    "message": "The from.email domain must be verified in your account to send emails. #MS42207",
    "errors": {
        "from.email": [
            "The from.email domain must be verified in your account to send emails. #MS42207"
        ]
    },
}


def panel_of(app: ProblemHost) -> ProblemPanel:
    return app.query_one(ProblemPanel)


def table_rows(panel: ProblemPanel) -> list[list[str]]:
    table = panel.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_invalid_resource_shows_fields_explanation_and_diagnosis() -> None:
    entry = Glossary.load().lookup(INVALID_RESOURCE)
    assert entry is not None
    app = ProblemHost(INVALID_RESOURCE, entry, INVALID_RESOURCE_DIAGNOSIS)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        panel = panel_of(app)
        assert table_rows(panel) == [
            ["email_address", "Not a valid email address."],
            ["status", "Must be one of subscribed, unsubscribed, cleaned, pending."],
        ]
        text = screen_text(app)
        assert "400  Invalid Resource" in text
        assert "Request id (instance): 5b1e3c2a-7d4f-4e8a-9c61-0f2d3b4a5c6d" in text
        assert entry.meaning.split()[0] in text and "Likely causes" in text
        assert "Next steps" in text and entry.next_steps[0][:40] in text
        assert "In your case" in text and "nothing was changed" in text
        assert panel.border_title == "Problem · 400"


async def test_firewall_page_shows_its_reference_prominently() -> None:
    problem = decode_problem(403, {"content-type": "text/html"}, FIREWALL_PAGE)
    assert problem is not None and problem.kind == "firewall-html"
    glossary = Glossary.load()
    app = ProblemHost(problem, glossary.lookup(problem), diagnose(problem, DiagnosisContext()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        reference = panel_of(app).query_one("#problem-reference")
        assert reference.display
        assert "Reference #18.9c1d2e17.1763900000.5a6b7c8" in screen_text(app)
        assert "HTML block page from the edge firewall" in screen_text(app)
        assert not panel_of(app).query_one(DataTable).display  # no errors array here


async def test_mailersend_422_lists_the_field_and_the_code() -> None:
    body = json.dumps(MAILERSEND_422).encode()
    problem = decode_problem(422, {"content-type": "application/json"}, body)
    assert problem is not None and problem.code == "MS42207"
    glossary = Glossary.load()
    app = ProblemHost(problem, glossary.lookup(problem), diagnose(problem, DiagnosisContext()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        rows = table_rows(panel_of(app))
        assert rows and rows[0][0] == "from.email" and "verified" in rows[0][1]
        assert "Code: MS42207" in screen_text(app)


async def test_server_text_is_never_read_as_markup() -> None:
    problem = Problem(status=400, title="[bold red]Bad[/] Request", detail="see [link=x]here[/]")
    app = ProblemHost(problem, None, [])
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[bold red]Bad[/] Request" in text and "see [link=x]here[/]" in text
        assert not panel_of(app).query_one("#problem-meaning").display


async def test_clear_returns_to_the_empty_state() -> None:
    app = ProblemHost(INVALID_RESOURCE, None, ["one"])
    async with app.run_test(size=(100, 20)) as pilot:
        panel = panel_of(app)
        panel.clear()
        await pilot.pause()
        assert panel.problem is None and panel.has_class("-empty")
        assert panel.query_one(DataTable).row_count == 0
        assert "No problem to show." in screen_text(app)
        assert "Invalid Resource" not in screen_text(app)


def test_snapshot_invalid_resource_with_glossary(snap_compare) -> None:  # type: ignore[no-untyped-def]
    entry = Glossary.load().lookup(INVALID_RESOURCE)
    app = ProblemHost(INVALID_RESOURCE, entry, INVALID_RESOURCE_DIAGNOSIS)

    async def drawn(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: "email_address" in screen_text(pilot.app), "the fields")

    assert snap_compare(app, terminal_size=(100, 30), run_before=drawn)


async def test_long_bullets_wrap_under_their_text() -> None:
    problem = Problem(status=503, title="Service Unavailable")
    advice = "Wait for the Retry-After interval, then repeat the request once; " * 2
    app = ProblemHost(problem, None, [advice.strip()])
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        rows = [r.strip("│ ") for r in screen_text(app).splitlines()]
        start = rows.index("In your case")
        assert rows[start + 1].startswith("• Wait for the Retry-After")
        continuation = screen_text(app).splitlines()[start + 2]
        assert continuation.startswith("│     ") and continuation[6] != " "


async def test_a_transport_failure_says_there_was_no_response() -> None:
    problem = problem_from_error("ReadTimeout: timed out", sent=True, timeout=True)
    glossary = Glossary.load()
    app = ProblemHost(problem, glossary.lookup(problem), diagnose(problem, DiagnosisContext()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "no response  Read Timeout" in text
        assert "no HTTP response (the connection failed)" in text
        assert panel_of(app).border_title == "Problem · no response"
