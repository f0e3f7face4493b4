"""The glossary screen: every entry listed, a search that narrows it, Escape to close."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, OptionList

from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.tui.screens.glossary import GlossaryScreen
from tests.tui.apps.widget_hosts import ScreenHost, screen_text, steady_cursor
from tests.tui.waiting import wait_until


def host(query: str = "") -> ScreenHost:
    return ScreenHost(lambda: GlossaryScreen(query=query))


async def test_lists_every_entry_and_shows_the_first() -> None:
    glossary = Glossary.load()
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == len(glossary.entries)
        assert glossary.entries[0].meaning[:40] in screen_text(app)


async def test_typing_narrows_the_list_and_the_highlight_shows_the_entry() -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"datacenter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert [e.key for e in screen.shown] == [
            e.key for e in screen.glossary.search("datacenter")
        ]
        assert 0 < len(screen.shown) < len(screen.glossary.entries)
        await pilot.press("enter", "down")
        await pilot.pause()
        second = screen.shown[1] if len(screen.shown) > 1 else screen.shown[0]
        assert second.title in screen_text(app)


async def test_a_search_with_no_match_says_so() -> None:
    app = host("zzzz-no-such-error")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 0
        assert "Nothing matches 'zzzz-no-such-error'." in screen_text(app)


async def test_escape_closes() -> None:
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GlossaryScreen)
        assert app.results == [None]


async def test_opened_with_a_query_starts_filtered() -> None:
    app = host("429")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(Input).value == "429"
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.shown and all(e.status == 429 for e in screen.shown[:2])


def test_snapshot_glossary_search(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: "firewall" in screen_text(pilot.app).lower(), "a match")
        await steady_cursor(pilot)

    assert snap_compare(host("firewall"), terminal_size=(100, 30), run_before=ready)


async def test_opens_on_a_given_entry() -> None:
    wanted = Glossary.load().entries[-1]
    app = ScreenHost(lambda: GlossaryScreen(entry_key=wanted.key))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.highlighted == options.option_count - 1
        assert wanted.meaning[:30] in screen_text(app)


@pytest.mark.parametrize("typed", ["429", "throttl"])
async def test_typing_fast_never_crashes_and_shows_the_highlighted_entry(typed: str) -> None:
    # Each keystroke refills the list; a highlight event for a row the next keystroke
    # removed used to arrive late and end the app (StopIteration inside a coroutine).
    app = host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in typed:  # a burst, as a terminal delivers fast typing
            app.post_message(events.Key(key, key))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.shown == screen.glossary.search(typed)
        assert screen.shown
        options = screen.query_one(OptionList)
        assert options.highlighted == 0
        assert screen.shown[0].meaning[:30] in screen_text(app)
        assert app.return_code is None  # no exception ended the app
