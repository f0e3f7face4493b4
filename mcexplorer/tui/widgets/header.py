"""The top line: which account this is (from the API root), its health, and the profile."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class AccountHeader(Widget):
    """`mcexplorer │ Account (role, dc) │ ● health │ profile label (masked)`."""

    DEFAULT_CSS = """
    AccountHeader {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    account: reactive[str] = reactive("connecting…")
    role: reactive[str | None] = reactive(None)
    dc: reactive[str | None] = reactive(None)
    health: reactive[str | None] = reactive(None)
    healthy: reactive[bool | None] = reactive(None)
    profile: reactive[str] = reactive("")
    # Where the profile's key is kept when that needs saying ("INSECURE: key stored
    # unencrypted", "key in memory only"): flagged wherever the profile shows.
    store_flag: reactive[str | None] = reactive(None)
    store_insecure: reactive[bool] = reactive(False)

    def set_root(self, body: Any, dc: str | None) -> None:
        """Account name and role from `GET /` (MailerSend has no root: the label stays)."""
        if isinstance(body, dict):
            self.account = str(body.get("account_name") or body.get("login_id") or "account")
            role = body.get("role")
            self.role = str(role) if role else None
        self.dc = dc

    def set_health(self, text: str, ok: bool) -> None:
        self.health = text
        self.healthy = ok

    def render(self) -> Text:
        line = Text.assemble(("mcexplorer", "bold"), " │ ", (self.account, "bold"))
        details = ", ".join(x for x in (self.role, self.dc) if x)
        if details:
            line.append(f" ({details})")
        if self.health is not None:
            dot_style = "bold green" if self.healthy else "bold red"
            line.append(" │ ")
            line.append("● ", style=dot_style)
            line.append(self.health)
        if self.profile:
            line.append(" │ ")
            line.append(self.profile, style="italic")
        if self.store_flag:
            line.append(" ")
            style = "bold white on dark_red" if self.store_insecure else "dim"
            line.append(f" {self.store_flag} ", style=style)
        return line
