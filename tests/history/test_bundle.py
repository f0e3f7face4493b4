"""Support bundles read well on their own and carry no secret."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mcexplorer import __version__
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.history.bundle import render_bundle, write_bundle
from mcexplorer.core.history.store import HistoryStore, record_outcome
from tests.history.outcomes import KEY, make_outcome, not_found

BASE = "https://us6.api.mailchimp.com/3.0/"


def _entry(tmp_path: Path, outcome=None, base_url: str = BASE):  # type: ignore[no-untyped-def]
    store = HistoryStore(tmp_path / "h.sqlite3")
    entry_id = record_outcome(
        outcome or not_found(),
        profile="work",
        base_url=base_url,
        credentials=Credentials.api_key(KEY),
        store=store,
    )
    assert entry_id is not None
    entry = store.get(entry_id)
    assert entry is not None
    return entry


def _appendix(text: str) -> dict[str, object]:
    block = text.split("## Appendix: machine-readable copy", 1)[1]
    match = re.search(r"(`{3,})json\n(.*?)\n\1", block, re.DOTALL)
    assert match is not None
    data = json.loads(match.group(2))
    assert isinstance(data, dict)
    return data


def test_bundle_of_a_404_has_everything_support_asks_for(tmp_path: Path) -> None:
    text = render_bundle(_entry(tmp_path))
    assert text.startswith(
        "# Support bundle: GET https://us6.api.mailchimp.com/3.0/lists/nope/members → 404"
    )
    for fact in (
        "| X-Request-Id | req-123 |",
        "| Problem instance | 5c3c8d3e-1111-2222-3333-444455556666 |",
        "| Datacenter | us6 |",
        "| Target | us6.api.mailchimp.com |",
        "| Simulated error | no |",
        f"| Client | mcexplorer {__version__} |",
        "| Started | 2024-05-01T12:00:00.000000+00:00 |",
        "**Resource Not Found** (404)",
        "### What it means",
        'printf \'user = "anystring:%s"\\n\' "$MAILCHIMP_API_KEY" | curl -K -',
        "## Attempts timeline",
        "| 0.0 | 1 | queued |",
        "| 120.0 | 1 | response | 404 | elapsed_ms=118.0 |",
        "x-request-id: req-123",
    ):
        assert fact in text, fact
    appendix = _appendix(text)
    assert appendix["client_version"] == __version__
    assert appendix["glossary_key"]
    entry = appendix["entry"]
    assert isinstance(entry, dict) and entry["status"] == 404 and entry["dc"] == "us6"


def test_bundle_of_a_success_and_of_a_body_with_backticks(tmp_path: Path) -> None:
    outcome = make_outcome(200, raw_body=b"plain text with ``` fences ````")
    text = render_bundle(_entry(tmp_path, outcome))
    assert "No problem: the API answered with a success status." in text
    assert "`````\nplain text with ``` fences ````\n`````" in text
    assert _appendix(text)["glossary_key"] is None


def test_no_secret_in_the_bundle_file(tmp_path: Path) -> None:
    outcome = make_outcome(
        200, body={"echo": KEY}, request_headers={"Authorization": "Basic c2VjcmV0"}
    )
    out = tmp_path / "bundle.md"
    write_bundle(_entry(tmp_path, outcome), out)
    text = out.read_text(encoding="utf-8")
    assert KEY not in text and "c2VjcmV0" not in text
    curl_block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    assert "Authorization" not in curl_block and "$MAILCHIMP_API_KEY" in curl_block
    assert '"Authorization": "[redacted]"' in text


def test_a_reproduced_error_on_the_sandbox_says_so(tmp_path: Path) -> None:
    outcome = make_outcome(
        429,
        body={"title": "Too Many Requests", "status": 429},
        request_headers={"X-Trigger-Error": "TooManyRequests"},
    )
    text = render_bundle(_entry(tmp_path, outcome, base_url="http://127.0.0.1:8765/3.0/"))
    assert (
        "| Simulated error | yes: the request asked for it (X-Trigger-Error: TooManyRequests) |"
        in text
    )
    assert (
        "| Target | a local server (127.0.0.1), such as mcexplorer's sandbox: not the real API |"
        in text
    )
