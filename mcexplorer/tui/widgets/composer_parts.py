"""Small parts of the composer: field-name completion, the trigger names, the body line."""

from __future__ import annotations

import json
from pathlib import Path

from textual.suggester import Suggester

SANDBOX_ERRORS = Path(__file__).resolve().parent.parent.parent / "data" / "sandbox_errors.json"


def trigger_names() -> list[str]:
    """Error names the sandbox can be asked for (X-Trigger-Error), else the glossary's."""
    if SANDBOX_ERRORS.exists():
        return sorted(json.loads(SANDBOX_ERRORS.read_text("utf-8")))
    from mcexplorer.core.problems.glossary import Glossary

    return sorted({e.trigger for e in Glossary.load().entries if e.trigger})


class FieldListSuggester(Suggester):
    """Completes the last item of a comma-separated list of dotted field names."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        last = last.strip()
        if not last:
            return None
        for name in self.names:
            if name.startswith(last) and name != last:
                return f"{head}," + name if head else name
        return None


def body_status(text: str) -> str:
    """One line about the body as typed: empty, valid JSON, or where it breaks."""
    if not text.strip():
        return "body: none"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"body: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return "body: valid JSON"
