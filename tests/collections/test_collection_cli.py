"""`mcexplorer collection ...`: imports and exports through the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mcexplorer.cli import main

FIXTURE = Path(__file__).parent.parent / "fixtures" / "postman"
KEY = "0123456789abcdef0123456789abcdef-us6"


def test_import_curl_from_stdin_then_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command = (
        f"curl -u 'anystring:{KEY}' 'https://us6.api.mailchimp.com/3.0/lists/a1b2/members?count=3'"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(command))
    out = tmp_path / "coll" / "members"
    assert main(["collection", "import-curl", "-o", str(out), "--description", "page"]) == 0
    saved = out.with_name("members.request.json")
    assert KEY not in saved.read_text(encoding="utf-8")
    captured = capsys.readouterr()
    assert "dropped: --user credentials" in captured.err and KEY not in captured.err
    # Importing again onto the same file needs --force.
    monkeypatch.setattr("sys.stdin", io.StringIO(command))
    assert main(["collection", "import-curl", "-o", str(saved)]) == 2
    assert "already exists" in capsys.readouterr().err

    assert (
        main(
            [
                "collection",
                "export-curl",
                str(saved),
                "--base-url",
                "https://us6.api.mailchimp.com/3.0",
            ]
        )
        == 0
    )
    exported = capsys.readouterr().out
    assert 'printf \'user = "anystring:%s"\\n\' "$MAILCHIMP_API_KEY" | curl -K -' in exported
    assert "https://us6.api.mailchimp.com/3.0/lists/a1b2/members?count=3" in exported


def test_import_postman_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "chores"
    source = FIXTURE / "mailchimp-audience.postman_collection.json"
    assert main(["collection", "import-postman", str(source), "-o", str(dest)]) == 0
    captured = capsys.readouterr()
    assert "Imported 4 requests" in captured.out and "note: variable apiKey" in captured.err
    (dest / "audiences" / "bad.request.json").write_text('{"path": 3}', encoding="utf-8")
    assert main(["collection", "list", str(dest)]) == 1
    captured = capsys.readouterr()
    assert (
        "Audience chores: 4 requests" in captured.out and "var list_id = a1b2c3d4e5" in captured.out
    )
    assert "bad.request.json, line 1: path must be" in captured.err


def test_bad_inputs_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "x.json"
    broken.write_text("{\n  nope", encoding="utf-8")
    assert main(["collection", "import-postman", str(broken), "-o", str(tmp_path / "o")]) == 2
    assert f"{broken}, line 2" in capsys.readouterr().err
    cmd = tmp_path / "cmd.txt"
    cmd.write_text("curl -d 'a=b' https://us6.api.mailchimp.com/3.0/lists", encoding="utf-8")
    assert main(["collection", "import-curl", "--file", str(cmd), "-o", str(tmp_path / "r")]) == 2
    assert "not JSON" in capsys.readouterr().err
