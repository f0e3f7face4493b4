"""The first-run screen: three ways in, each dismissing with its choice."""

from __future__ import annotations

from textual.widgets import Button, Input

from mcexplorer.tui.screens.accounts import AccountsScreen, ProfileSelected
from mcexplorer.tui.screens.first_run import FirstRunChoice, FirstRunScreen
from tests.tui.apps.widget_hosts import FAKE_KEY, ScreenHost, screen_text
from tests.tui.waiting import wait_until


def host(env: dict[str, str] | None = None) -> ScreenHost:
    return ScreenHost(lambda: FirstRunScreen(env={} if env is None else env))


async def test_without_the_variable_the_env_choice_is_disabled() -> None:
    app = host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#use_env", Button).disabled
        assert "MAILCHIMP_API_KEY is not set." in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen) and app.results == []


async def test_the_variable_is_shown_masked_and_can_be_chosen() -> None:
    app = host({"MAILCHIMP_API_KEY": FAKE_KEY})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "MAILCHIMP_API_KEY is set: …cdef-us6" in text and FAKE_KEY not in text
        await pilot.click("#use_env")
        await pilot.pause()
        assert app.results == [FirstRunChoice.USE_ENV]


async def test_sandbox_by_key() -> None:
    app = host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.results == [FirstRunChoice.SANDBOX]


async def test_adding_a_key_goes_through_the_accounts_form() -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        accounts = app.screen
        assert isinstance(accounts, AccountsScreen)
        assert accounts.query_one("#add-form").display
        await app.workers.wait_for_complete()
        accounts.query_one("#add-name", Input).value = "work"
        accounts.query_one("#add-secret", Input).value = FAKE_KEY
        await pilot.click("#save")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.results == [FirstRunChoice.ADD_KEY]
        assert [m.name for m in app.seen if isinstance(m, ProfileSelected)] == ["work"]


async def test_backing_out_of_the_form_returns_to_the_choices() -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen) and app.results == []


def test_snapshot_first_run(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: "…cdef-us6" in screen_text(pilot.app), "the masked key")

    app = host({"MAILCHIMP_API_KEY": FAKE_KEY})
    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
