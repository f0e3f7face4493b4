"""The composer's habits of API clients: copy as curl, paste a curl command, edit the
body in $EDITOR, give the body editor the whole screen. A helper the explorer composes.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.widget import Widget

from mcexplorer.core.http.draft import Draft
from mcexplorer.core.http.request import RequestInvalid
from mcexplorer.tui.widgets.composer import Composer

if TYPE_CHECKING:
    from mcexplorer.core.accounts.target import Target
    from mcexplorer.core.catalog.model import Catalog


class ComposerTools(Widget):
    DEFAULT_CSS = "ComposerTools { display: none; }"

    def __init__(
        self, target: Callable[[], Target | None], catalog: Callable[[], Catalog | None]
    ) -> None:
        super().__init__(id="composer-tools")
        self._target = target
        self._catalog = catalog

    @property
    def composer(self) -> Composer:
        return self.screen.query_one(Composer)

    def copy_curl(self) -> None:
        """The request as curl, the key read from the environment as `send --curl` does:
        the secret itself is never on the clipboard."""
        from mcexplorer.core.accounts.target import ENV_FOR_PROVIDER
        from mcexplorer.core.http.curl import to_curl

        target = self._target()
        try:
            req = self.composer.build()
            base = target.base_url if target else "https://us1.api.mailchimp.com/3.0"
            creds = target.credentials if target else None
            env_var = ENV_FOR_PROVIDER[creds.provider] if creds else "MAILCHIMP_API_KEY"
            text = to_curl(req, base, creds, env_var=env_var)
        except RequestInvalid as exc:
            self.composer.show_issues(exc.issues)
            self.notify("Nothing copied: " + str(exc), severity="error", markup=False)
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied as curl (the key comes from ${env_var}).", markup=False)

    def paste_curl(self) -> None:
        from mcexplorer.tui.dialogs.paste_curl import PasteCurlDialog

        self.app.push_screen(PasteCurlDialog(self._catalog()), self._pasted)

    def _pasted(self, draft: Draft | None) -> None:
        if draft is not None:
            self.composer.load_draft(draft)
            self.composer.focus_path()

    def toggle_maximize(self) -> None:
        """The body editor takes the whole screen, or gives it back."""
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
            return
        composer = self.composer
        if not composer.draft.has_body:
            self.notify("Only POST, PUT and PATCH carry a body.", severity="warning")
            return
        editor = composer.body_editor()
        editor.focus()
        screen.maximize(editor, container=False)

    def edit_body(self) -> None:
        """Open the body in $EDITOR (or $VISUAL, else vi); what it saves replaces it."""
        composer = self.composer
        if not composer.draft.has_body:
            self.notify("Only POST, PUT and PATCH carry a body.", severity="warning")
            return
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.TemporaryDirectory(prefix="mcexplorer-") as folder:
            path = Path(folder) / "body.json"
            path.write_text(composer.draft.body, encoding="utf-8")
            try:
                with self.app.suspend():
                    done = _run_editor(command, path)
            except SuspendNotSupported:  # headless (tests): nothing on screen to give back
                done = _run_editor(command, path)
            if not done:
                self.notify(f"{command} failed; the body is unchanged.", severity="error")
                return
            text = path.read_text(encoding="utf-8")
        editor = composer.body_editor()
        editor.text = text
        editor.focus()


def _run_editor(command: str, path: Path) -> bool:
    try:
        return subprocess.run([*shlex.split(command), str(path)], check=False).returncode == 0
    except OSError:
        return False
