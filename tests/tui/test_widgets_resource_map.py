"""The resource map alone: filling it again with the same root keeps what was opened."""

from __future__ import annotations

from textual.app import App, ComposeResult

from mcexplorer.tui.widgets.resource_map import ResourceMap

ROOT = {
    "account_name": "Larkspur Demo Co",
    "_links": [
        {"rel": "lists", "href": "https://us6.api.mailchimp.com/3.0/lists", "method": "GET"},
        {"rel": "ping", "href": "https://us6.api.mailchimp.com/3.0/ping", "method": "GET"},
    ],
}


class MapHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceMap(id="map")


async def test_the_same_root_again_keeps_opened_nodes_and_another_root_resets() -> None:
    app = MapHost()
    async with app.run_test() as pilot:
        resource_map = app.query_one(ResourceMap)
        resource_map.populate_root(ROOT, [])
        lists = resource_map.root.children[0]
        lists.add_leaf("an audience")  # as if the user had opened it
        resource_map.populate_root(dict(ROOT), [])  # the session's own GET /, equal
        await pilot.pause()
        assert [str(n.label) for n in resource_map.root.children[0].children] == ["an audience"]
        resource_map.populate_root({**ROOT, "account_name": "Another"}, [])
        await pilot.pause()
        assert str(resource_map.root.label) == "Another"
        assert not resource_map.root.children[0].children
