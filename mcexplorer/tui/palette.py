"""The command palette's explorer entries: every action of the explorer, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# The sandbox's fault profiles (mcexplorer/sandbox/faults.py; a test keeps them in step).
SANDBOX_FAULT_PROFILES = {
    "none": "Answers at once, no faults",
    "flaky": "10 ms, a few transient 5xx and resets",
    "realistic": "About 120 ms with a long tail, rare 5xx",
    "outage": "Every request 503, some with Retry-After",
    "firewall": "The edge firewall's HTML block after ten 404s",
    "cdn": "A CDN 502 page on one request in five",
    "tls": "426: plain HTTP refused",
}

# (title, action on the explorer screen, what it does)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Send request", "send", "Send what the composer holds (Ctrl+S)"),
    ("Repeat request ×20", "repeat", "Send it 20 times at once; the slot gauge fills up"),
    ("Follow a link", "follow_link", "Open the links of the last response"),
    ("Back", "back", "The previously visited response (Alt+Left)"),
    ("Forward", "forward", "The next visited response (Alt+Right)"),
    ("Previous page", "previous_page", "The previous page of this collection"),
    ("Next page", "next_page", "The next page of this collection"),
    ("Toggle resource map / operations", "toggle_view", "Switch the sidebar view (Ctrl+O)"),
    ("Show response tree", "show_tab('tab-tree')", "The body as a collapsible tree"),
    ("Show response body", "show_tab('tab-body')", "The body pretty-printed"),
    ("Show response headers", "show_tab('tab-headers')", "The response headers"),
    ("Save request", "save_request", "Save the composer into the collection (F4)"),
    ("Save request as…", "save_request_as", "Save under a new name (F5)"),
    ("Show saved requests", "show_saved", "The collection tree in the sidebar"),
    ("Rename saved request", "rename_request", "Rename the selected saved request"),
    ("Duplicate saved request", "duplicate_request", "Copy the selected saved request"),
    ("Delete saved request", "delete_request", "Delete the selected saved request"),
    ("Reload collection", "reload_collection", "Read the collection folder again"),
    ("New request", "new_request", "Empty the composer, attached to no saved request (Ctrl+N)"),
    ("Copy as curl", "copy_curl", "The request as a curl command; the key from $ENV (F8)"),
    ("Paste curl command", "paste_curl", "Fill the composer from a curl command (Shift+F8)"),
    ("Edit body in $EDITOR", "edit_body", "Open the body in your editor (F9)"),
    ("Maximise body editor", "maximize_body", "The body editor takes the screen (F11)"),
    ("History", "history", "Every request sent: filter, re-send, support bundle (F6)"),
    ("Glossary", "glossary", "Every error the explorer knows (F2)"),
    ("Accounts", "accounts", "Saved profiles: add, verify, switch (F3)"),
    ("Import members from CSV", "import_members", "Preview, then upsert into an audience (F7)"),
    ("Help", "help", "Help for the focused area (F1)"),
    ("Focus composer", "focus_composer", "Jump to the path input"),
    *(
        (f"Sandbox faults: {name}", f"sandbox_faults({name!r})", what)
        for name, what in SANDBOX_FAULT_PROFILES.items()
    ),
)


class ExplorerCommands(Provider):
    """Lists the explorer's actions when the explorer screen is under the palette."""

    def _commands(self) -> list[tuple[str, str, str]]:
        return list(COMMANDS) if hasattr(self.screen, "action_send") else []

    async def discover(self) -> Hits:
        for title, action, help_text in self._commands():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
