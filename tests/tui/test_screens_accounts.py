"""The accounts screen against real stores: the test keyring, the config file, the sandbox."""

from __future__ import annotations

import threading
from pathlib import Path

import keyring.backends.fail
import keyring.errors
import pytest
from textual.widgets import Button, DataTable, Input, Select, Static

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.profiles import Accounts, config_path
from mcexplorer.core.accounts.secrets import KeyringSecretStore, StoreKind
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.accounts import AccountsScreen, ProfileSelected
from tests.memory_keyring import MemoryKeyring
from tests.tui.apps.widget_hosts import FAKE_KEY, ScreenHost, screen_text, steady_cursor
from tests.tui.waiting import wait_until

OTHER_KEY = "fedcba9876543210fedcba9876543210-us19"


def host(accounts: Accounts | None = None, **options: object) -> ScreenHost:
    options.setdefault("env", {})
    return ScreenHost(lambda: AccountsScreen(accounts, **options))  # type: ignore[arg-type]


def screen(app: ScreenHost) -> AccountsScreen:
    assert isinstance(app.screen, AccountsScreen)
    return app.screen


async def wait(pilot, app: ScreenHost) -> None:  # type: ignore[no-untyped-def]
    """Let thread workers finish and their results reach the screen."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def status_text(app: ScreenHost) -> str:
    return str(screen(app).query_one("#accounts-status", Static).content)


def rows(app: ScreenHost) -> list[list[str]]:
    table = screen(app).query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def submit_form(pilot, app: ScreenHost, name: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    """Open the add form, fill it and press Enter (no waiting for the store)."""
    await pilot.press("a")
    await fill_form(pilot, app, name, secret)
    await pilot.press("enter")


async def fill_form(  # type: ignore[no-untyped-def]
    pilot, app: ScreenHost, name: str, secret: str, *, type_secret: bool = False
) -> None:
    """Type the name; the secret is typed key by key only where that is the point (slow)."""
    await pilot.click("#add-name")
    await pilot.press(*name)
    await pilot.click("#add-secret")
    if type_secret:
        await pilot.press(*secret)
    else:
        screen(app).query_one("#add-secret", Input).value = secret


async def test_lists_profiles_masked_with_the_default_marked() -> None:
    accounts = Accounts()
    accounts.add("work", Credentials.api_key(FAKE_KEY))
    accounts.add("shop", Credentials.api_key(OTHER_KEY))
    app = host(accounts, active="shop")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        assert [r[:2] + r[4:6] for r in rows(app)] == [
            [" ●", "shop", "…3210-us19", "us19"],
            ["★ ", "work", "…cdef-us6", "us6"],
        ]
        text = screen_text(app)
        assert FAKE_KEY not in text and OTHER_KEY not in text
        assert "MemoryKeyring" in text  # which backend holds the secrets


async def test_adding_a_key_saves_it_in_the_keyring_and_never_in_the_file(
    isolate_user_dirs: MemoryKeyring,
) -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("a")
        await fill_form(pilot, app, "work", FAKE_KEY, type_secret=True)
        assert FAKE_KEY not in screen_text(app)  # the password field shows dots
        await pilot.press("enter")
        await wait(pilot, app)
        assert [r[1] for r in rows(app)] == ["work"]
        assert "Saved 'work' (…cdef-us6)." in status_text(app)
        assert screen(app).query_one("#add-secret", Input).value == ""
    assert isolate_user_dirs.store[("mcexplorer", "work")] == FAKE_KEY
    assert FAKE_KEY not in config_path().read_text()


async def test_a_malformed_key_is_refused_with_its_cause_and_nothing_is_saved(
    isolate_user_dirs: MemoryKeyring,
) -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await submit_form(pilot, app, "work", "0123456789abcdef-us6")
        await wait(pilot, app)
        error = str(screen(app).query_one("#add-error", Static).content)
        assert "has 16 characters, expected 32" in error
        assert "0123456789abcdef" not in error
        assert rows(app) == []
    assert isolate_user_dirs.store == {}
    assert not config_path().exists()


async def test_a_bad_profile_name_is_refused() -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await submit_form(pilot, app, "a/b", FAKE_KEY)
        await wait(pilot, app)
        assert "path separator" in str(screen(app).query_one("#add-error", Static).content)


async def test_oauth_needs_a_datacenter_field() -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("a")
        dc_row = screen(app).query_one("#add-dc-row")
        assert not dc_row.display
        screen(app).query_one("#add-kind", Select).value = "oauth"
        await pilot.pause()
        assert dc_row.display
        screen(app).query_one("#add-name", Input).value = "agency"
        screen(app).query_one("#add-secret", Input).value = "oauth-token-for-tests"
        screen(app).query_one("#add-dc", Input).value = "us4"
        await pilot.click("#save")
        await wait(pilot, app)
        assert [r[1:6] for r in rows(app)] == [["agency", "mailchimp", "oauth", "…ests", "us4"]]


async def test_use_posts_profile_selected_and_dismisses_with_the_name() -> None:
    accounts = Accounts()
    accounts.add("work", Credentials.api_key(FAKE_KEY))
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("u")
        await pilot.pause()
        assert app.results == ["work"]
        assert [m.name for m in app.seen if isinstance(m, ProfileSelected)] == ["work"]


async def test_make_default_moves_the_star() -> None:
    accounts = Accounts()
    accounts.add("a-first", Credentials.api_key(FAKE_KEY))
    accounts.add("b-second", Credentials.api_key(OTHER_KEY))
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("down", "d")
        await wait(pilot, app)
        assert [r[0].strip() for r in rows(app)] == ["", "★"]
    assert Accounts().default == "b-second"


async def test_remove_asks_first_and_deletes_the_secret(isolate_user_dirs: MemoryKeyring) -> None:
    accounts = Accounts()
    accounts.add("work", Credentials.api_key(FAKE_KEY))
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep it
        await wait(pilot, app)
        assert [r[1] for r in rows(app)] == ["work"]
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#yes")
        await wait(pilot, app)
        assert rows(app) == []
        assert "Removed 'work'" in status_text(app)
    assert isolate_user_dirs.store == {}


async def test_the_environment_override_is_announced_masked() -> None:
    app = host(env={"MAILCHIMP_API_KEY": OTHER_KEY})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        text = screen_text(app)
        assert "MAILCHIMP_API_KEY is set (…3210-us19): it overrides" in text
        assert OTHER_KEY not in text


async def test_an_unusable_keyring_explains_and_offers_memory(tmp_path: Path) -> None:
    refused = KeyringSecretStore(keyring.backends.fail.Keyring())
    accounts = Accounts(tmp_path / "profiles.json", keyring_store=refused)
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        notice = screen(app).query_one("#accounts-keyring", Static)
        assert notice.has_class("-unusable")
        assert "no keyring backend is available" in str(notice.content)
        assert "keep the key in memory" in str(notice.content)
        assert screen(app).query_one("#add-store", Select).value == StoreKind.MEMORY.value
        await submit_form(pilot, app, "temp", FAKE_KEY)
        await wait(pilot, app)
        assert [r[1] for r in rows(app)] == ["temp"] and rows(app)[0][6] == "memory"
        badge = screen(app).query_one("#accounts-badge", Static)
        assert badge.display and "key in memory only" in str(badge.content)
    assert (
        not (tmp_path / "profiles.json").exists()
        or "temp" not in (tmp_path / "profiles.json").read_text()
    )


async def test_the_file_store_warns_and_keeps_a_badge(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "profiles.json", insecure_path=tmp_path / "secrets.json")
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("a")
        screen(app).query_one("#add-store", Select).value = StoreKind.INSECURE_FILE.value
        await pilot.pause()
        assert "UNENCRYPTED" in str(screen(app).query_one("#add-warning", Static).content)
        await fill_form(pilot, app, "ci", FAKE_KEY)
        await pilot.press("enter")
        await wait(pilot, app)
        assert "INSECURE" in str(screen(app).query_one("#accounts-badge", Static).content)


@pytest.fixture(scope="module")
def sandbox() -> object:
    with SandboxServer(seed=3) as server:
        yield server


async def test_verify_reports_account_and_role_from_the_sandbox(sandbox: SandboxServer) -> None:
    accounts = Accounts()
    accounts.add("sandbox", Credentials.api_key(sandbox.demo_key), base_url=sandbox.api_url)
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("v")
        await wait(pilot, app)
        await screen(app).workers.wait_for_complete()
        await pilot.pause()
        assert "'sandbox': account 'Larkspur Demo Co', role owner" in status_text(app)
        assert sandbox.demo_key not in screen_text(app)


async def test_verify_shows_the_refusal_of_a_wrong_key(sandbox: SandboxServer) -> None:
    accounts = Accounts()
    accounts.add("stale", Credentials.api_key(FAKE_KEY), base_url=sandbox.api_url)
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.press("v")
        await wait(pilot, app)
        await screen(app).workers.wait_for_complete()
        await pilot.pause()
        assert "'stale' was refused: 401" in status_text(app)


async def test_buttons_do_what_the_keys_do() -> None:
    accounts = Accounts()
    accounts.add("work", Credentials.api_key(FAKE_KEY))
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await pilot.click("#add")
        assert screen(app).query_one("#add-form").display
        await pilot.click("#cancel")
        assert not screen(app).query_one("#add-form").display
        assert screen(app).query_one("#use", Button)
        await pilot.click("#use")
        await pilot.pause()
        assert app.results == ["work"]


def test_snapshot_accounts_with_one_profile(snap_compare) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts()
    accounts.add("work", Credentials.api_key(FAKE_KEY))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: rows(pilot.app) and "work" in rows(pilot.app)[0], "the row")
        await steady_cursor(pilot)

    assert snap_compare(host(accounts), terminal_size=(100, 30), run_before=ready)


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("collection is locked")


class StuckKeyring(MemoryKeyring):
    """Waits like a backend showing an unlock prompt nobody answers."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.release.wait(5):
            super().set_password(service, username, password)


async def test_a_locked_keyring_names_the_cause_and_the_choices(tmp_path: Path) -> None:
    store = KeyringSecretStore(LockedKeyring())
    accounts = Accounts(tmp_path / "profiles.json", keyring_store=store)
    app = host(accounts)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await submit_form(pilot, app, "work", FAKE_KEY)
        await wait(pilot, app)
        error = str(screen(app).query_one("#add-error", Static).content)
        assert "the keyring is locked" in error and "in memory" in error
        assert FAKE_KEY not in error and rows(app) == []
    assert not (tmp_path / "profiles.json").exists()


async def test_a_keyring_waiting_on_a_prompt_does_not_freeze_the_screen(tmp_path: Path) -> None:
    stuck = StuckKeyring()
    store = KeyringSecretStore(stuck, timeout_s=10)
    app = host(Accounts(tmp_path / "profiles.json", keyring_store=store))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await submit_form(pilot, app, "work", FAKE_KEY)
        before = app.focused
        await pilot.press("tab")  # handled while the keyring call is still waiting
        await pilot.pause()
        assert app.focused is not before and rows(app) == []
        stuck.release.set()
        await wait(pilot, app)
        assert [r[1] for r in rows(app)] == ["work"]


async def test_a_keyring_that_never_answers_times_out(tmp_path: Path) -> None:
    stuck = StuckKeyring()
    store = KeyringSecretStore(stuck, timeout_s=0.2)
    app = host(Accounts(tmp_path / "profiles.json", keyring_store=store))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        await submit_form(pilot, app, "work", FAKE_KEY)
        await wait(pilot, app)
        error = str(screen(app).query_one("#add-error", Static).content)
        assert "did not answer within 0.2 s" in error and rows(app) == []
    stuck.release.set()


async def test_with_no_account_only_add_is_enabled() -> None:
    app = host(Accounts())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot, app)
        buttons = {b.id: b.disabled for b in screen(app).query("#accounts-buttons Button")}
        assert buttons == {
            "use": True,
            "verify": True,
            "make_default": True,
            "remove": True,
            "add": False,
        }
        await submit_form(pilot, app, "work", FAKE_KEY)
        await wait(pilot, app)
        assert not screen(app).query_one("#use", Button).disabled
