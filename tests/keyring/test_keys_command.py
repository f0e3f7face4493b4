"""`mcexplorer keys ...` in-process: stdin, messages, exit codes, nothing written on errors."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from mcexplorer.commands import keys
from mcexplorer.core.accounts.profiles import Accounts, config_path
from mcexplorer.core.accounts.secrets import SERVICE
from tests.memory_keyring import MemoryKeyring

KEY = "0123456789abcdef0123456789abcdef-us6"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_keys(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: io.StringIO | None = None,
) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="mcexplorer")
    keys.register(parser.add_subparsers(dest="command"))
    monkeypatch.setattr("sys.stdin", stdin or io.StringIO(""))
    args = parser.parse_args(["keys", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_add_from_stdin_then_list_show_default_rename_remove(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolate_user_dirs: MemoryKeyring,
) -> None:
    code, out, _ = run_keys(
        ["add", "work", "--stdin"], capsys, monkeypatch, io.StringIO(KEY + "\n")
    )
    assert code == 0 and "Saved profile 'work' (default): mailchimp …cdef-us6." in out
    code, out, _ = run_keys(
        ["add", "ms", "--stdin", "--mailersend"], capsys, monkeypatch, io.StringIO("mlsn.x\r\n")
    )
    assert code == 0
    code, out, _ = run_keys(["list"], capsys, monkeypatch)
    assert code == 0
    assert "* work" in out and "…cdef-us6" in out and "mailersend" in out
    monkeypatch.setenv("MAILCHIMP_API_KEY", "fedcba9876543210fedcba9876543210-us19")
    _, out, _ = run_keys(["list"], capsys, monkeypatch)
    assert "MAILCHIMP_API_KEY is set (…3210-us19): it overrides the saved mailchimp" in out
    _, out, _ = run_keys(["show", "work"], capsys, monkeypatch)
    assert "dc: us6" in out and "default: True" in out and KEY not in out
    assert run_keys(["default", "ms"], capsys, monkeypatch)[0] == 0
    assert run_keys(["rename", "work", "job"], capsys, monkeypatch)[0] == 0
    assert run_keys(["remove", "ms"], capsys, monkeypatch)[0] == 0
    assert isolate_user_dirs.store == {(SERVICE, "job"): KEY}
    assert [p.name for p in Accounts().profiles()] == ["job"]


def test_hidden_prompt_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return KEY

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code, _, _ = run_keys(["add", "work"], capsys, monkeypatch, Tty())
    assert code == 0
    assert prompts == ["API key for 'work' (input hidden): "]


def test_oauth_needs_no_lookup_with_dc(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, _ = run_keys(
        ["add", "app", "--stdin", "--oauth", "--dc", "us3"], capsys, monkeypatch, io.StringIO("tok")
    )
    assert code == 0
    assert Accounts().credentials("app").dc == "us3"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add", "w", "--stdin"], "", "is empty"),
        (["add", "w", "--stdin"], "\n", "is empty"),
        (["add", "w", "--stdin"], KEY + " \n", "spaces or a line break"),
        (["add", "w", "--stdin"], "0123456789abcdef 0123456789abcdef-us6", "contains a space"),
        (["add", "w", "--stdin"], KEY + "\nsecond line\n", "several lines"),
        (["add", "w", "--stdin"], KEY[:32].upper() + "-us6", "upper-case"),
        (["add", "w", "--stdin"], "abc-us6", "has 3 characters, expected 32"),
        (["add", "w"], KEY, "No terminal to prompt"),
        (["add", "a/b", "--stdin"], KEY, "path separator"),
        (["add", "w", "--stdin", "--dc", "us3"], KEY, "--dc applies to --oauth only"),
        (["add", "w", "--stdin", "--oauth", "--dc", "US 3"], "tok", "not a datacenter"),
        (["add", "w", "--stdin", "--base-url", "http://example.com/"], KEY, "Refusing plain"),
        (["show", "nope"], "", "No profile named 'nope'"),
        (["remove", "nope"], "", "No profile named 'nope'"),
        (["rename", "nope", "x"], "", "No profile named 'nope'"),
        (["default", "nope"], "", "No profile named 'nope'"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    argv: list[str],
    stdin: str,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolate_user_dirs: MemoryKeyring,
) -> None:
    before = snapshot(tmp_path)
    code, out, err = run_keys(argv, capsys, monkeypatch, io.StringIO(stdin))
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert KEY not in out + err and KEY[:32] not in out + err
    assert snapshot(tmp_path) == before
    assert isolate_user_dirs.store == {}


def test_no_usable_keyring_names_the_choices_and_the_file_store_is_opt_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    code, _, err = run_keys(["add", "w", "--stdin"], capsys, monkeypatch, io.StringIO(KEY))
    assert code == 2
    assert "no keyring backend is available" in err and "--insecure-file-store" in err
    assert not config_path().exists()

    code, out, err = run_keys(
        ["add", "w", "--stdin", "--insecure-file-store"], capsys, monkeypatch, io.StringIO(KEY)
    )
    assert code == 0
    assert "UNENCRYPTED" in err
    _, out, _ = run_keys(["list"], capsys, monkeypatch)
    assert "[insecure-file]" in out and "Keyring unusable" in out
    assert Accounts().credentials("w").secret == KEY
