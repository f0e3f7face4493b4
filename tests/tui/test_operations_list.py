"""The Operations list: every row names its operation unambiguously, with its summary."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from mcexplorer.core.catalog.model import DEFAULT_PATH, Catalog
from mcexplorer.tui.widgets.operations_list import OperationsList, wrap_path
from tests.tui.apps.widget_hosts import HostApp, screen_text

CATALOGS = {
    "mailchimp": DEFAULT_PATH,
    "mailersend": DEFAULT_PATH.with_name("mailersend_catalog.json"),
}
SIDEBAR = 31  # the explorer's sidebar


class OpsHost(HostApp):
    def __init__(self, catalog: Catalog, width: int = SIDEBAR) -> None:
        super().__init__()
        self.catalog = catalog
        self.width = width

    def compose(self) -> ComposeResult:
        with Horizontal():
            ops = OperationsList(id="ops")
            ops.styles.width = self.width
            yield ops

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(OperationsList).set_catalog(self.catalog)


def rows(options: OptionList) -> dict[str, list[str]]:
    """Each operation's row as lines of text."""
    found: dict[str, list[str]] = {}
    for index in range(options.option_count):
        option = options.get_option_at_index(index)
        if option.id is not None:
            assert isinstance(option.prompt, Text)
            found[option.id] = option.prompt.plain.split("\n")
    return found


def text_width(options: OptionList) -> int:
    padding = options.get_component_styles("option-list--option").padding.width
    return options.scrollable_content_region.width - padding


async def laid_out(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("width", [SIDEBAR, 26, 60])
@pytest.mark.parametrize("name", sorted(CATALOGS))
async def test_every_row_fits_and_no_two_rows_read_the_same(name: str, width: int) -> None:
    catalog = Catalog.load(CATALOGS[name])
    app = OpsHost(catalog, width)
    async with app.run_test(size=(100, 40)) as pilot:
        await laid_out(pilot)
        options = app.query_one("#ops-options", OptionList)
        for focused in (False, True):  # focus gives the list a border
            if focused:
                options.focus()
                await laid_out(pilot)
            shown = rows(options)
            assert len(shown) == len(catalog.operations)
            room = text_width(options)
            for op_id, lines in shown.items():
                assert all(Text(line).cell_len <= room for line in lines), (op_id, lines, room)
            seen = {"\n".join(lines) for lines in shown.values()}
            assert len(seen) == len(shown)  # pairwise distinguishable, and never cut
            # The method and path alone tell them apart (the summary is a bonus).
            paths = {"".join(line.strip() for line in lines[:-1]) for lines in shown.values()}
            assert len(paths) == len(shown)


async def test_a_row_shows_the_summary_and_the_filter_searches_it() -> None:
    app = OpsHost(Catalog.load())
    async with app.run_test(size=(100, 40)) as pilot:
        await laid_out(pilot)
        app.query_one("#ops-filter", Input).value = "info automation"  # "info": summaries only
        await laid_out(pilot)
        ops = app.query_one(OperationsList)
        assert ops.shown and all("info" in op.summary.lower() for op in ops.shown)
        assert "/automations/{workflow_id}" in [op.path for op in ops.shown]
        assert "Get automation info" in screen_text(app)


async def test_rows_are_laid_out_again_when_the_list_gets_wider() -> None:
    app = OpsHost(Catalog.load())
    async with app.run_test(size=(100, 40)) as pilot:
        await laid_out(pilot)
        options = app.query_one("#ops-options", OptionList)
        op_id = "postAutomationsIdActionsPauseAllEmails"
        assert len(rows(options)[op_id]) >= 3  # the path takes lines, then the summary
        app.query_one(OperationsList).styles.width = 80
        await laid_out(pilot)
        assert len(rows(options)[op_id]) == 2
        assert rows(options)[op_id][0].rstrip().endswith("/actions/pause-all-emails")


def test_paths_wrap_before_slashes_and_cut_only_what_cannot_fit() -> None:
    assert wrap_path("/a/bb/ccc", 5) == ["/a/bb", "/ccc"]
    assert wrap_path("/lists", 20) == ["/lists"]
    assert wrap_path("/abcdefgh/x", 4) == ["/abc", "defg", "h/x"]
    assert wrap_path("/", 4) == ["/"]
