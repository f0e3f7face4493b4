"""The composer's rows follow the explorer's first frame: whatever reaches the composer
before they are drawn waits in its draft and shows once they are, exactly as it will be
sent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select
from textual.widgets._select import SelectCurrent

from mcexplorer.core.http.draft import Draft
from mcexplorer.tui.widgets.composer import Composer
from tests.tui.apps.widget_hosts import HostApp


class ComposerHost(HostApp):
    def compose(self) -> ComposeResult:
        yield Composer(id="composer")


def _label(picker: Select[str]) -> str:
    return str(picker.query_one(SelectCurrent).query_one("#label").render())


async def test_the_first_frame_has_no_request_row_yet() -> None:
    app = ComposerHost()
    async with app.run_test(size=(100, 30)):
        composer = app.query_one(Composer)
        assert not composer.query("#method, #path, #send")  # the explorer asks for them
        await composer.finish_layout()
        assert [w.id for w in composer.query("#request-row > *")] == ["method", "path", "send"]


async def test_a_request_loaded_before_its_rows_are_drawn_shows_once_they_are() -> None:
    app = ComposerHost()
    async with app.run_test(size=(100, 30)) as pilot:
        composer = app.query_one(Composer)
        early = Draft.from_link("PUT", "/lists/a1b2c3/members/0f3c9d", None)
        early.trigger = "TooManyRequests"
        composer.load_draft(early)
        await composer.finish_layout()
        await pilot.pause()
        method, trigger = (
            composer.query_one("#method", Select),
            composer.query_one("#trigger", Select),
        )
        assert (method.value, _label(method)) == ("PUT", "PUT")
        assert (trigger.value, _label(trigger)) == ("TooManyRequests", "TooManyRequests")
        assert composer.query_one("#path", Input).value == "/lists/a1b2c3/members/0f3c9d"
        sent = composer.build()  # what Send reads is what the rows show
        assert (sent.method, sent.path) == ("PUT", "/lists/a1b2c3/members/0f3c9d")
        assert sent.headers["X-Trigger-Error"] == "TooManyRequests"


async def test_an_untouched_composer_shows_get_on_the_root() -> None:
    app = ComposerHost()
    async with app.run_test(size=(100, 30)) as pilot:
        composer = app.query_one(Composer)
        await composer.finish_layout()
        await pilot.pause()
        method = composer.query_one("#method", Select)
        assert (method.value, _label(method)) == ("GET", "GET")
        assert composer.query_one("#path", Input).value == "/"
        assert composer.draft == Draft()  # drawing the rows wrote nothing into the draft
